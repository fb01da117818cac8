import { cypher } from '../cypher.js';
import { CONTEXT_FIELDS, statement } from './fragments.js';

/** The ordered event log: the sequence counter, version snapshots with their events, expiry, the change feed. */

/** Reserves `count` sequence numbers; the counter's write lock orders commits and seqs alike. */
export const RESERVE_SEQ = statement(
  'reserveSeq',
  cypher`MERGE (k:Counter { name: 'event' })
   ON CREATE SET k.value = 0
   SET k.value = k.value + toInteger($count)
   RETURN k.value AS last`,
);

/**
 * Appends the immutable version snapshot and the event for each change, in the caller's transaction.
 * A version records the context's whole state after the change (callers run this after relevance,
 * visibility and dependencies are written), so past reads can apply the version's own visibility and
 * relevance: `visibilityRecorded` marks versions that carry it (older ones fail closed, see VISIBLE_VERSION).
 * `embedding` is stored only where the text changed; later versions with the same text reuse the earlier one.
 */
export const RECORD_VERSIONS = statement(
  'recordVersions',
  cypher`UNWIND $changes AS ch
   MATCH (c:Context { id: ch.id })
   CALL (c) {
     OPTIONAL MATCH (c)-[:DEPENDS_ON]->(d:Context)
     WITH d ORDER BY d.id
     RETURN collect(d.id) AS deps
   }
   CALL (c) {
     // JSON built in Cypher (no APOC): agent ids are restricted to [A-Za-z0-9_.:-], scores are floats.
     OPTIONAL MATCH (c)-[r:RELEVANT_TO]->(a:Agent)
     WITH r, a ORDER BY r.score DESC, a.id
     WITH collect(CASE WHEN a IS NULL THEN null ELSE '{"agentId":"' + a.id + '","score":' + toString(toFloat(r.score)) +
       ',"explicit":' + toString(coalesce(r.explicit, false)) + '}' END) AS entries
     RETURN '[' + reduce(s = '', e IN entries | s + CASE WHEN s = '' THEN '' ELSE ',' END + e) + ']' AS relevanceJson
   }
   CALL (c) {
     // The text's embedding, kept when the text changed (or on the first version): past routing scores versions by it.
     OPTIONAL MATCH (p:ContextVersion { contextId: c.id, version: c.version - 1 })
     RETURN CASE WHEN p IS NULL OR p.text <> c.text THEN c.embedding END AS embedding
   }
   CREATE (c)-[:HAS_VERSION]->(:ContextVersion { contextId: c.id, version: c.version, seq: toInteger(ch.seq), at: $now,
     changedBy: ch.by, text: c.text, contentJson: c.contentJson, tags: c.tags, priority: c.priority, status: c.status,
     confidence: c.confidence, dependencies: deps, expiresAt: c.expiresAt, tokens: c.tokens,
     type: c.type, sourceAgentId: c.sourceAgentId, workflowId: c.workflowId, visibleTo: c.visibleTo, visibilityRecorded: true,
     validFrom: c.validFrom, validUntil: c.validUntil, relevanceJson: relevanceJson, embedding: embedding,
     claim: c.claim, position: c.position })
   CREATE (:Event { seq: toInteger(ch.seq), kind: ch.kind, contextId: c.id, agentId: ch.by, version: c.version, at: $now })`,
);

export const EVENT_POSITION = statement(
  'eventPosition',
  cypher`OPTIONAL MATCH (k:Counter { name: 'event' }) RETURN coalesce(k.value, 0) AS position`,
);

/** The event position, and the changes after `$since` when there are not too many to read. */
export const CHANGES_SINCE = statement(
  'changesSince',
  cypher`OPTIONAL MATCH (k:Counter { name: 'event' })
   WITH coalesce(k.value, 0) AS position
   CALL (position) {
     OPTIONAL MATCH (e:Event) WHERE e.seq > $since AND e.seq <= position AND position - $since <= $max
     RETURN collect(e { .seq, .kind, .contextId }) AS changes
   }
   RETURN position, changes`,
);

/**
 * Claims contexts that expired since the last sweep, marking them so that exactly one process announces
 * each. The caller then reserves seqs for their EXPIRED events in the same transaction.
 */
export const CLAIM_EXPIRED = statement(
  'claimExpired',
  cypher`MATCH (c:Context)
   WHERE c.expiresAt <= $now AND c.status = 'ACTIVE' AND c.expiryAnnouncedAt IS NULL
     AND ($workflowId IS NULL OR c.workflowId = $workflowId)
   WITH c ORDER BY c.expiresAt, c.id LIMIT toInteger($limit)
   SET c.expiryAnnouncedAt = $now
   RETURN c ${CONTEXT_FIELDS} AS context`,
);

export const RECORD_EXPIRY_EVENTS = statement(
  'recordExpiryEvents',
  cypher`UNWIND $events AS e
   CREATE (:Event { seq: toInteger(e.seq), kind: 'EXPIRED', contextId: e.contextId, agentId: $by, at: $now })`,
);

export const COUNT_EXPIRED_UNANNOUNCED = statement(
  'countExpiredUnannounced',
  cypher`MATCH (c:Context) WHERE c.expiresAt <= $now AND c.status = 'ACTIVE' AND c.expiryAnnouncedAt IS NULL
     AND ($workflowId IS NULL OR c.workflowId = $workflowId)
   RETURN count(c) AS n`,
);
