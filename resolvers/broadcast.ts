import type { BroadcastItem, ContextEventItem } from '../src/app/broadcast/broadcaster.js';
import { asAgent, type RequestContext } from '../src/graphql/request-context.js';
import type { Resolvers } from './__generated__/types.js';

/** A broadcast is the agent's view, whoever reads it: its nested fields are read as that agent. */
const readAsRecipient = (item: BroadcastItem, agentId: string, { readAs }: RequestContext): BroadcastItem => ({
  ...item,
  context: readAs(asAgent(agentId), item.context),
});

export const broadcastResolvers = {
  Query: {
    broadcasts: async (_parent, { agentId, afterSeq, first }, ctx) => {
      const page = await ctx.services.broadcasts.page(ctx.viewer, agentId, afterSeq, first);
      return { ...page, broadcasts: page.broadcasts.map((item) => readAsRecipient(item, agentId, ctx)) };
    },
  },
  Mutation: {
    acknowledge: (_parent, { agentId, seq }, { viewer, services }) => services.broadcasts.acknowledge(viewer, agentId, seq),
  },
  Subscription: {
    contextBroadcast: {
      subscribe: (_parent, { agentId, afterSeq, workflowId }, { viewer, services }) =>
        services.broadcasts.stream(viewer, agentId, afterSeq, workflowId),
      resolve: (item: BroadcastItem, { agentId }: { agentId: string }, ctx: RequestContext) => readAsRecipient(item, agentId, ctx),
    },
    contextPublished: {
      subscribe: (_parent, { filter }, { viewer, services }) => services.broadcasts.published(viewer, filter),
      resolve: (item: ContextEventItem) => item,
    },
    contextChanged: {
      subscribe: (_parent, { id, agentId }, { viewer, services }) => services.broadcasts.changesOf(viewer, id, agentId),
      resolve: (item: ContextEventItem) => item,
    },
  },
  ContextEvent: {
    cause: (event, _args, { loadersOf }) => (event.causeId ? loadersOf(event.context).context.load(event.causeId) : null),
  },
} satisfies Resolvers;
