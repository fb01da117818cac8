import { describe, expect, it } from 'vitest';
import {
  assertExpectedVersion,
  assertMayChange,
  assertNotSupersedingOwnBatch,
  assertSupersedable,
  assertUpdatable,
  changedBy,
} from '../../src/domain/context-rules.js';
import { BadInputError, ForbiddenError, VersionConflictError } from '../../src/domain/errors.js';
import { mergeRelevance } from '../../src/domain/relevance.js';

const admin = { kind: 'admin' } as const;
const agent = (agentId: string) => ({ kind: 'agent', agentId }) as const;

describe('context rules', () => {
  it('lets only the source agent or an admin change a context', () => {
    const context = { id: 'c1', sourceAgentId: 'alice' };
    expect(() => assertMayChange(agent('alice'), context)).not.toThrow();
    expect(() => assertMayChange(admin, context)).not.toThrow();
    expect(() => assertMayChange(agent('bob'), context)).toThrow(
      new ForbiddenError('Only the source agent (alice) or an admin may change context c1'),
    );
  });

  it('refuses to supersede a context of the same batch, naming those', () => {
    expect(() => assertNotSupersedingOwnBatch(new Set(['n1', 'n2']), ['old'])).not.toThrow();
    const refused = (() => {
      try {
        assertNotSupersedingOwnBatch(new Set(['n1', 'n2']), ['old', 'n2', 'n1']);
      } catch (error) {
        return error;
      }
      return null;
    })();
    expect(refused).toBeInstanceOf(BadInputError);
    expect((refused as BadInputError).message).toBe('A context cannot supersede one published in the same batch');
    expect((refused as BadInputError).issues).toEqual([{ path: ['supersedes'], message: 'in this batch: n2, n1' }]);
  });

  it('supersedes and updates only ACTIVE contexts', () => {
    expect(() => assertSupersedable({ id: 'c1', status: 'ACTIVE' })).not.toThrow();
    expect(() => assertSupersedable({ id: 'c1', status: 'RETRACTED' })).toThrow('Context c1 is RETRACTED and cannot be superseded');
    expect(() => assertUpdatable({ id: 'c1', status: 'ACTIVE' })).not.toThrow();
    expect(() => assertUpdatable({ id: 'c1', status: 'SUPERSEDED' })).toThrow('A superseded context cannot be changed');
    expect(() => assertUpdatable({ id: 'c1', status: 'RETRACTED' })).toThrow(BadInputError);
  });

  it('accepts an update only when the version it locked is one past the expected one', () => {
    // The store has already bumped the version to take the lock: 4 locked means 3 was current.
    expect(() => assertExpectedVersion('c1', 3, 4)).not.toThrow();
    let conflict: unknown;
    try {
      assertExpectedVersion('c1', 2, 4);
    } catch (error) {
      conflict = error;
    }
    expect(conflict).toBeInstanceOf(VersionConflictError);
    expect(conflict).toMatchObject({ contextId: 'c1', expectedVersion: 2, actualVersion: 3 });
    expect(() => assertExpectedVersion('c1', 4, 4)).toThrow(VersionConflictError);
  });

  it('records changes as made by the agent, or by admin', () => {
    expect(changedBy(agent('alice'))).toBe('alice');
    expect(changedBy(admin)).toBe('admin');
  });
});

describe('mergeRelevance (the relevance after a write, as the store will hold it)', () => {
  const stored = [
    { agentId: 'declared-before', score: 0.9, explicit: true },
    { agentId: 'computed-before', score: 0.2, explicit: false },
    { agentId: 'stale', score: 0.5, explicit: false },
  ];

  it('replaces the computed scores when they were recomputed, never overwriting a declared one', () => {
    const merged = mergeRelevance(
      stored,
      [
        { agentId: 'declared-before', score: 0.1 },
        { agentId: 'computed-before', score: 0.7 },
        { agentId: 'new', score: 0.4 },
      ],
      undefined,
    );
    expect(Object.fromEntries(merged)).toEqual({
      'declared-before': { score: 0.9, explicit: true },
      'computed-before': { score: 0.7, explicit: false },
      new: { score: 0.4, explicit: false },
    });
  });

  it('replaces the declared scores when new ones were declared, keeping the computed ones', () => {
    const merged = mergeRelevance(stored, undefined, [{ agentId: 'stale', score: 0.8 }]);
    expect(Object.fromEntries(merged)).toEqual({
      'computed-before': { score: 0.2, explicit: false },
      stale: { score: 0.8, explicit: true },
    });
  });

  it('keeps everything stored when neither changed', () => {
    expect(Object.fromEntries(mergeRelevance(stored, undefined, undefined))).toEqual({
      'declared-before': { score: 0.9, explicit: true },
      'computed-before': { score: 0.2, explicit: false },
      stale: { score: 0.5, explicit: false },
    });
  });

  it('at publish, with nothing stored, is the computed scores overlaid by the declared ones', () => {
    const merged = mergeRelevance(
      [],
      [
        { agentId: 'a', score: 0.2 },
        { agentId: 'b', score: 0.3 },
      ],
      [{ agentId: 'a', score: 0.6 }],
    );
    expect(Object.fromEntries(merged)).toEqual({ a: { score: 0.6, explicit: true }, b: { score: 0.3, explicit: false } });
  });
});
