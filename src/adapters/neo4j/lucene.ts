/** Characters with a meaning in Lucene's classic query syntax; escaped so a term is only ever a term. */
const SPECIAL = /[+\-&|!(){}[\]^"~*?:\\/]/g;
/** Operators the parser reads as words when written in upper case. */
const OPERATORS = new Set(['AND', 'OR', 'NOT', 'TO']);

const escapeTerm = (term: string) => {
  const escaped = term.replace(SPECIAL, (c) => '\\' + c);
  return OPERATORS.has(escaped) ? `"${escaped}"` : escaped;
};

/**
 * The fulltext index's query for search terms: each term escaped, OR-ed, so no input can change
 * the query's structure. Null when there is nothing to search for (the caller skips the index).
 */
export function toLuceneQuery(terms: readonly string[]): string | null {
  const safe = terms.filter((term) => term.length > 0).map(escapeTerm);
  return safe.length === 0 ? null : safe.join(' OR ');
}
