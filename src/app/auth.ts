import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { UnauthenticatedError } from '../domain/errors.js';
import type { AgentStore } from '../domain/store-ports.js';
import type { Viewer } from '../domain/types.js';

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

/** Agent keys remembered at once; the least recently used go first. */
const MAX_CACHED_KEYS = 10_000;

/** Resolves the bearer key of a request (HTTP header or graphql-ws connectionParams) to a Viewer. */
export class Authenticator {
  private readonly adminDigest: Buffer;
  /**
   * Known agent keys by hash, for `cacheTtlMs`. `fetch` also coalesces: concurrent requests with
   * the same key not yet cached share one lookup. Unknown keys are not remembered.
   */
  private readonly viewers: LRUCache<string, Viewer>;

  constructor(options: AuthenticatorOptions) {
    this.adminDigest = createHash('sha256').update(options.adminKey, 'utf8').digest();
    this.viewers = new LRUCache<string, Viewer>({
      max: MAX_CACHED_KEYS,
      ttl: options.cacheTtlMs ?? 10_000,
      ...(options.now ? { perf: { now: options.now }, ttlResolution: 0 } : {}),
      // A lookup cut short by eviction still answers the requests waiting on it (it is just not kept).
      ignoreFetchAbort: true,
      fetchMethod: async (hash) => {
        const agent = await options.agents.findByKeyHash(hash);
        return agent ? { kind: 'agent', agentId: agent.id } : undefined;
      },
    });
  }

  async authenticate(authorization: unknown): Promise<Viewer> {
    if (typeof authorization !== 'string' || authorization.trim() === '') {
      throw new UnauthenticatedError('Missing credentials: send "Authorization: Bearer <key>"');
    }
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    if (!match?.[1]) throw new UnauthenticatedError('Malformed Authorization header: expected "Bearer <key>"');
    const digest = createHash('sha256').update(match[1], 'utf8').digest();
    if (timingSafeEqual(digest, this.adminDigest)) return { kind: 'admin' };
    const viewer = await this.viewers.fetch(digest.toString('hex'));
    if (!viewer) throw new UnauthenticatedError('Unknown API key');
    return viewer;
  }
}
