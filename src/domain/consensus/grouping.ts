import { cosine } from '../routing/vectors.js';

/**
 * Grouping findings that carry no claim by the similarity of their text (cosine of embeddings). Greedy and
 * deterministic: items are taken in the order given (the caller orders them, e.g. by weight then seq); each
 * joins the first group whose seed (its first item) is at least `threshold` similar, else it seeds a new group.
 */

export const DEFAULT_SIMILARITY_THRESHOLD = 0.8;

export interface Embedded {
  id: string;
  embedding: readonly number[];
}

export function groupBySimilarity<T extends Embedded>(items: readonly T[], threshold = DEFAULT_SIMILARITY_THRESHOLD): T[][] {
  const groups: { seed: T; members: T[] }[] = [];
  for (const item of items) {
    const group = groups.find((g) => cosine(g.seed.embedding, item.embedding) >= threshold);
    if (group) group.members.push(item);
    else groups.push({ seed: item, members: [item] });
  }
  return groups.map((g) => g.members);
}

/**
 * The group a similarity consensus is built on: the largest (at least two items), then the heaviest by
 * `weightOf`, then the one seeded first. Null when no two items are similar enough.
 */
export function selectGroup<T>(groups: readonly T[][], weightOf: (item: T) => number): number | null {
  let best: number | null = null;
  let bestWeight = -Infinity;
  groups.forEach((group, index) => {
    if (group.length < 2) return;
    const weight = group.reduce((sum, item) => sum + weightOf(item), 0);
    const current = best === null ? undefined : groups[best];
    if (!current || group.length > current.length || (group.length === current.length && weight > bestWeight)) {
      best = index;
      bestWeight = weight;
    }
  });
  return best;
}
