import { describe, expect, it } from 'vitest';
import { packToBudget, type PackResult } from '../../src/domain/routing/packing.js';
import type { ScoredContext } from '../../src/domain/routing/types.js';
import { scoredContext, seededRandom } from '../support/fixtures.js';

const rng = seededRandom;

const scored = (id: string, tokens: number, score: number): ScoredContext => scoredContext(id, tokens, score);

/** Candidates in score order: c0 is best. */
function ranked(sizes: readonly number[]): ScoredContext[] {
  return sizes.map((t, i) => scored(`c${i}`, t, 1 - i / (sizes.length + 1)));
}

const noDeps = (): string[] => [];
const ids = (xs: readonly ScoredContext[]): string[] => xs.map((x) => x.context.id);

/** Reference: the largest subset sum <= budget (plain boolean DP), to check the 95 % guarantee exactly. */
function bestSubsetSum(sizes: readonly number[], budget: number): number {
  const reach = new Uint8Array(budget + 1);
  reach[0] = 1;
  for (const w of sizes) for (let s = budget; s >= w; s--) if (reach[s - w]) reach[s] = 1;
  let s = budget;
  while (s > 0 && !reach[s]) s--;
  return s;
}

/** Every structural guarantee of packToBudget. */
function checkInvariants(input: readonly ScoredContext[], budget: number, deps: (id: string) => readonly string[], r: PackResult): void {
  const packedIds = ids(r.packed);
  const leftoverIds = ids(r.leftover);
  // Nothing lost, nothing twice.
  expect(new Set([...packedIds, ...leftoverIds]).size).toBe(input.length);
  expect(packedIds.length + leftoverIds.length).toBe(input.length);
  // Never over budget; tokens is the sum of what is packed.
  expect(r.tokens).toBe(r.packed.reduce((s, x) => s + x.tokens, 0));
  expect(r.tokens).toBeLessThanOrEqual(Math.max(0, budget));
  // Leftover keeps score order.
  const rank = new Map(input.map((x, i) => [x.context.id, i]));
  const leftoverRanks = leftoverIds.map((id) => rank.get(id) ?? -1);
  expect(leftoverRanks).toEqual([...leftoverRanks].sort((a, b) => a - b));
  // Reading order: a packed dependency comes before its dependents.
  const pos = new Map(packedIds.map((id, i) => [id, i]));
  for (const [i, id] of packedIds.entries())
    for (const d of deps(id)) {
      const p = pos.get(d);
      if (p !== undefined) expect(p).toBeLessThan(i);
    }
  // Maximal: no leftover would still fit.
  for (const l of r.leftover) expect(l.tokens).toBeGreaterThan(budget - r.tokens);
}

describe('packToBudget', () => {
  it('takes everything, in score order, when everything fits', () => {
    const input = ranked([10, 20, 30]);
    const r = packToBudget(input, 100, noDeps);
    expect(ids(r.packed)).toEqual(['c0', 'c1', 'c2']);
    expect(r.leftover).toEqual([]);
    expect(r.tokens).toBe(60);
  });

  it('keeps the pure greedy result when it already reaches 95 %', () => {
    // Greedy: c0 (50), c1 (60) does not fit, c2 (45) → 95. A 100 % subset exists (c1 + c3) but is not needed.
    const r = packToBudget(ranked([50, 60, 45, 40]), 100, noDeps);
    expect(ids(r.packed)).toEqual(['c0', 'c2']);
    expect(r.tokens).toBe(95);
  });

  it('improves a greedy result under 95 % while keeping the best items it can', () => {
    // Greedy: c0 30 + c2 50 = 80. Keeping c0, the rest of the room (70) is best filled by c3 + c4 = 65 → 95.
    const r = packToBudget(ranked([30, 90, 50, 40, 25]), 100, noDeps);
    expect(ids(r.packed)).toEqual(['c0', 'c3', 'c4']);
    expect(ids(r.leftover)).toEqual(['c1', 'c2']);
    expect(r.tokens).toBe(95);
  });

  it('gives up the top item only when nothing that keeps it reaches 95 %', () => {
    // Greedy 60 + 3 = 63; with c0 the best is 63; without it c1 + c2 + c3 = 98.
    const r = packToBudget(ranked([60, 50, 45, 3]), 100, noDeps);
    expect(ids(r.packed)).toEqual(['c1', 'c2', 'c3']);
    expect(r.tokens).toBe(98);
  });

  it('keeps the greedy result when no subset reaches 95 %', () => {
    // Greedy 40 + 45 = 85; the best subset is 70 + 20 = 90 < 95.
    const r = packToBudget(ranked([40, 70, 45, 20]), 100, noDeps);
    expect(ids(r.packed)).toEqual(['c0', 'c2']);
    expect(r.tokens).toBe(85);
  });

  it('brings a dependency along and puts it first', () => {
    const input = ranked([30, 30, 30]);
    const deps = (id: string): string[] => (id === 'c0' ? ['c2'] : []);
    const r = packToBudget(input, 60, deps);
    // c0 needs c2: the group {c0, c2} goes in before c1 gets its turn.
    expect(ids(r.packed)).toEqual(['c2', 'c0']);
    expect(ids(r.leftover)).toEqual(['c1']);
  });

  it('takes transitive dependencies; each is read just before the best item that needs it', () => {
    const input = ranked([10, 10, 10, 10, 10]);
    const graph: Record<string, string[]> = { c0: ['c3'], c3: ['c4'], c1: ['c4'], c2: [] };
    const deps = (id: string): string[] => graph[id] ?? [];
    const r = packToBudget(input, 1000, deps);
    expect(ids(r.packed)).toEqual(['c4', 'c3', 'c0', 'c1', 'c2']);
  });

  it('takes an item alone when its dependency group does not fit', () => {
    const input = ranked([40, 30, 80]);
    const deps = (id: string): string[] => (id === 'c0' ? ['c2'] : []);
    const r = packToBudget(input, 100, deps);
    expect(ids(r.packed)).toEqual(['c0', 'c1']);
    expect(ids(r.leftover)).toEqual(['c2']);
  });

  it('ignores dependencies outside the candidates, self-references and cycles', () => {
    const input = ranked([10, 10, 10]);
    const graph: Record<string, string[]> = { c0: ['gone', 'c0', 'c1'], c1: ['c2'], c2: ['c0'] };
    const r = packToBudget(input, 100, (id) => graph[id] ?? []);
    expect(new Set(ids(r.packed))).toEqual(new Set(['c0', 'c1', 'c2']));
    expect(r.tokens).toBe(30);
  });

  it('handles empty input, zero and negative budgets, oversized and zero-token items', () => {
    expect(packToBudget([], 100, noDeps)).toEqual({ packed: [], leftover: [], tokens: 0 });
    const input = ranked([500, 0, 20]);
    expect(ids(packToBudget(input, 0, noDeps).packed)).toEqual(['c1']);
    expect(ids(packToBudget(input, -5, noDeps).packed)).toEqual(['c1']);
    const r = packToBudget(input, 100, noDeps);
    expect(ids(r.packed)).toEqual(['c1', 'c2']);
    expect(ids(r.leftover)).toEqual(['c0']);
  });

  it('holds its guarantees on 500 seeded random cases with random dependency DAGs', () => {
    let checked95 = 0;
    let checkedExact = 0;
    for (let seed = 1; seed <= 500; seed++) {
      const rand = rng(seed);
      const n = 1 + Math.floor(rand() * 60);
      const sizes = Array.from({ length: n }, () => 5 + Math.floor(rand() * 1996));
      const total = sizes.reduce((a, b) => a + b, 0);
      // Mostly budgets below the total (the interesting case), some above it.
      const budget = Math.max(1, Math.floor(rand() * total * 1.2));
      const input = ranked(sizes);
      // A random DAG independent of score order: edges only from later to earlier in a random permutation.
      const perm = Array.from({ length: n }, (_, i) => i).sort(() => rand() - 0.5);
      const graph = new Map<string, string[]>();
      for (let p = 1; p < n; p++) {
        const from = `c${perm[p] ?? 0}`;
        const out: string[] = [];
        for (let q = 0; q < p; q++) if (rand() < 2 / n) out.push(`c${perm[q] ?? 0}`);
        graph.set(from, out);
      }
      const deps = (id: string): string[] => graph.get(id) ?? [];

      const r = packToBudget(input, budget, deps);
      checkInvariants(input, budget, deps, r);

      // Guarantee A: total >= budget and every candidate <= 5 % of it ⇒ at least 95 % used.
      if (total >= budget && Math.max(...sizes) * 20 <= budget) {
        checked95++;
        expect(r.tokens * 100).toBeGreaterThanOrEqual(95 * budget);
      }
      // Guarantee B (exact): if any subset fills ⌈95 %⌉..100 %, the packing does too.
      if (budget <= 40_000) {
        checkedExact++;
        const target = Math.ceil((95 * budget) / 100);
        if (bestSubsetSum(sizes, budget) >= target) expect(r.tokens).toBeGreaterThanOrEqual(target);
      }
    }
    expect(checked95).toBeGreaterThan(20);
    expect(checkedExact).toBeGreaterThan(300);
  });

  it('guarantees 95 % for many small candidates (the ≤ 5 % condition) with dependencies', () => {
    for (let seed = 1000; seed < 1100; seed++) {
      const rand = rng(seed);
      const n = 100 + Math.floor(rand() * 200);
      const sizes = Array.from({ length: n }, () => 5 + Math.floor(rand() * 400));
      const total = sizes.reduce((a, b) => a + b, 0);
      const budget = Math.max(20 * Math.max(...sizes), Math.floor(total * (0.2 + rand() * 0.8)));
      const input = ranked(sizes);
      const deps = (id: string): string[] => {
        const i = Number(id.slice(1));
        return i % 3 === 0 && i + 7 < n ? [`c${i + 7}`] : [];
      };
      const r = packToBudget(input, budget, deps);
      checkInvariants(input, budget, deps, r);
      if (total >= budget) expect(r.tokens * 100).toBeGreaterThanOrEqual(95 * budget);
    }
  });
});
