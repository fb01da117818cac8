import { execFile } from 'node:child_process';
import { mkdir, open, rm, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * Builds the small Maven projects we ship (neo4j-local/, models/) on demand: offline first, so
 * every start after the first works from ~/.m2 without a network, then online.
 */

export type MavenResult = { ok: true } | { ok: false; missing: boolean; output: string };

export function runMaven(args: readonly string[], env: NodeJS.ProcessEnv): Promise<MavenResult> {
  return new Promise((resolve) => {
    execFile('mvn', [...args], { env, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (!error) resolve({ ok: true });
      else
        resolve({
          ok: false,
          missing: (error as NodeJS.ErrnoException).code === 'ENOENT',
          output: `${error.message}\n${stdout}\n${stderr}`.trim(),
        });
    });
  });
}

export class MavenBuildError extends Error {
  override readonly name = 'MavenBuildError';
  constructor(
    message: string,
    readonly mavenMissing: boolean,
  ) {
    super(message);
  }
}

export interface MavenPackageOptions {
  pom: string;
  /** JDK for Maven; default: the inherited JAVA_HOME / `mvn` on PATH. */
  javaHome?: string | undefined;
  /** Prefix of log lines and errors, e.g. `neo4j-local`. */
  label: string;
  log: (message: string) => void;
}

/** `mvn -q -B -f <pom> package`, offline first, then online; throws with the tail of Maven's output. */
export async function mavenPackage(options: MavenPackageOptions): Promise<void> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (options.javaHome !== undefined) env['JAVA_HOME'] = options.javaHome;
  const base = ['-q', '-B', '-f', options.pom, 'package'];
  const started = Date.now();
  options.log(`${options.label}: building (mvn -o ${base.join(' ')})`);
  const offline = await runMaven(['-o', ...base], env);
  if (!offline.ok) {
    if (offline.missing) throw new MavenBuildError(`${options.label}: \`mvn\` is not on PATH`, true);
    options.log(`${options.label}: offline build failed, retrying online (the first build resolves from Maven Central)`);
    const online = await runMaven(base, env);
    if (!online.ok) {
      throw new MavenBuildError(
        `${options.label}: Maven build failed:\n${online.output.split('\n').slice(-40).join('\n')}`,
        online.missing,
      );
    }
  }
  options.log(`${options.label}: build done in ${Date.now() - started} ms`);
}

/** A lock older than this was left by a crashed builder and is taken over. */
const LOCK_STALE_MS = 15 * 60_000;

/** Cross-process lock (O_EXCL file): two test workers or services starting at once build once. */
export async function withBuildLock<T>(lockFile: string, onWait: () => void, fn: () => Promise<T>): Promise<T> {
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
      const modified = await mtimeMs(lockFile);
      if (modified !== undefined && Date.now() - modified > LOCK_STALE_MS) {
        await rm(lockFile, { force: true });
        continue;
      }
      if (!announced) {
        onWait();
        announced = true;
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  try {
    return await fn();
  } finally {
    await rm(lockFile, { force: true });
  }
}

export async function mtimeMs(file: string): Promise<number | undefined> {
  try {
    return (await stat(file)).mtimeMs;
  } catch {
    return undefined;
  }
}
