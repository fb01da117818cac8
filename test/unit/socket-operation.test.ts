import { GraphQLError, type ExecutionArgs, type ValidationRule } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildSchema } from '../../src/graphql/schema.js';
import type { RequestContext, Services } from '../../src/graphql/request-context.js';
import { createSocketOperationPreparer, type PreparedSocketOperation } from '../../src/graphql/socket-operation.js';

const schema = buildSchema();
const services = {} as Services;
const agent = { kind: 'agent', agentId: 'watcher' } as const;
const subscription = 'subscription Watch { contextPublished { seq change } }';

/** Rejects every field named `secret…`: stands in for graphql-armor's rules. */
const noSecrets: ValidationRule = (context) => ({
  Field(node) {
    if (node.name.value.startsWith('secret')) context.reportError(new GraphQLError('armor says no'));
  },
});

const prepare = createSocketOperationPreparer({ schema, services, validationRules: [noSecrets], maxTokens: 40, maxSubscriptions: 2 });
const codes = (result: PreparedSocketOperation) => (Array.isArray(result) ? result.map((e: GraphQLError) => e.extensions['code']) : []);

describe('preparing a WebSocket operation', () => {
  it('prepares an authenticated subscription with a context for its viewer', () => {
    const result = prepare({
      payload: { query: subscription, variables: { a: 1 }, operationName: 'Watch' },
      viewer: agent,
      heldSubscriptions: 1,
    });
    expect(Array.isArray(result)).toBe(false);
    const args = result as ExecutionArgs;
    expect(args.schema).toBe(schema);
    expect(args.variableValues).toEqual({ a: 1 });
    expect(args.operationName).toBe('Watch');
    const context = args.contextValue as RequestContext;
    expect(context.viewer).toEqual(agent);
    expect(context.services).toBe(services);
    expect(context.loaders.agent).toBeDefined();
  });

  it('refuses more subscriptions than a socket may hold', () => {
    expect(codes(prepare({ payload: { query: subscription }, viewer: agent, heldSubscriptions: 3 }))).toEqual(['QUERY_TOO_COMPLEX']);
  });

  it('applies the token limit while parsing (QUERY_TOO_COMPLEX, as on HTTP), and reports syntax errors', () => {
    const long = `subscription { ${Array.from({ length: 30 }, (_, i) => `a${i}: contextPublished { seq }`).join(' ')} }`;
    expect(codes(prepare({ payload: { query: long }, viewer: agent, heldSubscriptions: 1 }))).toEqual(['QUERY_TOO_COMPLEX']);
    expect(codes(prepare({ payload: { query: 'subscription {' }, viewer: agent, heldSubscriptions: 1 }))).toEqual(['GRAPHQL_PARSE_FAILED']);
  });

  it('validates with the specified rules and the extra ones, as HTTP does', () => {
    const unknownField = prepare({ payload: { query: 'subscription { noSuchField }' }, viewer: agent, heldSubscriptions: 1 });
    expect((unknownField as GraphQLError[])[0]?.message).toContain('noSuchField');
    const armored = prepare({ payload: { query: 'subscription { secretStuff }' }, viewer: agent, heldSubscriptions: 1 });
    expect((armored as GraphQLError[]).map((e) => e.message)).toContain('armor says no');
  });

  it('accepts only subscriptions', () => {
    expect(codes(prepare({ payload: { query: '{ me { id } }' }, viewer: agent, heldSubscriptions: 1 }))).toEqual(['BAD_REQUEST']);
  });

  it('needs the viewer the socket authenticated as', () => {
    expect(codes(prepare({ payload: { query: subscription }, viewer: undefined, heldSubscriptions: 1 }))).toEqual(['UNAUTHENTICATED']);
  });
});
