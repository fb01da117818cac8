import { describe, expect, it } from 'vitest';
import { partitionByThreshold, rankCandidates } from '../../src/domain/routing/ranking.js';
import { DEFAULT_WEIGHTS } from '../../src/domain/routing/scoring.js';
import type { RoutingCandidate } from '../../src/domain/routing/ports.js';
import { decayedConfidence, parseHalfLives, staleReasonOf, type Staleness } from '../../src/domain/staleness.js';
import { CONTEXT_TYPES } from '../../src/domain/types.js';
import { contextRecord, scoredContext } from '../support/fixtures.js';

const STALE: Staleness = { reason: 'DEPENDENCY_RETRACTED', causeId: 'a', viaId: 'a', since: '2026-01-01T00:00:00.000Z', seq: 9 };

describe('staleness rules', () => {
  it('names the reason after what happened to the dependency', () => {
    expect(['SUPERSEDED', 'RETRACTED', 'EXPIRED', 'ROLLED_BACK'].map((c) => staleReasonOf(c as never))).toEqual([
      'DEPENDENCY_SUPERSEDED',
      'DEPENDENCY_RETRACTED',
      'DEPENDENCY_EXPIRED',
      'DEPENDENCY_ROLLED_BACK',
    ]);
  });

  it('halves confidence every half-life of its type since its last change, and leaves other types alone', () => {
    const policy = { halfLifeHours: { FINDING: 24 }, floor: 0.2 };
    const now = new Date('2026-01-03T00:00:00.000Z');
    const finding = { type: 'FINDING' as const, confidence: 0.8, updatedAt: '2026-01-01T00:00:00.000Z' };
    expect(decayedConfidence(finding, now, policy)).toBeCloseTo(0.2, 10);
    expect(decayedConfidence({ ...finding, type: 'OUTPUT' }, now, policy)).toBe(0.8);
    // A change in the future (clock skew) never raises it.
    expect(decayedConfidence({ ...finding, updatedAt: '2026-01-04T00:00:00.000Z' }, now, policy)).toBe(0.8);
  });

  it('parses half-lives per type and says what is wrong with a bad one', () => {
    expect(parseHalfLives('FINDING=168, output=720', CONTEXT_TYPES)).toEqual({ FINDING: 168, OUTPUT: 720 });
    expect(parseHalfLives(undefined, CONTEXT_TYPES)).toEqual({});
    for (const bad of ['FINDING', 'NOPE=3', 'FINDING=0', 'FINDING=-1', 'FINDING=x', 'FINDING=1=2']) {
      expect(parseHalfLives(bad, CONTEXT_TYPES)).toMatch(/expected TYPE=hours/);
    }
  });
});

describe('routing stale contexts', () => {
  const profile = { needKeys: [], now: new Date('2026-01-01T00:00:00.000Z'), recencyHalfLifeHours: 24 };
  const candidate = (id: string, stale: boolean): RoutingCandidate => ({
    context: contextRecord(id, { createdAt: '2026-01-01T00:00:00.000Z', staleness: stale ? STALE : null }),
    sources: ['vector'],
    vectorScore: 0.9,
    fulltextScore: null,
    taskSimilarity: 0.9,
    needsSimilarity: null,
    explicitRelevance: null,
  });

  it('demotes a stale candidate by the factor, keeping its reasons', () => {
    const ranked = rankCandidates([candidate('fresh', false), candidate('stale', true)], [], new Set(), profile, DEFAULT_WEIGHTS, {
      mode: 'demote',
      factor: 0.5,
    });
    const [fresh, stale] = ranked;
    expect(fresh?.context.id).toBe('fresh');
    expect(stale?.score).toBeCloseTo((fresh?.score ?? 0) * 0.5, 3);
    expect(stale?.reasons).toEqual(fresh?.reasons);
  });

  it('drops stale contexts that cleared the threshold, reported as STALE, when the policy drops', () => {
    const ranked = [scoredContext('fresh', 10, 0.8), scoredContext('stale', 10, 0.7, { staleness: STALE }), scoredContext('low', 10, 0.1)];
    const { passing, below } = partitionByThreshold(ranked, 0.5, { mode: 'drop' });
    expect(passing.map((item) => item.context.id)).toEqual(['fresh']);
    expect(below.map((d) => [d.contextId, d.reason])).toEqual([
      ['stale', 'STALE'],
      ['low', 'BELOW_THRESHOLD'],
    ]);
    // Demoting leaves the partition to the scores alone.
    expect(partitionByThreshold(ranked, 0.5, { mode: 'demote', factor: 0.5 }).passing).toHaveLength(2);
  });
});
