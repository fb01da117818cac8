import { z } from 'zod';
import { normalizeTopic } from '../../domain/context-map.js';
import { ForbiddenError, NotFoundError } from '../../domain/errors.js';
import type { EmbeddingProvider, TokenCounter } from '../../domain/ports.js';
import type { Clock } from '../../domain/ports.js';
import { planPackage, type Summarizer } from '../../domain/routing/compression.js';
import { dropNearDuplicates, similarPairs } from '../../domain/routing/duplicates.js';
import { reciprocalRankFusion } from '../../domain/routing/fusion.js';
import { distancesToAnchors } from '../../domain/routing/graph-distance.js';
import { toLuceneQuery } from '../../domain/routing/lucene.js';
import type { RoutingCandidate, RoutingStore } from '../../domain/routing/ports.js';
import { scoreReasons, weightedScore, type ScoringProfile } from '../../domain/routing/scoring.js';
import type { ContextPackage, DroppedContext, ScoredContext, ScoreWeights } from '../../domain/routing/types.js';
import type { Agent, ContextRecord, Viewer } from '../../domain/types.js';
import type { AgentProfiles } from '../agent-profiles.js';
import { ID_PATTERN, parseInput } from '../validation.js';
import { PackageCache } from './package-cache.js';
import { SingleFlight } from './single-flight.js';

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
}

export const DEFAULT_ROUTER_SETTINGS: Omit<RouterSettings, 'weights'> = {
  recencyHalfLifeHours: 24,
  duplicateSimilarity: 0.92,
  candidatesPerSource: 60,
  searchFusion: 'weighted',
  cache: { maxEntries: 500, maxAgeMs: 60_000, recheckMs: 50 },
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
}

export interface RoutingTimings {
  embeddingMs: number;
  databaseMs: number;
  rankingMs: number;
  packingMs: number;
  totalMs: number;
}

export interface RoutedPackage extends ContextPackage {
  cached: boolean;
  /** True when this request shared the computation of an identical one in flight. */
  coalesced: boolean;
  timings: RoutingTimings;
}

export interface SearchHit {
  context: ContextRecord;
  score: number;
  vectorRank: number | null;
  fulltextRank: number | null;
  graphDistance: number | null;
}

const MAX_HOPS = 3;
/** How many of the best semantic matches anchor the dependency-proximity signal. */
const SEMANTIC_ANCHORS = 3;
/** How many below-threshold contexts a package reports (the best of them). */
const MAX_REPORTED_BELOW_THRESHOLD = 25;
/** Anchors and graph seeds are the strongest few: a handful of hops around them is what proximity means. */
const MAX_ANCHORS = 20;
const MAX_SEEDS = 30;
/**
 * The best-scored survivors that go on to the duplicate check and packing. More than a 200k-token budget can
 * hold or a summary can mention; the rest are left out.
 */
const MAX_RANKED = 400;

const task = z.string().trim().min(1, 'must not be empty').max(10_000, 'must be at most 10000 characters');
const agentIdSchema = z.string().regex(ID_PATTERN, 'not a valid agent id');
const budgetSchema = z.number().int().min(1, 'must be at least 1').max(2_000_000, 'must be at most 2000000').nullish();
const limitSchema = z.number().int().min(1, 'must be between 1 and 100').max(100, 'must be between 1 and 100');

const elapsed = (since: number) => Math.round((performance.now() - since) * 100) / 100;

/**
 * The Context Router: which context an agent should read now (contextFor) and hybrid search.
 * Rules live in src/domain/routing; this module fetches, times, caches and coalesces.
 */
export class ContextRouter {
  private readonly cache: PackageCache;
  private readonly flights = new SingleFlight<RoutedPackage>();

  constructor(private readonly deps: RouterDeps) {
    this.cache = new PackageCache({
      store: deps.store,
      weights: deps.settings.weights,
      maxEntries: deps.settings.cache.maxEntries,
      maxAgeMs: deps.settings.cache.maxAgeMs,
      recheckMs: deps.settings.cache.recheckMs,
      now: () => deps.clock.now().getTime(),
    });
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
  ): Promise<RoutedPackage> {
    const agentId = parseInput(agentIdSchema, rawAgentId, 'agentId');
    const taskText = parseInput(task, rawTask, 'task');
    const requestedBudget = parseInput(budgetSchema, rawBudget, 'budget');
    const workflowId =
      rawWorkflowId === null || rawWorkflowId === undefined ? null : parseInput(agentIdSchema, rawWorkflowId, 'workflowId');
    this.assertMayActFor(viewer, agentId);

    // The package is the agent's own view, whoever asks for it (an admin asking gets what the agent would).
    const key = `${agentId}\u0000${requestedBudget ?? 'default'}\u0000${workflowId ?? ''}\u0000${taskText}`;
    const flight = this.flights.join(key, async () => {
      const started = performance.now();
      const agent = await this.deps.loadAgent(agentId);
      if (!agent) throw new NotFoundError('Agent', [agentId]);
      const budget = requestedBudget ?? agent.tokenBudget;
      const cached = await this.cache.get(key);
      if (cached)
        return {
          ...cached,
          cached: true,
          coalesced: false,
          timings: { embeddingMs: 0, databaseMs: elapsed(started), rankingMs: 0, packingMs: 0, totalMs: elapsed(started) },
        };
      return this.compute(key, agent, taskText, budget, workflowId);
    });
    return flight.joined ? flight.result.then((pkg) => ({ ...pkg, coalesced: true })) : flight.result;
  }

  async search(viewer: Viewer, rawQuery: unknown, rawAgentId: unknown, rawLimit: unknown): Promise<SearchHit[]> {
    const query = parseInput(task, rawQuery, 'query');
    const limit = parseInput(limitSchema, rawLimit ?? 10, 'limit');
    const agentId = rawAgentId === null || rawAgentId === undefined ? null : parseInput(agentIdSchema, rawAgentId, 'agentId');
    if (agentId !== null) {
      this.assertMayActFor(viewer, agentId);
      if (!(await this.deps.loadAgent(agentId))) throw new NotFoundError('Agent', [agentId]);
    }
    const effective: Viewer = agentId !== null ? { kind: 'agent', agentId } : viewer;
    const [embedding] = await this.deps.embeddings.embed([query]);
    const k = Math.max(20, limit * 3);
    const lists = await this.deps.store.search({
      viewer: effective,
      workflowId: null,
      embedding: embedding ?? [],
      luceneQuery: toLuceneQuery(query),
      k,
    });

    const byId = new Map<string, RoutingCandidate>();
    for (const hit of [...lists.vector, ...lists.fulltext]) if (!byId.has(hit.context.id)) byId.set(hit.context.id, hit);
    const vectorIds = lists.vector.map((hit) => hit.context.id);
    const fulltextIds = lists.fulltext.map((hit) => hit.context.id);
    const firstPass = reciprocalRankFusion([vectorIds, fulltextIds]);
    const seeds = [...firstPass.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5)
      .map(([id]) => id);
    // Graph expansion: what the best hits depend on or feed, one hop away (found by the other lists too or not).
    const neighbours = await this.deps.store.neighbours(seeds, seeds, effective, agentId, {
      taskEmbedding: embedding ?? [],
      needsEmbedding: null,
      workflowId: null,
    });
    for (const neighbour of neighbours) if (!byId.has(neighbour.context.id)) byId.set(neighbour.context.id, neighbour);
    const graphIds = neighbours.map((n) => n.context.id);

    const scores =
      this.deps.settings.searchFusion === 'rrf'
        ? reciprocalRankFusion([vectorIds, fulltextIds, graphIds])
        : weightedFusion(lists, graphIds);
    const rank = (list: string[], id: string) => (list.indexOf(id) >= 0 ? list.indexOf(id) + 1 : null);
    return [...scores.entries()]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, limit)
      .flatMap(([id, score]) => {
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

  private assertMayActFor(viewer: Viewer, agentId: string) {
    if (viewer.kind === 'agent' && viewer.agentId !== agentId) {
      throw new ForbiddenError(`Agent ${viewer.agentId} may not route or search as ${agentId}`);
    }
  }

  private async compute(key: string, agent: Agent, taskText: string, budget: number, workflowId: string | null): Promise<RoutedPackage> {
    const { store, settings } = this.deps;
    const started = performance.now();
    let databaseMs = 0;
    const timed = async <T>(work: () => Promise<T>): Promise<T> => {
      const t = performance.now();
      try {
        return await work();
      } finally {
        databaseMs += performance.now() - t;
      }
    };

    const embeddingStarted = performance.now();
    const [taskEmbedding] = await this.deps.embeddings.embed([taskText]);
    const embeddingMs = elapsed(embeddingStarted);
    // Read the position before the data: a change racing this computation only makes the cache stricter.
    const [position, profiles] = await timed(() => Promise.all([store.position(), this.deps.agentProfiles.get()]));
    const needsEmbedding = profiles.find((p) => p.agentId === agent.id)?.needsEmbedding ?? null;
    const needKeys = [...new Set(agent.needs.map(normalizeTopic))];

    const candidates = await timed(() =>
      store.candidates({
        agentId: agent.id,
        taskEmbedding: taskEmbedding ?? [],
        needsEmbedding,
        luceneQuery: toLuceneQuery(taskText),
        needKeys,
        workflowId,
        k: settings.candidatesPerSource,
      }),
    );
    const byId = new Map(candidates.map((c) => [c.context.id, c]));
    const bySemantic = [...candidates].sort((a, b) => b.taskSimilarity - a.taskSimilarity);
    const probe = { taskEmbedding: taskEmbedding ?? [], needsEmbedding, workflowId };
    const anchors = new Set<string>([
      ...bySemantic.slice(0, SEMANTIC_ANCHORS).map((c) => c.context.id),
      ...bySemantic
        .filter((c) => c.sources.includes('own') || (c.explicitRelevance ?? 0) >= 0.5)
        .slice(0, MAX_ANCHORS - SEMANTIC_ANCHORS)
        .map((c) => c.context.id),
    ]);
    // The dependency graph around the anchors and the best matches brings in what they build on.
    const seeds = [...new Set([...anchors, ...bySemantic.slice(0, 10).map((c) => c.context.id)])].slice(0, MAX_SEEDS);
    const neighbours = await timed(() => store.neighbours(seeds, [...byId.keys()], { kind: 'agent', agentId: agent.id }, agent.id, probe));
    for (const neighbour of neighbours) byId.set(neighbour.context.id, neighbour);
    const edges = await timed(() => store.edgesAmong([...byId.keys()]));

    const rankingStarted = performance.now();
    const profile: ScoringProfile = {
      needKeys,
      now: this.deps.clock.now(),
      recencyHalfLifeHours: settings.recencyHalfLifeHours,
    };
    const distances = distancesToAnchors(edges, anchors, MAX_HOPS);
    const scored: ScoredContext[] = [...byId.values()].map((candidate) => {
      const reasons = scoreReasons(
        {
          context: candidate.context,
          taskSimilarity: candidate.taskSimilarity,
          needsSimilarity: candidate.needsSimilarity,
          explicitRelevance: candidate.explicitRelevance,
          distance: distances.get(candidate.context.id) ?? null,
        },
        profile,
      );
      return {
        context: candidate.context,
        reasons,
        score: round(weightedScore(reasons, settings.weights)),
        tokens: candidate.context.tokens,
      };
    });
    scored.sort((a, b) => b.score - a.score || b.context.createdSeq - a.context.createdSeq);
    const passing = scored.filter((item) => item.score >= agent.relevanceThreshold).slice(0, MAX_RANKED);
    const below: DroppedContext[] = scored
      .filter((item) => item.score < agent.relevanceThreshold)
      .slice(0, MAX_REPORTED_BELOW_THRESHOLD)
      .map((item) => ({ contextId: item.context.id, reason: 'BELOW_THRESHOLD', duplicateOf: null, score: item.score }));
    let rankingMs = elapsed(rankingStarted);
    const vectors = await timed(() => store.embeddings(passing.map((item) => item.context.id)));
    const dedupeStarted = performance.now();
    const { kept, dropped } = dropNearDuplicates(passing, similarPairs(vectors, settings.duplicateSimilarity));
    rankingMs += elapsed(dedupeStarted);

    const packingStarted = performance.now();
    const keptIds = new Set(kept.map((item) => item.context.id));
    const dependencyMap = new Map<string, string[]>();
    for (const { from, to } of edges) {
      if (!keptIds.has(from) || !keptIds.has(to)) continue;
      dependencyMap.set(from, [...(dependencyMap.get(from) ?? []), to]);
    }
    const plan = await planPackage(kept, budget, {
      tokens: this.deps.tokens,
      llm: this.deps.summarizer,
      dependenciesOf: (id: string) => dependencyMap.get(id) ?? [],
      onLlmError: this.deps.onSummarizerError,
    });
    const packingMs = elapsed(packingStarted);

    const pkg: ContextPackage = {
      agentId: agent.id,
      task: taskText,
      budget,
      items: plan.items,
      tokens: plan.tokens,
      compressed: plan.compressed,
      dropped: [...dropped, ...below],
      asOf: position,
      computedAt: profile.now.toISOString(),
    };
    this.cache.set(key, {
      pkg,
      position,
      consideredIds: new Set(byId.keys()),
      profile,
      probe,
      threshold: agent.relevanceThreshold,
      createdAtMs: profile.now.getTime(),
    });
    return {
      ...pkg,
      cached: false,
      coalesced: false,
      timings: { embeddingMs, databaseMs: round(databaseMs), rankingMs, packingMs, totalMs: elapsed(started) },
    };
  }
}

const round = (value: number) => Math.round(value * 10_000) / 10_000;

/** Weighted sum of normalised scores: cosine as is, Lucene scores divided by the best, graph hits a flat bonus. */
function weightedFusion(lists: { vector: RoutingCandidate[]; fulltext: RoutingCandidate[] }, graphIds: string[]): Map<string, number> {
  const fused = new Map<string, number>();
  const add = (id: string, value: number) => fused.set(id, (fused.get(id) ?? 0) + value);
  for (const hit of lists.vector) add(hit.context.id, 0.6 * (hit.vectorScore ?? 0));
  const best = Math.max(0, ...lists.fulltext.map((hit) => hit.fulltextScore ?? 0));
  for (const hit of lists.fulltext) add(hit.context.id, best > 0 ? 0.3 * ((hit.fulltextScore ?? 0) / best) : 0);
  for (const id of graphIds) add(id, 0.1);
  return fused;
}
