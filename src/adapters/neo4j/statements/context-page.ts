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

export const CONTEXTS_PAGE = statement(
  'contextsPage',
  cypher`MATCH (c:Context)
   WHERE ${PAGE_CRITERIA}
     AND ($after IS NULL OR c.createdSeq < $after)
     AND ${STATUS_SELECTED}
     AND ${VALID_AT('c')}
   RETURN c ${CONTEXT_FIELDS} AS context
   ORDER BY c.createdSeq DESC
   LIMIT toInteger($limit)`,
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
