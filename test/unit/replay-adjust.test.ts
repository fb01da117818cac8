import { describe, expect, it } from 'vitest';
import { createTokenCounter } from '../../src/adapters/tokens/tiktoken-counter.js';
import { packageBody } from '../../src/domain/history/package-records.js';
import {
  ADDED_SCORE,
  addedItem,
  adjustItems,
  adjustPackage,
  type ReplayItem,
  type ReplayPackage,
} from '../../src/domain/history/replay-adjust.js';
import type { CompressedContext } from '../../src/domain/routing/types.js';
import { contextRecord, scoredContext } from '../support/fixtures.js';

const tokens = createTokenCounter();
const item = (id: string, size: number, score: number, dependencies: string[] = []): ReplayItem => {
  const scored = scoredContext(id, size, score, { text: `Text of ${id}.` });
  return { ...scored, context: { ...scored.context, asOf: { seq: 1, dependencies } as never }, addedByReplay: false };
};
const summary = (ids: string[]): CompressedContext => ({
  text: 'summary',
  originalContextIds: ids,
  tokens: 10,
  compressionRatio: 3,
  method: 'EXTRACTIVE',
});
const ids = (p: { items: ReplayItem[] }) => p.items.map((i) => i.context.id);

const recorded: ReplayPackage = {
  items: [item('b', 40, 0.8, ['a']), item('a', 30, 0.6), item('c', 20, 0.5)],
  compressed: summary(['d']),
  budget: 110,
  tokens: 100,
};

describe('replay adjustments', () => {
  it('with no change returns the recorded package untouched (order, summary, tokens)', async () => {
    const same = await adjustPackage(recorded, { removeIds: [], added: [], budget: null }, { tokens });
    expect(ids(same)).toEqual(['b', 'a', 'c']);
    expect(same.compressed).toEqual(recorded.compressed);
    expect(same.tokens).toBe(100);
    expect(same.budget).toBe(110);
  });

  it('places added contexts first with the documented score and reasons, once each', () => {
    const late = contextRecord('late', { confidence: 0.7, tokens: 5 });
    const adjusted = adjustItems(recorded.items, recorded.compressed, { removeIds: [], added: [late, late, recorded.items[0]!.context] });
    expect(ids(adjusted)).toEqual(['late', 'b', 'a', 'c']);
    expect(adjusted.items[0]).toMatchObject({ score: ADDED_SCORE, addedByReplay: true, tokens: 5 });
    expect(adjusted.items[0]?.reasons).toEqual({ semantic: 0, dependency: 0, needs: 0, explicit: 0, confidence: 0.7, recency: 0 });
    expect(adjusted.removedAny).toBe(false);
    expect(addedItem(late).context).toBe(late);
  });

  it('removes items, drops a summary that quotes a removed context, and re-packs', async () => {
    const withoutA = adjustItems(recorded.items, recorded.compressed, { removeIds: ['a'], added: [] });
    expect(ids(withoutA)).toEqual(['b', 'c']);
    expect(withoutA.compressed).not.toBeNull();
    expect(withoutA.removedAny).toBe(true);
    const withoutD = adjustItems(recorded.items, recorded.compressed, { removeIds: ['d'], added: [] });
    expect(withoutD.compressed).toBeNull();
    const repacked = await adjustPackage(recorded, { removeIds: ['d'], added: [], budget: null }, { tokens });
    expect(repacked.compressed).toBeNull();
    expect(repacked.tokens).toBe(90);
    // Reading order after re-packing: the dependency before what depends on it.
    expect(ids(repacked).indexOf('a')).toBeLessThan(ids(repacked).indexOf('b'));
  });

  it('re-packs when additions no longer fit the recorded budget, never exceeding it', async () => {
    const big = contextRecord('big', { tokens: 60, text: 'A big added context.' });
    const result = await adjustPackage(recorded, { removeIds: [], added: [big], budget: null }, { tokens });
    expect(result.budget).toBe(110);
    expect(result.tokens).toBeLessThanOrEqual(110);
    expect(ids(result)[0] === 'big' || ids(result).includes('big')).toBe(true);
  });

  it('re-packs to a new budget by score', async () => {
    const larger = await adjustPackage(recorded, { removeIds: [], added: [], budget: 1000 }, { tokens });
    expect(larger.budget).toBe(1000);
    expect(ids(larger).sort()).toEqual(['a', 'b', 'c']);
    expect(larger.compressed).toBeNull();
    expect(larger.tokens).toBe(90);
    const smaller = await adjustPackage(recorded, { removeIds: [], added: [], budget: 50 }, { tokens });
    expect(smaller.tokens).toBeLessThanOrEqual(50);
    // b (40 tokens) does not fit beside the summary reserve; the packer takes what does, best first.
    expect(ids(smaller)).not.toContain('b');
    expect(ids(smaller)).toContain('a');
  });

  it('keeps versions and scores in the logged body, and marks replay additions', () => {
    const body = packageBody(
      {
        agentId: 'w',
        task: 't',
        budget: 110,
        items: recorded.items,
        tokens: 100,
        compressed: recorded.compressed,
        dropped: [],
        asOf: 7,
        computedAt: '2026-01-01T00:00:00.000Z',
      },
      'wf',
      new Set(['c']),
    );
    expect(body.items.map((i) => [i.contextId, i.version, i.score, i.addedByReplay])).toEqual([
      ['b', 1, 0.8, false],
      ['a', 1, 0.6, false],
      ['c', 1, 0.5, true],
    ]);
    expect(body).toMatchObject({ workflowId: 'wf', asOf: 7, budget: 110, tokens: 100 });
  });
});
