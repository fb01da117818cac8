/**
 * Turns free text into a safe Lucene query for the fulltext index: words only (every Lucene
 * operator and special character is dropped, so input can never change the query's structure),
 * stop words removed, OR-ed. Returns null when nothing searchable is left.
 */
const STOP_WORDS = new Set(
  'a an and are as at be by for from has have in is it its of on or that the this to was were will with what which who how why when where do does should would could can our we you your their they them about into than then there these those'.split(
    ' ',
  ),
);

export function toLuceneQuery(text: string, maxTerms = 32): string | null {
  const terms = [...new Set(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])]
    .filter((term) => term.length > 1 && !STOP_WORDS.has(term))
    .slice(0, maxTerms);
  return terms.length === 0 ? null : terms.join(' OR ');
}
