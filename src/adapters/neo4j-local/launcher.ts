import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';

import { ensureNeo4jLocalJar } from './build.js';

/** Options for {@link startLocalNeo4j}. */
export interface StartLocalNeo4jOptions {
  /** Repository root; must contain `neo4j-local/` (the Maven module). */
  projectDir: string;
  /** Neo4j home: stores under `<dataDir>/data`, logs under `<dataDir>/logs`. Created if missing. */
  dataDir: string;
  /** Bolt port on 127.0.0.1; `0` picks a free port (read back from the returned `uri`). */
  port: number;
  /** JVM heap in MiB (`-Xmx`). */
  heapMb: number;
  /** Neo4j page cache in MiB (`server.memory.pagecache.size`). */
  pageCacheMb: number;
  /** JDK home; default `$JAVA_HOME`, then `java` on PATH. Also used as JAVA_HOME for the Maven build. */
  javaHome?: string;
  /** Time allowed from spawn to the READY line (not counting the Maven build). Default 120000 ms. */
  startTimeoutMs?: number;
  /** Receives build progress and the child's stderr/unrecognised stdout lines. Default: discard. */
  log?: (msg: string) => void;
}

/** A running embedded Neo4j child process. */
export interface LocalNeo4j {
  /** `bolt://127.0.0.1:<port>`; auth is disabled (any credentials are accepted). */
  uri: string;
  pid: number;
  /** SIGTERM, wait up to 30 s, then SIGKILL. Idempotent; resolves once the process has exited. */
  stop(): Promise<void>;
}

const READY = 'NEO4J_LOCAL_READY ';
const FAILED = 'NEO4J_LOCAL_FAILED ';
const TAIL_LINES = 50;
const STOP_GRACE_MS = 30_000;

function javaBinary(javaHome: string | undefined): string {
  const home = javaHome ?? process.env['JAVA_HOME'];
  if (home !== undefined && home !== '') {
    const bin = path.join(home, 'bin', process.platform === 'win32' ? 'java.exe' : 'java');
    if (existsSync(bin)) return bin;
  }
  return 'java';
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.off('exit', onExit);
      resolve(false);
    }, timeoutMs);
    const onExit = (): void => {
      clearTimeout(timer);
      resolve(true);
    };
    child.once('exit', onExit);
  });
}

function launcherArgs(jar: string, dataDir: string, options: StartLocalNeo4jOptions): string[] {
  return [
    `-Xmx${options.heapMb}m`,
    // Fixed heap avoids Neo4j's "initial heap not configured" warning and resize pauses.
    `-Xms${options.heapMb}m`,
    '-XX:+UseG1GC',
    '-jar',
    jar,
    '--port',
    String(options.port),
    '--data-dir',
    dataDir,
    '--pagecache',
    `${options.pageCacheMb}m`,
  ];
}

/** SIGTERM, wait, then SIGKILL; idempotent. */
function stopperFor(child: ChildProcess, log: (msg: string) => void): () => Promise<void> {
  let stopping: Promise<void> | undefined;
  return () => {
    stopping ??= (async () => {
      if (await waitForExit(child, 0)) return;
      child.kill('SIGTERM');
      if (!(await waitForExit(child, STOP_GRACE_MS))) {
        log(`neo4j-local: pid ${child.pid} did not stop within ${STOP_GRACE_MS} ms, sending SIGKILL`);
        child.kill('SIGKILL');
        await waitForExit(child, 10_000);
      }
    })();
    return stopping;
  };
}

/** The last lines the child printed, quoted in start-up errors. */
class OutputTail {
  private readonly lines: string[] = [];

  remember(line: string): void {
    this.lines.push(line);
    if (this.lines.length > TAIL_LINES) this.lines.shift();
  }

  failure(reason: string): Error {
    return new Error(`neo4j-local ${reason}${this.lines.length > 0 ? `\n--- last output ---\n${this.lines.join('\n')}` : ''}`);
  }
}

interface ReadyWatch {
  child: ChildProcess;
  java: string;
  timeoutMs: number;
  tail: OutputTail;
  stop: () => Promise<void>;
  log: (msg: string) => void;
}

/** Resolves with the Bolt URI from the READY line; rejects (after stopping the child) on failure or time-out. */
function waitForReady({ child, java, timeoutMs, tail, stop, log }: ReadyWatch): Promise<string> {
  const startedAt = Date.now();
  return new Promise<string>((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    // Await the kill so no orphaned JVM keeps the data dir locked after the rejection.
    const stopThenReject = (reason: string) => settle(() => void stop().then(() => reject(tail.failure(reason))));
    const timer = setTimeout(() => stopThenReject(`did not become ready within ${timeoutMs} ms`), timeoutMs);

    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith(READY)) {
        const readyUri = line.slice(READY.length).trim();
        log(`neo4j-local: ready at ${readyUri} (pid ${child.pid}, ${Date.now() - startedAt} ms)`);
        settle(() => resolve(readyUri));
        return;
      }
      tail.remember(line);
      if (line.startsWith(FAILED)) stopThenReject(`failed to start: ${line.slice(FAILED.length)}`);
      else log(`neo4j-local: ${line}`);
    });
    createInterface({ input: child.stderr! }).on('line', (line) => {
      tail.remember(line);
      log(`neo4j-local[stderr]: ${line}`);
    });
    child.once('error', (err) => settle(() => reject(tail.failure(`could not be spawned (${java}): ${err.message}`))));
    // 'close' (not 'exit') fires after stdout/stderr are drained, so the tail is complete.
    child.once('close', (code, signal) => settle(() => reject(tail.failure(`exited before ready (code ${code}, signal ${signal})`))));
  });
}

/**
 * Builds (if needed) and starts `neo4j-local` — Neo4j Community embedded in a JVM with Bolt on
 * 127.0.0.1 — and resolves once the default database accepts Bolt connections.
 *
 * The child's stdin is a pipe held by this process: when this process dies, the pipe closes and
 * the child shuts Neo4j down cleanly on its own. Concurrent callers sharing a `projectDir` are
 * safe: the Maven build is serialised with a lock file in `neo4j-local/target/`.
 */
export async function startLocalNeo4j(options: StartLocalNeo4jOptions): Promise<LocalNeo4j> {
  const log = options.log ?? (() => {});
  const buildOptions: { javaHome?: string; log: (msg: string) => void } = { log };
  if (options.javaHome !== undefined) buildOptions.javaHome = options.javaHome;
  const paths = await ensureNeo4jLocalJar(options.projectDir, buildOptions);

  const dataDir = path.resolve(options.dataDir);
  await mkdir(dataDir, { recursive: true });

  const java = javaBinary(options.javaHome);
  const args = launcherArgs(paths.jar, dataDir, options);
  log(`neo4j-local: starting ${java} ${args.join(' ')}`);
  const child = spawn(java, args, { cwd: paths.moduleDir, stdio: ['pipe', 'pipe', 'pipe'] });
  // EPIPE on our end of stdin after the child exits is expected; never let it crash the parent.
  child.stdin?.on('error', () => {});

  const tail = new OutputTail();
  const stop = stopperFor(child, log);
  const uri = await waitForReady({ child, java, timeoutMs: options.startTimeoutMs ?? 120_000, tail, stop, log });
  if (child.pid === undefined) throw tail.failure('has no pid');
  return { uri, pid: child.pid, stop };
}
