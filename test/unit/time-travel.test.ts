import { describe, expect, it } from 'vitest';
import { contextAtVersion, toVersion } from '../../src/adapters/neo4j/mapping.js';
import { inTraversalOrder, unionByShortest, walk, type Neighbours } from '../../src/app/history/past-reach.js';
import type { ContextRecord } from '../../src/domain/types.js';
import { contextRecord } from '../support/fixtures.js';

/** A graph of id → the ids one hop away; each node's createdSeq is its position in `order`. */
function graph(edges: Record<string, string[]>, order: string[]): { neighbours: Neighbours; calls: string[][] } {
  const records = new Map<string, ContextRecord>(order.map((id, index) => [id, contextRecord(id, { createdSeq: index + 1 })]));
  const calls: string[][] = [];
  const neighbours: Neighbours = async (ids) => {
    calls.push([...ids]);
    return new Map(ids.map((id) => [id, (edges[id] ?? []).flatMap((next) => records.get(next) ?? [])]));
  };
  return { neighbours, calls };
}

const summary = (reached: Awaited<ReturnType<typeof walk>>) => reached.map((r) => `${r.rootId}>${r.context.id}@${r.distance}`);

describe('walk over past versions', () => {
  it('finds each context at its shortest distance, one neighbours call per hop for all roots', async () => {
    // a → b → c → d, and a → c directly (a diamond); the walk stops at depth 2.
    const { neighbours, calls } = graph({ a: ['b', 'c'], b: ['c'], c: ['d'], x: ['c'] }, ['a', 'b', 'c', 'd', 'x']);
    const reached = inTraversalOrder(await walk(['x', 'a'], 2, neighbours));
    expect(summary(reached)).toEqual(['a>b@1', 'a>c@1', 'a>d@2', 'x>c@1', 'x>d@2']);
    expect(calls).toHaveLength(2);
  });

  it('leaves the root out even when a cycle leads back to it, and stops when nothing is left', async () => {
    const { neighbours, calls } = graph({ a: ['b'], b: ['a'] }, ['a', 'b']);
    expect(summary(await walk(['a'], 5, neighbours))).toEqual(['a>b@1']);
    expect(calls.length).toBeLessThan(5);
  });

  it('BOTH keeps the shorter of the two directions; order is root id, distance, publication', () => {
    const a = contextRecord('a', { createdSeq: 2 });
    const b = contextRecord('b', { createdSeq: 1 });
    const both = unionByShortest(
      [{ rootId: 'r', context: a, distance: 2 }],
      [
        { rootId: 'r', context: a, distance: 1 },
        { rootId: 'r', context: b, distance: 1 },
      ],
    );
    expect(summary(inTraversalOrder(both))).toEqual(['r>b@1', 'r>a@1']);
  });
});

describe('a record as of a version', () => {
  const current = contextRecord('c1', { text: 'now', visibleTo: null, workflowId: 'w', retractionReason: 'later' });
  const row = {
    contextId: 'c1',
    version: 1,
    seq: 5,
    at: '2025-01-02T00:00:00.000Z',
    changedBy: 'agent-a',
    text: 'then',
    contentJson: '{"n":1}',
    tags: ['t'],
    priority: 'ROUTINE',
    status: 'ACTIVE',
    confidence: 0.5,
    dependencies: ['d1'],
    expiresAt: null,
    tokens: 3,
  };

  it('takes visibility, relevance and state from the version and carries the point it was read at', () => {
    const version = toVersion({
      ...row,
      type: 'FINDING',
      sourceAgentId: 'agent-a',
      workflowId: null,
      visibleTo: ['agent-b'],
      visibilityRecorded: true,
      relevanceJson: '[{"agentId":"agent-b","score":0.7,"explicit":true}]',
    });
    const past = contextAtVersion(current, version, { seq: 9, at: '2025-01-03T00:00:00.000Z' });
    expect(past).toMatchObject({ text: 'then', content: { n: 1 }, visibleTo: ['agent-b'], workflowId: null, retractionReason: null });
    expect(past.asOf).toEqual({
      seq: 9,
      at: '2025-01-03T00:00:00.000Z',
      versionSeq: 5,
      dependencies: ['d1'],
      relevance: [{ agentId: 'agent-b', score: 0.7, explicit: true }],
    });
  });

  it('a version written before it recorded its state is marked so (it fails closed) and has no relevance', () => {
    const legacy = toVersion(row);
    expect(legacy).toMatchObject({ visibilityRecorded: false, relevance: null, type: null });
    expect(contextAtVersion(current, legacy).asOf).toMatchObject({ seq: 5, at: row.at, relevance: null });
  });
});
