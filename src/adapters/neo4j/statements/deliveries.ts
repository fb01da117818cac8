import { cypher } from '../cypher.js';
import { CONTEXT_FIELDS, VISIBLE, statement } from './fragments.js';

/** The durable broadcast log: each agent's chain of deliveries and its acknowledged position. */

/** Each recipient's last delivery seq, read after the event counter's lock, so the chain cannot fork. */
export const DELIVERY_POSITIONS = statement(
  'deliveryPositions',
  cypher`UNWIND $agentIds AS id MATCH (a:Agent { id: id }) RETURN a.id AS agentId, coalesce(a.lastDeliverySeq, 0) AS lastSeq`,
);

export const CREATE_DELIVERIES = statement(
  'createDeliveries',
  cypher`UNWIND $deliveries AS d
   MATCH (a:Agent { id: d.agentId })
   CREATE (:Delivery { agentId: d.agentId, seq: toInteger(d.seq), prevSeq: toInteger(d.prevSeq), contextId: d.contextId,
     reason: d.reason, at: $now })
   WITH a, d ORDER BY d.seq
   WITH a, last(collect(d.seq)) AS lastSeq
   SET a.lastDeliverySeq = toInteger(lastSeq)`,
);

/** An agent's deliveries after a position, oldest first, with the context as the agent may now see it. */
export const DELIVERIES_AFTER = statement(
  'deliveriesAfter',
  cypher`MATCH (d:Delivery) WHERE d.agentId = $agentId AND d.seq > $after
   WITH d ORDER BY d.seq LIMIT toInteger($limit)
   OPTIONAL MATCH (c:Context { id: d.contextId })
   RETURN d { .seq, .prevSeq, .contextId, .reason } AS delivery,
     CASE WHEN c IS NOT NULL AND ${VISIBLE('c')} AND ($workflowId IS NULL OR c.workflowId = $workflowId)
       THEN c ${CONTEXT_FIELDS} END AS context`,
);

export const ACKNOWLEDGE = statement(
  'acknowledge',
  cypher`MATCH (a:Agent { id: $agentId })
   SET a.ackSeq = CASE WHEN coalesce(a.ackSeq, 0) < $seq THEN toInteger($seq) ELSE a.ackSeq END
   RETURN a.ackSeq AS ackSeq`,
);

export const ACK_POSITION = statement('ackPosition', cypher`MATCH (a:Agent { id: $agentId }) RETURN coalesce(a.ackSeq, 0) AS ackSeq`);
