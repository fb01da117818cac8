/**
 * Routing latency and throughput: publish N contexts, then K concurrent agents issue `contextFor` and
 * `searchContext` with varied (never repeated) tasks; then identical requests, to show the cache and
 * request coalescing.
 *
 *   npx tsx bench/routing/latency.ts [--n 10000] [--seed 7] [--concurrency 8,32] [--requests 300]
 *        [--budget 4000] [--search-limit 20] [--repeat 50] [--out file.json]
 *   npx tsx bench/routing/latency.ts --n 100000       (publishing alone takes a while: see the log)
 *
 * Per phase (operation × concurrency): p50/p95/p99 latency (nearest rank, client side, ms),
 * requests/s, Cypher statements per request (every statement the app's executor sends during the
 * phase ÷ requests, via `RunningApp.executor.onQuery`), and, for contextFor, the mean server-side
 * `timings` (embedding/database/ranking/packing) and how many responses said `cached`.
 * Client and server share this process and its 2 cores: latencies include the client's overhead.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateScenario, parseArgs } from './generate.js';
import { introspect, publishAll, registerAgents, startBenchServer, stopOnSignal, type BenchServer } from './harness.js';
import { mean, percentile } from './metrics.js';
import { taskSupply, type TaskRequest as Request } from './tasks.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = parseArgs(process.argv.slice(2));
const n = Number(args['n'] ?? 10000);
const seed = Number(args['seed'] ?? 7);
const concurrencies = (args['concurrency'] ?? '8,32').split(',').map(Number);
const requests = Number(args['requests'] ?? 300);
const budget = Number(args['budget'] ?? 4000);
const searchLimit = Number(args['search-limit'] ?? 20);
const repeat = Number(args['repeat'] ?? 50);
const outFile = args['out'] ?? path.join(here, 'results-latency.json');

const log = (message: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`);
const round = (x: number) => Math.round(x * 10) / 10;

const CONTEXT_FOR = (extra: string) => `
  query($agentId: ID!, $task: String!, $budget: Int) {
    contextFor(agentId: $agentId, task: $task, budget: $budget) {
      items { context { id } score } tokens ${extra}
    }
  }`;
const SEARCH = `query($query: String!, $agentId: ID, $limit: Int) { searchContext(query: $query, agentId: $agentId, limit: $limit) { context { id } score } }`;

interface PhaseResult {
  operation: string;
  concurrency: number;
  requests: number;
  errors: number;
  wallMs: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p95: number; p99: number; mean: number; max: number };
  statementsPerRequest: number;
  statementsByName: Record<string, number>;
  cachedResponses?: number;
  meanTimingsMs?: Record<string, number>;
}

async function main() {
  const genStarted = Date.now();
  const scenario = generateScenario({ n, seed, queriesPerTemplate: 1 });
  log(`generated ${scenario.contexts.length} contexts in ${Date.now() - genStarted} ms`);

  const server = await startBenchServer({ log });
  stopOnSignal(server.stop);
  try {
    const schema = await introspect(server, ['ContextPackage']);
    const hasContextFor = schema.queries.has('contextFor');
    const hasSearch = schema.queries.has('searchContext');
    const pkgFields = schema.fields.get('ContextPackage') ?? new Set<string>();
    const extra = [
      pkgFields.has('cached') ? 'cached' : '',
      pkgFields.has('timings') ? 'timings { embeddingMs databaseMs rankingMs packingMs totalMs }' : '',
    ].join(' ');
    log(
      `API: contextFor ${hasContextFor}, searchContext ${hasSearch}, cached ${pkgFields.has('cached')}, timings ${pkgFields.has('timings')}`,
    );

    const keys = await registerAgents(server, scenario);
    // Everything is published live (no expiry, no retraction): this run measures speed, not filtering.
    const publish = await publishAll(server, scenario.contexts, {
      progress: (done, ms) => {
        if (done % 5000 === 0 || done === scenario.contexts.length)
          log(`published ${done} in ${ms} ms (${Math.round((done / ms) * 1000)}/s)`);
      },
    });
    log(
      `publish: ${publish.perSecond} contexts/s over ${publish.batches} batches of ≤500 (p50 ${publish.batchMs.p50} ms, max ${publish.batchMs.max} ms)`,
    );

    const phases: PhaseResult[] = [];
    const cache: Record<string, unknown> = {};
    if (!hasContextFor && !hasSearch) {
      console.error('The server has no contextFor/searchContext yet (schema/routing.graphql + resolvers): only publishing was measured.');
    } else {
      const supply = taskSupply();
      const nextRequest = () => supply.next().value as Request;
      const ops: Record<string, (r: Request) => Promise<Record<string, unknown>>> = {};
      if (hasContextFor) {
        ops['contextFor'] = async (r) =>
          (await server.call<{ contextFor: Record<string, unknown> }>(keys.get(r.agentId) as string, CONTEXT_FOR(extra), { ...r, budget }))
            .contextFor;
      }
      if (hasSearch) {
        ops['searchContext'] = async (r) =>
          server.call<Record<string, unknown>>(keys.get(r.agentId) as string, SEARCH, {
            query: r.task,
            agentId: r.agentId,
            limit: searchLimit,
          });
      }
      // Warm-up: JIT, connection pools, the embedding worker.
      for (const op of Object.values(ops)) await runPhase(server, 'warm-up', op, 4, 20, nextRequest);
      for (const concurrency of concurrencies) {
        for (const [name, op] of Object.entries(ops)) {
          const result = await runPhase(server, name, op, concurrency, requests, nextRequest);
          phases.push(result);
          log(
            `${name} ×${concurrency}: p50 ${result.latencyMs.p50} ms, p95 ${result.latencyMs.p95}, p99 ${result.latencyMs.p99}, ` +
              `${result.requestsPerSecond} req/s, ${result.statementsPerRequest} statements/request` +
              (result.errors ? `, ${result.errors} errors` : ''),
          );
        }
      }
      // Identical requests: the first is a miss, the rest should be cache hits (until something is published).
      for (const [name, op] of Object.entries(ops)) {
        const same = nextRequest();
        const miss = await runPhase(server, `${name} miss`, op, 1, 1, () => same);
        const hits = await runPhase(server, `${name} repeat`, op, 1, repeat, () => same);
        const fresh = nextRequest();
        const burstSize = Math.max(...concurrencies);
        const burst = await runPhase(server, `${name} burst`, op, burstSize, burstSize, () => fresh);
        cache[name] = { miss, sequentialRepeats: hits, identicalBurst: burst };
        log(
          `${name} identical: miss ${miss.latencyMs.p50} ms (${miss.statementsPerRequest} statements); ` +
            `${repeat} repeats p50 ${hits.latencyMs.p50} ms, p95 ${hits.latencyMs.p95} ms, ${hits.statementsPerRequest} statements/request` +
            (hits.cachedResponses !== undefined ? `, ${hits.cachedResponses} cached` : '') +
            `; burst of ${burstSize} identical: wall ${burst.wallMs} ms, ${burst.statementsPerRequest} statements/request`,
        );
      }
    }

    writeFileSync(
      outFile,
      JSON.stringify(
        {
          date: new Date().toISOString(),
          machine: {
            cores: os.cpus().length,
            cpu: os.cpus()[0]?.model ?? 'unknown',
            memGiB: Math.round(os.totalmem() / 2 ** 30),
            node: process.version,
          },
          parameters: { n, seed, concurrencies, requests, budget, searchLimit, repeat },
          api: { contextFor: hasContextFor, searchContext: hasSearch, fields: [...pkgFields] },
          publish,
          phases,
          cache,
          rssMb: Math.round(process.memoryUsage().rss / 2 ** 20),
        },
        null,
        1,
      ),
    );
    log(`wrote ${outFile}`);
  } finally {
    await server.stop();
  }
}

async function runPhase(
  server: BenchServer,
  operation: string,
  op: (r: Request) => Promise<Record<string, unknown>>,
  concurrency: number,
  total: number,
  nextRequest: () => Request,
): Promise<PhaseResult> {
  const byName: Record<string, number> = {};
  let statements = 0;
  const unsubscribe = server.app.executor.onQuery(({ name }) => {
    statements += 1;
    byName[name] = (byName[name] ?? 0) + 1;
  });
  const latencies: number[] = [];
  const timings: Record<string, number>[] = [];
  let cached = 0;
  let sawCached = false;
  let errors = 0;
  let issued = 0;
  const started = performance.now();
  const worker = async () => {
    while (issued < total) {
      issued += 1;
      const request = nextRequest();
      const t0 = performance.now();
      try {
        const result = await op(request);
        latencies.push(performance.now() - t0);
        if (typeof result['cached'] === 'boolean') {
          sawCached = true;
          if (result['cached']) cached += 1;
        }
        if (result['timings']) timings.push(result['timings'] as Record<string, number>);
      } catch (error) {
        errors += 1;
        if (errors <= 3) console.error(`${operation}: ${(error as Error).message.slice(0, 300)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const wallMs = performance.now() - started;
  unsubscribe();
  const done = latencies.length + errors;
  return {
    operation,
    concurrency,
    requests: done,
    errors,
    wallMs: round(wallMs),
    requestsPerSecond: round((latencies.length / wallMs) * 1000),
    latencyMs: {
      p50: round(percentile(latencies, 50)),
      p95: round(percentile(latencies, 95)),
      p99: round(percentile(latencies, 99)),
      mean: round(mean(latencies)),
      max: round(Math.max(0, ...latencies)),
    },
    statementsPerRequest: round(statements / Math.max(1, done)),
    statementsByName: byName,
    ...(sawCached ? { cachedResponses: cached } : {}),
    ...(timings.length > 0
      ? { meanTimingsMs: Object.fromEntries(Object.keys(timings[0] as object).map((k) => [k, round(mean(timings.map((t) => t[k] ?? 0)))])) }
      : {}),
  };
}

await main();
process.exit(0);
