/**
 * What isolation costs when hidden contexts crowd an index (issue 11): `crowd` contexts visible only to one agent read
 * like the task; one context the reader may read answers it. The reader's searchContext and contextFor go deeper into
 * the index (and past ROUTING_MAX_INDEX_DEPTH scan exactly) to find it; an uncrowded agent asking about something else
 * is the baseline. Found: whether the reader's answer came back (it must, every time).
 *
 *   npx tsx bench/routing/crowding.ts [--crowds 200,2000,10000] [--rounds 20] [--out bench/routing/results-crowding.json]
 *
 * Starts its own embedded Neo4j and app (harness.ts) on temp folders; times are client wall-clock over HTTP, sequential.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from './generate.js';
import { startBenchServer, stopOnSignal, type BenchServer } from './harness.js';
import { percentile } from './metrics.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = parseArgs(process.argv.slice(2));
const crowds = (args['crowds'] ?? '200,2000,10000').split(',').map(Number);
const rounds = Number(args['rounds'] ?? 20);
const outFile = args['out'] ?? path.join(here, 'results-crowding.json');
const log = (message: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`);
const r1 = (x: number) => Math.round(x * 10) / 10;

const REGISTER = `mutation($input: RegisterAgentInput!) { registerAgent(input: $input) { apiKey } }`;
const PUBLISH_MANY = `mutation($inputs: [PublishContextInput!]!) { publishContexts(inputs: $inputs) { id } }`;
const SEARCH = `query($q: String!, $agentId: ID) { searchContext(query: $q, agentId: $agentId, limit: 10) { context { id } } }`;
const PACKAGE = `query($agentId: ID!, $task: String) { contextFor(agentId: $agentId, task: $task) { items { context { id } } } }`;

async function register(server: BenchServer, id: string): Promise<string> {
  return (await server.call<{ registerAgent: { apiKey: string } }>(server.adminKey, REGISTER, { input: { id, name: id } })).registerAgent
    .apiKey;
}

/** Timed sequential calls; `found` says whether each answer held the expected id. */
async function timed(rounds: number, call: (round: number) => Promise<string[]>, expected: string | null) {
  const times: number[] = [];
  let found = 0;
  for (let round = 0; round < rounds; round += 1) {
    const started = performance.now();
    const ids = await call(round);
    times.push(performance.now() - started);
    if (expected === null || ids.includes(expected)) found += 1;
  }
  return { p50: r1(percentile(times, 50)), p95: r1(percentile(times, 95)), found: `${found}/${rounds}` };
}

async function main() {
  const results: Record<string, unknown>[] = [];
  for (const crowd of crowds) {
    const server = await startBenchServer({ log, env: { LOG_LEVEL: 'warn' } });
    stopOnSignal(() => server.stop());
    try {
      const hiderKey = await register(server, 'hider');
      const readerKey = await register(server, 'reader');
      const writerKey = await register(server, 'writer');
      const bystanderKey = await register(server, 'bystander');
      const started = performance.now();
      for (let start = 0; start < crowd; start += 500) {
        const inputs = Array.from({ length: Math.min(500, crowd - start) }, (_, i) => ({
          type: 'FINDING',
          text: `redis cache eviction policy ${start + i}`,
          visibleTo: ['hider'],
        }));
        await server.call(hiderKey, PUBLISH_MANY, { inputs });
      }
      // Unrelated public contexts for the bystander's baseline questions.
      await server.call(writerKey, PUBLISH_MANY, {
        inputs: Array.from({ length: 200 }, (_, i) => ({ type: 'FINDING', text: `The espresso machine launch slipped to week ${i}` })),
      });
      const answer = await server.call<{ publishContexts: { id: string }[] }>(writerKey, PUBLISH_MANY, {
        inputs: [{ type: 'FINDING', text: 'Our Redis cache evicts with allkeys-lru since the March incident', visibleTo: ['reader'] }],
      });
      const answerId = answer.publishContexts[0]?.id ?? '';
      log(`crowd ${crowd}: published in ${r1((performance.now() - started) / 1000)} s`);
      // Distinct tasks (no cache hits): the question with a round number.
      const ask = (key: string, agentId: string, q: string) => async (round: number) => [
        ...(
          await server.call<{ searchContext: { context: { id: string } }[] }>(key, SEARCH, { q: `${q} ${round}`, agentId })
        ).searchContext.map((hit) => hit.context.id),
      ];
      const route = (key: string, agentId: string, task: string) => async (round: number) =>
        (
          await server.call<{ contextFor: { items: { context: { id: string } }[] } }>(key, PACKAGE, { agentId, task: `${task} ${round}` })
        ).contextFor.items.map((item) => item.context.id);
      await timed(3, route(bystanderKey, 'bystander', 'warm up the espresso launch'), null);
      const row = {
        crowd,
        searchCrowded: await timed(rounds, ask(readerKey, 'reader', 'redis cache eviction policy'), answerId),
        searchBaseline: await timed(rounds, ask(bystanderKey, 'bystander', 'espresso machine launch'), null),
        contextForCrowded: await timed(rounds, route(readerKey, 'reader', 'redis cache eviction policy'), answerId),
        contextForBaseline: await timed(rounds, route(bystanderKey, 'bystander', 'espresso machine launch'), null),
      };
      log(JSON.stringify(row));
      results.push(row);
    } finally {
      await server.stop();
    }
  }
  const report = { bench: 'routing/crowding', machine: { cpus: os.cpus().length, node: process.version }, rounds, results };
  writeFileSync(outFile, `${JSON.stringify(report, null, 2)}\n`);
  console.log(JSON.stringify(report));
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
