import { chainDeliveries, type Delivery, type LoggedDelivery, type PlannedDelivery } from '../../domain/broadcast/delivery.js';
import { NotFoundError } from '../../domain/errors.js';
import type { Clock } from '../../domain/ports.js';
import type { DeliveryLog, StaleEvent } from '../../domain/store-ports.js';
import type { ContextRecord } from '../../domain/types.js';
import { reserveSeqs } from './event-log.js';
import type { Neo4jExecutor, Row, TxRunner } from './executor.js';
import { toContext } from './mapping.js';
import { markDependentsStale } from './staleness-writes.js';
import { ACKNOWLEDGE, ACK_POSITION, CREATE_DELIVERIES, DELIVERIES_AFTER, DELIVERY_POSITIONS } from './statements/deliveries.js';
import { CLAIM_EXPIRED, COUNT_EXPIRED_UNANNOUNCED, RECORD_EXPIRY_EVENTS } from './statements/events.js';
import { viewerParams } from './statements/fragments.js';

/** Writes planned deliveries in the caller's (writing) transaction, each linked to the agent's previous one. */
export async function writeDeliveries(tx: TxRunner, planned: readonly PlannedDelivery[], now: string): Promise<Delivery[]> {
  if (planned.length === 0) return [];
  const agentIds = [...new Set(planned.map((p) => p.agentId))];
  const positions = await tx.run(DELIVERY_POSITIONS, { agentIds });
  const deliveries = chainDeliveries(planned, new Map(positions.map((row) => [String(row['agentId']), Number(row['lastSeq'])])));
  await tx.run(CREATE_DELIVERIES, { deliveries, now });
  return deliveries;
}

/** The durable broadcast log: replay, the acknowledged cursor, and the once-only claim of expired contexts. */
export class Neo4jDeliveryLog implements DeliveryLog {
  constructor(
    private readonly executor: Neo4jExecutor,
    private readonly clock: Clock,
    /** Dependency hops staleness follows from an expired context (STALENESS_MAX_DEPTH). */
    private readonly stalenessDepth: number,
  ) {}

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

  async acknowledge(agentId: string, seq: number): Promise<number> {
    const [row] = await this.executor.write(ACKNOWLEDGE.name, (tx) => tx.run(ACKNOWLEDGE, { agentId, seq }));
    if (!row) throw new NotFoundError('Agent', [agentId]);
    return Number(row['ackSeq']);
  }

  async ackPosition(agentId: string): Promise<number> {
    const [row] = await this.executor.readOne(ACK_POSITION, { agentId });
    if (!row) throw new NotFoundError('Agent', [agentId]);
    return Number(row['ackSeq']);
  }

  async claimExpired(
    limit: number,
    workflowId: string | null = null,
  ): Promise<{ expired: { seq: number; context: ContextRecord }[]; stale: StaleEvent[] }> {
    const now = this.clock.now().toISOString();
    // A cheap read first: most sweeps find nothing and should not take the event counter's lock.
    const [count] = await this.executor.readOne(COUNT_EXPIRED_UNANNOUNCED, { now, workflowId });
    if (Number(count?.['n'] ?? 0) === 0) return { expired: [], stale: [] };
    return this.executor.write(CLAIM_EXPIRED.name, async (tx) => {
      const rows = await tx.run(CLAIM_EXPIRED, { now, limit, workflowId });
      if (rows.length === 0) return { expired: [], stale: [] };
      const firstSeq = await reserveSeqs(tx, rows.length);
      const expired = rows.map((row, index) => ({ seq: firstSeq + index, context: toContext(row['context']) }));
      await tx.run(RECORD_EXPIRY_EVENTS, { now, by: 'system', events: expired.map((e) => ({ seq: e.seq, contextId: e.context.id })) });
      const causes = expired.map((e) => ({ id: e.context.id, cause: 'EXPIRED' as const }));
      const stale = await markDependentsStale(tx, causes, [], { now, by: 'system', maxDepth: this.stalenessDepth });
      return { expired, stale };
    });
  }
}
