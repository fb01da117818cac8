import { LRUCache } from 'lru-cache';

/**
 * The pool an agent could have been handed (meshStats `tokensSavedByFiltering`), measured per agent and workflow at
 * most once per `maxAgeMs`: the read scans the readable contexts, so a stampede of packages costs one scan, not one
 * each. The saving it supports is an estimate by design; a pool a minute old is close enough for it.
 */
export class PoolTokens {
  private readonly measured: LRUCache<string, { tokens: number }>;

  constructor(read: (agentId: string, workflowId: string | null) => Promise<number>, maxAgeMs = 60_000, maxEntries = 2000) {
    this.measured = new LRUCache({
      max: maxEntries,
      ttl: maxAgeMs,
      fetchMethod: async (key) => {
        const [agentId = '', workflowId = ''] = key.split('\u0000');
        return { tokens: await read(agentId, workflowId === '' ? null : workflowId) };
      },
    });
  }

  /** The pool's tokens if measured within `maxAgeMs` (no read); undefined when it would have to be read. */
  known(agentId: string, workflowId: string | null): number | undefined {
    return this.measured.get(`${agentId}\u0000${workflowId ?? ''}`)?.tokens;
  }

  /** The pool's tokens, or null when it could not be read (the package is then logged without it). */
  async of(agentId: string, workflowId: string | null): Promise<number | null> {
    try {
      const entry = await this.measured.fetch(`${agentId}\u0000${workflowId ?? ''}`);
      return entry?.tokens ?? null;
    } catch {
      return null;
    }
  }
}
