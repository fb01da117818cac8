import { describe, expect, it } from 'vitest';
import { buildContextMap, normalizeTopic } from '../../src/domain/context-map.js';
import { effectiveStatus } from '../../src/domain/context-status.js';
import { findDependencyCycle } from '../../src/domain/dependency-cycles.js';
import { BadInputError } from '../../src/domain/errors.js';
import { decodeSeqCursor, encodeSeqCursor } from '../../src/domain/pagination.js';
import { agentRecord } from '../support/fixtures.js';

const agent = agentRecord;

describe('findDependencyCycle', () => {
  it('returns null for a DAG with shared dependencies (diamond)', () => {
    expect(
      findDependencyCycle([
        { from: 'd', to: 'b' },
        { from: 'd', to: 'c' },
        { from: 'b', to: 'a' },
        { from: 'c', to: 'a' },
      ]),
    ).toBeNull();
  });

  it('reports the nodes of a cycle in order, closing on the first node', () => {
    const cycle = findDependencyCycle([
      { from: 'x', to: 'a' },
      { from: 'a', to: 'b' },
      { from: 'b', to: 'c' },
      { from: 'c', to: 'a' },
    ]);
    expect(cycle).toEqual(['a', 'b', 'c', 'a']);
  });

  it('detects a self-dependency', () => {
    expect(findDependencyCycle([{ from: 'a', to: 'a' }])).toEqual(['a', 'a']);
  });
});

describe('buildContextMap', () => {
  it('lists needs nobody produces and products nobody needs, matching topics loosely', () => {
    const map = buildContextMap([
      agent('researcher', ['task_objective'], ['Key Findings', 'source_documents']),
      agent('writer', ['key_findings', 'brand guidelines'], ['draft_content']),
      agent('reviewer', ['draft-content', 'brand_guidelines'], ['feedback']),
    ]);
    expect(map.unmetNeeds).toEqual([
      { topic: 'brand_guidelines', agentIds: ['reviewer', 'writer'] },
      { topic: 'task_objective', agentIds: ['researcher'] },
    ]);
    expect(map.unconsumedProducts).toEqual([
      { topic: 'feedback', agentIds: ['reviewer'] },
      { topic: 'source_documents', agentIds: ['researcher'] },
    ]);
    expect(map.agents).toHaveLength(3);
  });

  it('normalises case, spaces and dashes', () => {
    expect(normalizeTopic('  Brand-Guidelines v2 ')).toBe('brand_guidelines_v2');
  });
});

describe('effectiveStatus', () => {
  const now = new Date('2026-11-25T12:00:00.000Z');
  it('reads an active context past its expiry as EXPIRED', () => {
    expect(effectiveStatus({ status: 'ACTIVE', expiresAt: '2026-11-25T11:59:59.999Z' }, now)).toBe('EXPIRED');
  });
  it('keeps ACTIVE before expiry and without one', () => {
    expect(effectiveStatus({ status: 'ACTIVE', expiresAt: '2026-11-25T12:00:00.001Z' }, now)).toBe('ACTIVE');
    expect(effectiveStatus({ status: 'ACTIVE', expiresAt: null }, now)).toBe('ACTIVE');
  });
  it('never turns a retracted context into EXPIRED', () => {
    expect(effectiveStatus({ status: 'RETRACTED', expiresAt: '2000-01-01T00:00:00.000Z' }, now)).toBe('RETRACTED');
  });
});

describe('sequence cursors', () => {
  it('round-trip a sequence number', () => {
    expect(decodeSeqCursor(encodeSeqCursor(12345))).toBe(12345);
  });
  it('reject anything not made by encodeSeqCursor', () => {
    expect(() => decodeSeqCursor('garbage')).toThrow(BadInputError);
    expect(() => decodeSeqCursor(Buffer.from('seq:-1').toString('base64url'))).toThrow(BadInputError);
  });
});
