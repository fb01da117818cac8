/**
 * History at scale: what `asOf`, `replayDecision` and a workflow rollback cost against the current-state queries, on a
 * mesh of `--contexts` contexts with a realistic history (scale-history.ts: workflows, dependencies, 3.6 versions per
 * context on average — text, confidence, priority and tag changes —, retractions, supersessions, snapshots, recorded
 * `contextFor` answers and decisions), all written through the public GraphQL API.
 *
 *   npx tsx bench/history/scale.ts --contexts 10000 [--seed 7] [--runs 60] [--routing-runs 40] [--warmup 5]
 *        [--decisions 40] [--concurrency 8] [--workflow-size 1000] [--versioned N] [--no-rollback] [--out file.json]
 *   npx tsx bench/history/scale.ts --contexts 100000 --versioned 10000   (the 100k run: see docs/benchmarks.md)
 *   ... --keep DIR [--generate-only]: keep the database in DIR; ... --reuse DIR: measure again on it (same --contexts
 *   and --seed), e.g. after a change to the reads, without the 36-minute generation
 *
 * Then, client-timed (whole HTTP requests, one in flight), warm-up rounds first, variants interleaved round-robin:
 *   - contexts(first: 50) current vs asOf latest / middle / early, and the same filtered to one workflow;
 *   - dependencyGraph(depth 3, BOTH) current vs asOf latest / middle / early (a different chain root per run);
 *   - contextFor (a distinct task per run: a cache miss) vs replayDecision (no adjust, refresh, a later asOf), and
 *     contextFor(asOf:) when the schema has it;
 *   - diff, rollback and undo of one 1,000-context workflow to its snapshot from the middle of the history.
 * `uptime` load averages are recorded around every phase: the machine (2 cores) is shared with other test runs.
 * One embedded Neo4j (its own data folder) and one app, in this process.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from '../routing/generate.js';
import { registerAgents, startBenchServer, stopOnSignal, type BenchServer } from '../routing/harness.js';
import { taskSupply, type TaskRequest } from '../routing/tasks.js';
import { HistoryWriter, planHistory, type HistoryPlan, type WriteStats } from './scale-history.js';
import { log, machineLoad, pool, roundRobin, timed, type LatencyStats, type Variant } from './shared.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = parseArgs(process.argv.slice(2));
const params = {
  contexts: Number(args['contexts'] ?? 10_000),
  seed: Number(args['seed'] ?? 7),
  runs: Number(args['runs'] ?? 60),
  routingRuns: Number(args['routing-runs'] ?? 40),
  warmup: Number(args['warmup'] ?? 5),
  decisions: Number(args['decisions'] ?? 40),
  concurrency: Number(args['concurrency'] ?? 8),
  workflowSize: Number(args['workflow-size'] ?? 1000),
  /** Contexts that get a history (whole workflows); default all. */
  versioned: Number(args['versioned'] ?? args['contexts'] ?? 10_000),
  rollback: args['no-rollback'] === undefined,
  /** Keep the database in this folder (with `written.json`); `--reuse` starts a later run on it. */
  keep: args['keep'] ?? null,
  reuse: args['reuse'] ?? null,
  generateOnly: args['generate-only'] !== undefined,
  budget: 4000,
};
const label = params.contexts >= 1000 && params.contexts % 1000 === 0 ? `${params.contexts / 1000}k` : String(params.contexts);
const outFile = args['out'] ?? path.join(here, `results-scale-${label}.json`);

interface Snapshot {
  id: string;
  seq: number;
}

interface Decision {
  id: string;
  agentId: string;
}

/** The history as written, and the points it named. */
interface Written {
  keys: Map<string, string>;
  points: { early: Snapshot; middle: Snapshot; rollback: Snapshot; snapshots: number };
  decisions: Decision[];
  writes: Record<string, WriteStats>;
  deliveriesRecorded: number;
  /** Writes that failed and were retried (see HistoryWriter.write). */
  failures: string[];
}

const CONTEXT_FOR = `query($agentId: ID!, $task: String!, $budget: Int, $asOf: Int) {
  contextFor(agentId: $agentId, task: $task, budget: $budget, ASOF_ARG) { id asOf cached tokens items { context { id version } score } } }`;
const REPLAY = `query($id: ID!, $adjust: ReplayAdjust) {
  replayDecision(decisionId: $id, adjust: $adjust) { id asOf cached tokens items { context { id version } score } } }`;
const PAGE = `query($asOf: Int, $filter: ContextFilter) {
  contexts(first: 50, asOf: $asOf, filter: $filter) { edges { node { id version text status } } } }`;
const GRAPH = `query($roots: [ID!]!, $asOf: Int) {
  dependencyGraph(rootIds: $roots, depth: 3, direction: BOTH, asOf: $asOf) { nodes { id version status } edges { from to } } }`;

async function snapshot(server: BenchServer, name: string, workflowId?: string): Promise<Snapshot> {
  const data = await server.call<{ createSnapshot: Snapshot }>(
    server.adminKey,
    'mutation($label: String!, $wf: ID) { createSnapshot(label: $label, workflowId: $wf) { id seq } }',
    { label: name, wf: workflowId ?? null },
  );
  return data.createSnapshot;
}

async function position(server: BenchServer): Promise<number> {
  const data = await server.call<{ seqAt: number }>(server.adminKey, 'query($t: DateTime!) { seqAt(time: $t) }', {
    t: new Date(Date.now() + 1000).toISOString(),
  });
  return data.seqAt;
}

/** Does `contextFor` take `asOf` yet? (Another change adds it; measured only when present.) And say how it answered? */
async function contextForHasAsOf(server: BenchServer): Promise<boolean> {
  const data = await server.call<{
    __type: { fields: { name: string; args: { name: string }[] }[] };
    pkg: { fields: { name: string }[] } | null;
  }>(
    server.adminKey,
    '{ __type(name: "Query") { fields { name args { name } } } pkg: __type(name: "ContextPackage") { fields { name } } }',
  );
  if (data.pkg?.fields.some((f) => f.name === 'pastRead')) pastReadField = 'pastRead';
  return data.__type.fields.find((f) => f.name === 'contextFor')?.args.some((a) => a.name === 'asOf') ?? false;
}

let pastReadField = '';

function contextForQuery(withAsOf: boolean): string {
  return withAsOf
    ? CONTEXT_FOR.replace('ASOF_ARG', 'asOf: $asOf').replace('{ id asOf cached', `{ id asOf cached ${pastReadField}`)
    : CONTEXT_FOR.replace(', ASOF_ARG', '').replace(', $asOf: Int', '');
}

/** Agents ask for packages (recorded deliveries) and record what they decided with some of them. */
async function askAndDecide(server: BenchServer, keys: Map<string, string>, tasks: () => TaskRequest): Promise<Decision[]> {
  const asked = Array.from({ length: params.decisions }, tasks);
  const decisions: Decision[] = [];
  const query = contextForQuery(false);
  await pool(asked, 2, async (r, i) => {
    const key = keys.get(r.agentId) as string;
    type Pkg = { contextFor: { id: string; items: { context: { id: string } }[] } };
    const { contextFor: pkg } = await server.call<Pkg>(key, query, { ...r, budget: params.budget });
    const data = await server.call<{ recordDecision: { id: string } }>(
      key,
      `mutation($input: RecordDecisionInput!) { recordDecision(input: $input) { id } }`,
      {
        input: {
          agentId: r.agentId,
          packageId: pkg.id,
          input: { task: r.task },
          output: { draft: `Decision ${i} for: ${r.task}`, chosen: pkg.items.slice(0, 3).map((item) => item.context.id) },
          usedContextIds: pkg.items.slice(0, 3).map((item) => item.context.id),
        },
      },
    );
    decisions.push({ id: data.recordDecision.id, agentId: r.agentId });
  });
  return decisions;
}

async function writeHistory(
  server: BenchServer,
  plan: HistoryPlan,
  tasks: () => TaskRequest,
  loads: Record<string, unknown>,
): Promise<Written> {
  const writer = new HistoryWriter(server, plan, params.concurrency);
  const writes: Record<string, WriteStats> = {};
  const keys = await registerAgents(server, plan.scenario);
  writes['publish'] = await writer.publish();
  const early = await snapshot(server, 'early: everything published');
  let snapshots = 1;
  const rounds = plan.rounds.length;
  let middle: Snapshot | null = null;
  let rollback: Snapshot | null = null;
  let decisions: Decision[] = [];
  for (let round = 1; round <= rounds; round++) {
    writes[`updateRound${round}`] = await writer.update(round);
    log(`round ${round}: ${JSON.stringify(writes[`updateRound${round}`])}`);
    if (round === plan.retractAfter) writes['retract'] = await writer.retract();
    if (round === plan.supersedeAfter) writes['supersede'] = await writer.supersede();
    const taken = await snapshot(server, `after round ${round}`);
    snapshots += 1;
    if (round === 1) {
      middle = taken;
      rollback = await snapshot(server, 'before the later rounds', plan.rollbackWorkflow);
      snapshots += 1;
      const asked = await timed(() => askAndDecide(server, keys, tasks));
      decisions = asked.result;
      writes['contextForAndDecide'] = { items: decisions.length, ms: asked.ms, perSecond: 0 };
      log(`${decisions.length} contextFor answers recorded and decided on in ${asked.ms} ms`);
    }
    loads[`afterRound${round}`] = machineLoad();
  }
  if (!middle || !rollback) throw new Error('no update rounds were planned');
  log(`history written: ${writer.totalVersions()} versions of ${writer.versions.size} contexts`);
  return {
    keys,
    points: { early, middle, rollback, snapshots },
    decisions,
    writes: { ...writes, totalVersions: { items: writer.totalVersions(), ms: 0, perSecond: 0 } },
    deliveriesRecorded: decisions.length,
    failures: writer.failures,
  };
}

/** What `--keep` saves beside the database for `--reuse` (bench secrets: agent keys of a throwaway mesh). */
interface Kept {
  adminKey: string;
  generationMs: number;
  latest: number;
  written: Omit<Written, 'keys'> & { keys: Record<string, string> };
}

type Group = Record<string, LatencyStats>;

async function measureReads(server: BenchServer, plan: HistoryPlan, written: Written, latest: number): Promise<Record<string, Group>> {
  const viewer = written.keys.get('writer') ?? server.adminKey;
  const { early, middle } = written.points;
  const page =
    (asOf: number | null, filter: unknown = null): Variant =>
    () =>
      server.call(viewer, PAGE, { asOf, filter });
  const workflow = { workflowIds: [plan.rollbackWorkflow] };
  const contexts = await roundRobin(
    server,
    {
      current: page(null),
      asOfLatest: page(latest),
      asOfMiddle: page(middle.seq),
      asOfEarly: page(early.seq),
      workflowCurrent: page(null, workflow),
      workflowAsOfMiddle: page(middle.seq, workflow),
    },
    { runs: params.runs, warmup: params.warmup },
  );
  log(`contexts: ${JSON.stringify(brief(contexts))}`);
  const roots = plan.graphRoots;
  const stride = Math.max(1, Math.floor(roots.length / (params.runs + params.warmup)));
  const graph =
    (asOf: number | null): Variant =>
    (i) =>
      server.call(viewer, GRAPH, { roots: [roots[(i * stride) % roots.length]], asOf });
  const dependencyGraph = await roundRobin(
    server,
    { current: graph(null), asOfLatest: graph(latest), asOfMiddle: graph(middle.seq), asOfEarly: graph(early.seq) },
    { runs: params.runs, warmup: params.warmup },
  );
  log(`dependencyGraph: ${JSON.stringify(brief(dependencyGraph))}`);
  return { contexts, dependencyGraph };
}

async function measureRouting(server: BenchServer, written: Written, latest: number, tasks: () => TaskRequest, withAsOf: boolean) {
  const cached: Record<string, number> = {};
  /** Answers served from the cache (none expected: it is off), and how `contextFor(asOf)` answered. */
  const note = (name: string, data: Record<string, { cached: boolean; pastRead?: string | null }>) => {
    const pkg = Object.values(data)[0];
    if (pkg?.cached) cached[name] = (cached[name] ?? 0) + 1;
    if (pkg?.pastRead) cached[`${name}:${pkg.pastRead}`] = (cached[`${name}:${pkg.pastRead}`] ?? 0) + 1;
  };
  const route =
    (name: string, asOf: number | null): Variant =>
    async () => {
      const r = tasks();
      const query = contextForQuery(asOf !== null);
      note(
        name,
        await server.call(written.keys.get(r.agentId) as string, query, {
          ...r,
          budget: params.budget,
          ...(asOf !== null ? { asOf } : {}),
        }),
      );
    };
  const replay =
    (name: string, adjust: Record<string, unknown> | null): Variant =>
    async (i) => {
      const d = written.decisions[i % written.decisions.length] as Decision;
      note(name, await server.call(written.keys.get(d.agentId) as string, REPLAY, { id: d.id, adjust }));
    };
  const variants: Record<string, Variant> = {
    contextForMiss: route('contextForMiss', null),
    replay: replay('replay', null),
    replayRefresh: replay('replayRefresh', { refresh: true }),
    replayLaterAsOf: replay('replayLaterAsOf', { asOf: latest }),
  };
  if (withAsOf) {
    variants['contextForAsOfMiddle'] = route('contextForAsOfMiddle', written.points.middle.seq);
    variants['contextForAsOfLatest'] = route('contextForAsOfLatest', latest);
  }
  const routing = await roundRobin(server, variants, { runs: params.routingRuns, warmup: Math.min(params.warmup, 3) });
  log(`routing: ${JSON.stringify(brief(routing))}; cached answers: ${JSON.stringify(cached)}`);
  return { routing, answers: cached };
}

async function measureRollback(server: BenchServer, plan: HistoryPlan, written: Written) {
  const wf = plan.rollbackWorkflow;
  const target = written.points.rollback;
  const diff = await timed(() =>
    server.call<{ diff: Record<'added' | 'changed' | 'retracted', unknown[]> }>(
      server.adminKey,
      'query($from: Int!, $wf: ID) { diff(fromSeq: $from, workflowId: $wf) { added { id } changed { id } retracted { id } } }',
      { from: target.seq, wf },
    ),
  );
  const ROLLBACK = 'mutation($id: ID!) { rollback(snapshotId: $id) { restored { id } retracted { id } undoSnapshot { id } } }';
  type Rolled = { rollback: { restored: unknown[]; retracted: unknown[]; undoSnapshot: { id: string } } };
  const rollback = await timed(() => server.call<Rolled>(server.adminKey, ROLLBACK, { id: target.id }));
  const undo = await timed(() => server.call<Rolled>(server.adminKey, ROLLBACK, { id: rollback.result.rollback.undoSnapshot.id }));
  const counts = (r: Rolled) => ({ restored: r.rollback.restored.length, retracted: r.rollback.retracted.length });
  const result = {
    workflowId: wf,
    workflowContexts: [...plan.workflowOf.values()].filter((w) => w === wf).length,
    diffMs: diff.ms,
    diffCounts: Object.fromEntries(Object.entries(diff.result.diff).map(([k, v]) => [k, v.length])),
    rollbackMs: rollback.ms,
    rollbackCounts: counts(rollback.result),
    undoMs: undo.ms,
    undoCounts: counts(undo.result),
  };
  log(`rollback: ${JSON.stringify(result)}`);
  return result;
}

const brief = (group: Group) => Object.fromEntries(Object.entries(group).map(([k, v]) => [k, `${v.p50}/${v.p95}`]));

async function main() {
  const loads: Record<string, unknown> = { start: machineLoad() };
  const plan = planHistory({ n: params.contexts, seed: params.seed, workflowSize: params.workflowSize, versioned: params.versioned });
  const planned = plan.rounds.reduce((sum, r) => sum + r.length, 0);
  log(
    `plan: ${plan.scenario.contexts.length} contexts + ${plan.supersessions.length} replacements, ${planned} updates, ` +
      `${plan.retractions.length} retractions, ${new Set(plan.workflowOf.values()).size} workflows (${plan.withHistory.length} with a history); ` +
      `rollback of ${plan.rollbackWorkflow}`,
  );
  // No routing cache: every contextFor and refresh is computed (distinct tasks would miss anyway); errors logged.
  const dataDir = params.reuse ?? params.keep ?? undefined;
  const kept = params.reuse ? (JSON.parse(readFileSync(path.join(params.reuse, 'written.json'), 'utf8')) as Kept) : null;
  const server = await startBenchServer({
    log,
    env: { ROUTING_CACHE_SIZE: '0', LOG_LEVEL: 'error' },
    ...(dataDir ? { dataDir } : {}),
    ...(kept ? { adminKey: kept.adminKey } : {}),
  });
  stopOnSignal(server.stop);
  try {
    const supply = taskSupply();
    const tasks = () => supply.next().value as TaskRequest;
    // The generation asked the supply's first tasks (recorded answers): a reuse measures the ones after them.
    if (kept) for (let i = 0; i < kept.written.decisions.length; i++) tasks();
    const generation = kept
      ? { result: { ...kept.written, keys: new Map(Object.entries(kept.written.keys)) }, ms: kept.generationMs }
      : await timed(() => writeHistory(server, plan, tasks, loads));
    const written = generation.result;
    const latest = kept?.latest ?? (await position(server));
    if (params.keep && !kept) {
      const saved: Kept = {
        adminKey: server.adminKey,
        generationMs: generation.ms,
        latest,
        written: { ...written, keys: Object.fromEntries(written.keys) },
      };
      writeFileSync(path.join(params.keep, 'written.json'), JSON.stringify(saved));
      log(`kept the database in ${params.keep}`);
    }
    if (params.generateOnly) return;
    const withAsOf = await contextForHasAsOf(server);
    log(`generation took ${Math.round(generation.ms / 1000)} s; position ${latest}; contextFor(asOf:) ${withAsOf ? 'present' : 'absent'}`);
    loads['afterGeneration'] = machineLoad();
    // Written after every phase, so a failure later keeps what was measured.
    const results: Record<string, unknown> = {
      date: new Date().toISOString(),
      machine: {
        cores: os.cpus().length,
        cpu: os.cpus()[0]?.model ?? 'unknown',
        memGiB: Math.round(os.totalmem() / 2 ** 30),
        node: process.version,
      },
      note: 'Shared machine: other engineers ran tests on the same 2 cores; see loads (1/5/15-minute load averages).',
      params,
      history: {
        contexts: plan.scenario.contexts.length + plan.supersessions.length,
        versions: written.writes['totalVersions']?.items,
        updates: planned,
        retractions: plan.retractions.length,
        supersessions: plan.supersessions.length,
        workflows: new Set(plan.workflowOf.values()).size,
        workflowsWithHistory: plan.withHistory.length,
        contextsWithHistory: plan.scenario.contexts.filter((c) => plan.withHistory.includes(plan.workflowOf.get(c.id) ?? '')).length,
        snapshots: written.points.snapshots,
        decisions: written.decisions.length,
        events: latest,
        points: { early: written.points.early.seq, middle: written.points.middle.seq, latest },
        generationMs: generation.ms,
        writes: written.writes,
        failedWrites: written.failures,
      },
      contextForAsOf: withAsOf,
      loads,
    };
    const save = (phase: string) => {
      loads[phase] = machineLoad();
      writeFileSync(outFile, JSON.stringify(results, null, 1) + '\n');
      log(`wrote ${outFile} (${phase})`);
    };
    Object.assign(results, await measureReads(server, plan, written, latest));
    save('afterReads');
    Object.assign(results, await measureRouting(server, written, latest, tasks, withAsOf));
    save('afterRouting');
    results['rollback'] = params.rollback
      ? await measureRollback(server, plan, written).catch((error: unknown) => ({ error: String(error).slice(0, 1000) }))
      : null;
    save('end');
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
