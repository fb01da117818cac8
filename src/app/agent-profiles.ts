import { LRUCache } from 'lru-cache';
import type { AgentNeedsProfile } from '../domain/routing/publish-relevance.js';

/** The one key of the cache: the profiles are read all at once. */
const ALL = 'all';

/**
 * The agents' needs, for publish-time relevance. Read once per `ttlMs` rather than on every
 * publish; a registration in this process refreshes it at once, one in another process within
 * the TTL (the edges are a routing aid, and contextFor also scores needs itself).
 */
export class AgentProfiles {
  /** `fetch` shares one read between concurrent callers; a failed read is not kept. */
  private readonly cache: LRUCache<typeof ALL, AgentNeedsProfile[]>;

  constructor(load: () => Promise<AgentNeedsProfile[]>, ttlMs = 5_000) {
    this.cache = new LRUCache<typeof ALL, AgentNeedsProfile[]>({
      max: 1,
      ttl: ttlMs,
      // A read cut short by `invalidate` still answers its callers; it is just not kept.
      ignoreFetchAbort: true,
      fetchMethod: () => load(),
    });
  }

  async get(): Promise<AgentNeedsProfile[]> {
    return (await this.cache.fetch(ALL)) ?? [];
  }

  invalidate(): void {
    this.cache.delete(ALL);
  }
}
