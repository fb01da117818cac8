import type { Delivery, LoggedDelivery } from './broadcast/delivery.js';
import type { ConfidenceDecayPolicy } from './staleness.js';
import type {
  Agent,
  ContextRecord,
  ContextStatus,
  ContextType,
  ContextVersionRecord,
  DependencyEdge,
  Direction,
  Priority,
  RelevanceEntry,
  StoredChangeKind,
  Viewer,
} from './types.js';

/** A write's idempotency: repeats with the same key return the first result and write nothing. */
export interface IdempotencyClaim {
  /** Scoped key: caller identity + operation + client key. */
  key: string;
  /** Hash of the request, so a key reused for a different request is refused. */
  requestHash: string;
}

export interface NewAgent extends Omit<Agent, 'createdAt'> {
  apiKeyHash: string;
  /** Embedding of the agent's declared needs (null when none): routing and publish-time relevance use it. */
  needsEmbedding: number[] | null;
  /** A spawned agent's own scope level (README "Inheritance"); absent/null for a registered agent. */
  scope?: { inherit: string[]; isolate: string[]; shadowedClaims: string[] } | null;
}

export interface AgentStore {
  create(agent: NewAgent, idempotency: IdempotencyClaim | null): Promise<{ agent: Agent; replayed: boolean }>;
  /** Results in key order; null where no agent has that id. */
  getMany(ids: readonly string[]): Promise<(Agent | null)[]>;
  findByKeyHash(apiKeyHash: string): Promise<Agent | null>;
  list(limit: number): Promise<Agent[]>;
  childrenOf(parentIds: readonly string[]): Promise<Agent[][]>;
}

/** A context ready to store: validated, embedded and token-counted by the use-case. */
export interface NewContext {
  id: string;
  type: ContextType;
  text: string;
  content: unknown;
  tags: string[];
  priority: Priority;
  confidence: number;
  dependencies: string[];
  expiresAt: string | null;
  /** Valid time (see src/domain/valid-time.ts); null = unbounded. */
  validFrom: string | null;
  validUntil: string | null;
  relevance: { agentId: string; score: number }[];
  visibleTo: string[] | null;
  sourceAgentId: string;
  tokens: number;
  embedding: number[];
  /** Normalised tags, stored as Topic nodes so needs can be matched through an index. */
  topicKeys: string[];
  /** Relevance to registered agents computed at publish time (explicit: false). */
  computedRelevance: { agentId: string; score: number }[];
  /** Contexts this one replaces: they become SUPERSEDED in the same transaction. */
  supersedes: string[];
  workflowId: string | null;
  /** The question it answers (normalised key) and its answer; null when absent (see src/domain/consensus/). */
  claim: string | null;
  position: string | null;
  /** Agents to deliver it to now (selective broadcasting), with the reason. */
  recipients: { agentId: string; reason: string }[];
}

/** Changes to apply; `undefined` keeps a field, `null` clears an optional one. */
export interface ContextChanges {
  text?: { text: string; tokens: number; embedding: number[] };
  content?: unknown;
  tags?: { tags: string[]; topicKeys: string[] };
  priority?: Priority;
  confidence?: number;
  dependencies?: string[];
  expiresAt?: string | null;
  validFrom?: string | null;
  validUntil?: string | null;
  relevance?: { agentId: string; score: number }[];
  visibleTo?: string[] | null;
  claim?: string | null;
  position?: string | null;
  /** Replaces the computed relevance (after a change of text or tags). */
  computedRelevance?: { agentId: string; score: number }[];
  /** Agents to deliver the new version to. */
  recipients?: { agentId: string; reason: string }[];
}

/** Criteria of `contexts`; null = no filter on that field. */
export interface ContextFilter {
  types: ContextType[] | null;
  workflowIds: string[] | null;
  tags: string[] | null;
  sourceAgentIds: string[] | null;
  statuses: ContextStatus[];
  priorities: Priority[] | null;
  createdAfter: string | null;
  createdBefore: string | null;
}

/** Contexts that matched a `contexts` filter but were left out, by the first reason that applies (in this order). */
export interface LeftOutCounts {
  retracted: number;
  superseded: number;
  expired: number;
  noLongerValid: number;
  notYetValid: number;
}

export interface Supersession {
  supersedes: ContextRecord[];
  supersededBy: ContextRecord | null;
}

/** What a committed write produced, for the live bus. Empty when nothing was written (a replay or a no-op). */
/** One committed change of a context, as the broadcaster announces it. */
export interface WrittenEvent {
  contextId: string;
  seq: number;
  change: StoredChangeKind;
  /** For STALE: the context that stopped holding. */
  causeId?: string;
  /** For STALE: the agents to tell (its producer, and those it was routed or broadcast to). */
  notify?: string[];
}

/** A context marked stale by a write or the validation pass (see src/domain/staleness.ts). */
export interface StaleEvent extends WrittenEvent {
  change: 'STALE';
  causeId: string;
  notify: string[];
}

export interface WriteResult {
  replayed: boolean;
  /** Event seqs of the changes, by context id (superseded contexts, and dependents made stale, included). */
  events: WrittenEvent[];
  deliveries: Delivery[];
}

export interface ReachedContext {
  rootId: string;
  context: ContextRecord;
  distance: number;
}

/** Writes of context objects; each is one transaction with its version snapshots, events and deliveries. */
export interface ContextWrites {
  /** All or nothing, in one transaction, with its deliveries; a replayed request returns no deliveries. */
  publish(items: NewContext[], viewer: Viewer, idempotency: IdempotencyClaim | null): Promise<WriteResult & { ids: string[] }>;
  update(
    id: string,
    expectedVersion: number,
    changes: ContextChanges,
    viewer: Viewer,
    idempotency: IdempotencyClaim | null,
  ): Promise<WriteResult>;
  retract(id: string, reason: string, viewer: Viewer, idempotency: IdempotencyClaim | null): Promise<WriteResult>;
}

/** Reads of context objects, always as a viewer may see them unless said otherwise. */
export interface ContextReads {
  /** Results in key order; null where missing or not visible to the viewer. */
  getMany(ids: readonly string[], viewer: Viewer): Promise<(ContextRecord | null)[]>;
  getAsOf(id: string, asOfSeq: number, viewer: Viewer): Promise<ContextRecord | null>;
  /** Only contexts valid at `validAt` (valid time, see src/domain/valid-time.ts). */
  page(filter: ContextFilter, afterSeq: number | null, limit: number, viewer: Viewer, validAt: string): Promise<ContextRecord[]>;
  /** What `page` left out of the whole filter (cursor ignored) because of its status or valid time; one count statement. */
  leftOut(filter: ContextFilter, viewer: Viewer, validAt: string): Promise<LeftOutCounts>;
  directDependencyIds(ids: readonly string[], viewer: Viewer): Promise<string[][]>;
  reach(rootIds: readonly string[], direction: Direction, depth: number, viewer: Viewer): Promise<ReachedContext[]>;
  edgesAmong(ids: readonly string[]): Promise<DependencyEdge[]>;
  relevance(ids: readonly string[]): Promise<RelevanceEntry[][]>;
  /** Version dependencies the viewer cannot read are left out. */
  history(ids: readonly string[], viewer: Viewer): Promise<ContextVersionRecord[][]>;
  /** What each context replaced and what replaced it (visible ones only), in key order. */
  supersessions(ids: readonly string[], viewer: Viewer): Promise<Supersession[]>;
  /** The JSON content of each context, in key order (undefined where missing). */
  content(ids: readonly string[]): Promise<unknown[]>;
}

/** The context objects: their writes and reads. */
export interface ContextStore extends ContextWrites, ContextReads {}

/** The durable broadcast log (deliveries are written by `ContextWrites` in the writing transaction) and expiry. */
export interface DeliveryLog {
  /** An agent's deliveries after `afterSeq`, oldest first. */
  deliveriesAfter(agentId: string, afterSeq: number, limit: number, workflowId: string | null): Promise<LoggedDelivery[]>;
  /** Moves the agent's acknowledged position forward (never back); returns the position now. */
  acknowledge(agentId: string, seq: number): Promise<number>;
  ackPosition(agentId: string): Promise<number>;
  /**
   * Contexts that expired since the last call (claimed once across all processes), with the seq of their EXPIRED
   * event, and what depends on them, made stale in the same transaction.
   */
  claimExpired(
    limit: number,
    workflowId?: string | null,
  ): Promise<{ expired: { seq: number; context: ContextRecord }[]; stale: StaleEvent[] }>;
}

/** The checks of drift's periodic validation pass (src/app/drift/validation-pass.ts). */
export interface DriftChecks {
  /** Active contexts resting directly on one that does not hold (and what rests on them) become stale; at most about `limit`. */
  markOnInactiveDependencies(limit: number, workflowId: string | null): Promise<StaleEvent[]>;
  /** Active contexts whose confidence decayed below the floor become stale; at most `limit`. */
  markDecayed(policy: ConfidenceDecayPolicy, limit: number, workflowId: string | null): Promise<StaleEvent[]>;
}

/** Whether the store answers (readiness). */
export interface StoreHealth {
  ping(): Promise<void>;
}
