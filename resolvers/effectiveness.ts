import type { Resolvers } from './__generated__/types.js';

/** feedback and meshStats (src/app/effectiveness). */
export const effectivenessResolvers = {
  Query: {
    meshStats: (_parent, { agentId, workflowId, from, to }, { viewer, services }) =>
      services.effectiveness.meshStats(viewer, { agentId, workflowId, from, to }),
  },
  Mutation: {
    feedback: (_parent, { packageId, contextId, used, useful, idempotencyKey }, { viewer, services }) =>
      services.effectiveness.feedback(viewer, { packageId, contextId, used, useful }, idempotencyKey),
  },
} satisfies Resolvers;
