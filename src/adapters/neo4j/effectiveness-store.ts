import type { FeedbackRecord } from '../../domain/effectiveness/mesh-stats.js';
import type { EffectivenessStore } from '../../domain/effectiveness/ports.js';
import type { PackageRecord, TimeRange, VersionRef } from '../../domain/history/package-records.js';
import type { IdempotencyClaim } from '../../domain/store-ports.js';
import { toPackageRecord } from './decision-store.js';
import { int, type Neo4jExecutor, type Row } from './executor.js';
import { claimIdempotency, completeIdempotency } from './idempotency.js';
import { CONFLICT_COUNTS, FEEDBACK_OF_PACKAGES, PACKAGES_IN_RANGE, UPSERT_FEEDBACK, VERSION_TIMES } from './statements/effectiveness.js';

/** Feedback and the reads of meshStats (statements/effectiveness.ts). */
export class Neo4jEffectivenessStore implements EffectivenessStore {
  constructor(private readonly executor: Neo4jExecutor) {}

  /** Stores the word on (package, context), replacing an earlier one; a repeated idempotency key returns the first answer. */
  async upsertFeedback(
    feedback: Omit<FeedbackRecord, 'updatedAt'>,
    claim: IdempotencyClaim | null,
  ): Promise<{ feedback: FeedbackRecord; replayed: boolean }> {
    return this.executor.write(UPSERT_FEEDBACK.name, async (tx) => {
      const earlier = await claimIdempotency(tx, claim, feedback.at);
      if (earlier !== null) return { feedback: JSON.parse(earlier) as FeedbackRecord, replayed: true };
      const [row] = await tx.run(UPSERT_FEEDBACK, { f: feedback });
      if (!row) throw new Error(`feedback on ${feedback.packageId}/${feedback.contextId} was not written`);
      const stored = toFeedback(row);
      await completeIdempotency(tx, claim, JSON.stringify(stored));
      return { feedback: stored, replayed: false };
    });
  }

  /** Packages given in the range (one agent's, or everyone's for null), newest first, at most `first`. */
  async packagesInRange(agentId: string | null, range: TimeRange, first: number): Promise<PackageRecord[]> {
    const rows = await this.executor.readOne(PACKAGES_IN_RANGE, { agentId, ...range, first: int(first) });
    return rows.map(toPackageRecord);
  }

  async feedbackOf(packageIds: readonly string[]): Promise<FeedbackRecord[]> {
    if (packageIds.length === 0) return [];
    return (await this.executor.readOne(FEEDBACK_OF_PACKAGES, { ids: packageIds })).map(toFeedback);
  }

  /** When each version was written, by `contextId@version`; versions pruned by retention are missing. */
  async versionTimes(refs: readonly VersionRef[]): Promise<Map<string, string>> {
    if (refs.length === 0) return new Map();
    const params = { refs: refs.map((r) => ({ contextId: r.contextId, version: int(r.version) })) };
    const rows = await this.executor.readOne(VERSION_TIMES, params);
    return new Map(rows.map((row) => [`${String(row['contextId'])}@${Number(row['version'])}`, String(row['at'])]));
  }

  async conflictCounts(agentId: string | null, range: TimeRange): Promise<{ raised: number; resolved: number }> {
    const [row] = await this.executor.readOne(CONFLICT_COUNTS, { agentId, ...range });
    return { raised: Number(row?.['raised'] ?? 0), resolved: Number(row?.['resolved'] ?? 0) };
  }
}

function toFeedback(row: Row): FeedbackRecord {
  const f = row['feedback'] as Row;
  return {
    packageId: String(f['packageId']),
    contextId: String(f['contextId']),
    agentId: String(f['agentId']),
    used: f['used'] === true,
    useful: f['useful'] === null || f['useful'] === undefined ? null : f['useful'] === true,
    at: String(f['at']),
    updatedAt: String(f['updatedAt'] ?? f['at']),
  };
}
