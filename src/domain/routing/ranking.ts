import { DEFAULT_STALE_ROUTING, type StaleRoutingPolicy } from '../staleness.js';
import { CONSENSUS_INPUT_DEMOTION, consensusInputIds } from './consensus-preference.js';
import type { DependencyEdge } from '../types.js';
import { distancesToAnchors } from './graph-distance.js';
import type { RoutingCandidate } from './ports.js';
import { scoreReasons, weightedScore, type ScoringProfile } from './scoring.js';
import type { DroppedContext, ScoredContext, ScoreWeights } from './types.js';

/** The stages of contextFor between fetching candidates and packing them: anchors, scores, threshold. */

/** How many of the best semantic matches anchor the dependency-proximity signal. */
export const SEMANTIC_ANCHORS = 3;
/** Anchors and graph seeds are the strongest few: a handful of hops around them is what proximity means. */
export const MAX_ANCHORS = 20;
export const MAX_SEEDS = 30;
/** Explicit relevance (declared by the publisher for this agent) at which a context anchors like the agent's own work. */
export const ANCHOR_EXPLICIT_RELEVANCE = 0.5;
/** The best semantic matches whose dependency neighbourhood is fetched, besides the anchors'. */
export const SEED_MATCHES = 10;
/** Hops from an anchor beyond which a context is not "close" in the dependency graph. */
export const MAX_HOPS = 3;
/**
 * The best-scored survivors that go on to the duplicate check and packing. More than a 200k-token budget can
 * hold or a summary can mention; the rest are left out.
 */
export const MAX_RANKED = 400;
/** How many below-threshold contexts a package reports (the best of them). */
export const MAX_REPORTED_BELOW_THRESHOLD = 25;

export interface Anchors {
  /** What proximity is measured from: the best semantic matches, the agent's own work, what was declared relevant to it. */
  anchors: Set<string>;
  /** Whose one-hop dependency neighbourhood joins the candidates: the anchors and the best matches. */
  seeds: string[];
}

/** Chooses the anchors of the dependency-proximity signal and the seeds of the graph expansion. */
export function chooseAnchors(candidates: readonly RoutingCandidate[]): Anchors {
  const bySemantic = [...candidates].sort((a, b) => b.taskSimilarity - a.taskSimilarity);
  const ids = (list: readonly RoutingCandidate[]) => list.map((c) => c.context.id);
  const anchors = new Set<string>([
    ...ids(bySemantic.slice(0, SEMANTIC_ANCHORS)),
    ...ids(
      bySemantic
        .filter((c) => c.sources.includes('own') || (c.explicitRelevance ?? 0) >= ANCHOR_EXPLICIT_RELEVANCE)
        .slice(0, MAX_ANCHORS - SEMANTIC_ANCHORS),
    ),
  ]);
  const seeds = [...new Set([...anchors, ...ids(bySemantic.slice(0, SEED_MATCHES))])].slice(0, MAX_SEEDS);
  return { anchors, seeds };
}

/** Scores are kept to 4 decimals: enough to order, and stable to read in an explanation. */
const roundScore = (value: number) => Math.round(value * 10_000) / 10_000;

/**
 * Every candidate scored with its reasons, best first (newer first on equal scores). A stale candidate's score
 * is multiplied by the policy's factor when it demotes (its reasons stay as they were, so the cut shows); so is
 * the score of an input of a current CONSENSUS candidate (consensus-preference.ts).
 */
export function rankCandidates(
  candidates: Iterable<RoutingCandidate>,
  edges: readonly DependencyEdge[],
  anchors: ReadonlySet<string>,
  profile: ScoringProfile,
  weights: ScoreWeights,
  stale: StaleRoutingPolicy = DEFAULT_STALE_ROUTING,
): ScoredContext[] {
  const demotion = (candidate: RoutingCandidate) => (candidate.context.staleness && stale.mode === 'demote' ? stale.factor : 1);
  const distances = distancesToAnchors(edges, anchors, MAX_HOPS);
  const all = [...candidates];
  const consensusInputs = consensusInputIds(all, edges);
  const preference = (candidate: RoutingCandidate) => (consensusInputs.has(candidate.context.id) ? CONSENSUS_INPUT_DEMOTION : 1);
  const scored = all.map((candidate): ScoredContext => {
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
    const score = roundScore(weightedScore(reasons, weights) * demotion(candidate) * preference(candidate));
    return { context: candidate.context, reasons, score, tokens: candidate.context.tokens };
  });
  return scored.sort((a, b) => b.score - a.score || b.context.createdSeq - a.context.createdSeq);
}

/**
 * Splits ranked contexts at the agent's threshold: the best `MAX_RANKED` that clear it go on, the best
 * `MAX_REPORTED_BELOW_THRESHOLD` of the others are reported as BELOW_THRESHOLD. Keeps the ranked order.
 * When the policy drops stale contexts, those that cleared the threshold are reported as STALE instead.
 */
export function partitionByThreshold(
  ranked: readonly ScoredContext[],
  threshold: number,
  stale: StaleRoutingPolicy = DEFAULT_STALE_ROUTING,
): { passing: ScoredContext[]; below: DroppedContext[] } {
  const dropsStale = (item: ScoredContext) => stale.mode === 'drop' && item.context.staleness !== null;
  const clearing = ranked.filter((item) => item.score >= threshold);
  const passing = clearing.filter((item) => !dropsStale(item)).slice(0, MAX_RANKED);
  const staleDrops = clearing
    .filter(dropsStale)
    .map((item): DroppedContext => ({ contextId: item.context.id, reason: 'STALE', duplicateOf: null, score: item.score }));
  const below = ranked
    .filter((item) => item.score < threshold)
    .slice(0, MAX_REPORTED_BELOW_THRESHOLD)
    .map((item): DroppedContext => ({ contextId: item.context.id, reason: 'BELOW_THRESHOLD', duplicateOf: null, score: item.score }));
  return { passing, below: [...staleDrops, ...below] };
}

/** What each of `ids` depends on among `ids` (edges leaving the set are ignored), in edge order. */
export function dependenciesAmong(edges: readonly DependencyEdge[], ids: ReadonlySet<string>): Map<string, string[]> {
  const dependencies = new Map<string, string[]>();
  for (const { from, to } of edges) {
    if (!ids.has(from) || !ids.has(to)) continue;
    const list = dependencies.get(from);
    if (list) list.push(to);
    else dependencies.set(from, [to]);
  }
  return dependencies;
}
