import { describe, expect, it } from 'vitest';
import { toLuceneQuery } from '../../src/adapters/neo4j/lucene.js';
import { MAX_SEARCH_TERMS, searchTerms } from '../../src/domain/routing/search-terms.js';

describe('search terms (domain)', () => {
  it('keeps words only, lower-cased, without stop words or repeats', () => {
    expect(searchTerms('What are the EU cookie rules? Cookie RULES!')).toEqual(['eu', 'cookie', 'rules']);
    expect(searchTerms('title:(budget) AND revenue* OR "growth~2" \\ -margin +risk')).toEqual([
      'title',
      'budget',
      'revenue',
      'growth',
      'margin',
      'risk',
    ]);
    expect(searchTerms('the of and ??? !!')).toEqual([]);
  });

  it('caps the number of terms', () => {
    const words = Array.from({ length: 50 }, (_, i) => `word${i}`).join(' ');
    expect(searchTerms(words)).toHaveLength(MAX_SEARCH_TERMS);
    expect(searchTerms(words, 3)).toEqual(['word0', 'word1', 'word2']);
  });
});

describe('Lucene query (fulltext adapter)', () => {
  it('ORs the terms, and is null when there is nothing to search', () => {
    expect(toLuceneQuery(searchTerms('What are the EU cookie rules?'))).toBe('eu OR cookie OR rules');
    expect(toLuceneQuery([])).toBeNull();
  });

  it('escapes anything that could change the query structure, even if a caller passes it', () => {
    expect(toLuceneQuery(['title:(x)', 'a*', '"q"~2', 'back\\slash', 'AND', 'NOT'])).toBe(
      'title\\:\\(x\\) OR a\\* OR \\"q\\"\\~2 OR back\\\\slash OR "AND" OR "NOT"',
    );
  });
});
