import { assertExpectedVersion, assertUpdatable, changedBy } from '../../domain/context-rules.js';
import type { Clock } from '../../domain/ports.js';
import type { ContextChanges, ContextStore, IdempotencyClaim, NewContext, WriteResult } from '../../domain/store-ports.js';
import type { Viewer } from '../../domain/types.js';
import {
  acyclicBatchEdges,
  agentsNamedBy,
  assertAgentsExist,
  checkNewDependencies,
  checkPresence,
  lockForChange,
  lockSuperseded,
} from './context-checks.js';
import { Neo4jContextReads } from './context-reads.js';
import { applyChanges, createContexts, supersede, writeRelevance } from './context-writes.js';
import { writeDeliveries } from './delivery-log.js';
import { recordChange, recordVersions, reserveSeqs } from './event-log.js';
import type { Neo4jExecutor, TxRunner } from './executor.js';
import { claimIdempotency, completeIdempotency } from './idempotency.js';
import { clearStaleness, markConsensusStale, markDependentsStale, markOnInactiveDependencies } from './staleness-writes.js';
import { APPLY_CONTEXT_CHANGES } from './statements/contexts.js';

/** Thrown inside a transaction to roll it back when there is nothing to change. */
class NothingToChange extends Error {}

/** A fresh empty result each time (callers may add to what they get). */
const nothingWritten = () => ({ events: [], deliveries: [] });

/**
 * Context writes, each one transaction of named steps (checks first, then writes), plus the reads.
 * A concurrent publish of the same id loses on the unique constraint; the executor reports that id.
 */
export class Neo4jContextStore extends Neo4jContextReads implements ContextStore {
  constructor(
    executor: Neo4jExecutor,
    clock: Clock,
    private readonly embeddingModel: string,
    /** Dependency hops staleness follows from a context that stopped holding (STALENESS_MAX_DEPTH). */
    private readonly stalenessDepth: number,
  ) {
    super(executor, clock);
  }

  private staleness(viewer: Viewer, now: string) {
    return { now, by: changedBy(viewer), maxDepth: this.stalenessDepth };
  }

  async publish(items: NewContext[], viewer: Viewer, idempotency: IdempotencyClaim | null): Promise<WriteResult & { ids: string[] }> {
    const now = this.clock.now().toISOString();
    return this.executor.write('publishContexts', async (tx) => {
      const prior = await claimIdempotency(tx, idempotency, now);
      if (prior !== null) return { ids: JSON.parse(prior) as string[], replayed: true, ...nothingWritten() };
      const written = await publishInTransaction(tx, items, viewer, {
        now,
        embeddingModel: this.embeddingModel,
        stalenessDepth: this.stalenessDepth,
      });
      await completeIdempotency(tx, idempotency, JSON.stringify(written.ids));
      return written;
    });
  }

  async update(id: string, expectedVersion: number, changes: ContextChanges, viewer: Viewer, idempotency: IdempotencyClaim | null) {
    const now = this.clock.now().toISOString();
    return this.executor.write('updateContext', async (tx): Promise<WriteResult> => {
      if ((await claimIdempotency(tx, idempotency, now)) !== null) return { replayed: true, ...nothingWritten() };
      const current = await lockForChange(tx, id, viewer);
      assertExpectedVersion(id, expectedVersion, current.version);
      assertUpdatable(current);
      if (changes.dependencies) await checkNewDependencies(tx, id, changes.dependencies, viewer);
      await assertAgentsExist(tx, [...(changes.relevance ?? []).map((r) => r.agentId), ...(changes.visibleTo ?? [])]);

      await applyChanges(tx, id, changes, now);
      // Its author re-stated it: it holds again, unless it still rests directly on something that does not.
      await clearStaleness(tx, [id]);
      const seq = await recordChange(tx, id, viewer, 'UPDATED', now);
      const stale = await markOnInactiveDependencies(tx, [id], 1, this.staleness(viewer, now));
      // A changed input: consensus resting on it is stale (INPUT_CHANGED), see src/app/consensus/.
      stale.push(...(await markConsensusStale(tx, [id], [], this.staleness(viewer, now))));
      const planned = (changes.recipients ?? []).map((r) => ({ ...r, contextId: id, seq }));
      const deliveries = await writeDeliveries(tx, planned, now);
      await completeIdempotency(tx, idempotency, JSON.stringify([id]));
      return { replayed: false, events: [{ contextId: id, seq, change: 'UPDATED' }, ...stale], deliveries };
    });
  }

  async retract(id: string, reason: string, viewer: Viewer, idempotency: IdempotencyClaim | null): Promise<WriteResult> {
    const now = this.clock.now().toISOString();
    try {
      return await this.executor.write('retractContext', async (tx): Promise<WriteResult> => {
        if ((await claimIdempotency(tx, idempotency, now)) !== null) return { replayed: true, ...nothingWritten() };
        const current = await lockForChange(tx, id, viewer);
        // Retracting twice changes nothing: roll back the version bump rather than add an empty version.
        if (current.status === 'RETRACTED') throw new NothingToChange();
        await tx.run(APPLY_CONTEXT_CHANGES, { id, now, props: { status: 'RETRACTED', retractionReason: reason } });
        const seq = await recordChange(tx, id, viewer, 'RETRACTED', now);
        const stale = await markDependentsStale(tx, [{ id, cause: 'RETRACTED' }], [], this.staleness(viewer, now));
        await completeIdempotency(tx, idempotency, JSON.stringify([id]));
        return { replayed: false, events: [{ contextId: id, seq, change: 'RETRACTED' }, ...stale], deliveries: [] };
      });
    } catch (error) {
      if (!(error instanceof NothingToChange)) throw error;
      return { replayed: false, ...nothingWritten() };
    }
  }
}

/**
 * The steps of a publish, in the caller's transaction (checks first, then writes): publishContexts, and the mesh's
 * own contexts written inside another write (a workflow step's POLICY_VIOLATION notice).
 */
export async function publishInTransaction(
  tx: TxRunner,
  items: readonly NewContext[],
  viewer: Viewer,
  { now, embeddingModel, stalenessDepth }: { now: string; embeddingModel: string; stalenessDepth: number },
): Promise<WriteResult & { ids: string[] }> {
  const staleness = { now, by: changedBy(viewer), maxDepth: stalenessDepth };
  await checkPresence(tx, items, viewer);
  await assertAgentsExist(tx, agentsNamedBy(items));
  const edges = acyclicBatchEdges(items);
  const superseded = await lockSuperseded(tx, items, viewer);

  const firstSeq = await reserveSeqs(tx, items.length + superseded.length);
  const published = items.map((item, index) => ({ item, seq: firstSeq + index }));
  const replaced = superseded.map((contextId, index) => ({ contextId, seq: firstSeq + items.length + index }));
  await createContexts(tx, published, edges, embeddingModel, now);
  await writeRelevance(tx, items, now);
  await recordVersions(
    tx,
    published.map(({ item, seq }) => ({ id: item.id, seq, by: item.sourceAgentId, kind: 'PUBLISHED' as const })),
    now,
  );
  await supersede(tx, items, replaced, viewer, now);
  const planned = published.flatMap(({ item, seq }) => item.recipients.map((r) => ({ ...r, contextId: item.id, seq })));
  const deliveries = await writeDeliveries(tx, planned, now);

  const ids = items.map((item) => item.id);
  // What rests on a superseded context is stale, unless it is one of the contexts just published.
  const stale = await markDependentsStale(
    tx,
    superseded.map((id) => ({ id, cause: 'SUPERSEDED' as const })),
    ids,
    staleness,
  );
  // A new finding on a claim: consensus on that claim is stale (NEW_EVIDENCE), see src/app/consensus/.
  const evidence = await markConsensusStale(tx, [], newEvidence(items), staleness);
  const events: WriteResult['events'] = [
    ...published.map(({ item, seq }) => ({ contextId: item.id, seq, change: 'PUBLISHED' as const })),
    ...replaced.map(({ contextId, seq }) => ({ contextId, seq, change: 'SUPERSEDED' as const })),
    ...stale,
    ...evidence,
  ];
  return { ids, replayed: false, events, deliveries };
}

/** The published findings that carry a claim: evidence against the consensus on it. */
const newEvidence = (items: readonly NewContext[]) =>
  items.flatMap((item) =>
    item.type === 'FINDING' && item.claim
      ? [{ id: item.id, claim: item.claim, visibleTo: item.visibleTo, sourceAgentId: item.sourceAgentId }]
      : [],
  );
