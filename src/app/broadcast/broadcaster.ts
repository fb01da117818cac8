import { z } from 'zod';
import { assertMayActAs } from '../../domain/acting-as.js';
import type { BusMessage, ContextEventMessage, DeliveryMessage, MessageBus } from '../../domain/broadcast/bus.js';
import { BadInputError, NotFoundError } from '../../domain/errors.js';
import type { ContextReads, DeliveryLog, WriteResult } from '../../domain/store-ports.js';
import type { ContextRecord, ContextType, Priority, Viewer } from '../../domain/types.js';
import { canRead, type ScopeSource } from '../../domain/visibility.js';
import { entityId, parseInput, seq, workflowId as workflowIdSchema } from '../validation.js';
import { AsyncQueue } from './async-queue.js';

export interface BroadcastItem {
  seq: number;
  prevSeq: number;
  context: ContextRecord;
  reason: string;
}

export interface ContextEventItem {
  seq: number;
  change: ContextEventMessage['change'];
  context: ContextRecord;
  causeId: string | null;
}

export interface BroadcastPage {
  broadcasts: BroadcastItem[];
  lastSeq: number;
  hasMore: boolean;
}

export interface EventFilter {
  types?: ContextType[] | null | undefined;
  tags?: string[] | null | undefined;
  priorities?: Priority[] | null | undefined;
  sourceAgentIds?: string[] | null | undefined;
  workflowId?: string | null | undefined;
}

export interface BroadcasterDeps {
  /** The durable delivery log: replay, acknowledgement, expiry claims. */
  log: DeliveryLog;
  /** The context reads announcing needs: the changed records and what depends on them. */
  contexts: Pick<ContextReads, 'getMany' | 'reach'>;
  bus: MessageBus;
  /** Each agent's scope (README "Inheritance"): live events are filtered by the same rule as the store's reads. */
  scopes: ScopeSource;
  onError?: (error: unknown, what: string) => void;
  /** Deliveries read from the log per round trip while replaying. Default 200. */
  pageSize?: number;
}

const ADMIN: Viewer = { kind: 'admin' };
const optionalSeq = seq.nullish();
const firstSchema = z.number().int().min(1, 'must be between 1 and 500').max(500, 'must be between 1 and 500');
const unique = <T>(values: Iterable<T>) => [...new Set(values)];
/** Expired contexts claimed per sweep; the rest wait for the next tick. */
const EXPIRY_CLAIM_BATCH = 500;
const READ_BROADCASTS = 'read the broadcasts of';

/**
 * Selective broadcasting, live and durable. Deliveries are written by the store in the writing
 * transaction; after commit this class fans them out on the bus. A subscriber replays the durable log
 * after its position, then follows the bus; each delivery names the agent's previous one (`prevSeq`),
 * so a message lost or reordered on the bus is noticed and the subscriber reads the log instead.
 */
export class Broadcaster {
  private readonly pageSize: number;

  constructor(private readonly deps: BroadcasterDeps) {
    this.pageSize = deps.pageSize ?? 200;
  }

  /** Writes are announced one after another, so observers see this process's changes in commit order. */
  private announcing: Promise<void> = Promise.resolve();

  /** Announces a committed write: deliveries to their agents, changes to observers. Never throws. */
  publishCommitted(result: WriteResult): Promise<void> {
    if (result.events.length === 0 && result.deliveries.length === 0) return this.announcing;
    this.announcing = this.announcing.then(() => this.announce(result));
    return this.announcing;
  }

  /**
   * Announces contexts whose expiration has passed (EXPIRED to observers, DEPENDENCY_CHANGED to what
   * depends on them). Every process sweeps; the store lets exactly one claim each context.
   */
  startExpirySweeper(intervalMs: number): () => void {
    let running = false;
    const timer = setInterval(() => {
      if (running) return;
      running = true;
      void this.sweepExpired()
        .catch((error: unknown) => this.deps.onError?.(error, 'sweeping expired contexts'))
        .finally(() => (running = false));
    }, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  /** One sweep, of the whole mesh or one workflow's contexts. */
  async sweepExpired(workflowId: string | null = null): Promise<{ expired: number; stale: number; events: WriteResult['events'] }> {
    const { expired, stale } = await this.deps.log.claimExpired(EXPIRY_CLAIM_BATCH, workflowId);
    const events = [...expired.map(({ seq, context }) => ({ contextId: context.id, seq, change: 'EXPIRED' as const })), ...stale];
    if (events.length > 0) await this.publishCommitted({ replayed: false, events, deliveries: [] });
    return { expired: expired.length, stale: stale.length, events };
  }

  private async announce(result: WriteResult): Promise<void> {
    try {
      // STALE events are their own announcements of what depends on a change (the store followed the graph).
      const changed = result.events.filter((e) => e.change !== 'PUBLISHED' && e.change !== 'STALE').map((e) => e.contextId);
      const dependents = changed.length > 0 ? await this.deps.contexts.reach(changed, 'INCOMING', 1, ADMIN) : [];
      const ids = unique([...result.events.map((e) => e.contextId), ...result.deliveries.map((d) => d.contextId)]);
      const records = new Map((await this.deps.contexts.getMany(ids, ADMIN)).flatMap((c) => (c ? [[c.id, c] as const] : [])));
      for (const { context } of dependents) records.set(context.id, context);

      const byAgent = new Map<string, DeliveryMessage[]>();
      for (const delivery of result.deliveries) {
        const context = records.get(delivery.contextId);
        if (!context) continue;
        const list = byAgent.get(delivery.agentId) ?? [];
        list.push({ kind: 'delivery', ...delivery, context });
        byAgent.set(delivery.agentId, list);
      }
      const seqOf = new Map(result.events.map((e) => [e.contextId, e.seq]));
      const events: ContextEventMessage[] = [
        ...result.events.flatMap((e) => {
          const context = records.get(e.contextId);
          if (!context) return [];
          const { causeId = null, notify } = e;
          return [
            {
              kind: 'context' as const,
              seq: e.seq,
              change: e.change,
              contextId: e.contextId,
              context,
              causeId,
              ...(notify ? { notify } : {}),
            },
          ];
        }),
        ...dependents.map(({ rootId, context }) => ({
          kind: 'context' as const,
          seq: seqOf.get(rootId) ?? 0,
          change: 'DEPENDENCY_CHANGED' as const,
          contextId: context.id,
          context,
          causeId: rootId,
        })),
      ];
      await Promise.all([
        ...[...byAgent].map(([agentId, messages]) => this.deps.bus.publish({ kind: 'agent', agentId }, messages)),
        events.length > 0 ? this.deps.bus.publish({ kind: 'contexts' }, events) : Promise.resolve(),
      ]);
    } catch (error) {
      // The write is committed and its deliveries are in the log: subscribers recover them from there.
      this.deps.onError?.(error, 'publishing committed changes on the bus');
    }
  }

  /** The agent's broadcast stream: the log after `afterSeq` (default: its acknowledged position), then live. */
  async stream(
    viewer: Viewer,
    rawAgentId: unknown,
    rawAfterSeq: unknown,
    rawWorkflowId: unknown,
  ): Promise<AsyncIterableIterator<BroadcastItem>> {
    const agentId = parseInput(entityId, rawAgentId, 'agentId');
    const workflowId = parseInput(workflowIdSchema, rawWorkflowId, 'workflowId') ?? null;
    assertMayActAs(viewer, agentId, READ_BROADCASTS);
    // Read even when `afterSeq` is given: it also checks that the agent exists.
    const ackSeq = await this.deps.log.ackPosition(agentId);
    let last = parseInput(optionalSeq, rawAfterSeq, 'afterSeq') ?? ackSeq;
    const asAgent: Viewer = { kind: 'agent', agentId };
    const scope = await this.deps.scopes.scopeOf(agentId);

    let unsubscribe: () => Promise<void> = async () => undefined;
    const queue = new AsyncQueue<BroadcastItem>(() => unsubscribe());
    const readLog = async () => {
      for (;;) {
        const page = await this.deps.log.deliveriesAfter(agentId, last, this.pageSize, workflowId);
        for (const delivery of page) {
          if (delivery.context)
            queue.push({ seq: delivery.seq, prevSeq: delivery.prevSeq, context: delivery.context, reason: delivery.reason });
          last = delivery.seq;
        }
        if (page.length < this.pageSize) return;
      }
    };
    const onLive = async (message: DeliveryMessage) => {
      if (message.seq <= last) return; // already read from the log (the seam) or a repeat
      if (message.prevSeq !== last) return readLog(); // a gap: the log has what the bus lost or reordered
      if (canRead(asAgent, message.context, scope) && (workflowId === null || message.context.workflowId === workflowId)) {
        queue.push({ seq: message.seq, prevSeq: message.prevSeq, context: message.context, reason: message.reason });
      }
      last = message.seq;
    };

    // Live messages wait behind the replay: subscribe first (nothing committed meanwhile is missed),
    // replay the log, then handle what arrived, one at a time, in order.
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    let chain: Promise<void> = gate.then(readLog);
    const handle = (work: () => Promise<void>) => {
      chain = chain.then(work).catch((error: unknown) => {
        this.deps.onError?.(error, `broadcast stream of ${agentId}`);
        queue.fail(error);
      });
    };
    unsubscribe = await this.deps.bus.subscribe({ kind: 'agent', agentId }, (message: BusMessage) => {
      if (message.kind === 'delivery') handle(() => onLive(message));
    });
    handle(async () => undefined);
    release();
    return queue;
  }

  /** Live publications the viewer may read that match the filter. */
  async published(viewer: Viewer, filter: EventFilter | null | undefined): Promise<AsyncIterableIterator<ContextEventItem>> {
    const matches = (c: ContextRecord) =>
      (!filter?.types?.length || filter.types.includes(c.type)) &&
      (!filter?.tags?.length || c.tags.some((tag) => filter.tags?.includes(tag))) &&
      (!filter?.priorities?.length || filter.priorities.includes(c.priority)) &&
      (!filter?.sourceAgentIds?.length || filter.sourceAgentIds.includes(c.sourceAgentId)) &&
      (!filter?.workflowId || c.workflowId === filter.workflowId);
    const scope = await this.scopeOf(viewer);
    return this.observe((m) => m.change === 'PUBLISHED' && canRead(viewer, m.context, scope) && matches(m.context));
  }

  /** Live changes of one context the viewer may read: updates, retraction, supersession, changed dependencies. */
  async changes(viewer: Viewer, rawId: unknown): Promise<AsyncIterableIterator<ContextEventItem>> {
    const id = parseInput(entityId, rawId, 'id');
    const [context] = await this.deps.contexts.getMany([id], viewer);
    if (!context) throw new NotFoundError('Context', [id]);
    const scope = await this.scopeOf(viewer);
    return this.observe((m) => m.contextId === id && m.change !== 'PUBLISHED' && canRead(viewer, m.context, scope));
  }

  /** contextChanged: of one context (`id`) or for one agent (`agentId`); exactly one. */
  changesOf(viewer: Viewer, rawId: unknown, rawAgentId: unknown): Promise<AsyncIterableIterator<ContextEventItem>> {
    const given = (value: unknown) => value !== null && value !== undefined;
    if (given(rawId) === given(rawAgentId)) throw new BadInputError('contextChanged takes exactly one of id and agentId');
    return given(rawId) ? this.changes(viewer, rawId) : this.changesFor(viewer, rawAgentId);
  }

  /**
   * Live changes an agent must hear of whichever context they concern: today, STALE for the contexts it
   * produced or was routed or broadcast (drift), read as that agent. An agent follows only its own feed.
   */
  async changesFor(viewer: Viewer, rawAgentId: unknown): Promise<AsyncIterableIterator<ContextEventItem>> {
    const agentId = parseInput(entityId, rawAgentId, 'agentId');
    assertMayActAs(viewer, agentId, 'follow the changes of');
    await this.deps.log.ackPosition(agentId); // NOT_FOUND for an unknown agent
    const asAgent: Viewer = { kind: 'agent', agentId };
    const scope = await this.deps.scopes.scopeOf(agentId);
    return this.observe((m) => (m.notify?.includes(agentId) ?? false) && canRead(asAgent, m.context, scope));
  }

  private scopeOf(viewer: Viewer) {
    return viewer.kind === 'agent' ? this.deps.scopes.scopeOf(viewer.agentId) : Promise.resolve(null);
  }

  async acknowledge(viewer: Viewer, rawAgentId: unknown, rawSeq: unknown): Promise<{ agentId: string; ackSeq: number }> {
    const agentId = parseInput(entityId, rawAgentId, 'agentId');
    const position = parseInput(seq, rawSeq, 'seq');
    assertMayActAs(viewer, agentId, READ_BROADCASTS);
    return { agentId, ackSeq: await this.deps.log.acknowledge(agentId, position) };
  }

  /** The durable log as a page, for agents that poll rather than subscribe. */
  async page(viewer: Viewer, rawAgentId: unknown, rawAfterSeq: unknown, rawFirst: unknown): Promise<BroadcastPage> {
    const agentId = parseInput(entityId, rawAgentId, 'agentId');
    const first = parseInput(firstSchema, rawFirst ?? 100, 'first');
    assertMayActAs(viewer, agentId, READ_BROADCASTS);
    const afterSeq = parseInput(optionalSeq, rawAfterSeq, 'afterSeq');
    const after = afterSeq ?? (await this.deps.log.ackPosition(agentId));
    const rows = await this.deps.log.deliveriesAfter(agentId, after, first + 1, null);
    const page = rows.slice(0, first);
    return {
      broadcasts: page.flatMap((d) => (d.context ? [{ seq: d.seq, prevSeq: d.prevSeq, context: d.context, reason: d.reason }] : [])),
      lastSeq: page.at(-1)?.seq ?? after,
      hasMore: rows.length > first,
    };
  }

  private async observe(accept: (message: ContextEventMessage) => boolean): Promise<AsyncIterableIterator<ContextEventItem>> {
    let unsubscribe: () => Promise<void> = async () => undefined;
    const queue = new AsyncQueue<ContextEventItem>(() => unsubscribe());
    unsubscribe = await this.deps.bus.subscribe({ kind: 'contexts' }, (message) => {
      if (message.kind === 'context' && accept(message)) {
        queue.push({ seq: message.seq, change: message.change, context: message.context, causeId: message.causeId });
      }
    });
    return queue;
  }
}
