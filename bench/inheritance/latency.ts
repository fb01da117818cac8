/**
 * Routing latency with inheritance rules (issue 9 "Measured"): a 3-level spawn tree against a flat agent, on the
 * routing benchmark's mesh of `--contexts` contexts, in one run.
 *
 *   npx tsx bench/inheritance/latency.ts [--contexts 10000] [--runs 80] [--warmup 5] [--seed 7] [--budget 4000]
 *        [--search-limit 20] [--out file.json]
 *
 * Agents, all with the writer's needs: `flat` (registered) and a tree `root` (registered) → `child` (spawned by the
 * root with `inherit` of the writer's five need tags) → `grandchild` (spawned by the child with `isolate` of one of
 * those tags and an `override` on a claim the data holds). FINDING and CONSTRAINT contexts carry a claim (their
 * topic and aspect), so the override shadows real contexts. The scope rule runs in Cypher (`VISIBLE`, fed
 * `$scopeRoot` / `$scopeLevels` by the executor's hook); before timing, every agent's whole `contexts` listing is
 * checked against the same rule in TypeScript (`readableInScope`), so the filters are known to cut what they should.
 *
 * Timed, client side (whole HTTP requests, one in flight), interleaved round-robin after warm-up rounds
 * (bench/history/shared.ts `roundRobin`): `contextFor` cache misses (a distinct task per round, the same task for
 * each agent of a round) for flat, child and grandchild; `contexts(first: 50)` and `searchContext` for flat and
 * grandchild. Per variant: p50/p95/mean, Cypher statements per request and mean ms per statement; for contextFor
 * also the items, candidates considered and server timings, and any item the rule should have hidden (must be 0).
 * Load averages at start and end: the machine (2 cores) is shared.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import neo4j from 'neo4j-driver';
import { CONTEXTS_PAGE } from '../../src/adapters/neo4j/statements/context-page.js';
import { readableInScope, flatScope, type AgentScope, type Readable } from '../../src/domain/visibility.js';
import { log, machineLoad, roundRobin, round1, type LatencyStats, type Variant } from '../history/shared.js';
import { generateScenario, parseArgs, type ScenarioContext } from '../routing/generate.js';
import { publishAll, registerAgents, startBenchServer, stopOnSignal, type BenchServer } from '../routing/harness.js';
import { mean, percentile } from '../routing/metrics.js';
import { taskSupply, type TaskRequest } from '../routing/tasks.js';
import { AGENTS, type AgentSpec } from '../routing/vocabulary.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = parseArgs(process.argv.slice(2));
const params = {
  contexts: Number(args['contexts'] ?? 10_000),
  seed: Number(args['seed'] ?? 7),
  runs: Number(args['runs'] ?? 80),
  warmup: Number(args['warmup'] ?? 5),
  budget: Number(args['budget'] ?? 4000),
  searchLimit: Number(args['search-limit'] ?? 20),
  profile: args['no-profile'] === undefined,
};
const outFile = args['out'] ?? path.join(here, 'results.json');

const writer = AGENTS.find((a) => a.id === 'writer') as AgentSpec;
/** The child takes from the root what the writer needs; the grandchild never reads SEO and has its own tone of voice. */
const INHERIT = [...writer.needs];
const ISOLATE = 'seo-keywords';
const OVERRIDE_CLAIM = 'brand_guidelines_tone_of_voice';
const OVERRIDE_TEXT = 'Tone of voice for this deliverable: plain, technical, no superlatives (override of the brand default).';
const ids = { flat: 'bench-flat', root: 'bench-root', child: 'bench-child', grandchild: 'bench-grandchild' } as const;

/** The claim a context answers: FINDING and CONSTRAINT contexts answer "what about this aspect" (normalised like a tag). */
const claimOf = (c: ScenarioContext): string | null =>
  c.type === 'FINDING' || c.type === 'CONSTRAINT' ? `${c.truth.topic}_${c.truth.aspect}`.replace(/-/g, '_') : null;

const scopes: Record<keyof typeof ids, AgentScope> = {
  flat: flatScope(ids.flat),
  root: flatScope(ids.root),
  child: { root: ids.root, levels: [{ agentId: ids.child, inherit: INHERIT, isolate: [], shadowedClaims: [] }] },
  grandchild: {
    root: ids.root,
    levels: [
      { agentId: ids.child, inherit: INHERIT, isolate: [], shadowedClaims: [] },
      { agentId: ids.grandchild, inherit: [], isolate: [ISOLATE], shadowedClaims: [OVERRIDE_CLAIM] },
    ],
  },
};

const SPAWN = `mutation($parentId: ID!, $input: SpawnAgentInput!) {
  spawnAgent(parentId: $parentId, input: $input) { agent { id parent { id } } apiKey } }`;
const CONTEXT_FOR = `query($agentId: ID!, $task: String!, $budget: Int) {
  contextFor(agentId: $agentId, task: $task, budget: $budget) {
    cached tokens items { context { id } } compressed { originalContextIds } dropped { contextId }
    timings { embeddingMs databaseMs rankingMs packingMs totalMs } } }`;
const PAGE = `query($first: Int!, $after: String) {
  contexts(first: $first, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } }`;
const SEARCH = `query($query: String!, $agentId: ID, $limit: Int) { searchContext(query: $query, agentId: $agentId, limit: $limit) { context { id } } }`;

interface Package {
  cached: boolean;
  tokens: number;
  items: { context: { id: string } }[];
  compressed: { originalContextIds: string[] } | null;
  dropped: { contextId: string }[];
  timings: Record<string, number>;
}

interface Tree {
  keys: Record<keyof typeof ids, string>;
  overrideId: string;
}

async function buildTree(server: BenchServer): Promise<Tree> {
  const registered = await registerAgents(server, {
    agents: [
      { ...writer, id: ids.flat, name: 'Flat writer' },
      { ...writer, id: ids.root, name: 'Lead writer (root)' },
    ],
  });
  const spawn = async (parent: keyof typeof ids, parentKey: string, input: Record<string, unknown>) => {
    const data = await server.call<{ spawnAgent: { agent: { id: string; parent: { id: string } | null }; apiKey: string } }>(
      parentKey,
      SPAWN,
      { parentId: ids[parent], input },
    );
    if (data.spawnAgent.agent.parent?.id !== ids[parent]) throw new Error(`spawned ${data.spawnAgent.agent.id} under the wrong parent`);
    return data.spawnAgent.apiKey;
  };
  const rootKey = registered.get(ids.root) as string;
  const childKey = await spawn('root', rootKey, { id: ids.child, name: 'Writer (inherits the need tags)', inherit: INHERIT });
  const grandchildKey = await spawn('child', childKey, {
    id: ids.grandchild,
    name: 'Writer (no SEO, own tone)',
    isolate: [ISOLATE],
    override: [{ claim: OVERRIDE_CLAIM, text: OVERRIDE_TEXT }],
  });
  const own = await listIds(server, grandchildKey);
  const overrideId = own[0] ?? '';
  return { keys: { flat: registered.get(ids.flat) as string, root: rootKey, child: childKey, grandchild: grandchildKey }, overrideId };
}

/** Every context id `key` may list, newest first (pages of 100, the most `contexts` serves). */
async function listIds(server: BenchServer, key: string): Promise<string[]> {
  const out: string[] = [];
  let after: string | null = null;
  for (;;) {
    type Page = { contexts: { edges: { node: { id: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } };
    const data: Page = await server.call<Page>(key, PAGE, { first: 100, after });
    out.push(...data.contexts.edges.map((e) => e.node.id));
    if (!data.contexts.pageInfo.hasNextPage) return out;
    after = data.contexts.pageInfo.endCursor;
  }
}

/**
 * Checks the server's listing of each agent against `readableInScope` over the scenario (plus the grandchild's
 * override): same ids, same order. Returns how many contexts each agent reads.
 */
async function checkScopes(server: BenchServer, tree: Tree, records: Map<string, Readable>, order: string[]) {
  const readable: Record<string, number> = {};
  const firstPage: Record<string, string[]> = {};
  for (const name of ['flat', 'child', 'grandchild'] as const) {
    const expected = order.filter((id) => readableInScope(scopes[name], records.get(id) as Readable)).reverse();
    const listed = await listIds(server, tree.keys[name]);
    const same = listed.length === expected.length && listed.every((id, i) => id === expected[i]);
    if (!same) {
      const missing = expected.filter((id) => !listed.includes(id)).slice(0, 5);
      const extra = listed.filter((id) => !expected.includes(id)).slice(0, 5);
      throw new Error(`${name} lists ${listed.length}, the rule says ${expected.length} (missing ${missing}, extra ${extra})`);
    }
    readable[name] = listed.length;
    firstPage[name] = listed.slice(0, 50);
  }
  return { readable, firstPage };
}

interface PlanNode {
  operatorType: string;
  arguments: Record<string, unknown>;
  dbHits: number;
  rows: number;
  children: PlanNode[];
}

const totalDbHits = (plan: PlanNode): number => plan.dbHits + plan.children.reduce((sum, child) => sum + totalDbHits(child), 0);

function renderPlan(plan: PlanNode, depth = 0): string[] {
  const details = String(plan.arguments['Details'] ?? '').replace(/\s+/g, ' ');
  const line = `${'  '.repeat(depth)}${plan.operatorType.split('@')[0]}  rows ${plan.rows}  dbHits ${plan.dbHits}  ${details.slice(0, 160)}`;
  return [line, ...plan.children.flatMap((child) => renderPlan(child, depth + 1))];
}

/**
 * PROFILE of the `contexts` page statement as the app sends it for flat and grandchild (the page parameters of
 * context-reads.ts `page`, the scope the executor's hook adds), checked against the first page the rule gives, then
 * the statement alone timed `runs` times per agent, alternating (driver, no GraphQL).
 */
async function profilePage(server: BenchServer, expectedFirst: Record<'flat' | 'grandchild', string[]>, runs: number) {
  const driver = neo4j.driver(server.app.neo4jUri, neo4j.auth.basic('neo4j', 'neo4j-local'), {
    disableLosslessIntegers: true,
    logging: { level: 'error', logger: () => undefined },
  });
  try {
    const paramsOf = (name: 'flat' | 'grandchild') => {
      const now = new Date().toISOString();
      const scope = scopes[name];
      return {
        ...{ isAdmin: false, viewerId: ids[name], scopeRoot: scope.root, scopeLevels: scope.levels },
        ...{ now, validAt: now, after: null, limit: 51, statuses: ['ACTIVE'], types: null, workflowIds: null, tags: null },
        ...{ sourceAgentIds: null, priorities: null, createdAfter: null, createdBefore: null },
      };
    };
    const out: Record<string, unknown> = {};
    for (const name of ['flat', 'grandchild'] as const) {
      const result = await driver.executeQuery(`PROFILE ${CONTEXTS_PAGE.cypher}`, paramsOf(name), { routing: neo4j.routing.READ });
      const plan = result.summary.profile as unknown as PlanNode;
      const got = result.records.map((record) => String((record.get('context') as { id: string }).id)).slice(0, 50);
      if (got.join() !== expectedFirst[name].join()) throw new Error(`profiled ${name} page differs from the rule's first page`);
      out[name] = { rows: result.records.length, dbHits: totalDbHits(plan), plan: renderPlan(plan) };
    }
    const ms: Record<string, number[]> = { flat: [], grandchild: [] };
    for (let i = 0; i < runs; i += 1) {
      for (const name of (i % 2 === 0 ? ['flat', 'grandchild'] : ['grandchild', 'flat']) as ('flat' | 'grandchild')[]) {
        const started = performance.now();
        await driver.executeQuery(CONTEXTS_PAGE.cypher, paramsOf(name), { routing: neo4j.routing.READ });
        ms[name]?.push(performance.now() - started);
      }
    }
    for (const [name, values] of Object.entries(ms)) {
      Object.assign(out[name] as object, { statementMs: { p50: round1(percentile(values, 50)), p95: round1(percentile(values, 95)) } });
    }
    return out;
  } finally {
    await driver.close();
  }
}

async function main() {
  const loadStart = machineLoad();
  const scenario = generateScenario({ n: params.contexts, seed: params.seed, queriesPerTemplate: 1 });
  const server = await startBenchServer({ log, env: { LOG_LEVEL: 'error' } });
  stopOnSignal(server.stop);
  try {
    await registerAgents(server, scenario);
    const publish = await publishAll(server, scenario.contexts, {
      extra: (c) => {
        const claim = claimOf(c);
        return claim ? { claim, position: c.truth.product ?? 'every product' } : {};
      },
      progress: (done, ms) => {
        if (done % 5000 === 0 || done === scenario.contexts.length) log(`published ${done} in ${ms} ms`);
      },
    });
    const tree = await buildTree(server);
    log(`agents: flat, root → child (inherit ${INHERIT.join(', ')}) → grandchild (isolate ${ISOLATE}, override ${OVERRIDE_CLAIM})`);

    const records = new Map<string, Readable>(
      scenario.contexts.map((c) => [
        c.id,
        { sourceAgentId: c.sourceAgentId, visibleTo: c.visibleTo, tags: c.tags, type: c.type, claim: claimOf(c) },
      ]),
    );
    records.set(tree.overrideId, {
      sourceAgentId: ids.grandchild,
      visibleTo: [ids.grandchild],
      tags: ['override'],
      type: 'CONSTRAINT',
      claim: OVERRIDE_CLAIM,
    });
    const order = [...scenario.contexts.map((c) => c.id), tree.overrideId];
    const checked = Date.now();
    const { readable, firstPage } = await checkScopes(server, tree, records, order);
    const shadowed = scenario.contexts.filter(
      (c) => claimOf(c) === OVERRIDE_CLAIM && readableInScope(scopes.child, records.get(c.id) as Readable),
    ).length;
    log(`scopes check out (${Date.now() - checked} ms): readable ${JSON.stringify(readable)}; the override shadows ${shadowed}`);

    // One distinct writer task per round (a cache miss for every agent), the same task for each agent of a round.
    const supply = taskSupply();
    const tasks: string[] = [];
    while (tasks.length < params.warmup + params.runs) {
      const next = supply.next().value as TaskRequest;
      if (next.agentId === 'writer') tasks.push(next.task);
    }
    const task = (i: number) => tasks[i] as string;

    const packages: Record<
      string,
      { items: number[]; returned: number[]; tokens: number[]; timings: Record<string, number>[]; cached: number; hidden: number }
    > = {};
    const route =
      (name: 'flat' | 'child' | 'grandchild'): Variant =>
      async (i) => {
        const { contextFor: pkg } = await server.call<{ contextFor: Package }>(tree.keys[name], CONTEXT_FOR, {
          agentId: ids[name],
          task: task(i),
          budget: params.budget,
        });
        if (i < params.warmup) return;
        const seen = (packages[name] ??= { items: [], returned: [], tokens: [], timings: [], cached: 0, hidden: 0 });
        const returned = [
          ...pkg.items.map((item) => item.context.id),
          ...(pkg.compressed?.originalContextIds ?? []),
          ...pkg.dropped.map((d) => d.contextId),
        ];
        seen.items.push(pkg.items.length);
        seen.returned.push(new Set(returned).size);
        seen.tokens.push(pkg.tokens);
        seen.timings.push(pkg.timings);
        if (pkg.cached) seen.cached += 1;
        seen.hidden += returned.filter((id) => {
          const record = records.get(id);
          return !record || !readableInScope(scopes[name], record);
        }).length;
      };
    const page =
      (name: 'flat' | 'grandchild'): Variant =>
      () =>
        server.call(tree.keys[name], PAGE, { first: 50, after: null });
    const search =
      (name: 'flat' | 'grandchild'): Variant =>
      (i) =>
        server.call(tree.keys[name], SEARCH, { query: task(i), agentId: ids[name], limit: params.searchLimit });

    const loadBeforeTiming = machineLoad();
    log(`timing ${params.warmup} warm-up + ${params.runs} rounds of 7 variants`);
    const measured = await roundRobin(
      server,
      {
        'contextFor flat': route('flat'),
        'contextFor child': route('child'),
        'contextFor grandchild': route('grandchild'),
        'contexts(first: 50) flat': page('flat'),
        'contexts(first: 50) grandchild': page('grandchild'),
        'searchContext flat': search('flat'),
        'searchContext grandchild': search('grandchild'),
      },
      { runs: params.runs, warmup: params.warmup },
    );
    const loadEnd = machineLoad();

    // The delivery log is written behind (one batch for several answers), on whichever request runs when it flushes.
    const ownStatements = Object.fromEntries(
      Object.entries(measured).map(([name, s]) => [
        name,
        round1(
          Object.entries(s.statementsByName)
            .filter(([statement]) => !DELIVERY_LOG.has(statement))
            .reduce((sum, [, count]) => sum + count, 0) / Math.max(1, s.runs),
        ),
      ]),
    );
    const vsFlat = (name: string, flat: string) => {
      const a = measured[name] as LatencyStats;
      const b = measured[flat] as LatencyStats;
      return { p50: round2(a.p50 / b.p50), p95: round2(a.p95 / b.p95), mean: round2(a.mean / b.mean) };
    };
    const ratios = {
      'contextFor child': vsFlat('contextFor child', 'contextFor flat'),
      'contextFor grandchild': vsFlat('contextFor grandchild', 'contextFor flat'),
      'contexts(first: 50) grandchild': vsFlat('contexts(first: 50) grandchild', 'contexts(first: 50) flat'),
      'searchContext grandchild': vsFlat('searchContext grandchild', 'searchContext flat'),
    };
    const contextFor = Object.fromEntries(
      Object.entries(packages).map(([name, p]) => [
        name,
        {
          meanItems: round1(mean(p.items)),
          meanContextsReturned: round1(mean(p.returned)),
          meanTokens: Math.round(mean(p.tokens)),
          cachedResponses: p.cached,
          hiddenContextsReturned: p.hidden,
          meanServerTimingsMs: Object.fromEntries(
            Object.keys(p.timings[0] ?? {}).map((k) => [k, round1(mean(p.timings.map((t) => t[k] ?? 0)))]),
          ),
        },
      ]),
    );
    for (const [name, s] of Object.entries(measured)) {
      log(
        `${name.padEnd(31)} p50 ${s.p50} p95 ${s.p95} mean ${s.mean} ms, ${s.statementsPerRequest} statements, ${JSON.stringify(s.statementMsPerRequest)}`,
      );
    }
    log(`statements/request without the delivery log: ${JSON.stringify(ownStatements)}`);
    log(`vs flat: ${JSON.stringify(ratios)}`);
    log(`contextFor: ${JSON.stringify(contextFor)}`);

    const profile = params.profile
      ? await profilePage(server, { flat: firstPage['flat'] ?? [], grandchild: firstPage['grandchild'] ?? [] }, 30)
      : null;
    if (profile) {
      for (const [name, p] of Object.entries(profile)) {
        const { plan, ...rest } = p as { plan: string[] };
        log(`PROFILE contextsPage ${name}: ${JSON.stringify(rest)}\n${plan.join('\n')}`);
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
          note: 'Shared machine (2 cores): client and server in one process; see loads (1/5/15-minute load averages).',
          params,
          tree: {
            flat: { registered: true, needs: writer.needs },
            root: { registered: true, needs: writer.needs },
            child: { parent: ids.root, inherit: INHERIT },
            grandchild: { parent: ids.child, isolate: [ISOLATE], override: [OVERRIDE_CLAIM] },
          },
          data: {
            contexts: scenario.contexts.length,
            withClaim: scenario.contexts.filter((c) => claimOf(c) !== null).length,
            onOverriddenClaim: scenario.contexts.filter((c) => claimOf(c) === OVERRIDE_CLAIM).length,
            readable: { ...readable, shadowedForGrandchild: shadowed },
            publish,
          },
          loads: { start: loadStart, beforeTiming: loadBeforeTiming, end: loadEnd },
          latency: measured,
          statementsPerRequestWithoutDeliveryLog: ownStatements,
          vsFlat: ratios,
          contextFor,
          profileContextsPage: profile,
        },
        null,
        1,
      ) + '\n',
    );
    log(`wrote ${outFile}`);
  } finally {
    await server.stop();
  }
}

const round2 = (x: number) => Math.round(x * 100) / 100;
/** Statements of the delivery log's write-behind (decision-store.ts `writePackages`), not of the request they land on. */
const DELIVERY_LOG = new Set(['mergePackageBodies', 'mergeRoutedPackages', 'mergeReceived']);

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(2);
  },
);
