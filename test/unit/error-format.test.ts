import { Writable } from 'node:stream';
import { GraphQLError } from 'graphql';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { NotFoundError, VersionConflictError } from '../../src/domain/errors.js';
import { createFormatError } from '../../src/graphql/errors.js';

function capturingLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: pino({ level: 'error' }, stream), lines };
}

const resolverError = (original: Error) => new GraphQLError(original.message, { path: ['context'], originalError: original });

describe('error formatting at the GraphQL edge', () => {
  it('masks unknown errors as INTERNAL_SERVER_ERROR and logs the original', () => {
    const { logger, lines } = capturingLogger();
    const format = createFormatError(logger);
    const secret = new Error('Neo.ClientError.Statement.SyntaxError near MATCH (c:Context) password=hunter2');
    const formatted = format({ message: secret.message, path: ['context'] }, resolverError(secret));
    expect(formatted).toEqual({ message: 'Internal server error', path: ['context'], extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect(lines.join('')).toContain('SyntaxError');
  });

  it('keeps domain errors with their code and details', () => {
    const format = createFormatError(capturingLogger().logger);
    const formatted = format({ message: 'x' }, resolverError(new VersionConflictError('c1', 1, 3)));
    expect(formatted.extensions).toEqual({ code: 'VERSION_CONFLICT', contextId: 'c1', expectedVersion: 1, actualVersion: 3 });
    expect(format({ message: 'x' }, resolverError(new NotFoundError('Context', ['a', 'b']))).extensions).toMatchObject({
      code: 'NOT_FOUND',
      ids: ['a', 'b'],
    });
  });

  it('reports limit rejections as QUERY_TOO_COMPLEX and strips stack traces from pass-through codes', () => {
    const format = createFormatError(capturingLogger().logger);
    expect(
      format(
        { message: 'Syntax Error: Query depth limit of 12 exceeded, found 16.', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } },
        new Error(),
      ).extensions,
    ).toEqual({
      code: 'QUERY_TOO_COMPLEX',
    });
    const passed = format(
      { message: 'Cannot query field', extensions: { code: 'GRAPHQL_VALIDATION_FAILED', stacktrace: ['at x'] } },
      new Error(),
    );
    expect(passed.extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED' });
  });
});
