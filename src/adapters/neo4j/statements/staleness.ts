import { cypher } from '../cypher.js';
import { statement } from './fragments.js';

/**
 * Drift (src/domain/staleness.ts): marking contexts stale, one dependency hop per statement, so a dense
 * graph costs what it marks rather than every path through it; clearing; the STALE events and who to tell.
 */

/**
 * Only active, not yet stale contexts are marked: a stale one was marked with its dependents already. `$exempt`
 * ids and the contexts of `$exemptWorkflowId` are what the same write re-states (a rollback's scope).
 */
const MARKABLE = cypher`d.status = 'ACTIVE' AND d.staleReason IS NULL AND NOT d.id IN $exempt
   AND ($exemptWorkflowId IS NULL OR d.workflowId IS NULL OR d.workflowId <> $exemptWorkflowId)`;

const MARK = cypher`SET d.staleReason = f.reason, d.staleCauseId = f.causeId, d.staleViaId = f.id, d.staleSince = $now
   RETURN d.id AS id, f.reason AS reason, f.causeId AS causeId, f.order AS order ORDER BY f.order, d.createdSeq, d.id`;

/**
 * The direct dependents of the frontier become stale, each with the first frontier entry (by `order`) it
 * depends on: the cause it inherits and the dependency it was reached through.
 */
export const MARK_DEPENDENTS_STALE = statement(
  'markDependentsStale',
  cypher`UNWIND $frontier AS f
   MATCH (d:Context)-[:DEPENDS_ON]->(:Context { id: f.id })
   WHERE ${MARKABLE}
   WITH d, f ORDER BY f.order
   WITH d, head(collect(f)) AS f
   ${MARK}`,
);

/** A dependency that does not hold: superseded, retracted, expired, or stale itself (decay is not passed on). */
const NOT_HOLDING = cypher`(x.status <> 'ACTIVE' OR x.expiresAt <= $now OR (x.staleReason IS NOT NULL AND x.staleReason <> 'CONFIDENCE_DECAYED'))`;

/**
 * Active contexts (among `$ids`, or all when `$ids` is null) with a direct dependency that does not hold.
 * A stale dependency passes on its own cause. Used by the validation pass and after a context itself changed.
 */
export const MARK_ON_INACTIVE_DEPENDENCIES = statement(
  'markOnInactiveDependencies',
  cypher`MATCH (d:Context) WHERE ($ids IS NULL OR d.id IN $ids) AND ($workflowId IS NULL OR d.workflowId = $workflowId) AND ${MARKABLE}
   MATCH (d)-[:DEPENDS_ON]->(x:Context)
   WHERE ${NOT_HOLDING}
   WITH d, x ORDER BY x.createdSeq, x.id
   WITH d, head(collect(x)) AS x ORDER BY d.createdSeq LIMIT toInteger($limit)
   WITH d, CASE WHEN x.status = 'ACTIVE' AND (x.expiresAt IS NULL OR x.expiresAt > $now)
     THEN { id: x.id, causeId: x.staleCauseId, order: 0, reason: x.staleReason }
     ELSE { id: x.id, causeId: x.id, order: 0,
       reason: CASE x.status WHEN 'SUPERSEDED' THEN 'DEPENDENCY_SUPERSEDED' WHEN 'RETRACTED' THEN 'DEPENDENCY_RETRACTED'
         ELSE 'DEPENDENCY_EXPIRED' END } END AS f
   ${MARK}`,
);

/**
 * Active, not stale contexts of the decaying types whose confidence, halved every `hours` since their last
 * change, is below `$floor`. They are their own cause.
 */
export const MARK_DECAYED = statement(
  'markDecayed',
  cypher`UNWIND $halfLives AS h
   MATCH (d:Context { type: h.type })
   WHERE d.status = 'ACTIVE' AND d.staleReason IS NULL AND ($workflowId IS NULL OR d.workflowId = $workflowId)
     AND d.confidence * 0.5 ^ ((toFloat($nowMillis) - datetime(d.updatedAt).epochMillis) / 3600000.0 / h.hours) < $floor
   WITH d ORDER BY d.createdSeq LIMIT toInteger($limit)
   WITH d, { id: d.id, causeId: d.id, order: 0, reason: 'CONFIDENCE_DECAYED' } AS f
   ${MARK}`,
);

/**
 * A rollback returns its scope to the snapshot's state, staleness included: what became stale after the
 * snapshot holds again (until the checks say otherwise). Returns their ids.
 */
export const CLEAR_STALENESS_SINCE = statement(
  'clearStalenessSince',
  cypher`MATCH (c:Context) WHERE c.staleSeq > $sinceSeq AND ($workflowId IS NULL OR c.workflowId = $workflowId)
   REMOVE c.staleReason, c.staleCauseId, c.staleViaId, c.staleSince, c.staleSeq
   RETURN c.id AS id`,
);

/** A context re-stated (updated, restored by a rollback) holds again until the checks say otherwise. */
export const CLEAR_STALENESS = statement(
  'clearStaleness',
  cypher`UNWIND $ids AS id MATCH (c:Context { id: id }) WHERE c.staleReason IS NOT NULL
   REMOVE c.staleReason, c.staleCauseId, c.staleViaId, c.staleSince, c.staleSeq`,
);

/**
 * The STALE event of each newly marked context, and who must hear of it: its producer, the agents it was
 * routed to (RECEIVED, written with the package log) and those it was broadcast to (the delivery log).
 */
export const RECORD_STALE_EVENTS = statement(
  'recordStaleEvents',
  cypher`UNWIND $marks AS m
   MATCH (d:Context { id: m.id })
   SET d.staleSeq = toInteger(m.seq)
   CREATE (:Event { seq: toInteger(m.seq), kind: 'STALE', contextId: m.id, causeId: m.causeId, reason: m.reason, agentId: $by, at: $now })
   RETURN m.id AS id, d.sourceAgentId AS producer,
     COLLECT { MATCH (a:Agent)-[:RECEIVED]->(d) RETURN a.id } AS routedTo,
     COLLECT { MATCH (x:Delivery { contextId: m.id }) RETURN DISTINCT x.agentId } AS broadcastTo`,
);

/** Remembers which agents were routed which contexts (once per pair), so drift can tell them. */
export const MERGE_RECEIVED = statement(
  'mergeReceived',
  cypher`UNWIND $pairs AS p
   MATCH (a:Agent { id: p.agentId })
   MATCH (c:Context { id: p.contextId })
   MERGE (a)-[r:RECEIVED]->(c)
   ON CREATE SET r.firstAt = p.at
   SET r.lastAt = p.at`,
);

/**
 * Consensus (src/app/consensus/): the CONSENSUS contexts that depend directly on a changed input become
 * stale with INPUT_CHANGED (the input is the cause and the dependency it was reached through).
 */
export const MARK_CONSENSUS_OF_INPUTS = statement(
  'markConsensusOfInputs',
  cypher`UNWIND $frontier AS f
   MATCH (d:Context)-[:DEPENDS_ON]->(:Context { id: f.id })
   WHERE d.type = 'CONSENSUS' AND ${MARKABLE}
   WITH d, f ORDER BY f.order
   WITH d, head(collect(f)) AS f
   ${MARK}`,
);

/**
 * A new finding on a claim makes the CONSENSUS contexts on that claim that do not already rest on it stale
 * (NEW_EVIDENCE; `via` is the finding). Only where every reader of the consensus may read the finding
 * (it is public, or the consensus is restricted to its readers), so a restricted finding never shows itself
 * through a public consensus.
 */
export const MARK_CONSENSUS_OF_CLAIMS = statement(
  'markConsensusOfClaims',
  cypher`UNWIND $frontier AS f
   MATCH (d:Context { claim: f.claim })
   WHERE d.type = 'CONSENSUS' AND ${MARKABLE} AND NOT EXISTS { MATCH (d)-[:DEPENDS_ON]->(:Context { id: f.id }) }
     AND (f.visibleTo IS NULL OR (d.visibleTo IS NOT NULL
       AND all(r IN d.visibleTo + [d.sourceAgentId] WHERE r = f.sourceAgentId OR r IN f.visibleTo)))
   WITH d, f ORDER BY f.order
   WITH d, head(collect(f)) AS f
   ${MARK}`,
);
