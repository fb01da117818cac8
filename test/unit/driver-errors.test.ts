import { Neo4jError } from 'neo4j-driver';
import { describe, expect, it } from 'vitest';
import { translateError } from '../../src/adapters/neo4j/executor.js';
import { AlreadyExistsError, DatabaseUnavailableError, NotFoundError } from '../../src/domain/errors.js';

const CONSTRAINT = 'Neo.ClientError.Schema.ConstraintValidationFailed';
const driverError = (message: string, code: string) => new Neo4jError(message, code, 'N/A', 'N/A');

describe('translateError (the one place driver errors become domain errors)', () => {
  it('names only the id that clashed on a unique constraint, with its kind', () => {
    const context = translateError(
      driverError("Node(12) already exists with label `Context` and property `id` = 'race-x'", CONSTRAINT),
    ) as AlreadyExistsError;
    expect(context).toBeInstanceOf(AlreadyExistsError);
    expect(context).toMatchObject({ kind: 'Context', ids: ['race-x'], details: { kind: 'Context', ids: ['race-x'] } });

    const agent = translateError(driverError("Node(3) already exists with label `Agent` and property `id` = 'legal'", CONSTRAINT));
    expect(agent).toMatchObject({ code: 'ALREADY_EXISTS', kind: 'Agent', ids: ['legal'] });
  });

  it('falls back to the kind alone when the value cannot be read, and leaves other constraints internal', () => {
    expect(translateError(driverError('Node(12) already exists with label `Context`', CONSTRAINT))).toMatchObject({
      code: 'ALREADY_EXISTS',
      kind: 'Context',
      ids: [],
    });
    const keyHash = driverError("Node(1) already exists with label `Agent` and property `apiKeyHash` = 'abc'", CONSTRAINT);
    expect(translateError(keyHash)).toBe(keyHash);
    const other = driverError('Node(1) already exists with label `Event` and property `seq` = 4', CONSTRAINT);
    expect(translateError(other)).toBe(other);
  });

  it('reports connectivity failures as DATABASE_UNAVAILABLE and passes domain errors through', () => {
    expect(translateError(driverError('connection refused', 'ServiceUnavailable'))).toBeInstanceOf(DatabaseUnavailableError);
    const domain = new NotFoundError('Context', ['x']);
    expect(translateError(domain)).toBe(domain);
    const syntax = driverError('Invalid input', 'Neo.ClientError.Statement.SyntaxError');
    expect(translateError(syntax)).toBe(syntax);
  });
});
