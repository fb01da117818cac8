import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

/**
 * `npm start` as a process manager stops it: one signal to the npm process only (not its group).
 * With a shell between npm and the service, npm forwarded it to the shell, which died (SIGTERM) or
 * kept waiting (SIGINT) without passing it on; the service must stop, take its embedded Neo4j
 * with it and free the port (issue 7).
 */
const root = path.resolve(import.meta.dirname, '../..');
const START_TIMEOUT_MS = 150_000;
/** Drain, close the driver and stop Neo4j: seconds, not the minute a leaked process would take. */
const STOP_WITHIN_MS = 45_000;

function childEnv(dataDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CONTEXT_MESH_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'info' };
  delete env['NEO4J_URI'];
  delete env['CONTEXT_MESH_ADMIN_KEY'];
  return env;
}

/** pid → ppid of every live (non-zombie) process, from /proc. */
async function processTable(): Promise<Map<number, number>> {
  const table = new Map<number, number>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
      // "pid (comm) state ppid …"; comm may hold spaces and parentheses, so read after the last ')'.
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (state !== 'Z') table.set(Number(entry), Number(ppid));
    } catch {
      // ended while we looked
    }
  }
  return table;
}

async function descendantsOf(pid: number): Promise<number[]> {
  const table = await processTable();
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const parent = queue.shift()!;
    for (const [child, ppid] of table) {
      if (ppid === parent) {
        found.push(child);
        queue.push(child);
      }
    }
  }
  return found;
}

async function stillRunning(pids: readonly number[]): Promise<number[]> {
  const table = await processTable();
  return pids.filter((pid) => table.has(pid));
}

async function answers(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(2_000) });
    return true;
  } catch {
    return false;
  }
}

/** `npm start`, resolved with the service's URL once it logged its ready line. */
function npmStart(dataDir: string): Promise<{ npm: ChildProcess; url: string }> {
  const npm = spawn('npm', ['start'], { cwd: root, env: childEnv(dataDir), stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  let pending = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start did not get ready:\n${output.join('')}`)), START_TIMEOUT_MS);
    npm.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    npm.stdout?.on('data', (chunk: Buffer) => {
      output.push(chunk.toString());
      const lines = (pending + chunk.toString()).split('\n');
      pending = lines.pop() ?? '';
      const ready = lines.find((line) => line.includes('Context Mesh ready'));
      if (ready === undefined) return;
      clearTimeout(timer);
      resolve({ npm, url: (JSON.parse(ready) as { url: string }).url });
    });
    npm.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited (${code ?? signal}) before ready:\n${output.join('')}`));
    });
  });
}

describe('npm start stopped by a signal to the npm process', () => {
  const leftovers: number[] = [];
  const dataDirs: string[] = [];
  afterEach(async () => {
    // Never leave a failed run's processes behind for the next test.
    for (const pid of await stillRunning(leftovers.splice(0))) process.kill(pid, 'SIGKILL');
    for (const dir of dataDirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });

  // SIGTERM and SIGINT reach the service through npm; SIGKILL leaves it orphaned, and it notices.
  it.each(['SIGTERM', 'SIGINT', 'SIGKILL'] as const)(
    '%s stops the service and its embedded Neo4j and frees the port',
    async (signal) => {
      const dataDir = await mkdtemp(path.join(os.tmpdir(), 'context-mesh-npm-'));
      dataDirs.push(dataDir);
      const { npm, url } = await npmStart(dataDir);
      const healthz = url.replace('/graphql', '/healthz');
      expect(await answers(healthz)).toBe(true);
      const chain = await descendantsOf(npm.pid!);
      leftovers.push(...chain);
      // The chain includes the service and the Neo4j JVM.
      expect(chain.length).toBeGreaterThanOrEqual(2);

      npm.kill(signal);

      const deadline = Date.now() + STOP_WITHIN_MS;
      let running = await stillRunning(chain);
      let serving = await answers(healthz);
      while ((running.length > 0 || serving) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        running = await stillRunning(chain);
        serving = await answers(healthz);
      }
      expect(serving).toBe(false);
      expect(running).toEqual([]);
    },
    START_TIMEOUT_MS + STOP_WITHIN_MS + 30_000,
  );
});
