import type { ContextFilter, LeftOutCounts, Supersession } from '../store-ports.js';
import type { AsOfPoint, ContextRecord, ContextVersionRecord, Viewer } from '../types.js';

/**
 * Reads of the mesh as it was at an event seq (time travel). Every record returned carries `asOf`
 * (the point, and its version's dependencies and relevance), and is read by its version's own visibility.
 */
export interface PastReads {
  /** Where the event log is now, and the time of the last event at or before `seq` (null: none). */
  pointInTime(seq: number): Promise<{ position: number; at: string | null }>;
  /** The last event seq at or before `time` (0 before the first event). */
  seqAt(time: string): Promise<number>;
  /** In key order; null where the context did not exist then or the viewer could not read that version. */
  getManyAsOf(ids: readonly string[], point: AsOfPoint, viewer: Viewer): Promise<(ContextRecord | null)[]>;
  pageAsOf(
    filter: ContextFilter,
    afterSeq: number | null,
    limit: number,
    viewer: Viewer,
    point: AsOfPoint,
    validAt: string,
  ): Promise<ContextRecord[]>;
  leftOutAsOf(filter: ContextFilter, viewer: Viewer, point: AsOfPoint, validAt: string): Promise<LeftOutCounts>;
  /** The contexts whose version as of the point lists any of `ids` (what they depended on is in `asOf.dependencies`). */
  dependentsAsOf(ids: readonly string[], point: AsOfPoint, viewer: Viewer): Promise<ContextRecord[]>;
  /** Versions up to the point the viewer may read, newest first, in key order. */
  historyAsOf(ids: readonly string[], point: AsOfPoint, viewer: Viewer): Promise<ContextVersionRecord[][]>;
  supersessionsAsOf(ids: readonly string[], point: AsOfPoint, viewer: Viewer): Promise<Supersession[]>;
}
