import { selectRecipients, type BroadcastPolicy, type BroadcastSubject, type Recipient } from '../../domain/broadcast/selection.js';
import type { RelevanceScore } from '../../domain/relevance.js';
import type { Agent } from '../../domain/types.js';

export interface RecipientPlannerOptions {
  /** Agent records (their relevance thresholds), for the agents a context is relevant to. */
  agents: { getMany(ids: readonly string[]): Promise<(Agent | null)[]> };
  policy: BroadcastPolicy;
}

/**
 * Chooses who must hear of a change now (selective broadcasting). The use-case asks before its write,
 * because the store writes the deliveries in the same transaction as the change.
 */
export class RecipientPlanner {
  constructor(private readonly options: RecipientPlannerOptions) {}

  /** Recipients of `subject`, from its relevance to each agent (see `mergeRelevance`), with the reason. */
  async recipients(subject: BroadcastSubject, relevance: ReadonlyMap<string, RelevanceScore>): Promise<Recipient[]> {
    if (subject.priority === 'ROUTINE' || relevance.size === 0) return [];
    const agents = await this.options.agents.getMany([...relevance.keys()]);
    const candidates = agents.flatMap((agent) =>
      agent ? [{ agentId: agent.id, relevanceThreshold: agent.relevanceThreshold, relevance: relevance.get(agent.id) ?? null }] : [],
    );
    return selectRecipients(subject, candidates, this.options.policy);
  }
}
