import { execFile } from 'node:child_process';
import { mkdir, open, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';

/** Paths of the neo4j-local Maven module inside the repository. */
export interface Neo4jLocalPaths {
  moduleDir: string;
  pom: string;
  srcDir: string;
  jar: string;
  libDir: string;
}

export function neo4jLocalPaths(projectDir: string): Neo4jLocalPaths {
  const moduleDir = path.resolve(projectDir, 'neo4j-local');
  return {
    moduleDir,
    pom: path.join(moduleDir, 'pom.xml'),
    srcDir: path.join(moduleDir, 'src'),
    jar: path.join(moduleDir, 'target', 'neo4j-local.jar'),
    libDir: path.join(moduleDir, 'target', 'lib'),
  };
}

async function mtimeMs(file: string): Promise<number | undefined> {
  try {
    return (await stat(file)).mtimeMs;
  } catch {
    return undefined;
  }
}

async function newestMtime(dir: string): Promise<number> {
  let newest = 0;
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    // `parentPath` is Node 20.12+; `path` is the older (deprecated) spelling of the same thing.
    const parent = (entry as { parentPath?: string }).parentPath ?? (entry as { path?: string }).path ?? dir;
    const m = await mtimeMs(path.join(parent, entry.name));
    if (m !== undefined && m > newest) newest = m;
  }
  return newest;
}

/** True when the jar (and its lib/) exist and are newer than pom.xml and every file under src/. */
export async function isJarFresh(paths: Neo4jLocalPaths): Promise<boolean> {
  const jar = await mtimeMs(paths.jar);
  if (jar === undefined || (await mtimeMs(paths.libDir)) === undefined) return false;
  const pom = (await mtimeMs(paths.pom)) ?? Number.POSITIVE_INFINITY;
  const src = await newestMtime(paths.srcDir);
  return jar >= pom && jar >= src;
}

function runMaven(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<{ ok: true } | { ok: false; output: string }> {
  return new Promise((resolve) => {
    execFile('mvn', [...args], { env, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (!error) resolve({ ok: true });
      else resolve({ ok: false, output: `${error.message}\n${stdout}\n${stderr}`.trim() });
    });
  });
}

/** Two workers (or two services) may start at once: one builds, the other waits for the lock. */
const LOCK_STALE_MS = 15 * 60_000;

async function withBuildLock<T>(lockFile: string, log: (msg: string) => void, fn: () => Promise<T>): Promise<T> {
  await mkdir(path.dirname(lockFile), { recursive: true });
  let announced = false;
  for (;;) {
    try {
      const handle = await open(lockFile, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const m = await mtimeMs(lockFile);
      // A crashed builder leaves its lock behind; take it over once it is clearly stale.
      if (m !== undefined && Date.now() - m > LOCK_STALE_MS) {
        await rm(lockFile, { force: true });
        continue;
      }
      if (!announced) {
        log(`neo4j-local: waiting for another build (${lockFile})`);
        announced = true;
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    return await fn();
  } finally {
    await rm(lockFile, { force: true });
  }
}

/**
 * Builds neo4j-local/target/neo4j-local.jar with Maven when it is missing or stale.
 * Tries offline first (works from ~/.m2 after the first build), then online.
 */
export async function ensureNeo4jLocalJar(
  projectDir: string,
  options: { javaHome?: string; log?: (msg: string) => void } = {},
): Promise<Neo4jLocalPaths> {
  const log = options.log ?? (() => {});
  const paths = neo4jLocalPaths(projectDir);
  if (await isJarFresh(paths)) return paths;

  const lockFile = path.join(paths.moduleDir, 'target', '.build.lock');
  await withBuildLock(lockFile, log, async () => {
    // Another process may have finished the build while we waited for the lock.
    if (await isJarFresh(paths)) return;
    const env: NodeJS.ProcessEnv = { ...process.env };
    if (options.javaHome !== undefined) env['JAVA_HOME'] = options.javaHome;
    const base = ['-q', '-B', '-f', paths.pom, 'package'];
    const started = Date.now();
    log(`neo4j-local: building ${paths.jar} (mvn -o ${base.join(' ')})`);
    const offline = await runMaven(['-o', ...base], env);
    if (!offline.ok) {
      log('neo4j-local: offline build failed, retrying online (first build resolves Neo4j from Maven Central)');
      const online = await runMaven(base, env);
      if (!online.ok) {
        throw new Error(`neo4j-local: Maven build failed:\n${online.output.split('\n').slice(-40).join('\n')}`);
      }
    }
    log(`neo4j-local: build done in ${Date.now() - started} ms`);
  });
  return paths;
}
