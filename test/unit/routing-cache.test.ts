import { describe, expect, it } from 'vitest';
import { PackageCache, type CachedPackage } from '../../src/app/routing/package-cache.js';
import { Stopwatch } from '../../src/app/routing/stopwatch.js';
import type { ContextChange, RoutingStore } from '../../src/domain/routing/ports.js';
import { DEFAULT_WEIGHTS } from '../../src/domain/routing/scoring.js';

/** A store whose event log is `changes`; only what the cache reads is implemented. */
function storeWith(log: { position: number; changes: ContextChange[] }): RoutingStore {
  return {
    changesSince: async (since: number) => ({ position: log.position, changes: log.changes.filter((c) => c.seq > since) }),
    candidatesByIds: async () => [],
  } as unknown as RoutingStore;
}

const entry = (agentId: string, position: number, createdAtMs: number, consideredIds: string[] = []): CachedPackage => ({
  pkg: { agentId, task: 't', budget: 100, items: [], tokens: 0, compressed: null, dropped: [], asOf: position, computedAt: '' },
  position,
  consideredIds: new Set(consideredIds),
  profile: { needKeys: [], now: new Date(createdAtMs), recencyHalfLifeHours: 24 },
  probe: { taskEmbedding: [], needsEmbedding: null, workflowId: null, validAt: null },
  threshold: 0.3,
  createdAtMs,
});

describe('package cache', () => {
  it('evicts the least recently used entry beyond its size', async () => {
    const cache = new PackageCache({
      store: storeWith({ position: 1, changes: [] }),
      weights: DEFAULT_WEIGHTS,
      maxEntries: 2,
      now: () => 0,
    });
    cache.set('a', entry('a', 1, 0));
    cache.set('b', entry('b', 1, 0));
    expect(await cache.get('a')).not.toBeNull(); // a is now the most recently used
    cache.set('c', entry('c', 1, 0));
    expect(await cache.get('b')).toBeNull();
    expect((await cache.get('a'))?.agentId).toBe('a');
    expect((await cache.get('c'))?.agentId).toBe('c');
  });

  it('keeps nothing when its size is 0', async () => {
    const cache = new PackageCache({
      store: storeWith({ position: 1, changes: [] }),
      weights: DEFAULT_WEIGHTS,
      maxEntries: 0,
      now: () => 0,
    });
    cache.set('a', entry('a', 1, 0));
    expect(await cache.get('a')).toBeNull();
  });

  it('drops an entry past its age or touched by a change, and keeps one no change concerns', async () => {
    let now = 0;
    const log = { position: 1, changes: [] as ContextChange[] };
    const cache = new PackageCache({ store: storeWith(log), weights: DEFAULT_WEIGHTS, maxAgeMs: 1000, recheckMs: 0, now: () => now });
    cache.set('old', entry('old', 1, 0));
    cache.set('touched', entry('touched', 1, 0, ['x']));
    cache.set('kept', entry('kept', 1, 0, ['y']));
    log.position = 2;
    log.changes = [{ seq: 2, kind: 'RETRACTED', contextId: 'x' }];
    expect(await cache.get('touched')).toBeNull();
    expect(await cache.get('touched')).toBeNull(); // evicted, not re-checked
    expect(await cache.get('kept')).not.toBeNull();
    now = 1001;
    expect(await cache.get('old')).toBeNull();
  });

  it('drops an entry once a context it considered stops being valid, and not a moment before', async () => {
    let now = 0;
    const cache = new PackageCache({
      store: storeWith({ position: 1, changes: [] }),
      weights: DEFAULT_WEIGHTS,
      recheckMs: 0,
      now: () => now,
    });
    cache.set('bounded', { ...entry('bounded', 1, 0), validityEndsAt: new Date(500).toISOString() });
    cache.set('unbounded', { ...entry('unbounded', 1, 0), validityEndsAt: null });
    now = 499;
    expect(await cache.get('bounded')).not.toBeNull();
    now = 500;
    expect(await cache.get('bounded')).toBeNull();
    expect(await cache.get('unbounded')).not.toBeNull();
  });
});

describe('stopwatch', () => {
  it('adds up each phase, however often it is entered, and times the whole from construction', async () => {
    let now = 100;
    const watch = new Stopwatch(() => now);
    await watch.time('database', async () => {
      now += 5;
    });
    watch.timeSync('ranking', () => (now += 1.234));
    await watch.time('database', async () => {
      now += 2;
    });
    await expect(
      watch.time('packing', async () => {
        now += 3;
        throw new Error('fails');
      }),
    ).rejects.toThrow('fails');
    now += 10;
    expect(watch.timings()).toEqual({ embeddingMs: 0, databaseMs: 7, rankingMs: 1.23, packingMs: 3, totalMs: 21.23 });
  });
});
