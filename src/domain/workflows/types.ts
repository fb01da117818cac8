/**
 * Workflows and mandatory publishing (README "Workflows and mandatory publishing"). Plain data: no GraphQL, no driver.
 * A workflow's id is the `workflowId` its contexts carry; each step is run by one agent, in attempts.
 */

export const STEP_STATUSES = ['PENDING', 'RUNNING', 'COMPLETED'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

export const WORKFLOW_STATUSES = ['NOT_STARTED', 'IN_PROGRESS', 'COMPLETED'] as const;
export type WorkflowStatus = (typeof WORKFLOW_STATUSES)[number];

export const POLICY_MODES = ['ENFORCE', 'WARN'] as const;
export type PolicyMode = (typeof POLICY_MODES)[number];

/** One step as defined: who runs it, what it needs and produces, what it must publish, and what follows it. */
export interface StepDefinition {
  id: string;
  agentId: string;
  needs: string[];
  produces: string[];
  /** Types or tags the step must publish before it may complete (always enforced). */
  requires: string[];
  /** Ids of the steps that follow it (same workflow; cycles allowed). */
  next: string[];
}

export interface WorkflowDefinition {
  id: string;
  name: string;
  steps: StepDefinition[];
}

/** Where a step's run stands. Seqs are event-log positions: the attempt covers contexts created after `startedSeq`. */
export interface StepRunState {
  status: StepStatus;
  /** 0 until first started; each start from PENDING or COMPLETED adds one. */
  attempt: number;
  startedSeq: number | null;
  startedAt: string | null;
  /** Agent id or `admin`. */
  startedBy: string | null;
  /** Event position at completion: the attempt's contexts are those created in (startedSeq, completedSeq]. */
  completedSeq: number | null;
  completedAt: string | null;
  completedBy: string | null;
}

export interface StepRecord extends StepDefinition, StepRunState {
  workflowId: string;
  /** Order in the definition (0-based). */
  position: number;
}

export interface WorkflowRecord {
  id: string;
  name: string;
  definedAt: string;
  updatedAt: string;
  /** `admin` (defining is admin-only). */
  definedBy: string;
  /** In definition order. */
  steps: StepRecord[];
}

/** Which steps a policy is about: exactly one of an agent, a role, or one workflow step. */
export type PolicyTarget =
  { kind: 'AGENT'; agentId: string } | { kind: 'ROLE'; role: string } | { kind: 'STEP'; workflowId: string; stepId: string };

export interface PublishingPolicy {
  id: string;
  target: PolicyTarget;
  /** Types or tags (matched like a step's `requires`). */
  requires: string[];
  mode: PolicyMode;
  createdAt: string;
  updatedAt: string;
  setBy: string;
}

/** A WARN policy's requirement left unmet when a step completed. */
export interface PolicyViolation {
  id: string;
  policyId: string;
  workflowId: string;
  stepId: string;
  agentId: string;
  attempt: number;
  missing: string[];
  at: string;
  /** The POLICY_VIOLATION context that told the step's agent. */
  contextId: string;
}

/** What requirement matching reads of a context. */
export interface PublishedContext {
  id: string;
  type: string;
  tags: readonly string[];
  status: string;
}

/** The step a policy may apply to, with its agent's role. */
export interface StepTarget {
  workflowId: string;
  stepId: string;
  agentId: string;
  role: string | null;
}

/**
 * The mesh's own agent: the source of the contexts the mesh publishes to tell an agent something (POLICY_VIOLATION).
 * It has no API key (nobody acts as it); it is created the first time it publishes, and the id is reserved.
 */
export const MESH_AGENT_ID = 'context-mesh';
