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
  // Nested fields read as the viewer the record was read as (see RequestContext): an answer computed for
  // agent B stays B's view at every depth, whoever asked for it.
  ContextObject: {
    status: (context, _args, { services }) => services.contexts.statusOf(context),
    // Loaded only when selected; a past version (asOf) carries its own.
    content: (context, _args, { loadersOf }) =>
      context.content !== undefined ? context.content : loadersOf(context).content.load(context.id),
    metadata: (context) => context,
    seq: (context) => context.createdSeq,
    relevance: (context, _args, { loadersOf }) => loadersOf(context).relevance.load(context.id),
    supersedes: async (context, _args, { loadersOf }) => (await loadersOf(context).supersession.load(context.id)).supersedes,
    supersededBy: async (context, _args, { loadersOf }) => (await loadersOf(context).supersession.load(context.id)).supersededBy,
    history: (context, _args, { loadersOf }) => loadersOf(context).history.load(context.id),
    dependencies: (context, { depth }, { loadersOf, services }) =>
      loadersOf(context).reach.load(reachKey('OUTGOING', services.contexts.depth(depth ?? 1), context.id)),
    dependents: (context, { depth }, { loadersOf, services }) =>
      loadersOf(context).reach.load(reachKey('INCOMING', services.contexts.depth(depth ?? 1), context.id)),
  },
  ContextMetadata: {
    sourceAgent: async (context, _args, { loaders }) => {
      const agent = await loaders.agent.load(context.sourceAgentId);
      if (!agent) throw new Error(`source agent ${context.sourceAgentId} of ${context.id} is missing`);
      return agent;
    },
    timestamp: (context) => context.createdAt,
    // A past version (asOf) reports the dependencies it had then.
    dependencies: (context, _args, { loadersOf }) => context.asOf?.dependencies ?? loadersOf(context).dependencyIds.load(context.id),
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
