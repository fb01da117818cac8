import { cypher } from '../cypher.js';
import { AGENT_FIELDS, CONTEXT_FIELDS, VISIBLE, statement } from './fragments.js';

/**
 * Consensus (src/app/consensus/): the inputs a caller may read, agent trust, escalation rules, conflicts and
 * each agent's chain of escalations (a parallel of the broadcast log: `:ConflictDelivery { agentId, seq, prevSeq,
 * conflictId }`, the agent's last one in `Agent.lastConflictSeq`), and the admins' chain of all conflicts
 * (`Counter { name: 'conflict' }` holds the last conflict's seq).
 */

/** Routable now: active and not expired. */
const CURRENT = cypher`c.status = 'ACTIVE' AND (c.expiresAt IS NULL OR c.expiresAt > $now)`;

const INPUT_FIELDS = cypher`c ${CONTEXT_FIELDS} AS context, coalesce(a.trust, $defaultTrust) AS trust,
   CASE WHEN $withEmbedding THEN c.embedding END AS embedding`;

/** Current findings on a claim that the caller may read, oldest first. */
export const INPUTS_BY_CLAIM = statement(
  'consensusInputsByClaim',
  cypher`MATCH (c:Context { claim: $claim })
   WHERE c.type = 'FINDING' AND ${CURRENT} AND ${VISIBLE('c')}
   OPTIONAL MATCH (a:Agent { id: c.sourceAgentId })
   RETURN ${INPUT_FIELDS}
   ORDER BY c.createdSeq LIMIT toInteger($limit)`,
);

/** Named contexts the caller may read (a hidden one is not returned, exactly like a missing one). */
export const INPUTS_BY_IDS = statement(
  'consensusInputsByIds',
  cypher`UNWIND $ids AS id
   MATCH (c:Context { id: id }) WHERE ${VISIBLE('c')}
   OPTIONAL MATCH (a:Agent { id: c.sourceAgentId })
   RETURN ${INPUT_FIELDS}`,
);

/** Current findings without a claim that the caller may read (similarity grouping), oldest first. */
export const CLAIMLESS_FINDINGS = statement(
  'consensusClaimlessFindings',
  cypher`MATCH (c:Context { type: 'FINDING' })
   WHERE c.claim IS NULL AND ${CURRENT} AND ${VISIBLE('c')} AND ($workflowId IS NULL OR c.workflowId = $workflowId)
   OPTIONAL MATCH (a:Agent { id: c.sourceAgentId })
   RETURN ${INPUT_FIELDS}
   ORDER BY c.createdSeq LIMIT toInteger($limit)`,
);

/** Active CONSENSUS contexts on a claim (a new one supersedes those its source may supersede). */
export const CURRENT_CONSENSUS = statement(
  'currentConsensus',
  cypher`MATCH (c:Context { claim: $claim }) WHERE c.type = 'CONSENSUS' AND c.status = 'ACTIVE'
   RETURN c.id AS id, c.sourceAgentId AS sourceAgentId, c.contentJson AS contentJson, c.staleReason IS NOT NULL AS stale
   ORDER BY c.createdSeq`,
);

export const SET_AGENT_TRUST = statement(
  'setAgentTrust',
  cypher`MATCH (a:Agent { id: $agentId }) SET a.trust = $trust RETURN a ${AGENT_FIELDS} AS agent, a.trust AS trust`,
);

export const ESCALATION_RULES = statement(
  'escalationRules',
  cypher`MATCH (r:EscalationRule) WHERE r.claim = $claim OR r.tag IN $tags
   RETURN r.claim AS claim, r.tag AS tag, r.agentIds AS agentIds ORDER BY r.key`,
);

export const SET_ESCALATION = statement(
  'setEscalation',
  cypher`MERGE (r:EscalationRule { key: $key })
   SET r.claim = $claim, r.tag = $tag, r.agentIds = $agentIds, r.updatedAt = $now
   RETURN r.claim AS claim, r.tag AS tag, r.agentIds AS agentIds`,
);

export const DELETE_ESCALATION = statement('deleteEscalation', cypher`MATCH (r:EscalationRule { key: $key }) DELETE r`);

/** The admins' chain: the previous conflict's seq, then this one's (the event counter's lock is already held). */
export const ADVANCE_CONFLICT_CHAIN = statement(
  'advanceConflictChain',
  cypher`MERGE (k:Counter { name: 'conflict' })
   ON CREATE SET k.value = 0
   WITH k, k.value AS prevSeq
   SET k.value = toInteger($seq)
   RETURN prevSeq`,
);

export const CREATE_CONFLICT = statement(
  'createConflict',
  cypher`CREATE (:Conflict { id: $c.id, claim: $c.claim, status: 'OPEN', positionsJson: $c.positionsJson, agreement: $c.agreement,
     totalWeight: $c.totalWeight, weightBy: $c.weightBy, tolerance: $c.tolerance, minimumAgreement: $c.minimumAgreement,
     agentIds: $c.agentIds, inputIds: $c.inputIds, escalatedTo: $c.escalatedTo, createdAt: $c.createdAt, createdBy: $c.createdBy,
     seq: toInteger($c.seq), prevSeq: toInteger($c.prevSeq), fingerprint: $fingerprint })`,
);

export const CONFLICT_DELIVERY_POSITIONS = statement(
  'conflictDeliveryPositions',
  cypher`UNWIND $agentIds AS id MATCH (a:Agent { id: id }) RETURN a.id AS agentId, coalesce(a.lastConflictSeq, 0) AS lastSeq`,
);

export const CREATE_CONFLICT_DELIVERIES = statement(
  'createConflictDeliveries',
  cypher`UNWIND $deliveries AS d
   MATCH (a:Agent { id: d.agentId })
   CREATE (:ConflictDelivery { agentId: d.agentId, seq: toInteger(d.seq), prevSeq: toInteger(d.prevSeq), conflictId: d.contextId, at: $now })
   SET a.lastConflictSeq = toInteger(d.seq)
   RETURN d.agentId AS agentId, d.seq AS seq, d.prevSeq AS prevSeq`,
);

const CONFLICT_FIELDS = cypher`{ .id, .claim, .status, .positionsJson, .agreement, .totalWeight, .weightBy, .tolerance,
  .minimumAgreement, .agentIds, .inputIds, .escalatedTo, .createdAt, .createdBy, .seq, .prevSeq, .resolvedBy, .resolvedAt,
  .resolvedPosition, .rationale, .consensusId }`;

/** The open conflict recorded for the same question, inputs and positions (read under the event counter's lock). */
export const OPEN_CONFLICT_BY_FINGERPRINT = statement(
  'openConflictByFingerprint',
  cypher`MATCH (x:Conflict { fingerprint: $fingerprint }) WHERE x.status = 'OPEN'
   RETURN x ${CONFLICT_FIELDS} AS conflict ORDER BY x.seq LIMIT 1`,
);

/** An agent may read a conflict escalated to it, or one whose every input it may read. */
const CONFLICT_READABLE = cypher`($isAdmin OR $viewerId IN x.escalatedTo
  OR all(id IN x.inputIds WHERE EXISTS { MATCH (c:Context { id: id }) WHERE ${VISIBLE('c')} }))`;

export const CONFLICTS = statement(
  'conflicts',
  cypher`MATCH (x:Conflict)
   WHERE ($status IS NULL OR x.status = $status) AND ($claim IS NULL OR x.claim = $claim) AND ${CONFLICT_READABLE}
   RETURN x ${CONFLICT_FIELDS} AS conflict
   ORDER BY x.seq DESC LIMIT toInteger($limit)`,
);

export const CONFLICT_BY_ID = statement(
  'conflictById',
  cypher`MATCH (x:Conflict { id: $id }) WHERE ${CONFLICT_READABLE} RETURN x ${CONFLICT_FIELDS} AS conflict`,
);

/** Settles an open conflict (the write lock on the node makes a second resolver find it RESOLVED). */
export const RESOLVE_CONFLICT = statement(
  'resolveConflict',
  cypher`MATCH (x:Conflict { id: $id })
   SET x.lockedAt = $now
   WITH x, x.status = 'OPEN' AS open
   FOREACH (_ IN CASE WHEN open THEN [1] ELSE [] END |
     SET x.status = 'RESOLVED', x.resolvedBy = $by, x.resolvedAt = $now, x.resolvedPosition = $position,
       x.rationale = $rationale, x.consensusId = $consensusId)
   RETURN open, x ${CONFLICT_FIELDS} AS conflict`,
);

/** Undoes a resolution whose consensus could not be published (so the conflict can be settled again). */
export const REOPEN_CONFLICT = statement(
  'reopenConflict',
  cypher`MATCH (x:Conflict { id: $id, consensusId: $consensusId })
   SET x.status = 'OPEN'
   REMOVE x.resolvedBy, x.resolvedAt, x.resolvedPosition, x.rationale, x.consensusId`,
);

/** An agent's escalations after a position, oldest first. */
export const ESCALATIONS_AFTER = statement(
  'escalationsAfter',
  cypher`MATCH (d:ConflictDelivery) WHERE d.agentId = $agentId AND d.seq > $after
   WITH d ORDER BY d.seq LIMIT toInteger($limit)
   MATCH (x:Conflict { id: d.conflictId })
   RETURN d.seq AS seq, d.prevSeq AS prevSeq, x ${CONFLICT_FIELDS} AS conflict`,
);

/** Every conflict after a position (the admins' feed), oldest first. */
export const CONFLICTS_AFTER = statement(
  'conflictsAfter',
  cypher`MATCH (x:Conflict) WHERE x.seq > $after
   WITH x ORDER BY x.seq LIMIT toInteger($limit)
   RETURN x.seq AS seq, x.prevSeq AS prevSeq, x ${CONFLICT_FIELDS} AS conflict`,
);
