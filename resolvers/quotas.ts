import type { Resolvers } from './__generated__/types.js';

/** setTokenQuota and tokenUsage (src/app/quotas); contextFor passes the quota in resolvers/routing.ts. */
export const quotaResolvers = {
  Query: {
    tokenUsage: (_parent, { agentId, first }, { viewer, services }) => services.quotas.usage(viewer, agentId, first),
  },
  Mutation: {
    setTokenQuota: (_parent, { agentId, tokens, periodSeconds, idempotencyKey }, { viewer, services }) =>
      services.quotas.setQuota(viewer, { agentId, tokens: tokens ?? null, periodSeconds, idempotencyKey }),
  },
} satisfies Resolvers;
