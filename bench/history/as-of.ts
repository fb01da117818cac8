/**
 * The cost of `asOf` against the current-state query: `n` contexts (published in batches of 500), each then
 * updated `rounds` times (confidence and priority, so no re-embedding) for a few versions per object; then
 * `contexts(first: 50)` timed `runs` times each way, round-robin, client-side (one HTTP request each), after a warm-up:
 * current state, `asOf` = the current position, and `asOf` = the seq right after publishing (every context
 * then at its first version, found among later ones).
 *
 *   npx tsx bench/history/as-of.ts [--n 10000] [--rounds 2] [--runs 50] [--concurrency 4] [--out file.json]
 *
 * One embedded Neo4j (its own data folder) and one app, in this process, on the same cores.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from '../routing/generate.js';
import { startBenchServer, stopOnSignal, type BenchServer } from '../routing/harness.js';
import { log, machineLoad, pool, roundRobin } from './shared.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = parseArgs(process.argv.slice(2));
const params = {
  n: Number(args['n'] ?? 10_000),
  rounds: Number(args['rounds'] ?? 2),
  runs: Number(args['runs'] ?? 50),
  concurrency: Number(args['concurrency'] ?? 4),
};
const outFile = args['out'] ?? path.join(here, 'results-as-of.json');

const PRIORITIES = ['ROUTINE', 'IMPORTANT', 'ROUTINE'];

async function seed(server: BenchServer, key: string, agentId: string): Promise<void> {
  const inputs = Array.from({ length: params.n }, (_, i) => ({
    id: `c${i}`,
    type: 'FINDING',
    text: `Finding ${i}: grinder batch ${i % 37} measured ${(i * 7) % 101} microns at setting ${i % 40}.`,
    tags: [`topic_${i % 15}`],
    sourceAgentId: agentId,
    dependencies: i > 0 && i % 5 === 0 ? [`c${i - 1}`] : [],
  }));
  for (let start = 0; start < inputs.length; start += 500) {
    await server.call(key, 'mutation($inputs: [PublishContextInput!]!) { publishContexts(inputs: $inputs) { id } }', {
      inputs: inputs.slice(start, start + 500),
    });
  }
}

async function update(server: BenchServer, key: string, round: number): Promise<void> {
  const UPDATE = `mutation($id: ID!, $v: Int!, $confidence: Float!, $priority: Priority!) {
    updateContext(id: $id, expectedVersion: $v, patch: { confidence: $confidence, priority: $priority }) { id } }`;
  const ids = Array.from({ length: params.n }, (_, i) => i);
  await pool(ids, params.concurrency, (i) =>
    server.call(key, UPDATE, { id: `c${i}`, v: round, confidence: 1 - round / 10, priority: PRIORITIES[round % 3] }),
  );
}

const QUERY = `query($asOf: Int) { contexts(first: 50, asOf: $asOf) { edges { node { id version text status } } } }`;

/** Times the variants round-robin (one run of each in turn), so load and warm-up fall on all of them alike. */
function timeAll(server: BenchServer, key: string, variants: Record<string, number | null>) {
  const run = (asOf: number | null) => () => server.call(key, QUERY, { asOf });
  return roundRobin(server, Object.fromEntries(Object.entries(variants).map(([name, asOf]) => [name, run(asOf)])), {
    runs: params.runs,
    warmup: 5,
  });
}

async function position(server: BenchServer, key: string): Promise<number> {
  const data = await server.call<{ seqAt: number }>(key, 'query($t: DateTime!) { seqAt(time: $t) }', { t: new Date().toISOString() });
  return data.seqAt;
}

async function main() {
  const server = await startBenchServer({ log });
  stopOnSignal(() => server.stop());
  try {
    const key = server.adminKey;
    const agentId = 'bench-writer';
    await server.call(key, `mutation { registerAgent(input: { id: "${agentId}", name: "writer" }) { apiKey } }`);
    await seed(server, key, agentId);
    const published = await position(server, key);
    log(`published ${params.n} contexts (seq ${published})`);
    for (let round = 1; round <= params.rounds; round++) {
      await update(server, key, round);
      log(`update round ${round} done`);
    }
    const now = await position(server, key);
    const loadBefore = machineLoad();
    const results = {
      params,
      versionsPerContext: params.rounds + 1,
      ms: await timeAll(server, key, { current: null, asOfNow: now, asOfFirstVersions: published }),
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
