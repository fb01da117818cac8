import { alias, cypher, type Alias } from '../cypher.js';
import { CONTEXT_FIELDS, VISIBLE, statement } from './fragments.js';
import { VALIDITY_AT, VALID_AT } from './valid-time.js';

/** `contexts(filter)`: the page, and what its filter left out by status or valid time. */

/** The criteria of `contexts` other than status and valid time (the cursor excluded). */
const PAGE_CRITERIA = cypher`${VISIBLE('c')}
     AND ($types IS NULL OR c.type IN $types)
     AND ($workflowIds IS NULL OR c.workflowId IN $workflowIds)
     AND ($tags IS NULL OR any(t IN c.tags WHERE t IN $tags))
     AND ($sourceAgentIds IS NULL OR c.sourceAgentId IN $sourceAgentIds)
     AND ($priorities IS NULL OR c.priority IN $priorities)
     AND ($createdAfter IS NULL OR c.createdAt >= $createdAfter)
     AND ($createdBefore IS NULL OR c.createdAt < $createdBefore)`;

/** The statuses asked for (EXPIRED is derived from `expiresAt`). */
const STATUS_SELECTED = cypher`(
       ('ACTIVE' IN $statuses AND c.status = 'ACTIVE' AND (c.expiresAt IS NULL OR c.expiresAt > $now))
       OR ('EXPIRED' IN $statuses AND c.status = 'ACTIVE' AND c.expiresAt <= $now)
       OR (c.status <> 'ACTIVE' AND c.status IN $statuses)
     )`;

/**
 * The page walks contexts newest first: the first part only seeks `createdSeq` (the index gives them in order), and
 * the criteria come after a `WITH … ORDER BY` so the planner cannot plan their disjunctions (STATUS_SELECTED,
 * VALID_AT) as a union of index seeks, which loses the order and sorted every context (docs/benchmarks.md, "The
 * current contexts page"). Checked in order, the rows stop at `$limit`. No `$after` is a bound above every seq.
 */
const FROM_CURSOR = cypher`c.createdSeq < coalesce($after, 9223372036854775807)`;

export const CONTEXTS_PAGE = statement(
  'contextsPage',
  cypher`MATCH (c:Context) USING INDEX c:Context(createdSeq)
   WHERE ${FROM_CURSOR}
   WITH c ORDER BY c.createdSeq DESC
   WITH c WHERE ${PAGE_CRITERIA}
     AND ${STATUS_SELECTED}
     AND ${VALID_AT('c')}
   RETURN c ${CONTEXT_FIELDS} AS context
   ORDER BY c.createdSeq DESC
   LIMIT toInteger($limit)`,
);

/**
 * CONTEXTS_PAGE when `$workflowIds` is given: each workflow walks the `context_workflow_created_seq` index newest
 * first (ordering by the workflow too lets the index give the order) up to `$limit`, then the newest `$limit` of all.
 * Same rows, order and cursor as CONTEXTS_PAGE with that filter (DISTINCT: a workflow named twice counts once).
 */
export const CONTEXTS_PAGE_IN_WORKFLOWS = statement(
  'contextsPageInWorkflows',
  cypher`UNWIND $workflowIds AS workflowId
   CALL (workflowId) {
     MATCH (c:Context) USING INDEX c:Context(workflowId, createdSeq)
     WHERE c.workflowId = workflowId AND ${FROM_CURSOR}
     WITH c ORDER BY c.workflowId DESC, c.createdSeq DESC
     WITH c WHERE ${PAGE_CRITERIA}
       AND ${STATUS_SELECTED}
       AND ${VALID_AT('c')}
     RETURN c ORDER BY c.workflowId DESC, c.createdSeq DESC LIMIT toInteger($limit)
   }
   WITH DISTINCT c ORDER BY c.createdSeq DESC LIMIT toInteger($limit)
   RETURN c ${CONTEXT_FIELDS} AS context
   ORDER BY c.createdSeq DESC`,
);

/**
 * Counts, by reason, the contexts whose state (the node, or a past version) `name` is left out: a status not asked
 * for first, then valid time. One rule for the current and the past (`asOf`) counts.
 */
export const LEFT_OUT_COUNTS = (name: Alias) => {
  const a = alias(name);
  return cypher`WITH CASE WHEN ${a}.status = 'ACTIVE' AND ${a}.expiresAt <= $now THEN 'EXPIRED' ELSE ${a}.status END AS status,
     ${VALIDITY_AT(name)} AS validity
   WITH CASE
       WHEN NOT status IN $statuses THEN
         CASE status WHEN 'RETRACTED' THEN 'retracted' WHEN 'SUPERSEDED' THEN 'superseded' WHEN 'EXPIRED' THEN 'expired' END
       WHEN validity = 'NOT_YET_VALID' THEN 'notYetValid'
       WHEN validity = 'NO_LONGER_VALID' THEN 'noLongerValid'
     END AS reason
   WHERE reason IS NOT NULL
   RETURN reason, count(*) AS count`;
};

/**
 * What CONTEXTS_PAGE leaves out of the same criteria, each context counted once under the first reason that
 * applies: a status not asked for (retracted, superseded, expired), then its valid time. A context left out
 * only because ACTIVE was not asked for has no reason to report and is not counted.
 */
export const CONTEXTS_LEFT_OUT = statement(
  'contextsLeftOut',
  cypher`MATCH (c:Context)
   WHERE ${PAGE_CRITERIA}
   ${LEFT_OUT_COUNTS('c')}`,
);
