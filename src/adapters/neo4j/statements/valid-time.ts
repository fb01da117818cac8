import { alias, cypher, type Alias } from '../cypher.js';
import { statement } from './fragments.js';

/**
 * Valid time in Cypher: the twin of `isValidAt` in src/domain/valid-time.ts (half-open [validFrom, validUntil)),
 * reading `$validAt`. A property check on the node already matched: no extra round trip, no extra index.
 */
export const VALID_AT = (name: Alias) => {
  const a = alias(name);
  return cypher`((${a}.validFrom IS NULL OR ${a}.validFrom <= $validAt) AND (${a}.validUntil IS NULL OR ${a}.validUntil > $validAt))`;
};

/** `validityAt` of the domain, as Cypher: 'NOT_YET_VALID', 'NO_LONGER_VALID' or 'VALID'. */
export const VALIDITY_AT = (name: Alias) => {
  const a = alias(name);
  return cypher`CASE WHEN ${a}.validFrom IS NOT NULL AND ${a}.validFrom > $validAt THEN 'NOT_YET_VALID'
    WHEN ${a}.validUntil IS NOT NULL AND ${a}.validUntil <= $validAt THEN 'NO_LONGER_VALID' ELSE 'VALID' END`;
};

/** The earliest future start of validity among active contexts (the `context_valid_from` index serves it in order). */
export const NEXT_VALIDITY_START = statement(
  'nextValidityStart',
  cypher`MATCH (c:Context) WHERE c.validFrom > $time AND c.status = 'ACTIVE'
   RETURN c.validFrom AS validFrom ORDER BY c.validFrom LIMIT 1`,
);
