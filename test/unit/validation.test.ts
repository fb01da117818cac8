import { describe, expect, it } from 'vitest';
import { BadInputError } from '../../src/domain/errors.js';
import { contextPatch, parseInput, publishContextInput, publishContextsInput, registerAgentInput } from '../../src/app/validation.js';

function issuesOf(fn: () => unknown) {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(BadInputError);
    return (error as BadInputError).issues;
  }
  throw new Error('expected BadInputError');
}

describe('input validation', () => {
  it('applies defaults to a minimal publish input', () => {
    const parsed = parseInput(publishContextInput, { type: 'FINDING', text: '  Revenue grew 15%  ' }, 'input');
    expect(parsed).toMatchObject({
      text: 'Revenue grew 15%',
      priority: 'ROUTINE',
      confidence: 1,
      tags: [],
      dependencies: [],
      relevance: [],
    });
  });

  it('names the failing field path from the argument, down into batches', () => {
    const issues = issuesOf(() =>
      parseInput(
        publishContextsInput,
        [
          { type: 'FINDING', text: 'ok' },
          { type: 'FINDING', text: '', confidence: 1.5 },
        ],
        'inputs',
      ),
    );
    expect(issues.map((i) => i.path)).toEqual(
      expect.arrayContaining([
        ['inputs', 1, 'text'],
        ['inputs', 1, 'confidence'],
      ]),
    );
  });

  it('rejects ids that could smuggle text into logs or keys', () => {
    const issues = issuesOf(() => parseInput(publishContextInput, { id: "x') DETACH DELETE n //", type: 'FINDING', text: 't' }, 'input'));
    expect(issues[0]?.path).toEqual(['input', 'id']);
  });

  it('rejects repeated dependencies and oversized content', () => {
    expect(
      issuesOf(() => parseInput(publishContextInput, { type: 'FINDING', text: 't', dependencies: ['a', 'a'] }, 'input'))[0]?.path,
    ).toEqual(['input', 'dependencies']);
    const big = { blob: 'x'.repeat(300 * 1024) };
    expect(issuesOf(() => parseInput(publishContextInput, { type: 'FINDING', text: 't', content: big }, 'input'))[0]?.path).toEqual([
      'input',
      'content',
    ]);
  });

  it('normalises expiration to UTC and rejects malformed dates', () => {
    const parsed = parseInput(publishContextInput, { type: 'FINDING', text: 't', expiration: '2030-01-01T02:00:00+02:00' }, 'input');
    expect(parsed.expiration).toBe('2030-01-01T00:00:00.000Z');
    expect(
      issuesOf(() => parseInput(publishContextInput, { type: 'FINDING', text: 't', expiration: 'tomorrow' }, 'input'))[0]?.path,
    ).toEqual(['input', 'expiration']);
  });

  it('refuses an empty patch and an empty batch', () => {
    expect(() => parseInput(contextPatch, {}, 'patch')).toThrow(/at least one field/);
    expect(() => parseInput(publishContextsInput, [], 'inputs')).toThrow(/at least one/);
  });

  it('bounds agent thresholds and budgets', () => {
    const issues = issuesOf(() => parseInput(registerAgentInput, { name: 'a', relevanceThreshold: -0.1, tokenBudget: 0 }, 'input'));
    expect(issues.map((i) => i.path)).toEqual([
      ['input', 'relevanceThreshold'],
      ['input', 'tokenBudget'],
    ]);
  });
});
