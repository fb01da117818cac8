import type { ConfidenceDecayPolicy, InactiveCause } from '../../domain/staleness.js';
import { staleReasonOf } from '../../domain/staleness.js';
import type { StaleEvent } from '../../domain/store-ports.js';
import { reserveSeqs } from './event-log.js';
import type { Row, TxRunner } from './executor.js';
import {
  CLEAR_STALENESS,
  CLEAR_STALENESS_SINCE,
  MARK_CONSENSUS_OF_CLAIMS,
  MARK_CONSENSUS_OF_INPUTS,
  MARK_DECAYED,
  MARK_DEPENDENTS_STALE,
  MARK_ON_INACTIVE_DEPENDENCIES,
  RECORD_STALE_EVENTS,
} from './statements/staleness.js';

/** Drift's write steps, in the caller's transaction (the event counter's lock is taken when seqs are reserved). */

export interface StalenessOptions {
  now: string;
  /** Agent id, `admin` or `system`: who caused the change that made them stale. */
  by: string;
  /** Dependency hops followed from a cause (STALENESS_MAX_DEPTH). */
  maxDepth: number;
  /** A workflow whose contexts the same write re-states, so they are not marked (a rollback's scope). */
  exemptWorkflowId?: string | null;
}

interface Mark {
  id: string;
  reason: string;
  causeId: string;
  order: number;
}

const toMark = (row: Row): Mark => ({
  id: String(row['id']),
  reason: String(row['reason']),
  causeId: String(row['causeId']),
  order: Number(row['order']),
});

/** Marks the dependents of `frontier`, hop by hop, up to the depth left; returns every mark, nearest first. */
async function propagate(
  tx: TxRunner,
  frontier: Mark[],
  exempt: readonly string[],
  hopsLeft: number,
  options: StalenessOptions,
): Promise<Mark[]> {
  const marked: Mark[] = [];
  const params = { exempt, exemptWorkflowId: options.exemptWorkflowId ?? null, now: options.now };
  let current = frontier.map((mark, order) => ({ ...mark, order }));
  for (let hop = 0; hop < hopsLeft && current.length > 0; hop += 1) {
    const rows = await tx.run(MARK_DEPENDENTS_STALE, { ...params, frontier: current });
    current = rows.map(toMark).map((mark, order) => ({ ...mark, order }));
    marked.push(...current);
  }
  return marked;
}

/** Gives each mark its STALE event and says who must hear of it. */
async function recordMarks(tx: TxRunner, marks: readonly Mark[], options: StalenessOptions): Promise<StaleEvent[]> {
  if (marks.length === 0) return [];
  const firstSeq = await reserveSeqs(tx, marks.length);
  const numbered = marks.map((mark, index) => ({ ...mark, seq: firstSeq + index }));
  const rows = await tx.run(RECORD_STALE_EVENTS, { marks: numbered, now: options.now, by: options.by });
  const notifyOf = new Map(
    rows.map((row) => [
      String(row['id']),
      [
        ...new Set([
          String(row['producer']),
          ...(row['routedTo'] as unknown[]).map(String),
          ...(row['broadcastTo'] as unknown[]).map(String),
        ]),
      ],
    ]),
  );
  return numbered.map((mark) => ({
    contextId: mark.id,
    seq: mark.seq,
    change: 'STALE' as const,
    causeId: mark.causeId,
    notify: notifyOf.get(mark.id) ?? [],
  }));
}

/**
 * Everything that depends on the causes, transitively, becomes stale (except `exempt`: contexts the same
 * write re-states). Call after the causes' own changes are written.
 */
export async function markDependentsStale(
  tx: TxRunner,
  causes: readonly { id: string; cause: InactiveCause }[],
  exempt: readonly string[],
  options: StalenessOptions,
): Promise<StaleEvent[]> {
  if (causes.length === 0) return [];
  const frontier = causes.map(({ id, cause }, order) => ({ id, causeId: id, reason: staleReasonOf(cause), order }));
  const marks = await propagate(tx, frontier, [...exempt, ...causes.map((c) => c.id)], options.maxDepth, options);
  return recordMarks(tx, marks, options);
}

/**
 * Contexts (`ids`, or any when null) that depend directly on one that no longer holds become stale, and so
 * does what depends on them. Returns at most about `limit` first marks' worth (the rest wait for the next pass).
 */
export async function markOnInactiveDependencies(
  tx: TxRunner,
  ids: readonly string[] | null,
  limit: number,
  options: StalenessOptions & { workflowId?: string | null },
): Promise<StaleEvent[]> {
  const params = { ids, workflowId: options.workflowId ?? null, exempt: [], exemptWorkflowId: null, now: options.now, limit };
  const first = (await tx.run(MARK_ON_INACTIVE_DEPENDENCIES, params)).map(toMark);
  const further = await propagate(tx, first, [], options.maxDepth - 1, options);
  return recordMarks(tx, [...first, ...further], options);
}

/** Contexts whose confidence decayed below the floor become stale (they are their own cause; not propagated). */
export async function markDecayed(
  tx: TxRunner,
  policy: ConfidenceDecayPolicy,
  limit: number,
  options: StalenessOptions & { workflowId?: string | null },
) {
  const halfLives = Object.entries(policy.halfLifeHours).map(([type, hours]) => ({ type, hours }));
  if (halfLives.length === 0 || policy.floor <= 0) return [];
  const rows = await tx.run(MARK_DECAYED, {
    halfLives,
    floor: policy.floor,
    nowMillis: Date.parse(options.now),
    limit,
    workflowId: options.workflowId ?? null,
    now: options.now,
  });
  return recordMarks(tx, rows.map(toMark), options);
}

/** A rollback's scope is back to the snapshot: what became stale since holds again. Returns their ids. */
export async function clearStalenessSince(tx: TxRunner, sinceSeq: number, workflowId: string | null): Promise<string[]> {
  const rows = await tx.run(CLEAR_STALENESS_SINCE, { sinceSeq, workflowId });
  return rows.map((row) => String(row['id']));
}

/** The contexts were re-stated: they hold again (until a check marks them once more). */
export async function clearStaleness(tx: TxRunner, ids: readonly string[]): Promise<void> {
  if (ids.length > 0) await tx.run(CLEAR_STALENESS, { ids });
}

/** A new finding with a claim, as evidence that consensus on the claim may no longer hold. */
export interface NewEvidence {
  id: string;
  claim: string;
  visibleTo: string[] | null;
  sourceAgentId: string;
}

/**
 * Consensus drift: CONSENSUS contexts resting on a changed input (`changedInputs`) become INPUT_CHANGED; those
 * on the claim of a new finding become NEW_EVIDENCE; what depends on them becomes stale with the same reason.
 * A CONSENSUS is marked stale, not recomputed: buildConsensus again publishes a fresh one.
 */
export async function markConsensusStale(
  tx: TxRunner,
  changedInputs: readonly string[],
  evidence: readonly NewEvidence[],
  options: StalenessOptions,
): Promise<StaleEvent[]> {
  if (changedInputs.length === 0 && evidence.length === 0) return [];
  const params = { exempt: [], exemptWorkflowId: null, now: options.now };
  const first: Mark[] = [];
  if (changedInputs.length > 0) {
    const frontier = changedInputs.map((id, order) => ({ id, causeId: id, reason: 'INPUT_CHANGED', order }));
    first.push(...(await tx.run(MARK_CONSENSUS_OF_INPUTS, { ...params, frontier })).map(toMark));
  }
  if (evidence.length > 0) {
    const frontier = evidence.map((e, order) => ({ ...e, causeId: e.id, reason: 'NEW_EVIDENCE', order }));
    first.push(...(await tx.run(MARK_CONSENSUS_OF_CLAIMS, { ...params, frontier })).map(toMark));
  }
  if (first.length === 0) return [];
  const further = await propagate(tx, first, [], options.maxDepth - 1, options);
  return recordMarks(tx, [...first, ...further], options);
}
