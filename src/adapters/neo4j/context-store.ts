import { Neo4jError } from 'neo4j-driver';
import { findDependencyCycle } from '../../domain/dependency-cycles.js';
import {
  AlreadyExistsError,
  BadInputError,
  DependencyCycleError,
  ForbiddenError,
  NotFoundError,
  VersionConflictError,
} from '../../domain/errors.js';
import type { Clock } from '../../domain/ports.js';
import type {
  ContextChanges,
  ContextFilter,
  ContextStore,
  IdempotencyClaim,
  NewContext,
  ReachedContext,
  WriteResult,
} from '../../domain/store-ports.js';
import type { ContextRecord, DependencyEdge, Direction, RelevanceEntry, StoredChangeKind, Viewer } from '../../domain/types.js';
import { int, type Neo4jExecutor, type Row, type TxRunner } from './executor.js';
import { chainDeliveries, type Delivery, type LoggedDelivery, type PlannedDelivery } from '../../domain/broadcast/delivery.js';
import { claimIdempotency, completeIdempotency } from './idempotency.js';
import { contextAtVersion, groupBy, parseContent, toContext, toVersion } from './mapping.js';
import {
  ACK_POSITION,
  CLAIM_EXPIRED,
  COUNT_EXPIRED_UNANNOUNCED,
  RECORD_EXPIRY_EVENTS,
  ACKNOWLEDGE,
  AGENT_PRESENCE,
  APPLY_CONTEXT_CHANGES,
  BUMP_VERSION,
  CLEAR_COMPUTED_RELEVANCE,
  CLEAR_EXPLICIT_RELEVANCE,
  CONTENT_BY_IDS,
  SUPERSESSIONS_BY_IDS,
  CONTEXTS_BY_IDS,
  CONTEXTS_PAGE,
  CONTEXT_AS_OF,
  CONTEXT_PRESENCE,
  CREATE_CONTEXTS,
  CREATE_DELIVERIES,
  CREATE_DEPENDENCIES,
  DELIVERIES_AFTER,
  DELIVERY_POSITIONS,
  DIRECT_DEPENDENCY_IDS,
  EDGES_AMONG,
  FIND_CYCLE,
  HISTORY_BY_CONTEXT_IDS,
  RECORD_VERSIONS,
  RELEVANCE_BY_CONTEXT_IDS,
  REPLACE_DEPENDENCIES,
  REPLACE_TOPICS,
  RESERVE_SEQ,
  SET_COMPUTED_RELEVANCE,
  SUPERSEDE,
  SET_EXPLICIT_RELEVANCE,
  traversal,
} from './statements.js';

const viewerParams = (viewer: Viewer) =>
  viewer.kind === 'admin' ? { isAdmin: true, viewerId: null } : { isAdmin: false, viewerId: viewer.agentId };

const unique = (values: Iterable<string>) => [...new Set(values)];

type ChangeKind = Exclude<StoredChangeKind, 'EXPIRED'>;

/** Thrown inside a transaction to roll it back when there is nothing to change. */
class NothingToChange extends Error {}

export class Neo4jContextStore implements ContextStore {
  constructor(
    private readonly executor: Neo4jExecutor,
    private readonly clock: Clock,
    private readonly embeddingModel: string,
  ) {}

  async publish(items: NewContext[], viewer: Viewer, idempotency: IdempotencyClaim | null) {
    const now = this.clock.now().toISOString();
    try {
      return await this.executor.write(async (tx) => {
        const prior = await claimIdempotency(tx, idempotency, now);
        if (prior !== null) return { ids: JSON.parse(prior) as string[], replayed: true, events: [], deliveries: [] };

        const batchIds = new Set(items.map((item) => item.id));
        const outsideDeps = unique(items.flatMap((item) => item.dependencies).filter((id) => !batchIds.has(id)));
        const presence = await tx.run(CONTEXT_PRESENCE, { ids: unique([...batchIds, ...outsideDeps]), ...viewerParams(viewer) });
        const taken = presence.filter((row) => batchIds.has(String(row['id'])) && row['exists'] === true).map((row) => String(row['id']));
        if (taken.length > 0) throw new AlreadyExistsError('Context', taken);
        // A dependency the viewer may not read is reported exactly like a missing one: no existence leak.
        const missing = presence
          .filter((row) => !batchIds.has(String(row['id'])) && row['visible'] !== true)
          .map((row) => String(row['id']));
        if (missing.length > 0) throw new NotFoundError('Context', missing);

        await this.assertAgentsExist(tx, [
          ...items.map((item) => item.sourceAgentId),
          ...items.flatMap((item) => item.relevance.map((r) => r.agentId)),
          ...items.flatMap((item) => item.visibleTo ?? []),
        ]);

        const edges: DependencyEdge[] = items.flatMap((item) => item.dependencies.map((to) => ({ from: item.id, to })));
        // Existing contexts cannot depend on new ones, so a cycle can only run through the batch itself.
        const cycle = findDependencyCycle(edges);
        if (cycle) throw new DependencyCycleError(cycle);

        // Superseded contexts: locked (version bump) and checked before anything is written.
        const superseded = unique(items.flatMap((item) => item.supersedes));
        const inBatch = superseded.filter((id) => batchIds.has(id));
        if (inBatch.length > 0)
          throw new BadInputError('A context cannot supersede one published in the same batch', [
            { path: ['supersedes'], message: `in this batch: ${inBatch.join(', ')}` },
          ]);
        for (const id of superseded) {
          const old = await this.lockForChange(tx, id, viewer);
          if (old.status !== 'ACTIVE') {
            throw new BadInputError(`Context ${id} is ${old.status} and cannot be superseded`, [
              { path: ['supersedes'], message: `${id} is ${old.status}` },
            ]);
          }
        }

        const lastSeq = await this.reserveSeq(tx, items.length + superseded.length);
        const firstSeq = lastSeq - items.length - superseded.length + 1;
        await tx.run(CREATE_CONTEXTS, {
          now,
          embeddingModel: this.embeddingModel,
          items: items.map((item, index) => ({
            id: item.id,
            type: item.type,
            text: item.text,
            contentJson: item.content === undefined || item.content === null ? null : JSON.stringify(item.content),
            tags: item.tags,
            priority: item.priority,
            tokens: item.tokens,
            confidence: item.confidence,
            sourceAgentId: item.sourceAgentId,
            expiresAt: item.expiresAt,
            visibleTo: item.visibleTo,
            workflowId: item.workflowId,
            seq: firstSeq + index,
            embedding: item.embedding,
            topicKeys: item.topicKeys,
          })),
        });
        if (edges.length > 0) await tx.run(CREATE_DEPENDENCIES, { edges });
        const relevance = items.flatMap((item) => item.relevance.map((r) => ({ contextId: item.id, agentId: r.agentId, score: r.score })));
        if (relevance.length > 0) await tx.run(SET_EXPLICIT_RELEVANCE, { relevance, now });
        const computed = items.flatMap((item) =>
          item.computedRelevance.map((r) => ({ contextId: item.id, agentId: r.agentId, score: r.score })),
        );
        if (computed.length > 0) await tx.run(SET_COMPUTED_RELEVANCE, { relevance: computed, now });
        await this.recordVersions(
          tx,
          items.map((item, index) => ({ id: item.id, seq: firstSeq + index, by: item.sourceAgentId, kind: 'PUBLISHED' as const })),
          now,
        );
        if (superseded.length > 0) {
          const supersessions = items.flatMap((item) => item.supersedes.map((old) => ({ from: item.id, to: old })));
          await tx.run(SUPERSEDE, { supersessions, now });
          const by = viewer.kind === 'agent' ? viewer.agentId : 'admin';
          await this.recordVersions(
            tx,
            superseded.map((id, index) => ({ id, seq: firstSeq + items.length + index, by, kind: 'SUPERSEDED' as const })),
            now,
          );
        }
        const deliveries = await this.deliver(
          tx,
          items.flatMap((item, index) => item.recipients.map((r) => ({ ...r, contextId: item.id, seq: firstSeq + index }))),
          now,
        );
        const ids = items.map((item) => item.id);
        await completeIdempotency(tx, idempotency, JSON.stringify(ids));
        const events: WriteResult['events'] = [
          ...items.map((item, index) => ({ contextId: item.id, seq: firstSeq + index, change: 'PUBLISHED' as const })),
          ...superseded.map((id, index) => ({ contextId: id, seq: firstSeq + items.length + index, change: 'SUPERSEDED' as const })),
        ];
        return { ids, replayed: false, events, deliveries };
      });
    } catch (error) {
      throw mapConstraintError(
        error,
        items.map((item) => item.id),
      );
    }
  }

  async update(id: string, expectedVersion: number, changes: ContextChanges, viewer: Viewer, idempotency: IdempotencyClaim | null) {
    const now = this.clock.now().toISOString();
    return this.executor.write(async (tx): Promise<WriteResult> => {
      if ((await claimIdempotency(tx, idempotency, now)) !== null) return { replayed: true, events: [], deliveries: [] };
      const current = await this.lockForChange(tx, id, viewer);
      if (current.version !== expectedVersion + 1) throw new VersionConflictError(id, expectedVersion, current.version - 1);
      if (current.status !== 'ACTIVE') {
        throw new BadInputError(`A ${current.status.toLowerCase()} context cannot be changed`, [
          { path: ['id'], message: `context is ${current.status.toLowerCase()}` },
        ]);
      }
      if (changes.dependencies) await this.checkNewDependencies(tx, id, changes.dependencies, viewer);
      await this.assertAgentsExist(tx, [...(changes.relevance ?? []).map((r) => r.agentId), ...(changes.visibleTo ?? [])]);

      await tx.run(APPLY_CONTEXT_CHANGES, { id, now, props: changedProperties(changes) });
      if (changes.dependencies) await tx.run(REPLACE_DEPENDENCIES, { id, dependencies: changes.dependencies });
      if (changes.tags) await tx.run(REPLACE_TOPICS, { id, topicKeys: changes.tags.topicKeys });
      if (changes.computedRelevance) {
        await tx.run(CLEAR_COMPUTED_RELEVANCE, { id });
        const computed = changes.computedRelevance.map((r) => ({ contextId: id, agentId: r.agentId, score: r.score }));
        if (computed.length > 0) await tx.run(SET_COMPUTED_RELEVANCE, { relevance: computed, now });
      }
      if (changes.relevance) {
        await tx.run(CLEAR_EXPLICIT_RELEVANCE, { id });
        const relevance = changes.relevance.map((r) => ({ contextId: id, agentId: r.agentId, score: r.score }));
        if (relevance.length > 0) await tx.run(SET_EXPLICIT_RELEVANCE, { relevance, now });
      }
      const seq = await this.recordChange(tx, id, viewer, 'UPDATED', now);
      const deliveries = await this.deliver(
        tx,
        (changes.recipients ?? []).map((r) => ({ ...r, contextId: id, seq })),
        now,
      );
      await completeIdempotency(tx, idempotency, JSON.stringify([id]));
      return { replayed: false, events: [{ contextId: id, seq, change: 'UPDATED' }], deliveries };
    });
  }

  async retract(id: string, reason: string, viewer: Viewer, idempotency: IdempotencyClaim | null) {
    const now = this.clock.now().toISOString();
    try {
      return await this.executor.write(async (tx): Promise<WriteResult> => {
        if ((await claimIdempotency(tx, idempotency, now)) !== null) return { replayed: true, events: [], deliveries: [] };
        const current = await this.lockForChange(tx, id, viewer);
        // Retracting twice changes nothing: roll back the version bump rather than add an empty version.
        if (current.status === 'RETRACTED') throw new NothingToChange();
        await tx.run(APPLY_CONTEXT_CHANGES, { id, now, props: { status: 'RETRACTED', retractionReason: reason } });
        const seq = await this.recordChange(tx, id, viewer, 'RETRACTED', now);
        await completeIdempotency(tx, idempotency, JSON.stringify([id]));
        return { replayed: false, events: [{ contextId: id, seq, change: 'RETRACTED' }], deliveries: [] };
      });
    } catch (error) {
      if (!(error instanceof NothingToChange)) throw error;
      return { replayed: false, events: [], deliveries: [] };
    }
  }

  async getMany(ids: readonly string[], viewer: Viewer): Promise<(ContextRecord | null)[]> {
    const rows = await this.executor.readOne(CONTEXTS_BY_IDS, { ids: [...ids], ...viewerParams(viewer) });
    const byId = new Map(rows.map((row) => [String((row['context'] as { id: string }).id), toContext(row['context'])]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  async getAsOf(id: string, asOfSeq: number, viewer: Viewer): Promise<ContextRecord | null> {
    const [row] = await this.executor.readOne(CONTEXT_AS_OF, { id, asOf: asOfSeq, ...viewerParams(viewer) });
    return row ? contextAtVersion(toContext(row['context']), toVersion(row['version'])) : null;
  }

  async page(filter: ContextFilter, afterSeq: number | null, limit: number, viewer: Viewer): Promise<ContextRecord[]> {
    const rows = await this.executor.readOne(CONTEXTS_PAGE, {
      ...viewerParams(viewer),
      now: this.clock.now().toISOString(),
      after: afterSeq,
      limit,
      types: filter.types ?? null,
      workflowIds: filter.workflowIds ?? null,
      tags: filter.tags ?? null,
      sourceAgentIds: filter.sourceAgentIds ?? null,
      priorities: filter.priorities ?? null,
      createdAfter: filter.createdAfter ?? null,
      createdBefore: filter.createdBefore ?? null,
      statuses: filter.statuses,
    });
    return rows.map((row) => toContext(row['context']));
  }

  async directDependencyIds(ids: readonly string[], viewer: Viewer): Promise<string[][]> {
    const rows = await this.executor.readOne(DIRECT_DEPENDENCY_IDS, { ids: [...ids], ...viewerParams(viewer) });
    const byId = new Map(rows.map((row) => [String(row['id']), (row['dependencyIds'] as unknown[]).map(String)]));
    return ids.map((id) => byId.get(id) ?? []);
  }

  async reach(rootIds: readonly string[], direction: Direction, depth: number, viewer: Viewer): Promise<ReachedContext[]> {
    const rows = await this.executor.readOne(traversal(direction, depth), { ids: [...rootIds], ...viewerParams(viewer) });
    return rows.map((row) => ({ rootId: String(row['rootId']), context: toContext(row['context']), distance: Number(row['distance']) }));
  }

  async edgesAmong(ids: readonly string[]): Promise<DependencyEdge[]> {
    const rows = await this.executor.readOne(EDGES_AMONG, { ids: [...ids] });
    return rows.map((row) => ({ from: String(row['from']), to: String(row['to']) }));
  }

  async relevance(ids: readonly string[]): Promise<RelevanceEntry[][]> {
    const rows = await this.executor.readOne(RELEVANCE_BY_CONTEXT_IDS, { ids: [...ids] });
    return groupBy(
      ids,
      rows,
      (row) => String(row['id']),
      (row) => ({
        agentId: String(row['agentId']),
        score: Number(row['score']),
        explicit: row['explicit'] === true,
      }),
    );
  }

  async history(ids: readonly string[], viewer: Viewer) {
    const rows = await this.executor.readOne(HISTORY_BY_CONTEXT_IDS, { ids: [...ids], ...viewerParams(viewer) });
    return groupBy(
      ids,
      rows,
      (row) => String(row['id']),
      (row) => toVersion(row['version']),
    );
  }

  async deliveriesAfter(agentId: string, afterSeq: number, limit: number, workflowId: string | null): Promise<LoggedDelivery[]> {
    const rows = await this.executor.readOne(DELIVERIES_AFTER, {
      agentId,
      after: afterSeq,
      limit,
      workflowId,
      ...viewerParams({ kind: 'agent', agentId }),
    });
    return rows.map((row) => {
      const d = row['delivery'] as Row;
      return {
        agentId,
        seq: Number(d['seq']),
        prevSeq: Number(d['prevSeq']),
        contextId: String(d['contextId']),
        reason: String(d['reason']),
        context: row['context'] ? toContext(row['context']) : null,
      };
    });
  }

  async claimExpired(limit: number): Promise<{ seq: number; context: ContextRecord }[]> {
    const now = this.clock.now().toISOString();
    // A cheap read first: most sweeps find nothing and should not take the event counter's lock.
    const [count] = await this.executor.readOne(COUNT_EXPIRED_UNANNOUNCED, { now });
    if (Number(count?.['n'] ?? 0) === 0) return [];
    return this.executor.write(async (tx) => {
      const rows = await tx.run(CLAIM_EXPIRED, { now, limit });
      if (rows.length === 0) return [];
      const lastSeq = await this.reserveSeq(tx, rows.length);
      const expired = rows.map((row, index) => ({ seq: lastSeq - rows.length + 1 + index, context: toContext(row['context']) }));
      await tx.run(RECORD_EXPIRY_EVENTS, { now, by: 'system', events: expired.map((e) => ({ seq: e.seq, contextId: e.context.id })) });
      return expired;
    });
  }

  async acknowledge(agentId: string, seq: number): Promise<number> {
    const [row] = await this.executor.write((tx) => tx.run(ACKNOWLEDGE, { agentId, seq }));
    if (!row) throw new NotFoundError('Agent', [agentId]);
    return Number(row['ackSeq']);
  }

  async ackPosition(agentId: string): Promise<number> {
    const [row] = await this.executor.readOne(ACK_POSITION, { agentId });
    if (!row) throw new NotFoundError('Agent', [agentId]);
    return Number(row['ackSeq']);
  }

  /** Writes planned deliveries in the caller's transaction, each linked to the agent's previous one. */
  private async deliver(tx: TxRunner, planned: PlannedDelivery[], now: string): Promise<Delivery[]> {
    if (planned.length === 0) return [];
    const agentIds = unique(planned.map((p) => p.agentId));
    const positions = await tx.run(DELIVERY_POSITIONS, { agentIds });
    const deliveries = chainDeliveries(planned, new Map(positions.map((row) => [String(row['agentId']), Number(row['lastSeq'])])));
    await tx.run(CREATE_DELIVERIES, { deliveries, now });
    return deliveries;
  }

  async supersessions(ids: readonly string[], viewer: Viewer) {
    const rows = await this.executor.readOne(SUPERSESSIONS_BY_IDS, { ids: [...ids], ...viewerParams(viewer) });
    const byId = new Map(
      rows.map((row) => [
        String(row['id']),
        {
          supersedes: ((row['supersedes'] as unknown[] | null) ?? []).map(toContext),
          supersededBy: row['supersededBy'] ? toContext(row['supersededBy']) : null,
        },
      ]),
    );
    return ids.map((id) => byId.get(id) ?? { supersedes: [], supersededBy: null });
  }

  async content(ids: readonly string[]): Promise<unknown[]> {
    const rows = await this.executor.readOne(CONTENT_BY_IDS, { ids: [...ids] });
    const byId = new Map(rows.map((row) => [String(row['id']), parseContent(row['contentJson'])]));
    return ids.map((id) => byId.get(id));
  }

  async ping(): Promise<void> {
    await this.executor.verifyConnectivity();
  }

  /** Bumps the version (taking the node's write lock) and checks the viewer may change it. */
  private async lockForChange(tx: TxRunner, id: string, viewer: Viewer): Promise<ContextRecord> {
    const [row] = await tx.run(BUMP_VERSION, { id, ...viewerParams(viewer) });
    if (!row || row['visible'] !== true) throw new NotFoundError('Context', [id]);
    const current = toContext(row['context']);
    if (viewer.kind === 'agent' && current.sourceAgentId !== viewer.agentId) {
      throw new ForbiddenError(`Only the source agent (${current.sourceAgentId}) or an admin may change context ${id}`);
    }
    return current;
  }

  private async checkNewDependencies(tx: TxRunner, id: string, dependencies: string[], viewer: Viewer) {
    if (dependencies.includes(id)) throw new DependencyCycleError([id, id]);
    const presence = await tx.run(CONTEXT_PRESENCE, { ids: dependencies, ...viewerParams(viewer) });
    const missing = presence.filter((row) => row['visible'] !== true).map((row) => String(row['id']));
    if (missing.length > 0) throw new NotFoundError('Context', missing);
    const [cycle] = await tx.run(FIND_CYCLE, { id, dependencies });
    if (cycle) throw new DependencyCycleError([id, ...(cycle['ids'] as unknown[]).map(String)]);
  }

  private async assertAgentsExist(tx: TxRunner, ids: string[]) {
    const wanted = unique(ids);
    if (wanted.length === 0) return;
    const rows = await tx.run(AGENT_PRESENCE, { ids: wanted });
    const missing = rows.filter((row) => row['exists'] !== true).map((row) => String(row['id']));
    if (missing.length > 0) throw new NotFoundError('Agent', missing);
  }

  private async reserveSeq(tx: TxRunner, count: number): Promise<number> {
    const [row] = await tx.run(RESERVE_SEQ, { count });
    return Number(row?.['last']);
  }

  private async recordChange(tx: TxRunner, id: string, viewer: Viewer, kind: ChangeKind, now: string): Promise<number> {
    const seq = await this.reserveSeq(tx, 1);
    await this.recordVersions(tx, [{ id, seq, by: viewer.kind === 'agent' ? viewer.agentId : 'admin', kind }], now);
    return seq;
  }

  private async recordVersions(tx: TxRunner, changes: { id: string; seq: number; by: string; kind: ChangeKind }[], now: string) {
    await tx.run(RECORD_VERSIONS, { changes, now });
  }
}

/** Allow-listed property map for `SET c += $props`; keys never come from input. */
function changedProperties(changes: ContextChanges): Record<string, unknown> {
  const props: Record<string, unknown> = {};
  if (changes.text) {
    props['text'] = changes.text.text;
    props['tokens'] = int(changes.text.tokens);
    props['embedding'] = changes.text.embedding;
  }
  if (changes.content !== undefined) props['contentJson'] = changes.content === null ? null : JSON.stringify(changes.content);
  if (changes.tags) props['tags'] = changes.tags.tags;
  if (changes.priority) props['priority'] = changes.priority;
  if (changes.confidence !== undefined) props['confidence'] = changes.confidence;
  if (changes.expiresAt !== undefined) props['expiresAt'] = changes.expiresAt;
  if (changes.visibleTo !== undefined) props['visibleTo'] = changes.visibleTo;
  return props;
}

/** A concurrent publish of the same client id loses the race on the unique constraint. */
function mapConstraintError(error: unknown, ids: string[]): unknown {
  if (error instanceof Neo4jError && error.code === 'Neo.ClientError.Schema.ConstraintValidationFailed') {
    return new AlreadyExistsError('Context', ids);
  }
  return error;
}
