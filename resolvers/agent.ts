import type { Resolvers } from './__generated__/types.js';

export const agentResolvers = {
  Query: {
    me: (_parent, _args, { viewer, loaders }) => (viewer.kind === 'agent' ? loaders.agent.load(viewer.agentId) : null),
    agent: (_parent, { id }, { loaders }) => loaders.agent.load(id),
    agents: (_parent, _args, { services }) => services.agents.list(),
    contextMap: (_parent, args, { viewer, services }) => services.contextMap.map(viewer, args),
  },
  Mutation: {
    registerAgent: (_parent, { input, idempotencyKey }, { viewer, services }) => services.agents.register(viewer, input, idempotencyKey),
    spawnAgent: (_parent, { parentId, input, idempotencyKey }, { viewer, services }) =>
      services.spawn.spawn(viewer, parentId, input, idempotencyKey),
  },
  Agent: {
    parent: (agent, _args, { loaders }) => (agent.parentId ? loaders.agent.load(agent.parentId) : null),
    children: (agent, _args, { loaders }) => loaders.children.load(agent.id),
  },
  TopicAgents: {
    agents: async (topic, _args, { loaders }) => existingAgents(await loaders.agent.loadMany(topic.agentIds)),
  },
} satisfies Resolvers;

/** Drops agents that no longer exist; a failed load fails the field rather than reading as "no such agent". */
export function existingAgents<T>(results: readonly (T | Error | null)[]): T[] {
  const failure = results.find((result) => result instanceof Error);
  if (failure) throw failure;
  return results.filter((result): result is T => result !== null);
}
