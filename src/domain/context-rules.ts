import { BadInputError, ForbiddenError, VersionConflictError } from './errors.js';
import type { ContextRecord, Viewer } from './types.js';

/**
 * The rules a change of a context must pass, as pure decisions. The store runs them inside the writing
 * transaction, on records it has just locked, and throws what they throw to roll the transaction back.
 */

type Owned = Pick<ContextRecord, 'id' | 'sourceAgentId'>;
type WithStatus = Pick<ContextRecord, 'id' | 'status'>;

/** Who a change is recorded as made by: the agent, or `admin`. */
export const changedBy = (viewer: Viewer): string => (viewer.kind === 'agent' ? viewer.agentId : 'admin');

/** Only the source agent (or an admin) may change a context. */
export function assertMayChange(viewer: Viewer, context: Owned): void {
  if (viewer.kind === 'agent' && context.sourceAgentId !== viewer.agentId) {
    throw new ForbiddenError(`Only the source agent (${context.sourceAgentId}) or an admin may change context ${context.id}`);
  }
}

/** A batch cannot supersede its own members: the old and the new must not commit together. */
export function assertNotSupersedingOwnBatch(batchIds: ReadonlySet<string>, superseded: readonly string[]): void {
  const inBatch = superseded.filter((id) => batchIds.has(id));
  if (inBatch.length > 0) {
    throw new BadInputError('A context cannot supersede one published in the same batch', [
      { path: ['supersedes'], message: `in this batch: ${inBatch.join(', ')}` },
    ]);
  }
}

/** Only an ACTIVE context can be superseded. */
export function assertSupersedable(context: WithStatus): void {
  if (context.status !== 'ACTIVE') {
    throw new BadInputError(`Context ${context.id} is ${context.status} and cannot be superseded`, [
      { path: ['supersedes'], message: `${context.id} is ${context.status}` },
    ]);
  }
}

/** Only an ACTIVE context can be updated. */
export function assertUpdatable(context: WithStatus): void {
  if (context.status !== 'ACTIVE') {
    const status = context.status.toLowerCase();
    throw new BadInputError(`A ${status} context cannot be changed`, [{ path: ['id'], message: `context is ${status}` }]);
  }
}

/**
 * Optimistic concurrency. The store increments the version first (taking the node's write lock) and
 * passes the version it locked, so the check is safe under read-committed isolation: the update
 * proceeds only when the locked version is exactly one past what the client read.
 */
export function assertExpectedVersion(id: string, expectedVersion: number, lockedVersion: number): void {
  if (lockedVersion !== expectedVersion + 1) throw new VersionConflictError(id, expectedVersion, lockedVersion - 1);
}
