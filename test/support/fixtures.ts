import type { ScoredContext } from '../../src/domain/routing/types.js';
import type { Agent, ContextRecord } from '../../src/domain/types.js';

/** A plain ACTIVE finding for pure tests; override what the test is about. */
export function contextRecord(id: string, overrides: Partial<ContextRecord> = {}): ContextRecord {
  return {
    id,
    type: 'FINDING',
    text: `text of ${id}`,
    content: null,
    tags: [],
    priority: 'ROUTINE',
    status: 'ACTIVE',
    version: 1,
    tokens: 10,
    confidence: 1,
    sourceAgentId: 'agent-a',
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
    expiresAt: null,
    visibleTo: null,
    createdSeq: 1,
    retractionReason: null,
    validFrom: null,
    validUntil: null,
    staleness: null,
    asOf: null,
    workflowId: null,
    ...overrides,
  };
}

/** A scored context with the given size and score (reasons: only semantic set). */
export function scoredContext(id: string, tokens: number, score: number, overrides: Partial<ContextRecord> = {}): ScoredContext {
  return {
    context: contextRecord(id, { tokens, ...overrides }),
    score,
    reasons: { semantic: score, dependency: 0, needs: 0, explicit: 0, confidence: 1, recency: 1 },
    tokens,
  };
}

/** Deterministic PRNG (mulberry32) so every random case can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A registered agent with the defaults registerAgent gives (threshold 0.3, budget 4000). */
export function agentRecord(id: string, needs: string[] = [], produces: string[] = []): Agent {
  return {
    id,
    name: id,
    role: null,
    needs,
    produces,
    relevanceThreshold: 0.3,
    tokenBudget: 4000,
    parentId: null,
    createdAt: '2026-11-25T00:00:00.000Z',
  };
}
