import type { ContextRecord } from '../types.js';

/** The parts of a relevance score, each in 0..1, before weighting. */
export interface ScoreReasons {
  /** Cosine similarity of the context to the task (or the agent's needs), clamped to 0..1. */
  semantic: number;
  /** Closeness in the dependency graph to the agent's own work: 1 at distance 0, falling with hops, 0 when unconnected. */
  dependency: number;
  /** How well the context's tags and text match the agent's declared needs. */
  needs: number;
  /** Relevance the publisher declared for this agent (RELEVANT_TO, explicit), 0 when none. */
  explicit: number;
  /** The publisher's confidence. */
  confidence: number;
  /** Freshness: 1 when just published, halving every `recencyHalfLifeHours`. */
  recency: number;
}

export type ScoreWeights = ScoreReasons;

/** A context that survived filtering, with its score and the reasons for it. */
export interface ScoredContext {
  context: ContextRecord;
  /** Weighted sum of `reasons`, in 0..1. */
  score: number;
  reasons: ScoreReasons;
  /** Tokens of `context.text` (o200k_base). */
  tokens: number;
}

export type CompressionMethod = 'EXTRACTIVE' | 'LLM';

/** What did not fit the budget, summarised. */
export interface CompressedContext {
  text: string;
  originalContextIds: string[];
  tokens: number;
  /** Original tokens of the summarised contexts divided by `tokens`. */
  compressionRatio: number;
  method: CompressionMethod;
}

/** Why a candidate was left out. Expired, retracted, superseded and hidden contexts never become candidates. */
/** STALE: left out because it rests on something that stopped holding, when STALE_ROUTING=drop. */
export type DropReason = 'DUPLICATE' | 'BELOW_THRESHOLD' | 'STALE';

export interface DroppedContext {
  contextId: string;
  reason: DropReason;
  /** For DUPLICATE: the context kept in its place. */
  duplicateOf: string | null;
  score: number | null;
}

/** The package an agent should read now. */
export interface ContextPackage {
  agentId: string;
  task: string;
  budget: number;
  /** Items in reading order: a dependency comes before what depends on it. */
  items: ScoredContext[];
  /** Tokens of all items plus the compressed summary; never more than `budget`. */
  tokens: number;
  compressed: CompressedContext | null;
  dropped: DroppedContext[];
  /** Event sequence number the package was computed at (the database position). */
  asOf: number;
  computedAt: string;
}
