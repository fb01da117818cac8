import { describe, expect, it } from 'vitest';
import { dropNearDuplicates, similarPairs } from '../../src/domain/routing/duplicates.js';
import { reciprocalRankFusion } from '../../src/domain/routing/fusion.js';
import { distancesToAnchors } from '../../src/domain/routing/graph-distance.js';
import { needsProfileText, relevanceToAgents } from '../../src/domain/routing/publish-relevance.js';
import {
  DEFAULT_WEIGHTS,
  dependencyProximity,
  needsMatch,
  recency,
  scoreReasons,
  scoreUpperBound,
  weightedScore,
} from '../../src/domain/routing/scoring.js';
import type { ScoredContext } from '../../src/domain/routing/types.js';
import { cosine } from '../../src/domain/routing/vectors.js';
import type { ContextRecord } from '../../src/domain/types.js';
import { contextRecord, scoredContext } from '../support/fixtures.js';

const context = contextRecord;

const scored = (id: string, score: number, overrides: Partial<ContextRecord> = {}): ScoredContext =>
  scoredContext(id, 10, score, overrides);

describe('relevance score parts', () => {
  it('decays dependency proximity with hops and gives nothing to unconnected contexts', () => {
    expect([0, 1, 2, 3, 4].map(dependencyProximity)).toEqual([1, 0.6, 0.35, 0.2, 0]);
    expect(dependencyProximity(null)).toBe(0);
  });

  it('halves recency every half-life', () => {
    const now = new Date('2026-11-26T00:00:00.000Z');
    expect(recency('2026-11-26T00:00:00.000Z', now, 24)).toBe(1);
    expect(recency('2026-11-25T00:00:00.000Z', now, 24)).toBeCloseTo(0.5, 10);
    expect(recency('2026-11-24T00:00:00.000Z', now, 24)).toBeCloseTo(0.25, 10);
  });

  it('matches needs by tags strongly and by words in the text weakly', () => {
    expect(needsMatch(['key_findings', 'brand_guidelines'], ['Key Findings', 'brand-guidelines'], '')).toBe(1);
    expect(needsMatch(['key_findings'], ['key_findings'], '')).toBe(0.7);
    expect(needsMatch(['brand_guidelines'], [], 'Our brand guidelines forbid exclamation marks')).toBe(0.4);
    expect(needsMatch(['brand_guidelines'], [], 'Our brand is young')).toBe(0);
    expect(needsMatch([], ['anything'], 'anything')).toBe(0);
  });

  it('takes the better of task and (discounted) needs similarity as the semantic part', () => {
    const profile = { needKeys: [], now: new Date('2026-11-25T00:00:00.000Z'), recencyHalfLifeHours: 24 };
    const reasons = scoreReasons(
      { context: context('c'), taskSimilarity: 0, needsSimilarity: 1, explicitRelevance: null, distance: null },
      profile,
    );
    expect(reasons.semantic).toBeCloseTo(0.8, 10);
    const negative = scoreReasons(
      { context: context('c'), taskSimilarity: -0.4, needsSimilarity: null, explicitRelevance: null, distance: null },
      profile,
    );
    expect(negative.semantic).toBe(0);
  });

  it('weights parts into a 0..1 score and bounds what a context could ever reach', () => {
    const all = { semantic: 1, dependency: 1, needs: 1, explicit: 1, confidence: 1, recency: 1 };
    expect(weightedScore(all, DEFAULT_WEIGHTS)).toBeCloseTo(1, 10);
    expect(weightedScore({ ...all, semantic: 0 }, DEFAULT_WEIGHTS)).toBeCloseTo(1 - DEFAULT_WEIGHTS.semantic, 10);
    const profile = { needKeys: [], now: new Date('2026-11-25T00:00:00.000Z'), recencyHalfLifeHours: 24 };
    const input = { context: context('c'), taskSimilarity: 0.9, needsSimilarity: null, explicitRelevance: null };
    const bound = scoreUpperBound(input, profile, DEFAULT_WEIGHTS);
    for (const distance of [null, 0, 1, 3]) {
      expect(weightedScore(scoreReasons({ ...input, distance }, profile), DEFAULT_WEIGHTS)).toBeLessThanOrEqual(bound);
    }
  });
});

describe('distancesToAnchors', () => {
  it('measures hops in either direction to the nearest other anchor', () => {
    const edges = [
      { from: 'b', to: 'a' },
      { from: 'c', to: 'b' },
      { from: 'd', to: 'c' },
      { from: 'x', to: 'y' },
    ];
    const distances = distancesToAnchors(edges, new Set(['a', 'd']), 3);
    expect(Object.fromEntries(distances)).toEqual({ b: 1, c: 1, a: 3, d: 3 });
    expect(distances.has('x')).toBe(false);
  });

  it('stops at maxHops', () => {
    const edges = [
      { from: 'b', to: 'a' },
      { from: 'c', to: 'b' },
    ];
    expect(distancesToAnchors(edges, new Set(['a']), 1).has('c')).toBe(false);
  });
});

describe('dropNearDuplicates', () => {
  it('keeps the more confident twin, then the newer one, and names the kept one', () => {
    const items = [
      scored('low', 0.9, { confidence: 0.5 }),
      scored('high', 0.8, { confidence: 0.9 }),
      scored('old', 0.7, { confidence: 0.7, createdAt: '2026-01-01T00:00:00.000Z' }),
      scored('new', 0.6, { confidence: 0.7, createdAt: '2026-06-01T00:00:00.000Z' }),
      scored('other', 0.5),
    ];
    const { kept, dropped } = dropNearDuplicates(items, [
      ['high', 'low'],
      ['new', 'old'],
    ]);
    expect(kept.map((k) => k.context.id)).toEqual(['high', 'new', 'other']);
    expect([...dropped].sort((a, b) => a.contextId.localeCompare(b.contextId))).toEqual([
      { contextId: 'low', reason: 'DUPLICATE', duplicateOf: 'high', score: 0.9 },
      { contextId: 'old', reason: 'DUPLICATE', duplicateOf: 'new', score: 0.7 },
    ]);
  });
});

describe('search helpers', () => {
  it('fuses ranked lists by reciprocal rank', () => {
    const fused = reciprocalRankFusion([
      ['a', 'b'],
      ['b', 'c'],
    ]);
    expect(fused.get('b')).toBeCloseTo(1 / 62 + 1 / 61, 12);
    expect([...fused.entries()].sort((x, y) => y[1] - x[1])[0]?.[0]).toBe('b');
  });

  it('computes cosine similarity and treats empty vectors as unrelated', () => {
    expect(cosine([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 12);
    expect(cosine([1, 0], [0, 1])).toBe(0);
    expect(cosine([], [1])).toBe(0);
  });
});

describe('relevance computed at publish time', () => {
  it('scores agents by needs and similarity, skips the source and agents without needs, and stores only meaningful scores', () => {
    const result = relevanceToAgents({ text: 'EU cookie rule', tags: ['key_findings'], embedding: [1, 0], sourceAgentId: 'researcher' }, [
      { agentId: 'writer', needKeys: ['key_findings'], needsEmbedding: [1, 0] },
      { agentId: 'researcher', needKeys: ['key_findings'], needsEmbedding: [1, 0] },
      { agentId: 'idle', needKeys: [], needsEmbedding: null },
      { agentId: 'accounting', needKeys: ['invoices'], needsEmbedding: [0, 1] },
    ]);
    expect(result).toEqual([{ agentId: 'writer', score: 0.82 }]);
  });

  it('embeds needs as readable words', () => {
    expect(needsProfileText(['key_findings', 'brand-guidelines'])).toBe('key findings; brand guidelines');
    expect(needsProfileText([])).toBeNull();
  });
});

describe('similarPairs', () => {
  it('finds pairs at or above the cosine threshold, whatever the vector lengths', () => {
    const vectors = new Map<string, number[]>([
      ['a', [1, 0, 0]],
      ['b', [10, 1, 0]],
      ['c', [0, 1, 0]],
      ['zero', [0, 0, 0]],
    ]);
    expect(similarPairs(vectors, 0.99)).toEqual([['a', 'b']]);
    expect(similarPairs(vectors, 0.09).sort()).toEqual([
      ['a', 'b'],
      ['b', 'c'],
    ]);
  });
});
