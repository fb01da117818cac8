import { assertMayActAs } from '../../domain/acting-as.js';
import { meshStats, type FeedbackRecord, type MeshNumbers } from '../../domain/effectiveness/mesh-stats.js';
import type { EffectivenessStore } from '../../domain/effectiveness/ports.js';
import { BadInputError, NotFoundError } from '../../domain/errors.js';
import { versionKey, type PackageRecordStore, type VersionRef } from '../../domain/history/package-records.js';
import type { Clock } from '../../domain/ports.js';
import type { Viewer } from '../../domain/types.js';
import type { PackageLog } from '../history/package-log.js';
import { idempotencyClaim } from '../idempotency.js';
import { feedbackInput, idempotencyKey, meshStatsInput, parseArgs, parseInput } from '../validation.js';

/**
 * Packages one meshStats call reads at most (newest first); past it the answer says `truncated`. Bodies are
 * parsed in memory, so this bounds the work of one call (5000 packages are a few MB of JSON).
 */
export const MAX_STATS_PACKAGES = 5000;

export interface MeshStatsView extends MeshNumbers {
  agentId: string | null;
  workflowId: string | null;
  from: string | null;
  to: string | null;
  conflictsRaised: number;
  conflictsResolved: number;
  /** True when more than `MAX_STATS_PACKAGES` packages were in the range: the numbers cover the newest ones. */
  truncated: boolean;
  packagesRead: number;
}

export interface EffectivenessServiceDeps {
  store: EffectivenessStore;
  packages: Pick<PackageRecordStore, 'packagesByIds'>;
  /** The write-behind package log: flushed before a package is looked up. */
  log: Pick<PackageLog, 'flush'>;
  clock: Clock;
  /** Called after feedback is stored (the Prometheus counter). */
  onFeedback?: (feedback: FeedbackRecord) => void;
  /** Bound on packages per meshStats call. Default MAX_STATS_PACKAGES. */
  maxPackages?: number;
}

/** feedback and meshStats (README "Effectiveness: feedback and meshStats"). */
export class EffectivenessService {
  constructor(private readonly deps: EffectivenessServiceDeps) {}

  /** An agent's word on one context of a package it was given; the same (package, context) again replaces it. */
  async feedback(viewer: Viewer, args: Record<string, unknown>, rawKey: unknown): Promise<FeedbackRecord> {
    const input = parseArgs(feedbackInput, args);
    const key = parseInput(idempotencyKey, rawKey, 'idempotencyKey');
    await this.deps.log.flush();
    const [pkg] = await this.deps.packages.packagesByIds([input.packageId]);
    if (!pkg) throw new NotFoundError('Package', [input.packageId]);
    assertMayActAs(viewer, pkg.agentId, 'give feedback on the packages of');
    const delivered = new Set([...pkg.body.items.map((item) => item.contextId), ...(pkg.body.compressed?.originalContextIds ?? [])]);
    if (!delivered.has(input.contextId)) {
      throw new BadInputError(`Context ${input.contextId} was not delivered in package ${input.packageId}`, [
        { path: ['contextId'], message: `not an item nor a summarised original of package ${input.packageId}` },
      ]);
    }
    const record = { ...input, agentId: pkg.agentId, at: this.deps.clock.now().toISOString() };
    const { feedback, replayed } = await this.deps.store.upsertFeedback(record, idempotencyClaim(viewer, 'feedback', key, input));
    if (!replayed) this.deps.onFeedback?.(feedback);
    return feedback;
  }

  /** The numbers over the packages given in [from, to): an agent's own, or (admin) one agent's or everyone's. */
  async meshStats(viewer: Viewer, args: Record<string, unknown>): Promise<MeshStatsView> {
    const input = parseArgs(meshStatsInput, args);
    const agentId = input.agentId ?? (viewer.kind === 'agent' ? viewer.agentId : null);
    if (agentId !== null) assertMayActAs(viewer, agentId, 'read the effectiveness of');
    const range = { from: input.from, to: input.to };
    const max = this.deps.maxPackages ?? MAX_STATS_PACKAGES;
    await this.deps.log.flush();
    const read = await this.deps.store.packagesInRange(agentId, range, max + 1);
    const truncated = read.length > max;
    const inRange = truncated ? read.slice(0, max) : read;
    const packages = input.workflowId === null ? inRange : inRange.filter((pkg) => pkg.body.workflowId === input.workflowId);
    const refs = new Map<string, VersionRef>();
    for (const pkg of packages) for (const item of pkg.body.items) refs.set(versionKey(item), item);
    const [feedback, versionTimes, conflicts] = await Promise.all([
      this.deps.store.feedbackOf(packages.map((pkg) => pkg.id)),
      this.deps.store.versionTimes([...refs.values()].map(({ contextId, version }) => ({ contextId, version }))),
      this.deps.store.conflictCounts(agentId, range),
    ]);
    return {
      ...meshStats({ packages, feedback, versionTimes }),
      agentId,
      workflowId: input.workflowId,
      ...range,
      conflictsRaised: conflicts.raised,
      conflictsResolved: conflicts.resolved,
      truncated,
      packagesRead: inRange.length,
    };
  }
}
