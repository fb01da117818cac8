import type { AgentNeedsProfile } from '../domain/routing/publish-relevance.js';

/**
 * The agents' needs, for publish-time relevance. Read once per `ttlMs` rather than on every
 * publish; a registration in this process refreshes it at once, one in another process within
 * the TTL (the edges are a routing aid, and contextFor also scores needs itself).
 */
export class AgentProfiles {
  private cached: { at: number; profiles: Promise<AgentNeedsProfile[]> } | null = null;

  constructor(
    private readonly load: () => Promise<AgentNeedsProfile[]>,
    private readonly ttlMs = 5_000,
  ) {}

  get(): Promise<AgentNeedsProfile[]> {
    const now = Date.now();
    if (!this.cached || now - this.cached.at > this.ttlMs) {
      const profiles = this.load();
      this.cached = { at: now, profiles };
      profiles.catch(() => {
        if (this.cached?.profiles === profiles) this.cached = null;
      });
    }
    return this.cached.profiles;
  }

  invalidate(): void {
    this.cached = null;
  }
}
