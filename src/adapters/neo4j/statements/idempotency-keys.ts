import { cypher } from '../cypher.js';
import { statement } from './fragments.js';

/** Idempotency keys, claimed and completed inside the writing transaction. */

/** MERGE on a uniquely constrained key: a concurrent duplicate waits for the first to commit, then sees its result. */
export const CLAIM_IDEMPOTENCY_KEY = statement(
  'claimIdempotencyKey',
  cypher`MERGE (r:IdempotencyKey { key: $key })
   ON CREATE SET r.createdAt = $now, r.requestHash = $requestHash
   RETURN r.requestHash AS requestHash, r.result AS result`,
);

export const COMPLETE_IDEMPOTENCY_KEY = statement(
  'completeIdempotencyKey',
  cypher`MATCH (r:IdempotencyKey { key: $key }) SET r.result = $result`,
);
