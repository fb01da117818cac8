import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** A redis-server child process owned by one test file. */
export interface RedisServer {
  /** `redis://127.0.0.1:<port>`; no password (bound to loopback, protected mode on). */
  url: string;
  port: number;
  /** SIGTERM, wait up to 5 s, then SIGKILL; removes its scratch directory. Idempotent. */
  stop(): Promise<void>;
  /** Stops and starts it again on the same port (clients see a dropped connection, then refusal). */
  restart(): Promise<void>;
}

const START_TIMEOUT_MS = 10_000;
const STOP_GRACE_MS = 5_000;
const PORT_ATTEMPTS = 5;
const TAIL_LINES = 30;

function findRedisServer(): string {
  const candidates = [...(process.env['PATH'] ?? '').split(path.delimiter).filter((dir) => dir !== ''), '/usr/bin', '/usr/local/bin'].map(
    (dir) => path.join(dir, 'redis-server'),
  );
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; try the next directory
    }
  }
  // Fail, not skip: CI installs it (.ci/run), so its absence is a broken machine, not an option.
  throw new Error('redis-server not found on PATH or in /usr/bin: install it with `apt-get install redis-server` (.ci/run does)');
}

/** A port free a moment ago; the caller retries if someone else takes it first. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('could not determine a free port'))));
    });
  });
}

/**
 * The pid of the server on the port once it answers PING, else undefined. The pid (from INFO) tells
 * our child apart from a stranger that already held the port.
 */
function pingServerPid(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let reply = '';
    const done = (pid: number | undefined): void => {
      socket.destroy();
      resolve(pid);
    };
    socket.setTimeout(1_000, () => done(undefined));
    socket.once('error', () => done(undefined));
    socket.once('connect', () => socket.write('PING\r\nINFO server\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8');
      if (!reply.includes('\r\n')) return;
      if (!reply.startsWith('+PONG')) return done(undefined); // e.g. -LOADING while starting
      const pid = /process_id:(\d+)\r\n/.exec(reply)?.[1];
      if (pid !== undefined) done(Number(pid));
    });
  });
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

class AddressInUse extends Error {}

interface Running {
  child: ChildProcess;
  /** Kills the child if the test process exits without calling stop (redis-server would outlive it). */
  onProcessExit: () => void;
}

async function spawnOnce(binary: string, port: number, dir: string): Promise<Running> {
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--protected-mode',
    'yes',
    // No persistence: every start is empty, and nothing is written but the (unused) scratch dir.
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    dir,
    '--daemonize',
    'no',
    '--logfile',
    '',
  ];
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const onProcessExit = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', onProcessExit);

  const tail: string[] = [];
  const remember = (chunk: Buffer): void => {
    tail.push(
      ...chunk
        .toString('utf8')
        .split('\n')
        .filter((line) => line !== ''),
    );
    tail.splice(0, Math.max(0, tail.length - TAIL_LINES));
  };
  child.stdout?.on('data', remember);
  child.stderr?.on('data', remember);
  const failure = (reason: string): Error => {
    const output = tail.join('\n');
    const message = `redis-server on port ${port} ${reason}${output === '' ? '' : `\n--- last output ---\n${output}`}`;
    return /Address already in use/i.test(output) ? new AddressInUse(message) : new Error(message);
  };

  let exited = false;
  let spawnError: Error | undefined;
  child.once('exit', () => (exited = true));
  child.once('error', (err) => (spawnError = err));

  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (spawnError !== undefined) {
      process.off('exit', onProcessExit);
      throw new Error(`could not spawn ${binary}: ${spawnError.message}`);
    }
    if (exited) {
      process.off('exit', onProcessExit);
      // Let the pipes drain so the tail names the reason (e.g. "Address already in use").
      await new Promise((resolve) => setTimeout(resolve, 50));
      throw failure(`exited before answering PING (code ${child.exitCode}, signal ${child.signalCode})`);
    }
    const pid = await pingServerPid(port);
    if (pid !== undefined && pid === child.pid) return { child, onProcessExit };
    if (Date.now() > deadline) {
      await stopChild({ child, onProcessExit });
      throw failure(`did not answer PING within ${START_TIMEOUT_MS} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function stopChild({ child, onProcessExit }: Running): Promise<void> {
  process.off('exit', onProcessExit);
  if (await waitForExit(child, 0)) return;
  child.kill('SIGTERM');
  if (!(await waitForExit(child, STOP_GRACE_MS))) {
    child.kill('SIGKILL');
    await waitForExit(child, 5_000);
  }
}

/**
 * Starts a real `redis-server` on a free loopback port for one test file, so tests never depend on
 * (or disturb) a system Redis on 6379. Resolves once it answers PING.
 */
export async function startRedisServer(): Promise<RedisServer> {
  const binary = findRedisServer();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'context-mesh-redis-'));

  let port = 0;
  let running: Running | undefined;
  for (let attempt = 1; running === undefined; attempt += 1) {
    port = await freePort();
    try {
      running = await spawnOnce(binary, port, dir);
    } catch (err) {
      // Another process took the port between our probe and redis-server's bind: pick another.
      if (!(err instanceof AddressInUse) || attempt >= PORT_ATTEMPTS) {
        await rm(dir, { recursive: true, force: true });
        throw err;
      }
    }
  }

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      if (running !== undefined) await stopChild(running);
      running = undefined;
      await rm(dir, { recursive: true, force: true });
    })();
    return stopped;
  };

  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop,
    async restart() {
      if (stopped !== undefined) throw new Error('redis-server was stopped; cannot restart');
      if (running !== undefined) await stopChild(running);
      running = undefined;
      // Same port, so clients reconnect to the URL they know. Redis binds with SO_REUSEADDR, so the
      // old connections' TIME_WAIT does not block it; a stranger grabbing the port would, rarely.
      running = await spawnOnce(binary, port, dir);
    },
  };
}
