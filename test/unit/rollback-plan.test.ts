import { describe, expect, it } from 'vitest';
import { planRollback, restoreChanges, restoredTexts, type CurrentState } from '../../src/domain/history/rollback-plan.js';
import { classifyDiff } from '../../src/domain/history/snapshots.js';
import type { ContextVersionRecord } from '../../src/domain/types.js';
import { contextRecord } from '../support/fixtures.js';

const current = (overrides: Partial<CurrentState> = {}): CurrentState => ({
  id: 'c1',
  version: 3,
  text: 'now',
  content: { a: 1 },
  tags: ['x', 'y'],
  priority: 'ROUTINE',
  status: 'ACTIVE',
  confidence: 0.9,
  dependencies: ['d1', 'd2'],
  expiresAt: null,
  visibleTo: null,
  relevance: [
    { agentId: 'a1', score: 0.5, explicit: true },
    { agentId: 'a2', score: 0.4, explicit: false },
  ],
  validFrom: null,
  validUntil: null,
  claim: null,
  position: null,
  ...overrides,
});

/** A version recording exactly the state of `current()` unless overridden. */
const version = (overrides: Partial<ContextVersionRecord> = {}): ContextVersionRecord => {
  const { id: _id, version: _v, relevance, ...state } = current();
  return {
    contextId: 'c1',
    version: 1,
    seq: 10,
    at: '2026-01-01T00:00:00.000Z',
    changedBy: 'a1',
    tokens: 1,
    type: 'FINDING',
    sourceAgentId: 'a1',
    workflowId: null,
    visibilityRecorded: true,
    ...state,
    relevance,
    ...overrides,
  };
};

describe('rollback plan', () => {
  it('changes nothing when the state at the snapshot is the current one, whatever the order of dependencies and relevance', () => {
    const then = version({
      dependencies: ['d2', 'd1'],
      relevance: [
        { agentId: 'a2', score: 0.4, explicit: false },
        { agentId: 'a1', score: 0.5, explicit: true },
      ],
    });
    expect(restoreChanges(current(), then)).toEqual({});
    expect(planRollback([{ current: current(), then }])).toEqual([]);
  });

  it('restores exactly the fields that differ, status included', () => {
    const then = version({ text: 'then', tags: ['x'], status: 'ACTIVE', dependencies: ['d1'], visibleTo: ['b'], confidence: 0.5 });
    const changes = restoreChanges(current({ status: 'SUPERSEDED' }), then);
    expect(changes).toEqual({ text: 'then', tags: ['x'], status: 'ACTIVE', dependencies: ['d1'], visibleTo: ['b'], confidence: 0.5 });
  });

  it('restores content, expiry, valid time and relevance', () => {
    const relevance = [{ agentId: 'a1', score: 0.7, explicit: true }];
    const then = version({ content: null, expiresAt: '2030-01-01T00:00:00.000Z', validFrom: '2025-01-01T00:00:00.000Z', relevance });
    expect(restoreChanges(current(), then)).toEqual({
      content: null,
      expiresAt: '2030-01-01T00:00:00.000Z',
      validFrom: '2025-01-01T00:00:00.000Z',
      relevance,
    });
  });

  it('restores claim and position, and removes a claim added after the snapshot', () => {
    const changed = current({ claim: 'launch_ready', position: 'no' });
    expect(restoreChanges(changed, version({ claim: 'launch_ready', position: 'yes' }))).toEqual({ position: 'yes' });
    expect(restoreChanges(changed, version({ claim: null, position: null }))).toEqual({ claim: null, position: null });
    const { claim: _claim, position: _position, ...unrecorded } = version();
    expect(restoreChanges(changed, unrecorded)).toEqual({ claim: null, position: null });
  });

  it('keeps visibility, relevance and valid time of versions written before they recorded them', () => {
    const then = version({
      visibilityRecorded: false,
      visibleTo: ['b'],
      relevance: null,
      validFrom: '2025-01-01T00:00:00.000Z',
      text: 'then',
    });
    expect(restoreChanges(current(), then)).toEqual({ text: 'then' });
  });

  it('retracts what was created after the snapshot, unless already retracted', () => {
    const steps = planRollback([
      { current: current({ id: 'new', version: 2 }), then: null },
      { current: current({ id: 'gone', status: 'RETRACTED' }), then: null },
      { current: current({ id: 'old', text: 'edited' }), then: version({ text: 'original' }) },
    ]);
    expect(steps).toEqual([
      { kind: 'retract', id: 'new', version: 2 },
      { kind: 'restore', id: 'old', version: 3, changes: { text: 'original' } },
    ]);
    expect(restoredTexts(steps)).toEqual(['original']);
  });
});

describe('diff classification', () => {
  const row = (id: string, to: [number, ContextVersionRecord['status']], from: [number, ContextVersionRecord['status']] | null) => ({
    context: contextRecord(id),
    to: { version: to[0], status: to[1] },
    from: from ? { version: from[0], status: from[1] } : null,
  });

  it('sorts rows into added, changed and retracted, disjointly', () => {
    const diff = classifyDiff([
      row('new', [1, 'ACTIVE'], null),
      row('newThenRetracted', [2, 'RETRACTED'], null),
      row('edited', [3, 'ACTIVE'], [2, 'ACTIVE']),
      row('superseded', [2, 'SUPERSEDED'], [1, 'ACTIVE']),
      row('retracted', [2, 'RETRACTED'], [1, 'ACTIVE']),
      row('alreadyRetracted', [3, 'RETRACTED'], [2, 'RETRACTED']),
    ]);
    expect(diff.added.map((c) => c.id)).toEqual(['new', 'newThenRetracted']);
    expect(diff.changed.map((c) => c.id)).toEqual(['edited', 'superseded', 'alreadyRetracted']);
    expect(diff.retracted.map((c) => c.id)).toEqual(['retracted']);
  });
});
