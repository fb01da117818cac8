import type { AgentStore } from '../domain/store-ports.js';
import type { Agent } from '../domain/types.js';
import { SingleFlight } from './routing/single-flight.js';

/**
 * Agents by id, shared by all requests for `ttlMs`: agent records are the same for every
 * viewer, and a stampede of requests for one agent should cost one lookup, not one each.
 * Registration in this process refreshes an id at once.
 */
export class AgentDirectory {
  private readonly cache = new Map<string, { agent: Agent | null; until: number }>();
  private readonly flights = new SingleFlight<(Agent | null)[]>();

  constructor(
    private readonly store: AgentStore,
    private readonly ttlMs = 2_000,
    private readonly now: () => number = Date.now,
  ) {}

  async getMany(ids: readonly string[]): Promise<(Agent | null)[]> {
    const now = this.now();
    const missing = [...new Set(ids.filter((id) => (this.cache.get(id)?.until ?? 0) <= now))].sort();
    if (missing.length > 0) {
      const loaded = await this.flights.run(missing.join('\u0000'), () => this.store.getMany(missing));
      const until = this.now() + this.ttlMs;
      missing.forEach((id, index) => this.cache.set(id, { agent: loaded[index] ?? null, until }));
      if (this.cache.size > 50_000) this.cache.clear();
    }
    return ids.map((id) => this.cache.get(id)?.agent ?? null);
  }

  async get(id: string): Promise<Agent | null> {
    return (await this.getMany([id]))[0] ?? null;
  }

  forget(id: string): void {
    this.cache.delete(id);
  }
}
