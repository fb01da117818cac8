import type { QuotaLedger, QuotaWindow, TokenQuota, UsageWindow } from '../../domain/quotas.js';
import type { Neo4jExecutor } from './executor.js';
import { int } from './executor.js';
import { toAgent } from './mapping.js';
import {
  ADD_TOKEN_USAGE,
  CHARGE_TOKENS,
  LOCK_TOKEN_USAGE,
  PRUNE_TOKEN_USAGE,
  REFUND_TOKENS,
  SET_TOKEN_QUOTA,
  TOKEN_USAGE_WINDOWS,
} from './statements/quotas.js';

/** The token ledger in Neo4j (statements/quotas.ts): one node per agent and window, charged in write transactions. */
export class Neo4jQuotaLedger implements QuotaLedger {
  constructor(private readonly executor: Neo4jExecutor) {}

  async setQuota(agentId: string, quota: TokenQuota | null) {
    const params = { agentId, tokens: quota ? int(quota.tokens) : null, periodSeconds: quota ? int(quota.periodSeconds) : null };
    const [row] = await this.executor.write(SET_TOKEN_QUOTA.name, (tx) => tx.run(SET_TOKEN_QUOTA, params));
    return row ? toAgent(row['agent']) : null;
  }

  /** Locks the window, lets `grant` decide from what it has used, and adds the grant, in one transaction. */
  async reserve(agentId: string, window: QuotaWindow, grant: (used: number) => number) {
    const params = this.windowParams(agentId, window);
    return this.executor.write(LOCK_TOKEN_USAGE.name, async (tx) => {
      const [locked] = await tx.run(LOCK_TOKEN_USAGE, params);
      const used = Number(locked?.['used'] ?? 0);
      const granted = grant(used);
      if (granted <= 0) return { granted: 0, used };
      const [added] = await tx.run(ADD_TOKEN_USAGE, { ...params, tokens: int(granted) });
      return { granted, used: Number(added?.['used'] ?? used + granted) };
    });
  }

  async refund(agentId: string, window: QuotaWindow, tokens: number) {
    if (tokens <= 0) return;
    const params = { ...this.windowParams(agentId, window), tokens: int(tokens) };
    await this.executor.write(REFUND_TOKENS.name, (tx) => tx.run(REFUND_TOKENS, params));
  }

  async charge(agentId: string, window: QuotaWindow, tokens: number) {
    const params = { ...this.windowParams(agentId, window), tokens: int(tokens) };
    const [row] = await this.executor.write(CHARGE_TOKENS.name, (tx) => tx.run(CHARGE_TOKENS, params));
    return Number(row?.['used'] ?? 0);
  }

  async windows(agentId: string, first: number): Promise<UsageWindow[]> {
    const rows = await this.executor.readOne(TOKEN_USAGE_WINDOWS, { agentId, first: int(first) });
    return rows.map((row) => ({ startMs: Number(row['windowStart']), endMs: Number(row['windowEnd']), used: Number(row['used']) }));
  }

  async prune(agentId: string, beforeMs: number) {
    await this.executor.write(PRUNE_TOKEN_USAGE.name, (tx) => tx.run(PRUNE_TOKEN_USAGE, { agentId, before: int(beforeMs) }));
  }

  private windowParams(agentId: string, window: QuotaWindow) {
    return { agentId, windowStart: int(window.startMs), windowEnd: int(window.endMs), now: int(Date.now()) };
  }
}
