import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

/** The service as a separate OS process (`node --import tsx src/main.ts`), for tests that kill or restart it. */

const root = path.resolve(import.meta.dirname, '../..');

export interface ServiceProcess {
  child: ChildProcess;
  url: string;
  output: string[];
}

/** Starts the service with exactly `env` on top of this process's environment; resolves on its ready line. */
export async function startServiceProcess(env: NodeJS.ProcessEnv, timeoutMs = 150_000): Promise<ServiceProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`service did not start:\n${output.join('')}`));
    }, timeoutMs);
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stdout?.on('data', (chunk: Buffer) => {
      output.push(chunk.toString());
      for (const line of chunk.toString().split('\n')) {
        if (!line.includes('Context Mesh ready')) continue;
        const entry = JSON.parse(line) as { url: string };
        clearTimeout(timer);
        resolve({ child, url: entry.url, output });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`service exited with ${code}:\n${output.join('')}`));
    });
  });
}

export const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });

export async function gqlAt<T = Record<string, unknown>>(url: string, key: string, query: string, variables?: Record<string, unknown>) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: T | null; errors?: { message: string; extensions?: { code?: string } }[] };
}
