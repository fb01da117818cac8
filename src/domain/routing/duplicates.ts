import type { DroppedContext, ScoredContext } from './types.js';

/**
 * Drops near-duplicates: of two contexts named together in `similarPairs` (texts that embed close),
 * keep the more confident one, then the newer one. Input order (score desc) is kept for survivors.
 */
export function dropNearDuplicates(
  items: readonly ScoredContext[],
  similarPairs: readonly (readonly [string, string])[],
): { kept: ScoredContext[]; dropped: DroppedContext[] } {
  const twins = new Map<string, Set<string>>();
  for (const [a, b] of similarPairs) {
    twins.set(a, (twins.get(a) ?? new Set()).add(b));
    twins.set(b, (twins.get(b) ?? new Set()).add(a));
  }
  const preferred = [...items].sort(
    (a, b) => b.context.confidence - a.context.confidence || b.context.createdAt.localeCompare(a.context.createdAt) || b.score - a.score,
  );
  const keptIds = new Set<string>();
  const kept: ScoredContext[] = [];
  const dropped: DroppedContext[] = [];
  for (const candidate of preferred) {
    const candidateTwins = twins.get(candidate.context.id);
    const twin = candidateTwins ? kept.find((other) => candidateTwins.has(other.context.id)) : undefined;
    if (twin) {
      dropped.push({ contextId: candidate.context.id, reason: 'DUPLICATE', duplicateOf: twin.context.id, score: candidate.score });
    } else {
      kept.push(candidate);
      keptIds.add(candidate.context.id);
    }
  }
  return { kept: items.filter((item) => keptIds.has(item.context.id)), dropped };
}

/**
 * Pairs of ids whose vectors have cosine similarity of at least `minCosine`. Vectors are normalised
 * once into typed arrays, so the all-pairs scan is plain dot products (150 vectors of 384: ~4 M
 * multiply-adds, a few milliseconds).
 */
export function similarPairs(vectors: ReadonlyMap<string, readonly number[]>, minCosine: number): [string, string][] {
  const ids: string[] = [];
  const unit: Float64Array[] = [];
  for (const [id, vector] of vectors) {
    let norm = 0;
    for (const x of vector) norm += x * x;
    if (norm === 0) continue;
    const scale = 1 / Math.sqrt(norm);
    ids.push(id);
    unit.push(Float64Array.from(vector, (x) => x * scale));
  }
  const pairs: [string, string][] = [];
  for (let i = 0; i < unit.length; i += 1) {
    const a = unit[i] as Float64Array;
    for (let j = i + 1; j < unit.length; j += 1) {
      const b = unit[j] as Float64Array;
      const length = Math.min(a.length, b.length);
      let dot = 0;
      for (let k = 0; k < length; k += 1) dot += (a[k] as number) * (b[k] as number);
      if (dot >= minCosine) pairs.push([ids[i] as string, ids[j] as string]);
    }
  }
  return pairs;
}
