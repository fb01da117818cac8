/**
 * Packing: choose which ranked contexts an agent reads in full within its token budget.
 *
 * Algorithm (guarantees are restated in README.md):
 * 1. Greedy by score. Each candidate, best first, is taken when it fits. When it has dependencies among
 *    the candidates that are not taken yet, it is taken together with all of them (its transitive
 *    dependency group) if the whole group fits, because a context that builds on another is hard to read
 *    without it; if the group does not fit, the candidate is taken alone when it fits.
 * 2. Fill. If greedy leaves the budget under the target (95 %) while some subset of the candidates would
 *    reach it, keep the longest prefix of greedy's picks for which the target is still reachable (binary
 *    search; reachability only shrinks as the prefix grows), then fill the remaining space with an exact
 *    subset-sum over the other candidates that draws on the shortest possible run of them in score order,
 *    and finish with another greedy pass (step 1) over whatever still fits.
 * 3. Order the packed items for reading: dependencies first (topological order); among items ready to be
 *    read, the one whose best dependent ranks highest goes first, then by score.
 *
 * Cost: step 1 is O(n · (n + e)). Step 2 runs only when greedy misses the target; it does at most
 * ⌈log2(n + 1)⌉ + 1 subset-sum passes, each a bitset DP of n · budget / 32 word operations (about 1.9 M at
 * n = 300, budget = 200 k) that stops as soon as the target is reached. Step 3 is O(n²) in the packed count.
 */
import type { ScoredContext } from './types.js';

/** Share of the budget the packer fills whenever the candidates allow it. */
export const PACKING_TARGET_PERCENT = 95;

export interface PackResult {
  /** In reading order: every dependency before the items that depend on it, each as early as that allows for the best item needing it; otherwise by score. */
  packed: ScoredContext[];
  /** Everything not packed, in the order of `ranked` (score order). */
  leftover: ScoredContext[];
  /** Sum of `tokens` of `packed`; never more than the budget. */
  tokens: number;
}

/**
 * Picks the contexts to read in full.
 *
 * @param ranked candidates sorted by score, best first (their order is the score order; it is not re-sorted).
 * @param budget tokens available; non-integer budgets are floored, negative or non-finite ones pack nothing.
 * @param dependenciesOf ids a context depends on; ids that are not among `ranked` are ignored.
 */
export function packToBudget(
  ranked: readonly ScoredContext[],
  budget: number,
  dependenciesOf: (id: string) => readonly string[],
): PackResult {
  const n = ranked.length;
  const cap = Number.isFinite(budget) ? Math.max(0, Math.floor(budget)) : 0;
  // Token counts are integers already; ceil keeps the budget check safe should a caller pass estimates.
  const weight = ranked.map((r) => Math.max(0, Math.ceil(r.tokens)));
  const deps = dependencyIndex(ranked, dependenciesOf);
  const target = Math.ceil((cap * PACKING_TARGET_PERCENT) / 100);

  let chosen: Uint8Array = new Uint8Array(n);
  const greedy = fillGreedy(weight, deps, cap, chosen, 0);
  let used = greedy.used;

  if (used < target && used < sum(weight)) {
    const improved = improveFill(weight, deps, cap, target, greedy.picks);
    if (improved) ({ chosen, used } = improved);
  }

  const packed = readingOrder(chosen, deps).map((i) => ranked[i] as ScoredContext);
  const leftover = ranked.filter((_, i) => chosen[i] === 0);
  return { packed, leftover, tokens: used };
}

/** deps[i]: indices of the candidates that candidate i depends on (unique, without i). */
function dependencyIndex(ranked: readonly ScoredContext[], dependenciesOf: (id: string) => readonly string[]): number[][] {
  const indexOf = new Map<string, number>();
  ranked.forEach((r, i) => {
    if (!indexOf.has(r.context.id)) indexOf.set(r.context.id, i);
  });
  return ranked.map((r, i) => {
    const out = new Set<number>();
    for (const id of dependenciesOf(r.context.id)) {
      const j = indexOf.get(id);
      if (j !== undefined && j !== i) out.add(j);
    }
    return [...out];
  });
}

/**
 * Step 1 (and the last part of step 2): candidates in score order, each with its untaken transitive
 * dependencies when the whole group fits, else alone when it fits. Mutates `chosen`.
 * Afterwards no unchosen candidate fits in the space left: one that did not fit at its turn never fits later.
 */
function fillGreedy(
  weight: readonly number[],
  deps: readonly (readonly number[])[],
  cap: number,
  chosen: Uint8Array,
  used: number,
): { picks: number[][]; used: number } {
  const picks: number[][] = [];
  for (let i = 0; i < weight.length; i++) {
    if (chosen[i] === 1) continue;
    const group = untakenClosure(i, deps, chosen);
    const groupWeight = group.reduce((s, j) => s + (weight[j] ?? 0), 0);
    const pick = used + groupWeight <= cap ? group : used + (weight[i] ?? 0) <= cap ? [i] : null;
    if (pick === null) continue;
    for (const j of pick) {
      chosen[j] = 1;
      used += weight[j] ?? 0;
    }
    picks.push(pick);
  }
  return { picks, used };
}

/** i plus every candidate it depends on, directly or transitively, that is not chosen yet. Cycle-safe. */
function untakenClosure(i: number, deps: readonly (readonly number[])[], chosen: Uint8Array): number[] {
  const seen = new Set<number>([i]);
  const stack = [i];
  while (stack.length > 0) {
    const k = stack.pop() as number;
    for (const d of deps[k] ?? []) {
      if (chosen[d] === 1 || seen.has(d)) continue;
      seen.add(d);
      stack.push(d);
    }
  }
  return [...seen];
}

/**
 * Step 2. Returns null when no subset of the candidates reaches `target` (greedy's result then stands).
 * Prefix k = the first k greedy picks kept as they are; fill(k) = the most the budget can hold given them.
 * fill(0) is the best any subset can do, fill(picks.length) is greedy's own result (< target), and fill
 * only decreases with k, so the largest k with fill(k) >= target is found by binary search.
 */
function improveFill(
  weight: readonly number[],
  deps: readonly (readonly number[])[],
  cap: number,
  target: number,
  picks: readonly (readonly number[])[],
): { chosen: Uint8Array; used: number } | null {
  const attempt = (k: number): { chosen: Uint8Array; used: number } | null => {
    const chosen = new Uint8Array(weight.length);
    let fixed = 0;
    for (const pick of picks.slice(0, k))
      for (const j of pick) {
        chosen[j] = 1;
        fixed += weight[j] ?? 0;
      }
    const room = cap - fixed;
    const others: number[] = [];
    for (let j = 0; j < weight.length; j++) if (chosen[j] === 0 && (weight[j] ?? 0) > 0 && (weight[j] ?? 0) <= room) others.push(j);
    const subset = fillExactly(
      others.map((j) => weight[j] ?? 0),
      room,
      target - fixed,
    );
    if (subset === null) return null;
    let used = fixed;
    for (const s of subset) {
      const j = others[s] as number;
      chosen[j] = 1;
      used += weight[j] ?? 0;
    }
    // Room the subset left (and zero-token candidates) goes to whatever still fits, best first.
    return { chosen, used: fillGreedy(weight, deps, cap, chosen, used).used };
  };

  let best = attempt(0);
  if (best === null) return null;
  let lo = 0; // attempt(lo) reaches the target
  let hi = picks.length; // greedy itself does not
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    const r = attempt(mid);
    if (r === null) hi = mid;
    else {
      lo = mid;
      best = r;
    }
  }
  return best;
}

/**
 * Exact 0/1 subset-sum over `weights` (all in 1..room) as a bitset DP, processing items in order and
 * stopping at the first item p that makes some sum in [need, room] reachable. Returns the indices of a
 * subset of items 0..p with the largest reachable sum <= room (so the fill uses the best-ranked items that
 * can do it and, among those, fills the most), or null when no subset reaches `need`.
 * reachedBy[s] records the first item that made sum s reachable, which is enough to walk a subset back.
 */
function fillExactly(weights: readonly number[], room: number, need: number): number[] | null {
  if (room < 0) return null;
  const lowest = Math.max(0, need);
  const reachedBy = new Int32Array(room + 1).fill(-1);
  reachedBy[0] = -2; // reachable with no item
  if (lowest === 0) return [];
  const words = (room >>> 5) + 1;
  const bits = new Uint32Array(words);
  bits[0] = 1;
  const tail = room & 31;
  const lastMask = tail === 31 ? 0xffffffff : ((1 << (tail + 1)) - 1) >>> 0;
  let reachedNeed = false;
  for (let item = 0; item < weights.length && !reachedNeed; item++) {
    const w = weights[item] ?? 0;
    const ws = w >>> 5;
    const bs = w & 31;
    // High to low, so each word reads lower words before they gain this item (0/1, not unbounded).
    for (let k = words - 1; k >= ws; k--) {
      const src = bits[k - ws] ?? 0;
      const below = k - ws - 1 >= 0 ? (bits[k - ws - 1] ?? 0) : 0;
      const shifted = bs === 0 ? src : ((src << bs) | (below >>> (32 - bs))) >>> 0;
      let fresh = (shifted & ~(bits[k] ?? 0)) >>> 0;
      if (k === words - 1) fresh = (fresh & lastMask) >>> 0;
      if (fresh === 0) continue;
      bits[k] = ((bits[k] ?? 0) | fresh) >>> 0;
      let rest = fresh | 0;
      while (rest !== 0) {
        const low = rest & -rest;
        const s = k * 32 + (31 - Math.clz32(low));
        reachedBy[s] = item;
        if (s >= lowest) reachedNeed = true;
        rest ^= low;
      }
    }
  }
  if (!reachedNeed) return null;
  let s = room;
  while (s > 0 && reachedBy[s] === -1) s--;
  const subset: number[] = [];
  while (s > 0) {
    const item = reachedBy[s] ?? -1;
    subset.push(item);
    s -= weights[item] ?? 0;
  }
  return subset;
}

/**
 * Kahn's algorithm over the chosen candidates. Among the ready ones it emits first the one whose best
 * dependent (itself included) ranks highest, then by its own rank: a dependency is read just before the
 * best item that needs it, so the most relevant content comes as early as the order allows. O(m²), m chosen.
 * Stored dependencies are acyclic (the mesh rejects cycles); should one slip through, the best remaining
 * item is emitted to break it rather than dropping anything.
 */
function readingOrder(chosen: Uint8Array, deps: readonly (readonly number[])[]): number[] {
  const members: number[] = [];
  chosen.forEach((c, i) => {
    if (c === 1) members.push(i);
  });
  const inside = (i: number): number[] => (deps[i] ?? []).filter((d) => chosen[d] === 1);

  // lead[i]: best rank among i and everything that (transitively) depends on it. Visiting members best
  // first, a node already led by a better one has had its own dependencies led by it too, so it is skipped.
  const lead = new Map<number, number>();
  for (const i of members) {
    if (lead.has(i)) continue;
    lead.set(i, i);
    const stack = [i];
    while (stack.length > 0) {
      for (const d of inside(stack.pop() as number)) {
        if (lead.has(d)) continue;
        lead.set(d, i);
        stack.push(d);
      }
    }
  }

  const waitingOn = new Map<number, number>();
  const dependents = new Map<number, number[]>();
  for (const i of members) {
    const ds = inside(i);
    waitingOn.set(i, ds.length);
    for (const d of ds) dependents.set(d, [...(dependents.get(d) ?? []), i]);
  }
  const before = (a: number, b: number): boolean => {
    const la = lead.get(a) ?? a;
    const lb = lead.get(b) ?? b;
    return la < lb || (la === lb && a < b);
  };
  const order: number[] = [];
  const emitted = new Set<number>();
  while (order.length < members.length) {
    let next: number | undefined;
    for (const i of members) if (!emitted.has(i) && waitingOn.get(i) === 0 && (next === undefined || before(i, next))) next = i;
    next ??= members.find((i) => !emitted.has(i)) as number;
    emitted.add(next);
    order.push(next);
    for (const d of dependents.get(next) ?? []) waitingOn.set(d, (waitingOn.get(d) ?? 0) - 1);
  }
  return order;
}

function sum(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}
