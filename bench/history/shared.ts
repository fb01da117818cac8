/**
 * Shared plumbing of the history benchmarks: a bounded worker pool, client-side timing, the machine's load, and
 * round-robin timing of query variants (one run of each in turn, so load and warm-up fall on all of them alike).
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import type { BenchServer } from '../routing/harness.js';
import { mean, percentile } from '../routing/metrics.js';

export const log = (message: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`);

export const round1 = (x: number) => Math.round(x * 10) / 10;

/** Runs `work` on every item, at most `concurrency` at a time. */
export async function pool<T>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      await work(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

export async function timed<T>(what: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const started = performance.now();
  const result = await what();
  return { ms: Math.round(performance.now() - started), result };
}

/** What else the (shared) machine was doing: the 1/5/15-minute load averages, as `uptime` prints them. */
export function machineLoad(): { at: string; loadavg: number[]; cores: number } {
  return { at: new Date().toISOString(), loadavg: os.loadavg().map((x) => Math.round(x * 100) / 100), cores: os.cpus().length };
}

export interface LatencyStats {
  runs: number;
  p50: number;
  p95: number;
  mean: number;
  max: number;
  /** Cypher statements the app sent per request (all of them while the request ran: a write-behind flush counts too). */
  statementsPerRequest: number;
  statementsByName: Record<string, number>;
  /** Mean time per request spent in each statement (sent → all rows, ms, as the executor saw it). */
  statementMsPerRequest: Record<string, number>;
}

export function latencyStats(
  ms: readonly number[],
  statements: Record<string, number> = {},
  statementMs: Record<string, number> = {},
): LatencyStats {
  const total = Object.values(statements).reduce((a, b) => a + b, 0);
  const perRequest = Object.entries(statementMs)
    .sort((a, b) => b[1] - a[1])
    .map(([name, sum]) => [name, round1(sum / Math.max(1, ms.length))]);
  return {
    runs: ms.length,
    p50: round1(percentile(ms, 50)),
    p95: round1(percentile(ms, 95)),
    mean: round1(mean(ms)),
    max: round1(Math.max(0, ...ms)),
    statementsPerRequest: round1(total / Math.max(1, ms.length)),
    statementsByName: statements,
    statementMsPerRequest: Object.fromEntries(perRequest),
  };
}

/** One variant: run `i` of it (the same `i` for every variant of a round, so they read comparable things). */
export type Variant = (i: number) => Promise<unknown>;

/**
 * Times the variants round-robin, sequentially (one request in flight): `warmup` rounds untimed, then `runs`
 * rounds, each running every variant once, in an order rotated each round so none always runs first.
 * Client-side times of whole HTTP requests; statements counted through the app's executor. A variant that fails
 * twice is dropped from the later rounds (its errors and the time of its failed requests are reported), so one
 * query the server cannot answer at this size does not lose the others' numbers.
 */
export async function roundRobin(
  server: Pick<BenchServer, 'app'>,
  variants: Record<string, Variant>,
  options: { runs: number; warmup: number },
): Promise<Record<string, LatencyStats & { errors?: { count: number; first: string; failedMs: number[] } }>> {
  const names = Object.keys(variants);
  const ms = new Map<string, number[]>(names.map((name) => [name, []]));
  const statements = new Map<string, Record<string, number>>(names.map((name) => [name, {}]));
  const durations = new Map<string, Record<string, number>>(names.map((name) => [name, {}]));
  const errors = new Map<string, { count: number; first: string; failedMs: number[] }>();
  let counting: Record<string, number> | null = null;
  let timing: Record<string, number> | null = null;
  const unsubscribe = server.app.executor.onQuery(({ name, durationMs }) => {
    if (counting) counting[name] = (counting[name] ?? 0) + 1;
    if (timing) timing[name] = (timing[name] ?? 0) + (durationMs ?? 0);
  });
  const attempt = async (name: string, run: number, timed: boolean) => {
    if ((errors.get(name)?.count ?? 0) >= 2) return;
    counting = timed ? (statements.get(name) ?? null) : null;
    timing = timed ? (durations.get(name) ?? null) : null;
    const started = performance.now();
    try {
      await (variants[name] as Variant)(run);
      if (timed) ms.get(name)?.push(performance.now() - started);
    } catch (error) {
      const seen = errors.get(name) ?? { count: 0, first: String(error).slice(0, 500), failedMs: [] };
      seen.count += 1;
      seen.failedMs.push(Math.round(performance.now() - started));
      errors.set(name, seen);
    } finally {
      counting = null;
      timing = null;
    }
  };
  try {
    for (let i = 0; i < options.warmup; i++) for (const name of names) await attempt(name, i, false);
    for (let i = 0; i < options.runs; i++) {
      for (let k = 0; k < names.length; k++) await attempt(names[(k + i) % names.length] as string, options.warmup + i, true);
    }
  } finally {
    unsubscribe();
  }
  return Object.fromEntries(
    names.map((name) => {
      const failed = errors.get(name);
      return [
        name,
        { ...latencyStats(ms.get(name) ?? [], statements.get(name), durations.get(name)), ...(failed ? { errors: failed } : {}) },
      ];
    }),
  );
}
