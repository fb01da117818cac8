import type { Resolvers } from './__generated__/types.js';
import { existingAgents } from './agent.js';

/** The Context Map's types (README "The Context Map from real traffic"); the query itself is in agent.ts. */
export const contextMapResolvers = {
  // The traffic part of the Context Map is read once per map, when one of these fields asks (README "The Context Map from real traffic").
  ContextMap: {
    needs: async (map) => (await map.observed()).needs,
    products: async (map) => (await map.observed()).products,
    unservedNeeds: async (map) => (await map.observed()).unservedNeeds,
    undeliveredProducts: async (map) => (await map.observed()).undeliveredProducts,
    isolatedAgents: async (map) => (await map.observed()).isolatedAgents,
    flows: async (map) => (await map.observed()).flows,
    criticalPaths: async (map) => (await map.observed()).criticalPaths,
    stepFailures: async (map) => (await map.observed()).stepFailures,
    truncated: async (map) => (await map.observed()).truncated,
    packagesRead: async (map) => (await map.observed()).packagesRead,
  },
  TopicUsage: {
    agents: async (usage, _args, { loaders }) => existingAgents(await loaders.agent.loadMany(usage.agentIds)),
  },
  IsolatedAgent: {
    agent: (isolated, _args, { loaders }) => loaders.agent.load(isolated.agentId),
  },
  ContextFlow: {
    producer: (flow, _args, { loaders }) => loaders.agent.load(flow.producerId),
    consumer: (flow, _args, { loaders }) => loaders.agent.load(flow.consumerId),
  },
  CriticalPathNode: {
    context: (node, _args, { loaders }) => (node.contextId === null ? null : loaders.context.load(node.contextId)),
  },
  StepFailure: {
    agent: (failure, _args, { loaders }) => loaders.agent.load(failure.agentId),
  },
} satisfies Resolvers;
