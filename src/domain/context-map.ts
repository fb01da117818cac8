import type { Agent } from './types.js';

export interface TopicAgents {
  topic: string;
  agentIds: string[];
}

export interface ContextMap {
  agents: Agent[];
  /** Topics some agent needs that no agent produces. */
  unmetNeeds: TopicAgents[];
  /** Topics some agent produces that no agent needs. */
  unconsumedProducts: TopicAgents[];
}

/** Normalises a need or product topic so `Key Findings` and `key_findings` match. */
export function normalizeTopic(topic: string): string {
  return topic
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

/** Builds the Context Map (the article's Phase 1) from the registered agents. */
export function buildContextMap(agents: readonly Agent[]): ContextMap {
  const needers = new Map<string, Set<string>>();
  const producers = new Map<string, Set<string>>();
  const add = (index: Map<string, Set<string>>, topic: string, agentId: string) => {
    const key = normalizeTopic(topic);
    const set = index.get(key) ?? new Set<string>();
    set.add(agentId);
    index.set(key, set);
  };
  for (const agent of agents) {
    for (const need of agent.needs) add(needers, need, agent.id);
    for (const product of agent.produces) add(producers, product, agent.id);
  }
  const without = (from: Map<string, Set<string>>, other: Map<string, Set<string>>): TopicAgents[] =>
    [...from.entries()]
      .filter(([topic]) => !other.has(topic))
      .map(([topic, ids]) => ({ topic, agentIds: [...ids].sort() }))
      .sort((a, b) => a.topic.localeCompare(b.topic));
  return {
    agents: [...agents],
    unmetNeeds: without(needers, producers),
    unconsumedProducts: without(producers, needers),
  };
}
