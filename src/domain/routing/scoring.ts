import { normalizeTopic } from '../context-map.js';
import type { ContextRecord } from '../types.js';
import type { ScoreReasons, ScoreWeights } from './types.js';

/**
 * Default weights of the relevance score, chosen by measurement (bench/routing, docs/benchmarks.md):
 * similarity to the task leads; graph proximity and declared needs add what similarity misses;
 * explicit relevance is agent-level, not task-level, so it only breaks ties, like confidence and
 * recency. An earlier 0.35/0.15/0.15/0.15/0.1/0.1 ranked worse than plain vector search.
 * Configurable (ROUTING_WEIGHTS); they are normalised to sum to 1.
 */
export const DEFAULT_WEIGHTS: ScoreWeights = {
  semantic: 0.6,
  dependency: 0.15,
  needs: 0.1,
  explicit: 0.05,
  confidence: 0.05,
  recency: 0.05,
};

/** Dependency proximity by hops to the nearest anchor: a direct dependency matters, three hops barely. */
const PROXIMITY_BY_DISTANCE = [1, 0.6, 0.35, 0.2];

export function dependencyProximity(distance: number | null): number {
  if (distance === null) return 0;
  return PROXIMITY_BY_DISTANCE[distance] ?? 0;
}

/** 1 when published now, halving every `halfLifeHours`. */
export function recency(createdAt: string, now: Date, halfLifeHours: number): number {
  const ageHours = Math.max(0, (now.getTime() - Date.parse(createdAt)) / 3_600_000);
  return Math.pow(0.5, ageHours / halfLifeHours);
}

const words = (text: string) => new Set(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);

/**
 * Match with declared needs: a tag equal to a need is strong evidence (0.7, 1.0 for two or more);
 * a need whose words all appear in the text is weaker (0.4).
 */
export function needsMatch(needKeys: readonly string[], tags: readonly string[], text: string): number {
  if (needKeys.length === 0) return 0;
  const tagKeys = new Set(tags.map(normalizeTopic));
  const tagHits = needKeys.filter((need) => tagKeys.has(need)).length;
  if (tagHits >= 2) return 1;
  if (tagHits === 1) return 0.7;
  const textWords = words(text);
  const textHit = needKeys.some((need) => {
    const needWords = need.split('_').filter((w) => w.length > 2);
    return needWords.length > 0 && needWords.every((w) => textWords.has(w));
  });
  return textHit ? 0.4 : 0;
}

export interface ScoringInput {
  context: ContextRecord;
  /** Cosine similarity (-1..1) to the task. */
  taskSimilarity: number;
  /** Cosine similarity to the agent's needs, null when it declared none. */
  needsSimilarity: number | null;
  explicitRelevance: number | null;
  /** Hops to the nearest anchor (the agent's own work, its explicit relevance, the best matches), null if unconnected. */
  distance: number | null;
}

export interface ScoringProfile {
  needKeys: readonly string[];
  /**
   * The request gave no task (its step's and agent's needs stood in, src/domain/workflows/stand-in.ts): a match with
   * the needs then counts as similarity to the task too, since the needs are what the request is about.
   */
  needsAsTask?: boolean;
  now: Date;
  recencyHalfLifeHours: number;
}

/**
 * The score's parts. Semantic takes the better of task and needs similarity, the needs side discounted (and, when
 * needs stood in for the task, the needs match).
 */
export function scoreReasons(input: ScoringInput, profile: ScoringProfile): ScoreReasons {
  const task = Math.max(0, input.taskSimilarity);
  const needs = input.needsSimilarity === null ? 0 : Math.max(0, input.needsSimilarity) * 0.8;
  const matched = needsMatch(profile.needKeys, input.context.tags, input.context.text);
  return {
    semantic: Math.min(1, Math.max(task, needs, profile.needsAsTask ? matched : 0)),
    dependency: dependencyProximity(input.distance),
    needs: matched,
    explicit: input.explicitRelevance ?? 0,
    confidence: input.context.confidence,
    recency: recency(input.context.createdAt, profile.now, profile.recencyHalfLifeHours),
  };
}

export function weightedScore(reasons: ScoreReasons, weights: ScoreWeights): number {
  const total = weights.semantic + weights.dependency + weights.needs + weights.explicit + weights.confidence + weights.recency;
  if (total <= 0) return 0;
  const sum =
    reasons.semantic * weights.semantic +
    reasons.dependency * weights.dependency +
    reasons.needs * weights.needs +
    reasons.explicit * weights.explicit +
    reasons.confidence * weights.confidence +
    reasons.recency * weights.recency;
  return sum / total;
}

/**
 * The highest score a context could reach for this profile whatever its place in the graph:
 * used by the package cache to tell whether a newly published context could change a package.
 */
export function scoreUpperBound(input: Omit<ScoringInput, 'distance'>, profile: ScoringProfile, weights: ScoreWeights): number {
  return weightedScore({ ...scoreReasons({ ...input, distance: 0 }, profile), dependency: 1 }, weights);
}
