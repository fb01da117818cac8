/**
 * Ranking metrics of the routing benchmark: pure functions over a ranked list of ids and graded
 * judgments (id → grade 0..3, absent = 0).
 *
 *   npx tsx bench/routing/metrics.ts --self-check     asserts textbook examples
 *
 * Groups: near-duplicates share a group (`groupOf(id)`, default: the id itself). The ideal counts a
 * group once, with its best grade; in a ranking a group's first member earns its own grade, later
 * members earn 0 but still take a position (a duplicate wastes a slot). Without groups these are the textbook definitions:
 *   DCG@k  = Σ_{i=1..k} (2^{g_i} − 1) / log2(i + 1)          (exponential gain, standard log2 discount)
 *   nDCG@k = DCG@k / IDCG@k, IDCG from the judgments sorted by grade (0 when nothing is relevant)
 *   recall@k = |relevant ∩ top k| / |relevant|, relevant = grade ≥ minGrade (2 by default)
 *   MRR    = 1 / rank of the first item with grade ≥ minGrade (3 by default: a direct answer), 0 if none
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export type Judgments = Readonly<Record<string, number>>;
export type GroupOf = (id: string) => string;

const identity: GroupOf = (id) => id;

/** Grade of each ranked position: a group's first member earns its own grade, later members 0. */
export function gainsOf(ranked: readonly string[], judgments: Judgments, groupOf: GroupOf = identity): number[] {
  const seen = new Set<string>();
  return ranked.map((id) => {
    const group = groupOf(id);
    if (seen.has(group)) return 0;
    seen.add(group);
    return Math.max(0, judgments[id] ?? 0);
  });
}

/** Best grade per group, for groups with a grade > 0. */
export function groupGrades(judgments: Judgments, groupOf: GroupOf = identity): Map<string, number> {
  const best = new Map<string, number>();
  for (const [id, grade] of Object.entries(judgments)) {
    if (grade <= 0) continue;
    const group = groupOf(id);
    best.set(group, Math.max(best.get(group) ?? 0, grade));
  }
  return best;
}

export function dcg(grades: readonly number[], k: number): number {
  let sum = 0;
  for (let i = 0; i < Math.min(k, grades.length); i += 1) sum += (Math.pow(2, grades[i] as number) - 1) / Math.log2(i + 2);
  return sum;
}

export function ndcgAt(ranked: readonly string[], judgments: Judgments, k: number, groupOf: GroupOf = identity): number {
  const ideal = [...groupGrades(judgments, groupOf).values()].sort((a, b) => b - a);
  const idcg = dcg(ideal, k);
  return idcg === 0 ? 0 : dcg(gainsOf(ranked, judgments, groupOf), k) / idcg;
}

export function recallAt(ranked: readonly string[], judgments: Judgments, k: number, minGrade = 2, groupOf: GroupOf = identity): number {
  const relevant = [...groupGrades(judgments, groupOf)].filter(([, g]) => g >= minGrade).map(([group]) => group);
  if (relevant.length === 0) return 0;
  const top = new Set(ranked.slice(0, k).map(groupOf));
  return relevant.filter((group) => top.has(group)).length / relevant.length;
}

/** Recall of an unordered set (e.g. a whole context package), same relevance rule. */
export function setRecall(ids: Iterable<string>, judgments: Judgments, minGrade = 2, groupOf: GroupOf = identity): number {
  const list = [...ids];
  return recallAt(list, judgments, list.length, minGrade, groupOf);
}

export function reciprocalRank(ranked: readonly string[], judgments: Judgments, minGrade = 3, groupOf: GroupOf = identity): number {
  const gains = gainsOf(ranked, judgments, groupOf);
  const index = gains.findIndex((g) => g >= minGrade);
  return index < 0 ? 0 : 1 / (index + 1);
}

/** Best achievable recall@k: |relevant| may exceed k. */
export function idealRecallAt(judgments: Judgments, k: number, minGrade = 2, groupOf: GroupOf = identity): number {
  const relevant = [...groupGrades(judgments, groupOf).values()].filter((g) => g >= minGrade).length;
  return relevant === 0 ? 0 : Math.min(k, relevant) / relevant;
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length) - 1; // nearest-rank
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))] as number;
}

export function selfCheck(): void {
  const close = (actual: number, expected: number, what: string) =>
    assert.ok(Math.abs(actual - expected) < 1e-4, `${what}: expected ${expected}, got ${actual}`);

  // DCG with exponential gain: grades [3,2,3,0,1,2] → 7 + 3/log2 3 + 7/2 + 0 + 1/log2 6 + 3/log2 7
  const grades = [3, 2, 3, 0, 1, 2];
  close(dcg(grades, 6), 7 + 3 / Math.log2(3) + 3.5 + 1 / Math.log2(6) + 3 / Math.log2(7), 'DCG@6');
  close(dcg(grades, 1), 7, 'DCG@1');

  const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
  const judgments: Record<string, number> = { a: 3, b: 2, c: 3, e: 1, f: 2 };
  // Ideal order [3,3,2,2,1]: 7 + 7/log2 3 + 3/2 + 3/log2 5 + 1/log2 6
  const idcg = 7 + 7 / Math.log2(3) + 1.5 + 3 / Math.log2(5) + 1 / Math.log2(6);
  close(ndcgAt(ids, judgments, 6), dcg(grades, 6) / idcg, 'nDCG@6');
  close(ndcgAt(['a', 'c', 'b', 'f', 'e'], judgments, 10), 1, 'perfect ranking');
  close(ndcgAt(['x', 'y'], judgments, 10), 0, 'nothing relevant retrieved');
  close(ndcgAt(['a'], {}, 10), 0, 'no judgments');
  // Binary textbook case: relevant at ranks 1 and 3 of 2 relevant → (1 + 1/2) / (1 + 1/log2 3)
  close(ndcgAt(['r1', 'n', 'r2'], { r1: 1, r2: 1 }, 3), 1.5 / (1 + 1 / Math.log2(3)), 'binary nDCG@3');

  // Recall (grade ≥ 2): relevant a,b,c,f; top 3 holds a,b,c.
  close(recallAt(ids, judgments, 3), 3 / 4, 'recall@3');
  close(recallAt(ids, judgments, 20), 1, 'recall@20');
  close(recallAt(['e', 'x'], judgments, 20), 0, 'recall of grade 1 only');
  close(idealRecallAt({ a: 2, b: 2, c: 3 }, 2), 2 / 3, 'ideal recall when |relevant| > k');

  // MRR: first direct answer (grade 3).
  close(reciprocalRank(['x', 'b', 'a'], judgments), 1 / 3, 'RR at 3');
  close(reciprocalRank(['x', 'b', 'a'], judgments, 2), 1 / 2, 'RR with grade ≥ 2 at 2');
  close(reciprocalRank(['x'], judgments), 0, 'RR none');
  close(mean([1, 1 / 2, 1 / 3, 0]), (1 + 0.5 + 1 / 3) / 4, 'MRR mean');

  // Groups: a2 duplicates a; a duplicate of a retrieved item earns nothing but takes a slot.
  const groupOf: GroupOf = (id) => (id === 'a2' ? 'a' : id);
  const dupJudgments = { a: 3, a2: 3, b: 2 };
  close(ndcgAt(['a', 'b'], dupJudgments, 10, groupOf), 1, 'group counted once in the ideal');
  close(ndcgAt(['a', 'a2', 'b'], dupJudgments, 10, groupOf), (7 + 3 / 2) / (7 + 3 / Math.log2(3)), 'duplicate wastes a slot');
  close(ndcgAt(['a2', 'b'], dupJudgments, 10, groupOf), 1, 'either member stands for the group');
  close(recallAt(['a2'], dupJudgments, 20, 2, groupOf), 1 / 2, 'recall by group');
  close(setRecall(['b', 'a2'], dupJudgments, 2, groupOf), 1, 'set recall');

  close(percentile([5, 1, 4, 2, 3], 50), 3, 'p50');
  close(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95), 10, 'p95 nearest rank');
  close(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90), 9, 'p90 nearest rank');
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url) && process.argv.includes('--self-check')) {
  selfCheck();
  console.log('metrics self-check passed');
}
