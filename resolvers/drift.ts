import type { Resolvers } from './__generated__/types.js';

/** Drift: staleness on contexts, and the validation pass an admin can run now (src/app/drift/). */
export const driftResolvers = {
  Mutation: {
    validateContexts: (_parent, { workflowId }, { viewer, services }) => services.validation.runFor(viewer, workflowId),
  },
  ContextObject: {
    stale: (context) => context.staleness !== null,
    // Read as the reader of the context that carries it: a cause it may not see is null.
    staleness: (context, _args, { loadersOf }) => {
      if (!context.staleness) return null;
      const loaders = loadersOf(context);
      return { ...context.staleness, read: (id: string) => loaders.context.load(id) };
    },
  },
  Staleness: {
    cause: (staleness) => staleness.read(staleness.causeId),
    via: (staleness) => staleness.read(staleness.viaId),
  },
  ValidationReport: {
    events: (report) => report.events.map((e) => ({ seq: e.seq, change: e.change, contextId: e.contextId, causeId: e.causeId ?? null })),
  },
} satisfies Resolvers;
