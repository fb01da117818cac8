import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { DomainError } from '../domain/errors.js';

/** Apollo's own codes we let through unchanged (they describe the request, not our internals). */
const PASS_THROUGH = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'DATABASE_UNAVAILABLE',
  'QUERY_TOO_COMPLEX',
]);

/** Rejections by graphql-armor and by Apollo's token limit read as QUERY_TOO_COMPLEX. */
const TOO_COMPLEX = /(depth limit|cost limit|aliases limit|directives limit|token limit|more than \d+ tokens|more that \d+ tokens)/i;

/** Whether an error is a limit rejection (graphql-armor or the parse token limit): QUERY_TOO_COMPLEX on HTTP and WebSocket. */
export const isLimitRejection = (message: string): boolean => TOO_COMPLEX.test(message);

/**
 * The edge where errors get their public code. Domain errors keep their message and
 * details; limit rejections become QUERY_TOO_COMPLEX; anything unknown is logged and
 * masked, so no driver message or stack reaches a client.
 */
export function createFormatError(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if (original instanceof DomainError) {
      return {
        message: original.message,
        ...(formatted.locations ? { locations: formatted.locations } : {}),
        ...(formatted.path ? { path: formatted.path } : {}),
        extensions: { ...original.details, code: original.code },
      };
    }
    const code = formatted.extensions?.['code'];
    if (TOO_COMPLEX.test(formatted.message)) {
      return { message: formatted.message, extensions: { code: 'QUERY_TOO_COMPLEX' } };
    }
    if (typeof code === 'string' && PASS_THROUGH.has(code)) {
      const { stacktrace: _dropped, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    logger.error({ err: original, path: formatted.path }, 'unexpected error');
    return {
      message: 'Internal server error',
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}

/** A GraphQLError for the edge (context creation, sockets), with the HTTP status that fits the code. */
export function edgeError(error: unknown): GraphQLError {
  if (error instanceof DomainError) {
    const status = error.code === 'UNAUTHENTICATED' ? 401 : error.code === 'DATABASE_UNAVAILABLE' ? 503 : 400;
    return new GraphQLError(error.message, { extensions: { code: error.code, http: { status } } });
  }
  return new GraphQLError('Internal server error', { extensions: { code: 'INTERNAL_SERVER_ERROR', http: { status: 500 } } });
}
