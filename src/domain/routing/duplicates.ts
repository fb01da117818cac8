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
