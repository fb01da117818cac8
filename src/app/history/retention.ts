import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { changedBy } from '../../domain/context-rules.js';
import { BadInputError, ForbiddenError, type InputIssue } from '../../domain/errors.js';
import { versionKey } from '../../domain/history/package-records.js';
import {
  addKept,
  KEEP_REASONS,
  noneKept,
  parseDuration,
  planContextRetention,
  prunedHorizon,
  SnapshotIndex,
  type KeptCounts,
  type PrunableVersion,
  type RetentionNeeds,
  type RetentionOptions,
  type RetentionStore,
  SUPERSEDED_GRACE_MS,
} from '../../domain/history/retention.js';
import type { Clock } from '../../domain/ports.js';
import type { Viewer } from '../../domain/types.js';

/** Contexts read per page, versions deleted per transaction, package bodies and agents read per page. */
export const RETENTION_BATCHES = { contexts: 500, deleteVersions: 1000, packageBodies: 200, agents: 200, deletePackages: 1000 };

export interface RetentionServiceDeps {
  store: RetentionStore;
  clock: Clock;
  /** Writes what this process's package log still buffers, so the pass sees every package answered so far. */
  flushPackages?: () => Promise<void>;
  batches?: Partial<typeof RETENTION_BATCHES>;
}

export interface PruneReport {
  /** The `:Retention` record's id; null for a dry run (which writes nothing). */
  id: string | null;
  dryRun: boolean;
  cutoff: string | null;
  keepLast: number | null;
  packagesCutoff: string | null;
  /** Deleted (dry run: would be deleted). */
  versionsDeleted: number;
  versionsKept: KeptCounts & { total: number };
  packagesDeleted: number;
  /** `asOf` reads below this seq answer HISTORY_PRUNED (0: nothing was ever pruned; dry run: the horizon it would leave). */
  prunedBeforeSeq: number;
}

/** A point in time: an ISO-8601 date-time, or an age such as `30d` (counted back from now). */
const pointOrAge = z
  .string()
  .trim()
  .refine((text) => parseDuration(text) !== null || z.iso.datetime({ offset: true }).safeParse(text).success, {
    message: 'must be a date-time (ISO-8601) or an age like 30d, 12h, 90m, 2w',
  });
const pruneInput = z
  .object({
    olderThan: pointOrAge.nullish(),
    keepLast: z.number().int().min(1, 'must be at least 1').max(1_000_000, 'must be at most 1000000').nullish(),
    packagesOlderThan: pointOrAge.nullish(),
    dryRun: z.boolean().nullish(),
  })
  .refine((input) => (input.olderThan ?? null) !== null || (input.keepLast ?? null) !== null, {
    message: 'give olderThan, keepLast or both',
    path: ['olderThan'],
  });

export interface PruneRequest {
  olderThan?: unknown;
  keepLast?: unknown;
  packagesOlderThan?: unknown;
  dryRun?: unknown;
}

interface Plan extends RetentionOptions {
  packagesCutoff: string | null;
  dryRun: boolean;
}

/**
 * `pruneHistory` / `npm run history:prune`: deletes context versions no rule keeps (src/domain/history/retention.ts)
 * and, when asked, recorded packages no decision was made from. Events are never deleted (the seq log is the
 * audit trail). Pages contexts by id and deletes in bounded transactions, so it scales with the mesh.
 */
export class RetentionService {
  private readonly batches: typeof RETENTION_BATCHES;

  constructor(private readonly deps: RetentionServiceDeps) {
    this.batches = { ...RETENTION_BATCHES, ...deps.batches };
  }

  async prune(viewer: Viewer, request: PruneRequest, by: string = changedBy(viewer)): Promise<PruneReport> {
    if (viewer.kind !== 'admin') throw new ForbiddenError('Only an admin may prune history');
    const plan = this.plan(request);
    await this.deps.flushPackages?.();
    const packagesDeleted = plan.packagesCutoff === null ? 0 : await this.prunePackages(plan.packagesCutoff, plan.dryRun);
    const needs: RetentionNeeds = await this.needs(plan.packagesCutoff);
    const { deleted, kept, horizon } = await this.pruneVersions(plan, needs);
    // A dry run reports the horizon the pass would leave; a real one, the stored horizon after it.
    const prunedBeforeSeq = Math.max(await this.deps.store.horizon(), plan.dryRun ? horizon : 0);
    const total = KEEP_REASONS.reduce((sum, reason) => sum + kept[reason], 0);
    const report: PruneReport = {
      id: plan.dryRun ? null : `ret-${randomUUID()}`,
      dryRun: plan.dryRun,
      cutoff: plan.cutoff,
      keepLast: plan.keepLast,
      packagesCutoff: plan.packagesCutoff,
      versionsDeleted: deleted,
      versionsKept: { ...kept, total },
      packagesDeleted,
      prunedBeforeSeq,
    };
    if (report.id !== null) {
      const { id, cutoff, keepLast, packagesCutoff, versionsDeleted } = report;
      await this.deps.store.record({
        id,
        at: plan.now,
        by,
        cutoff,
        keepLast,
        packagesCutoff,
        versionsDeleted,
        packagesDeleted,
        prunedBeforeSeq,
      });
    }
    return report;
  }

  /** Validated options; ages are counted back from now, and a cutoff must not lie in the future. */
  private plan(request: PruneRequest): Plan {
    const parsed = pruneInput.safeParse(request);
    if (!parsed.success) throw badInput(parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message })));
    const now = this.deps.clock.now();
    const cutoff = pointFrom(parsed.data.olderThan ?? null, now, 'olderThan');
    // Like versions, a package recorded in the last minute is never pruned (a cache hit may still be joining its body).
    const packagesCutoff = earliest(
      pointFrom(parsed.data.packagesOlderThan ?? null, now, 'packagesOlderThan'),
      now.getTime() - SUPERSEDED_GRACE_MS,
    );
    return { cutoff, keepLast: parsed.data.keepLast ?? null, now: now.toISOString(), packagesCutoff, dryRun: parsed.data.dryRun ?? false };
  }

  /** Old packages no decision points at, agent by agent (their index), in bounded transactions. */
  private async prunePackages(cutoff: string, dryRun: boolean): Promise<number> {
    const { store } = this.deps;
    let total = 0;
    for (let after = ''; ;) {
      const agents = await store.agentIds(after, this.batches.agents);
      if (agents.length === 0) return total;
      if (dryRun) total += await store.countPrunablePackages(agents, cutoff);
      else {
        let n: number;
        do {
          n = await store.deletePackages(agents, cutoff, this.batches.deletePackages);
          total += n;
        } while (n === this.batches.deletePackages);
      }
      after = agents.at(-1) as string;
    }
  }

  /** What the rules need beyond each context's own versions: snapshots and the items of stored packages. */
  private async needs(packagesCutoff: string | null): Promise<RetentionNeeds> {
    const items = new Set<string>();
    for (let after = ''; ;) {
      const page = await this.deps.store.packageItems(after, this.batches.packageBodies, packagesCutoff);
      for (const ref of page.refs) items.add(versionKey(ref));
      if (page.lastHash === null) break;
      after = page.lastHash;
    }
    const snapshots = new SnapshotIndex(await this.deps.store.snapshotPoints());
    return { snapshots, inPackage: (contextId, version) => items.has(versionKey({ contextId, version })) };
  }

  private async pruneVersions(plan: Plan, needs: RetentionNeeds): Promise<{ deleted: number; kept: KeptCounts; horizon: number }> {
    const kept = noneKept();
    let deleted = 0;
    let horizon = 0;
    let pending: PrunableVersion[] = [];
    const flush = async (all: boolean) => {
      while (pending.length >= this.batches.deleteVersions || (all && pending.length > 0)) {
        const batch = pending.slice(0, this.batches.deleteVersions);
        pending = pending.slice(batch.length);
        if (plan.dryRun) {
          deleted += batch.length;
          horizon = prunedHorizon(batch, horizon);
        } else {
          const done = await this.deps.store.deleteVersions(batch);
          deleted += done.deleted;
          addKept(kept, done.kept);
        }
      }
    };
    for (let after = ''; ;) {
      const page = await this.deps.store.contextsPage(after, this.batches.contexts);
      if (page.length === 0) break;
      for (const context of page) {
        const planned = planContextRetention(context, plan, needs);
        addKept(kept, planned.kept);
        pending.push(...planned.prune);
      }
      await flush(false);
      after = page.at(-1)?.contextId as string;
    }
    await flush(true);
    return { deleted, kept, horizon };
  }
}

function pointFrom(text: string | null, now: Date, argument: string): string | null {
  if (text === null) return null;
  const age = parseDuration(text);
  const point = age !== null ? new Date(now.getTime() - age) : new Date(text);
  if (point.getTime() > now.getTime()) throw badInput([{ path: [argument], message: 'must not be in the future' }]);
  return point.toISOString();
}

function earliest(point: string | null, limitMs: number): string | null {
  return point === null || Date.parse(point) <= limitMs ? point : new Date(limitMs).toISOString();
}

function badInput(issues: InputIssue[]): BadInputError {
  return new BadInputError(`Invalid input: ${issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, issues);
}
