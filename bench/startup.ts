/**
 * Start-up time of `npm start` (embedded Neo4j, local embeddings, no configuration): spawns the
 * service in a project folder on a fresh data folder and reports the time to the ready line.
 *
 *   npx tsx bench/startup.ts [projectDir] [runs]
 *
 * Run it in a fresh clone to measure the first start (jar and model built from ~/.m2 or Maven
 * Central), then again for warm starts. Not part of `npm test`.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

const projectDir = path.resolve(process.argv[2] ?? '.');
const runs = Number(process.argv[3] ?? 3);

async function startOnce(): Promise<{ totalMs: number; neo4jMs: number; reportedMs: number }> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'cm-startup-'));
  const env: NodeJS.ProcessEnv = { ...process.env, CONTEXT_MESH_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'info' };
  delete env['NEO4J_URI'];
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: projectDir, env, stdio: ['ignore', 'pipe', 'inherit'] });
  let neo4jMs = 0;
  const result = await new Promise<{ totalMs: number; neo4jMs: number; reportedMs: number }>((resolve, reject) => {
    let buffer = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let newline;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        if (line.includes('embedded Neo4j ready')) neo4jMs = (JSON.parse(line) as { ms: number }).ms;
        if (line.includes('Context Mesh ready')) {
          resolve({ totalMs: Date.now() - started, neo4jMs, reportedMs: (JSON.parse(line) as { startupMs: number }).startupMs });
        }
      }
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code}`)));
  });
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  await rm(dataDir, { recursive: true, force: true });
  return result;
}

const results = [];
for (let i = 0; i < runs; i += 1) {
  const r = await startOnce();
  results.push(r);
  console.log(`run ${i + 1}: ready after ${r.totalMs} ms (process-reported ${r.reportedMs} ms, embedded Neo4j ${r.neo4jMs} ms)`);
}
const sorted = results.map((r) => r.totalMs).sort((a, b) => a - b);
console.log(`median ${sorted[Math.floor(sorted.length / 2)]} ms over ${runs} runs (${os.cpus().length} cores, node ${process.version})`);
