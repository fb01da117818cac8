import type { Resolvers } from './__generated__/types.js';

export const agentResolvers = {
  Query: {
    me: (_parent, _args, { viewer, loaders }) => (viewer.kind === 'agent' ? loaders.agent.load(viewer.agentId) : null),
    agent: (_parent, { id }, { loaders }) => loaders.agent.load(id),
    agents: (_parent, _args, { services }) => services.agents.list(),
    contextMap: (_parent, _args, { services }) => services.agents.contextMap(),
  },
  Mutation: {
    registerAgent: (_parent, { input, idempotencyKey }, { viewer, services }) => services.agents.register(viewer, input, idempotencyKey),
  },
  Agent: {
    parent: (agent, _args, { loaders }) => (agent.parentId ? loaders.agent.load(agent.parentId) : null),
    children: (agent, _args, { loaders }) => loaders.children.load(agent.id),
  },
  TopicAgents: {
    agents: async (topic, _args, { loaders }) => (await loaders.agent.loadMany(topic.agentIds)).filter(isAgent),
  },
} satisfies Resolvers;

function isAgent<T>(value: T | Error | null): value is T {
  return value !== null && !(value instanceof Error);
}
