import { describe, expect, it } from 'vitest';
import {
  computeConsensus,
  normalizePosition,
  numericValue,
  withinTolerance,
  type ConsensusInput,
} from '../../src/domain/consensus/agreement.js';
import { consensusReaders, escalationTargets } from '../../src/domain/consensus/escalation.js';
import { groupBySimilarity, selectGroup } from '../../src/domain/consensus/grouping.js';
import { consensusInputIds } from '../../src/domain/routing/consensus-preference.js';
import { rankCandidates } from '../../src/domain/routing/ranking.js';
import { DEFAULT_WEIGHTS } from '../../src/domain/routing/scoring.js';
import type { RoutingCandidate } from '../../src/domain/routing/ports.js';
import { contextRecord } from '../support/fixtures.js';

const input = (contextId: string, position: string, confidence: number, agentId = contextId, trust = 0.5): ConsensusInput => ({
  contextId,
  agentId,
  position,
  confidence,
  trust,
});

describe('consensus maths', () => {
  it('holds the worked example: up (0.9, 0.8) and down (0.2) give 1.7 / 1.9', () => {
    const outcome = computeConsensus([input('a', 'up', 0.9), input('b', 'Up ', 0.8), input('c', 'down', 0.2)], 'CONFIDENCE');
    expect(outcome.position).toBe('up');
    expect(outcome.agreement).toBeCloseTo(1.7 / 1.9, 12);
    expect(outcome.agreement.toFixed(3)).toBe('0.895');
    expect(outcome.totalWeight).toBeCloseTo(1.9, 12);
    expect(outcome.groups.map((g) => [g.position, g.contextIds])).toEqual([
      ['up', ['a', 'b']],
      ['down', ['c']],
    ]);
    expect(outcome.tied).toBe(false);
  });

  it('weighs EQUAL as 1 each and AGENT_TRUST by the agent', () => {
    const inputs = [input('a', 'up', 0.9, 'x', 0.1), input('b', 'up', 0.8, 'y', 0.1), input('c', 'down', 0.2, 'z', 0.9)];
    expect(computeConsensus(inputs, 'EQUAL').agreement).toBeCloseTo(2 / 3, 12);
    const byTrust = computeConsensus(inputs, 'AGENT_TRUST');
    expect(byTrust.position).toBe('down');
    expect(byTrust.agreement).toBeCloseTo(0.9 / 1.1, 12);
  });

  it('normalises positions: trim, inner whitespace, case', () => {
    expect(normalizePosition('  Revenue   UP ')).toBe('revenue up');
  });

  it('lets numbers agree within a relative tolerance, and not beyond it', () => {
    expect(numericValue('15%')).toBeCloseTo(0.15, 12);
    expect(numericValue('1,200')).toBe(1200);
    expect(numericValue('15 dollars')).toBeNull();
    expect(withinTolerance(100, 104, 0.05)).toBe(true);
    expect(withinTolerance(100, 106, 0.05)).toBe(false);
    expect(withinTolerance(0, 0, 0.05)).toBe(true);
    const close = computeConsensus([input('a', '100', 1), input('b', '104', 1), input('c', '120', 1)], 'EQUAL', 0.05);
    expect(close.groups.map((g) => g.contextIds)).toEqual([['a', 'b'], ['c']]);
    const strict = computeConsensus([input('a', '100', 1), input('b', '104', 1), input('c', '120', 1)], 'EQUAL', 0.01);
    expect(strict.groups).toHaveLength(3);
    // 15% and 0.15 are the same number.
    expect(computeConsensus([input('a', '15%', 1), input('b', '0.15', 1)], 'EQUAL').agreement).toBe(1);
  });

  it('breaks ties by more inputs, then the heaviest input, then position text, and says so', () => {
    const byCount = computeConsensus([input('a', 'yes', 0.5), input('b', 'yes', 0.5), input('c', 'no', 1)], 'CONFIDENCE');
    expect(byCount.position).toBe('yes');
    expect(byCount.tied).toBe(true);
    expect(byCount.agreement).toBe(0.5);
    const byText = computeConsensus([input('a', 'yes', 1), input('b', 'no', 1)], 'CONFIDENCE');
    expect(byText.position).toBe('no');
    expect(byText.tied).toBe(true);
    // Order of the inputs does not matter.
    expect(computeConsensus([input('b', 'no', 1), input('a', 'yes', 1)], 'CONFIDENCE').position).toBe('no');
  });

  it('answers 0 agreement when nothing has weight', () => {
    expect(computeConsensus([input('a', 'yes', 0), input('b', 'no', 0)], 'CONFIDENCE').agreement).toBe(0);
  });
});

describe('similarity grouping', () => {
  it('groups by cosine at the threshold and selects the largest group', () => {
    const items = [
      { id: 'a', embedding: [1, 0] },
      { id: 'b', embedding: [0.95, 0.05] },
      { id: 'c', embedding: [0, 1] },
      { id: 'd', embedding: [0.9, 0.1] },
    ];
    const groups = groupBySimilarity(items, 0.8);
    expect(groups.map((g) => g.map((i) => i.id))).toEqual([['a', 'b', 'd'], ['c']]);
    expect(selectGroup(groups, () => 1)).toBe(0);
    expect(groupBySimilarity(items, 0.9999).length).toBe(4);
    expect(selectGroup(groupBySimilarity(items, 0.9999), () => 1)).toBeNull();
  });
});

describe('escalation and readers', () => {
  const rules = [
    { claim: 'q1', tag: null, agentIds: ['r1'] },
    { claim: null, tag: 'finance', agentIds: ['r2', 'r1'] },
  ];
  it('escalates to the agents of matching rules, else the defaults', () => {
    expect(escalationTargets(rules, 'q1', ['finance'], ['d'])).toEqual(['r1', 'r2']);
    expect(escalationTargets(rules, 'q2', [], ['d'])).toEqual(['d']);
    expect(escalationTargets(rules, 'q2', [], [])).toEqual([]);
  });
  it('keeps a consensus no more visible than its inputs', () => {
    expect(consensusReaders([{ visibleTo: null, sourceAgentId: 'a' }])).toBeNull();
    expect(
      consensusReaders([
        { visibleTo: ['b', 'c'], sourceAgentId: 'a' },
        { visibleTo: null, sourceAgentId: 'x' },
        { visibleTo: ['a', 'c'], sourceAgentId: 'b' },
      ]),
    ).toEqual(['a', 'b', 'c']);
    expect(
      consensusReaders([
        { visibleTo: ['c'], sourceAgentId: 'a' },
        { visibleTo: ['d'], sourceAgentId: 'b' },
      ]),
    ).toEqual([]);
  });
});

describe('routing prefers a consensus to its inputs', () => {
  const candidate = (id: string, overrides: Parameters<typeof contextRecord>[1] = {}): RoutingCandidate => ({
    context: contextRecord(id, overrides),
    taskSimilarity: 0.8,
    needsSimilarity: null,
    explicitRelevance: null,
    sources: ['vector'],
    vectorScore: 0.8,
    fulltextScore: null,
  });
  const profile = { needKeys: [], recencyHalfLifeHours: 24, now: new Date('2025-01-01T00:00:00.000Z') };

  it('demotes the inputs of a current CONSENSUS candidate, not those of a stale one', () => {
    const edges = [
      { from: 'cons', to: 'in1' },
      { from: 'cons', to: 'in2' },
    ];
    const current = [candidate('in1'), candidate('in2'), candidate('other'), candidate('cons', { type: 'CONSENSUS' })];
    expect([...consensusInputIds(current, edges)].sort()).toEqual(['in1', 'in2']);
    const ranked = rankCandidates(current, edges, new Set(), profile, DEFAULT_WEIGHTS);
    const score = (id: string) => ranked.find((r) => r.context.id === id)?.score ?? -1;
    expect(score('in1')).toBeLessThan(score('other'));
    expect(score('in1')).toBeCloseTo(score('other') * 0.5, 3);

    const stale = { reason: 'INPUT_CHANGED' as const, causeId: 'in1', viaId: 'in1', since: '2025-01-01T00:00:00.000Z', seq: 3 };
    const staleConsensus = [candidate('in1'), candidate('cons', { type: 'CONSENSUS', staleness: stale })];
    expect(consensusInputIds(staleConsensus, edges).size).toBe(0);
  });
});
