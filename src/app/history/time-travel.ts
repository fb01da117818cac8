import { effectiveStatus } from '../../domain/context-status.js';
import { BadInputError, HistoryPrunedError } from '../../domain/errors.js';
import type { PastReads } from '../../domain/history/past-reads.js';
import { decodeSeqCursor, encodeSeqCursor } from '../../domain/pagination.js';
import type { ContextFilter, LeftOutCounts, ReachedContext } from '../../domain/store-ports.js';
import type { AsOfPoint, ContextRecord, ContextStatus, DependencyEdge, Direction, Viewer } from '../../domain/types.js';
import { isValidAt } from '../../domain/valid-time.js';
import { asOfSeq, contextFilter, contextId, pageSize, parseInput, validAt as validAtSchema } from '../validation.js';
import { inTraversalOrder, unionByShortest, walk, type Neighbours } from './past-reach.js';

export interface TimeTravelOptions {
  reads: PastReads;
  /** Validates a traversal depth (the same rule as current reads). */
  depth: (raw: unknown, argument?: string) => number;
  /** The pruned horizon (src/app/history/retention.ts): an `asOf` below it is HISTORY_PRUNED. Absent: never pruned. */
  prunedHorizon?: () => Promise<number>;
}

/** A `contexts` page read as of a point; `leftOutOf` lets `leftOut` be counted as of the same point. */
export interface PastContextPage {
  edges: { cursor: string; node: ContextRecord }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  leftOutOf: { filter: ContextFilter; validAt: string; asOf: AsOfPoint };
}

/**
 * Reads of the mesh as it was at an event seq: each answer is what the same query answered then (versions,
 * statuses with expiry judged at the time of that event, visibility by each version's own rule, dependency
 * edges and relevance of then). Valid time defaults to the time of the point, so a past answer is reproduced.
 */
export class TimeTravelService {
  constructor(private readonly options: TimeTravelOptions) {}

  /**
   * Validates `asOf`: an integer from 0 to the current position. A later seq is refused (BAD_USER_INPUT naming
   * the position) rather than clamped: an answer "as of" a point that has not happened yet would silently
   * change as the log grows. A seq below the pruned horizon is HISTORY_PRUNED: retention deleted a version some
   * context had there, so the answer would be silently wrong.
   */
  async point(raw: unknown): Promise<AsOfPoint> {
    const seq = parseInput(asOfSeq, raw, 'asOf') ?? 0;
    const [{ position, at }, horizon] = await Promise.all([this.options.reads.pointInTime(seq), this.options.prunedHorizon?.() ?? 0]);
    if (seq < horizon) throw new HistoryPrunedError(seq, horizon);
    if (seq > position) {
      throw new BadInputError(`asOf ${seq} is after the current position ${position}`, [
        { path: ['asOf'], message: `must be at most the current position ${position}` },
      ]);
    }
    return { seq, at };
  }

  async seqAt(rawTime: unknown): Promise<number> {
    const time = parseInput(validAtSchema, rawTime, 'time');
    if (!time) throw new BadInputError('time is required', [{ path: ['time'], message: 'must be a date-time' }]);
    return this.options.reads.seqAt(time);
  }

  async get(viewer: Viewer, rawId: unknown, point: AsOfPoint): Promise<ContextRecord | null> {
    const id = parseInput(contextId, rawId, 'id');
    const [context] = await this.options.reads.getManyAsOf([id], point, viewer);
    return context ?? null;
  }

  getMany(ids: readonly string[], point: AsOfPoint, viewer: Viewer) {
    return this.options.reads.getManyAsOf(ids, point, viewer);
  }

  async page(viewer: Viewer, point: AsOfPoint, args: { filter: unknown; first: unknown; after: unknown; validAt?: unknown }) {
    const filter = parseInput(contextFilter, args.filter, 'filter');
    const first = parseInput(pageSize, args.first ?? 20, 'first');
    const after = typeof args.after === 'string' ? decodeSeqCursor(args.after) : null;
    const validAt = this.validAt(args.validAt, point);
    const rows = await this.options.reads.pageAsOf(filter, after, first + 1, viewer, point, validAt);
    const nodes = rows.slice(0, first);
    const edges = nodes.map((node) => ({ cursor: encodeSeqCursor(node.createdSeq), node }));
    const page: PastContextPage = {
      edges,
      pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null },
      leftOutOf: { filter, validAt, asOf: point },
    };
    return page;
  }

  leftOut(viewer: Viewer, query: PastContextPage['leftOutOf']): Promise<LeftOutCounts> {
    return this.options.reads.leftOutAsOf(query.filter, viewer, query.asOf, query.validAt);
  }

  /** Roots first (in the order asked), then what they reach; edges are the versions' dependency lists then. */
  async dependencyGraph(
    viewer: Viewer,
    point: AsOfPoint,
    args: { rootIds: unknown; depth: unknown; direction: Direction; validAt?: unknown },
  ) {
    const rootIds = parseInput(
      contextId.array().min(1, 'must name at least one context').max(100, 'at most 100 roots'),
      args.rootIds,
      'rootIds',
    );
    const depth = this.options.depth(args.depth);
    const validAt = this.validAt(args.validAt, point);
    const roots = (await this.getMany(rootIds, point, viewer)).filter((c): c is ContextRecord => c !== null);
    const reached = await this.reachFrom(roots, args.direction, depth, point, viewer);
    const nodes = new Map<string, ContextRecord>(roots.map((root) => [root.id, root]));
    for (const { context } of reached) nodes.set(context.id, context);
    for (const [id, node] of nodes) if (!isValidAt(node, validAt)) nodes.delete(id);
    const edges: DependencyEdge[] = [...nodes.values()]
      .flatMap((node) => (node.asOf?.dependencies ?? []).filter((to) => nodes.has(to)).map((to) => ({ from: node.id, to })))
      .sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : a.to < b.to ? -1 : a.to > b.to ? 1 : 0));
    return { nodes: [...nodes.values()], edges };
  }

  /** `dependencies(depth)` / `dependents(depth)` of records read as of `point`. */
  async reach(rootIds: readonly string[], direction: Direction, depth: number, point: AsOfPoint, viewer: Viewer) {
    const roots = (await this.getMany(rootIds, point, viewer)).filter((c): c is ContextRecord => c !== null);
    return this.reachFrom(roots, direction, depth, point, viewer);
  }

  history(ids: readonly string[], point: AsOfPoint, viewer: Viewer) {
    return this.options.reads.historyAsOf(ids, point, viewer);
  }

  supersessions(ids: readonly string[], point: AsOfPoint, viewer: Viewer) {
    return this.options.reads.supersessionsAsOf(ids, point, viewer);
  }

  /** A past record's status with expiry judged at the time of its point; a current record's at `now`. */
  statusOf(context: ContextRecord, now: Date): ContextStatus {
    return effectiveStatus(context, context.asOf?.at ? new Date(context.asOf.at) : now);
  }

  private validAt(raw: unknown, point: AsOfPoint): string {
    return parseInput(validAtSchema, raw, 'validAt') ?? point.at ?? new Date(0).toISOString();
  }

  private async reachFrom(roots: ContextRecord[], direction: Direction, depth: number, point: AsOfPoint, viewer: Viewer) {
    const ids = roots.map((root) => root.id);
    const known = new Map(roots.map((root) => [root.id, root]));
    const outgoing = () => walk(ids, depth, this.dependenciesOf(known, point, viewer));
    const incoming = () => walk(ids, depth, this.dependentsOf(point, viewer));
    let reached: ReachedContext[];
    if (direction === 'OUTGOING') reached = await outgoing();
    else if (direction === 'INCOMING') reached = await incoming();
    else reached = unionByShortest(await outgoing(), await incoming());
    return inTraversalOrder(reached);
  }

  /** One hop down: the versions' dependency lists (already filtered by visibility then), loading what is new. */
  private dependenciesOf(known: Map<string, ContextRecord>, point: AsOfPoint, viewer: Viewer): Neighbours {
    return async (ids) => {
      const wanted = [...new Set(ids.flatMap((id) => known.get(id)?.asOf?.dependencies ?? []))].filter((id) => !known.has(id));
      if (wanted.length > 0) for (const record of await this.getMany(wanted, point, viewer)) if (record) known.set(record.id, record);
      return new Map(ids.map((id) => [id, (known.get(id)?.asOf?.dependencies ?? []).flatMap((dep) => known.get(dep) ?? [])]));
    };
  }

  /** One hop up: the contexts whose version then lists each id. */
  private dependentsOf(point: AsOfPoint, viewer: Viewer): Neighbours {
    return async (ids) => {
      const dependents = await this.options.reads.dependentsAsOf(ids, point, viewer);
      const byId = new Map<string, ContextRecord[]>(ids.map((id) => [id, []]));
      for (const record of dependents) for (const dep of record.asOf?.dependencies ?? []) byId.get(dep)?.push(record);
      return byId;
    };
  }
}
