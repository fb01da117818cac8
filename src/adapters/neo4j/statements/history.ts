import { alias, cypher, type Alias } from '../cypher.js';
import { CONTEXT_FIELDS, VISIBLE_VERSION, statement } from './fragments.js';
import { VALID_AT } from './valid-time.js';
import { LEFT_OUT_COUNTS } from './context-page.js';

/**
 * Reads of the past (time travel): the state of context `c` as of seq `$asOf` is its version with the
 * greatest `seq <= $asOf` (none: it did not exist yet), read by that version's own visibility
 * (VISIBLE_VERSION). Expiry and valid time as of the point are judged at `$now` / `$validAt`, the time of
 * event `$asOf` unless the caller chose another valid time. Current-state reads never go through here.
 */

/** Binds `v` to the version of `c` current at `$asOf` (no row when `c` had none yet). */
export const VERSION_AS_OF = cypher`CALL (c) {
     MATCH (c)-[:HAS_VERSION]->(v:ContextVersion) WHERE v.seq <= $asOf
     RETURN v ORDER BY v.seq DESC LIMIT 1
   }`;

/**
 * The version's dependencies the viewer could read as of `$asOf` (each dependency by its own version then),
 * as the current `dependencies` hide the ones the viewer cannot read now.
 */
const DEPENDENCIES_AS_OF = (name: Alias) => cypher`[d IN ${alias(name)}.dependencies WHERE any(y IN COLLECT {
       MATCH (:Context { id: d })-[:HAS_VERSION]->(w:ContextVersion) WHERE w.seq <= $asOf
       RETURN w ORDER BY w.seq DESC LIMIT 1
     } WHERE ${VISIBLE_VERSION('y')})]`;

/** A version as the viewer could see it as of `$asOf`. */
export const VERSION_FIELDS_AS_OF = (name: Alias) => cypher`{ .contextId, .version, .seq, .at, .changedBy, .text, .contentJson, .tags,
  .priority, .status, .confidence, .expiresAt, .tokens, .type, .sourceAgentId, .workflowId, .visibleTo, .visibilityRecorded,
  .validFrom, .validUntil, .relevanceJson, dependencies: ${DEPENDENCIES_AS_OF(name)} }`;

/** Where the log is now, and the time of event `$asOf` (null before the first event). */
export const POINT_IN_TIME = statement(
  'pointInTime',
  cypher`OPTIONAL MATCH (k:Counter { name: 'event' })
   WITH coalesce(k.value, 0) AS position
   CALL (position) {
     OPTIONAL MATCH (e:Event) WHERE e.seq <= $asOf
     WITH e ORDER BY e.seq DESC LIMIT 1
     RETURN e.at AS at
   }
   RETURN position, at`,
);

/**
 * The log around `$asOf`: the last event at or before it (its seq and time) and the time of the first after it.
 * Tells which positions answered the same state as `$asOf` and when such an answer can have been recorded.
 */
export const LOG_AROUND = statement(
  'logAround',
  cypher`CALL () {
     OPTIONAL MATCH (e:Event) WHERE e.seq <= $asOf
     WITH e ORDER BY e.seq DESC LIMIT 1
     RETURN e.seq AS lastSeq, e.at AS lastAt
   }
   CALL () {
     OPTIONAL MATCH (e:Event) WHERE e.seq > $asOf
     WITH e ORDER BY e.seq LIMIT 1
     RETURN e.at AS nextAt
   }
   RETURN lastSeq, lastAt, nextAt`,
);

/** The last event seq at or before `$time` (0 before the first event). */
export const SEQ_AT = statement(
  'seqAt',
  cypher`OPTIONAL MATCH (e:Event) WHERE e.at <= $time
   RETURN coalesce(max(e.seq), 0) AS seq`,
);

export const CONTEXTS_BY_IDS_AS_OF = statement(
  'contextsByIdsAsOf',
  cypher`UNWIND $ids AS id
   MATCH (c:Context { id: id }) WHERE c.createdSeq <= $asOf
   ${VERSION_AS_OF}
   WITH c, v WHERE ${VISIBLE_VERSION('v')}
   RETURN c ${CONTEXT_FIELDS} AS context, v ${VERSION_FIELDS_AS_OF('v')} AS version`,
);

/** The criteria of `contexts` that never change (type, workflow, source, creation) on `c`; the rest on its version `v`. */
const PAGE_IDENTITY = cypher`c.createdSeq <= $asOf
     AND ($types IS NULL OR c.type IN $types)
     AND ($workflowIds IS NULL OR c.workflowId IN $workflowIds)
     AND ($sourceAgentIds IS NULL OR c.sourceAgentId IN $sourceAgentIds)
     AND ($createdAfter IS NULL OR c.createdAt >= $createdAfter)
     AND ($createdBefore IS NULL OR c.createdAt < $createdBefore)`;

const PAGE_STATE = cypher`${VISIBLE_VERSION('v')}
     AND ($tags IS NULL OR any(t IN v.tags WHERE t IN $tags))
     AND ($priorities IS NULL OR v.priority IN $priorities)`;

export const CONTEXTS_PAGE_AS_OF = statement(
  'contextsPageAsOf',
  cypher`MATCH (c:Context)
   WHERE ${PAGE_IDENTITY} AND ($after IS NULL OR c.createdSeq < $after)
   ${VERSION_AS_OF}
   WITH c, v WHERE ${PAGE_STATE}
     AND (
       ('ACTIVE' IN $statuses AND v.status = 'ACTIVE' AND (v.expiresAt IS NULL OR v.expiresAt > $now))
       OR ('EXPIRED' IN $statuses AND v.status = 'ACTIVE' AND v.expiresAt <= $now)
       OR (v.status <> 'ACTIVE' AND v.status IN $statuses)
     )
     AND ${VALID_AT('v')}
   WITH c, v ORDER BY c.createdSeq DESC LIMIT toInteger($limit)
   RETURN c ${CONTEXT_FIELDS} AS context, v ${VERSION_FIELDS_AS_OF('v')} AS version
   ORDER BY c.createdSeq DESC`,
);

/** CONTEXTS_LEFT_OUT (statements/context-page.ts) as of `$asOf`: the same reasons, judged on each version then. */
export const CONTEXTS_LEFT_OUT_AS_OF = statement(
  'contextsLeftOutAsOf',
  cypher`MATCH (c:Context)
   WHERE ${PAGE_IDENTITY}
   ${VERSION_AS_OF}
   WITH v WHERE ${PAGE_STATE}
   ${LEFT_OUT_COUNTS('v')}`,
);

/**
 * The contexts whose version as of `$asOf` lists one of `$ids` (and that the viewer could read then).
 * Past edges live only in the versions' `dependencies` lists, so this scans the versions up to `$asOf`:
 * the price of an `asOf` read, never paid by current reads.
 */
export const DEPENDENTS_AS_OF = statement(
  'dependentsAsOf',
  cypher`MATCH (x:ContextVersion) WHERE x.seq <= $asOf AND any(d IN x.dependencies WHERE d IN $ids)
   WITH DISTINCT x.contextId AS dependentId
   MATCH (c:Context { id: dependentId })
   ${VERSION_AS_OF}
   WITH c, v WHERE any(d IN v.dependencies WHERE d IN $ids) AND ${VISIBLE_VERSION('v')}
   RETURN c ${CONTEXT_FIELDS} AS context, v ${VERSION_FIELDS_AS_OF('v')} AS version`,
);

/** The versions up to `$asOf` the viewer may read, each by its own rule, newest first. */
export const HISTORY_AS_OF = statement(
  'historyAsOf',
  cypher`UNWIND $ids AS id
   MATCH (:Context { id: id })-[:HAS_VERSION]->(v:ContextVersion) WHERE v.seq <= $asOf AND ${VISIBLE_VERSION('v')}
   RETURN id, v ${VERSION_FIELDS_AS_OF('v')} AS version
   ORDER BY v.version DESC`,
);

/** Ids of what each context replaced and of what replaced it by `$asOf` (SUPERSEDES edges are written with the newer context). */
export const SUPERSESSION_IDS_AS_OF = statement(
  'supersessionIdsAsOf',
  cypher`UNWIND $ids AS id
   MATCH (c:Context { id: id })
   CALL (c) { MATCH (c)-[:SUPERSEDES]->(o:Context) RETURN collect(o.id) AS olderIds }
   CALL (c) { MATCH (n:Context)-[:SUPERSEDES]->(c) WHERE n.createdSeq <= $asOf RETURN collect(n.id) AS newerIds }
   RETURN id, olderIds, newerIds`,
);
