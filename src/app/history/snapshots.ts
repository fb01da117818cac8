import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { changedBy } from '../../domain/context-rules.js';
import { BadInputError, HistoryPrunedError } from '../../domain/errors.js';
import { classifyDiff, type ContextDiff, type Snapshot, type SnapshotStore } from '../../domain/history/snapshots.js';
import type { Viewer } from '../../domain/types.js';
import { idempotencyClaim } from '../idempotency.js';
import { idempotencyKey, pageSize, parseInput, seq, workflowId as workflowIdSchema } from '../validation.js';

export const snapshotLabel = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');

/** Snapshots (named consistent points) and what changed between two points. Rollback is in rollback.ts. */
export class SnapshotService {
  constructor(
    private readonly store: SnapshotStore,
    /** The pruned horizon (retention): a diff from below it would miss the versions it compares. Absent: never pruned. */
    private readonly prunedHorizon: () => Promise<number> = async () => 0,
  ) {}

  /** Any caller may mark a point; it records who did. */
  async create(viewer: Viewer, rawLabel: unknown, rawWorkflowId: unknown, rawKey: unknown): Promise<Snapshot> {
    const label = parseInput(snapshotLabel, rawLabel, 'label');
    const workflowId = parseInput(workflowIdSchema, rawWorkflowId, 'workflowId') ?? null;
    const key = parseInput(idempotencyKey, rawKey, 'idempotencyKey');
    return this.store.create(
      { id: `snap-${randomUUID()}`, label, workflowId, createdBy: changedBy(viewer), kind: 'MANUAL' },
      idempotencyClaim(viewer, 'createSnapshot', key, { label, workflowId }),
    );
  }

  list(rawWorkflowId: unknown, rawFirst: unknown): Promise<Snapshot[]> {
    const workflowId = parseInput(workflowIdSchema, rawWorkflowId, 'workflowId') ?? null;
    return this.store.list(workflowId, parseInput(pageSize, rawFirst ?? 20, 'first'));
  }

  /** Contexts added, changed and retracted between two points (default end: now), each as of the end. */
  async diff(
    viewer: Viewer,
    rawFrom: unknown,
    rawTo: unknown,
    rawWorkflowId: unknown,
  ): Promise<ContextDiff & { fromSeq: number; toSeq: number }> {
    const fromSeq = parseInput(seq, rawFrom, 'fromSeq');
    const workflowId = parseInput(workflowIdSchema, rawWorkflowId, 'workflowId') ?? null;
    const toSeq = rawTo === null || rawTo === undefined ? await this.store.position() : parseInput(seq, rawTo, 'toSeq');
    if (toSeq < fromSeq) throw new BadInputError('toSeq must not be before fromSeq', [{ path: ['toSeq'], message: 'must be >= fromSeq' }]);
    const horizon = await this.prunedHorizon();
    if (fromSeq < horizon) throw new HistoryPrunedError(fromSeq, horizon);
    const rows = await this.store.diffRows(fromSeq, toSeq, workflowId, viewer);
    return { fromSeq, toSeq, ...classifyDiff(rows) };
  }
}
