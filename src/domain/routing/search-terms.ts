/**
 * The words of free text worth searching for: letters and digits only (punctuation and operators of
 * any query language are dropped), lower-cased, de-duplicated, stop words and single characters
 * removed, at most `maxTerms` (default 32). The fulltext adapter turns them into its own query syntax.
 */
const STOP_WORDS = new Set(
  'a an and are as at be by for from has have in is it its of on or that the this to was were will with what which who how why when where do does should would could can our we you your their they them about into than then there these those'.split(
    ' ',
  ),
);

/** Default cap on search terms: enough for a long task description, small enough for a fast fulltext query. */
export const MAX_SEARCH_TERMS = 32;

export function searchTerms(text: string, maxTerms = MAX_SEARCH_TERMS): string[] {
  return [...new Set(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])]
    .filter((term) => term.length > 1 && !STOP_WORDS.has(term))
    .slice(0, maxTerms);
}
