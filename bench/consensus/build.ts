/**
 * buildConsensus over 1,000 findings: on one claim (the inputs read by the claim index, weighed, and a CONSENSUS
 * context published that depends on all of them), and grouped by similarity (1,000 claimless findings of one
 * workflow, embeddings read and clustered greedily at 0.8).
 *
 *   npx tsx bench/consensus/build.ts [--findings 1000] [--rounds 10] [--warmup 2] [--out bench/consensus/results.json]
 *
 * Starts its own embedded Neo4j and app (bench/routing/harness.ts) on temp folders and stops them at the end.
 * Times are wall-clock of the whole GraphQL request, measured by the client in the same process.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createRng, parseArgs } from '../routing/generate.js';
import { startBenchServer, stopOnSignal } from '../routing/harness.js';
import { percentile } from '../routing/metrics.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = parseArgs(process.argv.slice(2));
const params = {
  findings: Number(args['findings'] ?? 1000),
  rounds: Number(args['rounds'] ?? 10),
  warmup: Number(args['warmup'] ?? 2),
  agents: 20,
  seed: 1,
};
const outFile = args['out'] ?? path.join(here, 'results.json');
const log = (message: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`);
const r1 = (x: number) => Math.round(x * 10) / 10;
const random = createRng(params.seed).next;

const TOPICS = [
  'the espresso machine launch date',
  'quarterly revenue growth',
  'the supplier in Milan',
  'customer churn in the enterprise tier',
  'the marketing budget for spring',
];
const POSITIONS = ['up', 'down', 'flat'];

const BUILD = `mutation($claim: String, $groupBy: ConsensusGrouping, $workflowId: ID, $minimumAgreement: Float) {
  buildConsensus(claim: $claim, groupBy: $groupBy, workflowId: $workflowId, minimumAgreement: $minimumAgreement) {
    agreement position groupedBy groups { selected } consensus { id } conflict { id } } }`;

async function main() {
  const server = await startBenchServer({ log, env: { LOG_LEVEL: 'warn' } });
  stopOnSignal(() => server.stop());
  try {
    const keys: string[] = [];
    for (let i = 0; i < params.agents; i += 1) {
      const data = await server.call<{ registerAgent: { apiKey: string } }>(
        server.adminKey,
        `mutation($input: RegisterAgentInput!) { registerAgent(input: $input) { apiKey } }`,
        { input: { id: `analyst-${i}`, name: `Analyst ${i}` } },
      );
      keys.push(data.registerAgent.apiKey);
    }
    const caller = keys[0] ?? '';
    const publishStarted = performance.now();
    await publish(server, keys, (i) => ({
      type: 'FINDING',
      text: `Finding ${i}: revenue is ${POSITIONS[i % 3]} this quarter`,
      claim: 'revenue_trend',
      position: random() < 0.7 ? 'up' : (POSITIONS[1 + Math.floor(random() * 2)] ?? 'down'),
      confidence: Math.round((0.3 + random() * 0.7) * 100) / 100,
    }));
    await publish(server, keys, (i) => ({
      type: 'FINDING',
      text: `Observation ${i} about ${TOPICS[i % TOPICS.length]}: ${i % 2 === 0 ? 'it looks on track' : 'it needs attention'}`,
      position: i % 2 === 0 ? 'on track' : 'needs attention',
      confidence: Math.round((0.3 + random() * 0.7) * 100) / 100,
      workflowId: 'claimless',
    }));
    log(`published ${2 * params.findings} findings in ${r1((performance.now() - publishStarted) / 1000)} s`);

    const measure = async (name: string, variables: Record<string, unknown>) => {
      const times: number[] = [];
      let last: unknown = null;
      for (let round = 0; round < params.warmup + params.rounds; round += 1) {
        const t0 = performance.now();
        last = await server.call(caller, BUILD, variables);
        if (round >= params.warmup) times.push(performance.now() - t0);
      }
      const result = { p50: r1(percentile(times, 50)), p95: r1(percentile(times, 95)), max: r1(Math.max(...times)), last };
      log(`${name}: p50 ${result.p50} ms, p95 ${result.p95} ms`);
      return result;
    };
    const byClaim = await measure('claim (publishes a CONSENSUS on 1,000 inputs)', { claim: 'revenue_trend', minimumAgreement: 0 });
    const byClaimConflict = await measure('claim, below the bar (records a conflict)', { claim: 'revenue_trend', minimumAgreement: 1 });
    const bySimilarity = await measure('similarity over 1,000 claimless findings', {
      groupBy: 'SIMILARITY',
      workflowId: 'claimless',
      minimumAgreement: 1,
    });
    const results = {
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? 'unknown', memoryGb: Math.round(os.totalmem() / 2 ** 30) },
      date: new Date().toISOString(),
      params,
      claim: byClaim,
      claimBelowBar: byClaimConflict,
      similarity: bySimilarity,
    };
    writeFileSync(outFile, JSON.stringify(results, null, 2) + '\n');
    log(`wrote ${outFile}`);
  } finally {
    await server.stop();
  }
}

async function publish(
  server: Awaited<ReturnType<typeof startBenchServer>>,
  keys: readonly string[],
  make: (i: number) => Record<string, unknown>,
) {
  const batch = 100;
  for (let start = 0; start < params.findings; start += batch) {
    const key = keys[(start / batch) % keys.length] ?? '';
    const inputs = Array.from({ length: Math.min(batch, params.findings - start) }, (_, k) => make(start + k));
    await server.call(key, `mutation($inputs: [PublishContextInput!]!) { publishContexts(inputs: $inputs) { id } }`, { inputs });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(2);
});
