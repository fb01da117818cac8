import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { GraphQLDateTime, GraphQLJSON } from 'graphql-scalars';

const invalidDateTime = () =>
  new GraphQLError('DateTime must be an ISO-8601 string with a time zone, e.g. 2026-11-25T08:30:00Z', {
    extensions: { code: 'BAD_USER_INPUT' },
  });

/** ISO-8601 lets seconds be left out (`08:30Z`), RFC 3339 does not; this scalar always took them, so supply `:00`. */
const withSeconds = (value: string) => value.replace(/T(\d{2}:\d{2})(?=Z|[+-]\d{2}:\d{2})/i, 'T$1:00');

/** graphql-scalars parses to a Date; the domain takes ISO-8601 UTC strings with milliseconds. */
function toIsoString(parse: () => unknown): string {
  let parsed: unknown;
  try {
    parsed = parse();
  } catch {
    throw invalidDateTime();
  }
  if (!(parsed instanceof Date) || Number.isNaN(parsed.getTime())) throw invalidDateTime();
  return parsed.toISOString();
}

/**
 * RFC 3339 date-time, checked by graphql-scalars, adapted at this boundary: values reach the
 * domain (and leave it) as ISO-8601 UTC strings with milliseconds, and a bad one is BAD_USER_INPUT.
 */
export const DateTime = new GraphQLScalarType<string, string>({
  ...GraphQLDateTime.toConfig(),
  serialize: (value) => (GraphQLDateTime.serialize(value) as Date).toISOString(),
  // Only strings: graphql-scalars would also take a Date object, which no JSON request carries.
  parseValue: (value) => toIsoString(() => (typeof value === 'string' ? GraphQLDateTime.parseValue(withSeconds(value)) : undefined)),
  parseLiteral: (ast) => toIsoString(() => (ast.kind === Kind.STRING ? GraphQLDateTime.parseValue(withSeconds(ast.value)) : undefined)),
});

/** Any JSON value (the structured `content` of a context). */
export const JSON = GraphQLJSON;
