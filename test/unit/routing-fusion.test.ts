import { describe, expect, it } from 'vitest';
import {
  FULLTEXT_WEIGHT,
  GRAPH_BONUS,
  MIN_SEARCH_CANDIDATES,
  SEARCH_SEEDS,
  VECTOR_WEIGHT,
  reciprocalRankFusion,
  searchCandidateCount,
  searchSeeds,
  topFused,
  weightedFusion,
} from '../../src/domain/routing/fusion.js';
import type { CandidateSource, RoutingCandidate } from '../../src/domain/routing/ports.js';
import {
  ANCHOR_EXPLICIT_RELEVANCE,
  MAX_ANCHORS,
  MAX_RANKED,
  MAX_REPORTED_BELOW_THRESHOLD,
  MAX_SEEDS,
  SEED_MATCHES,
  SEMANTIC_ANCHORS,
  chooseAnchors,
  dependenciesAmong,
  partitionByThreshold,
  rankCandidates,
} from '../../src/domain/routing/ranking.js';
import { DEFAULT_WEIGHTS } from '../../src/domain/routing/scoring.js';
import { contextRecord, scoredContext } from '../support/fixtures.js';

const hit = (id: string, scores: { vector?: number; fulltext?: number }) => ({
  context: { id },
  vectorScore: scores.vector ?? null,
  fulltextScore: scores.fulltext ?? null,
});

const candidate = (
  id: string,
  taskSimilarity: number,
  extra: { sources?: CandidateSource[]; explicitRelevance?: number; createdSeq?: number } = {},
): RoutingCandidate => ({
  context: contextRecord(id, { createdSeq: extra.createdSeq ?? 1 }),
  taskSimilarity,
  needsSimilarity: null,
  explicitRelevance: extra.explicitRelevance ?? null,
  sources: extra.sources ?? ['vector'],
  vectorScore: null,
  fulltextScore: null,
});

describe('weighted fusion', () => {
  it('weighs cosine, best-normalised Lucene scores and a flat graph bonus, summing to at most 1', () => {
    expect(VECTOR_WEIGHT + FULLTEXT_WEIGHT + GRAPH_BONUS).toBeCloseTo(1, 10);
    const fused = weightedFusion(
      { vector: [hit('a', { vector: 0.9 }), hit('b', { vector: 0.5 })], fulltext: [hit('b', { fulltext: 8 }), hit('c', { fulltext: 4 })] },
      ['c', 'd'],
    );
    expect(fused.get('a')).toBeCloseTo(0.6 * 0.9, 10);
    expect(fused.get('b')).toBeCloseTo(0.6 * 0.5 + 0.3, 10);
    expect(fused.get('c')).toBeCloseTo(0.3 * 0.5 + 0.1, 10);
    expect(fused.get('d')).toBeCloseTo(0.1, 10);
    // A perfect hit in every list scores exactly 1.
    expect(weightedFusion({ vector: [hit('x', { vector: 1 })], fulltext: [hit('x', { fulltext: 3 })] }, ['x']).get('x')).toBeCloseTo(1, 10);
  });

  it('gives fulltext nothing when no Lucene score is positive, and treats missing scores as 0', () => {
    const fused = weightedFusion({ vector: [hit('a', {})], fulltext: [hit('b', { fulltext: 0 }), hit('c', {})] }, []);
    expect([...fused.entries()]).toEqual([
      ['a', 0],
      ['b', 0],
      ['c', 0],
    ]);
  });
});

describe('search seeds and candidates', () => {
  it('seeds the graph expansion with the best few of a first reciprocal-rank fusion', () => {
    const vector = ['v1', 'both', 'v2', 'v3', 'v4', 'v5'];
    const fulltext = ['both', 'f1', 'f2'];
    const seeds = searchSeeds(vector, fulltext);
    expect(seeds).toHaveLength(SEARCH_SEEDS);
    expect(seeds[0]).toBe('both'); // in both lists
    const firstPass = reciprocalRankFusion([vector, fulltext]);
    const expected = [...firstPass.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, SEARCH_SEEDS)
      .map(([id]) => id);
    expect(seeds).toEqual(expected);
    expect(searchSeeds(['a'], [])).toEqual(['a']);
  });

  it('asks each index for three candidates per hit, and at least twenty', () => {
    expect(searchCandidateCount(1)).toBe(MIN_SEARCH_CANDIDATES);
    expect(searchCandidateCount(6)).toBe(20);
    expect(searchCandidateCount(7)).toBe(21);
    expect(searchCandidateCount(100)).toBe(300);
  });

  it('keeps the best fused scores, ties broken by id', () => {
    const scores = new Map([
      ['b', 0.5],
      ['a', 0.5],
      ['c', 0.9],
      ['d', 0.1],
    ]);
    expect(topFused(scores, 3)).toEqual([
      ['c', 0.9],
      ['a', 0.5],
      ['b', 0.5],
    ]);
  });
});

describe('anchors and seeds of contextFor', () => {
  it('anchors the best semantic matches, then own work and explicitly relevant contexts', () => {
    const candidates = [
      candidate('low-own', 0.1, { sources: ['own'] }),
      candidate('best', 0.9),
      candidate('second', 0.8),
      candidate('third', 0.7),
      candidate('fourth', 0.6),
      candidate('declared', 0.2, { explicitRelevance: ANCHOR_EXPLICIT_RELEVANCE }),
      candidate('weakly-declared', 0.3, { explicitRelevance: ANCHOR_EXPLICIT_RELEVANCE - 0.01 }),
    ];
    const { anchors, seeds } = chooseAnchors(candidates);
    expect([...anchors]).toEqual(['best', 'second', 'third', 'declared', 'low-own']);
    // Seeds: the anchors, then the best matches not already anchored.
    expect(seeds).toEqual(['best', 'second', 'third', 'declared', 'low-own', 'fourth', 'weakly-declared']);
  });

  it('caps anchors and seeds', () => {
    const own = Array.from({ length: 50 }, (_, i) => candidate(`own-${i}`, 0.5 - i / 1000, { sources: ['own'] }));
    const { anchors, seeds } = chooseAnchors(own);
    expect(anchors.size).toBe(MAX_ANCHORS - SEMANTIC_ANCHORS);
    expect(seeds.length).toBeLessThanOrEqual(MAX_SEEDS);
    const matches = Array.from({ length: 50 }, (_, i) => candidate(`m-${i}`, 1 - i / 100));
    const plain = chooseAnchors(matches);
    expect(plain.anchors.size).toBe(SEMANTIC_ANCHORS);
    expect(plain.seeds).toHaveLength(SEED_MATCHES);
  });
});

describe('ranking and the threshold', () => {
  const profile = { needKeys: [], now: new Date('2025-01-01T00:00:00.000Z'), recencyHalfLifeHours: 24 };

  it('scores best first, newer first on equal scores, with dependency proximity to the anchors', () => {
    const ranked = rankCandidates(
      [candidate('old', 0.5, { createdSeq: 1 }), candidate('new', 0.5, { createdSeq: 2 }), candidate('near', 0.5, { createdSeq: 0 })],
      [{ from: 'anchor', to: 'near' }],
      new Set(['anchor']),
      profile,
      DEFAULT_WEIGHTS,
    );
    expect(ranked.map((item) => item.context.id)).toEqual(['near', 'new', 'old']);
    expect(ranked[0]?.reasons.dependency).toBeGreaterThan(0);
    expect(ranked[1]?.reasons.dependency).toBe(0);
    for (const item of ranked) expect(item.score).toBe(Math.round(item.score * 10_000) / 10_000);
  });

  it('passes what clears the threshold and reports the best of the rest, both capped', () => {
    const ranked = Array.from({ length: MAX_RANKED + 40 }, (_, i) => scoredContext(`c${i}`, 10, 1 - i / 1000));
    const threshold = ranked[MAX_RANKED + 5]?.score ?? 0;
    const { passing, below } = partitionByThreshold(ranked, threshold);
    expect(passing).toHaveLength(MAX_RANKED);
    expect(passing.every((item) => item.score >= threshold)).toBe(true);
    expect(below).toHaveLength(MAX_REPORTED_BELOW_THRESHOLD);
    expect(below[0]).toEqual({
      contextId: `c${MAX_RANKED + 6}`,
      reason: 'BELOW_THRESHOLD',
      duplicateOf: null,
      score: ranked[MAX_RANKED + 6]?.score,
    });
  });

  it('maps each kept context to its dependencies among the kept ones only', () => {
    const edges = [
      { from: 'a', to: 'b' },
      { from: 'a', to: 'gone' },
      { from: 'a', to: 'c' },
      { from: 'gone', to: 'b' },
      { from: 'c', to: 'b' },
    ];
    expect(dependenciesAmong(edges, new Set(['a', 'b', 'c']))).toEqual(
      new Map([
        ['a', ['b', 'c']],
        ['c', ['b']],
      ]),
    );
  });
});
