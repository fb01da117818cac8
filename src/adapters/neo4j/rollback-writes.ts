import { changedBy } from '../../domain/context-rules.js';
import { normalizeTopic } from '../../domain/context-map.js';
import { planRollback, type RestoreChanges, type RollbackStep, type RollbackTarget } from '../../domain/history/rollback-plan.js';
import { RollbackPlanChangedError, type RollbackOutcome, type RollbackRequest, type Snapshot } from '../../domain/history/snapshots.js';
import type { ContextChanges, StaleEvent, WriteResult, WrittenEvent } from '../../domain/store-ports.js';
import type { Viewer } from '../../domain/types.js';
import { checkNewDependencies, lockForChange } from './context-checks.js';
import { applyChanges } from './context-writes.js';
import { recordVersions, reserveSeqs, type VersionedChange } from './event-log.js';
import type { TxRunner } from './executor.js';
import {
  clearStaleness,
  clearStalenessSince,
  markDependentsStale,
  markOnInactiveDependencies,
  type StalenessOptions,
} from './staleness-writes.js';
import { APPLY_CONTEXT_CHANGES } from './statements/contexts.js';
import { RECORD_ROLLBACK } from './statements/snapshots.js';

/**
 * The write steps of a rollback, in the caller's transaction after the undo snapshot locked the event counter.
 * Nothing is deleted: each change is a new version and event through the ordinary write steps.
 */

/** The store's form of a restore; texts come embedded and counted from the use-case. */
export function contextChangesOf(id: string, changes: RestoreChanges, texts: RollbackRequest['texts']): ContextChanges {
  const { text, tags, relevance, status: _status, ...plain } = changes;
  const out: ContextChanges = { ...plain };
  if (text !== undefined) {
    const counted = texts.get(text);
    if (!counted) throw new RollbackPlanChangedError(id);
    out.text = { text, ...counted };
  }
  if (tags !== undefined) out.tags = { tags, topicKeys: [...new Set(tags.map(normalizeTopic))] };
  if (relevance !== undefined) {
    const scores = (explicit: boolean) =>
      relevance.filter((r) => r.explicit === explicit).map(({ agentId, score }) => ({ agentId, score }));
    out.relevance = scores(true);
    out.computedRelevance = scores(false);
  }
  return out;
}

const retracts = (step: RollbackStep) => step.kind === 'retract' || step.changes.status === 'RETRACTED';

async function applyStep(tx: TxRunner, step: RollbackStep, request: RollbackRequest, now: string): Promise<void> {
  const reason = `rolled back to snapshot ${request.snapshot.id}`;
  if (step.kind === 'retract') {
    await tx.run(APPLY_CONTEXT_CHANGES, { id: step.id, now, props: { status: 'RETRACTED', retractionReason: reason } });
    return;
  }
  await applyChanges(tx, step.id, contextChangesOf(step.id, step.changes, request.texts), now);
  const status = step.changes.status;
  // Status is not an update's field (updates never change it): set it here, with the reason that goes with it.
  if (status !== undefined) {
    const retractionReason = status === 'RETRACTED' ? reason : null;
    await tx.run(APPLY_CONTEXT_CHANGES, { id: step.id, now, props: { status, retractionReason } });
  }
}

export async function writeRollback(
  tx: TxRunner,
  request: RollbackRequest,
  undo: Snapshot,
  targets: readonly RollbackTarget[],
  viewer: Viewer,
  now: string,
  stalenessDepth: number,
): Promise<{ outcome: RollbackOutcome; events: WriteResult['events'] }> {
  const steps = planRollback(targets);
  for (const step of steps) {
    const locked = await lockForChange(tx, step.id, viewer);
    if (locked.version !== step.version + 1) throw new RollbackPlanChangedError(step.id);
  }
  const firstSeq = steps.length > 0 ? await reserveSeqs(tx, steps.length) : 0;
  for (const step of steps) await applyStep(tx, step, request, now);
  // Checked once everything is back: restoring one context at a time could pass through a cycle that the end state does not have.
  for (const step of steps) {
    if (step.kind === 'restore' && step.changes.dependencies) await checkNewDependencies(tx, step.id, step.changes.dependencies, viewer);
  }
  const by = changedBy(viewer);
  const changes: VersionedChange[] = steps.map((step, index) => ({
    id: step.id,
    seq: firstSeq + index,
    by,
    kind: retracts(step) ? 'RETRACTED' : 'UPDATED',
  }));
  await recordVersions(tx, changes, now);
  const stale = await markRolledBackStale(tx, steps, request, { now, by, maxDepth: stalenessDepth, exemptWorkflowId: request.workflowId });
  const outcome: RollbackOutcome = {
    id: request.id,
    snapshotId: request.snapshot.id,
    undoSnapshotId: undo.id,
    restored: steps.filter((step) => step.kind === 'restore').map((step) => step.id),
    retracted: steps.filter((step) => step.kind === 'retract').map((step) => step.id),
  };
  await tx.run(RECORD_ROLLBACK, { ...outcome, workflowId: request.workflowId, now, by });
  return { outcome, events: [...changes.map(({ id, seq, kind }): WrittenEvent => ({ contextId: id, seq, change: kind })), ...stale] };
}

/**
 * Staleness after a rollback. Its scope is back to the snapshot's state, so what became stale since holds again,
 * and the contexts it changed are re-stated. What rests on those from outside the scope (a workflow rollback
 * only) is stale: DEPENDENCY_RETRACTED or DEPENDENCY_ROLLED_BACK. Then the scope's re-stated contexts are
 * checked: one resting directly on something that does not hold is stale again.
 */
async function markRolledBackStale(
  tx: TxRunner,
  steps: readonly RollbackStep[],
  request: RollbackRequest,
  options: StalenessOptions,
): Promise<StaleEvent[]> {
  const ids = steps.map((step) => step.id);
  await clearStaleness(tx, ids);
  const cleared = await clearStalenessSince(tx, request.snapshot.seq, request.workflowId);
  const causes = steps.map((step) => ({ id: step.id, cause: retracts(step) ? ('RETRACTED' as const) : ('ROLLED_BACK' as const) }));
  const outside = request.workflowId === null ? [] : await markDependentsStale(tx, causes, ids, options);
  const recheck = [...new Set([...steps.filter((step) => !retracts(step)).map((step) => step.id), ...cleared])];
  const own =
    recheck.length > 0 ? await markOnInactiveDependencies(tx, recheck, recheck.length, { ...options, exemptWorkflowId: null }) : [];
  return [...outside, ...own];
}
