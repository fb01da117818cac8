import { describe, expect, it } from 'vitest';
import { EffectivenessService } from '../../src/app/effectiveness/effectiveness-service.js';
import type { FeedbackRecord } from '../../src/domain/effectiveness/mesh-stats.js';
import type { EffectivenessStore } from '../../src/domain/effectiveness/ports.js';
import type { PackageRecord, TimeRange } from '../../src/domain/history/package-records.js';

const reasons = { semantic: 0, dependency: 0, needs: 0, explicit: 0, confidence: 0, recency: 0 };
const pkg = (id: string, agentId: string, at: string): PackageRecord => ({
  id,
  agentId,
  at,
  cached: false,
  coalesced: false,
  replayOf: null,
  body: {
    task: 't',
    workflowId: null,
    budget: 100,
    tokens: 10,
    asOf: 1,
    computedAt: at,
    items: [{ contextId: 'a', version: 1, score: 1, reasons, tokens: 10, addedByReplay: false }],
    compressed: { text: 's', originalContextIds: ['b'], tokens: 5, compressionRatio: 2, method: 'EXTRACTIVE' },
    dropped: [],
  },
});

function service(packages: PackageRecord[], maxPackages?: number) {
  const calls: { agentId: string | null; range: TimeRange; first: number }[] = [];
  const written: FeedbackRecord[] = [];
  let flushes = 0;
  const store: EffectivenessStore = {
    async upsertFeedback(feedback) {
      const stored = { ...feedback, updatedAt: feedback.at };
      written.push(stored);
      return { feedback: stored, replayed: false };
    },
    async packagesInRange(agentId, range, first) {
      calls.push({ agentId, range, first });
      return packages.filter((p) => agentId === null || p.agentId === agentId).slice(0, first);
    },
    async feedbackOf() {
      return [];
    },
    async versionTimes() {
      return new Map();
    },
    async conflictCounts() {
      return { raised: 2, resolved: 1 };
    },
  };
  const effectiveness = new EffectivenessService({
    store,
    packages: { packagesByIds: async (ids) => packages.filter((p) => ids.includes(p.id)) },
    log: { flush: async () => void (flushes += 1) },
    clock: { now: () => new Date('2026-01-01T00:05:00Z') },
    ...(maxPackages === undefined ? {} : { maxPackages }),
  });
  return { effectiveness, calls, written, flushes: () => flushes };
}

const agent = (agentId: string) => ({ kind: 'agent' as const, agentId });
const admin = { kind: 'admin' as const };
const codeOf = async (promise: Promise<unknown>) =>
  promise.then(
    () => 'none',
    (error: { code?: string }) => error.code,
  );

describe('EffectivenessService', () => {
  const packages = [
    pkg('p3', 'w', '2026-01-01T00:03:00.000Z'),
    pkg('p2', 'w', '2026-01-01T00:02:00.000Z'),
    pkg('p1', 'x', '2026-01-01T00:01:00.000Z'),
  ];

  it('feedback flushes the log first, stores the agent of the package, and accepts a summarised original', async () => {
    const { effectiveness, written, flushes } = service(packages);
    const stored = await effectiveness.feedback(admin, { packageId: 'p3', contextId: 'b', used: true }, null);
    expect(flushes()).toBe(1);
    expect(stored).toMatchObject({ packageId: 'p3', contextId: 'b', agentId: 'w', used: true, useful: null });
    expect(written).toHaveLength(1);
  });

  it('feedback: NOT_FOUND, FORBIDDEN, and BAD_USER_INPUT naming the context not delivered', async () => {
    const { effectiveness } = service(packages);
    expect(await codeOf(effectiveness.feedback(agent('w'), { packageId: 'nope', contextId: 'a', used: true }, null))).toBe('NOT_FOUND');
    expect(await codeOf(effectiveness.feedback(agent('x'), { packageId: 'p3', contextId: 'a', used: true }, null))).toBe('FORBIDDEN');
    await expect(effectiveness.feedback(agent('w'), { packageId: 'p3', contextId: 'zzz', used: true }, null)).rejects.toThrow(
      'Context zzz was not delivered in package p3',
    );
    expect(await codeOf(effectiveness.feedback(agent('w'), { packageId: 'p3', contextId: 'a' }, null))).toBe('BAD_USER_INPUT');
  });

  it('meshStats: an agent defaults to itself and may not ask for another; the admin reads everyone', async () => {
    const { effectiveness, calls } = service(packages);
    expect((await effectiveness.meshStats(agent('w'), {})).deliveries).toBe(2);
    expect(calls[0]?.agentId).toBe('w');
    expect(await codeOf(effectiveness.meshStats(agent('w'), { agentId: 'x' }))).toBe('FORBIDDEN');
    const all = await effectiveness.meshStats(admin, {});
    expect(all.agentId).toBeNull();
    expect(all.deliveries).toBe(3);
    expect({ raised: all.conflictsRaised, resolved: all.conflictsResolved }).toEqual({ raised: 2, resolved: 1 });
  });

  it('meshStats reads at most the bound (one more to know), newest first, and says truncated', async () => {
    const { effectiveness, calls } = service(packages, 2);
    const stats = await effectiveness.meshStats(admin, {});
    expect(calls[0]?.first).toBe(3);
    expect(stats.truncated).toBe(true);
    expect(stats.packagesRead).toBe(2);
    expect(stats.deliveries).toBe(2);
    expect(stats.perAgent.map((a) => a.agentId)).toEqual(['w']);
    const exact = await service(packages, 3).effectiveness.meshStats(admin, {});
    expect(exact.truncated).toBe(false);
  });
});
