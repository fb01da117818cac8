import type { Agent, ContextRecord, Viewer } from '../types.js';
import type { EscalationRule } from './escalation.js';
import type { ConflictEscalation, ConflictRecord, ConflictStatus, NewConflict } from './conflict.js';

/** A context considered as a consensus input, as the caller may read it. */
export interface InputRecord {
  context: ContextRecord;
  /** The producing agent's trust (its default when unset). */
  trust: number;
  /** Only when asked for (similarity grouping). */
  embedding: number[] | null;
}

export interface InputQuery {
  viewer: Viewer;
  now: string;
  limit: number;
  withEmbedding: boolean;
}

/** What consensus needs from the store (src/adapters/neo4j/consensus-store.ts). */
export interface ConsensusStore {
  inputsByClaim(claim: string, query: InputQuery): Promise<InputRecord[]>;
  inputsByIds(ids: readonly string[], query: InputQuery): Promise<InputRecord[]>;
  claimlessFindings(workflowId: string | null, query: InputQuery): Promise<InputRecord[]>;
  /** The active CONSENSUS contexts on a claim, oldest first (`stale`: marked by drift since it was built). */
  currentConsensus(claim: string): Promise<{ id: string; sourceAgentId: string; content: unknown; stale: boolean }[]>;
  /** Null when the agent does not exist. */
  setAgentTrust(agentId: string, trust: number): Promise<Agent | null>;
  escalationRules(claim: string | null, tags: readonly string[]): Promise<EscalationRule[]>;
  /** An empty `agentIds` removes the rule. */
  setEscalation(rule: EscalationRule): Promise<EscalationRule>;
  /** Records the conflict and its deliveries to `escalatedTo` in one transaction; returns it with the feeds' entries. */
  /**
   * Records it, unless an open conflict with the same `fingerprint` exists: then that one is returned with
   * `recorded: false`, no deliveries and no feed entry (a re-run or retry escalates once).
   */
  recordConflict(
    conflict: NewConflict,
    fingerprint: string,
  ): Promise<{
    recorded: boolean;
    conflict: ConflictRecord;
    deliveries: (ConflictEscalation & { agentId: string })[];
    adminFeed: ConflictEscalation | null;
  }>;
  conflicts(viewer: Viewer, status: ConflictStatus | null, claim: string | null, limit: number): Promise<ConflictRecord[]>;
  conflict(viewer: Viewer, id: string): Promise<ConflictRecord | null>;
  /** Settles it if open; `settled: false` with the current record when it was already resolved. Null when absent. */
  resolve(
    id: string,
    resolution: { position: string; rationale: string | null; by: string; consensusId: string; now: string },
  ): Promise<{ settled: boolean; conflict: ConflictRecord } | null>;
  reopen(id: string, consensusId: string): Promise<void>;
  /** An agent's escalations (`agentId`), or every conflict (null: the admins' feed), after `afterSeq`. */
  escalationsAfter(agentId: string | null, afterSeq: number, limit: number): Promise<ConflictEscalation[]>;
}
