import { cosine } from './vectors.js';
import { needsMatch } from './scoring.js';

export interface AgentNeedsProfile {
  agentId: string;
  needKeys: string[];
  needsEmbedding: number[] | null;
}

/** Computed relevance below this is not stored: it would only add noise to the graph. */
export const MIN_STORED_RELEVANCE = 0.2;

/**
 * Relevance of a new context to each agent, computed at publish time and kept as RELEVANT_TO
 * edges (explicit: false): the match of its tags and text with the agent's needs, and the
 * semantic similarity of its text to those needs. Broadcasting decides with these scores.
 */
export function relevanceToAgents(
  context: { text: string; tags: readonly string[]; embedding: readonly number[]; sourceAgentId: string },
  agents: readonly AgentNeedsProfile[],
): { agentId: string; score: number }[] {
  const result: { agentId: string; score: number }[] = [];
  for (const agent of agents) {
    if (agent.agentId === context.sourceAgentId || agent.needKeys.length === 0) continue;
    const needs = needsMatch(agent.needKeys, context.tags, context.text);
    const semantic = agent.needsEmbedding ? Math.max(0, cosine(context.embedding, agent.needsEmbedding)) : 0;
    const score = Math.round((0.6 * needs + 0.4 * semantic) * 1000) / 1000;
    if (score >= MIN_STORED_RELEVANCE) result.push({ agentId: agent.agentId, score });
  }
  return result;
}

/** The text embedded to represent an agent's needs. */
export function needsProfileText(needs: readonly string[]): string | null {
  return needs.length === 0 ? null : needs.map((need) => need.replace(/[_-]+/g, ' ')).join('; ');
}
