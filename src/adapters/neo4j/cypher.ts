declare const cypherBrand: unique symbol;

/**
 * Cypher text written in this code base. Values always travel as `$parameters`; the only things ever
 * spliced into Cypher text are other `Cypher` fragments, made by `cypher`, `alias` or `pathBound`.
 * The brand makes that a type rule: interpolating a plain string (say, a request value) does not compile.
 */
export type Cypher = string & { readonly [cypherBrand]: true };

/** Builds Cypher from literal text and other Cypher fragments only. */
export function cypher(strings: TemplateStringsArray, ...fragments: readonly Cypher[]): Cypher {
  let text = strings[0] ?? '';
  fragments.forEach((fragment, index) => {
    text += fragment + (strings[index + 1] ?? '');
  });
  return text as Cypher;
}

/** The variable names our statements bind; the only identifiers fragments are parameterised by. */
export const ALIASES = ['a', 'b', 'c', 'd', 'm', 'n', 'o', 'v', 'w', 'x', 'y'] as const;
export type Alias = (typeof ALIASES)[number];

export function alias(name: Alias): Cypher {
  if (!(ALIASES as readonly string[]).includes(name)) throw new RangeError(`not an allowed Cypher alias: ${String(name)}`);
  return name as string as Cypher;
}

/** Largest traversal depth any configuration may allow; bounds the statements we generate. */
export const MAX_TRAVERSAL_DEPTH = 20;

/** The one number spliced into Cypher (a path-length bound cannot be a parameter), checked here. */
export function pathBound(depth: number): Cypher {
  if (!Number.isInteger(depth) || depth < 1 || depth > MAX_TRAVERSAL_DEPTH) {
    throw new RangeError(`traversal depth must be an integer in 1..${MAX_TRAVERSAL_DEPTH}, got ${String(depth)}`);
  }
  return ('{1,' + String(depth) + '}') as Cypher;
}
