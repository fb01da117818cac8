import { describe, expect, it } from 'vitest';
import { PackageLog } from '../../src/app/history/package-log.js';
import { PoolTokens } from '../../src/app/history/pool-tokens.js';
import type { PackageRecordStore, PackageRecordToWrite } from '../../src/domain/history/package-records.js';
import type { ContextPackage } from '../../src/domain/routing/types.js';
import { scoredContext } from '../support/fixtures.js';

class RecordingStore implements PackageRecordStore {
  readonly batches: PackageRecordToWrite[][] = [];
  readonly poolUpdates: { id: string; poolTokens: number }[][] = [];
  async writePackages(records: readonly PackageRecordToWrite[]) {
    // Copies: what was written then, not what the log sets on its objects later.
    this.batches.push(records.map((r) => ({ ...r })));
  }
  async setPoolTokens(pools: readonly { id: string; poolTokens: number }[]) {
    this.poolUpdates.push([...pools]);
  }
  async packages() {
    return [];
  }
  async packagesByIds() {
    return [];
  }
}

const clock = { now: () => new Date('2026-12-01T10:00:00.000Z') };
const pkg: ContextPackage = {
  agentId: 'w',
  task: 'task',
  budget: 100,
  items: [scoredContext('a', 10, 0.9), scoredContext('b', 10, 0.5)],
  tokens: 20,
  compressed: null,
  dropped: [],
  asOf: 3,
  computedAt: '2026-12-01T09:59:00.000Z',
};
const answer = (id: string, p: ContextPackage, cached: boolean) => ({
  id,
  agentId: 'w',
  pkg: p,
  workflowId: null,
  cached,
  coalesced: false,
});

describe('package log (write-behind)', () => {
  it('buffers answers and writes them in one batch; a cache hit shares the body hash', async () => {
    const store = new RecordingStore();
    const log = new PackageLog(store, clock, { flushMs: 60_000, maxBatch: 100 }, (e) => {
      throw e;
    });
    log.record(answer('p1', pkg, false));
    log.record(answer('p2', { ...pkg }, true));
    expect(store.batches).toHaveLength(0);
    await log.flush();
    expect(store.batches).toHaveLength(1);
    const [p1, p2] = store.batches[0] ?? [];
    expect(p1?.bodyHash).toBe(p2?.bodyHash);
    expect(p2).toMatchObject({ id: 'p2', cached: true, at: '2026-12-01T10:00:00.000Z' });
    expect(JSON.parse(p1?.bodyJson ?? '{}')).toMatchObject({
      task: 'task',
      asOf: 3,
      items: [{ contextId: 'a', version: 1, score: 0.9 }, { contextId: 'b' }],
    });
    await log.flush();
    expect(store.batches).toHaveLength(1);
  });

  it('writes at once when the batch is full, and after flushMs otherwise', async () => {
    const store = new RecordingStore();
    const log = new PackageLog(store, clock, { flushMs: 5, maxBatch: 2 }, () => undefined);
    log.record(answer('p1', pkg, false));
    log.record(answer('p2', pkg, true));
    await Promise.resolve();
    expect(store.batches[0]?.map((r) => r.id)).toEqual(['p1', 'p2']);
    log.record(answer('p3', { ...pkg, items: [scoredContext('c', 5, 0.4)] }, false));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(store.batches[1]?.map((r) => r.id)).toEqual(['p3']);
    expect(store.batches[1]?.[0]?.bodyHash).not.toBe(store.batches[0]?.[0]?.bodyHash);
  });

  it('measures each answer’s pool once per agent and workflow, and logs null when the read fails', async () => {
    const store = new RecordingStore();
    const reads: string[] = [];
    const pools = new PoolTokens(async (agentId, workflowId) => {
      reads.push(`${agentId}/${workflowId}`);
      if (workflowId === 'broken') throw new Error('down');
      return workflowId === null ? 900 : 400;
    });
    const log = new PackageLog(store, clock, { flushMs: 60_000, maxBatch: 100 }, () => undefined, undefined, pools);
    log.record(answer('p1', pkg, false));
    log.record(answer('p2', pkg, true));
    log.record({ ...answer('p3', pkg, false), workflowId: 'wf' });
    log.record({ ...answer('p4', pkg, false), workflowId: 'broken' });
    await log.flush();
    // Not measured yet at the flush: written without, then set once measured (a failed read sets nothing).
    expect(store.batches[0]?.map((r) => [r.id, r.poolTokens ?? null])).toEqual([
      ['p1', null],
      ['p2', null],
      ['p3', null],
      ['p4', null],
    ]);
    expect(store.poolUpdates).toEqual([
      [
        { id: 'p1', poolTokens: 900 },
        { id: 'p2', poolTokens: 900 },
        { id: 'p3', poolTokens: 400 },
      ],
    ]);
    expect(reads.sort()).toEqual(['w/broken', 'w/null', 'w/wf']);
    // A later batch within the minute reuses the measurement, written with the record.
    log.record(answer('p5', pkg, false));
    await log.flush();
    expect(store.batches[1]?.[0]?.poolTokens).toBe(900);
    expect(store.poolUpdates).toHaveLength(1);
    expect(reads).toHaveLength(3);
  });

  it('does not hold a batch back while its pool is measured; flush resolves once the pool is set', async () => {
    const store = new RecordingStore();
    let release: (tokens: number) => void = () => undefined;
    const pools = new PoolTokens(() => new Promise<number>((resolve) => (release = resolve)));
    const log = new PackageLog(store, clock, { flushMs: 60_000, maxBatch: 100 }, () => undefined, undefined, pools);
    log.record(answer('p1', pkg, false));
    let flushed = false;
    const flush = log.flush().then(() => (flushed = true));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(store.batches.map((b) => b.map((r) => r.id))).toEqual([['p1']]);
    expect(flushed).toBe(false);
    release(700);
    await flush;
    expect(store.poolUpdates).toEqual([[{ id: 'p1', poolTokens: 700 }]]);
  });

  it('reports a failed batch and keeps going', async () => {
    const errors: unknown[] = [];
    let fail = true;
    const store = new RecordingStore();
    const flaky: PackageRecordStore = {
      ...store,
      packages: () => store.packages(),
      packagesByIds: () => store.packagesByIds(),
      setPoolTokens: (pools) => store.setPoolTokens(pools),
      writePackages: async (records) => {
        if (fail) throw new Error('down');
        await store.writePackages(records);
      },
    };
    const log = new PackageLog(flaky, clock, { flushMs: 60_000, maxBatch: 100 }, (e) => errors.push(e));
    log.record(answer('p1', pkg, false));
    await log.close();
    expect(errors).toHaveLength(1);
    fail = false;
    log.record(answer('p2', pkg, false));
    await log.close();
    expect(store.batches.flat().map((r) => r.id)).toEqual(['p2']);
  });
});
