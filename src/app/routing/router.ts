import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { assertMayActAs } from '../../domain/acting-as.js';
import { normalizeTopic } from '../../domain/context-map.js';
import { BadInputError, NotFoundError } from '../../domain/errors.js';
import type { Clock, EmbeddingProvider, TokenCounter } from '../../domain/ports.js';
import { planPackage, type PlannedPackage, type Summarizer } from '../../domain/routing/compression.js';
import { dropNearDuplicates, similarPairs } from '../../domain/routing/duplicates.js';
import { reciprocalRankFusion, searchCandidateCount, searchSeeds, topFused, weightedFusion } from '../../domain/routing/fusion.js';
import type { RoutingCandidate, RoutingStore, SimilarityProbe } from '../../domain/routing/ports.js';
import { chooseAnchors, dependenciesAmong, partitionByThreshold, rankCandidates } from '../../domain/routing/ranking.js';
import type { ScoringProfile } from '../../domain/routing/scoring.js';
import { searchTerms } from '../../domain/routing/search-terms.js';
import type { ContextPackage, DroppedContext, ScoredContext, ScoreWeights } from '../../domain/routing/types.js';
import type { RoutingReads } from '../../domain/history/past-routing.js';
import type { Agent, ContextRecord, DependencyEdge, Viewer } from '../../domain/types.js';
import type { TaskStandIn } from '../../domain/workflows/stand-in.js';
import type { AgentProfiles } from '../agent-profiles.js';
import { nextValidityEnd } from '../../domain/valid-time.js';
import { agentId as agentIdSchema, parseInput, validAt as validAtSchema, workflowId as workflowIdSchema } from '../validation.js';
import { PackageCache, type CachedPackage } from './package-cache.js';
import { DEFAULT_STALE_ROUTING, type StaleRoutingPolicy } from '../../domain/staleness.js';
import { SingleFlight } from './single-flight.js';
import { Stopwatch, type RoutingPhase, type RoutingTimings } from './stopwatch.js';

export type { RoutingTimings } from './stopwatch.js';

export interface RouterSettings {
  weights: ScoreWeights;
  /** Recency halves every this many hours. Default 24. */
  recencyHalfLifeHours: number;
  /** Cosine at or above which two contexts are near-duplicates. Default 0.92. */
  duplicateSimilarity: number;
  /** Hits each index contributes to the candidates. Default 60. */
  candidatesPerSource: number;
  /** How search fuses its lists: reciprocal-rank fusion or a weighted sum of normalised scores. */
  searchFusion: 'rrf' | 'weighted';
  cache: { maxEntries: number; maxAgeMs: number; recheckMs: number };
  /** Stale contexts (drift): demoted by a factor (default 0.5) or dropped. STALE_ROUTING / STALE_DEMOTION. */
  staleRouting: StaleRoutingPolicy;
  /**
   * Prefetched packages (src/app/routing/prefetch.ts): PREFETCH, PREFETCH_MAX_AGE_MS, and PREFETCH_QUIET_MS (a prefetch
   * stage starts only after the foreground has been idle this long). Default on, 300 s, 50 ms.
   */
  prefetch?: { enabled: boolean; maxAgeMs: number; quietMs?: number };
}

export const DEFAULT_ROUTER_SETTINGS: Omit<RouterSettings, 'weights'> = {
  staleRouting: DEFAULT_STALE_ROUTING,
  recencyHalfLifeHours: 24,
  duplicateSimilarity: 0.92,
  candidatesPerSource: 60,
  searchFusion: 'weighted',
  cache: { maxEntries: 500, maxAgeMs: 60_000, recheckMs: 50 },
  prefetch: { enabled: true, maxAgeMs: 300_000, quietMs: 50 },
};

export interface RouterDeps {
  store: RoutingStore;
  loadAgent: (id: string) => Promise<Agent | null>;
  agentProfiles: AgentProfiles;
  embeddings: EmbeddingProvider;
  tokens: TokenCounter;
  clock: Clock;
  /** The configured language model for compression, if any; extractive otherwise. */
  summarizer?: Summarizer | undefined;
  onSummarizerError?: (error: unknown) => void;
  settings: RouterSettings;
  /** Hears every answer, computed, cached or coalesced, with the id it was given (the package log records it). */
  onAnswer?: ((answer: DeliveredPackage) => void) | undefined;
  /** What stands in for a missing task (the agent's running step or needs: src/domain/workflows/stand-in.ts). */
  standIn?: ((agent: Agent, workflowId: string | null) => Promise<TaskStandIn | null>) | undefined;
}

export interface RoutedPackage extends ContextPackage {
  cached: boolean;
  /** True when this request shared the computation of an identical one in flight. */
  coalesced: boolean;
  /** True on the first serve of a package the prefetcher precomputed (`source: PREFETCH`); later serves are plain cache hits. */
  prefetched?: boolean;
  timings: RoutingTimings;
}

/** What stood in for a missing task, as a package reports it. */
export type StandInRef = Pick<TaskStandIn, 'basis' | 'workflowId' | 'stepId'>;

/** An answer as handed out: every one gets its own id, so it can be found again (`deliveries`). */
export interface DeliveredPackage extends RoutedPackage {
  id: string;
  workflowId: string | null;
  /** The valid time asked for; null: now. */
  validAt: string | null;
  /** Set on answers to `asOf` (src/app/history/past-routing.ts): the recorded answer, or recomputed over the state then. */
  pastRead?: 'RECORDED' | 'RECOMPUTED' | null;
  /** What stood in for a task the request did not give; null when it gave one. */
  standIn?: StandInRef | null;
}

/** A contextFor request, validated. */
export interface RouteRequest {
  agentId: string;
  /** Null: not given (the agent's running step or needs stand in). */
  task: string | null;
  /** Null: the agent's default budget. */
  budget: number | null;
  workflowId: string | null;
  /** Null: valid now (or, as of a seq, at the time of that seq). */
  validAt: string | null;
}

/** A request the prefetcher predicts (src/domain/workflows/speculation.ts), to precompute as `contextFor` would answer it. */
export interface PrefetchRequest {
  agentId: string;
  task: string;
  /** Null: the agent's default budget. */
  budget: number | null;
  workflowId: string | null;
  /** Needs routed beside the agent's own (a STEP stand-in's step needs). */
  needs: readonly string[];
  /** The stand-in basis the request will carry, or null for a request with a task. */
  standIn: TaskStandIn['basis'] | null;
}

/** What became of a prefetch: computed into the cache, already there and valid, skipped (an identical request in flight), or no agent. */
export type PrefetchOutcome = 'computed' | 'fresh' | 'busy' | 'unknown-agent';

/** Hears what happens to prefetched entries: served (their first serve) and discarded (gone unserved). */
export type PrefetchListener = (event: 'served' | 'discarded') => void;

/**
 * The cache and coalescing key of a request: the package is the agent's own view, whoever asks for it. contextFor and
 * the prefetcher both build it here, so a prefetched entry is found by the request it predicted.
 */
function routeKey(r: {
  agentId: string;
  budget: number | null;
  workflowId: string | null;
  validAt: string | null;
  standIn: string | null;
  needs: readonly string[];
  task: string;
}): string {
  return [r.agentId, r.budget ?? 'default', r.workflowId ?? '', r.validAt ?? 'now', r.standIn ?? '', r.needs.join('\u0001'), r.task].join(
    '\u0000',
  );
}

/** A searchContext request, validated, with the viewer it reads as (the named agent, else the caller). */
export interface SearchRequest {
  query: string;
  limit: number;
  agentId: string | null;
  validAt: string | null;
  reader: Viewer;
}

export interface SearchHit {
  context: ContextRecord;
  score: number;
  vectorRank: number | null;
  fulltextRank: number | null;
  graphDistance: number | null;
}

const taskSchema = z.string().trim().min(1, 'must not be empty').max(10_000, 'must be at most 10000 characters');
const budgetSchema = z.number().int().min(1, 'must be at least 1').max(2_000_000, 'must be at most 2000000').nullish();
const limitSchema = z.number().int().min(1, 'must be between 1 and 100').max(100, 'must be between 1 and 100');
/** Hits searchContext returns when no limit is given (the schema's default too). */
const DEFAULT_SEARCH_LIMIT = 10;

/** Validates contextFor's arguments (BAD_USER_INPUT naming the argument). */
export function parseRouteRequest(
  rawAgentId: unknown,
  rawTask: unknown,
  rawBudget: unknown,
  rawWorkflowId: unknown,
  rawValidAt: unknown,
): RouteRequest {
  return {
    agentId: parseInput(agentIdSchema, rawAgentId, 'agentId'),
    task: rawTask === null || rawTask === undefined ? null : parseInput(taskSchema, rawTask, 'task'),
    budget: parseInput(budgetSchema, rawBudget, 'budget') ?? null,
    workflowId: parseInput(workflowIdSchema, rawWorkflowId, 'workflowId') ?? null,
    validAt: parseInput(validAtSchema, rawValidAt, 'validAt') ?? null,
  };
}

/** What contextFor gathered from the database for one computation. */
interface Gathered {
  /** Event position read before the data: the package is valid from here. */
  position: number;
  needKeys: string[];
  probe: SimilarityProbe;
  /** The candidates and their dependency neighbours. */
  byId: Map<string, RoutingCandidate>;
  anchors: ReadonlySet<string>;
  edges: DependencyEdge[];
}

interface Ranked {
  profile: ScoringProfile;
  /** Passing the threshold, near-duplicates removed, best first. */
  kept: ScoredContext[];
  dropped: DroppedContext[];
}

/**
 * The Context Router: which context an agent should read now (contextFor) and hybrid search.
 * Rules live in src/domain/routing; this module fetches, times, caches and coalesces.
 */
export class ContextRouter {
  private readonly cache: PackageCache;
  private readonly flights = new SingleFlight<RoutedPackage>();
  /** What current answers read: the store now, judged at the clock's now. */
  private readonly current: RoutingReads;
  /** contextFor requests in progress: the prefetcher runs only while this is 0. */
  private foreground = 0;
  /** When a foreground contextFor last started or ended (ms): the quiet window counts from here. */
  private foregroundAt = 0;
  private foregroundStarted = 0;
  private prefetchListener: PrefetchListener | null = null;

  constructor(private readonly deps: RouterDeps) {
    const store = deps.store;
    this.current = {
      position: () => store.position(),
      candidates: (query) => store.candidates(query),
      neighbours: (...args) => store.neighbours(...args),
      embeddings: (ids) => store.embeddings(ids),
      edgesAmong: (ids) => store.edgesAmong(ids),
      search: (query) => store.search(query),
      now: () => deps.clock.now(),
    };
    this.cache = new PackageCache({
      store: deps.store,
      weights: deps.settings.weights,
      maxEntries: deps.settings.cache.maxEntries,
      maxAgeMs: deps.settings.cache.maxAgeMs,
      recheckMs: deps.settings.cache.recheckMs,
      now: () => deps.clock.now().getTime(),
      onUnusedPrefetch: () => this.prefetchListener?.('discarded'),
    });
  }

  /** contextFor requests in progress in this process (the prefetcher waits for 0). */
  get foregroundInFlight(): number {
    return this.foreground;
  }

  /** Foreground contextFor requests started so far: a prefetch that saw it change overlapped the foreground. */
  get foregroundStarts(): number {
    return this.foregroundStarted;
  }

  listenPrefetch(listener: PrefetchListener): void {
    this.prefetchListener = listener;
  }

  /** A write went through this process: cached packages must re-check before they are served. */
  noteWrite(): void {
    this.cache.noteLocalWrite();
  }

  async contextFor(
    viewer: Viewer,
    rawAgentId: unknown,
    rawTask: unknown,
    rawBudget: unknown,
    rawWorkflowId: unknown = null,
    rawValidAt: unknown = null,
  ): Promise<DeliveredPackage> {
    this.foreground += 1;
    this.foregroundStarted += 1;
    this.foregroundAt = Date.now();
    try {
      return await this.route(viewer, rawAgentId, rawTask, rawBudget, rawWorkflowId, rawValidAt);
    } finally {
      this.foreground -= 1;
      this.foregroundAt = Date.now();
    }
  }

  private async route(
    viewer: Viewer,
    rawAgentId: unknown,
    rawTask: unknown,
    rawBudget: unknown,
    rawWorkflowId: unknown,
    rawValidAt: unknown,
  ): Promise<DeliveredPackage> {
    // validAt null: valid now (moves with the clock, so the cache bounds the entry by its items' validity).
    const request = parseRouteRequest(rawAgentId, rawTask, rawBudget, rawWorkflowId, rawValidAt);
    const { agentId, budget, validAt } = request;
    assertMayActAs(viewer, agentId, 'route or search as');
    const { task: taskText, workflowId, needs, standIn } = await this.taskOf(request);

    // The package is the agent's own view, whoever asks for it (an admin asking gets what the agent would).
    const key = routeKey({ agentId, budget, workflowId, validAt, standIn: standIn?.basis ?? null, needs, task: taskText });
    const flight = this.flights.join(key, () =>
      this.cachedOrComputed(key, agentId, taskText, budget, workflowId, validAt, needs, standIn !== null),
    );
    // Only the request that started the flight serves a prefetched entry for the first time; those joining it share a cache hit.
    const answer = flight.joined ? flight.result.then((pkg) => ({ ...pkg, coalesced: true, prefetched: false })) : flight.result;
    return answer.then((pkg) => this.handOut(pkg, workflowId, validAt, standIn));
  }

  /**
   * Precomputes a predicted request into the cache as a prefetched entry (served at most `prefetch.maxAgeMs` after, under
   * the cache's validity rule). Not an answer: nothing is handed to `onAnswer` or recorded. Computed as the agent, so it
   * holds only what the agent may read.
   */
  async prefetch(request: PrefetchRequest): Promise<PrefetchOutcome> {
    const { agentId, task, budget, workflowId, needs, standIn } = request;
    const key = routeKey({ agentId, budget, workflowId, validAt: null, standIn, needs, task });
    await this.quietForeground();
    if (this.flights.has(key)) return 'busy';
    if (await this.cache.has(key)) return 'fresh';
    await this.quietForeground();
    const loaded = await this.deps.loadAgent(agentId);
    if (!loaded) return 'unknown-agent';
    const agent = needs.length > 0 ? { ...loaded, needs: [...loaded.needs, ...needs] } : loaded;
    const maxAgeMs = this.deps.settings.prefetch?.maxAgeMs ?? DEFAULT_ROUTER_SETTINGS.prefetch?.maxAgeMs;
    const watch = new YieldingStopwatch(() => this.quietForeground());
    await this.compute(key, agent, task, budget ?? agent.tokenBudget, workflowId, null, standIn !== null, { maxAgeMs, watch });
    return 'computed';
  }

  /**
   * Resolves once no foreground contextFor is in progress and none has been for the quiet window (a prefetch waits
   * for this before each stage). The window keeps prefetch out of the short gaps of a busy foreground: on a saturated
   * process it does not run at all, which is what low priority means (see docs/benchmarks.md, "Prefetch").
   */
  async quietForeground(): Promise<void> {
    const quietMs = this.deps.settings.prefetch?.quietMs ?? 0;
    for (;;) {
      const idleFor = Date.now() - this.foregroundAt;
      if (this.foreground === 0 && idleFor >= quietMs) return;
      await new Promise((resolve) => setTimeout(resolve, Math.max(PREFETCH_YIELD_MS, quietMs - idleFor)));
    }
  }

  /** The task as given, or what stands in for it (BAD_USER_INPUT when nothing can: no running step, no needs). */
  private async taskOf(request: RouteRequest): Promise<{
    task: string;
    workflowId: string | null;
    needs: string[];
    standIn: StandInRef | null;
  }> {
    if (request.task !== null) return { task: request.task, workflowId: request.workflowId, needs: [], standIn: null };
    const agent = await this.deps.loadAgent(request.agentId);
    if (!agent) throw new NotFoundError('Agent', [request.agentId]);
    const standIn = this.deps.standIn ? await this.deps.standIn(agent, request.workflowId) : null;
    if (!standIn) {
      throw new BadInputError(
        `task is required: agent ${agent.id} has no running workflow step${request.workflowId ? ` in ${request.workflowId}` : ''} and declares no needs`,
        [{ path: ['task'], message: 'required: no running step or declared needs can stand in' }],
      );
    }
    const { basis, workflowId, stepId } = standIn;
    return { task: standIn.task, workflowId, needs: standIn.needs, standIn: { basis, workflowId, stepId } };
  }

  /** Gives the answer its id and tells the hook (the package log buffers it; no write on this path). */
  private handOut(pkg: RoutedPackage, workflowId: string | null, validAt: string | null, standIn: StandInRef | null): DeliveredPackage {
    const delivered = { ...pkg, id: randomUUID(), workflowId, validAt, standIn };
    this.deps.onAnswer?.(delivered);
    return delivered;
  }

  async search(
    viewer: Viewer,
    rawQuery: unknown,
    rawAgentId: unknown,
    rawLimit: unknown,
    rawValidAt: unknown = null,
  ): Promise<SearchHit[]> {
    return this.searchOver(this.current, await this.searchRequest(viewer, rawQuery, rawAgentId, rawLimit, rawValidAt));
  }

  /** Validates a search and resolves whom it reads as (BAD_USER_INPUT, FORBIDDEN for another agent, NOT_FOUND). */
  async searchRequest(
    viewer: Viewer,
    rawQuery: unknown,
    rawAgentId: unknown,
    rawLimit: unknown,
    rawValidAt: unknown,
  ): Promise<SearchRequest> {
    const query = parseInput(taskSchema, rawQuery, 'query');
    const limit = parseInput(limitSchema, rawLimit ?? DEFAULT_SEARCH_LIMIT, 'limit');
    const agentId = parseInput(agentIdSchema.nullish(), rawAgentId, 'agentId') ?? null;
    const validAt = parseInput(validAtSchema, rawValidAt, 'validAt') ?? null;
    return { query, limit, agentId, validAt, reader: await this.searchViewer(viewer, agentId) };
  }

  /** The search's lists from `reads` (current, or as of a seq: src/app/history/past-routing.ts), fused. */
  async searchOver(reads: RoutingReads, { query, limit, agentId, validAt, reader }: SearchRequest): Promise<SearchHit[]> {
    const [embedding = []] = await this.deps.embeddings.embed([query]);
    const lists = await reads.search({
      viewer: reader,
      workflowId: null,
      embedding,
      searchTerms: searchTerms(query),
      k: searchCandidateCount(limit),
      validAt,
    });
    const seeds = searchSeeds(idsOf(lists.vector), idsOf(lists.fulltext));
    // Graph expansion: what the best hits depend on or feed, one hop away (found by the other lists too or not).
    const neighbours = await reads.neighbours(seeds, seeds, reader, agentId, {
      taskEmbedding: embedding,
      needsEmbedding: null,
      workflowId: null,
      validAt,
    });
    return fuseSearchHits(lists, neighbours, limit, this.deps.settings.searchFusion);
  }

  /** Search reads as the agent it is for when one is named (an admin may name any), else as the caller. */
  private async searchViewer(viewer: Viewer, agentId: string | null): Promise<Viewer> {
    if (agentId === null) return viewer;
    assertMayActAs(viewer, agentId, 'route or search as');
    if (!(await this.deps.loadAgent(agentId))) throw new NotFoundError('Agent', [agentId]);
    return { kind: 'agent', agentId };
  }

  private async cachedOrComputed(
    key: string,
    agentId: string,
    taskText: string,
    requestedBudget: number | null,
    workflowId: string | null,
    validAt: string | null,
    stepNeeds: readonly string[],
    standsIn: boolean,
  ): Promise<RoutedPackage> {
    const watch = new Stopwatch();
    const loaded = await watch.time('database', () => this.deps.loadAgent(agentId));
    if (!loaded) throw new NotFoundError('Agent', [agentId]);
    const hit = await watch.time('database', () => this.cache.take(key));
    if (hit) {
      if (hit.prefetched) this.prefetchListener?.('served');
      return { ...hit.pkg, cached: true, coalesced: false, prefetched: hit.prefetched, timings: watch.timings() };
    }
    // A standing-in step's needs are routed as topics beside the agent's own.
    const agent = stepNeeds.length > 0 ? { ...loaded, needs: [...loaded.needs, ...stepNeeds] } : loaded;
    const budget = requestedBudget ?? agent.tokenBudget;
    return this.compute(key, agent, taskText, budget, workflowId, validAt, standsIn);
  }

  /**
   * The package computed over `reads` (the mesh as of a seq: src/app/history/past-routing.ts) by the same stages
   * as a current answer; never cached, coalesced or handed to `onAnswer`.
   */
  async computeOver(
    reads: RoutingReads,
    agent: Agent,
    taskText: string,
    budget: number,
    workflowId: string | null,
    validAt: string | null,
  ): Promise<RoutedPackage> {
    const watch = new Stopwatch();
    const { pkg } = await this.plan(watch, reads, agent, taskText, budget, workflowId, validAt);
    return { ...pkg, cached: false, coalesced: false, timings: watch.timings() };
  }

  /** Gather, rank, pack: one computation of a package over `reads`. */
  private async plan(
    watch: Stopwatch,
    reads: RoutingReads,
    agent: Agent,
    taskText: string,
    budget: number,
    workflowId: string | null,
    validAt: string | null,
    standsIn = false,
  ): Promise<{ pkg: ContextPackage; gathered: Gathered; profile: ScoringProfile }> {
    const gathered = await this.gather(watch, reads, agent, taskText, workflowId, validAt);
    const { profile, kept, dropped } = await this.rank(watch, reads, agent, gathered, standsIn);
    const plan = await watch.time('packing', () => this.pack(kept, gathered.edges, budget));
    const pkg: ContextPackage = {
      agentId: agent.id,
      task: taskText,
      budget,
      items: plan.items,
      tokens: plan.tokens,
      compressed: plan.compressed,
      dropped,
      asOf: gathered.position,
      computedAt: profile.now.toISOString(),
    };
    return { pkg, gathered, profile };
  }

  private async compute(
    key: string,
    agent: Agent,
    taskText: string,
    budget: number,
    workflowId: string | null,
    validAt: string | null,
    standsIn = false,
    /** Set for a prefetch: the entry is marked prefetched, lives this long, and never replaces an entry stored meanwhile. */
    prefetch: { maxAgeMs: number | undefined; watch: Stopwatch } | null = null,
  ): Promise<RoutedPackage> {
    const watch = prefetch?.watch ?? new Stopwatch();
    // Validity is tracked from before the reads: a context whose valid time ends while the answer is computed
    // (read as valid, gone by the time it is cached) ends the entry's life at once. Read alongside the computation:
    // a context that becomes valid later ends it then.
    const startedAt = this.deps.clock.now().toISOString();
    const nextStart = validAt === null ? this.deps.store.nextValidityStart(startedAt) : Promise.resolve(null);
    const { pkg, gathered, profile } = await this.plan(watch, this.current, agent, taskText, budget, workflowId, validAt, standsIn);
    const startsAt = await nextStart;
    const endsAt =
      validAt === null
        ? nextValidityEnd(
            [...gathered.byId.values()].map((c) => c.context),
            startedAt,
          )
        : null;
    const entry: CachedPackage = {
      pkg,
      position: gathered.position,
      consideredIds: new Set(gathered.byId.keys()),
      profile,
      probe: gathered.probe,
      threshold: agent.relevanceThreshold,
      createdAtMs: profile.now.getTime(),
      // Judged valid now: stale once any context it considered stops being valid, or any context starts to be
      // (a fixed validAt never moves).
      validityEndsAt: [endsAt, startsAt].filter((t): t is string => t !== null).sort()[0] ?? null,
      judgedNow: validAt === null,
    };
    if (prefetch)
      this.cache.setIfAbsent(key, {
        ...entry,
        prefetched: true,
        ...(prefetch.maxAgeMs === undefined ? {} : { maxAgeMs: prefetch.maxAgeMs }),
      });
    else this.cache.set(key, entry);
    return { ...pkg, cached: false, coalesced: false, prefetched: false, timings: watch.timings() };
  }

  /** Candidates from the indexes, their dependency neighbourhood and the edges among them, as the agent. */
  private async gather(
    watch: Stopwatch,
    store: RoutingReads,
    agent: Agent,
    taskText: string,
    workflowId: string | null,
    validAt: string | null,
  ): Promise<Gathered> {
    const { settings } = this.deps;
    const [taskEmbedding = []] = await watch.time('embedding', () => this.deps.embeddings.embed([taskText]));
    // Read the position before the data: a change racing this computation only makes the cache stricter.
    const [position, profiles] = await watch.time('database', () => Promise.all([store.position(), this.deps.agentProfiles.get()]));
    const needsEmbedding = profiles.find((p) => p.agentId === agent.id)?.needsEmbedding ?? null;
    const needKeys = [...new Set(agent.needs.map(normalizeTopic))];
    const probe: SimilarityProbe = { taskEmbedding, needsEmbedding, workflowId, validAt };
    const candidates = await watch.time('database', () =>
      store.candidates({
        agentId: agent.id,
        taskEmbedding,
        needsEmbedding,
        searchTerms: searchTerms(taskText),
        needKeys,
        workflowId,
        validAt,
        k: settings.candidatesPerSource,
      }),
    );
    const byId = new Map(candidates.map((c) => [c.context.id, c]));
    const { anchors, seeds } = chooseAnchors(candidates);
    // The dependency graph around the anchors and the best matches brings in what they build on.
    const reader: Viewer = { kind: 'agent', agentId: agent.id };
    const neighbours = await watch.time('database', () => store.neighbours(seeds, [...byId.keys()], reader, agent.id, probe));
    for (const neighbour of neighbours) byId.set(neighbour.context.id, neighbour);
    const edges = await watch.time('database', () => store.edgesAmong([...byId.keys()]));
    return { position, needKeys, probe, byId, anchors, edges };
  }

  /** Scores, the agent's threshold, then near-duplicates (their vectors come from the database). */
  private async rank(watch: Stopwatch, store: RoutingReads, agent: Agent, gathered: Gathered, standsIn: boolean): Promise<Ranked> {
    const { settings } = this.deps;
    const profile: ScoringProfile = {
      needKeys: gathered.needKeys,
      // No task was given: the needs that stood in for it are what the request is about.
      needsAsTask: standsIn,
      now: store.now(),
      recencyHalfLifeHours: settings.recencyHalfLifeHours,
    };
    const { passing, below } = watch.timeSync('ranking', () =>
      partitionByThreshold(
        rankCandidates(gathered.byId.values(), gathered.edges, gathered.anchors, profile, settings.weights, settings.staleRouting),
        agent.relevanceThreshold,
        settings.staleRouting,
      ),
    );
    const vectors = await watch.time('database', () => store.embeddings(passing.map((item) => item.context.id)));
    const { kept, dropped } = watch.timeSync('ranking', () =>
      dropNearDuplicates(passing, similarPairs(vectors, settings.duplicateSimilarity)),
    );
    return { profile, kept, dropped: [...dropped, ...below] };
  }

  /** Fits the kept contexts to the budget, dependencies among them first, and summarises the rest. */
  private pack(kept: ScoredContext[], edges: readonly DependencyEdge[], budget: number): Promise<PlannedPackage> {
    const dependencies = dependenciesAmong(edges, new Set(kept.map((item) => item.context.id)));
    return planPackage(kept, budget, {
      tokens: this.deps.tokens,
      llm: this.deps.summarizer,
      dependenciesOf: (id: string) => dependencies.get(id) ?? [],
      onLlmError: this.deps.onSummarizerError,
    });
  }
}

/** How often a waiting prefetch looks at the foreground again (ms). */
const PREFETCH_YIELD_MS = 5;

/**
 * A prefetch's stopwatch: before each stage (an embedding, a database trip, packing) it waits until no foreground
 * contextFor is in progress, so a prefetch started in a quiet moment holds a foreground request up by one stage at most.
 */
class YieldingStopwatch extends Stopwatch {
  constructor(private readonly quiet: () => Promise<void>) {
    super();
  }

  override async time<T>(phase: RoutingPhase, work: () => Promise<T>): Promise<T> {
    await this.quiet();
    return super.time(phase, work);
  }
}

const idsOf = (hits: readonly RoutingCandidate[]) => hits.map((hit) => hit.context.id);

/** One ranked list from the vector, fulltext and graph lists, with where each hit ranked in them. */
function fuseSearchHits(
  lists: { vector: RoutingCandidate[]; fulltext: RoutingCandidate[] },
  neighbours: readonly RoutingCandidate[],
  limit: number,
  fusion: RouterSettings['searchFusion'],
): SearchHit[] {
  const byId = new Map<string, RoutingCandidate>();
  for (const hit of [...lists.vector, ...lists.fulltext, ...neighbours]) if (!byId.has(hit.context.id)) byId.set(hit.context.id, hit);
  const vectorIds = idsOf(lists.vector);
  const fulltextIds = idsOf(lists.fulltext);
  const graphIds = idsOf(neighbours);
  const scores = fusion === 'rrf' ? reciprocalRankFusion([vectorIds, fulltextIds, graphIds]) : weightedFusion(lists, graphIds);
  const rank = (list: string[], id: string) => (list.indexOf(id) >= 0 ? list.indexOf(id) + 1 : null);
  return topFused(scores, limit).flatMap(([id, score]) => {
    const hit = byId.get(id);
    if (!hit) return [];
    return [
      {
        context: hit.context,
        score,
        vectorRank: rank(vectorIds, id),
        fulltextRank: rank(fulltextIds, id),
        graphDistance: graphIds.includes(id) ? 1 : null,
      },
    ];
  });
}
