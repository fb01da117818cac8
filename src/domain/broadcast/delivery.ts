import type { ContextRecord } from '../types.js';

/** One durable delivery of a context to an agent. */
export interface Delivery {
  agentId: string;
  /** Event seq of the change that caused it. */
  seq: number;
  /** The agent's previous delivery seq (0 for the first). */
  prevSeq: number;
  contextId: string;
  reason: string;
}

/** A delivery read back from the log: `context` is null when the agent may no longer read it (or it is outside the workflow). */
export interface LoggedDelivery extends Delivery {
  context: ContextRecord | null;
}

/** A recipient chosen for a change (see selection.ts), before it gets its place in the agent's chain. */
export interface PlannedDelivery {
  agentId: string;
  contextId: string;
  seq: number;
  reason: string;
}

/**
 * Gives planned deliveries their place in each agent's chain: sorted by seq, each names the one before it
 * (`lastSeqByAgent` is where each agent's chain ended before this transaction).
 */
export function chainDeliveries(planned: readonly PlannedDelivery[], lastSeqByAgent: ReadonlyMap<string, number>): Delivery[] {
  const last = new Map(lastSeqByAgent);
  return [...planned]
    .sort((a, b) => a.seq - b.seq || a.agentId.localeCompare(b.agentId))
    .map((p) => {
      const prevSeq = last.get(p.agentId) ?? 0;
      last.set(p.agentId, p.seq);
      return { ...p, prevSeq };
    });
}
