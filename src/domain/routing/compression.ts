/**
 * Compression of what does not fit, and the plan that combines it with packing. Pure orchestration: the
 * LLM is a port (`Summarizer`), token counting is a port, and nothing here does I/O itself.
 */
import { BudgetTooSmallError } from '../errors.js';
import type { TokenCounter } from '../ports.js';
import { extractiveSummary, minimalExtractiveTokens, sentenceEnds, type SummaryItem } from './extractive-summary.js';
import { packToBudget } from './packing.js';
import type { CompressedContext, ScoredContext } from './types.js';

/**
 * Smallest summary worth producing, and the smallest budget `planPackage` accepts: below ~16 tokens a
 * summary is a source id and a couple of words, and hardly any context is that small either.
 */
export const MIN_SUMMARY_TOKENS = 16;
/** Share of the budget held back for the summary when not every candidate fits (then capped by `SUMMARY_RESERVE_MAX`). */
export const SUMMARY_RESERVE_SHARE = 0.15;
/** Cap on the summary reserve: past ~512 tokens whole contexts are worth more to the reader than a longer digest. */
export const SUMMARY_RESERVE_MAX = 512;
/** Default cap on the leftover tokens sent to the LLM: keeps the prompt within common context windows and bounds cost. */
export const DEFAULT_LLM_INPUT_TOKENS = 32_000;
/**
 * Leftovers a summary reads, best first. A summary holds a few hundred tokens; ranking the sentences of
 * thousands of leftovers costs time (about 130 ms for 255k tokens) without changing what is chosen.
 */
export const MAX_SUMMARY_SOURCES = 50;

/** An abstractive summarizer (an LLM behind an adapter that owns the transport, timeouts and retries). */
export interface Summarizer {
  readonly method: 'LLM';
  /** A summary of `items` meant to stay within `maxTokens`; the caller still counts and enforces it. */
  summarize(items: readonly SummaryItem[], maxTokens: number): Promise<string>;
}

/** Passed to `onLlmError` when the LLM answered but its answer could not be used. */
export class SummaryRejectedError extends Error {
  override readonly name = 'SummaryRejectedError';
}

export interface CompressionDeps {
  tokens: TokenCounter;
  /** Tried first when present; any failure falls back to the extractive summary. */
  llm?: Summarizer | undefined;
  /** Told why the LLM summary was not used (the request failed, or its answer was empty or too long). */
  onLlmError?: ((error: unknown) => void) | undefined;
  /** Leftover tokens sent to the LLM, best-scored contexts first. Default `DEFAULT_LLM_INPUT_TOKENS`. */
  llmInputTokens?: number | undefined;
}

/**
 * Summarises `leftover` (score order) within `maxTokens`. Null when there is nothing to summarise, when
 * `maxTokens < MIN_SUMMARY_TOKENS`, or when not even a minimal extractive summary fits.
 *
 * LLM first, when given, over the best-scored leftovers up to `llmInputTokens`. Its answer is counted;
 * an answer over the limit is cut at the last sentence or line boundary that fits, provided that keeps at
 * least half the limit (and `MIN_SUMMARY_TOKENS`); otherwise, or when the call throws (including the
 * adapter's timeout) or returns nothing, the extractive summary is used and `onLlmError` is told.
 *
 * `originalContextIds`: for the extractive summary, the contexts it quotes; for the LLM, the contexts sent
 * whose id the summary cites, or all contexts sent when it cites none.
 */
export async function compressLeftovers(
  leftover: readonly ScoredContext[],
  maxTokens: number,
  deps: CompressionDeps,
): Promise<CompressedContext | null> {
  const max = Number.isFinite(maxTokens) ? Math.floor(maxTokens) : 0;
  const withText = leftover.filter((l) => l.context.text.trim() !== '');
  if (withText.length === 0 || max < MIN_SUMMARY_TOKENS) return null;
  const originalTokens = new Map(withText.map((l) => [l.context.id, l.tokens]));

  const result = (text: string, ids: string[], method: CompressedContext['method']): CompressedContext => {
    const tokens = deps.tokens.count(text);
    const original = ids.reduce((s, id) => s + (originalTokens.get(id) ?? 0), 0);
    return { text, originalContextIds: ids, tokens, compressionRatio: original / tokens, method };
  };

  if (deps.llm) {
    const sent = llmInput(withText, deps.llmInputTokens ?? DEFAULT_LLM_INPUT_TOKENS);
    if (sent.length > 0) {
      try {
        const text = fitLlmText(await deps.llm.summarize(sent.map(toSummaryItem), max), max, deps.tokens);
        return result(text, citedIds(text, sent), 'LLM');
      } catch (error) {
        try {
          deps.onLlmError?.(error);
        } catch {
          // A failing reporter must not cost the agent its summary.
        }
      }
    }
  }

  const summary = extractiveSummary(withText.map(toSummaryItem), max, deps.tokens);
  if (summary.text === '') return null;
  return result(summary.text, summary.includedIds, 'EXTRACTIVE');
}

export interface PlanDeps extends CompressionDeps {
  dependenciesOf: (id: string) => readonly string[];
}

export interface PlannedPackage {
  /** Reading order: dependencies first. */
  items: ScoredContext[];
  /** Items plus summary; never more than the budget. */
  tokens: number;
  compressed: CompressedContext | null;
}

/** Tokens held back for the summary: min(15 % of the budget, 512), at least `MIN_SUMMARY_TOKENS`. */
export function summaryReserve(budget: number): number {
  return Math.max(MIN_SUMMARY_TOKENS, Math.min(Math.floor(budget * SUMMARY_RESERVE_SHARE), SUMMARY_RESERVE_MAX));
}

/**
 * Packs `ranked` (score order) into `budget` and summarises the rest.
 *
 * - `budget < MIN_SUMMARY_TOKENS` (or not finite): `BudgetTooSmallError`, even with no candidates.
 * - No candidates: an empty package.
 * - Everything fits: all candidates, no reserve, no summary.
 * - Otherwise `summaryReserve(budget)` is held back, the rest is packed (`packToBudget`), and the leftovers
 *   are compressed into the reserve plus whatever the packing left unused. Should the summary come out
 *   empty, the reserve goes back to the items (re-packed into the whole budget).
 * - When neither an item nor a summary fits: `BudgetTooSmallError` naming the smallest budget that works,
 *   max(`MIN_SUMMARY_TOKENS`, min(smallest candidate, shortest extractive summary)).
 */
export async function planPackage(ranked: readonly ScoredContext[], budget: number, deps: PlanDeps): Promise<PlannedPackage> {
  const b = Number.isFinite(budget) ? Math.floor(budget) : Number.NaN;
  if (!(b >= MIN_SUMMARY_TOKENS))
    throw new BudgetTooSmallError(`Token budget ${budget} is below the minimum of ${MIN_SUMMARY_TOKENS}`, {
      budget,
      minimumBudget: MIN_SUMMARY_TOKENS,
    });
  if (ranked.length === 0) return { items: [], tokens: 0, compressed: null };

  const total = ranked.reduce((s, r) => s + r.tokens, 0);
  if (total <= b) {
    const all = packToBudget(ranked, b, deps.dependenciesOf);
    return { items: all.packed, tokens: all.tokens, compressed: null };
  }

  const reserved = packToBudget(ranked, b - summaryReserve(b), deps.dependenciesOf);
  const compressed = await compressLeftovers(reserved.leftover.slice(0, MAX_SUMMARY_SOURCES), b - reserved.tokens, deps);
  if (compressed !== null && compressed.compressionRatio < 1) {
    // A "summary" longer than what it represents: those items go in whole, and the rest is summarised.
    const represented = new Set(compressed.originalContextIds);
    const whole = reserved.leftover.filter((l) => represented.has(l.context.id));
    const wholeTokens = whole.reduce((sum, l) => sum + l.tokens, 0);
    if (reserved.tokens + wholeTokens <= b) {
      const included = new Set([...reserved.packed, ...whole].map((l) => l.context.id));
      const repacked = packToBudget(
        ranked.filter((r) => included.has(r.context.id)),
        reserved.tokens + wholeTokens,
        deps.dependenciesOf,
      );
      const rest = reserved.leftover.filter((l) => !represented.has(l.context.id));
      const restSummary = await compressLeftovers(rest.slice(0, MAX_SUMMARY_SOURCES), b - repacked.tokens, deps);
      const summary = restSummary !== null && restSummary.compressionRatio >= 1 ? restSummary : null;
      return { items: repacked.packed, tokens: repacked.tokens + (summary?.tokens ?? 0), compressed: summary };
    }
  }
  if (compressed !== null) return { items: reserved.packed, tokens: reserved.tokens + compressed.tokens, compressed };

  // No summary (not even an extractive one fits the reserve): the reserve is better spent on items.
  // Summarising again into the smaller slack could not succeed where the larger reserve failed.
  const full = packToBudget(ranked, b, deps.dependenciesOf);
  if (full.packed.length > 0) return { items: full.packed, tokens: full.tokens, compressed: null };

  const smallest = Math.min(...ranked.map((r) => r.tokens));
  const summary = minimalExtractiveTokens(ranked.map(toSummaryItem), deps.tokens) ?? Number.POSITIVE_INFINITY;
  const needed = Math.max(MIN_SUMMARY_TOKENS, Math.min(smallest, summary));
  throw new BudgetTooSmallError(
    `Token budget ${b} fits none of the ${ranked.length} candidate contexts (the smallest has ${smallest} tokens) ` +
      `nor a summary of them; the smallest budget that works is ${needed}`,
    { budget: b, minimumBudget: needed },
  );
}

function toSummaryItem(s: ScoredContext): SummaryItem {
  return { id: s.context.id, text: s.context.text, score: s.score };
}

/** Best-scored leftovers whose tokens add up to at most `cap` (larger ones are skipped, smaller later ones still go). */
function llmInput(leftover: readonly ScoredContext[], cap: number): ScoredContext[] {
  const out: ScoredContext[] = [];
  let used = 0;
  for (const l of leftover) {
    if (used + l.tokens > cap) continue;
    out.push(l);
    used += l.tokens;
  }
  return out;
}

/** The LLM's answer, cut to `max` tokens at a sentence or line boundary when that keeps enough of it. */
function fitLlmText(raw: string, max: number, tokens: TokenCounter): string {
  const text = raw.trim();
  if (text === '') throw new SummaryRejectedError('LLM summary was empty');
  const n = tokens.count(text);
  if (n <= max) return text;

  const ends: number[] = [];
  let offset = 0;
  for (const line of text.split('\n')) {
    for (const end of sentenceEnds(line)) ends.push(offset + end);
    offset += line.length + 1;
  }
  // Longest prefix ending at a boundary that fits; prefix token counts grow with length, so binary search.
  let lo = -1;
  let hi = ends.length;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (tokens.count(text.slice(0, ends[mid]).trimEnd()) <= max) lo = mid;
    else hi = mid;
  }
  const cut = lo >= 0 ? text.slice(0, ends[lo]).trimEnd() : '';
  const kept = cut === '' ? 0 : tokens.count(cut);
  if (kept >= Math.max(MIN_SUMMARY_TOKENS, max / 2)) return cut;
  throw new SummaryRejectedError(`LLM summary had ${n} tokens for a limit of ${max}, and no sentence boundary keeps half of it`);
}

/** Contexts sent to the LLM that its summary cites by id; all of them when it cites none. */
function citedIds(text: string, sent: readonly ScoredContext[]): string[] {
  const cited = sent.filter((s) => new RegExp(`(?<![\\w-])${escapeRegExp(s.context.id)}(?![\\w-])`).test(text));
  return (cited.length > 0 ? cited : sent).map((s) => s.context.id);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
