import type { BroadcastItem, ContextEventItem } from '../src/app/broadcast/broadcaster.js';
import type { Resolvers } from './__generated__/types.js';

export const broadcastResolvers = {
  Query: {
    broadcasts: (_parent, { agentId, afterSeq, first }, { viewer, services }) => services.broadcasts.page(viewer, agentId, afterSeq, first),
  },
  Mutation: {
    acknowledge: (_parent, { agentId, seq }, { viewer, services }) => services.broadcasts.acknowledge(viewer, agentId, seq),
  },
  Subscription: {
    contextBroadcast: {
      subscribe: (_parent, { agentId, afterSeq, workflowId }, { viewer, services }) =>
        services.broadcasts.stream(viewer, agentId, afterSeq, workflowId),
      resolve: (item: BroadcastItem) => item,
    },
    contextPublished: {
      subscribe: (_parent, { filter }, { viewer, services }) => services.broadcasts.published(viewer, filter),
      resolve: (item: ContextEventItem) => item,
    },
    contextChanged: {
      subscribe: (_parent, { id }, { viewer, services }) => services.broadcasts.changes(viewer, id),
      resolve: (item: ContextEventItem) => item,
    },
  },
  ContextEvent: {
    cause: (event, _args, { loaders }) => (event.causeId ? loaders.context.load(event.causeId) : null),
  },
} satisfies Resolvers;
