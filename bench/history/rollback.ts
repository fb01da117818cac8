/**
 * How long a rollback of one workflow takes: `n` contexts in the workflow, a snapshot, then `changed` of them
 * updated (new text, so the rollback re-embeds), `retracted` retracted and `added` new ones published; then
 * `rollback(snapshot)` and its undo, timed client-side (one HTTP request each), plus `diff` over the same span.
 *
 *   npx tsx bench/history/rollback.ts [--n 1000] [--changed 300] [--retracted 100] [--added 100] [--concurrency 4] [--out file.json]
 *
 * One embedded Neo4j (its own data folder) and one app, in this process, on the same cores.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from '../routing/generate.js';
import { startBenchServer, stopOnSignal, type BenchServer } from '../routing/harness.js';
import { log, machineLoad, pool, timed } from './shared.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = parseArgs(process.argv.slice(2));
const params = {
  n: Number(args['n'] ?? 1000),
  changed: Number(args['changed'] ?? 300),
  retracted: Number(args['retracted'] ?? 100),
  added: Number(args['added'] ?? 100),
  concurrency: Number(args['concurrency'] ?? 4),
};
const outFile = args['out'] ?? path.join(here, 'results-rollback.json');
const WORKFLOW = 'bench-launch';

const text = (i: number, edit = '') =>
  `Finding ${i}${edit}: grinder batch ${i % 37} measured ${(i * 7) % 101} microns at setting ${i % 40}.`;

async function seed(server: BenchServer, key: string, agentId: string) {
  const inputs = Array.from({ length: params.n }, (_, i) => ({
    id: `c${i}`,
    type: 'FINDING',
    text: text(i),
    tags: [`topic_${i % 15}`],
    workflowId: WORKFLOW,
    sourceAgentId: agentId,
    // Some dependencies, so restored versions carry edges too.
    dependencies: i > 0 && i % 5 === 0 ? [`c${i - 1}`] : [],
  }));
  for (let start = 0; start < inputs.length; start += 500) {
    await server.call(key, 'mutation($inputs: [PublishContextInput!]!) { publishContexts(inputs: $inputs) { id } }', {
      inputs: inputs.slice(start, start + 500),
    });
  }
}

async function change(server: BenchServer, key: string, agentId: string) {
  const changed = Array.from({ length: params.changed }, (_, i) => i);
  const UPDATE =
    'mutation($id: ID!, $text: String!) { updateContext(id: $id, expectedVersion: 1, patch: { text: $text, confidence: 0.5 }) { id } }';
  await pool(changed, params.concurrency, (i) => server.call(key, UPDATE, { id: `c${i}`, text: text(i, ' (revised)') }));
  const retracted = Array.from({ length: params.retracted }, (_, i) => params.changed + i);
  await pool(retracted, params.concurrency, (i) =>
    server.call(key, 'mutation($id: ID!) { retractContext(id: $id, reason: "bench") { id } }', { id: `c${i}` }),
  );
  const added = Array.from({ length: params.added }, (_, i) => ({
    id: `new${i}`,
    type: 'FINDING',
    text: text(params.n + i),
    workflowId: WORKFLOW,
    sourceAgentId: agentId,
  }));
  await server.call(key, 'mutation($inputs: [PublishContextInput!]!) { publishContexts(inputs: $inputs) { id } }', { inputs: added });
}

async function main() {
  const server = await startBenchServer({ log });
  stopOnSignal(() => server.stop());
  try {
    const key = server.adminKey;
    const agentId = 'bench-writer';
    await server.call(key, `mutation { registerAgent(input: { id: "${agentId}", name: "writer" }) { apiKey } }`);
    const seeded = await timed(() => seed(server, key, agentId));
    log(`published ${params.n} contexts in ${seeded.ms} ms`);
    const { createSnapshot: snapshot } = await server.call<{ createSnapshot: { id: string; seq: number } }>(
      key,
      `mutation { createSnapshot(label: "before", workflowId: "${WORKFLOW}") { id seq } }`,
    );
    const changed = await timed(() => change(server, key, agentId));
    log(`changed ${params.changed}, retracted ${params.retracted}, added ${params.added} in ${changed.ms} ms`);

    const loadBefore = machineLoad();
    const diff = await timed(() =>
      server.call<{ diff: { added: unknown[]; changed: unknown[]; retracted: unknown[] } }>(
        key,
        `query { diff(fromSeq: ${snapshot.seq}, workflowId: "${WORKFLOW}") { added { id } changed { id } retracted { id } } }`,
      ),
    );
    const ROLLBACK = 'mutation($id: ID!) { rollback(snapshotId: $id) { restored { id } retracted { id } undoSnapshot { id } } }';
    type Rolled = { rollback: { restored: unknown[]; retracted: unknown[]; undoSnapshot: { id: string } } };
    const rollback = await timed(() => server.call<Rolled>(key, ROLLBACK, { id: snapshot.id }));
    const undo = await timed(() => server.call<Rolled>(key, ROLLBACK, { id: rollback.result.rollback.undoSnapshot.id }));
    const results = {
      params,
      diffMs: diff.ms,
      diffCounts: {
        added: diff.result.diff.added.length,
        changed: diff.result.diff.changed.length,
        retracted: diff.result.diff.retracted.length,
      },
      rollbackMs: rollback.ms,
      rollbackCounts: { restored: rollback.result.rollback.restored.length, retracted: rollback.result.rollback.retracted.length },
      undoMs: undo.ms,
      undoCounts: { restored: undo.result.rollback.restored.length, retracted: undo.result.rollback.retracted.length },
      date: new Date().toISOString(),
      load: { before: loadBefore, after: machineLoad() },
    };
    log(JSON.stringify(results));
    writeFileSync(outFile, JSON.stringify(results, null, 2) + '\n');
  } finally {
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(2);
});
