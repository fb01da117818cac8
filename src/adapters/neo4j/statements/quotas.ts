import { cypher } from '../cypher.js';
import { AGENT_FIELDS, statement } from './fragments.js';

/**
 * Token quotas (src/domain/quotas.ts): the quota sits on the agent (`tokenQuota`, `tokenQuotaPeriodSeconds`);
 * the ledger is one `(:TokenUsage { agentId, windowStart, windowEnd, used })` per agent and window, unique on
 * (agentId, windowStart). Times are ms since the epoch.
 */

export const SET_TOKEN_QUOTA = statement(
  'setTokenQuota',
  cypher`MATCH (a:Agent { id: $agentId })
   SET a.tokenQuota = $tokens, a.tokenQuotaPeriodSeconds = $periodSeconds
   RETURN a ${AGENT_FIELDS} AS agent`,
);

/**
 * Locks the agent's window (created at 0 when new) and reads what it has used. Writing `lockedAt` first takes the
 * node's write lock, so the `used` read after it is the latest committed value, and concurrent grants on any replica
 * are serialised until this transaction ends (Neo4j "Concurrent data access": explicit locking).
 */
export const LOCK_TOKEN_USAGE = statement(
  'lockTokenUsage',
  cypher`MERGE (u:TokenUsage { agentId: $agentId, windowStart: $windowStart })
   ON CREATE SET u.used = 0, u.windowEnd = $windowEnd
   SET u.lockedAt = $now
   RETURN u.used AS used`,
);

/** Adds a grant to the window locked by LOCK_TOKEN_USAGE in the same transaction. */
export const ADD_TOKEN_USAGE = statement(
  'addTokenUsage',
  cypher`MATCH (u:TokenUsage { agentId: $agentId, windowStart: $windowStart })
   SET u.used = u.used + $tokens
   RETURN u.used AS used`,
);

/** Gives back what a grant did not deliver (the package came out smaller than its budget, or failed). */
export const REFUND_TOKENS = statement(
  'refundTokens',
  cypher`MATCH (u:TokenUsage { agentId: $agentId, windowStart: $windowStart })
   SET u.lockedAt = $now
   SET u.used = CASE WHEN u.used - $tokens < 0 THEN 0 ELSE u.used - $tokens END
   RETURN u.used AS used`,
);

/** Charges tokens already delivered (an answer that could not be cut to a grant: asOf); may pass the quota once. */
export const CHARGE_TOKENS = statement(
  'chargeTokens',
  cypher`MERGE (u:TokenUsage { agentId: $agentId, windowStart: $windowStart })
   ON CREATE SET u.used = 0, u.windowEnd = $windowEnd
   SET u.lockedAt = $now
   SET u.used = u.used + $tokens
   RETURN u.used AS used`,
);

/** The agent's most recent windows, newest first. */
export const TOKEN_USAGE_WINDOWS = statement(
  'tokenUsageWindows',
  cypher`MATCH (u:TokenUsage { agentId: $agentId })
   RETURN u.windowStart AS windowStart, u.windowEnd AS windowEnd, u.used AS used
   ORDER BY u.windowStart DESC LIMIT toInteger($first)`,
);

/** Windows that ended before `before` (kept: the newest ones only; see QuotaStore.prune). */
export const PRUNE_TOKEN_USAGE = statement(
  'pruneTokenUsage',
  cypher`MATCH (u:TokenUsage { agentId: $agentId }) WHERE u.windowEnd < $before
   WITH u LIMIT 1000
   DELETE u
   RETURN count(*) AS deleted`,
);
