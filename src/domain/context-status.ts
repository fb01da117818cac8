import type { ContextRecord, ContextStatus } from './types.js';

/** The status an agent sees: a stored ACTIVE context past its expiry reads as EXPIRED. */
export function effectiveStatus(context: Pick<ContextRecord, 'status' | 'expiresAt'>, now: Date): ContextStatus {
  if (context.status === 'ACTIVE' && context.expiresAt !== null && context.expiresAt <= now.toISOString()) {
    return 'EXPIRED';
  }
  return context.status;
}
