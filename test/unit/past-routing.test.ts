import { describe, expect, it } from 'vitest';
import {
  answersRequest,
  holdsAt,
  MAX_UNCHANGED_POSITIONS,
  mentionedIds,
  recordWindow,
  unchangedPositions,
  type RouteQuestion,
} from '../../src/domain/history/past-routing.js';
import type { PackageBody, PackageRecord } from '../../src/domain/history/package-records.js';
import type { ContextRecord } from '../../src/domain/types.js';
import { contextRecord } from '../support/fixtures.js';

const reasons = { semantic: 0.5, dependency: 0, needs: 0, explicit: 0, confidence: 0.9, recency: 1 };
const item = (contextId: string, version: number) => ({ contextId, version, score: 0.5, reasons, tokens: 10, addedByReplay: false });

function body(overrides: Partial<PackageBody> = {}): PackageBody {
  return {
    task: 'status of the drilling',
    workflowId: null,
    validAt: null,
    budget: 500,
    tokens: 20,
    asOf: 7,
    computedAt: '2026-12-01T14:30:00.000Z',
    items: [item('a', 2), item('b', 1)],
    compressed: { text: 'c said', originalContextIds: ['c'], tokens: 3, compressionRatio: 2, method: 'EXTRACTIVE' },
    dropped: [{ contextId: 'd', reason: 'DUPLICATE', duplicateOf: 'a', score: 0.4 }],
    ...overrides,
  };
}

const record = (overrides: Partial<PackageRecord> = {}, bodyOverrides: Partial<PackageBody> = {}): PackageRecord => ({
  id: 'p1',
  agentId: 'writer',
  at: '2026-12-01T14:30:00.010Z',
  cached: false,
  coalesced: false,
  replayOf: null,
  body: body(bodyOverrides),
  ...overrides,
});

const question: RouteQuestion = { task: 'status of the drilling', budget: 500, workflowId: null, validAt: null };

describe('the positions that answered the state at a seq', () => {
  it('runs from the last event at or before the seq up to it, newest first', () => {
    expect(unchangedPositions(7, 7)).toEqual([7]);
    // Seqs 8 and 9 carry no event (reserved, nothing recorded): an answer at 7, 8 or 9 answered the state at 9.
    expect(unchangedPositions(7, 9)).toEqual([9, 8, 7]);
    expect(unchangedPositions(null, 0)).toEqual([0]);
    expect(unchangedPositions(null, 2)).toEqual([2, 1, 0]);
  });

  it('looks at a bounded number of them', () => {
    const positions = unchangedPositions(0, 1000);
    expect(positions).toHaveLength(MAX_UNCHANGED_POSITIONS);
    expect(positions[0]).toBe(1000);
  });
});

describe('when such an answer can have been recorded', () => {
  it('after the last event less the clock skew, before the next one plus a computation', () => {
    expect(recordWindow({ lastSeq: 7, lastAt: '2026-12-01T14:30:00.000Z', nextAt: '2026-12-01T14:31:00.000Z' })).toEqual({
      from: '2026-12-01T14:29:00.000Z',
      to: '2026-12-01T14:36:00.000Z',
    });
    expect(recordWindow({ lastSeq: null, lastAt: null, nextAt: null })).toEqual({ from: null, to: null });
  });
});

describe('whether a recorded answer answers a request', () => {
  it('needs the same agent, task, resolved budget, workflow, valid time and one of the positions', () => {
    expect(answersRequest(record(), 'writer', question, [7])).toBe(true);
    expect(answersRequest(record(), 'reader', question, [7])).toBe(false);
    expect(answersRequest(record(), 'writer', { ...question, task: 'status of the drilling!' }, [7])).toBe(false);
    expect(answersRequest(record(), 'writer', { ...question, budget: 501 }, [7])).toBe(false);
    expect(answersRequest(record(), 'writer', { ...question, workflowId: 'w' }, [7])).toBe(false);
    expect(answersRequest(record(), 'writer', { ...question, validAt: '2026-12-01T14:30:00.000Z' }, [7])).toBe(false);
    expect(answersRequest(record(), 'writer', question, [8])).toBe(false);
    expect(answersRequest(record({}, { asOf: 6 }), 'writer', question, [8, 7, 6])).toBe(true);
  });

  it('never takes a replay (an adjusted package) nor a body from before valid time was recorded with a validAt', () => {
    expect(answersRequest(record({ replayOf: 'd1' }), 'writer', question, [7])).toBe(false);
    const { validAt: _validAt, ...older } = body();
    expect(answersRequest({ ...record(), body: older }, 'writer', question, [7])).toBe(true);
    expect(answersRequest({ ...record(), body: older }, 'writer', { ...question, validAt: '2026-12-01T00:00:00.000Z' }, [7])).toBe(false);
  });
});

describe('whether a recorded package holds at the point', () => {
  const at = (versions: Record<string, number>): Map<string, ContextRecord> =>
    new Map(Object.entries(versions).map(([id, version]) => [id, contextRecord(id, { version })]));

  it('names every item, summarised, dropped and duplicated context once', () => {
    expect(mentionedIds(body())).toEqual(['a', 'b', 'c', 'd']);
  });

  it('holds when every item is at its version then and every other context it names was readable then', () => {
    expect(holdsAt(body(), at({ a: 2, b: 1, c: 1, d: 3 }))).toBe(true);
  });

  it('fails for an item at another version (the computation raced a write) or one not readable then', () => {
    expect(holdsAt(body(), at({ a: 3, b: 1, c: 1, d: 3 }))).toBe(false);
    expect(holdsAt(body(), at({ b: 1, c: 1, d: 3 }))).toBe(false);
  });

  it('fails when a summarised or dropped context did not exist then or was not readable', () => {
    expect(holdsAt(body(), at({ a: 2, b: 1, d: 3 }))).toBe(false);
    expect(holdsAt(body(), at({ a: 2, b: 1, c: 1 }))).toBe(false);
  });
});
