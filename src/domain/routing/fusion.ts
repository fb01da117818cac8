/**
 * Reciprocal-rank fusion: each list contributes 1 / (k + rank). Robust to the different
 * scales of cosine and Lucene scores, which a weighted sum would have to calibrate.
 * k = 60 is the constant from Cormack et al. (2009).
 */
export function reciprocalRankFusion(lists: readonly (readonly string[])[], k = 60): Map<string, number> {
  const fused = new Map<string, number>();
  for (const list of lists) {
    list.forEach((id, index) => fused.set(id, (fused.get(id) ?? 0) + 1 / (k + index + 1)));
  }
  return fused;
}

/**
 * Weights of the weighted fusion (SEARCH_FUSION=weighted, the default: with these weights it beat
 * reciprocal-rank fusion on every measure, docs/benchmarks.md). Meaning (cosine) carries most of the signal,
 * exact words (Lucene, normalised to the best hit) refine it, and one dependency hop from a top hit is a small
 * bonus that breaks ties rather than outranking a real match. They sum to 1, so a fused score stays in 0..1.
 */
export const VECTOR_WEIGHT = 0.6;
export const FULLTEXT_WEIGHT = 0.3;
export const GRAPH_BONUS = 0.1;

/** A hit of the vector or fulltext list, as far as fusion needs it. */
export interface ScoredHit {
  context: { id: string };
  vectorScore: number | null;
  fulltextScore: number | null;
}

/** Weighted sum of normalised scores: cosine as is, Lucene scores divided by the best, graph hits a flat bonus. */
export function weightedFusion(
  lists: { vector: readonly ScoredHit[]; fulltext: readonly ScoredHit[] },
  graphIds: readonly string[],
): Map<string, number> {
  const fused = new Map<string, number>();
  const add = (id: string, value: number) => fused.set(id, (fused.get(id) ?? 0) + value);
  for (const hit of lists.vector) add(hit.context.id, VECTOR_WEIGHT * (hit.vectorScore ?? 0));
  const best = Math.max(0, ...lists.fulltext.map((hit) => hit.fulltextScore ?? 0));
  for (const hit of lists.fulltext) add(hit.context.id, best > 0 ? FULLTEXT_WEIGHT * ((hit.fulltextScore ?? 0) / best) : 0);
  for (const id of graphIds) add(id, GRAPH_BONUS);
  return fused;
}

/** How many of the best vector/fulltext hits seed the graph expansion of a search: its one hop around them. */
export const SEARCH_SEEDS = 5;

/**
 * The seeds of a search's graph expansion: the best `count` hits of a first reciprocal-rank fusion of the
 * vector and fulltext lists (rank-based, so it needs no calibration before the graph list exists).
 */
export function searchSeeds(vectorIds: readonly string[], fulltextIds: readonly string[], count = SEARCH_SEEDS): string[] {
  return [...reciprocalRankFusion([vectorIds, fulltextIds]).entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([id]) => id);
}

/** Candidates each index returns for a search of `limit` hits: room for fusion to reorder, and at least a useful few. */
export const MIN_SEARCH_CANDIDATES = 20;
export const SEARCH_CANDIDATES_PER_HIT = 3;

export const searchCandidateCount = (limit: number) => Math.max(MIN_SEARCH_CANDIDATES, limit * SEARCH_CANDIDATES_PER_HIT);

/** The best `limit` fused scores, highest first; ties by id so the order is stable. */
export function topFused(scores: ReadonlyMap<string, number>, limit: number): [id: string, score: number][] {
  return [...scores.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, limit);
}
