import {
  GraphQLError,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type GraphQLSchema,
  type ValidationRule,
} from 'graphql';
import type { SubscribePayload } from 'graphql-ws';
import type { Viewer } from '../domain/types.js';
import { isLimitRejection } from './errors.js';
import { createRequestContext, type Services } from './request-context.js';

export interface SocketOperationOptions {
  schema: GraphQLSchema;
  services: Services;
  /** Extra validation rules (graphql-armor's), applied after the specified ones, as on HTTP. */
  validationRules: readonly ValidationRule[];
  /** Tokens a document may have (the parse limit). */
  maxTokens: number;
  /** Subscriptions one socket may hold at once. */
  maxSubscriptions: number;
}

/** What the socket knows when a client subscribes. */
export interface SocketOperationRequest {
  payload: SubscribePayload;
  /** Who the socket authenticated as at connection_init; unset when it did not. */
  viewer: Viewer | undefined;
  /** Subscriptions the socket holds, counting the one being prepared (graphql-ws reserves it first). */
  heldSubscriptions: number;
}

/** Execution arguments for graphql-ws, or the errors it sends back instead. */
export type PreparedSocketOperation = ExecutionArgs | readonly GraphQLError[];

const error = (message: string, code: string) => [new GraphQLError(message, { extensions: { code } })];

/**
 * graphql-ws' `onSubscribe`, without the socket: a bare useServer would skip the limits, so the
 * socket path gets the same parse limit and validation rules as HTTP, then accepts only
 * subscriptions from an authenticated viewer.
 */
export function createSocketOperationPreparer(options: SocketOperationOptions) {
  const { schema, services, maxTokens, maxSubscriptions } = options;
  const rules = [...specifiedRules, ...options.validationRules];

  return ({ payload, viewer, heldSubscriptions }: SocketOperationRequest): PreparedSocketOperation => {
    if (heldSubscriptions > maxSubscriptions) return error(`At most ${maxSubscriptions} subscriptions per connection`, 'QUERY_TOO_COMPLEX');
    let document: DocumentNode;
    try {
      document = parse(payload.query, { maxTokens });
    } catch (parseError) {
      const message = (parseError as Error).message;
      return error(message, isLimitRejection(message) ? 'QUERY_TOO_COMPLEX' : 'GRAPHQL_PARSE_FAILED');
    }
    // Limit rejections get the code HTTP gives them (formatError does not run on the socket path).
    const invalid = validate(schema, document, rules).map((e) =>
      isLimitRejection(e.message) ? new GraphQLError(e.message, { extensions: { code: 'QUERY_TOO_COMPLEX' } }) : e,
    );
    if (invalid.length > 0) return invalid;
    if (document.definitions.some((d) => d.kind === 'OperationDefinition' && d.operation !== 'subscription')) {
      return error('Only subscriptions are accepted over WebSocket; send queries and mutations over HTTP', 'BAD_REQUEST');
    }
    if (!viewer) return error('Not authenticated', 'UNAUTHENTICATED');
    return {
      schema,
      document,
      variableValues: payload.variables ?? null,
      operationName: payload.operationName ?? null,
      contextValue: createRequestContext(viewer, services),
    };
  };
}
