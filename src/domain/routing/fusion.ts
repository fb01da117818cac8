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
