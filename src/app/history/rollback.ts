import { randomUUID } from 'node:crypto';
import { BadInputError, ForbiddenError, NotFoundError } from '../../domain/errors.js';
import { planRollback, restoredTexts } from '../../domain/history/rollback-plan.js';
import { RollbackPlanChangedError, type RollbackOutcome, type Snapshot, type SnapshotStore } from '../../domain/history/snapshots.js';
import type { EmbeddingProvider, TokenCounter } from '../../domain/ports.js';
import type { ContextReads, WriteResult } from '../../domain/store-ports.js';
import type { ContextRecord, Viewer } from '../../domain/types.js';
import { idempotencyClaim } from '../idempotency.js';
import { entityId, idempotencyKey, parseInput, workflowId as workflowIdSchema } from '../validation.js';

export interface RollbackServiceOptions {
  store: SnapshotStore;
  contexts: Pick<ContextReads, 'getMany'>;
  embeddings: EmbeddingProvider;
  tokens: TokenCounter;
  /** Told after the rollback commits, like every context write (the router's cache and the live bus listen). */
  onWrite?: (result: WriteResult) => void;
}

export interface RollbackResult {
  id: string;
  snapshot: Snapshot;
  workflowId: string | null;
  restored: ContextRecord[];
  retracted: ContextRecord[];
  undoSnapshot: Snapshot;
}

/** A concurrent write between planning and locking is met by planning again, a few times. */
const PLAN_ATTEMPTS = 3;

/** Returns the mesh, or one workflow, to a snapshot's state with new versions; undoable through its own snapshot. */
export class RollbackService {
  constructor(private readonly options: RollbackServiceOptions) {}

  async rollback(viewer: Viewer, rawSnapshotId: unknown, rawWorkflowId: unknown, rawKey: unknown): Promise<RollbackResult> {
    if (viewer.kind !== 'admin') throw new ForbiddenError('Only an admin may roll back');
    const snapshotId = parseInput(entityId, rawSnapshotId, 'snapshotId');
    const requested = parseInput(workflowIdSchema, rawWorkflowId, 'workflowId') ?? null;
    const key = parseInput(idempotencyKey, rawKey, 'idempotencyKey');
    const snapshot = await this.options.store.get(snapshotId);
    if (!snapshot) throw new NotFoundError('Snapshot', [snapshotId]);
    const workflowId = scopeOf(snapshot, requested);
    const claim = idempotencyClaim(viewer, 'rollback', key, { snapshotId, workflowId });

    const outcome = await this.write(viewer, snapshot, workflowId, claim);
    if (!outcome.replayed) this.options.onWrite?.(outcome);
    return this.result(outcome, snapshot, workflowId);
  }

  private async write(viewer: Viewer, snapshot: Snapshot, workflowId: string | null, claim: ReturnType<typeof idempotencyClaim>) {
    const undo = {
      id: `snap-${randomUUID()}`,
      label: `before rollback to ${snapshot.label}`,
      workflowId,
      createdBy: 'admin',
      kind: 'AUTO' as const,
    };
    for (let attempt = 1; ; attempt += 1) {
      // Texts to restore are embedded and counted here: the write itself calls no model.
      const plan = planRollback(await this.options.store.rollbackTargets(snapshot.seq, workflowId));
      const texts = await this.countTexts(restoredTexts(plan));
      try {
        return await this.options.store.rollback({ id: `rb-${randomUUID()}`, snapshot, workflowId, undo, texts }, viewer, claim);
      } catch (error) {
        if (!(error instanceof RollbackPlanChangedError) || attempt >= PLAN_ATTEMPTS) throw error;
      }
    }
  }

  private async countTexts(texts: string[]) {
    const embeddings = texts.length > 0 ? await this.options.embeddings.embed(texts) : [];
    return new Map(texts.map((text, index) => [text, { tokens: this.options.tokens.count(text), embedding: embeddings[index] ?? [] }]));
  }

  private async result(outcome: RollbackOutcome, snapshot: Snapshot, workflowId: string | null): Promise<RollbackResult> {
    const admin: Viewer = { kind: 'admin' };
    const undoSnapshot = await this.options.store.get(outcome.undoSnapshotId);
    if (!undoSnapshot) throw new Error(`undo snapshot ${outcome.undoSnapshotId} is missing`);
    const read = async (ids: string[]) => (await this.options.contexts.getMany(ids, admin)).filter((c): c is ContextRecord => c !== null);
    return {
      id: outcome.id,
      snapshot,
      workflowId,
      restored: await read(outcome.restored),
      retracted: await read(outcome.retracted),
      undoSnapshot,
    };
  }
}

/** A workflow's snapshot restores that workflow; a mesh-wide one restores the mesh or the workflow asked for. */
function scopeOf(snapshot: Snapshot, requested: string | null): string | null {
  if (snapshot.workflowId === null) return requested;
  if (requested !== null && requested !== snapshot.workflowId) {
    throw new BadInputError(`Snapshot ${snapshot.id} was taken for workflow ${snapshot.workflowId}`, [
      { path: ['workflowId'], message: `must be ${snapshot.workflowId} (the snapshot's workflow) or absent` },
    ]);
  }
  return snapshot.workflowId;
}
