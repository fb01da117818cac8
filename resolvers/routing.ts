import { asAgent } from '../src/graphql/request-context.js';
import type { Resolvers } from './__generated__/types.js';

const given = (asOf: number | null | undefined): asOf is number => asOf !== null && asOf !== undefined;

export const routingResolvers = {
  Query: {
    embeddingModel: (_parent, _args, { services }) => services.contexts.embeddingModel,
    // The package and the hits are the agent's view, whoever asks: nested fields are read as that agent too.
    // With `asOf`, the answer as of that seq (src/app/history/past-routing.ts); without, today's paths, untouched.
    contextFor: async (_parent, { agentId, task, budget, workflowId, validAt, asOf }, { viewer, services, readAs }) => {
      // Every path passes the agent's token quota (src/app/quotas): the budget is cut to what is left of the period.
      const pkg = given(asOf)
        ? await services.quotas.metered(viewer, agentId, budget, false, (granted) =>
            services.pastRouting.contextFor(viewer, { agentId, task, budget: granted, workflowId, validAt, asOf }),
          )
        : await services.quotas.metered(viewer, agentId, budget, true, (granted) =>
            services.router.contextFor(viewer, agentId, task, granted, workflowId, validAt),
          );
      const reader = asAgent(pkg.agentId);
      return { ...pkg, items: pkg.items.map((item) => ({ ...item, context: readAs(reader, item.context) })) };
    },
    searchContext: async (_parent, { query, agentId, limit, validAt, asOf }, { viewer, services, readAs }) => {
      const hits = given(asOf)
        ? await services.pastRouting.search(viewer, { query, agentId, limit, validAt, asOf })
        : await services.router.search(viewer, query, agentId, limit, validAt);
      const reader = agentId ? asAgent(agentId) : viewer;
      return hits.map((hit) => ({ ...hit, context: readAs(reader, hit.context) }));
    },
  },
  ContextPackage: {
    agent: async (pkg, _args, { loaders }) => {
      const agent = await loaders.agent.load(pkg.agentId);
      if (!agent) throw new Error(`agent ${pkg.agentId} is missing`);
      return agent;
    },
    pastRead: (pkg) => pkg.pastRead ?? null,
    source: (pkg) => (pkg.prefetched ? 'PREFETCH' : pkg.cached ? 'CACHE' : 'COMPUTED'),
  },
} satisfies Resolvers;
