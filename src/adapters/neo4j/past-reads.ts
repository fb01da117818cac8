import type { PastReads } from '../../domain/history/past-reads.js';
import type { ContextFilter, LeftOutCounts, Supersession } from '../../domain/store-ports.js';
import type { AsOfPoint, ContextRecord, ContextVersionRecord, Viewer } from '../../domain/types.js';
import type { Neo4jExecutor, Row } from './executor.js';
import { contextAtVersion, groupBy, toContext, toVersion } from './mapping.js';
import { viewerParams } from './statements/fragments.js';
import {
  CONTEXTS_BY_IDS_AS_OF,
  CONTEXTS_LEFT_OUT_AS_OF,
  CONTEXTS_PAGE_AS_OF,
  DEPENDENTS_AS_OF,
  HISTORY_AS_OF,
  POINT_IN_TIME,
  SEQ_AT,
  SUPERSESSION_IDS_AS_OF,
} from './statements/history.js';

/** The parameters of every as-of statement: the point (`$asOf`, and `$now` for expiry then) and the viewer. */
const pointParams = (point: AsOfPoint, viewer: Viewer) => ({ asOf: point.seq, now: point.at ?? '', ...viewerParams(viewer) });

/** A `{ context, version }` row as the record it was as of `point`. */
const pastRecord = (row: Row, point: AsOfPoint): ContextRecord =>
  contextAtVersion(toContext(row['context']), toVersion(row['version']), point);

/** Time travel over the versions (see statements/history.ts). */
export class Neo4jPastReads implements PastReads {
  constructor(private readonly executor: Neo4jExecutor) {}

  async pointInTime(seq: number): Promise<{ position: number; at: string | null }> {
    const [row] = await this.executor.readOne(POINT_IN_TIME, { asOf: seq });
    const at = row?.['at'];
    return { position: Number(row?.['position'] ?? 0), at: typeof at === 'string' ? at : null };
  }

  async seqAt(time: string): Promise<number> {
    const [row] = await this.executor.readOne(SEQ_AT, { time });
    return Number(row?.['seq'] ?? 0);
  }

  async getManyAsOf(ids: readonly string[], point: AsOfPoint, viewer: Viewer): Promise<(ContextRecord | null)[]> {
    const rows = await this.executor.readOne(CONTEXTS_BY_IDS_AS_OF, { ids: [...ids], ...pointParams(point, viewer) });
    const byId = new Map(rows.map((row) => pastRecord(row, point)).map((record) => [record.id, record]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  async pageAsOf(filter: ContextFilter, afterSeq: number | null, limit: number, viewer: Viewer, point: AsOfPoint, validAt: string) {
    const rows = await this.executor.readOne(CONTEXTS_PAGE_AS_OF, {
      ...pointParams(point, viewer),
      ...filter,
      after: afterSeq,
      limit,
      validAt,
    });
    return rows.map((row) => pastRecord(row, point));
  }

  async leftOutAsOf(filter: ContextFilter, viewer: Viewer, point: AsOfPoint, validAt: string): Promise<LeftOutCounts> {
    const rows = await this.executor.readOne(CONTEXTS_LEFT_OUT_AS_OF, { ...pointParams(point, viewer), ...filter, validAt });
    const counts: LeftOutCounts = { retracted: 0, superseded: 0, expired: 0, noLongerValid: 0, notYetValid: 0 };
    for (const row of rows) counts[String(row['reason']) as keyof LeftOutCounts] = Number(row['count']);
    return counts;
  }

  async dependentsAsOf(ids: readonly string[], point: AsOfPoint, viewer: Viewer): Promise<ContextRecord[]> {
    if (ids.length === 0) return [];
    const rows = await this.executor.readOne(DEPENDENTS_AS_OF, { ids: [...ids], ...pointParams(point, viewer) });
    return rows.map((row) => pastRecord(row, point));
  }

  async historyAsOf(ids: readonly string[], point: AsOfPoint, viewer: Viewer): Promise<ContextVersionRecord[][]> {
    const rows = await this.executor.readOne(HISTORY_AS_OF, { ids: [...ids], ...pointParams(point, viewer) });
    return groupBy(
      ids,
      rows,
      (row) => String(row['id']),
      (row) => toVersion(row['version']),
    );
  }

  async supersessionsAsOf(ids: readonly string[], point: AsOfPoint, viewer: Viewer): Promise<Supersession[]> {
    const rows = await this.executor.readOne(SUPERSESSION_IDS_AS_OF, { ids: [...ids], asOf: point.seq });
    const idsOf = (value: unknown) => (Array.isArray(value) ? value.map(String) : []);
    const links = new Map(rows.map((row) => [String(row['id']), { older: idsOf(row['olderIds']), newer: idsOf(row['newerIds']) }]));
    const related = [...new Set([...links.values()].flatMap(({ older, newer }) => [...older, ...newer]))];
    const records = new Map<string, ContextRecord>();
    if (related.length > 0) {
      for (const record of await this.getManyAsOf(related, point, viewer)) if (record) records.set(record.id, record);
    }
    const found = (list: string[]) => list.flatMap((id) => records.get(id) ?? []);
    return ids.map((id) => {
      const link = links.get(id);
      return { supersedes: found(link?.older ?? []), supersededBy: found(link?.newer ?? [])[0] ?? null };
    });
  }
}
