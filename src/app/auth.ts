import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { UnauthenticatedError } from '../domain/errors.js';
import type { AgentStore } from '../domain/store-ports.js';
import type { Viewer } from '../domain/types.js';
import { SingleFlight } from './routing/single-flight.js';

/** Agent keys: `cm_` + 32 random bytes. Only their SHA-256 is stored; a leaked database does not leak keys. */
export function generateApiKey(): string {
  return `cm_${randomBytes(32).toString('base64url')}`;
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export interface AuthenticatorOptions {
  adminKey: string;
  agents: AgentStore;
  /** How long a resolved agent key is remembered; 10 s keeps chatty agents off the database. */
  cacheTtlMs?: number;
  now?: () => number;
}

/** Resolves the bearer key of a request (HTTP header or graphql-ws connectionParams) to a Viewer. */
export class Authenticator {
  private readonly adminDigest: Buffer;
  private readonly cache = new Map<string, { viewer: Viewer; until: number }>();
  /** Concurrent requests with the same unknown-yet key share one lookup. */
  private readonly lookups = new SingleFlight<Viewer | null>();
  private readonly ttl: number;
  private readonly now: () => number;

  constructor(private readonly options: AuthenticatorOptions) {
    this.adminDigest = createHash('sha256').update(options.adminKey, 'utf8').digest();
    this.ttl = options.cacheTtlMs ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  async authenticate(authorization: unknown): Promise<Viewer> {
    if (typeof authorization !== 'string' || authorization.trim() === '') {
      throw new UnauthenticatedError('Missing credentials: send "Authorization: Bearer <key>"');
    }
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    if (!match?.[1]) throw new UnauthenticatedError('Malformed Authorization header: expected "Bearer <key>"');
    const key = match[1];
    const digest = createHash('sha256').update(key, 'utf8').digest();
    if (timingSafeEqual(digest, this.adminDigest)) return { kind: 'admin' };

    const hash = digest.toString('hex');
    const cached = this.cache.get(hash);
    if (cached && cached.until > this.now()) return cached.viewer;
    const viewer = await this.lookups.run(hash, async () => {
      const agent = await this.options.agents.findByKeyHash(hash);
      if (!agent) return null;
      const found: Viewer = { kind: 'agent', agentId: agent.id };
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(hash, { viewer: found, until: this.now() + this.ttl });
      return found;
    });
    if (!viewer) throw new UnauthenticatedError('Unknown API key');
    return viewer;
  }
}
