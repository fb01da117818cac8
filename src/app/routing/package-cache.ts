import { LRUCache } from 'lru-cache';
import { scoreUpperBound, type ScoringProfile } from '../../domain/routing/scoring.js';
import type { ContextChange, RoutingStore, SimilarityProbe } from '../../domain/routing/ports.js';
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
  /**
   * When the first context the package considered stops being valid, or the first context not yet valid starts
   * to be (valid time); past it, recompute. Null: never.
   */
  validityEndsAt?: string | null;
  /** True when judged at the time of asking (no fixed validAt): contexts published later may start to be valid. */
  judgedNow?: boolean;
  /** When the entry was last found valid, and the local write epoch at that time. */
  checkedAtMs?: number;
  checkedEpoch?: number;
  /** Precomputed by the prefetcher (src/app/routing/prefetch.ts) and not served yet; cleared by its first serve. */
  prefetched?: boolean;
  /** Served at most this long after it was computed, instead of the cache's maxAgeMs (prefetched entries). */
  maxAgeMs?: number;
}

/** A valid entry's package, and whether this serve is the first of a prefetched entry. */
export interface CacheHit {
  pkg: ContextPackage;
  prefetched: boolean;
}

export interface PackageCacheOptions {
  store: RoutingStore;
  weights: ScoreWeights;
  /** Entries kept (least recently used evicted); 0 disables the cache. Default 500. */
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
  /** A prefetched entry left the cache without ever being served (invalidated, expired, evicted or replaced). */
  onUnusedPrefetch?: () => void;
}

/**
 * Context packages keyed by (agent, budget, workflow, task), valid while nothing they used or
 * could now include has changed. See src/app/routing/README.md for the invalidation rule.
 */
export class PackageCache {
  /** Recency order and eviction only; validity is this class's own rule (an age check and a database check). */
  private readonly entries: LRUCache<string, CachedPackage> | null;
  private readonly maxAgeMs: number;
  private readonly maxChanges: number;
  private readonly now: () => number;
  private readonly recheckMs: number;
  private localWrites = 0;

  constructor(private readonly options: PackageCacheOptions) {
    const maxEntries = options.maxEntries ?? 500;
    const onUnused = options.onUnusedPrefetch;
    this.entries =
      maxEntries > 0
        ? new LRUCache<string, CachedPackage>({
            max: maxEntries,
            dispose: (entry) => {
              if (entry.prefetched) onUnused?.();
            },
          })
        : null;
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
    this.entries?.set(key, entry);
  }

  /** Stores a prefetched entry unless the key already has one (a foreground answer computed meanwhile wins). */
  setIfAbsent(key: string, entry: CachedPackage): boolean {
    if (!this.entries || this.entries.has(key)) return false;
    this.entries.set(key, entry);
    return true;
  }

  /** The cached package if it is still valid at the current database position, else null (and evicted). */
  async get(key: string): Promise<ContextPackage | null> {
    return (await this.take(key))?.pkg ?? null;
  }

  /** Like `get`, serving the entry: the first serve of a prefetched entry says so, and later ones do not. */
  async take(key: string): Promise<CacheHit | null> {
    const entry = await this.validEntry(key);
    if (!entry) return null;
    const prefetched = entry.prefetched === true;
    entry.prefetched = false;
    return { pkg: entry.pkg, prefetched };
  }

  /** True when the key holds an entry valid now (checked like a serve; nothing is served). */
  async has(key: string): Promise<boolean> {
    return (await this.validEntry(key)) !== null;
  }

  private async validEntry(key: string): Promise<CachedPackage | null> {
    // `get` also marks the entry most recently used; an invalid one is evicted below.
    const entry = this.entries?.get(key);
    if (!entry) return null;
    if (await this.isValid(entry)) return entry;
    // Only this entry: a fresher one may have been stored for the key while the check ran.
    if (this.entries?.peek(key) === entry) this.entries.delete(key);
    return null;
  }

  private async isValid(entry: CachedPackage): Promise<boolean> {
    const nowMs = this.now();
    if (nowMs - entry.createdAtMs > (entry.maxAgeMs ?? this.maxAgeMs)) return false;
    const nowIso = new Date(nowMs).toISOString();
    if (entry.pkg.items.some((item) => item.context.expiresAt !== null && item.context.expiresAt <= nowIso)) return false;
    if (entry.validityEndsAt && entry.validityEndsAt <= nowIso) return false;
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
    if (await this.couldEnter(entry, changes, nowMs)) return false;
    // A context published since that is not valid yet cannot enter now, but will once its validFrom passes.
    if (entry.judgedNow) {
      const startsAt = await this.options.store.nextValidityStart(nowIso);
      if (startsAt !== null && (!entry.validityEndsAt || startsAt < entry.validityEndsAt)) entry.validityEndsAt = startsAt;
    }
    entry.position = position;
    return markChecked();
  }

  /** A context published or changed since could enter the package only if it could clear the threshold. */
  private async couldEnter(entry: CachedPackage, changes: readonly ContextChange[], nowMs: number): Promise<boolean> {
    // Retracted or stale contexts only lose score: they cannot enter.
    const outsiders = [
      ...new Set(changes.filter((change) => change.kind !== 'RETRACTED' && change.kind !== 'STALE').map((change) => change.contextId)),
    ];
    if (outsiders.length === 0) return false;
    const candidates = await this.options.store.candidatesByIds(outsiders, entry.pkg.agentId, entry.probe);
    const profile = { ...entry.profile, now: new Date(nowMs) };
    return candidates.some(
      (candidate) =>
        scoreUpperBound(
          {
            context: candidate.context,
            taskSimilarity: candidate.taskSimilarity,
            needsSimilarity: candidate.needsSimilarity,
            explicitRelevance: candidate.explicitRelevance,
          },
          profile,
          this.options.weights,
        ) >= entry.threshold,
    );
  }
}
