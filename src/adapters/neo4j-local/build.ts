import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { mavenPackage, mtimeMs, withBuildLock } from '../maven/maven-build.js';

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
  await withBuildLock(
    lockFile,
    () => log(`neo4j-local: waiting for another build (${lockFile})`),
    async () => {
      // Another process may have finished the build while we waited for the lock.
      if (await isJarFresh(paths)) return;
      await mavenPackage({ pom: paths.pom, javaHome: options.javaHome, label: 'neo4j-local', log });
    },
  );
  return paths;
}
