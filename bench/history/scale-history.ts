/**
 * A realistic history for the scale benchmark (bench/history/scale.ts), planned from a seed and written through the
 * public GraphQL API.
 *
 * The contexts are the routing scenario's (bench/routing/generate.ts: 9 agents, 10 products, dependency chains,
 * near-duplicates, low-confidence and restricted items, explicit relevance), each in a workflow: one per product
 * (or "general") and phase, ~`workflowSize` contexts each in publish order, so chains mostly stay in one workflow.
 * After publishing, every context gets 0–5 updates (mean 2.6, so 3.6 versions per context on average), in rounds:
 * round r updates every context that has at least r updates planned, each a text revision (re-embedded), a
 * confidence, a priority or a tag change. Between the rounds: the scenario's "retracted" items are retracted, ~2% of
 * the live items are superseded by a corrected replacement (published in batches with `supersedes`), snapshots are
 * taken, and agents ask `contextFor` and record decisions (see scale.ts). With `versioned` below the number of
 * contexts, only whole workflows holding about that many contexts get this history; the rest keep their first version.
 */
import { createRng, generateScenario, type Scenario, type ScenarioContext } from '../routing/generate.js';
import { publishAll, type BenchServer } from '../routing/harness.js';
import { log, pool } from './shared.js';

export type PatchKind = 'text' | 'confidence' | 'priority' | 'tags';

export interface PlannedUpdate {
  id: string;
  round: number;
  kind: PatchKind;
  patch: Record<string, unknown>;
}

export interface HistoryPlan {
  scenario: Scenario;
  workflowOf: Map<string, string>;
  /** Index 0 is round 1. */
  rounds: PlannedUpdate[][];
  /** Retracted after round `retractAfter`. */
  retractions: string[];
  retractAfter: number;
  /** Published (with `supersedes`) after round `supersedeAfter`. */
  supersessions: { replaced: ScenarioContext; by: ScenarioContext }[];
  supersedeAfter: number;
  /** A workflow of exactly `workflowSize` contexts (before replacements), for the rollback. */
  rollbackWorkflow: string;
  /** The workflows whose contexts get a history (all of them unless `versioned` says fewer). */
  withHistory: string[];
  /** Chain members with dependencies (in workflows with a history): roots for `dependencyGraph`. */
  graphRoots: string[];
}

/** Updates per context: 0..5 with these weights (mean 2.58). */
const UPDATE_COUNTS: [number, number][] = [
  [0, 0.08],
  [1, 0.15],
  [2, 0.25],
  [3, 0.25],
  [4, 0.17],
  [5, 0.1],
];
const KINDS: [PatchKind, number][] = [
  ['text', 0.3],
  ['confidence', 0.3],
  ['priority', 0.15],
  ['tags', 0.25],
];
const MAX_ROUNDS = 5;

function assignWorkflows(contexts: readonly ScenarioContext[], workflowSize: number): Map<string, string> {
  const counters = new Map<string, number>();
  const workflowOf = new Map<string, string>();
  for (const c of contexts) {
    const product = (c.truth.product ?? 'general').toLowerCase();
    const k = counters.get(product) ?? 0;
    counters.set(product, k + 1);
    workflowOf.set(c.id, `wf-${product}-${Math.floor(k / workflowSize)}`);
  }
  return workflowOf;
}

function patchFor(rng: ReturnType<typeof createRng>, c: ScenarioContext, kind: PatchKind, round: number): Record<string, unknown> {
  switch (kind) {
    case 'text':
      return { text: `${c.text} Revision ${round}: figures re-checked, ${rng.int(2, 60)}% of the estimate confirmed.` };
    case 'confidence':
      return { confidence: Math.round((c.truth.lowConfidence ? 0.15 + rng.next() * 0.2 : 0.5 + rng.next() * 0.5) * 1000) / 1000 };
    case 'priority':
      // CRITICAL is broadcast to every relevant agent: rare, as in the scenario.
      return {
        priority: rng.weighted([
          ['ROUTINE', 0.6],
          ['IMPORTANT', 0.37],
          ['CRITICAL', 0.03],
        ] as const),
      };
    case 'tags':
      return { tags: rng.chance(0.5) && c.tags.length > 0 ? c.tags.slice(1) : [...c.tags, `rev-${round}`] };
  }
}

/** A workflow of exactly `size` contexts (the rollback's), else the first one. */
function fullWorkflow(workflowOf: Map<string, string>, size: number): string {
  const sizes = new Map<string, number>();
  for (const wf of workflowOf.values()) sizes.set(wf, (sizes.get(wf) ?? 0) + 1);
  return [...sizes].find(([, count]) => count === size)?.[0] ?? [...sizes][0]?.[0] ?? 'none';
}

/**
 * Workflows whose contexts get a history (updates, retractions, supersessions) when only `versioned` contexts may:
 * whole workflows, spread evenly over the list (so over publish time), always including the rollback's.
 */
function historyWorkflows(workflowOf: Map<string, string>, versioned: number, rollbackWorkflow: string): Set<string> {
  const sizes = new Map<string, number>();
  for (const wf of workflowOf.values()) sizes.set(wf, (sizes.get(wf) ?? 0) + 1);
  const chosen = new Set([rollbackWorkflow]);
  let total = sizes.get(rollbackWorkflow) ?? 0;
  const names = [...sizes.keys()].sort();
  const share = Math.min(1, versioned / Math.max(1, workflowOf.size));
  for (let i = 0; i < names.length && total < versioned; i++) {
    const name = names[i] as string;
    // Every (1 / share)-th workflow.
    if (Math.floor((i + 1) * share) === Math.floor(i * share) || chosen.has(name)) continue;
    chosen.add(name);
    total += sizes.get(name) ?? 0;
  }
  return chosen;
}

/**
 * `versioned` (default: all): how many contexts get a history; at 100k, writing ~250,000 updates one request each
 * does not fit the time a run may take, so only whole workflows holding about that many do (the rest keep version 1).
 */
export function planHistory(options: { n: number; seed: number; workflowSize: number; versioned?: number }): HistoryPlan {
  const rng = createRng(options.seed + 1);
  const share = Math.min(1, (options.versioned ?? options.n) / options.n);
  const nSupersede = Math.round(options.n * 0.02 * share);
  const scenario = generateScenario({ n: options.n - nSupersede, seed: options.seed, queriesPerTemplate: 1 });
  const workflowOf = assignWorkflows(scenario.contexts, options.workflowSize);
  const rollbackWorkflow = fullWorkflow(workflowOf, options.workflowSize);
  const withHistory = historyWorkflows(workflowOf, options.versioned ?? options.n, rollbackWorkflow);
  const hasHistory = (c: ScenarioContext) => withHistory.has(workflowOf.get(c.id) ?? '');
  const retractAfter = 1;
  const supersedeAfter = 2;
  const retractions = scenario.contexts.filter((c) => c.truth.lifecycle === 'retracted' && hasHistory(c)).map((c) => c.id);
  const retracted = new Set(retractions);
  const candidates = scenario.contexts.filter((c) => !retracted.has(c.id) && c.visibleTo === null && hasHistory(c));
  const superseded = new Set<string>();
  const supersessions: HistoryPlan['supersessions'] = [];
  while (supersessions.length < nSupersede && superseded.size < candidates.length) {
    const replaced = rng.pick(candidates);
    if (superseded.has(replaced.id)) continue;
    superseded.add(replaced.id);
    const by: ScenarioContext = {
      ...replaced,
      id: `${replaced.id}-s`,
      text: `Correction: ${replaced.text}`,
      dependencies: replaced.dependencies.filter((d) => !retracted.has(d)),
      relevance: [],
    };
    supersessions.push({ replaced, by });
  }
  const rounds: PlannedUpdate[][] = Array.from({ length: MAX_ROUNDS }, () => []);
  for (const c of scenario.contexts) {
    if (!hasHistory(c)) continue;
    let count = rng.weighted(UPDATE_COUNTS);
    if (retracted.has(c.id)) count = Math.min(count, retractAfter);
    if (superseded.has(c.id)) count = Math.min(count, supersedeAfter);
    for (let round = 1; round <= count; round++) {
      const kind = rng.weighted(KINDS);
      rounds[round - 1]?.push({ id: c.id, round, kind, patch: patchFor(rng, c, kind, round) });
    }
  }
  const graphRoots = scenario.contexts.filter((c) => c.truth.chain !== null && c.dependencies.length > 0 && hasHistory(c)).map((c) => c.id);
  return {
    scenario,
    workflowOf,
    withHistory: [...withHistory].sort(),
    rounds,
    retractions,
    retractAfter,
    supersessions,
    supersedeAfter,
    rollbackWorkflow,
    graphRoots,
  };
}

export interface WriteStats {
  items: number;
  ms: number;
  perSecond: number;
}

const stats = (items: number, ms: number): WriteStats => ({ items, ms, perSecond: Math.round((items / Math.max(1, ms)) * 10000) / 10 });

/** Writes the plan through the API: the mesh's current versions are tracked here, for `expectedVersion`. */
export class HistoryWriter {
  readonly versions = new Map<string, number>();

  constructor(
    private readonly server: BenchServer,
    private readonly plan: HistoryPlan,
    private readonly concurrency: number,
  ) {}

  async publish(): Promise<WriteStats> {
    const { contexts } = this.plan.scenario;
    const result = await publishAll(this.server, contexts, {
      extra: (c) => ({ workflowId: this.plan.workflowOf.get(c.id) }),
      progress: (done, ms) => {
        if (done % 10_000 === 0 || done === contexts.length) log(`published ${done} in ${ms} ms (${Math.round((done / ms) * 1000)}/s)`);
      },
    });
    for (const c of contexts) this.versions.set(c.id, 1);
    return stats(result.contexts, result.totalMs);
  }

  /** Failed requests that were retried (same idempotency key, so a write that did commit is not repeated). */
  readonly failures: string[] = [];

  /**
   * One write, retried up to 3 times on an error with the same idempotency key; after that its id's version is
   * read back so the later rounds' `expectedVersion` stays right, and the failure is reported in the results.
   */
  private async write(id: string, key: string, query: string, variables: Record<string, unknown>): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        const data = await this.server.call<Record<string, { version: number }>>(this.server.adminKey, query, { ...variables, key });
        this.versions.set(id, (Object.values(data)[0] as { version: number }).version);
        return;
      } catch (error) {
        this.failures.push(`${key} (attempt ${attempt}): ${String(error).slice(0, 300)}`);
        if (attempt < 3) {
          await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
          continue;
        }
        const data = await this.server.call<{ context: { version: number } | null }>(
          this.server.adminKey,
          'query($id: ID!) { context(id: $id) { version } }',
          { id },
        );
        this.versions.set(id, data.context?.version ?? this.versions.get(id) ?? 1);
        return;
      }
    }
  }

  async update(round: number): Promise<WriteStats> {
    const updates = this.plan.rounds[round - 1] ?? [];
    const UPDATE = `mutation($id: ID!, $v: Int!, $patch: ContextPatch!, $key: String) {
      updateContext(id: $id, expectedVersion: $v, patch: $patch, idempotencyKey: $key) { version } }`;
    const started = Date.now();
    await pool(updates, this.concurrency, async (u, i) => {
      await this.write(u.id, `u-${u.id}-${round}`, UPDATE, { id: u.id, v: this.versions.get(u.id), patch: u.patch });
      if ((i + 1) % 10_000 === 0) log(`round ${round}: ${i + 1} of ${updates.length} updates in ${Date.now() - started} ms`);
    });
    return stats(updates.length, Date.now() - started);
  }

  async retract(): Promise<WriteStats> {
    const RETRACT = `mutation($id: ID!, $key: String) { retractContext(id: $id, reason: "benchmark: disproved", idempotencyKey: $key) { version } }`;
    const started = Date.now();
    await pool(this.plan.retractions, this.concurrency, (id) => this.write(id, `r-${id}`, RETRACT, { id }));
    return stats(this.plan.retractions.length, Date.now() - started);
  }

  async supersede(): Promise<WriteStats> {
    const replacing = new Map(this.plan.supersessions.map((s) => [s.by.id, s.replaced]));
    const result = await publishAll(
      this.server,
      this.plan.supersessions.map((s) => s.by),
      { extra: (c) => ({ workflowId: this.plan.workflowOf.get(replacing.get(c.id)?.id ?? ''), supersedes: [replacing.get(c.id)?.id] }) },
    );
    for (const { replaced, by } of this.plan.supersessions) {
      this.versions.set(by.id, 1);
      this.versions.set(replaced.id, (this.versions.get(replaced.id) ?? 1) + 1);
    }
    return stats(result.contexts, result.totalMs);
  }

  /** Versions written so far (every context's current version number, summed). */
  totalVersions(): number {
    let total = 0;
    for (const v of this.versions.values()) total += v;
    return total;
  }
}
