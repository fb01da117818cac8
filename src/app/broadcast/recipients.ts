import { selectRecipients, type BroadcastPolicy, type BroadcastSubject, type Recipient } from '../../domain/broadcast/selection.js';
import type { RelevanceScore } from '../../domain/relevance.js';
import type { Agent } from '../../domain/types.js';
import { readableInScope, type Readable, type ScopeSource } from '../../domain/visibility.js';

export interface RecipientPlannerOptions {
  /** Agent records (their relevance thresholds), for the agents a context is relevant to. */
  agents: { getMany(ids: readonly string[]): Promise<(Agent | null)[]> };
  policy: BroadcastPolicy;
  /** Agents' scopes: a spawned agent hears only of what it may read (README "Inheritance"). */
  scopes: ScopeSource;
}

/**
 * Chooses who must hear of a change now (selective broadcasting). The use-case asks before its write,
 * because the store writes the deliveries in the same transaction as the change.
 */
export class RecipientPlanner {
  constructor(private readonly options: RecipientPlannerOptions) {}

  /** Recipients of `subject`, from its relevance to each agent (see `mergeRelevance`), with the reason. */
  async recipients(
    subject: BroadcastSubject & Omit<Readable, 'visibleTo' | 'sourceAgentId'>,
    relevance: ReadonlyMap<string, RelevanceScore>,
  ): Promise<Recipient[]> {
    if (subject.priority === 'ROUTINE' || relevance.size === 0) return [];
    const agents = await this.options.agents.getMany([...relevance.keys()]);
    const readers = await Promise.all(
      agents.map(async (agent) => agent !== null && readableInScope(await this.options.scopes.scopeOf(agent.id), subject)),
    );
    const candidates = agents.flatMap((agent, index) =>
      agent && readers[index]
        ? [{ agentId: agent.id, relevanceThreshold: agent.relevanceThreshold, relevance: relevance.get(agent.id) ?? null }]
        : [],
    );
    // Who may read it was decided above by the one rule (a spawned child may read what is restricted to its parent).
    return selectRecipients({ ...subject, visibleTo: null }, candidates, this.options.policy);
  }
}
