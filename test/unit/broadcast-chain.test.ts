import { describe, expect, it } from 'vitest';
import { chainDeliveries } from '../../src/domain/broadcast/delivery.js';
import { canRead } from '../../src/domain/visibility.js';

describe('chainDeliveries', () => {
  it('links each delivery to the same agent’s previous one, in seq order, continuing from the stored position', () => {
    const chained = chainDeliveries(
      [
        { agentId: 'legal', contextId: 'c2', seq: 12, reason: 'r' },
        { agentId: 'legal', contextId: 'c1', seq: 11, reason: 'r' },
        { agentId: 'marketing', contextId: 'c1', seq: 11, reason: 'r' },
      ],
      new Map([['legal', 7]]),
    );
    expect(chained.map((d) => [d.agentId, d.seq, d.prevSeq])).toEqual([
      ['legal', 11, 7],
      ['marketing', 11, 0],
      ['legal', 12, 11],
    ]);
  });
});

describe('canRead (the VISIBLE rule for records in memory)', () => {
  const context = { sourceAgentId: 'a', visibleTo: ['b'] };
  it('lets admins, the source and named agents read a restricted context, and nobody else', () => {
    expect(canRead({ kind: 'admin' }, context)).toBe(true);
    expect(canRead({ kind: 'agent', agentId: 'a' }, context)).toBe(true);
    expect(canRead({ kind: 'agent', agentId: 'b' }, context)).toBe(true);
    expect(canRead({ kind: 'agent', agentId: 'c' }, context)).toBe(false);
    expect(canRead({ kind: 'agent', agentId: 'c' }, { sourceAgentId: 'a', visibleTo: null })).toBe(true);
  });
});
