import { cypher, pathBound } from '../cypher.js';
import type { Statement } from '../executor.js';
import { VISIBLE, statement } from './fragments.js';

/**
 * The Context Map from real traffic (src/app/context-map-service.ts): bounded reads of published contexts, of the
 * dependency closure of a workflow's outputs, and of step failures; `:StepFailure { id, kind, workflowId, stepId,
 * agentId, attempt, missing, at }` written by startStep / completeStep in a write of its own. Contexts are read with
 * the viewer's `VISIBLE` flag, never filtered by it (counts include what the viewer may not read).
 */

const MAPPED = cypher`{ .id, .sourceAgentId, .type, .tags, .workflowId, .createdAt }`;

export const MAPPED_CONTEXTS_BY_IDS = statement(
  'contextMapContextsByIds',
  cypher`UNWIND $ids AS id
   MATCH (c:Context { id: id })
   RETURN c ${MAPPED} AS context, ${VISIBLE('c')} AS visible`,
);

/** Contexts created in [from, to), in the workflow when given, newest first, at most $first. */
export const PUBLISHED_IN_RANGE = statement(
  'contextMapPublishedInRange',
  cypher`MATCH (c:Context)
   WHERE ($workflowId IS NULL OR c.workflowId = $workflowId)
     AND ($from IS NULL OR c.createdAt >= $from) AND ($to IS NULL OR c.createdAt < $to)
   WITH c ORDER BY c.createdAt DESC, c.id LIMIT toInteger($first)
   RETURN c ${MAPPED} AS context, ${VISIBLE('c')} AS visible`,
);

const closureCache = new Map<number, Statement>();

/** The roots and every context within `depth` DEPENDS_ON hops of them, at most $first (one statement per depth). */
export function dependencyClosure(depth: number): Statement {
  const cached = closureCache.get(depth);
  if (cached) return cached;
  const created = statement(
    'contextMapDependencyClosure' + depth,
    cypher`UNWIND $ids AS rootId
     MATCH (root:Context { id: rootId })
     CALL (root) {
       MATCH p = ANY SHORTEST (root)(()-[:DEPENDS_ON]->(:Context))${pathBound(depth)}(n:Context)
       RETURN n
       UNION
       RETURN root AS n
     }
     WITH DISTINCT n LIMIT toInteger($first)
     RETURN n ${MAPPED} AS context, ${VISIBLE('n')} AS visible`,
  );
  closureCache.set(depth, created);
  return created;
}

export const EDGES_AMONG_MAPPED = statement(
  'contextMapEdgesAmong',
  cypher`UNWIND $ids AS id
   MATCH (a:Context { id: id })-[:DEPENDS_ON]->(b:Context)
   WHERE b.id IN $ids
   RETURN a.id AS from, b.id AS to`,
);

/** Records a failure once per id. */
export const RECORD_STEP_FAILURE = statement(
  'recordStepFailure',
  cypher`MERGE (f:StepFailure { id: $f.id })
   ON CREATE SET f.kind = $f.kind, f.workflowId = $f.workflowId, f.stepId = $f.stepId, f.agentId = $f.agentId,
     f.attempt = toInteger($f.attempt), f.missing = $f.missing, f.at = $f.at`,
);

/** Step failures and WARN policy violations (as POLICY_WARNING) in [from, to), newest first, at most $first. */
export const STEP_FAILURES_IN_RANGE = statement(
  'contextMapStepFailures',
  cypher`CALL () {
     MATCH (f:StepFailure)
     WHERE ($workflowId IS NULL OR f.workflowId = $workflowId) AND ($from IS NULL OR f.at >= $from) AND ($to IS NULL OR f.at < $to)
     RETURN f { .id, .kind, .workflowId, .stepId, .agentId, .attempt, .missing, .at, policyId: null } AS failure
     UNION ALL
     MATCH (v:PolicyViolation)
     WHERE ($workflowId IS NULL OR v.workflowId = $workflowId) AND ($from IS NULL OR v.at >= $from) AND ($to IS NULL OR v.at < $to)
     RETURN v { .id, kind: $policyWarning, .workflowId, .stepId, .agentId, .attempt, .missing, .at, .policyId } AS failure
   }
   WITH failure ORDER BY failure.at DESC, failure.id LIMIT toInteger($first)
   RETURN failure`,
);

/** The distinct types and tags of the workflow's contexts (not retracted) the viewer may read. */
export const READABLE_TOPICS = statement(
  'contextMapReadableTopics',
  cypher`MATCH (c:Context { workflowId: $workflowId })
   WHERE c.status <> $retracted AND ${VISIBLE('c')}
   WITH collect(DISTINCT c.type) AS types, collect(c.tags) AS tagLists
   RETURN types, reduce(acc = [], tags IN tagLists | acc + [t IN coalesce(tags, []) WHERE NOT t IN acc]) AS tags`,
);
