import type { Validity, ValidityInterval } from '../../src/domain/valid-time.js';

/** The instant every case is judged at, and intervals around it: the unit test and the Cypher test share them. */
export const JUDGED_AT = '2030-06-15T12:00:00.000Z';
const before = '2030-06-15T11:59:59.999Z';
const after = '2030-06-15T12:00:00.001Z';

export const VALIDITY_CASES: { name: string; interval: ValidityInterval; expected: Validity }[] = [
  { name: 'unbounded', interval: { validFrom: null, validUntil: null }, expected: 'VALID' },
  { name: 'starts exactly then', interval: { validFrom: JUDGED_AT, validUntil: null }, expected: 'VALID' },
  { name: 'started before', interval: { validFrom: before, validUntil: null }, expected: 'VALID' },
  { name: 'starts just after', interval: { validFrom: after, validUntil: null }, expected: 'NOT_YET_VALID' },
  { name: 'ends exactly then (exclusive)', interval: { validFrom: null, validUntil: JUDGED_AT }, expected: 'NO_LONGER_VALID' },
  { name: 'ends just after', interval: { validFrom: null, validUntil: after }, expected: 'VALID' },
  { name: 'ended before', interval: { validFrom: null, validUntil: before }, expected: 'NO_LONGER_VALID' },
  { name: 'closed around it', interval: { validFrom: before, validUntil: after }, expected: 'VALID' },
  { name: 'closed, all later', interval: { validFrom: after, validUntil: '2030-06-16T00:00:00.000Z' }, expected: 'NOT_YET_VALID' },
  { name: 'closed, all earlier', interval: { validFrom: '2030-06-14T00:00:00.000Z', validUntil: before }, expected: 'NO_LONGER_VALID' },
];
