/**
 * Extractive summary: the most salient sentences of the contexts that did not fit, quoted verbatim and
 * attributed to their source, within a token limit. Local and deterministic: no network, no randomness.
 */
import type { TokenCounter } from '../ports.js';

export interface SummaryItem {
  id: string;
  text: string;
  /** Relevance score of the context (0..1); weighs its sentences. */
  score: number;
}

export interface ExtractiveSummary {
  /** One line per source, in input order: `[id] sentence sentence …`; sentences in their original order. */
  text: string;
  /** Sources with at least one sentence in `text`, in input order. */
  includedIds: string[];
  /** Real tokens of `text`; never more than the limit. */
  tokens: number;
}

/** Added to the salience of each context's first sentence: it usually states what the context is about. */
const FIRST_SENTENCE_PRIOR = 0.15;
/**
 * A sentence is skipped without tokenizing it when it has more words than the room left: BPE tokenizers
 * such as o200k_base split text at spaces before merging, so a sentence costs at least one token per word.
 * This only spares work (tokenizing every leftover sentence would dominate the cost); the limit itself is
 * enforced on the real count of the rendered text.
 */
function wordCount(text: string): number {
  let n = 1;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 32) n++;
  return n;
}

/**
 * Splits text into sentences. Lines are joined into paragraphs (hard-wrapped text); blank lines, bullet
 * items (`-`, `*`, `•`, `1.`, `2)`, continued by indented lines) and Markdown headings start new blocks,
 * so a sentence never spans them.
 * Within a block a sentence ends at `.`, `!`, `?` or `…` (plus closing quotes or brackets) followed by
 * whitespace, unless the word is a known abbreviation ("e.g.", "Dr."), an initial, or the next word starts
 * in lower case. Decimals and versions ("15.5%", "v1.2") never split because no whitespace follows the dot.
 */
export function splitSentences(text: string): string[] {
  return blocks(text).flatMap((block) => splitBlock(block));
}

/**
 * End offsets (exclusive) of the sentences of one line or block, by the rules of `splitSentences`;
 * the end of the string is always the last one. Exported for cutting text at sentence boundaries.
 */
export function sentenceEnds(block: string): number[] {
  const ends: number[] = [];
  const re = /([.!?…]+)(["'”’)\]]*)(\s+)/g;
  for (let m = re.exec(block); m !== null; m = re.exec(block)) {
    const punct = m[1] ?? '';
    const end = m.index + punct.length + (m[2] ?? '').length;
    const next = block[m.index + m[0].length];
    if (next === undefined) break;
    if (/\p{Ll}/u.test(next)) continue; // "see fig. below", unknown abbreviations
    if (punct === '.') {
      const start = block.lastIndexOf(' ', m.index) + 1;
      const word = block
        .slice(start, m.index + 1)
        .replace(/^["'“‘([]+/, '')
        .toLowerCase();
      if (ABBREVIATIONS.has(word) || /^(?:\p{L}\.){2,}$/u.test(word) || /^\p{Lu}\.$/u.test(block.slice(start, m.index + 1))) continue;
    }
    ends.push(end);
  }
  const trimmedEnd = block.trimEnd().length;
  if (ends.at(-1) !== trimmedEnd && trimmedEnd > 0) ends.push(trimmedEnd);
  return ends;
}

const ABBREVIATIONS = new Set(
  'e.g. i.e. vs. cf. viz. al. approx. incl. resp. mr. mrs. ms. dr. prof. jr. sr. inc. ltd. corp. dept. fig. figs. eq. ref. vol. no. nos. pp. st.'.split(
    ' ',
  ),
);
const BULLET = /^(?:[-*•‣◦+]|\d{1,3}[.)])\s+/;

function blocks(text: string): string[] {
  const out: string[] = [];
  let para: string[] = [];
  let inBullet = false;
  const flush = (): void => {
    if (para.length > 0) out.push(para.join(' '));
    para = [];
    inBullet = false;
  };
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '') {
      flush();
      continue;
    }
    const marker = BULLET.exec(line) ?? /^#{1,6}\s+/.exec(line);
    if (marker) {
      flush();
      para.push(line.slice(marker[0].length));
      if (marker[0].startsWith('#'))
        flush(); // a heading never continues onto the next line
      else inBullet = true;
      continue;
    }
    // An indented line continues a bullet item (Markdown); an unindented one starts a new paragraph.
    if (inBullet && !/^\s/.test(raw)) flush();
    para.push(line);
  }
  flush();
  return out;
}

function splitBlock(block: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (const end of sentenceEnds(block)) {
    const s = block.slice(start, end).trim();
    if (s !== '') out.push(s);
    start = end;
  }
  return out;
}

interface Candidate {
  item: number;
  words: number;
  /** Position of the sentence within its item. */
  index: number;
  /** As rendered: bullets and headings without final punctuation get a full stop so the line reads on. */
  text: string;
  rank: number;
}

/**
 * Picks sentences by rank = item score × (TF-IDF cosine to the score-weighted centroid of all sentences,
 * plus a small prior for each item's first sentence), greedily until `maxTokens`, and renders them in
 * original order grouped by item as `[id] sentence sentence`, one line per item. Exact duplicates (case
 * and spacing aside) are kept once, at their best rank. Only when not one whole sentence fits is the best
 * sentence that can be cut at a word boundary shortened, ending in "…". Ties break by input order.
 */
export function extractiveSummary(items: readonly SummaryItem[], maxTokens: number, tokens: TokenCounter): ExtractiveSummary {
  const empty: ExtractiveSummary = { text: '', includedIds: [], tokens: 0 };
  const max = Number.isFinite(maxTokens) ? Math.floor(maxTokens) : 0;
  if (max <= 0) return empty;
  const candidates = rankedCandidates(items);
  if (candidates.length === 0) return empty;

  // Greedy on estimated costs (a sentence's own tokens plus its separator or `[id] ` prefix); token counts
  // are near-additive at whitespace, and the rendered text is counted for real below.
  const selected: Candidate[] = [];
  const opened = new Set<number>();
  let estimate = 0;
  for (const c of candidates) {
    const room = max - estimate;
    if (room <= 0) break;
    if (c.words > room) continue;
    const id = items[c.item]?.id ?? '';
    const piece = selected.length === 0 ? `[${id}] ${c.text}` : opened.has(c.item) ? ` ${c.text}` : `\n[${id}] ${c.text}`;
    const cost = tokens.count(piece);
    if (cost > room) continue;
    selected.push(c);
    opened.add(c.item);
    estimate += cost;
  }

  // Enforce the limit on the real rendering: drop the lowest-ranked sentence until it fits.
  while (selected.length > 0) {
    const text = render(items, selected);
    const count = tokens.count(text);
    if (count <= max) return { text, includedIds: idsOf(items, selected), tokens: count };
    selected.pop();
  }
  return truncatedBest(items, candidates, max, tokens) ?? empty;
}

/**
 * The fewest tokens for which `extractiveSummary` says anything about `items` (its shortest possible
 * output: some sentence's first word with its `[id]` prefix), or null when the items have no text.
 */
export function minimalExtractiveTokens(items: readonly SummaryItem[], tokens: TokenCounter): number | null {
  let best: number | null = null;
  for (const c of rankedCandidates(items)) {
    const words = c.text.split(/\s+/);
    const shortest = words.length > 1 ? `${words[0] ?? ''}…` : c.text;
    const n = tokens.count(`[${items[c.item]?.id ?? ''}] ${shortest}`);
    if (best === null || n < best) best = n;
  }
  return best;
}

function rankedCandidates(items: readonly SummaryItem[]): Candidate[] {
  // Terms are interned to integers and vectors kept as flat arrays: leftovers can run to hundreds of
  // thousands of tokens, and Map-per-sentence vectors made this the dominant cost.
  const termIds = new Map<string, number>();
  const sentences: { item: number; index: number; text: string; terms: Int32Array; weights: Float64Array }[] = [];
  items.forEach((it, item) => {
    splitSentences(it.text).forEach((s, index) => {
      const counts = new Map<number, number>();
      for (const t of terms(s)) {
        let id = termIds.get(t);
        if (id === undefined) termIds.set(t, (id = termIds.size));
        counts.set(id, (counts.get(id) ?? 0) + 1);
      }
      const text = /[.!?…:;)"'”’]$/.test(s) ? s : `${s}.`;
      sentences.push({ item, index, text, terms: Int32Array.from(counts.keys()), weights: Float64Array.from(counts.values()) });
    });
  });
  if (sentences.length === 0) return [];

  const df = new Int32Array(termIds.size);
  for (const s of sentences) for (const t of s.terms) df[t] = (df[t] ?? 0) + 1;
  const idf = Float64Array.from(df, (d) => Math.log(1 + sentences.length / Math.max(1, d)));
  // Unit TF-IDF vectors, and their centroid weighted by item score: it leans towards what the
  // higher-scored leftovers talk about.
  const centroid = new Float64Array(termIds.size);
  for (const s of sentences) {
    let norm = 0;
    s.terms.forEach((t, k) => {
      const x = (s.weights[k] ?? 0) * (idf[t] ?? 0);
      s.weights[k] = x;
      norm += x * x;
    });
    norm = Math.sqrt(norm) || 1;
    const w = weightOf(items[s.item]?.score);
    s.terms.forEach((t, k) => {
      const x = (s.weights[k] ?? 0) / norm;
      s.weights[k] = x;
      centroid[t] = (centroid[t] ?? 0) + w * x;
    });
  }
  const cNorm = Math.sqrt(centroid.reduce((a, x) => a + x * x, 0)) || 1;

  const seen = new Set<string>();
  return sentences
    .map((s): Candidate => {
      let dot = 0;
      s.terms.forEach((t, k) => (dot += (s.weights[k] ?? 0) * (centroid[t] ?? 0)));
      const salience = dot / cNorm + (s.index === 0 ? FIRST_SENTENCE_PRIOR : 0);
      return { item: s.item, words: wordCount(s.text), index: s.index, text: s.text, rank: weightOf(items[s.item]?.score) * salience };
    })
    .sort((a, b) => b.rank - a.rank || a.item - b.item || a.index - b.index)
    .filter((c) => {
      const key = c.text.toLowerCase().replace(/\s+/g, ' ');
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

/** Scores at or below 0 still order sentences by salience instead of all tying at 0. */
function weightOf(score: number | undefined): number {
  return Math.max(0, score ?? 0) + 1e-3;
}

const STOPWORDS = new Set(
  'a an and are as at be been but by can could did do does for from had has have he her his how if in into is it its may might more most must no nor not of on or our out over she should so some such than that the their them then there these they this those to too under up was we were what when where which while who why will with would you your'.split(
    ' ',
  ),
);

/** Content words and numbers of a sentence, lower-cased, stop words dropped. */
function terms(sentence: string): string[] {
  const out: string[] = [];
  for (const m of sentence.toLowerCase().matchAll(/[\p{L}\p{N}]+/gu)) {
    const t = m[0];
    if (STOPWORDS.has(t) || (t.length < 2 && !/\p{N}/u.test(t))) continue;
    out.push(t);
  }
  return out;
}

function render(items: readonly SummaryItem[], selected: readonly Candidate[]): string {
  const byItem = new Map<number, Candidate[]>();
  for (const c of selected) byItem.set(c.item, [...(byItem.get(c.item) ?? []), c]);
  return [...byItem.keys()]
    .sort((a, b) => a - b)
    .map((item) => {
      const sentences = (byItem.get(item) ?? []).sort((a, b) => a.index - b.index).map((c) => c.text);
      return `[${items[item]?.id ?? ''}] ${sentences.join(' ')}`;
    })
    .join('\n');
}

function idsOf(items: readonly SummaryItem[], selected: readonly Candidate[]): string[] {
  return [...new Set(selected.map((c) => c.item))].sort((a, b) => a - b).map((i) => items[i]?.id ?? '');
}

/** Last resort: the best-ranked sentence whose first words fit, cut at the last word that fits, plus "…". */
function truncatedBest(
  items: readonly SummaryItem[],
  candidates: readonly Candidate[],
  max: number,
  tokens: TokenCounter,
): ExtractiveSummary | null {
  for (const c of candidates) {
    const words = c.text.split(/\s+/);
    if (words.length < 2) continue; // a one-word sentence is whole, and the greedy pass already tried it
    const id = items[c.item]?.id ?? '';
    const cut = (k: number): string => `[${id}] ${words.slice(0, k).join(' ')}…`;
    if (tokens.count(cut(1)) > max) continue;
    let lo = 1; // fits
    let hi = words.length; // k = words.length would be the whole sentence, which did not fit
    while (hi - lo > 1) {
      const mid = (lo + hi) >>> 1;
      if (tokens.count(cut(mid)) <= max) lo = mid;
      else hi = mid;
    }
    const text = cut(lo);
    return { text, includedIds: [id], tokens: tokens.count(text) };
  }
  return null;
}
