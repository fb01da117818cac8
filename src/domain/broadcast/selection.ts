import type { Priority } from '../types.js';

/** Who must hear of a context now, and why. ROUTINE contexts are stored and wait to be asked for. */
export interface BroadcastPolicy {
  /** IMPORTANT contexts go out only when relevance also clears this bar (and the agent’s own threshold). Default 0.6 (`BROADCAST_IMPORTANT_BAR`). */
  importantBar: number;
}

export interface BroadcastSubject {
  priority: Priority;
  sourceAgentId: string;
  /** Agents allowed to read it besides the source; null = everyone. */
  visibleTo: readonly string[] | null;
}

export interface RecipientCandidate {
  agentId: string;
  relevanceThreshold: number;
  /** The stored relevance to this agent (declared or computed at publish time), if any. */
  relevance: { score: number; explicit: boolean } | null;
}

export interface Recipient {
  agentId: string;
  /** Why it was sent, for the delivery record: readable and stable enough to assert on. */
  reason: string;
}

const fixed = (value: number) => value.toFixed(2);

/**
 * Selective broadcasting: CRITICAL goes to every agent it is relevant to (relevance at or above that
 * agent's threshold) or that the publisher named (explicit relevance); IMPORTANT only where relevance
 * also clears `importantBar` or the agent was named; ROUTINE to nobody. Never to the source, never to
 * an agent that may not read it.
 */
export function selectRecipients(
  subject: BroadcastSubject,
  candidates: readonly RecipientCandidate[],
  policy: BroadcastPolicy,
): Recipient[] {
  if (subject.priority === 'ROUTINE') return [];
  const recipients: Recipient[] = [];
  for (const candidate of candidates) {
    if (candidate.agentId === subject.sourceAgentId || !candidate.relevance) continue;
    if (subject.visibleTo !== null && !subject.visibleTo.includes(candidate.agentId)) continue;
    const { score, explicit } = candidate.relevance;
    const bar =
      subject.priority === 'CRITICAL' ? candidate.relevanceThreshold : Math.max(candidate.relevanceThreshold, policy.importantBar);
    if (explicit) {
      recipients.push({ agentId: candidate.agentId, reason: `${subject.priority}: named by the publisher (relevance ${fixed(score)})` });
    } else if (score >= bar) {
      recipients.push({
        agentId: candidate.agentId,
        reason: `${subject.priority}: relevance ${fixed(score)} ≥ ${subject.priority === 'CRITICAL' ? 'agent threshold' : 'broadcast bar'} ${fixed(bar)}`,
      });
    }
  }
  return recipients.sort((a, b) => a.agentId.localeCompare(b.agentId));
}
