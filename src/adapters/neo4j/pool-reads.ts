import type { Clock } from '../../domain/ports.js';
import type { Neo4jExecutor } from './executor.js';
import { viewerParams } from './statements/fragments.js';
import { POOL_TOKENS } from './statements/pool.js';

/** The tokens of everything an agent may be routed now (statements/pool.ts). */
export class Neo4jPoolReads {
  constructor(
    private readonly executor: Neo4jExecutor,
    private readonly clock: Clock,
  ) {}

  async poolTokens(agentId: string, workflowId: string | null): Promise<number> {
    const now = this.clock.now().toISOString();
    const [row] = await this.executor.readOne(POOL_TOKENS, { ...viewerParams({ kind: 'agent', agentId }), now, validAt: now, workflowId });
    return Number(row?.['tokens'] ?? 0);
  }
}
