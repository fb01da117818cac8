import { scoreUpperBound, type ScoringProfile } from '../../domain/routing/scoring.js';
import type { RoutingStore, SimilarityProbe } from '../../domain/routing/ports.js';
import type { ContextPackage, ScoreWeights } from '../../domain/routing/types.js';

export interface CachedPackage {
  pkg: ContextPackage;
  /** Event position up to which the package is known to be valid. */
  position: number;
  /** Every context the computation considered (items, summarised, dropped, below threshold). */
  consideredIds: ReadonlySet<string>;
  profile: ScoringProfile;
  /** The vectors the package was scored against, to score newcomers the same way. */
  probe: SimilarityProbe;
  threshold: number;
  createdAtMs: number;
  /** When the entry was last found valid, and the local write epoch at that time. */
  checkedAtMs?: number;
  checkedEpoch?: number;
}

export interface PackageCacheOptions {
  store: RoutingStore;
  weights: ScoreWeights;
  /** Entries kept (least recently used evicted). Default 500. */
  maxEntries?: number;
  /** Scores decay with age (recency); past this a package is recomputed anyway. Default 60 s. */
  maxAgeMs?: number;
  /** More changes than this since the package was built: recompute rather than inspect them. Default 500. */
  maxChangesToInspect?: number;
  /**
   * A package found valid less than this long ago, with no write through this process since, is served
   * without asking the database again: a stampede costs one check per interval, not one per request.
   * Writes through other processes are seen at most this late. Default 50 ms; 0 checks every time.
   */
  recheckMs?: number;
  now?: () => number;
}

/**
 * Context packages keyed by (viewer, agent, task, budget), valid while nothing they used or
 * could now include has changed. See src/app/routing/README.md for the invalidation rule.
 */
export class PackageCache {
  private readonly entries = new Map<string, CachedPackage>();
  private readonly maxEntries: number;
  private readonly maxAgeMs: number;
  private readonly maxChanges: number;
  private readonly now: () => number;
  private readonly recheckMs: number;
  private localWrites = 0;

  constructor(private readonly options: PackageCacheOptions) {
    this.maxEntries = options.maxEntries ?? 500;
    this.maxAgeMs = options.maxAgeMs ?? 60_000;
    this.maxChanges = options.maxChangesToInspect ?? 500;
    this.now = options.now ?? Date.now;
    this.recheckMs = options.recheckMs ?? 50;
  }

  /** Called after every write through this process, so its own writes are never served stale. */
  noteLocalWrite(): void {
    this.localWrites += 1;
  }

  set(key: string, entry: CachedPackage): void {
    this.entries.delete(key);
    this.entries.set(key, entry);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  /** The cached package if it is still valid at the current database position, else null (and evicted). */
  async get(key: string): Promise<ContextPackage | null> {
    const entry = this.entries.get(key);
    if (!entry) return null;
    if (await this.isValid(entry)) {
      // Refresh recency in the LRU order.
      this.entries.delete(key);
      this.entries.set(key, entry);
      return entry.pkg;
    }
    this.entries.delete(key);
    return null;
  }

  get size(): number {
    return this.entries.size;
  }

  private async isValid(entry: CachedPackage): Promise<boolean> {
    const nowMs = this.now();
    if (nowMs - entry.createdAtMs > this.maxAgeMs) return false;
    const nowIso = new Date(nowMs).toISOString();
    if (entry.pkg.items.some((item) => item.context.expiresAt !== null && item.context.expiresAt <= nowIso)) return false;
    if (entry.checkedEpoch === this.localWrites && entry.checkedAtMs !== undefined && nowMs - entry.checkedAtMs < this.recheckMs)
      return true;
    const epoch = this.localWrites;

    const { position, changes } = await this.options.store.changesSince(entry.position, this.maxChanges);
    const markChecked = () => {
      entry.checkedAtMs = nowMs;
      entry.checkedEpoch = epoch;
      return true;
    };
    if (position === entry.position) return markChecked();
    if (changes === null) return false;
    // A change to anything the package considered (an item, a summarised or dropped one) invalidates it.
    if (changes.some((change) => entry.consideredIds.has(change.contextId))) return false;
    // A context published or changed since could enter the package only if it could clear the threshold.
    const outsiders = [...new Set(changes.filter((change) => change.kind !== 'RETRACTED').map((change) => change.contextId))];
    if (outsiders.length > 0) {
      const candidates = await this.options.store.candidatesByIds(outsiders, entry.pkg.agentId, entry.probe);
      const couldEnter = candidates.some(
        (candidate) =>
          scoreUpperBound(
            {
              context: candidate.context,
              taskSimilarity: candidate.taskSimilarity,
              needsSimilarity: candidate.needsSimilarity,
              explicitRelevance: candidate.explicitRelevance,
            },
            { ...entry.profile, now: new Date(nowMs) },
            this.options.weights,
          ) >= entry.threshold,
      );
      if (couldEnter) return false;
    }
    entry.position = position;
    return markChecked();
  }
}
