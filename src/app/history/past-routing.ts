import { randomUUID } from 'node:crypto';
import { assertMayActAs } from '../../domain/acting-as.js';
import { BadInputError, NotFoundError } from '../../domain/errors.js';
import type { PastReads } from '../../domain/history/past-reads.js';
import {
  answersRequest,
  holdsAt,
  mentionedIds,
  recordWindow,
  unchangedPositions,
  type PastRoutingStore,
  type RouteQuestion,
} from '../../domain/history/past-routing.js';
import type { PackageRecord } from '../../domain/history/package-records.js';
import type { Agent, AsOfPoint, Viewer } from '../../domain/types.js';
import { parseRouteRequest, type ContextRouter, type DeliveredPackage, type SearchHit } from '../routing/router.js';
import { Stopwatch } from '../routing/stopwatch.js';

export interface PastRoutingDeps {
  /** The router whose stages a recomputation runs (resolved lazily: the container builds it alongside). */
  router: () => ContextRouter;
  store: PastRoutingStore;
  pastReads: Pick<PastReads, 'getManyAsOf'>;
  /** Validates `asOf` (0..current position, BAD_USER_INPUT otherwise) and finds the time of that event. */
  point: (rawAsOf: unknown) => Promise<AsOfPoint>;
  loadAgent: (id: string) => Promise<Agent | null>;
  /** Writes the package log's pending batch, so an answer given a moment ago is found. */
  flushLog: () => Promise<void>;
}

export interface PastRouteArgs {
  agentId: unknown;
  task: unknown;
  budget: unknown;
  workflowId: unknown;
  validAt: unknown;
  asOf: unknown;
}

export interface PastSearchArgs {
  query: unknown;
  agentId: unknown;
  limit: unknown;
  validAt: unknown;
  asOf: unknown;
}

/** Recorded answers read per request: the newest few that may match (several only when identical requests raced). */
const RECORDED_CANDIDATES = 10;

/**
 * `contextFor` and `searchContext` with `asOf` (rules: src/domain/history/past-routing.ts). A contextFor asked
 * at that point comes back as recorded (same id, items, scores); otherwise, and for every search, the router's
 * stages run over the mesh as of the seq. Past reads bypass the routing cache and are **not** recorded as
 * deliveries: they are not context handed to an agent now (a recomputed package's id names no delivery).
 */
export class PastRoutingService {
  constructor(private readonly deps: PastRoutingDeps) {}

  async contextFor(viewer: Viewer, args: PastRouteArgs): Promise<DeliveredPackage> {
    const watch = new Stopwatch();
    const request = parseRouteRequest(args.agentId, args.task, args.budget, args.workflowId, args.validAt);
    assertMayActAs(viewer, request.agentId, 'route or search as');
    // A running step stands in for a task only now: run state is not versioned, so a past read needs the task.
    if (request.task === null) throw new BadInputError('task is required with asOf', [{ path: ['task'], message: 'required with asOf' }]);
    const point = await watch.time('database', () => this.deps.point(args.asOf));
    const agent = await watch.time('database', () => this.deps.loadAgent(request.agentId));
    if (!agent) throw new NotFoundError('Agent', [request.agentId]);
    const question: RouteQuestion = {
      task: request.task,
      budget: request.budget ?? agent.tokenBudget,
      workflowId: request.workflowId,
      validAt: request.validAt,
    };
    const recorded = await watch.time('database', () => this.recorded(agent.id, question, point));
    if (recorded) return { ...recorded, timings: watch.timings() };
    const reads = this.deps.store.asOf(point);
    const pkg = await this.deps.router().computeOver(reads, agent, question.task, question.budget, question.workflowId, question.validAt);
    return { ...pkg, id: randomUUID(), workflowId: question.workflowId, validAt: question.validAt, pastRead: 'RECOMPUTED' };
  }

  async search(viewer: Viewer, args: PastSearchArgs): Promise<SearchHit[]> {
    const router = this.deps.router();
    const request = await router.searchRequest(viewer, args.query, args.agentId, args.limit, args.validAt);
    const point = await this.deps.point(args.asOf);
    return router.searchOver(this.deps.store.asOf(point), request);
  }

  /** The recorded answer to the question at the point, rebuilt, or null when none holds there. */
  private async recorded(agentId: string, question: RouteQuestion, point: AsOfPoint): Promise<Omit<DeliveredPackage, 'timings'> | null> {
    await this.deps.flushLog();
    const around = await this.deps.store.logAround(point.seq);
    const positions = unchangedPositions(around.lastSeq, point.seq);
    const records = await this.deps.store.recordedAnswers({
      agentId,
      task: question.task,
      positions,
      ...recordWindow(around),
      limit: RECORDED_CANDIDATES,
    });
    for (const record of records) {
      if (!answersRequest(record, agentId, question, positions)) continue;
      const rebuilt = await this.rebuild(record, point);
      if (rebuilt) return rebuilt;
    }
    return null;
  }

  /** The record as it was, its items read as of the point (nested fields answer there); null if it does not hold there. */
  private async rebuild(record: PackageRecord, point: AsOfPoint): Promise<Omit<DeliveredPackage, 'timings'> | null> {
    const body = record.body;
    const ids = mentionedIds(body);
    const contexts = await this.deps.pastReads.getManyAsOf(ids, point, { kind: 'agent', agentId: record.agentId });
    const asOfPoint = new Map(contexts.flatMap((c) => (c ? [[c.id, c] as const] : [])));
    if (!holdsAt(body, asOfPoint)) return null;
    return {
      id: record.id,
      agentId: record.agentId,
      task: body.task,
      budget: body.budget,
      items: body.items.flatMap((item) => {
        const context = asOfPoint.get(item.contextId);
        return context ? [{ context, score: item.score, reasons: item.reasons, tokens: item.tokens }] : [];
      }),
      tokens: body.tokens,
      compressed: body.compressed,
      dropped: body.dropped,
      asOf: body.asOf,
      computedAt: body.computedAt,
      workflowId: body.workflowId,
      validAt: body.validAt ?? null,
      cached: record.cached,
      coalesced: record.coalesced,
      pastRead: 'RECORDED',
    };
  }
}
