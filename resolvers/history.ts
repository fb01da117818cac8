import type { Resolvers } from './__generated__/types.js';

/** Snapshots, diffs, rollbacks and retention (src/app/history/). */
export const historyResolvers = {
  Query: {
    snapshots: (_parent, { workflowId, first }, { services }) => services.snapshots.list(workflowId, first),
    diff: (_parent, { fromSeq, toSeq, workflowId }, { viewer, services }) => services.snapshots.diff(viewer, fromSeq, toSeq, workflowId),
  },
  Mutation: {
    createSnapshot: (_parent, { label, workflowId, idempotencyKey }, { viewer, services }) =>
      services.snapshots.create(viewer, label, workflowId, idempotencyKey),
    rollback: (_parent, { snapshotId, workflowId, idempotencyKey }, { viewer, services }) =>
      services.rollback.rollback(viewer, snapshotId, workflowId, idempotencyKey),
    pruneHistory: (_parent, args, { viewer, services }) => services.retention.prune(viewer, args),
  },
} satisfies Resolvers;
