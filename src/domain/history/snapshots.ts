import { DomainError } from '../errors.js';
import type { IdempotencyClaim, WriteResult } from '../store-ports.js';
import type { ContextRecord, ContextVersionRecord, Viewer } from '../types.js';
import type { RollbackTarget } from './rollback-plan.js';

/** Snapshots (named consistent points of the event log), diffs between two points, and rollbacks. */

export const SNAPSHOT_KINDS = ['MANUAL', 'AUTO'] as const;
export type SnapshotKind = (typeof SNAPSHOT_KINDS)[number];

export interface Snapshot {
  id: string;
  label: string;
  /** Every event with a seq at or below it was committed when the snapshot was taken. */
  seq: number;
  at: string;
  /** The workflow it was taken for; null = the whole mesh. */
  workflowId: string | null;
  /** Agent id or `admin`. */
  createdBy: string;
  kind: SnapshotKind;
}

export type NewSnapshot = Omit<Snapshot, 'seq' | 'at'>;

/** One context that changed between two points, as a viewer may see it at each (null: absent or not visible). */
export interface DiffRow {
  /** The context as of the later point. */
  context: ContextRecord;
  to: Pick<ContextVersionRecord, 'version' | 'status'>;
  from: Pick<ContextVersionRecord, 'version' | 'status'> | null;
}

export interface ContextDiff {
  added: ContextRecord[];
  changed: ContextRecord[];
  retracted: ContextRecord[];
}

/**
 * Sorts what changed between two points, disjointly: `added` had no state the viewer could read at the
 * earlier point; `retracted` was readable and not retracted then and is retracted now; `changed` is every
 * other context whose version differs.
 */
export function classifyDiff(rows: readonly DiffRow[]): ContextDiff {
  const diff: ContextDiff = { added: [], changed: [], retracted: [] };
  for (const { context, from, to } of rows) {
    if (from === null) diff.added.push(context);
    else if (to.status === 'RETRACTED' && from.status !== 'RETRACTED') diff.retracted.push(context);
    else if (to.version !== from.version) diff.changed.push(context);
  }
  return diff;
}

/** What a rollback must write, with the embeddings of the texts it restores (computed before the transaction). */
export interface RollbackRequest {
  id: string;
  snapshot: Snapshot;
  /** The scope: one workflow's contexts, or null for the whole mesh. */
  workflowId: string | null;
  undo: NewSnapshot;
  /** Restored texts, embedded and counted, by text. */
  texts: ReadonlyMap<string, { tokens: number; embedding: number[] }>;
}

export interface RollbackOutcome {
  id: string;
  snapshotId: string;
  undoSnapshotId: string;
  restored: string[];
  retracted: string[];
}

export interface SnapshotStore {
  create(snapshot: NewSnapshot, idempotency: IdempotencyClaim | null): Promise<Snapshot>;
  get(id: string): Promise<Snapshot | null>;
  /** Newest first; `workflowId` null lists every snapshot. */
  list(workflowId: string | null, limit: number): Promise<Snapshot[]>;
  /** The seq of the last committed event. */
  position(): Promise<number>;
  /** Contexts whose version at `toSeq` is newer than at `fromSeq` and readable by the viewer at `toSeq`. */
  diffRows(fromSeq: number, toSeq: number, workflowId: string | null, viewer: Viewer): Promise<DiffRow[]>;
  /** Every context of the scope with its current state and its version at `seq` (read outside a transaction, to plan). */
  rollbackTargets(seq: number, workflowId: string | null): Promise<RollbackTarget[]>;
  /** The undo snapshot, then the restoring versions and events, in one transaction. */
  rollback(request: RollbackRequest, viewer: Viewer, idempotency: IdempotencyClaim | null): Promise<RollbackOutcome & WriteResult>;
}

/**
 * The state a rollback planned from changed before its transaction could lock it (a concurrent write). Nothing
 * was written; the use-case plans again.
 */
export class RollbackPlanChangedError extends DomainError {
  readonly code = 'VERSION_CONFLICT' as const;
  constructor(readonly contextId: string) {
    super(`Context ${contextId} changed while the rollback was planned; retry the rollback`, { contextId });
  }
}
