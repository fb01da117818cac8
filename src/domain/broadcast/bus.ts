/**
 * Live fan-out of committed events to the subscribers of this process and, with Redis, of every
 * process. The durable log in Neo4j stays the source of truth: a message lost here is recovered by
 * the subscriber from the log (each delivery names the agent's previous delivery, so gaps show).
 */
import type { ConflictRecord } from '../consensus/conflict.js';
import type { ContextChangeKind, ContextRecord } from '../types.js';

/** A delivery to one agent, published after its transaction committed. */
export interface DeliveryMessage {
  kind: 'delivery';
  agentId: string;
  /** Event sequence number of the change that caused it; the agent's stream is ordered by it. */
  seq: number;
  /** Seq of this agent's previous delivery (0 for its first): a subscriber that has not seen it has a gap. */
  prevSeq: number;
  contextId: string;
  reason: string;
  /** The context as committed, so subscribers need not read it back (JSON-serialisable). */
  context: ContextRecord;
}

/** A change to a context, for observers (contextPublished / contextChanged). */
export interface ContextEventMessage {
  kind: 'context';
  seq: number;
  change: ContextChangeKind;
  contextId: string;
  /** The context after the change (for DEPENDENCY_CHANGED: the dependent, unchanged itself). */
  context: ContextRecord;
  /** For DEPENDENCY_CHANGED: the dependency that changed; for STALE: the context that stopped holding. */
  causeId: string | null;
  /** For STALE: the agents to tell (its producer, and those it was routed or broadcast to). */
  notify?: string[];
}

/** A conflict escalated (consensus): to one agent (on its topic) or, with `agentId` null, to the admins' feed of all conflicts. */
export interface ConflictMessage {
  kind: 'conflict';
  agentId: string | null;
  seq: number;
  /** The previous escalation of the same feed (0 for the first): a gap sends the subscriber to the log. */
  prevSeq: number;
  conflictId: string;
  conflict: ConflictRecord;
}

export type BusMessage = DeliveryMessage | ContextEventMessage | ConflictMessage;

export type BusTopic = { kind: 'agent'; agentId: string } | { kind: 'contexts' } | { kind: 'conflicts' };

export interface MessageBus {
  /** Publishes to every subscriber of the topic, in this process and (if distributed) in others. */
  publish(topic: BusTopic, messages: readonly BusMessage[]): Promise<void>;
  /** Calls `listener` for each message on the topic until the returned function is called. */
  subscribe(topic: BusTopic, listener: (message: BusMessage) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export function topicKey(topic: BusTopic): string {
  switch (topic.kind) {
    case 'agent':
      return `agent:${topic.agentId}`;
    case 'contexts':
      return 'contexts';
    case 'conflicts':
      return 'conflicts';
    default: {
      const unreachable: never = topic;
      return unreachable;
    }
  }
}
