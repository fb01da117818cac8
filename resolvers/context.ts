import type { ContextRecord } from '../src/domain/types.js';
import { reachKey } from '../src/graphql/loaders.js';
import type { Resolvers } from './__generated__/types.js';

export const contextResolvers = {
  Query: {
    context: (_parent, { id, asOf }, { viewer, services }) => services.contexts.get(viewer, id, asOf),
    contexts: (_parent, { filter, first, after }, { viewer, services }) => services.contexts.page(viewer, filter, first, after),
    dependencyGraph: (_parent, { rootIds, depth, direction }, { viewer, services }) =>
      services.contexts.dependencyGraph(viewer, rootIds, depth, direction ?? 'BOTH'),
  },
  Mutation: {
    publishContext: (_parent, { input, idempotencyKey }, { viewer, services }) => services.contexts.publish(viewer, input, idempotencyKey),
    publishContexts: (_parent, { inputs, idempotencyKey }, { viewer, services }) =>
      services.contexts.publishMany(viewer, inputs, idempotencyKey),
    updateContext: (_parent, { id, expectedVersion, patch, idempotencyKey }, { viewer, services }) =>
      services.contexts.update(viewer, id, expectedVersion, patch, idempotencyKey),
    retractContext: (_parent, { id, reason, idempotencyKey }, { viewer, services }) =>
      services.contexts.retract(viewer, id, reason, idempotencyKey),
  },
  ContextObject: {
    status: (context, _args, { services }) => services.contexts.statusOf(context),
    // Loaded only when selected; a past version (asOf) carries its own.
    content: (context, _args, { loaders }) => (context.content !== undefined ? context.content : loaders.content.load(context.id)),
    metadata: (context) => context,
    seq: (context) => context.createdSeq,
    relevance: (context, _args, { loaders }) => loaders.relevance.load(context.id),
    supersedes: async (context, _args, { loaders }) => (await loaders.supersession.load(context.id)).supersedes,
    supersededBy: async (context, _args, { loaders }) => (await loaders.supersession.load(context.id)).supersededBy,
    history: (context, _args, { loaders }) => loaders.history.load(context.id),
    dependencies: (context, { depth }, { loaders, services }) =>
      reachFrom(context, 'OUTGOING', services.contexts.depth(depth ?? 1), loaders.reach),
    dependents: (context, { depth }, { loaders, services }) =>
      reachFrom(context, 'INCOMING', services.contexts.depth(depth ?? 1), loaders.reach),
  },
  ContextMetadata: {
    sourceAgent: async (context, _args, { loaders }) => {
      const agent = await loaders.agent.load(context.sourceAgentId);
      if (!agent) throw new Error(`source agent ${context.sourceAgentId} of ${context.id} is missing`);
      return agent;
    },
    timestamp: (context) => context.createdAt,
    // A past version (asOf) reports the dependencies it had then.
    dependencies: (context, _args, { loaders }) => context.asOf?.dependencies ?? loaders.dependencyIds.load(context.id),
    expiration: (context) => context.expiresAt,
  },
  AgentRelevance: {
    agent: async (entry, _args, { loaders }) => {
      const agent = await loaders.agent.load(entry.agentId);
      if (!agent) throw new Error(`agent ${entry.agentId} is missing`);
      return agent;
    },
  },
  ContextVersion: {
    expiration: (version) => version.expiresAt,
  },
} satisfies Resolvers;

function reachFrom(
  context: ContextRecord,
  direction: 'OUTGOING' | 'INCOMING',
  depth: number,
  loader: { load(key: string): Promise<ContextRecord[]> },
) {
  return loader.load(reachKey(direction, depth, context.id));
}
