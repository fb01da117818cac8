import { type GraphQLError, parseValue } from 'graphql';
import { describe, expect, it } from 'vitest';
import { DateTime, JSON as JSONScalar } from '../../resolvers/scalars.js';

const codeOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return (error as GraphQLError).extensions['code'];
  }
  return 'no error';
};

describe('DateTime', () => {
  it('reaches the domain as an ISO-8601 UTC string with milliseconds', () => {
    expect(DateTime.parseValue('2026-11-25T10:30:00+02:00')).toBe('2026-11-25T08:30:00.000Z');
    expect(DateTime.parseValue('2026-11-25T08:30:00.123456Z')).toBe('2026-11-25T08:30:00.123Z');
    expect(DateTime.parseValue('2026-11-25T08:30Z')).toBe('2026-11-25T08:30:00.000Z'); // seconds may be left out, as before
    expect(DateTime.parseLiteral(parseValue('"2026-11-25T08:30:00Z"'), {})).toBe('2026-11-25T08:30:00.000Z');
    expect(DateTime.serialize('2026-11-25T08:30:00.000Z')).toBe('2026-11-25T08:30:00.000Z');
  });

  it('answers BAD_USER_INPUT for anything else', () => {
    for (const bad of ['yesterday', '2026-11-25', '2026-11-25T08:30:00', '2026-02-30T00:00:00Z', 1764000000000, null]) {
      expect(codeOf(() => DateTime.parseValue(bad))).toBe('BAD_USER_INPUT');
    }
    expect(codeOf(() => DateTime.parseLiteral(parseValue('42'), {}))).toBe('BAD_USER_INPUT');
  });
});

describe('JSON', () => {
  it('takes any JSON literal, variables included', () => {
    const value = JSONScalar.parseLiteral(parseValue('{ a: [1, "x", null, { b: true }], c: $v }'), { v: 2.5 });
    expect(globalThis.JSON.parse(globalThis.JSON.stringify(value))).toEqual({ a: [1, 'x', null, { b: true }], c: 2.5 });
  });
});
