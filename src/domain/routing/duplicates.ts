import type { DroppedContext, ScoredContext } from './types.js';
import { cosine } from './vectors.js';

/**
 * Drops near-duplicates: of two contexts whose texts embed within `similarity` of each other,
 * keep the more confident one, then the newer one. Input order (score desc) is kept for survivors.
 */
export function dropNearDuplicates(
  items: readonly ScoredContext[],
  embeddingOf: (id: string) => readonly number[],
  similarity: number,
): { kept: ScoredContext[]; dropped: DroppedContext[] } {
  const preferred = [...items].sort(
    (a, b) => b.context.confidence - a.context.confidence || b.context.createdAt.localeCompare(a.context.createdAt) || b.score - a.score,
  );
  const keptIds = new Set<string>();
  const kept: ScoredContext[] = [];
  const dropped: DroppedContext[] = [];
  for (const candidate of preferred) {
    const embedding = embeddingOf(candidate.context.id);
    const twin = kept.find((other) => cosine(embedding, embeddingOf(other.context.id)) >= similarity);
    if (twin) {
      dropped.push({ contextId: candidate.context.id, reason: 'DUPLICATE', duplicateOf: twin.context.id, score: candidate.score });
    } else {
      kept.push(candidate);
      keptIds.add(candidate.context.id);
    }
  }
  return { kept: items.filter((item) => keptIds.has(item.context.id)), dropped };
}
