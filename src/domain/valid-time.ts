/**
 * Valid time (when a fact holds in the world), beside recorded time (when the mesh learnt it: event seqs).
 * A context is valid at `t` when `validFrom` is absent or at or before `t`, and `validUntil` is absent or
 * after `t`: the interval is half-open, [validFrom, validUntil). Times are ISO-8601 UTC strings of fixed
 * width, so string order is time order. The Cypher twin is `VALID_AT` in
 * src/adapters/neo4j/statements/valid-time.ts; test/integration/valid-time.test.ts checks they agree.
 */

export interface ValidityInterval {
  validFrom: string | null;
  validUntil: string | null;
}

export type Validity = 'VALID' | 'NOT_YET_VALID' | 'NO_LONGER_VALID';

export function validityAt(interval: ValidityInterval, at: string): Validity {
  if (interval.validFrom !== null && interval.validFrom > at) return 'NOT_YET_VALID';
  if (interval.validUntil !== null && interval.validUntil <= at) return 'NO_LONGER_VALID';
  return 'VALID';
}

export function isValidAt(interval: ValidityInterval, at: string): boolean {
  return validityAt(interval, at) === 'VALID';
}

/** An empty interval can never be valid: `validUntil` must be after `validFrom` when both are given. */
export function isEmptyInterval(interval: ValidityInterval): boolean {
  return interval.validFrom !== null && interval.validUntil !== null && interval.validUntil <= interval.validFrom;
}

/**
 * The first moment after `at` when any of these valid contexts stops being valid (null: none ends). A cached
 * answer computed "as of now" must not be served past it.
 */
export function nextValidityEnd(intervals: Iterable<ValidityInterval>, at: string): string | null {
  let earliest: string | null = null;
  for (const { validUntil } of intervals) {
    if (validUntil !== null && validUntil > at && (earliest === null || validUntil < earliest)) earliest = validUntil;
  }
  return earliest;
}
