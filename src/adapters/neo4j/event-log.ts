import { changedBy } from '../../domain/context-rules.js';
import type { StoredChangeKind, Viewer } from '../../domain/types.js';
import type { TxRunner } from './executor.js';
import { RECORD_VERSIONS, RESERVE_SEQ } from './statements/events.js';

/** A change that gets a version snapshot as well as its event (an expiry changes nothing stored, so it has no version). */
export interface VersionedChange {
  id: string;
  seq: number;
  /** Agent id, `admin` or `system`. */
  by: string;
  kind: Exclude<StoredChangeKind, 'EXPIRED'>;
}

/** Reserves `count` consecutive event seqs in the caller's transaction and returns the first. */
export async function reserveSeqs(tx: TxRunner, count: number): Promise<number> {
  const [row] = await tx.run(RESERVE_SEQ, { count });
  return Number(row?.['last']) - count + 1;
}

/** Appends each change's version snapshot and event, in the caller's transaction. */
export async function recordVersions(tx: TxRunner, changes: readonly VersionedChange[], now: string): Promise<void> {
  if (changes.length > 0) await tx.run(RECORD_VERSIONS, { changes, now });
}

/** One change of one context by the viewer: reserves its seq and records it; returns the seq. */
export async function recordChange(tx: TxRunner, id: string, viewer: Viewer, kind: VersionedChange['kind'], now: string): Promise<number> {
  const seq = await reserveSeqs(tx, 1);
  await recordVersions(tx, [{ id, seq, by: changedBy(viewer), kind }], now);
  return seq;
}
