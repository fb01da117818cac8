/**
 * Routing quality: how well `contextFor` and `searchContext` rank what an agent needs for a task,
 * against two baselines, on the generated scenario (see generate.ts for the relevance rules).
 *
 *   npx tsx bench/routing/quality.ts [--n 3000] [--seed 42] [--scenario file.json] [--budget 4000]
 *        [--budgets 500,1000,2000] [--threshold 0.3] [--expiry-seconds 20] [--search-limit 20] [--out file.json]
 *        [--variants "semantic=1;explicit=0.05"]   (ROUTING_WEIGHTS values to compare on the same data)
 *
 * Steps: generate (or load) the scenario; embed every text and task with the default local model for
 * the vector baseline; start an embedded Neo4j and the app on temp folders; register the agents; publish
 * in seq order in batches of 500 (dependencies first); publish the `expiring` items last with an
 * expiration `--expiry-seconds` after their batch is sent, then wait until it has passed (expiration must
 * be in the future when published); retract the `retracted` items with `retractContext`; then per query:
 *   contextFor    items sorted by score desc (the response is in reading order), budget `--budget`
 *                 (default 4000, large enough that ranking, not packing, is measured); also the package
 *                 recall (every item, and items + compressed originals) at that and at `--budgets`.
 *   searchContext hybrid hits in rank order, limit `--search-limit`.
 *   vector-only   cosine of MiniLM embeddings (computed here) over the agent's visible ACTIVE contexts.
 *   recency-only  the agent's visible ACTIVE contexts, newest published first.
 * Baselines get status and visibility filtering for free (it is not what they are compared on); the API
 * methods are checked for returning retracted/expired (`stale`) or invisible (`leaked`) contexts.
 * With --variants, each ROUTING_WEIGHTS value gets its own app instance over the same Neo4j (same data,
 * agents and keys) and is measured as method `contextFor#<1-based index>`.
 * Prints nDCG@10, recall@20 (grade ≥ 2), MRR (first grade 3) per method, writes results-quality.json.
 * Exits 2, after the baselines, when the server has no contextFor/searchContext yet.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEmbeddingProvider } from '../../src/adapters/embeddings/index.js';
import {
  generateScenario,
  isVisibleTo,
  parseArgs,
  type Scenario,
  type ScenarioContext,
  type ScenarioQuery,
  scenarioStats,
} from './generate.js';
import { type BenchClient, introspect, publishAll, registerAgents, retractAll, sleep, startBenchServer, stopOnSignal } from './harness.js';
import { type GroupOf, idealRecallAt, mean, ndcgAt, reciprocalRank, recallAt, setRecall } from './metrics.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = parseArgs(process.argv.slice(2));
const n = Number(args['n'] ?? 3000);
const seed = Number(args['seed'] ?? 42);
const budget = Number(args['budget'] ?? 4000);
const extraBudgets = (args['budgets'] ?? '500,1000,2000')
  .split(',')
  .filter(Boolean)
  .map(Number)
  .filter((b) => b !== budget);
const threshold = args['threshold'] !== undefined ? Number(args['threshold']) : undefined;
const expirySeconds = Number(args['expiry-seconds'] ?? 20);
const searchLimit = Number(args['search-limit'] ?? 20);
const outFile = args['out'] ?? path.join(here, 'results-quality.json');
/** Server settings to compare, `;`-separated ROUTING_WEIGHTS values, each run on an extra app over the same data. */
const variants = (args['variants'] ?? '')
  .split(';')
  .map((v) => v.trim())
  .filter(Boolean);
/** Short method name of a --variants entry (the weights are listed in the output). */
const variantName = (i: number) => `contextFor#${i + 1}`;
const K_NDCG = 10;
const K_RECALL = 20;

const log = (message: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`);

function loadScenario(): Scenario {
  if (args['scenario']) return JSON.parse(readFileSync(args['scenario'], 'utf8')) as Scenario;
  return generateScenario({ n, seed });
}

interface MethodRun {
  ranked: string[];
  /** For contextFor: every id in the package (items + compressed originals). */
  extra?: Record<string, unknown>;
}

interface QueryResult {
  query: string;
  agentId: string;
  task: string;
  relevant: number;
  methods: Record<string, { ndcg10: number; recall20: number; rr: number; stale: number; leaked: number; returned: number }>;
  contextFor?: {
    items: number;
    tokens: number;
    packageRecall: number;
    packageRecallWithCompressed: number;
    compressed: number;
    dropped: Record<string, number>;
    budgets: Record<string, { items: number; tokens: number; packageRecall: number; packageRecallWithCompressed: number }>;
    timings?: Record<string, number>;
    top5: { id: string; grade: number; score: number; reasons: Record<string, number> }[];
  };
}

function cosine(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i += 1) {
    const x = a[i] as number;
    const y = b[i] as number;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return dot / (Math.sqrt(na * nb) || 1);
}

const CONTEXT_FOR = (withTimings: boolean) => `
  query($agentId: ID!, $task: String!, $budget: Int) {
    contextFor(agentId: $agentId, task: $task, budget: $budget) {
      items { context { id } score tokens reasons { semantic dependency needs explicit confidence recency } }
      tokens budget
      compressed { originalContextIds tokens }
      dropped { contextId reason }
      ${withTimings ? 'timings { embeddingMs databaseMs rankingMs packingMs totalMs }' : ''}
    }
  }`;

interface PackageResponse {
  contextFor: {
    items: { context: { id: string }; score: number; tokens: number; reasons: Record<string, number> }[];
    tokens: number;
    budget: number;
    compressed: { originalContextIds: string[]; tokens: number } | null;
    dropped: { contextId: string; reason: string }[];
    timings?: Record<string, number>;
  };
}

const SEARCH = `query($query: String!, $agentId: ID, $limit: Int) { searchContext(query: $query, agentId: $agentId, limit: $limit) { context { id } score } }`;

async function main() {
  const scenario = loadScenario();
  const stats = scenarioStats(scenario);
  log(`scenario: ${JSON.stringify(stats)}`);
  const byId = new Map(scenario.contexts.map((c) => [c.id, c]));
  const groupOf: GroupOf = (id) => byId.get(id)?.truth.group ?? id;

  // Vector baseline embeddings, before the server starts (so the two do not compete for the CPU).
  let started = Date.now();
  const embedder = await createEmbeddingProvider({ provider: 'local' });
  const contextVectors = new Map<string, number[]>();
  const texts = scenario.contexts.map((c) => c.text);
  for (let i = 0; i < texts.length; i += 256) {
    const vectors = await embedder.embed(texts.slice(i, i + 256));
    vectors.forEach((v, j) => contextVectors.set((scenario.contexts[i + j] as ScenarioContext).id, v));
  }
  const taskVectors = await embedder.embed(scenario.queries.map((q) => q.task));
  await embedder.close();
  log(`embedded ${texts.length} contexts + ${scenario.queries.length} tasks (${embedder.modelId}) in ${Date.now() - started} ms`);

  started = Date.now();
  const server = await startBenchServer({ log });
  stopOnSignal(server.stop);
  let exitCode = 0;
  try {
    const schema = await introspect(server, ['ContextPackage']);
    const hasContextFor = schema.queries.has('contextFor');
    const hasSearch = schema.queries.has('searchContext');
    const hasTimings = schema.fields.get('ContextPackage')?.has('timings') ?? false;
    log(
      `API: contextFor ${hasContextFor ? 'present' : 'MISSING'}, searchContext ${hasSearch ? 'present' : 'MISSING'}, timings ${hasTimings}`,
    );

    const keys = await registerAgents(server, scenario, threshold);
    const active = scenario.contexts.filter((c) => c.truth.lifecycle !== 'expiring');
    const expiring = scenario.contexts.filter((c) => c.truth.lifecycle === 'expiring');
    let latestExpiry = 0;
    const publish = await publishAll(server, [...active, ...expiring], {
      expiration: (c) => {
        if (c.truth.lifecycle !== 'expiring') return undefined;
        const at = Date.now() + expirySeconds * 1000;
        latestExpiry = Math.max(latestExpiry, at);
        return new Date(at).toISOString();
      },
      progress: (done, ms) => {
        if (done % 1000 === 0 || done === scenario.contexts.length) log(`published ${done} in ${ms} ms`);
      },
    });
    log(
      `published ${publish.contexts} contexts: ${publish.perSecond}/s (batch p50 ${publish.batchMs.p50} ms, max ${publish.batchMs.max} ms)`,
    );
    const retracted = scenario.contexts.filter((c) => c.truth.lifecycle === 'retracted').map((c) => c.id);
    await retractAll(server, retracted);
    log(`retracted ${retracted.length}`);
    const wait = latestExpiry + 1000 - Date.now();
    if (wait > 0) {
      log(`waiting ${Math.ceil(wait / 1000)} s for ${expiring.length} items to expire`);
      await sleep(wait);
    }
    await sanityCheck(server, scenario);

    const methods = [
      'contextFor',
      ...variants.map((_, i) => variantName(i)),
      'searchContext',
      'searchContext-weighted',
      'vector-only',
      'recency-only',
    ];
    const allRuns: Record<string, MethodRun>[] = [];
    const packages: QueryResult['contextFor'][] = [];
    let apiError: string | null = null;
    for (const [qi, q] of scenario.queries.entries()) {
      const key = keys.get(q.agentId) as string;
      const visibleActive = scenario.contexts.filter((c) => c.truth.lifecycle === 'live' && isVisibleTo(c, q.agentId));
      const runs: Record<string, MethodRun> = {};
      let contextFor: QueryResult['contextFor'];

      if (hasContextFor && apiError === null) {
        try {
          const pkg = (await server.call<PackageResponse>(key, CONTEXT_FOR(hasTimings), { agentId: q.agentId, task: q.task, budget }))
            .contextFor;
          const byScore = [...pkg.items].sort((a, b) => b.score - a.score);
          const itemIds = pkg.items.map((i) => i.context.id);
          const compressedIds = pkg.compressed?.originalContextIds ?? [];
          const budgets: NonNullable<QueryResult['contextFor']>['budgets'] = {};
          for (const b of extraBudgets) {
            const small = (await server.call<PackageResponse>(key, CONTEXT_FOR(false), { agentId: q.agentId, task: q.task, budget: b }))
              .contextFor;
            const ids = small.items.map((i) => i.context.id);
            budgets[String(b)] = {
              items: ids.length,
              tokens: small.tokens,
              packageRecall: setRecall(ids, q.judgments, 2, groupOf),
              packageRecallWithCompressed: setRecall([...ids, ...(small.compressed?.originalContextIds ?? [])], q.judgments, 2, groupOf),
            };
          }
          const dropped: Record<string, number> = {};
          for (const d of pkg.dropped) dropped[d.reason] = (dropped[d.reason] ?? 0) + 1;
          runs['contextFor'] = { ranked: byScore.map((i) => i.context.id) };
          contextFor = {
            items: itemIds.length,
            tokens: pkg.tokens,
            packageRecall: setRecall(itemIds, q.judgments, 2, groupOf),
            packageRecallWithCompressed: setRecall([...itemIds, ...compressedIds], q.judgments, 2, groupOf),
            compressed: compressedIds.length,
            dropped,
            budgets,
            ...(pkg.timings ? { timings: pkg.timings } : {}),
            top5: byScore
              .slice(0, 5)
              .map((i) => ({ id: i.context.id, grade: q.judgments[i.context.id] ?? 0, score: i.score, reasons: i.reasons })),
          };
        } catch (error) {
          apiError = `contextFor failed: ${(error as Error).message}`;
          log(apiError);
        }
      }
      if (hasSearch && apiError === null) {
        try {
          const hits = (
            await server.call<{ searchContext: { context: { id: string }; score: number }[] }>(key, SEARCH, {
              query: q.task,
              agentId: q.agentId,
              limit: searchLimit,
            })
          ).searchContext;
          runs['searchContext'] = { ranked: hits.map((h) => h.context.id) };
        } catch (error) {
          apiError = `searchContext failed: ${(error as Error).message}`;
          log(apiError);
        }
      }
      const taskVector = taskVectors[qi] as number[];
      runs['vector-only'] = {
        ranked: visibleActive
          .map((c) => ({ id: c.id, s: cosine(taskVector, contextVectors.get(c.id) as number[]) }))
          .sort((a, b) => b.s - a.s)
          .slice(0, 100)
          .map((x) => x.id),
      };
      runs['recency-only'] = {
        ranked: [...visibleActive]
          .sort((a, b) => b.seq - a.seq)
          .slice(0, 100)
          .map((c) => c.id),
      };
      allRuns.push(runs);
      packages.push(contextFor);
    }
    for (const variant of hasContextFor && apiError === null ? variants : []) {
      const started = Date.now();
      const other = await server.startVariant({ ROUTING_WEIGHTS: variant });
      try {
        for (const [qi, q] of scenario.queries.entries()) {
          const pkg = (
            await other.call<PackageResponse>(keys.get(q.agentId) as string, CONTEXT_FOR(false), {
              agentId: q.agentId,
              task: q.task,
              budget,
            })
          ).contextFor;
          (allRuns[qi] as Record<string, MethodRun>)[variantName(variants.indexOf(variant))] = {
            ranked: [...pkg.items].sort((a, b) => b.score - a.score).map((i) => i.context.id),
          };
        }
      } finally {
        await other.stop();
      }
      log(`${variantName(variants.indexOf(variant))}: ROUTING_WEIGHTS=${variant} measured in ${Date.now() - started} ms`);
    }
    if (hasSearch && apiError === null) {
      // The other fusion of searchContext on the same data: SEARCH_FUSION=weighted (a weighted sum of normalised scores).
      const started = Date.now();
      const other = await server.startVariant({ SEARCH_FUSION: 'weighted' });
      try {
        for (const [qi, q] of scenario.queries.entries()) {
          const hits = (
            await other.call<{ searchContext: { context: { id: string }; score: number }[] }>(keys.get(q.agentId) as string, SEARCH, {
              query: q.task,
              agentId: q.agentId,
              limit: searchLimit,
            })
          ).searchContext;
          (allRuns[qi] as Record<string, MethodRun>)['searchContext-weighted'] = { ranked: hits.map((h) => h.context.id) };
        }
      } finally {
        await other.stop();
      }
      log(`searchContext-weighted: SEARCH_FUSION=weighted measured in ${Date.now() - started} ms`);
    }
    const results = scenario.queries.map((q, qi) => scoreQuery(q, allRuns[qi] as Record<string, MethodRun>, byId, groupOf, packages[qi]));

    const summary = summarise(results, methods, scenario.queries, groupOf);
    printSummary(summary, results);
    const hasApi = hasContextFor && hasSearch && apiError === null;
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
          parameters: {
            variantNames: Object.fromEntries(variants.map((v, k) => [variantName(k), v])),
            n: scenario.n,
            seed: scenario.seed,
            budget,
            extraBudgets,
            threshold: threshold ?? 'agent default',
            expirySeconds,
            searchLimit,
            variants,
          },
          scenario: stats,
          api: { contextFor: hasContextFor, searchContext: hasSearch, timings: hasTimings, error: apiError },
          publish,
          summary,
          perQuery: results,
        },
        null,
        1,
      ),
    );
    log(`wrote ${outFile}`);
    if (!hasApi) {
      console.error(
        apiError ??
          `\nThe server has no ${[hasContextFor ? null : 'contextFor', hasSearch ? null : 'searchContext'].filter(Boolean).join(' / ')} query yet ` +
            '(schema/routing.graphql + resolvers): only the baselines were measured. Generation, publishing, retraction and expiry worked.',
      );
      exitCode = 2;
    }
  } finally {
    await server.stop();
  }
  process.exit(exitCode);
}

/** Confirms the server sees retracted and expired items as such before measuring. */
async function sanityCheck(server: BenchClient, scenario: Scenario) {
  const sample = (lifecycle: string) => scenario.contexts.find((c) => c.truth.lifecycle === lifecycle);
  for (const [lifecycle, status] of [
    ['retracted', 'RETRACTED'],
    ['expiring', 'EXPIRED'],
    ['live', 'ACTIVE'],
  ] as const) {
    const c = sample(lifecycle);
    if (!c) continue;
    const data = await server.call<{ context: { status: string } | null }>(
      server.adminKey,
      `query($id: ID!) { context(id: $id) { status } }`,
      {
        id: c.id,
      },
    );
    if (data.context?.status !== status)
      throw new Error(`sanity check: ${c.id} (${lifecycle}) has status ${data.context?.status}, expected ${status}`);
  }
}

function scoreQuery(
  q: ScenarioQuery,
  runs: Record<string, MethodRun>,
  byId: Map<string, ScenarioContext>,
  groupOf: GroupOf,
  contextFor: QueryResult['contextFor'],
): QueryResult {
  const methods: QueryResult['methods'] = {};
  for (const [name, run] of Object.entries(runs)) {
    const returned = run.ranked;
    methods[name] = {
      ndcg10: ndcgAt(returned, q.judgments, K_NDCG, groupOf),
      recall20: recallAt(returned, q.judgments, K_RECALL, 2, groupOf),
      rr: reciprocalRank(returned, q.judgments, 3, groupOf),
      stale: returned.filter((id) => byId.get(id)?.truth.lifecycle !== 'live').length,
      leaked: returned.filter((id) => {
        const c = byId.get(id);
        return !c || !isVisibleTo(c, q.agentId);
      }).length,
      returned: returned.length,
    };
  }
  const relevant = new Set(
    Object.entries(q.judgments)
      .filter(([, g]) => g >= 2)
      .map(([id]) => groupOf(id)),
  ).size;
  return { query: q.id, agentId: q.agentId, task: q.task, relevant, methods, ...(contextFor ? { contextFor } : {}) };
}

function summarise(results: QueryResult[], methods: string[], queries: ScenarioQuery[], groupOf: GroupOf) {
  const round = (x: number) => Math.round(x * 1000) / 1000;
  const perMethod: Record<string, Record<string, number>> = {};
  for (const m of methods) {
    const rows = results.map((r) => r.methods[m]).filter((x): x is NonNullable<typeof x> => x !== undefined);
    if (rows.length === 0) continue;
    perMethod[m] = {
      queries: rows.length,
      ndcg10: round(mean(rows.map((r) => r.ndcg10))),
      recall20: round(mean(rows.map((r) => r.recall20))),
      mrr: round(mean(rows.map((r) => r.rr))),
      staleReturned: rows.reduce((s, r) => s + r.stale, 0),
      leakedReturned: rows.reduce((s, r) => s + r.leaked, 0),
      meanReturned: round(mean(rows.map((r) => r.returned))),
    };
  }
  perMethod['ideal'] = {
    queries: queries.length,
    ndcg10: 1,
    recall20: round(mean(queries.map((q) => idealRecallAt(q.judgments, K_RECALL, 2, groupOf)))),
    mrr: 1,
    staleReturned: 0,
    leakedReturned: 0,
    meanReturned: 0,
  };
  const perAgent: Record<string, Record<string, number>> = {};
  for (const agent of new Set(results.map((r) => r.agentId))) {
    const rows = results.filter((r) => r.agentId === agent);
    perAgent[agent] = {};
    for (const m of methods) {
      const values = rows.map((r) => r.methods[m]?.ndcg10).filter((x): x is number => x !== undefined);
      if (values.length > 0) (perAgent[agent] as Record<string, number>)[m] = round(mean(values));
    }
  }
  const cf = results.map((r) => r.contextFor).filter((x): x is NonNullable<typeof x> => x !== undefined);
  const packages =
    cf.length === 0
      ? null
      : {
          budget,
          meanItems: round(mean(cf.map((c) => c.items))),
          meanTokens: round(mean(cf.map((c) => c.tokens))),
          packageRecall: round(mean(cf.map((c) => c.packageRecall))),
          packageRecallWithCompressed: round(mean(cf.map((c) => c.packageRecallWithCompressed))),
          meanCompressed: round(mean(cf.map((c) => c.compressed))),
          meanDropped: Object.fromEntries(
            [...new Set(cf.flatMap((c) => Object.keys(c.dropped)))].map((reason) => [
              reason,
              round(mean(cf.map((c) => c.dropped[reason] ?? 0))),
            ]),
          ),
          byBudget: Object.fromEntries(
            extraBudgets.map((b) => [
              String(b),
              {
                meanItems: round(mean(cf.map((c) => c.budgets[String(b)]?.items ?? 0))),
                meanTokens: round(mean(cf.map((c) => c.budgets[String(b)]?.tokens ?? 0))),
                packageRecall: round(mean(cf.map((c) => c.budgets[String(b)]?.packageRecall ?? 0))),
                packageRecallWithCompressed: round(mean(cf.map((c) => c.budgets[String(b)]?.packageRecallWithCompressed ?? 0))),
              },
            ]),
          ),
          meanTimingsMs: cf[0]?.timings
            ? Object.fromEntries(Object.keys(cf[0].timings).map((k) => [k, round(mean(cf.map((c) => c.timings?.[k] ?? 0)))]))
            : null,
        };
  return { perMethod, perAgent, packages };
}

function printSummary(summary: ReturnType<typeof summarise>, results: QueryResult[]) {
  const pad = (s: string | number, w: number) => String(s).padEnd(w);
  const w = Math.max(15, ...Object.keys(summary.perMethod).map((m) => m.length + 2));
  console.log(
    `\n${pad('method', w)}${pad('nDCG@10', 9)}${pad('recall@20', 11)}${pad('MRR', 7)}${pad('stale', 7)}${pad('leaked', 8)}queries`,
  );
  for (const [m, r] of Object.entries(summary.perMethod)) {
    console.log(
      `${pad(m, w)}${pad((r['ndcg10'] ?? 0).toFixed(3), 9)}${pad((r['recall20'] ?? 0).toFixed(3), 11)}${pad((r['mrr'] ?? 0).toFixed(3), 7)}${pad(
        r['staleReturned'] ?? 0,
        7,
      )}${pad(r['leakedReturned'] ?? 0, 8)}${r['queries']}`,
    );
  }
  console.log(`(mean over queries; recall: grade ≥ 2; MRR: first grade 3; ideal recall@20 < 1 when a query has > 20 relevant groups)`);
  variants.forEach((v, k) => console.log(`${variantName(k)} = contextFor with ROUTING_WEIGHTS=${v}`));
  const methodNames = Object.keys(summary.perMethod).filter((m) => m !== 'ideal');
  const cw = Math.max(...methodNames.map((m) => m.length)) + 2;
  console.log(`\nnDCG@10 by agent:\n${pad('', 17)}${methodNames.map((m) => pad(m, cw)).join('')}`);
  for (const [agent, row] of Object.entries(summary.perAgent)) {
    console.log(`${pad(agent, 17)}${methodNames.map((m) => pad(row[m]?.toFixed(3) ?? '-', cw)).join('')}`);
  }
  if (summary.packages) console.log(`\ncontextFor packages: ${JSON.stringify(summary.packages)}`);
  console.log(`\nmean relevant (grade ≥ 2) groups per query: ${mean(results.map((r) => r.relevant)).toFixed(1)}`);
}

if (!existsSync(path.join(here, '..', '..', 'neo4j-local', 'pom.xml'))) throw new Error('run from the repository');
await main();
