import type { Resolvers } from './__generated__/types.js';

export const routingResolvers = {
  Query: {
    contextFor: (_parent, { agentId, task, budget, workflowId }, { viewer, services }) =>
      services.router.contextFor(viewer, agentId, task, budget, workflowId),
    searchContext: (_parent, { query, agentId, limit }, { viewer, services }) => services.router.search(viewer, query, agentId, limit),
  },
  ContextPackage: {
    agent: async (pkg, _args, { loaders }) => {
      const agent = await loaders.agent.load(pkg.agentId);
      if (!agent) throw new Error(`agent ${pkg.agentId} is missing`);
      return agent;
    },
  },
} satisfies Resolvers;
