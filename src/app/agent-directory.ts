import DataLoader from 'dataloader';
import { LRUCache } from 'lru-cache';
import type { AgentStore } from '../domain/store-ports.js';
import type { Agent } from '../domain/types.js';

/** Agents remembered at once; the least recently used go first. */
const MAX_CACHED_AGENTS = 50_000;

/** lru-cache holds no nulls: an id known not to exist is cached as `{ agent: null }`. */
interface Entry {
  agent: Agent | null;
}

/**
 * Agents by id, shared by all requests for `ttlMs`: agent records are the same for every
 * viewer, and a stampede of requests for one agent should cost one lookup, not one each.
 * Registration in this process refreshes an id at once.
 */
export class AgentDirectory {
  /** `fetch` coalesces concurrent lookups of one id; the loader batches the ids of one tick into one query. */
  private readonly cache: LRUCache<string, Entry>;

  constructor(store: AgentStore, ttlMs = 2_000, now?: () => number) {
    // No cache of its own: the LRU is the only one, so `forget` and the TTL are the whole story.
    const loader = new DataLoader<string, Agent | null>((ids) => store.getMany(ids), { cache: false });
    this.cache = new LRUCache<string, Entry>({
      max: MAX_CACHED_AGENTS,
      ttl: ttlMs,
      ...(now ? { perf: { now }, ttlResolution: 0 } : {}),
      // A lookup cut short by `forget` or eviction still answers the requests waiting on it (it is just not kept).
      ignoreFetchAbort: true,
      fetchMethod: async (id) => ({ agent: await loader.load(id) }),
    });
  }

  async getMany(ids: readonly string[]): Promise<(Agent | null)[]> {
    const entries = await Promise.all(ids.map((id) => this.cache.fetch(id)));
    return entries.map((entry) => entry?.agent ?? null);
  }

  async get(id: string): Promise<Agent | null> {
    return (await this.getMany([id]))[0] ?? null;
  }

  forget(id: string): void {
    this.cache.delete(id);
  }
}
