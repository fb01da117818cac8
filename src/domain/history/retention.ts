/**
 * History retention: which context versions a prune may delete. Pure; the pass that pages through the mesh is
 * src/app/history/retention.ts, the store src/adapters/neo4j/retention-store.ts.
 *
 * A version is **kept** when any of these holds (a kept version is counted under the first that applies):
 * 1. `current` — it is the context's current version;
 * 2. `recent` — it is among the newest `keepLast` versions of its context, or it was still current at or after
 *    the cutoff (it stopped being current — its successor was written — at or after `olderThan`), or it stopped
 *    being current less than `SUPERSEDED_GRACE_MS` ago (a package being computed or recorded may still name it);
 * 3. `snapshots` — it is the version current at some snapshot's seq (the latest version with seq <= snapshot.seq),
 *    for a mesh-wide snapshot or one of the context's workflow: a rollback to that snapshot restores it;
 * 4. `decisions` — a decision used it (a `USED` edge);
 * 5. `packages` — it is an item of a recorded package body still stored (`deliveries` and replays read it).
 *
 * Age is judged by when a version **stopped** being current, not when it was written, so every `asOf` read at
 * a point after the cutoff still finds the version that was current there.
 */

/** A version superseded less than this long ago is never pruned (the package log writes behind by ~50 ms). */
export const SUPERSEDED_GRACE_MS = 60_000;

export const KEEP_REASONS = ['current', 'recent', 'snapshots', 'decisions', 'packages'] as const;
export type KeepReason = (typeof KEEP_REASONS)[number];
export type KeptCounts = Record<KeepReason, number>;

export interface RetentionOptions {
  /** Versions that stopped being current before this (ISO-8601 UTC) may go; null: no age limit. */
  cutoff: string | null;
  /** Keep at least this many newest versions per context (>= 1); null: no count limit. */
  keepLast: number | null;
  /** The time of the pass (ISO-8601 UTC). */
  now: string;
}

/** What the store knows of one version. */
export interface VersionFacts {
  version: number;
  seq: number;
  /** When it was written (ISO-8601 UTC). */
  at: string;
  usedByDecision: boolean;
}

/** A context with all its stored versions. */
export interface ContextVersions {
  contextId: string;
  workflowId: string | null;
  currentVersion: number;
  versions: VersionFacts[];
}

/** A snapshot's point and scope (null: the whole mesh). */
export interface SnapshotPoint {
  seq: number;
  workflowId: string | null;
}

/** A version to delete, with the seq of the version after it (the end of the span of `asOf` reads it answered). */
export interface PrunableVersion {
  contextId: string;
  version: number;
  seq: number;
  nextSeq: number;
}

export interface ContextRetentionPlan {
  prune: PrunableVersion[];
  kept: KeptCounts;
}

export const noneKept = (): KeptCounts => ({ current: 0, recent: 0, snapshots: 0, decisions: 0, packages: 0 });

export function addKept(into: KeptCounts, more: Partial<KeptCounts>): KeptCounts {
  for (const reason of KEEP_REASONS) into[reason] += more[reason] ?? 0;
  return into;
}

/** Snapshot seqs by scope, sorted, so "is there a snapshot in [from, to)" is a binary search. */
export class SnapshotIndex {
  private readonly mesh: number[];
  private readonly byWorkflow = new Map<string, number[]>();

  constructor(points: readonly SnapshotPoint[]) {
    const mesh: number[] = [];
    for (const point of points) {
      if (point.workflowId === null) mesh.push(point.seq);
      else this.byWorkflow.set(point.workflowId, [...(this.byWorkflow.get(point.workflowId) ?? []), point.seq]);
    }
    this.mesh = mesh.sort((a, b) => a - b);
    for (const seqs of this.byWorkflow.values()) seqs.sort((a, b) => a - b);
  }

  /** Whether a snapshot that applies to `workflowId` has its seq in `[from, to)`. */
  anyIn(workflowId: string | null, from: number, to: number): boolean {
    const scoped = workflowId === null ? undefined : this.byWorkflow.get(workflowId);
    return hasSeqIn(this.mesh, from, to) || (scoped !== undefined && hasSeqIn(scoped, from, to));
  }
}

function hasSeqIn(sorted: readonly number[], from: number, to: number): boolean {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((sorted[mid] as number) < from) low = mid + 1;
    else high = mid;
  }
  return low < sorted.length && (sorted[low] as number) < to;
}

export interface RetentionNeeds {
  snapshots: SnapshotIndex;
  /** Whether a stored package body lists this version as an item. */
  inPackage: (contextId: string, version: number) => boolean;
}

/** The latest time a version may have stopped being current and still be pruned (exclusive). */
export function effectiveCutoff(options: RetentionOptions): string {
  const grace = new Date(Date.parse(options.now) - SUPERSEDED_GRACE_MS).toISOString();
  return options.cutoff !== null && options.cutoff < grace ? options.cutoff : grace;
}

/** Which of one context's versions go, and why the others stay. */
export function planContextRetention(context: ContextVersions, options: RetentionOptions, needs: RetentionNeeds): ContextRetentionPlan {
  const cutoff = effectiveCutoff(options);
  const versions = [...context.versions].sort((a, b) => a.seq - b.seq);
  const kept = noneKept();
  const prune: PrunableVersion[] = [];
  versions.forEach((v, index) => {
    const next = versions[index + 1];
    // The newest stored version stays whatever `currentVersion` says (it is what current reads stand on).
    const reason = next === undefined ? 'current' : keepReason(context, v, next, versions.length - index, cutoff, options, needs);
    if (reason !== null) kept[reason] += 1;
    else if (next) prune.push({ contextId: context.contextId, version: v.version, seq: v.seq, nextSeq: next.seq });
  });
  return { prune, kept };
}

/** `rank` 1 is the newest version; `next` is the version written after `v`. */
function keepReason(
  context: ContextVersions,
  v: VersionFacts,
  next: VersionFacts,
  rank: number,
  cutoff: string,
  options: RetentionOptions,
  needs: RetentionNeeds,
): KeepReason | null {
  if (v.version >= context.currentVersion) return 'current';
  if ((options.keepLast !== null && rank <= options.keepLast) || next.at >= cutoff) return 'recent';
  if (needs.snapshots.anyIn(context.workflowId, v.seq, next.seq)) return 'snapshots';
  if (v.usedByDecision) return 'decisions';
  if (needs.inPackage(context.contextId, v.version)) return 'packages';
  return null;
}

/**
 * The horizon after deleting `pruned`: every `asOf` at or after it still reads the version that was current
 * there; below it, some context may answer from an older version than it had, so such reads are refused.
 */
export function prunedHorizon(pruned: readonly PrunableVersion[], previous = 0): number {
  return pruned.reduce((horizon, p) => Math.max(horizon, p.nextSeq), previous);
}

const DURATION = /^(\d{1,6})(s|m|h|d|w)$/;
const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/** `30d`, `12h`, `90m`, `45s`, `2w` in milliseconds; null when it is not such a duration. */
export function parseDuration(text: string): number | null {
  const match = DURATION.exec(text.trim());
  if (!match) return null;
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

/** A version a stored package lists. */
export interface ItemRef {
  contextId: string;
  version: number;
}

/** What one delete batch did: deletions re-check current, snapshots and decisions under the version's lock. */
export interface DeletedVersions {
  deleted: number;
  /** Planned versions the re-check kept (a write, snapshot or decision arrived meanwhile). */
  kept: Partial<KeptCounts>;
}

/** The record a (non-dry) pass leaves: a `:Retention` node. */
export interface RetentionRecord {
  id: string;
  at: string;
  by: string;
  cutoff: string | null;
  keepLast: number | null;
  packagesCutoff: string | null;
  versionsDeleted: number;
  packagesDeleted: number;
  prunedBeforeSeq: number;
}

/** The store a retention pass runs on; every read is bounded (pages), every write a bounded transaction. */
export interface RetentionStore {
  /** Contexts with `id > afterId` in id order, at most `limit`, each with all its stored versions. */
  contextsPage(afterId: string, limit: number): Promise<ContextVersions[]>;
  snapshotPoints(): Promise<SnapshotPoint[]>;
  /**
   * Package bodies with `hash > afterHash` in hash order (at most `limit`) that some package still points at
   * and would keep pointing at after pruning packages older than `packagesCutoff`; their items.
   */
  packageItems(afterHash: string, limit: number, packagesCutoff: string | null): Promise<{ lastHash: string | null; refs: ItemRef[] }>;
  /** Agent ids after `afterId`, in order: recorded packages are pruned agent by agent (through their index). */
  agentIds(afterId: string, limit: number): Promise<string[]>;
  /** Packages of these agents recorded before `cutoff` that no decision was made from. */
  countPrunablePackages(agentIds: readonly string[], cutoff: string): Promise<number>;
  /** Deletes up to `limit` of them (and bodies no package points at any more); returns how many packages went. */
  deletePackages(agentIds: readonly string[], cutoff: string, limit: number): Promise<number>;
  /** Deletes the versions (one transaction) and raises the pruned horizon to the deleted ones' `nextSeq`. */
  deleteVersions(versions: readonly PrunableVersion[]): Promise<DeletedVersions>;
  /** `asOf` reads below this seq are refused (0: nothing was ever pruned). */
  horizon(): Promise<number>;
  record(record: RetentionRecord): Promise<void>;
}
