import type { PackageRecord, TimeRange, VersionRef } from '../history/package-records.js';
import type { IdempotencyClaim } from '../store-ports.js';
import type { FeedbackRecord } from './mesh-stats.js';

/** Where feedback lives, and the bounded reads meshStats adds up. */
export interface EffectivenessStore {
  /** Stores the word on (package, context), replacing an earlier one (last write wins); `replayed`: a repeated idempotency key, nothing written. */
  upsertFeedback(
    feedback: Omit<FeedbackRecord, 'updatedAt'>,
    claim: IdempotencyClaim | null,
  ): Promise<{ feedback: FeedbackRecord; replayed: boolean }>;
  /** Packages given in [from, to) of one agent (all for null), newest first, at most `first`. */
  packagesInRange(agentId: string | null, range: TimeRange, first: number): Promise<PackageRecord[]>;
  feedbackOf(packageIds: readonly string[]): Promise<FeedbackRecord[]>;
  /** When each version was written, by `contextId@version`. */
  versionTimes(refs: readonly VersionRef[]): Promise<Map<string, string>>;
  conflictCounts(agentId: string | null, range: TimeRange): Promise<{ raised: number; resolved: number }>;
}
