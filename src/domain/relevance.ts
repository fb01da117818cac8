import type { RelevanceEntry } from './types.js';

/** A context's relevance to one agent, and whether the publisher declared it (explicit) or it was computed. */
export interface RelevanceScore {
  score: number;
  explicit: boolean;
}

export interface AgentScore {
  agentId: string;
  score: number;
}

/**
 * The relevance a context has after a write, as the store will hold it: what was stored, with the
 * declared scores replaced by `declared` and the computed ones by `computed` when given (undefined
 * keeps them); a declared score always wins, a computed one never overwrites a declared one.
 */
export function mergeRelevance(
  stored: readonly RelevanceEntry[],
  computed: readonly AgentScore[] | undefined,
  declared: readonly AgentScore[] | undefined,
): Map<string, RelevanceScore> {
  const kept = stored.filter((r) => (r.explicit ? declared === undefined : computed === undefined));
  const merged = new Map<string, RelevanceScore>(kept.map((r) => [r.agentId, { score: r.score, explicit: r.explicit }]));
  for (const r of declared ?? []) merged.set(r.agentId, { score: r.score, explicit: true });
  for (const r of computed ?? []) if (!merged.get(r.agentId)?.explicit) merged.set(r.agentId, { score: r.score, explicit: false });
  return merged;
}
