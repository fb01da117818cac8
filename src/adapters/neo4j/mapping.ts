import type { Agent, AsOfPoint, ContextRecord, ContextVersionRecord, RelevanceEntry } from '../../domain/types.js';
import { STALE_REASONS, type StaleReason, type Staleness } from '../../domain/staleness.js';
import type { Row } from './executor.js';

/** Row → domain mapping. Rows come from the projections in statements.ts, so fields are known. */

const str = (value: unknown): string => String(value);
/** Plain-value readers for rows, shared by every mapping of the store. */
export const strOrNull = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));
const num = (value: unknown): number => Number(value);
export const strings = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);
export const parseContent = (value: unknown): unknown => (typeof value === 'string' ? (JSON.parse(value) as unknown) : null);

export function toAgent(row: unknown): Agent {
  const a = row as Row;
  return {
    id: str(a['id']),
    name: str(a['name']),
    role: strOrNull(a['role']),
    needs: strings(a['needs']),
    produces: strings(a['produces']),
    relevanceThreshold: num(a['relevanceThreshold']),
    tokenBudget: num(a['tokenBudget']),
    parentId: strOrNull(a['parentId']),
    createdAt: str(a['createdAt']),
    ...(a['trust'] === null || a['trust'] === undefined ? {} : { trust: num(a['trust']) }),
    ...(a['tokenQuota'] === null || a['tokenQuota'] === undefined
      ? {}
      : { tokenQuota: { tokens: num(a['tokenQuota']), periodSeconds: num(a['tokenQuotaPeriodSeconds']) } }),
  };
}

export function toContext(row: unknown): ContextRecord {
  const c = row as Row;
  return {
    id: str(c['id']),
    type: str(c['type']) as ContextRecord['type'],
    text: str(c['text']),
    // Absent from the usual projection: loaded lazily (CONTENT_BY_IDS) when a query selects it.
    content: 'contentJson' in c ? parseContent(c['contentJson']) : undefined,
    tags: strings(c['tags']),
    priority: str(c['priority']) as ContextRecord['priority'],
    status: str(c['status']) as ContextRecord['status'],
    version: num(c['version']),
    tokens: num(c['tokens']),
    confidence: num(c['confidence']),
    sourceAgentId: str(c['sourceAgentId']),
    createdAt: str(c['createdAt']),
    updatedAt: str(c['updatedAt']),
    expiresAt: strOrNull(c['expiresAt']),
    visibleTo: Array.isArray(c['visibleTo']) ? strings(c['visibleTo']) : null,
    createdSeq: num(c['createdSeq']),
    retractionReason: strOrNull(c['retractionReason']),
    workflowId: strOrNull(c['workflowId']),
    validFrom: strOrNull(c['validFrom']),
    validUntil: strOrNull(c['validUntil']),
    staleness: toStaleness(c),
    claim: strOrNull(c['claim']),
    position: strOrNull(c['position']),
    asOf: null,
  };
}

/** The stored staleness of a context (STALE_REASONS), null when not stale or not read. */
function toStaleness(c: Row): Staleness | null {
  const reason = c['staleReason'];
  if (typeof reason !== 'string' || !(STALE_REASONS as readonly string[]).includes(reason)) return null;
  return {
    reason: reason as StaleReason,
    causeId: str(c['staleCauseId']),
    viaId: str(c['staleViaId']),
    since: str(c['staleSince']),
    seq: num(c['staleSeq']),
  };
}

/** `relevanceJson` of a version (built in RECORD_VERSIONS); null when the version predates it. */
function parseRelevance(value: unknown): RelevanceEntry[] | null {
  if (typeof value !== 'string') return null;
  return (JSON.parse(value) as RelevanceEntry[]).map((r) => ({
    agentId: String(r.agentId),
    score: Number(r.score),
    explicit: r.explicit === true,
  }));
}

export function toVersion(row: unknown): ContextVersionRecord {
  const v = row as Row;
  return {
    contextId: str(v['contextId']),
    version: num(v['version']),
    seq: num(v['seq']),
    at: str(v['at']),
    changedBy: str(v['changedBy']),
    text: str(v['text']),
    content: parseContent(v['contentJson']),
    tags: strings(v['tags']),
    priority: str(v['priority']) as ContextVersionRecord['priority'],
    status: str(v['status']) as ContextVersionRecord['status'],
    confidence: num(v['confidence']),
    dependencies: strings(v['dependencies']),
    expiresAt: strOrNull(v['expiresAt']),
    tokens: num(v['tokens']),
    type: (strOrNull(v['type']) as ContextVersionRecord['type']) ?? null,
    sourceAgentId: strOrNull(v['sourceAgentId']),
    workflowId: strOrNull(v['workflowId']),
    visibleTo: Array.isArray(v['visibleTo']) ? strings(v['visibleTo']) : null,
    visibilityRecorded: v['visibilityRecorded'] === true,
    validFrom: strOrNull(v['validFrom']),
    validUntil: strOrNull(v['validUntil']),
    relevance: parseRelevance(v['relevanceJson']),
    claim: strOrNull(v['claim']),
    position: strOrNull(v['position']),
  };
}

/**
 * A context as it was at `version`, read as of `point` (default: the version's own seq and time).
 * Identity fields that never change (id, createdAt, createdSeq) come from `current`; the rest from the
 * version, falling back to `current` only for versions written before they recorded it.
 */
export function contextAtVersion(current: ContextRecord, version: ContextVersionRecord, point?: AsOfPoint): ContextRecord {
  const at = point ?? { seq: version.seq, at: version.at };
  const recorded = version.visibilityRecorded;
  return {
    ...current,
    type: version.type ?? current.type,
    sourceAgentId: version.sourceAgentId ?? current.sourceAgentId,
    workflowId: recorded ? version.workflowId : current.workflowId,
    visibleTo: recorded ? version.visibleTo : current.visibleTo,
    validFrom: recorded ? version.validFrom : current.validFrom,
    validUntil: recorded ? version.validUntil : current.validUntil,
    claim: version.claim ?? null,
    position: version.position ?? null,
    text: version.text,
    content: version.content,
    tags: version.tags,
    priority: version.priority,
    status: version.status,
    version: version.version,
    tokens: version.tokens,
    confidence: version.confidence,
    expiresAt: version.expiresAt,
    updatedAt: version.at,
    // A later retraction's reason does not belong to an earlier version.
    retractionReason: version.status === 'RETRACTED' ? current.retractionReason : null,
    // Staleness is not versioned: the current mark counts when it was set at or before the point (one cleared
    // since cannot be seen). Every past read, contexts and routing alike, applies this one rule.
    staleness: current.staleness && current.staleness.seq <= at.seq ? current.staleness : null,
    asOf: { seq: at.seq, at: at.at, versionSeq: version.seq, dependencies: version.dependencies, relevance: version.relevance },
  };
}

/** Groups rows by key into arrays aligned with `keys` (DataLoader's contract: same order, same length). */
export function groupBy<T>(keys: readonly string[], rows: Row[], keyOf: (row: Row) => string, valueOf: (row: Row) => T): T[][] {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const list = groups.get(key);
    if (list) list.push(valueOf(row));
    else groups.set(key, [valueOf(row)]);
  }
  return keys.map((key) => groups.get(key) ?? []);
}
