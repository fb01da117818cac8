import type { IdempotencyClaim, NewContext, WriteResult } from '../store-ports.js';
import type { ContextRecord, Viewer } from '../types.js';
import type { PolicyOutcome } from './requirements.js';
import type { RunningStep } from './stand-in.js';
import type {
  PolicyTarget,
  PolicyMode,
  PolicyViolation,
  PublishedContext,
  PublishingPolicy,
  StepRecord,
  WorkflowDefinition,
  WorkflowRecord,
} from './types.js';

export interface StepRef {
  workflowId: string;
  stepId: string;
}

/** What deciding a completion reads: the step, its agent's role, the policies that may apply, the attempt's contexts. */
export interface CompletionInputs {
  step: StepRecord;
  role: string | null;
  policies: PublishingPolicy[];
  /** Every context the step's agent created in the workflow during the attempt (not filtered by any reader). */
  contexts: PublishedContext[];
}

/**
 * The POLICY_VIOLATION notice, prepared (embedded, counted, recipients planned) before the transaction for the
 * warnings the use-case expects (`key`: `warningsKey`). The transaction writes it only if it finds the same warnings.
 */
export interface PreparedNotice {
  key: string;
  context: NewContext;
}

export type CompletionResult =
  | {
      outcome: 'completed';
      step: StepRecord;
      violations: PolicyViolation[];
      /** The notice's write (events, deliveries), for the broadcaster; null when none was published or on a replay. */
      write: WriteResult | null;
    }
  /** The transaction found other warnings than the notice was prepared for (a publish raced it); nothing was written. */
  | { outcome: 'replan'; attempt: number; warnings: PolicyOutcome[] };

/** One attempt's window of contexts: `agentId`'s contexts in the workflow with createdSeq in (after, until]. */
export interface AttemptWindowQuery {
  workflowId: string;
  agentId: string;
  after: number;
  until: number | null;
}

/** A context of an attempt, and whether the reader may read it. */
export interface AttemptContext {
  context: ContextRecord;
  visible: boolean;
}

/** Workflows and their steps' run state (src/adapters/neo4j/workflow-store.ts). Each write is one transaction. */
export interface WorkflowStore {
  /**
   * Creates or replaces the definition (steps keep their run state by id; removed steps go). NOT_FOUND for an
   * unknown agent. A replayed idempotency key returns the current workflow.
   */
  define(definition: WorkflowDefinition, by: string, idempotency: IdempotencyClaim | null): Promise<WorkflowRecord>;
  /** In key order; null where absent. */
  getMany(ids: readonly string[]): Promise<(WorkflowRecord | null)[]>;
  list(limit: number): Promise<WorkflowRecord[]>;
  /** The agent's RUNNING steps, most recently started first, at most `limit`. */
  runningStepsOf(agentId: string, limit: number): Promise<RunningStep[]>;
  /** Null when the workflow or step does not exist. */
  completionInputs(ref: StepRef): Promise<CompletionInputs | null>;
  /** startStep under the step's lock (`startTransition`); NOT_FOUND for an unknown workflow or step. */
  start(ref: StepRef, viewer: Viewer, idempotency: IdempotencyClaim | null): Promise<StepRecord>;
  /**
   * completeStep under the step's lock (`evaluateRequirements`, `completeTransition`): marks it COMPLETED, records
   * the WARN violations and publishes `notice` (sourced to the mesh) in the same transaction.
   */
  complete(ref: StepRef, viewer: Viewer, idempotency: IdempotencyClaim | null, notice: PreparedNotice | null): Promise<CompletionResult>;
  /** Per window, in order: the contexts (not retracted), oldest first, each with whether `viewer` may read it. */
  attemptContexts(windows: readonly AttemptWindowQuery[], viewer: Viewer): Promise<AttemptContext[][]>;
}

export interface NewPolicy {
  id: string;
  target: PolicyTarget;
  requires: string[];
  mode: PolicyMode;
  setBy: string;
}

export interface ViolationFilter {
  workflowId: string | null;
  agentId: string | null;
  limit: number;
}

/** Publishing policies and recorded violations (src/adapters/neo4j/policy-store.ts). */
export interface PolicyStore {
  list(limit: number): Promise<PublishingPolicy[]>;
  /** Creates or replaces the policy with that id. NOT_FOUND for an unknown agent, workflow or step it names. */
  set(policy: NewPolicy, idempotency: IdempotencyClaim | null): Promise<PublishingPolicy>;
  /** False when there was none. */
  remove(id: string, idempotency: IdempotencyClaim | null): Promise<boolean>;
  /** Newest first. */
  violations(filter: ViolationFilter): Promise<PolicyViolation[]>;
}
