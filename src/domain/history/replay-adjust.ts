/**
 * The rules of `replayDecision(adjust)`: how a recorded package changes when items are removed or added,
 * or the budget changes. Pure: the contexts come already read, token counting and summaries are ports.
 *
 * - **Remove**: the items go; a recorded summary that quotes a removed context goes too (it would carry
 *   what was removed), and the package is re-packed so the freed tokens can be used.
 * - **Add**: a context added by name is placed **before** the recorded items, in the order given, with
 *   score `ADDED_SCORE` (1, above anything ranked: the caller says it matters) and reasons all 0 except
 *   `confidence` (the publisher's): no relevance was computed for it, and the reasons say so. Ids already
 *   in the package are not added twice.
 * - **Budget**: the items (recorded, then added) are packed again by the domain packer (`planPackage`),
 *   by score; what does not fit is summarised as in routing. Contexts that were only summarised in the
 *   recorded package are not candidates (their scores were not recorded).
 * - Without a budget the recorded one holds: the package is re-packed only when the items no longer fit
 *   it (or something was removed); otherwise the recorded order and summary stay exactly as they were.
 */
import { planPackage, type Summarizer } from '../routing/compression.js';
import type { CompressedContext, ScoredContext, ScoreReasons } from '../routing/types.js';
import type { TokenCounter } from '../ports.js';
import type { ContextRecord } from '../types.js';

export const ADDED_SCORE = 1;

export interface ReplayItem extends ScoredContext {
  addedByReplay: boolean;
}

export interface ReplayPackage {
  items: ReplayItem[];
  compressed: CompressedContext | null;
  budget: number;
  tokens: number;
}

export interface ReplayChanges {
  removeIds: readonly string[];
  /** Contexts to add, already read (at the position the replay reads at), in the order asked. */
  added: readonly ContextRecord[];
  /** A new budget; null keeps the recorded one. */
  budget: number | null;
}

export interface ReplayPackingDeps {
  tokens: TokenCounter;
  llm?: Summarizer | undefined;
}

const NO_REASONS: ScoreReasons = { semantic: 0, dependency: 0, needs: 0, explicit: 0, confidence: 0, recency: 0 };

/** An item for a context added by name (see the rule above). */
export function addedItem(context: ContextRecord): ReplayItem {
  return {
    context,
    score: ADDED_SCORE,
    reasons: { ...NO_REASONS, confidence: context.confidence },
    tokens: context.tokens,
    addedByReplay: true,
  };
}

/** The recorded items minus `removeIds`, with the added ones in front; and whether a removal touched anything. */
export function adjustItems(
  items: readonly ReplayItem[],
  compressed: CompressedContext | null,
  changes: Pick<ReplayChanges, 'removeIds' | 'added'>,
): { items: ReplayItem[]; compressed: CompressedContext | null; removedAny: boolean } {
  const remove = new Set(changes.removeIds);
  const kept = items.filter((item) => !remove.has(item.context.id));
  const summaryHit = compressed !== null && compressed.originalContextIds.some((id) => remove.has(id));
  const present = new Set(kept.map((item) => item.context.id));
  const added: ReplayItem[] = [];
  for (const context of changes.added) {
    if (present.has(context.id) || remove.has(context.id)) continue;
    present.add(context.id);
    added.push(addedItem(context));
  }
  return {
    items: [...added, ...kept],
    compressed: summaryHit ? null : compressed,
    removedAny: kept.length < items.length || summaryHit,
  };
}

export const itemTokens = (items: readonly ScoredContext[]) => items.reduce((sum, item) => sum + item.tokens, 0);

/** Applies removals, additions and a budget to a recorded package (see the rules at the top of this file). */
export async function adjustPackage(base: ReplayPackage, changes: ReplayChanges, deps: ReplayPackingDeps): Promise<ReplayPackage> {
  const budget = changes.budget ?? base.budget;
  const adjusted = adjustItems(base.items, base.compressed, changes);
  const tokens = itemTokens(adjusted.items) + (adjusted.compressed?.tokens ?? 0);
  const repack = changes.budget !== null || adjusted.removedAny || tokens > budget;
  if (!repack) return { items: adjusted.items, compressed: adjusted.compressed, budget, tokens };
  return repackItems(adjusted.items, budget, deps);
}

/** Packs `items` into `budget` by score with the routing packer; dependencies come from each version's own list. */
export async function repackItems(items: readonly ReplayItem[], budget: number, deps: ReplayPackingDeps): Promise<ReplayPackage> {
  const ranked = [...items].sort((a, b) => b.score - a.score);
  const ids = new Set(ranked.map((item) => item.context.id));
  const dependencies = new Map(ranked.map((item) => [item.context.id, (item.context.asOf?.dependencies ?? []).filter((d) => ids.has(d))]));
  const plan = await planPackage(ranked, budget, {
    tokens: deps.tokens,
    llm: deps.llm,
    dependenciesOf: (id) => dependencies.get(id) ?? [],
  });
  return { items: plan.items as ReplayItem[], compressed: plan.compressed, budget, tokens: plan.tokens };
}
