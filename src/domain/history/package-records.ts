/**
 * What the mesh keeps of every package it hands to an agent (a delivery) and of every decision an agent
 * records against one. Plain data and the ports that store it; the rules of a replay are in replay-adjust.ts.
 */
import type { IdempotencyClaim } from '../store-ports.js';
import type { CompressedContext, ContextPackage, DroppedContext, ScoreReasons } from '../routing/types.js';
import type { ContextRecord, Viewer } from '../types.js';

/** One item as it was delivered: which version of which context, and why it scored what it did. */
export interface DeliveredItem {
  contextId: string;
  version: number;
  score: number;
  reasons: ScoreReasons;
  tokens: number;
  /** True when a replay added it by name (see replay-adjust.ts for where it is placed). */
  addedByReplay: boolean;
  /** True when it was stale (drift) when delivered; absent in bodies recorded before this was kept. */
  stale?: boolean;
}

/** The package itself: identical for every cache hit of one computation, so it is stored once by hash. */
export interface PackageBody {
  task: string;
  workflowId: string | null;
  /** The valid time the package was asked for; null: the time it was computed (always null in replays). */
  validAt?: string | null;
  budget: number;
  tokens: number;
  /** Event seq the package was computed at. */
  asOf: number;
  computedAt: string;
  items: DeliveredItem[];
  compressed: CompressedContext | null;
  dropped: DroppedContext[];
}

/** One answer: who got which body, when, and how it was produced. */
export interface PackageRecord {
  id: string;
  agentId: string;
  /** When the answer was given (ISO-8601 UTC). */
  at: string;
  cached: boolean;
  coalesced: boolean;
  /** Served from a package the prefetcher precomputed (its first serve: `source: PREFETCH`). Absent: false. */
  prefetched?: boolean;
  /** For a replayed package: the decision it replays. */
  replayOf: string | null;
  /**
   * Tokens of every context the agent could have been handed instead (readable, active, unexpired, in the package's
   * workflow), measured when the package was logged; null when not measured (older records, or the read failed).
   */
  poolTokens?: number | null;
  body: PackageBody;
}

/** A package record ready to store: the body serialised once and named by its content hash. */
export interface PackageRecordToWrite extends Omit<PackageRecord, 'body'> {
  bodyHash: string;
  bodyJson: string;
  /** Orders records given in the same millisecond (newest first means highest ordinal first). */
  ordinal: number;
}

/** A context version a decision used; `inPackage` false when it was not in the package (its then-current version). */
export interface UsedContext {
  contextId: string;
  version: number;
  inPackage: boolean;
}

export interface DecisionRecord {
  id: string;
  agentId: string;
  at: string;
  input: unknown;
  output: unknown;
  used: UsedContext[];
  packageId: string;
  replayOf: string | null;
}

export interface TimeRange {
  from: string | null;
  to: string | null;
}

/** A context version to read: `(contextId, version)`. */
export interface VersionRef {
  contextId: string;
  version: number;
}

export interface ReceivedPair {
  agentId: string;
  contextId: string;
  at: string;
}

/** Storage of package records (write-behind batches) and their reads, newest first. */
export interface PackageRecordStore {
  /** `received`: agent–context pairs routed for the first time (as far as the writer knows), for drift to tell them. */
  writePackages(records: readonly PackageRecordToWrite[], received?: readonly ReceivedPair[]): Promise<void>;
  /** Sets the pools measured after their records were written (a record whose pool is already set keeps it). */
  setPoolTokens(pools: readonly { id: string; poolTokens: number }[]): Promise<void>;
  packages(agentId: string, range: TimeRange, first: number): Promise<PackageRecord[]>;
  packagesByIds(ids: readonly string[]): Promise<PackageRecord[]>;
}

/** Decisions and the versioned context reads a decision or a replay needs; every read applies the version's own visibility. */
export interface DecisionStore {
  createDecision(decision: DecisionRecord, claim: IdempotencyClaim | null): Promise<DecisionRecord>;
  decisions(agentId: string, range: TimeRange, first: number): Promise<DecisionRecord[]>;
  decisionsByIds(ids: readonly string[]): Promise<DecisionRecord[]>;
  /** The given versions the viewer may read (others are left out), as context records at those versions. */
  contextsAtVersions(refs: readonly VersionRef[], viewer: Viewer): Promise<ContextRecord[]>;
  /** Each context as of event `seq` (its latest version with seq <= `seq`), when the viewer may read that version. */
  contextsAsOf(ids: readonly string[], seq: number, viewer: Viewer): Promise<ContextRecord[]>;
  /** The current version of each context the viewer may read now. */
  currentVersions(ids: readonly string[], viewer: Viewer): Promise<VersionRef[]>;
}

/** The body of a package as the log keeps it: versions and scores, not the texts (those are in the versions). */
export function packageBody(
  pkg: ContextPackage,
  workflowId: string | null,
  addedIds: ReadonlySet<string> = new Set(),
  validAt: string | null = null,
): PackageBody {
  return {
    task: pkg.task,
    workflowId,
    validAt,
    budget: pkg.budget,
    tokens: pkg.tokens,
    asOf: pkg.asOf,
    computedAt: pkg.computedAt,
    items: pkg.items.map((item) => ({
      contextId: item.context.id,
      version: item.context.version,
      score: item.score,
      reasons: item.reasons,
      tokens: item.tokens,
      addedByReplay: addedIds.has(item.context.id),
      // Only when true: bodies of fresh packages stay byte-identical (and share their content hash) as before.
      ...(item.context.staleness ? { stale: true } : {}),
    })),
    compressed: pkg.compressed,
    dropped: pkg.dropped,
  };
}

export const versionKey = (ref: VersionRef) => `${ref.contextId}@${ref.version}`;
