/** Domain types of the context graph. Plain data: no GraphQL, no driver types. */

import type { TokenQuota } from './quotas.js';
import type { Staleness } from './staleness.js';

export const CONTEXT_TYPES = [
  'FINDING',
  'CONSTRAINT',
  'OBJECTIVE',
  'OUTPUT',
  'CONSENSUS',
  'SUMMARY',
  'DECISION',
  'POLICY_VIOLATION',
] as const;
export type ContextType = (typeof CONTEXT_TYPES)[number];

export const PRIORITIES = ['ROUTINE', 'IMPORTANT', 'CRITICAL'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** Stored statuses. `EXPIRED` is never stored: it is derived from `expiresAt` at read time (see `effectiveStatus`). */
export const CONTEXT_STATUSES = ['ACTIVE', 'SUPERSEDED', 'RETRACTED', 'EXPIRED'] as const;
export type ContextStatus = (typeof CONTEXT_STATUSES)[number];

/** What an event in the ordered log records about a context. The one list of change kinds. */
/** STALE: a context it depends on stopped holding, or its confidence decayed (see staleness.ts); no version, like EXPIRED. */
export const STORED_CHANGE_KINDS = ['PUBLISHED', 'UPDATED', 'RETRACTED', 'SUPERSEDED', 'EXPIRED', 'STALE'] as const;
export type StoredChangeKind = (typeof STORED_CHANGE_KINDS)[number];

/** What observers hear: the stored kinds, and DEPENDENCY_CHANGED for a context whose dependency changed. */
export const CONTEXT_CHANGE_KINDS = [...STORED_CHANGE_KINDS, 'DEPENDENCY_CHANGED'] as const;
export type ContextChangeKind = (typeof CONTEXT_CHANGE_KINDS)[number];

export const DIRECTIONS = ['OUTGOING', 'INCOMING', 'BOTH'] as const;
export type Direction = (typeof DIRECTIONS)[number];

export interface Agent {
  id: string;
  name: string;
  role: string | null;
  needs: string[];
  produces: string[];
  relevanceThreshold: number;
  tokenBudget: number;
  parentId: string | null;
  createdAt: string;
  /** Trust (0..1) an admin set with setAgentTrust, for consensus weighted by AGENT_TRUST; absent: the default (0.5). */
  trust?: number;
  /** Tokens contextFor may deliver to it per period (src/domain/quotas.ts); absent: no quota. */
  tokenQuota?: TokenQuota;
}

/** One context object at its current version. Times are ISO-8601 UTC strings. */
export interface ContextRecord {
  id: string;
  type: ContextType;
  text: string;
  /** Structured payload as the publisher sent it (JSON value); `undefined` until loaded (it is loaded lazily). */
  content: unknown;
  tags: string[];
  priority: Priority;
  /** Stored status; use `effectiveStatus` to account for expiry. */
  status: Exclude<ContextStatus, 'EXPIRED'>;
  version: number;
  tokens: number;
  confidence: number;
  sourceAgentId: string;
  createdAt: string;
  updatedAt: string;
  expiresAt: string | null;
  /** Agents allowed to read it besides its source; null means every agent. */
  visibleTo: string[] | null;
  /** Event sequence number of the publication; the stable order of `contexts` pages. */
  createdSeq: number;
  retractionReason: string | null;
  /** The workflow or task it belongs to, if any. */
  workflowId: string | null;
  /** Valid time: when the fact starts and stops holding in the world (see src/domain/valid-time.ts); null = unbounded. */
  validFrom: string | null;
  validUntil: string | null;
  /** Why it is stale (drift), null when it is not; see src/domain/staleness.ts. */
  staleness: Staleness | null;
  /** The question it answers (a normalised key; consensus groups findings by it), and its answer. Null (or absent) when none. */
  claim?: string | null;
  position?: string | null;
  /** Set when this record is a past state read with `asOf`; its nested fields then answer as of the same point. */
  asOf: AsOfState | null;
}

/** A point in the event log: seq S and the time of event S (expiry as of S is judged at that time). */
export interface AsOfPoint {
  seq: number;
  /** The `at` of the last event with seq <= S; null before the first event. */
  at: string | null;
}

/** What a record read as of a point carries: the point, and that version's dependencies and relevance. */
export interface AsOfState extends AsOfPoint {
  /** The event seq of the version itself (<= `seq`). */
  versionSeq: number;
  dependencies: string[];
  /** From the version's record; null for versions written before relevance was recorded. */
  relevance: RelevanceEntry[] | null;
}

/** Immutable snapshot of one version, kept for history and time travel. */
export interface ContextVersionRecord {
  contextId: string;
  version: number;
  seq: number;
  at: string;
  changedBy: string;
  text: string;
  content: unknown;
  tags: string[];
  priority: Priority;
  status: Exclude<ContextStatus, 'EXPIRED'>;
  confidence: number;
  dependencies: string[];
  expiresAt: string | null;
  tokens: number;
  /**
   * The rest of the version's state (recorded since issue 8). Older versions lack it: `visibilityRecorded`
   * is false, and they are readable only by their source and admins (fail closed).
   */
  type: ContextType | null;
  sourceAgentId: string | null;
  workflowId: string | null;
  visibleTo: string[] | null;
  visibilityRecorded: boolean;
  validFrom: string | null;
  validUntil: string | null;
  /** The RELEVANT_TO edges at this version; null when not recorded. */
  relevance: RelevanceEntry[] | null;
  /** Claim and position at this version (null for versions written before they were recorded). */
  claim?: string | null;
  position?: string | null;
}

export interface RelevanceEntry {
  agentId: string;
  score: number;
  /** True when the publisher declared it; false when the mesh computed it. */
  explicit: boolean;
}

export interface DependencyEdge {
  from: string;
  to: string;
}

/** Who is asking. Every read and write is checked against it. */
export type Viewer = { kind: 'admin' } | { kind: 'agent'; agentId: string };

export function viewerAgentId(viewer: Viewer): string | null {
  switch (viewer.kind) {
    case 'admin':
      return null;
    case 'agent':
      return viewer.agentId;
    default: {
      const unreachable: never = viewer;
      return unreachable;
    }
  }
}
