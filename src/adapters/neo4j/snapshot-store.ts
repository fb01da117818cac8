import type { DiffRow, NewSnapshot, RollbackOutcome, RollbackRequest, Snapshot, SnapshotStore } from '../../domain/history/snapshots.js';
import type { CurrentState, RollbackTarget } from '../../domain/history/rollback-plan.js';
import type { Clock } from '../../domain/ports.js';
import type { IdempotencyClaim, WriteResult } from '../../domain/store-ports.js';
import type { Viewer } from '../../domain/types.js';
import type { Neo4jExecutor, Row, TxRunner } from './executor.js';
import { claimIdempotency, completeIdempotency } from './idempotency.js';
import { contextAtVersion, parseContent, strOrNull, strings, toContext, toVersion } from './mapping.js';
import { writeRollback } from './rollback-writes.js';
import { EVENT_POSITION } from './statements/events.js';
import { viewerParams } from './statements/fragments.js';
import { CREATE_SNAPSHOT, DIFF_ROWS, ROLLBACK_TARGETS, SNAPSHOTS, SNAPSHOT_BY_ID } from './statements/snapshots.js';

export function toSnapshot(row: unknown): Snapshot {
  const s = row as Row;
  return {
    id: String(s['id']),
    label: String(s['label']),
    seq: Number(s['seq']),
    at: String(s['at']),
    workflowId: strOrNull(s['workflowId']),
    createdBy: String(s['createdBy']),
    kind: String(s['kind']) as Snapshot['kind'],
  };
}

function toCurrentState(row: unknown): CurrentState {
  const c = row as Row;
  return {
    id: String(c['id']),
    version: Number(c['version']),
    text: String(c['text']),
    content: parseContent(c['contentJson']),
    tags: strings(c['tags']),
    priority: String(c['priority']) as CurrentState['priority'],
    status: String(c['status']) as CurrentState['status'],
    confidence: Number(c['confidence']),
    dependencies: strings(c['dependencies']),
    expiresAt: strOrNull(c['expiresAt']),
    visibleTo: Array.isArray(c['visibleTo']) ? strings(c['visibleTo']) : null,
    relevance: (c['relevance'] as Row[]).map((r) => ({
      agentId: String(r['agentId']),
      score: Number(r['score']),
      explicit: r['explicit'] === true,
    })),
    validFrom: strOrNull(c['validFrom']),
    validUntil: strOrNull(c['validUntil']),
    claim: strOrNull(c['claim']),
    position: strOrNull(c['position']),
  };
}

const scopeOf = (workflowId: string | null) => (workflowId === null ? 'mesh' : 'workflow');

const ADMIN_PARAMS = viewerParams({ kind: 'admin' });

/** Reads the scope of a rollback in the caller's transaction (admin view: a rollback restores everything). */
export async function readRollbackTargets(tx: TxRunner, seq: number, workflowId: string | null): Promise<RollbackTarget[]> {
  const rows = await tx.run(ROLLBACK_TARGETS[scopeOf(workflowId)], { seq, workflowId, ...ADMIN_PARAMS });
  return rows.map((row) => ({ current: toCurrentState(row['current']), then: row['atSnapshot'] ? toVersion(row['atSnapshot']) : null }));
}

/** Takes the counter's lock and records the snapshot at its value, in the caller's transaction. */
export async function takeSnapshot(tx: TxRunner, snapshot: NewSnapshot, now: string): Promise<Snapshot> {
  const [row] = await tx.run(CREATE_SNAPSHOT, { ...snapshot, now });
  if (!row) throw new Error('createSnapshot returned no row');
  return toSnapshot(row['snapshot']);
}

export class Neo4jSnapshotStore implements SnapshotStore {
  constructor(
    private readonly executor: Neo4jExecutor,
    private readonly clock: Clock,
    /** Dependency hops staleness follows from what a rollback changed (STALENESS_MAX_DEPTH). */
    private readonly stalenessDepth = 20,
  ) {}

  async create(snapshot: NewSnapshot, idempotency: IdempotencyClaim | null): Promise<Snapshot> {
    const now = this.clock.now().toISOString();
    const created = await this.executor.write('createSnapshot', async (tx) => {
      const prior = await claimIdempotency(tx, idempotency, now);
      if (prior !== null) return { id: prior, snapshot: null };
      const taken = await takeSnapshot(tx, snapshot, now);
      await completeIdempotency(tx, idempotency, taken.id);
      return { id: taken.id, snapshot: taken };
    });
    const found = created.snapshot ?? (await this.get(created.id));
    if (!found) throw new Error(`snapshot ${created.id} could not be read back`);
    return found;
  }

  async get(id: string): Promise<Snapshot | null> {
    const [row] = await this.executor.readOne(SNAPSHOT_BY_ID, { id });
    return row ? toSnapshot(row['snapshot']) : null;
  }

  async list(workflowId: string | null, limit: number): Promise<Snapshot[]> {
    const rows = await this.executor.readOne(SNAPSHOTS, { workflowId, limit });
    return rows.map((row) => toSnapshot(row['snapshot']));
  }

  async position(): Promise<number> {
    const [row] = await this.executor.readOne(EVENT_POSITION);
    return Number(row?.['position'] ?? 0);
  }

  async diffRows(fromSeq: number, toSeq: number, workflowId: string | null, viewer: Viewer): Promise<DiffRow[]> {
    const rows = await this.executor.readOne(DIFF_ROWS[scopeOf(workflowId)], { fromSeq, toSeq, workflowId, ...viewerParams(viewer) });
    return rows.map((row) => {
      const version = toVersion(row['version']);
      const fromState = row['fromState'] as Row | null;
      return {
        context: contextAtVersion(toContext(row['context']), version, { seq: toSeq, at: strOrNull(row['pointAt']) }),
        to: { version: version.version, status: version.status },
        from: fromState ? { version: Number(fromState['version']), status: String(fromState['status']) as DiffRow['to']['status'] } : null,
      };
    });
  }

  rollbackTargets(seq: number, workflowId: string | null): Promise<RollbackTarget[]> {
    return this.executor.read('rollbackTargets', (tx) => readRollbackTargets(tx, seq, workflowId));
  }

  async rollback(request: RollbackRequest, viewer: Viewer, idempotency: IdempotencyClaim | null): Promise<RollbackOutcome & WriteResult> {
    const now = this.clock.now().toISOString();
    return this.executor.write('rollback', async (tx) => {
      const prior = await claimIdempotency(tx, idempotency, now);
      if (prior !== null) return { ...(JSON.parse(prior) as RollbackOutcome), replayed: true, events: [], deliveries: [] };
      const undo = await takeSnapshot(tx, request.undo, now);
      const targets = await readRollbackTargets(tx, request.snapshot.seq, request.workflowId);
      const written = await writeRollback(tx, request, undo, targets, viewer, now, this.stalenessDepth);
      await completeIdempotency(tx, idempotency, JSON.stringify(written.outcome));
      return { ...written.outcome, replayed: false, events: written.events, deliveries: [] };
    });
  }
}
