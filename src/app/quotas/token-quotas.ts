import { z } from 'zod';
import { assertMayActAs } from '../../domain/acting-as.js';
import { BudgetTooSmallError, NotFoundError, QuotaExceededError } from '../../domain/errors.js';
import type { Clock } from '../../domain/ports.js';
import {
  grantedBudget,
  MAX_QUOTA_PERIOD_SECONDS,
  MAX_QUOTA_TOKENS,
  MIN_QUOTA_PERIOD_SECONDS,
  quotaWindow,
  retryAfterSeconds,
  type QuotaLedger,
  type QuotaWindow,
  type TokenQuota,
  type UsageWindow,
} from '../../domain/quotas.js';
import { MIN_SUMMARY_TOKENS } from '../../domain/routing/compression.js';
import type { Agent, Viewer } from '../../domain/types.js';
import { ForbiddenError } from '../../domain/errors.js';
import { agentId as agentIdSchema, idempotencyKey, parseArgs, parseInput } from '../validation.js';

/** Where an agent's quota stands after an answer (ContextPackage.quota) or when asked (tokenUsage). */
export interface QuotaStanding {
  tokens: number;
  periodSeconds: number;
  periodStart: string;
  periodEnd: string;
  used: number;
  remaining: number;
}

export interface TokenUsageView {
  agentId: string;
  quota: TokenQuota | null;
  /** The current period's standing; null without a quota. */
  current: QuotaStanding | null;
  /** Recorded periods, newest first. */
  periods: { periodStart: string; periodEnd: string; used: number }[];
}

export interface TokenQuotasDeps {
  ledger: QuotaLedger;
  loadAgent: (id: string) => Promise<Agent | null>;
  /** Drops the agent from the directory cache once its quota changed (other replicas see it within the TTL). */
  forgetAgent: (id: string) => void;
  clock: Clock;
  /** Hears of every refusal (the Prometheus counter). */
  onRefused?: () => void;
}

/** Periods of ledger kept per agent; older ones are deleted on the first grant of a new period. */
const KEPT_WINDOWS = 48;
const MAX_WINDOWS_LISTED = 100;

const setQuotaInput = z.object({
  agentId: agentIdSchema,
  tokens: z
    .number()
    .int('must be a whole number')
    .min(1, 'must be at least 1 (null removes the quota)')
    .max(MAX_QUOTA_TOKENS, `must be at most ${MAX_QUOTA_TOKENS}`)
    .nullable(),
  periodSeconds: z
    .number()
    .int('must be a whole number')
    .min(MIN_QUOTA_PERIOD_SECONDS, `must be between ${MIN_QUOTA_PERIOD_SECONDS} and ${MAX_QUOTA_PERIOD_SECONDS}`)
    .max(MAX_QUOTA_PERIOD_SECONDS, `must be between ${MIN_QUOTA_PERIOD_SECONDS} and ${MAX_QUOTA_PERIOD_SECONDS}`),
  // Setting a quota is idempotent by nature (the same value twice is one state); the key is checked, not stored.
  idempotencyKey,
});

/** What an answer routed under a quota must report: its tokens. */
interface Metered {
  tokens: number;
}

/**
 * Per-agent token quotas, enforced server-side on every contextFor path (current, cached, coalesced, asOf): a grant
 * is reserved in the ledger before the package is planned, the package is planned within it, and what it did not
 * use is given back. Concurrent requests (on any replica) therefore never deliver more than the quota in sum.
 */
export class TokenQuotas {
  /** The newest period each agent's ledger was pruned for, so pruning runs once per agent and period. */
  private readonly prunedFor = new Map<string, number>();

  constructor(private readonly deps: TokenQuotasDeps) {}

  /**
   * Routes under the agent's quota. `route(budget)` computes the answer with the budget to pass on (the request's
   * own when it fits, else the grant). `cutToGrant` false (asOf: the answer is a recorded one) needs the whole
   * budget to be left, and charges what the answer delivered.
   */
  async metered<T extends Metered>(
    viewer: Viewer,
    rawAgentId: unknown,
    rawBudget: unknown,
    cutToGrant: boolean,
    route: (budget: unknown) => Promise<T>,
  ): Promise<T & { quota: QuotaStanding | null }> {
    const parsed = agentIdSchema.safeParse(rawAgentId);
    // Bad input, another agent or an unknown one: the router raises the error it always raises.
    if (!parsed.success || !mayActAs(viewer, parsed.data)) return { ...(await route(rawBudget)), quota: null };
    const agent = await this.deps.loadAgent(parsed.data);
    if (!agent?.tokenQuota) return { ...(await route(rawBudget)), quota: null };
    const requested = typeof rawBudget === 'number' && Number.isInteger(rawBudget) && rawBudget >= 1 ? rawBudget : null;
    if (rawBudget !== null && rawBudget !== undefined && requested === null) return { ...(await route(rawBudget)), quota: null };
    const budget = requested ?? agent.tokenBudget;
    const quota = agent.tokenQuota;
    const nowMs = this.deps.clock.now().getTime();
    const window = quotaWindow(nowMs, quota.periodSeconds);
    this.pruneOnce(agent.id, window, quota.periodSeconds);
    const minimum = cutToGrant ? MIN_SUMMARY_TOKENS : budget;
    const { granted, used } = await this.deps.ledger.reserve(agent.id, window, (spent) =>
      grantedBudget(budget, quota.tokens, spent, minimum),
    );
    if (granted === 0) {
      this.deps.onRefused?.();
      throw exceeded(agent.id, quota, used, window, nowMs);
    }
    let answer: T;
    try {
      answer = await route(granted === budget ? rawBudget : granted);
    } catch (error) {
      await this.deps.ledger.refund(agent.id, window, granted);
      if (error instanceof BudgetTooSmallError && granted < budget) {
        this.deps.onRefused?.();
        throw exceeded(
          agent.id,
          quota,
          used - granted,
          window,
          nowMs,
          `has ${quota.tokens - (used - granted)} tokens left, too few for any package`,
        );
      }
      throw error;
    }
    const settled = await this.settle(agent.id, window, granted, answer.tokens, used);
    return { ...answer, quota: standing(quota, window, settled) };
  }

  /** Gives back what the grant did not use, or charges what the answer used beyond it (a recorded asOf answer). */
  private async settle(agentId: string, window: QuotaWindow, granted: number, delivered: number, usedAfterGrant: number): Promise<number> {
    if (delivered < granted) await this.deps.ledger.refund(agentId, window, granted - delivered);
    if (delivered > granted) return this.deps.ledger.charge(agentId, window, delivered - granted);
    return usedAfterGrant - granted + delivered;
  }

  /** Admin only. Sets the agent's quota (tokens null: removes it); the current period's usage is kept. */
  async setQuota(viewer: Viewer, args: Record<string, unknown>): Promise<Agent> {
    if (viewer.kind !== 'admin') throw new ForbiddenError('Only the admin may set token quotas');
    const input = parseArgs(setQuotaInput, args);
    const quota = input.tokens === null ? null : { tokens: input.tokens, periodSeconds: input.periodSeconds };
    const agent = await this.deps.ledger.setQuota(input.agentId, quota);
    if (!agent) throw new NotFoundError('Agent', [input.agentId]);
    this.deps.forgetAgent(agent.id);
    return agent;
  }

  /** The agent itself or the admin: its quota, the current period's standing and the recorded periods. */
  async usage(viewer: Viewer, rawAgentId: unknown, rawFirst: unknown): Promise<TokenUsageView> {
    const agentId = parseInput(agentIdSchema, rawAgentId, 'agentId');
    const first = parseInput(
      z.number().int().min(1).max(MAX_WINDOWS_LISTED, `must be between 1 and ${MAX_WINDOWS_LISTED}`),
      rawFirst ?? 24,
      'first',
    );
    assertMayActAs(viewer, agentId, 'read the token usage of');
    const agent = await this.deps.loadAgent(agentId);
    if (!agent) throw new NotFoundError('Agent', [agentId]);
    const windows = await this.deps.ledger.windows(agentId, first);
    const quota = agent.tokenQuota ?? null;
    const current = quota ? this.currentStanding(quota, windows) : null;
    return { agentId, quota, current, periods: windows.map(toPeriod) };
  }

  private currentStanding(quota: TokenQuota, windows: readonly UsageWindow[]): QuotaStanding {
    const window = quotaWindow(this.deps.clock.now().getTime(), quota.periodSeconds);
    const used = windows.find((w) => w.startMs === window.startMs)?.used ?? 0;
    return standing(quota, window, used);
  }

  private pruneOnce(agentId: string, window: QuotaWindow, periodSeconds: number): void {
    if (this.prunedFor.get(agentId) === window.startMs) return;
    this.prunedFor.set(agentId, window.startMs);
    if (this.prunedFor.size > 10_000) this.prunedFor.clear();
    // Best effort, off the request path: a failed prune only leaves old periods for the next one.
    void this.deps.ledger.prune(agentId, window.startMs - KEPT_WINDOWS * periodSeconds * 1000).catch(() => undefined);
  }
}

function mayActAs(viewer: Viewer, agentId: string): boolean {
  return viewer.kind === 'admin' || (viewer.kind === 'agent' && viewer.agentId === agentId);
}

function standing(quota: TokenQuota, window: QuotaWindow, used: number): QuotaStanding {
  return {
    tokens: quota.tokens,
    periodSeconds: quota.periodSeconds,
    periodStart: new Date(window.startMs).toISOString(),
    periodEnd: new Date(window.endMs).toISOString(),
    used,
    remaining: Math.max(0, quota.tokens - used),
  };
}

function toPeriod(window: UsageWindow) {
  return { periodStart: new Date(window.startMs).toISOString(), periodEnd: new Date(window.endMs).toISOString(), used: window.used };
}

function exceeded(
  agentId: string,
  quota: TokenQuota,
  used: number,
  window: QuotaWindow,
  nowMs: number,
  reason?: string,
): QuotaExceededError {
  return new QuotaExceededError(
    agentId,
    {
      quota: quota.tokens,
      used,
      remaining: Math.max(0, quota.tokens - used),
      periodSeconds: quota.periodSeconds,
      periodEndsAt: new Date(window.endMs).toISOString(),
      retryAfterSeconds: retryAfterSeconds(window, nowMs),
    },
    reason,
  );
}
