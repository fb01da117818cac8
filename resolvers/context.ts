import type { ContextRecord } from '../src/domain/types.js';
import { pastKey, reachKey, type Loaders } from '../src/graphql/loaders.js';
import type { Resolvers } from './__generated__/types.js';

const reach = (context: ContextRecord, loaders: Loaders, key: string) =>
  context.asOf ? loaders.past.reach.load(pastKey(context.asOf, key)) : loaders.reach.load(key);

const supersession = (context: ContextRecord, loaders: Loaders) =>
  context.asOf ? loaders.past.supersession.load(pastKey(context.asOf, context.id)) : loaders.supersession.load(context.id);

export const contextResolvers = {
  Query: {
    // With `asOf`, the answer as it was at that event seq (src/app/history/time-travel.ts); without, today's paths, untouched.
    context: async (_parent, { id, asOf }, { viewer, services }) =>
      asOf === null || asOf === undefined
        ? services.contexts.get(viewer, id, null)
        : services.timeTravel.get(viewer, id, await services.timeTravel.point(asOf)),
    contexts: async (_parent, { filter, first, after, validAt, asOf }, { viewer, services }) =>
      asOf === null || asOf === undefined
        ? services.contexts.page(viewer, filter, first, after, validAt)
        : services.timeTravel.page(viewer, await services.timeTravel.point(asOf), { filter, first, after, validAt }),
    dependencyGraph: async (_parent, { rootIds, depth, direction, validAt, asOf }, { viewer, services }) =>
      asOf === null || asOf === undefined
        ? services.contexts.dependencyGraph(viewer, rootIds, depth, direction ?? 'BOTH', validAt)
        : services.timeTravel.dependencyGraph(viewer, await services.timeTravel.point(asOf), {
            rootIds,
            depth,
            direction: direction ?? 'BOTH',
            validAt,
          }),
    seqAt: (_parent, { time }, { services }) => services.timeTravel.seqAt(time),
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
  // A record read with `asOf` answers every nested field as of the same point (its `asOf`), through the past loaders.
  ContextObject: {
    status: (context, _args, { services }) =>
      context.asOf ? services.timeTravel.statusOf(context, new Date()) : services.contexts.statusOf(context),
    // Loaded only when selected; a past version (asOf) carries its own.
    content: (context, _args, { loadersOf }) =>
      context.content !== undefined ? context.content : loadersOf(context).content.load(context.id),
    metadata: (context) => context,
    seq: (context) => context.createdSeq,
    relevance: (context, _args, { loadersOf }) => context.asOf?.relevance ?? loadersOf(context).relevance.load(context.id),
    supersedes: async (context, _args, { loadersOf }) => (await supersession(context, loadersOf(context))).supersedes,
    supersededBy: async (context, _args, { loadersOf }) => (await supersession(context, loadersOf(context))).supersededBy,
    history: (context, _args, { loadersOf }) =>
      context.asOf ? loadersOf(context).past.history.load(pastKey(context.asOf, context.id)) : loadersOf(context).history.load(context.id),
    dependencies: (context, { depth }, { loadersOf, services }) =>
      reach(context, loadersOf(context), reachKey('OUTGOING', services.contexts.depth(depth ?? 1), context.id)),
    dependents: (context, { depth }, { loadersOf, services }) =>
      reach(context, loadersOf(context), reachKey('INCOMING', services.contexts.depth(depth ?? 1), context.id)),
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
    // Versions written before they recorded their visibility are shown only to their source and admins.
    visibleTo: (version) => version.visibleTo,
  },
} satisfies Resolvers;
