import type { DependencyEdge } from '../types.js';
import type { RoutingCandidate } from './ports.js';

/**
 * Routing prefers a consensus to its inputs: a candidate that a current CONSENSUS candidate depends on (an
 * active one that is not stale, in the same candidate set) has its score multiplied by this factor. Its reasons
 * stay as they were, so the cut is visible, exactly like stale demotion. A stale consensus demotes nothing.
 */
export const CONSENSUS_INPUT_DEMOTION = 0.5;

/** Ids of the candidates some current CONSENSUS candidate depends on directly. */
export function consensusInputIds(candidates: Iterable<RoutingCandidate>, edges: readonly DependencyEdge[]): Set<string> {
  const current = new Set<string>();
  for (const { context } of candidates) {
    if (context.type === 'CONSENSUS' && context.status === 'ACTIVE' && context.staleness === null) current.add(context.id);
  }
  const inputs = new Set<string>();
  if (current.size === 0) return inputs;
  for (const { from, to } of edges) if (current.has(from) && !current.has(to)) inputs.add(to);
  return inputs;
}
