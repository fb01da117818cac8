import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compressionSavings, filteringSavings, median, meshStats, type FeedbackRecord } from '../../src/domain/effectiveness/mesh-stats.js';
import type { DeliveredItem, PackageRecord } from '../../src/domain/history/package-records.js';

const reasons = { semantic: 0, dependency: 0, needs: 0, explicit: 0, confidence: 0, recency: 0 };
const item = (contextId: string, tokens: number, version = 1): DeliveredItem => ({
  contextId,
  version,
  score: 0.5,
  reasons,
  tokens,
  addedByReplay: false,
});

function pkg(id: string, overrides: Partial<PackageRecord> & { items?: DeliveredItem[]; workflowId?: string | null } = {}): PackageRecord {
  const items = overrides.items ?? [item('a', 10), item('b', 20)];
  return {
    id,
    agentId: overrides.agentId ?? 'agent-1',
    at: overrides.at ?? '2026-01-01T00:01:00.000Z',
    cached: overrides.cached ?? false,
    coalesced: overrides.coalesced ?? false,
    poolTokens: overrides.poolTokens ?? null,
    replayOf: null,
    body: {
      task: 'task',
      workflowId: overrides.workflowId ?? null,
      budget: 100,
      tokens: items.reduce((n, i) => n + i.tokens, 0),
      asOf: 1,
      computedAt: '2026-01-01T00:00:00.000Z',
      items,
      compressed: null,
      dropped: [],
      ...overrides.body,
    },
  };
}

const word = (packageId: string, contextId: string, used: boolean, useful: boolean | null = null): FeedbackRecord => ({
  packageId,
  contextId,
  agentId: 'agent-1',
  used,
  useful,
  at: '2026-01-01T00:02:00.000Z',
  updatedAt: '2026-01-01T00:02:00.000Z',
});

describe('meshStats (pure aggregation)', () => {
  it('is all zeros and nulls over no packages', () => {
    const stats = meshStats({ packages: [], feedback: [], versionTimes: new Map() });
    expect(stats).toMatchObject({ deliveries: 0, itemsDelivered: 0, tokensDelivered: 0, feedbackCount: 0, precision: null });
    expect({ cache: stats.cacheHitRate, coalesced: stats.coalescedRate, age: stats.medianDeliveredAgeSeconds }).toEqual({
      cache: null,
      coalesced: null,
      age: null,
    });
    expect(stats.perAgent).toEqual([]);
    expect(stats.perWorkflow).toEqual([]);
  });

  it('precision is used ÷ items with feedback; tokensUsed counts the items marked used (a summarised original: 0)', () => {
    const p = pkg('p1', {
      body: {
        compressed: { text: 's', originalContextIds: ['c'], tokens: 10, compressionRatio: 3.5, method: 'EXTRACTIVE' },
      } as PackageRecord['body'],
    });
    const stats = meshStats({
      packages: [p],
      feedback: [word('p1', 'a', true, true), word('p1', 'b', false, false), word('p1', 'c', true), word('other', 'a', true)],
      versionTimes: new Map(),
    });
    expect(stats.feedbackCount).toBe(3);
    expect(stats.itemsUsed).toBe(2);
    expect(stats.tokensUsed).toBe(10);
    expect(stats.usefulCount).toBe(1);
    expect(stats.precision).toBeCloseTo(2 / 3, 12);
    expect(stats.tokensSavedByCompression).toBe(25);
  });

  it('rates, dropped counts, ages and the breakdowns per agent and per workflow', () => {
    const packages = [
      pkg('p1', { agentId: 'b', cached: true, workflowId: 'wf' }),
      pkg('p2', { agentId: 'a', coalesced: true, at: '2026-01-01T00:02:00.000Z' }),
      pkg('p3', {
        agentId: 'a',
        workflowId: 'wf',
        body: {
          dropped: [
            { contextId: 'x', reason: 'DUPLICATE', duplicateOf: 'a', score: 0.4 },
            { contextId: 'y', reason: 'BELOW_THRESHOLD', duplicateOf: null, score: 0.1 },
            { contextId: 'z', reason: 'STALE', duplicateOf: null, score: null },
          ],
        } as PackageRecord['body'],
      }),
    ];
    const versionTimes = new Map([
      ['a@1', '2026-01-01T00:00:00.000Z'],
      ['b@1', '2026-01-01T00:00:30.000Z'],
    ]);
    const stats = meshStats({ packages, feedback: [], versionTimes });
    expect(stats.deliveries).toBe(3);
    expect(stats.cacheHitRate).toBeCloseTo(1 / 3, 12);
    expect(stats.coalescedRate).toBeCloseTo(1 / 3, 12);
    expect([stats.duplicatesDropped, stats.belowThresholdDropped, stats.staleDropped]).toEqual([1, 1, 1]);
    // Ages: p1 and p3 at 00:01 (60 s, 30 s each), p2 at 00:02 (120 s, 90 s): the median of [30,30,60,60,90,120].
    expect(stats.medianDeliveredAgeSeconds).toBe(60);
    expect(stats.perAgent.map((a) => [a.agentId, a.deliveries])).toEqual([
      ['a', 2],
      ['b', 1],
    ]);
    expect(stats.perWorkflow.map((w) => [w.workflowId, w.deliveries])).toEqual([
      ['wf', 2],
      [null, 1],
    ]);
  });

  it('the totals are the sums of the per-agent and the per-workflow numbers (counts and tokens)', () => {
    const arbitrary = fc.array(
      fc.record({ agent: fc.constantFrom('a', 'b', 'c'), wf: fc.constantFrom(null, 'w1', 'w2'), cached: fc.boolean(), used: fc.boolean() }),
      { maxLength: 30 },
    );
    fc.assert(
      fc.property(arbitrary, (rows) => {
        const packages = rows.map((r, i) => pkg(`p${i}`, { agentId: r.agent, workflowId: r.wf, cached: r.cached }));
        const feedback = rows.map((r, i) => word(`p${i}`, 'a', r.used));
        const stats = meshStats({ packages, feedback, versionTimes: new Map() });
        for (const key of ['deliveries', 'itemsDelivered', 'tokensDelivered', 'feedbackCount', 'itemsUsed', 'tokensUsed'] as const) {
          expect(stats.perAgent.reduce((n, a) => n + a[key], 0)).toBe(stats[key]);
          expect(stats.perWorkflow.reduce((n, w) => n + w[key], 0)).toBe(stats[key]);
        }
      }),
    );
  });

  it('filtering savings: the pool minus the items and the summarised originals, over measured packages; stale deliveries', () => {
    const compressed = { text: 's', originalContextIds: ['c', 'd'], tokens: 10, compressionRatio: 4, method: 'EXTRACTIVE' as const };
    const plain = pkg('p1', { poolTokens: 1000 });
    const summarised = pkg('p2', { poolTokens: 1000, body: { ...pkg('x').body, compressed } });
    const unmeasured = pkg('p3');
    const shrunk = pkg('p4', { poolTokens: 5 });
    const stale = pkg('p5', { items: [{ ...item('a', 10), stale: true }, item('b', 20), { ...item('e', 5), stale: true }] });
    // p1: 1000 − 30 items. p2: 1000 − 30 items − 40 originals (summary 10 × ratio 4). p4: never below 0.
    expect(filteringSavings(1000, plain.body)).toBe(970);
    expect(filteringSavings(1000, summarised.body)).toBe(930);
    expect(filteringSavings(5, shrunk.body)).toBe(0);
    const stats = meshStats({ packages: [plain, summarised, unmeasured, shrunk, stale], feedback: [], versionTimes: new Map() });
    expect(stats.tokensSavedByFiltering).toBe(970 + 930);
    expect(stats.poolMeasuredDeliveries).toBe(3);
    expect(stats.tokensSavedByCompression).toBe(30);
    expect(stats.staleDeliveries).toBe(2);
  });

  it('median and compression savings', () => {
    expect(median([])).toBeNull();
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(compressionSavings(null)).toBe(0);
    expect(compressionSavings({ text: '', originalContextIds: [], tokens: 40, compressionRatio: 2.5, method: 'LLM' })).toBe(60);
  });
});
