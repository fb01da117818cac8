/**
 * Who a conflict is escalated to: every agent named by a rule on its claim or on any tag of its inputs
 * (setEscalation); when no rule matches, the configured default agents (CONSENSUS_ESCALATION_AGENTS). Admins
 * always see every conflict (conflicts, conflictEscalated without agentId), so an empty answer means "admins only".
 */

export interface EscalationRule {
  claim: string | null;
  tag: string | null;
  agentIds: string[];
}

export function escalationTargets(
  rules: readonly EscalationRule[],
  claim: string | null,
  tags: readonly string[],
  defaults: readonly string[],
): string[] {
  const matching = rules.filter((rule) => (rule.claim !== null && rule.claim === claim) || (rule.tag !== null && tags.includes(rule.tag)));
  const chosen = matching.length > 0 ? matching.flatMap((rule) => rule.agentIds) : defaults;
  return [...new Set(chosen)].sort();
}

/**
 * The readers a consensus may have without exposing an input to someone who could not read it: null (every
 * agent) when all inputs are public; otherwise the agents that may read every restricted input.
 */
export function consensusReaders(inputs: readonly { visibleTo: string[] | null; sourceAgentId: string }[]): string[] | null {
  const restricted = inputs.filter((input) => input.visibleTo !== null);
  if (restricted.length === 0) return null;
  const readersOf = (input: { visibleTo: string[] | null; sourceAgentId: string }) =>
    new Set([...(input.visibleTo ?? []), input.sourceAgentId]);
  const [first, ...rest] = restricted.map(readersOf);
  return [...(first ?? new Set<string>())].filter((agent) => rest.every((readers) => readers.has(agent))).sort();
}
