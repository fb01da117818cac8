/**
 * Per-agent token quotas (README "Token quotas"): at most `tokens` delivered by contextFor per period. Periods are
 * fixed windows aligned to the Unix epoch, so every API replica agrees on which window a request falls in without
 * talking to the others. Plain rules; the ledger that counts lives in the store.
 */

import type { Agent } from './types.js';

export interface TokenQuota {
  /** Tokens contextFor may deliver to the agent per period (1..1,000,000,000). */
  tokens: number;
  /** Length of a period in seconds (60..31,536,000). */
  periodSeconds: number;
}

export const MIN_QUOTA_PERIOD_SECONDS = 60;
export const MAX_QUOTA_PERIOD_SECONDS = 31_536_000;
export const MAX_QUOTA_TOKENS = 1_000_000_000;

export interface QuotaWindow {
  /** Inclusive start, ms since the epoch. */
  startMs: number;
  /** Exclusive end, ms since the epoch. */
  endMs: number;
}

/** The window `nowMs` falls in. */
export function quotaWindow(nowMs: number, periodSeconds: number): QuotaWindow {
  const periodMs = periodSeconds * 1000;
  const startMs = Math.floor(nowMs / periodMs) * periodMs;
  return { startMs, endMs: startMs + periodMs };
}

/** Whole seconds until the window ends (at least 1: a client told to retry in 0 s would spin). */
export function retryAfterSeconds(window: QuotaWindow, nowMs: number): number {
  return Math.max(1, Math.ceil((window.endMs - nowMs) / 1000));
}

/**
 * Tokens a request may be granted: the budget it asks for, cut to what is left of the quota. Below `minimumUseful`
 * (the smallest budget a package can be planned in) nothing is granted: the quota is spent for this period.
 */
export function grantedBudget(requested: number, quota: number, used: number, minimumUseful: number): number {
  const left = Math.max(0, quota - used);
  const grant = Math.min(requested, left);
  return grant >= minimumUseful ? grant : 0;
}

/** One window of an agent's ledger. */
export interface UsageWindow extends QuotaWindow {
  used: number;
}

/** The ledger of tokens delivered to agents with a quota, and where the quota is set. */
export interface QuotaLedger {
  /** Sets (null: removes) the agent's quota; null when there is no such agent. */
  setQuota(agentId: string, quota: TokenQuota | null): Promise<Agent | null>;
  /**
   * Atomically: reads the window's use, asks `grant` how much to grant (grantedBudget), and charges it. Concurrent
   * reservations of one window are serialised, on every replica. `used` is after the grant.
   */
  reserve(agentId: string, window: QuotaWindow, grant: (used: number) => number): Promise<{ granted: number; used: number }>;
  /** Gives back tokens a grant did not deliver. */
  refund(agentId: string, window: QuotaWindow, tokens: number): Promise<void>;
  /** Charges tokens delivered outside a grant. */
  charge(agentId: string, window: QuotaWindow, tokens: number): Promise<number>;
  /** The newest windows, newest first. */
  windows(agentId: string, first: number): Promise<UsageWindow[]>;
  /** Deletes windows that ended before `beforeMs`. */
  prune(agentId: string, beforeMs: number): Promise<void>;
}
