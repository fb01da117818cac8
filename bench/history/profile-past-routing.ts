/**
 * Where a recomputed `contextFor(asOf)` spends its time, statement by statement, on a database kept by
 * `scale.ts --keep DIR` (e.g. the 100k history): starts the app on it, asks `--runs` distinct tasks as of the middle
 * snapshot and as of the latest seq, and sums the executor's per-statement durations.
 *
 *   npx tsx bench/history/profile-past-routing.ts --reuse DIR [--runs 10]
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from '../routing/generate.js';
import { startBenchServer, stopOnSignal } from '../routing/harness.js';
import { taskSupply, type TaskRequest } from '../routing/tasks.js';
import { log } from './shared.js';

const args = parseArgs(process.argv.slice(2));
const reuse = args['reuse'];
if (!reuse) throw new Error('--reuse DIR is required (a database kept by scale.ts --keep DIR)');
const dir: string = reuse;
const runs = Number(args['runs'] ?? 10);
const kept = JSON.parse(readFileSync(path.join(dir, 'written.json'), 'utf8')) as {
  adminKey: string;
  latest: number;
  written: { keys: Record<string, string>; points: { middle: { seq: number } }; decisions: unknown[] };
};
const QUERY = `query($agentId: ID!, $task: String!, $asOf: Int) {
  contextFor(agentId: $agentId, task: $task, budget: 4000, asOf: $asOf) { pastRead items { context { id } } } }`;

async function main() {
  const server = await startBenchServer({ log, dataDir: dir, adminKey: kept.adminKey, env: { ROUTING_CACHE_SIZE: '0' } });
  stopOnSignal(server.stop);
  try {
    const supply = taskSupply();
    for (let i = 0; i < kept.written.decisions.length + 50; i++) supply.next();
    for (const [name, asOf] of [
      ['middle', kept.written.points.middle.seq],
      ['latest', kept.latest],
    ] as const) {
      const totals = new Map<string, { ms: number; calls: number }>();
      const stop = server.app.executor.onQuery((event) => {
        const t = totals.get(event.name) ?? { ms: 0, calls: 0 };
        totals.set(event.name, { ms: t.ms + (event.durationMs ?? 0), calls: t.calls + 1 });
      });
      let wall = 0;
      for (let run = 0; run < runs; run++) {
        const r = supply.next().value as TaskRequest;
        const started = performance.now();
        await server.call(kept.written.keys[r.agentId] as string, QUERY, { agentId: r.agentId, task: r.task, asOf });
        wall += performance.now() - started;
      }
      stop();
      log(`${name} (asOf ${asOf}): ${Math.round(wall / runs)} ms per request`);
      for (const [statement, t] of [...totals].sort((a, b) => b[1].ms - a[1].ms))
        log(`  ${statement}: ${Math.round(t.ms / runs)} ms per request (${t.calls} calls)`);
    }
  } finally {
    await server.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(2);
  },
);
