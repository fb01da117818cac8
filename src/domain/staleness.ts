import type { ContextRecord, ContextType } from './types.js';

/**
 * Drift: a context built on something that stopped holding is stale. The mesh marks it (with why) when a
 * context it depends on, directly or through others, is superseded, retracted, rolled back or expires, and
 * when its own confidence has decayed with age below the floor. Staleness is cleared when the context
 * itself changes (its author or a rollback re-stated it); the validation pass then marks it again if a
 * dependency is still inactive.
 */
export const STALE_REASONS = [
  'DEPENDENCY_SUPERSEDED',
  'DEPENDENCY_RETRACTED',
  'DEPENDENCY_EXPIRED',
  'DEPENDENCY_ROLLED_BACK',
  'CONFIDENCE_DECAYED',
  // Consensus (src/domain/consensus/): a CONSENSUS context whose input was updated, or on whose claim a new finding arrived.
  'INPUT_CHANGED',
  'NEW_EVIDENCE',
] as const;
export type StaleReason = (typeof STALE_REASONS)[number];

export interface Staleness {
  reason: StaleReason;
  /** The context that stopped holding (for CONFIDENCE_DECAYED: the context itself). */
  causeId: string;
  /** The direct dependency through which it reached this one (the cause itself when one hop away, or this context). */
  viaId: string;
  since: string;
  /** Seq of the STALE event that marked it. */
  seq: number;
}

/** What made a context stop holding, as the cause of its dependents' staleness. */
export type InactiveCause = 'SUPERSEDED' | 'RETRACTED' | 'EXPIRED' | 'ROLLED_BACK';

export function staleReasonOf(cause: InactiveCause): StaleReason {
  switch (cause) {
    case 'SUPERSEDED':
      return 'DEPENDENCY_SUPERSEDED';
    case 'RETRACTED':
      return 'DEPENDENCY_RETRACTED';
    case 'EXPIRED':
      return 'DEPENDENCY_EXPIRED';
    case 'ROLLED_BACK':
      return 'DEPENDENCY_ROLLED_BACK';
    default: {
      const unreachable: never = cause;
      return unreachable;
    }
  }
}

/** How routing treats stale contexts (STALE_ROUTING): lower their score by a factor, or leave them out. */
export type StaleRoutingPolicy = { mode: 'demote'; factor: number } | { mode: 'drop' };

export const DEFAULT_STALE_ROUTING: StaleRoutingPolicy = { mode: 'demote', factor: 0.5 };

/**
 * Confidence decay with age, per type: a context's effective confidence halves every `halfLifeHours[type]`
 * since it was last changed (a type without a half-life does not decay). The validation pass marks a context
 * stale (CONFIDENCE_DECAYED) once that falls below `floor`.
 */
export interface ConfidenceDecayPolicy {
  halfLifeHours: Partial<Record<ContextType, number>>;
  floor: number;
}

export const NO_DECAY: ConfidenceDecayPolicy = { halfLifeHours: {}, floor: 0 };

export function decayedConfidence(
  context: Pick<ContextRecord, 'type' | 'confidence' | 'updatedAt'>,
  now: Date,
  policy: ConfidenceDecayPolicy,
): number {
  const halfLife = policy.halfLifeHours[context.type];
  if (halfLife === undefined || halfLife <= 0) return context.confidence;
  const ageHours = Math.max(0, now.getTime() - Date.parse(context.updatedAt)) / 3_600_000;
  return context.confidence * 0.5 ** (ageHours / halfLife);
}

/** `FINDING=168,OUTPUT=720` (hours) → half-lives by type; a string saying what is wrong otherwise. */
export function parseHalfLives(raw: string | undefined, types: readonly ContextType[]): ConfidenceDecayPolicy['halfLifeHours'] | string {
  const halfLives: ConfidenceDecayPolicy['halfLifeHours'] = {};
  if (!raw?.trim()) return halfLives;
  for (const part of raw.split(',')) {
    const [name, value, extra] = part.split('=').map((s) => s.trim());
    const type = types.find((t) => t === name?.toUpperCase());
    const hours = Number(value);
    if (!type || extra !== undefined || !value || !Number.isFinite(hours) || hours <= 0) {
      return `expected TYPE=hours pairs separated by commas with TYPE one of ${types.join(', ')} and hours > 0, got "${part}"`;
    }
    halfLives[type] = hours;
  }
  return halfLives;
}
