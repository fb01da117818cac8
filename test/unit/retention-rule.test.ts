import { describe, expect, it } from 'vitest';
import * as statements from '../../src/adapters/neo4j/statements/retention.js';
import { parsePruneArgs, UsageError } from '../../src/cli/prune-history.js';
import {
  effectiveCutoff,
  parseDuration,
  planContextRetention,
  prunedHorizon,
  SnapshotIndex,
  SUPERSEDED_GRACE_MS,
  type ContextVersions,
  type RetentionNeeds,
  type RetentionOptions,
  type SnapshotPoint,
} from '../../src/domain/history/retention.js';

/** The retention rule (src/domain/history/retention.ts): which versions a prune may delete, and why the rest stay. */

const NOW = '2026-12-01T12:00:00.000Z';
const daysAgo = (days: number) => new Date(Date.parse(NOW) - days * 86_400_000).toISOString();

/** A context with versions 1..n, version k written `ages[k-1]` days ago at seq 10*k. */
function contextWith(ages: number[], extra: Partial<ContextVersions> = {}, used: number[] = []): ContextVersions {
  return {
    contextId: 'c1',
    workflowId: null,
    currentVersion: ages.length,
    versions: ages.map((age, index) => ({
      version: index + 1,
      seq: 10 * (index + 1),
      at: daysAgo(age),
      usedByDecision: used.includes(index + 1),
    })),
    ...extra,
  };
}

const needs = (snapshots: SnapshotPoint[] = [], packaged: string[] = []): RetentionNeeds => ({
  snapshots: new SnapshotIndex(snapshots),
  inPackage: (contextId, version) => packaged.includes(`${contextId}@${version}`),
});
const options = (o: Partial<RetentionOptions>): RetentionOptions => ({ cutoff: null, keepLast: null, now: NOW, ...o });
const pruned = (plan: ReturnType<typeof planContextRetention>) => plan.prune.map((p) => p.version);

describe('retention rule', () => {
  it('keeps the current version whatever the limits, and prunes the rest with keepLast 1', () => {
    const plan = planContextRetention(contextWith([50, 40, 30, 20]), options({ keepLast: 1, cutoff: daysAgo(1) }), needs());
    expect(pruned(plan)).toEqual([1, 2, 3]);
    expect(plan.kept).toEqual({ current: 1, recent: 0, snapshots: 0, decisions: 0, packages: 0 });
    // Each pruned version carries the seq of the version after it: the end of the asOf span it answered.
    expect(plan.prune.map((p) => [p.seq, p.nextSeq])).toEqual([
      [10, 20],
      [20, 30],
      [30, 40],
    ]);
  });

  it('keeps the newest keepLast versions of each context', () => {
    const plan = planContextRetention(contextWith([50, 40, 30, 20, 10]), options({ keepLast: 3 }), needs());
    expect(pruned(plan)).toEqual([1, 2]);
    expect(plan.kept).toMatchObject({ current: 1, recent: 2 });
  });

  it('judges age by when a version stopped being current, not when it was written', () => {
    // v1 written 50 days ago, superseded by v2 20 days ago; v2 superseded by v3 5 days ago. Cutoff: 10 days.
    const plan = planContextRetention(contextWith([50, 20, 5]), options({ cutoff: daysAgo(10) }), needs());
    expect(pruned(plan)).toEqual([1]);
    expect(plan.kept).toMatchObject({ current: 1, recent: 1 });
  });

  it('with both limits, prunes only what both allow', () => {
    const ages = [50, 40, 30, 3, 2];
    expect(pruned(planContextRetention(contextWith(ages), options({ cutoff: daysAgo(10), keepLast: 4 }), needs()))).toEqual([1]);
    expect(pruned(planContextRetention(contextWith(ages), options({ cutoff: daysAgo(35), keepLast: 1 }), needs()))).toEqual([1]);
  });

  it('never prunes a version superseded less than the grace period ago (a package may still be being recorded)', () => {
    const justNow = new Date(Date.parse(NOW) - SUPERSEDED_GRACE_MS / 2).toISOString();
    const aWhileAgo = new Date(Date.parse(NOW) - SUPERSEDED_GRACE_MS * 2).toISOString();
    const context: ContextVersions = {
      contextId: 'c1',
      workflowId: null,
      currentVersion: 3,
      versions: [
        { version: 1, seq: 1, at: daysAgo(9), usedByDecision: false },
        { version: 2, seq: 2, at: aWhileAgo, usedByDecision: false },
        { version: 3, seq: 3, at: justNow, usedByDecision: false },
      ],
    };
    const plan = planContextRetention(context, options({ keepLast: 1 }), needs());
    expect(pruned(plan)).toEqual([1]);
    expect(plan.kept).toMatchObject({ current: 1, recent: 1 });
    expect(effectiveCutoff(options({ cutoff: NOW }))).toBe(new Date(Date.parse(NOW) - SUPERSEDED_GRACE_MS).toISOString());
    expect(effectiveCutoff(options({ cutoff: daysAgo(3) }))).toBe(daysAgo(3));
  });

  it('keeps the version current at each snapshot of the mesh or of the context workflow, and only that one', () => {
    const context = contextWith([50, 40, 30, 20, 10], { workflowId: 'wf' });
    // seqs 10..50. Snapshot at 25 needs v2 (seq 20); at 30 needs v3 exactly; at 45 of another workflow needs nothing.
    const points = [
      { seq: 25, workflowId: null },
      { seq: 30, workflowId: 'wf' },
      { seq: 45, workflowId: 'other' },
    ];
    const plan = planContextRetention(context, options({ keepLast: 1 }), needs(points));
    expect(pruned(plan)).toEqual([1, 4]);
    expect(plan.kept).toMatchObject({ current: 1, snapshots: 2 });
    // A snapshot before the context existed needs none of its versions.
    expect(pruned(planContextRetention(context, options({ keepLast: 1 }), needs([{ seq: 5, workflowId: null }])))).toEqual([1, 2, 3, 4]);
  });

  it('keeps versions a decision used and versions a stored package lists, counting each under its first reason', () => {
    const context = contextWith([50, 40, 30, 20, 10], {}, [1, 2]);
    const plan = planContextRetention(context, options({ keepLast: 1 }), needs([{ seq: 20, workflowId: null }], ['c1@2', 'c1@3']));
    expect(pruned(plan)).toEqual([4]);
    // v2 is both snapshotted and used and packaged: counted once, as a snapshot.
    expect(plan.kept).toEqual({ current: 1, recent: 0, snapshots: 1, decisions: 1, packages: 1 });
    expect(plan.prune.length + Object.values(plan.kept).reduce((a, b) => a + b, 0)).toBe(5);
  });

  it('reads versions in seq order whatever order the store returns them in, and keeps the newest stored one', () => {
    const context = contextWith([50, 40, 30]);
    context.versions.reverse();
    expect(pruned(planContextRetention(context, options({ keepLast: 1 }), needs()))).toEqual([1, 2]);
    // A context whose newest stored version is behind its counter (never the case, but safe) still keeps that one.
    const behind = { ...contextWith([50, 40]), currentVersion: 7 };
    const plan = planContextRetention(behind, options({ keepLast: 1 }), needs());
    expect(pruned(plan)).toEqual([1]);
    expect(plan.kept.current).toBe(1);
  });

  it('moves the horizon to the highest next seq of what it deleted, never back', () => {
    const plan = planContextRetention(contextWith([50, 40, 30]), options({ keepLast: 1 }), needs());
    expect(prunedHorizon(plan.prune)).toBe(30);
    expect(prunedHorizon(plan.prune, 99)).toBe(99);
    expect(prunedHorizon([])).toBe(0);
  });

  it('finds snapshot seqs in half-open ranges', () => {
    const index = new SnapshotIndex([
      { seq: 10, workflowId: null },
      { seq: 30, workflowId: 'a' },
    ]);
    expect(index.anyIn(null, 10, 11)).toBe(true);
    expect(index.anyIn(null, 11, 30)).toBe(false);
    expect(index.anyIn('a', 11, 31)).toBe(true);
    expect(index.anyIn('a', 11, 30)).toBe(false);
    expect(index.anyIn('b', 11, 31)).toBe(false);
    expect(new SnapshotIndex([]).anyIn(null, 0, 1_000)).toBe(false);
  });

  it('reads ages like 30d, 12h, 90m, 45s, 2w', () => {
    expect(parseDuration('30d')).toBe(30 * 86_400_000);
    expect(parseDuration('12h')).toBe(12 * 3_600_000);
    expect(parseDuration('90m')).toBe(90 * 60_000);
    expect(parseDuration('45s')).toBe(45_000);
    expect(parseDuration('2w')).toBe(14 * 86_400_000);
    for (const bad of ['', '30', 'd', '-1d', '1.5d', '30 days', '2026-01-01T00:00:00Z']) expect(parseDuration(bad)).toBeNull();
  });
});

describe('history:prune arguments', () => {
  it('parses flags, inline values and the dry run; leaves value checks to the service', () => {
    expect(parsePruneArgs(['--older-than', '30d', '--keep-last', '5', '--dry-run'])).toEqual({
      help: false,
      dryRun: true,
      olderThan: '30d',
      keepLast: 5,
    });
    expect(parsePruneArgs(['--keep-last=2', '--packages-older-than=2026-01-01T00:00:00Z'])).toEqual({
      help: false,
      dryRun: false,
      keepLast: 2,
      packagesOlderThan: '2026-01-01T00:00:00Z',
    });
    // Not a number: passed on as text, so the service answers BAD_USER_INPUT like the mutation.
    expect(parsePruneArgs(['--keep-last', 'five']).keepLast).toBe('five');
    expect(parsePruneArgs(['--help']).help).toBe(true);
  });

  it('refuses unknown flags and missing values', () => {
    expect(() => parsePruneArgs(['--older-than'])).toThrow(UsageError);
    expect(() => parsePruneArgs(['--older-than', '--dry-run'])).toThrow(UsageError);
    expect(() => parsePruneArgs(['--everything'])).toThrow(/unknown argument/);
  });
});

describe('retention statements', () => {
  it('are named and carry values only as parameters (quoted literals: our counter name alone)', () => {
    const named = Object.values(statements);
    expect(named.length).toBeGreaterThanOrEqual(10);
    for (const { name, cypher } of named) {
      expect(name).toMatch(/^[a-z][A-Za-z]+$/);
      for (const literal of cypher.match(/'[^']*'/g) ?? []) expect(literal, name).toBe("'pruned'");
    }
  });
});
