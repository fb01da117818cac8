import { cypher } from '../cypher.js';
import { CONTEXT_FIELDS, VISIBLE, statement } from './fragments.js';

/**
 * Workflows (src/app/workflows/): `(:Workflow { id, name, definedAt, updatedAt, definedBy })-[:HAS_STEP]->
 * (:WorkflowStep { workflowId, id, position, agentId, needs, produces, requires, next, status, attempt, startedSeq,
 * startedAt, startedBy, completedSeq, completedAt, completedBy })`, `:PublishingPolicy { id, kind, agentId, role,
 * roleKey, workflowId, stepId, requires, mode, createdAt, updatedAt, setBy }` and `:PolicyViolation { id, policyId,
 * workflowId, stepId, agentId, attempt, missing, at, contextId }`. Statuses travel as parameters.
 */

const STEP_FIELDS = cypher`{ .workflowId, .id, .position, .agentId, .needs, .produces, .requires, .next, .status, .attempt,
  .startedSeq, .startedAt, .startedBy, .completedSeq, .completedAt, .completedBy }`;
const WORKFLOW_FIELDS = cypher`{ .id, .name, .definedAt, .updatedAt, .definedBy }`;
const POLICY_FIELDS = cypher`{ .id, .kind, .agentId, .role, .workflowId, .stepId, .requires, .mode, .createdAt, .updatedAt, .setBy }`;
const VIOLATION_FIELDS = cypher`{ .id, .policyId, .workflowId, .stepId, .agentId, .attempt, .missing, .at, .contextId }`;

/** A workflow's steps in definition order. */
const STEPS_OF_W = cypher`CALL (w) {
     OPTIONAL MATCH (w)-[:HAS_STEP]->(s:WorkflowStep)
     WITH s ORDER BY s.position
     RETURN collect(s ${STEP_FIELDS}) AS steps
   }`;

/**
 * Creates or replaces a definition: steps no longer listed go (with their edge), listed ones keep their run state by
 * id (new ones start PENDING at attempt 0) and take the new definition.
 */
export const DEFINE_WORKFLOW = statement(
  'defineWorkflow',
  cypher`MERGE (w:Workflow { id: $id })
   ON CREATE SET w.definedAt = $now
   SET w.name = $name, w.updatedAt = $now, w.definedBy = $by
   WITH w
   CALL (w) {
     MATCH (w)-[:HAS_STEP]->(old:WorkflowStep) WHERE NOT old.id IN [step IN $steps | step.id]
     DETACH DELETE old
   }
   WITH w
   UNWIND $steps AS step
   MERGE (s:WorkflowStep { workflowId: w.id, id: step.id })
   ON CREATE SET s.status = $pending, s.attempt = 0
   SET s.position = toInteger(step.position), s.agentId = step.agentId, s.needs = step.needs, s.produces = step.produces,
     s.requires = step.requires, s.next = step.next
   MERGE (w)-[:HAS_STEP]->(s)
   RETURN count(s) AS steps`,
);

export const WORKFLOWS_BY_IDS = statement(
  'workflowsByIds',
  cypher`UNWIND $ids AS id
   MATCH (w:Workflow { id: id })
   ${STEPS_OF_W}
   RETURN w ${WORKFLOW_FIELDS} AS workflow, steps`,
);

export const ALL_WORKFLOWS = statement(
  'allWorkflows',
  cypher`MATCH (w:Workflow)
   WITH w ORDER BY w.definedAt, w.id LIMIT toInteger($limit)
   ${STEPS_OF_W}
   RETURN w ${WORKFLOW_FIELDS} AS workflow, steps`,
);

/** Takes the step's write lock (two starts or completions of one step run one after the other); says what exists. */
export const LOCK_STEP = statement(
  'lockWorkflowStep',
  cypher`OPTIONAL MATCH (w:Workflow { id: $workflowId })
   OPTIONAL MATCH (s:WorkflowStep { workflowId: $workflowId, id: $stepId })
   FOREACH (_ IN CASE WHEN s IS NULL THEN [] ELSE [1] END | SET s.lockedAt = $now)
   RETURN w IS NOT NULL AS workflowExists, s IS NOT NULL AS stepExists`,
);

/** The agent's running steps with their workflows' names, most recently started first (contextFor without a task). */
export const RUNNING_STEPS_OF_AGENT = statement(
  'runningStepsOfAgent',
  cypher`MATCH (s:WorkflowStep { agentId: $agentId, status: $running })
   MATCH (w:Workflow { id: s.workflowId })
   RETURN s ${STEP_FIELDS} AS step, w.name AS workflowName
   ORDER BY s.startedSeq DESC, s.workflowId, s.id
   LIMIT toInteger($limit)`,
);

/** The step and its agent's role. */
export const STEP_STATE = statement(
  'workflowStepState',
  cypher`MATCH (s:WorkflowStep { workflowId: $workflowId, id: $stepId })
   OPTIONAL MATCH (a:Agent { id: s.agentId })
   RETURN s ${STEP_FIELDS} AS step, a.role AS role`,
);

export const SET_STEP_STATE = statement(
  'setWorkflowStepState',
  cypher`MATCH (s:WorkflowStep { workflowId: $workflowId, id: $stepId })
   SET s.status = $state.status, s.attempt = toInteger($state.attempt), s.startedSeq = toInteger($state.startedSeq),
     s.startedAt = $state.startedAt, s.startedBy = $state.startedBy, s.completedSeq = toInteger($state.completedSeq),
     s.completedAt = $state.completedAt, s.completedBy = $state.completedBy
   RETURN s ${STEP_FIELDS} AS step`,
);

/** The policies that may apply to a step: for its agent, its agent's role (`$roleKey`, null: none) or the step itself. */
export const POLICIES_FOR_STEP = statement(
  'policiesForStep',
  cypher`MATCH (p:PublishingPolicy)
   WHERE p.agentId = $agentId OR p.roleKey = $roleKey OR (p.workflowId = $workflowId AND p.stepId = $stepId)
   RETURN p ${POLICY_FIELDS} AS policy ORDER BY p.id`,
);

/**
 * Per window (index `i`): the agent's contexts in the workflow created in (after, until], not retracted, oldest
 * first, each with whether the viewer may read it. The (workflowId, createdSeq) index finds them.
 */
export const ATTEMPT_CONTEXTS = statement(
  'attemptContexts',
  cypher`UNWIND range(0, size($windows) - 1) AS i
   WITH i, $windows[i] AS win
   MATCH (c:Context { workflowId: win.workflowId })
   WHERE c.createdSeq > win.after AND (win.until IS NULL OR c.createdSeq <= win.until)
     AND c.sourceAgentId = win.agentId AND c.status <> $retracted
   RETURN i, c ${CONTEXT_FIELDS} AS context, ${VISIBLE('c')} AS visible
   ORDER BY i, c.createdSeq`,
);

/** The mesh's own agent (no API key), created the first time the mesh publishes; `system` tells it from a namesake. */
export const ENSURE_MESH_AGENT = statement(
  'ensureMeshAgent',
  cypher`MERGE (a:Agent { id: $id })
   ON CREATE SET a.name = $name, a.role = $role, a.needs = [], a.produces = [], a.relevanceThreshold = 1.0,
     a.tokenBudget = toInteger(1), a.createdAt = $now, a.system = true
   RETURN coalesce(a.system, false) AS system`,
);

export const CREATE_VIOLATIONS = statement(
  'createPolicyViolations',
  cypher`UNWIND $violations AS v
   CREATE (:PolicyViolation { id: v.id, policyId: v.policyId, workflowId: v.workflowId, stepId: v.stepId, agentId: v.agentId,
     attempt: toInteger(v.attempt), missing: v.missing, at: $now, contextId: v.contextId })`,
);

export const VIOLATIONS = statement(
  'policyViolations',
  cypher`MATCH (v:PolicyViolation)
   WHERE ($workflowId IS NULL OR v.workflowId = $workflowId) AND ($agentId IS NULL OR v.agentId = $agentId)
   RETURN v ${VIOLATION_FIELDS} AS violation
   ORDER BY v.at DESC, v.id LIMIT toInteger($limit)`,
);

export const SET_POLICY = statement(
  'setPublishingPolicy',
  cypher`MERGE (p:PublishingPolicy { id: $p.id })
   ON CREATE SET p.createdAt = $now
   SET p.kind = $p.kind, p.agentId = $p.agentId, p.role = $p.role, p.roleKey = $p.roleKey, p.workflowId = $p.workflowId,
     p.stepId = $p.stepId, p.requires = $p.requires, p.mode = $p.mode, p.updatedAt = $now, p.setBy = $p.setBy
   RETURN p ${POLICY_FIELDS} AS policy`,
);

export const REMOVE_POLICY = statement(
  'removePublishingPolicy',
  cypher`OPTIONAL MATCH (p:PublishingPolicy { id: $id })
   WITH p, p IS NOT NULL AS removed
   DELETE p
   RETURN removed`,
);

export const ALL_POLICIES = statement(
  'allPublishingPolicies',
  cypher`MATCH (p:PublishingPolicy) RETURN p ${POLICY_FIELDS} AS policy ORDER BY p.id LIMIT toInteger($limit)`,
);

export const STEP_PRESENCE = statement(
  'workflowStepPresence',
  cypher`OPTIONAL MATCH (s:WorkflowStep { workflowId: $workflowId, id: $stepId }) RETURN s IS NOT NULL AS exists`,
);

export const POLICY_BY_ID = statement(
  'publishingPolicyById',
  cypher`MATCH (p:PublishingPolicy { id: $id }) RETURN p ${POLICY_FIELDS} AS policy`,
);
