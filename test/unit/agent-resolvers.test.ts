import { describe, expect, it } from 'vitest';
import { agentResolvers } from '../../resolvers/agent.js';
import type { Agent } from '../../src/domain/types.js';
import type { RequestContext } from '../../src/graphql/request-context.js';

const agent = (id: string): Agent => ({
  id,
  name: id,
  role: null,
  needs: [],
  produces: [],
  relevanceThreshold: 0.5,
  tokenBudget: 2000,
  parentId: null,
  createdAt: '2026-01-01T00:00:00.000Z',
});

/** A request context whose agent loader answers `loadMany` with `results`. */
function contextWith(results: (Agent | Error | null)[]): RequestContext {
  const loaders = { agent: { loadMany: async () => results } };
  return { loaders } as unknown as RequestContext;
}

type Resolve = (parent: unknown, args: unknown, context: RequestContext, info: unknown) => Promise<Agent[]>;
const topicAgents = agentResolvers.TopicAgents.agents as unknown as Resolve;
const topic = { agentIds: ['a', 'gone', 'b'] };

describe('TopicAgents.agents', () => {
  it('skips agents that no longer exist', async () => {
    const agents = await topicAgents(topic, {}, contextWith([agent('a'), null, agent('b')]), {});
    expect(agents.map((a) => a.id)).toEqual(['a', 'b']);
  });

  it('fails with a load error instead of reading it as "no such agent" (issue 7)', async () => {
    const failure = new Error('database unavailable');
    await expect(topicAgents(topic, {}, contextWith([agent('a'), failure, null]), {})).rejects.toBe(failure);
  });
});
