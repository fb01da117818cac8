import { describe, expect, it } from 'vitest';
import { parseInput, publishContextInput, publishContextsInput, contextPatch } from '../../src/app/validation.js';
import { BadInputError } from '../../src/domain/errors.js';
import { isEmptyInterval, isValidAt, nextValidityEnd, validityAt } from '../../src/domain/valid-time.js';
import { JUDGED_AT, VALIDITY_CASES } from '../support/valid-time-cases.js';

describe('valid time', () => {
  it.each(VALIDITY_CASES)('$name: $expected', ({ interval, expected }) => {
    expect(validityAt(interval, JUDGED_AT)).toBe(expected);
    expect(isValidAt(interval, JUDGED_AT)).toBe(expected === 'VALID');
  });

  it('calls an interval empty only when it ends at or before it starts', () => {
    expect(isEmptyInterval({ validFrom: '2030-01-02T00:00:00.000Z', validUntil: '2030-01-01T00:00:00.000Z' })).toBe(true);
    expect(isEmptyInterval({ validFrom: '2030-01-01T00:00:00.000Z', validUntil: '2030-01-01T00:00:00.000Z' })).toBe(true);
    expect(isEmptyInterval({ validFrom: '2030-01-01T00:00:00.000Z', validUntil: '2030-01-01T00:00:00.001Z' })).toBe(false);
    expect(isEmptyInterval({ validFrom: null, validUntil: '2000-01-01T00:00:00.000Z' })).toBe(false);
  });

  it('finds the first end after the given time, ignoring ends already past and open intervals', () => {
    const intervals = [
      { validFrom: null, validUntil: '2030-06-15T11:00:00.000Z' },
      { validFrom: null, validUntil: '2030-06-15T14:00:00.000Z' },
      { validFrom: null, validUntil: '2030-06-15T13:00:00.000Z' },
      { validFrom: null, validUntil: null },
    ];
    expect(nextValidityEnd(intervals, JUDGED_AT)).toBe('2030-06-15T13:00:00.000Z');
    expect(nextValidityEnd([{ validFrom: null, validUntil: null }], JUDGED_AT)).toBeNull();
  });
});

describe('valid-time input', () => {
  const base = { type: 'FINDING', text: 'a fact' };
  const issuesOf = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      if (error instanceof BadInputError) return error.issues;
      throw error;
    }
    throw new Error('expected BAD_USER_INPUT');
  };

  it('accepts past starts and past ends, normalising to UTC', () => {
    const parsed = parseInput(
      publishContextInput,
      { ...base, validFrom: '2020-01-01T01:00:00+01:00', validUntil: '2021-01-01T00:00:00Z' },
      'input',
    );
    expect(parsed.validFrom).toBe('2020-01-01T00:00:00.000Z');
    expect(parsed.validUntil).toBe('2021-01-01T00:00:00.000Z');
  });

  it('refuses an end at or before the start, naming the field', () => {
    const interval = { validFrom: '2030-01-02T00:00:00Z', validUntil: '2030-01-02T00:00:00Z' };
    expect(issuesOf(() => parseInput(publishContextInput, { ...base, ...interval }, 'input'))).toEqual([
      { path: ['input', 'validUntil'], message: 'must be after validFrom' },
    ]);
    expect(issuesOf(() => parseInput(publishContextsInput, [base, { ...base, ...interval }], 'inputs'))[0]?.path).toEqual([
      'inputs',
      1,
      'validUntil',
    ]);
    expect(issuesOf(() => parseInput(contextPatch, interval, 'patch'))[0]?.path).toEqual(['patch', 'validUntil']);
  });

  it('lets a patch clear either end with null', () => {
    expect(parseInput(contextPatch, { validUntil: null }, 'patch')).toEqual({ validUntil: null });
  });
});
