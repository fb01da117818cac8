import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { BadInputError, NotFoundError } from '../../domain/errors.js';
import type { DecisionStore, PackageRecord } from '../../domain/history/package-records.js';
import { adjustPackage, type ReplayItem, type ReplayPackage } from '../../domain/history/replay-adjust.js';
import type { Clock, TokenCounter } from '../../domain/ports.js';
import type { Summarizer } from '../../domain/routing/compression.js';
import type { ContextPackage, DroppedContext } from '../../domain/routing/types.js';
import type { ContextRecord, Viewer } from '../../domain/types.js';
import type { DeliveredPackage } from '../routing/router.js';
import { Stopwatch } from '../routing/stopwatch.js';
import { entityId, parseInput } from '../validation.js';
import type { DecisionService } from './decisions.js';
import type { PackageLog } from './package-log.js';

export interface ReplayDeps {
  decisions: DecisionService;
  store: DecisionStore;
  log: PackageLog;
  /** Re-routing for `refresh` (the router records that answer as an ordinary delivery). */
  contextFor: (viewer: Viewer, agentId: string, task: string, budget: number, workflowId: string | null) => Promise<DeliveredPackage>;
  tokens: TokenCounter;
  summarizer?: Summarizer | undefined;
  clock: Clock;
  /** Checks an `adjust.asOf` like every past read (at most the position, not below the pruned horizon). */
  checkAsOf?: (seq: number) => Promise<void>;
}

const ids = z
  .array(entityId)
  .max(200, 'at most 200')
  .refine((list) => new Set(list).size === list.length, 'must not repeat an id')
  .nullish()
  .transform((list) => list ?? []);
const replayAdjust = z
  .object({
    addContextIds: ids,
    removeContextIds: ids,
    budget: z.number().int().min(1, 'must be at least 1').max(2_000_000, 'must be at most 2000000').nullish(),
    asOf: z.number().int().min(0, 'must be 0 or more').nullish(),
    refresh: z.boolean().nullish(),
  })
  .nullish()
  .transform((adjust) => ({
    addIds: adjust?.addContextIds ?? [],
    removeIds: adjust?.removeContextIds ?? [],
    budget: adjust?.budget ?? null,
    asOf: adjust?.asOf ?? null,
    refresh: adjust?.refresh ?? false,
  }))
  .refine(
    (adjust) => !(adjust.refresh && adjust.asOf !== null),
    'choose asOf (re-read the same items) or refresh (re-route now), not both',
  );
type Adjust = z.output<typeof replayAdjust>;

/** What the replay starts from before removals and additions: recorded, re-read at asOf, or re-routed. */
interface Base extends ReplayPackage {
  dropped: DroppedContext[];
  /** Seq the items were read at; added contexts are read there too (null: current). */
  position: number;
  readCurrent: boolean;
}

/** `replayDecision`: the package a decision had, rebuilt from the log and adjusted (rules: src/domain/history/replay-adjust.ts). */
export class ReplayService {
  constructor(private readonly deps: ReplayDeps) {}

  async replay(viewer: Viewer, rawDecisionId: unknown, rawAdjust: unknown): Promise<DeliveredPackage> {
    const watch = new Stopwatch();
    const adjust = parseInput(replayAdjust, rawAdjust, 'adjust');
    const decision = await this.deps.decisions.decision(viewer, rawDecisionId);
    const recorded = await this.deps.decisions.package(decision.packageId);
    if (!recorded) throw new NotFoundError('Package', [decision.packageId]);
    const reader: Viewer = { kind: 'agent', agentId: decision.agentId };
    const base = await watch.time('database', () => this.base(viewer, reader, recorded, adjust));
    const present = new Set(base.items.map((item) => item.context.id));
    const stray = adjust.removeIds.filter((id) => !present.has(id) && !(base.compressed?.originalContextIds.includes(id) ?? false));
    if (stray.length > 0) {
      throw new BadInputError(`removeContextIds: not in the package: ${stray.join(', ')}`, [
        { path: ['adjust', 'removeContextIds'], message: `not in the package: ${stray.join(', ')}` },
      ]);
    }
    const added = await watch.time('database', () => this.added(reader, base, adjust.addIds));
    const adjusted = await watch.time('packing', () =>
      adjustPackage(
        base,
        { removeIds: adjust.removeIds, added, budget: adjust.refresh ? null : adjust.budget },
        { tokens: this.deps.tokens, llm: this.deps.summarizer },
      ),
    );
    const pkg: ContextPackage = {
      agentId: decision.agentId,
      task: recorded.body.task,
      budget: adjusted.budget,
      items: adjusted.items,
      tokens: adjusted.tokens,
      compressed: adjusted.compressed,
      dropped: base.dropped,
      asOf: base.position,
      computedAt: this.deps.clock.now().toISOString(),
    };
    const id = randomUUID();
    const addedIds = new Set(adjusted.items.filter((item) => item.addedByReplay).map((item) => item.context.id));
    const workflowId = recorded.body.workflowId;
    this.deps.log.record({ id, agentId: pkg.agentId, pkg, workflowId, cached: false, coalesced: false, replayOf: decision.id, addedIds });
    return { ...pkg, id, workflowId, validAt: null, cached: false, coalesced: false, timings: watch.timings() };
  }

  private async base(viewer: Viewer, reader: Viewer, recorded: PackageRecord, adjust: Adjust): Promise<Base> {
    const body = recorded.body;
    if (adjust.refresh) {
      const routed = await this.deps.contextFor(viewer, recorded.agentId, body.task, adjust.budget ?? body.budget, body.workflowId);
      const items = routed.items.map((item) => ({ ...item, addedByReplay: false }));
      return { ...routed, items, position: routed.asOf, readCurrent: true };
    }
    if (adjust.asOf !== null) await this.deps.checkAsOf?.(adjust.asOf);
    const contexts =
      adjust.asOf === null
        ? await this.deps.store.contextsAtVersions(body.items, reader)
        : await this.deps.store.contextsAsOf(
            body.items.map((item) => item.contextId),
            adjust.asOf,
            reader,
          );
    const byId = new Map(contexts.map((c) => [c.id, c]));
    // Recorded order, scores and reasons; a version the agent may not read (or, at asOf, a context that did not exist) is left out.
    const items: ReplayItem[] = body.items.flatMap((item) => {
      const context = byId.get(item.contextId);
      if (!context) return [];
      return [{ context, score: item.score, reasons: item.reasons, tokens: context.tokens, addedByReplay: item.addedByReplay }];
    });
    const tokens = items.reduce((sum, item) => sum + item.tokens, 0) + (body.compressed?.tokens ?? 0);
    return {
      items,
      compressed: body.compressed,
      budget: body.budget,
      tokens,
      dropped: body.dropped,
      position: adjust.asOf ?? body.asOf,
      readCurrent: false,
    };
  }

  /** The contexts to add, read where the base was read (current for refresh); a missing or unreadable one is NOT_FOUND. */
  private async added(reader: Viewer, base: Base, addIds: readonly string[]): Promise<ContextRecord[]> {
    if (addIds.length === 0) return [];
    const { store } = this.deps;
    const contexts = base.readCurrent
      ? await store.contextsAtVersions(await store.currentVersions(addIds, reader), reader)
      : await store.contextsAsOf(addIds, base.position, reader);
    const byId = new Map(contexts.map((c) => [c.id, c]));
    const missing = addIds.filter((id) => !byId.has(id));
    if (missing.length > 0) throw new NotFoundError('Context', missing);
    return addIds.map((id) => byId.get(id) as ContextRecord);
  }
}
