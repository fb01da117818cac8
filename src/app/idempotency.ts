import { createHash } from 'node:crypto';
import type { IdempotencyClaim } from '../domain/store-ports.js';
import { viewerAgentId, type Viewer } from '../domain/types.js';

/** Scopes a client key to its caller and operation, and fingerprints the request it came with. */
export function idempotencyClaim(
  viewer: Viewer,
  operation: string,
  key: string | null | undefined,
  request: unknown,
): IdempotencyClaim | null {
  if (!key) return null;
  const caller = viewerAgentId(viewer) ?? 'admin';
  return {
    key: `${caller}|${operation}|${key}`,
    requestHash: createHash('sha256').update(stableJson(request)).digest('hex'),
  };
}

/** JSON with sorted keys, so the same request always hashes the same. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}
