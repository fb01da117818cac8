import { BadInputError } from '../../domain/errors.js';
import type { IdempotencyClaim } from '../../domain/store-ports.js';
import type { TxRunner } from './executor.js';
import { CLAIM_IDEMPOTENCY_KEY, COMPLETE_IDEMPOTENCY_KEY } from './statements/idempotency-keys.js';

/**
 * Claims the key inside the caller's transaction. Returns the stored result of an earlier
 * completed request with the same key, or null when this request is the first. The claim
 * rolls back with the transaction, so a failed write leaves the key free for a retry.
 */
export async function claimIdempotency(tx: TxRunner, claim: IdempotencyClaim | null, now: string): Promise<string | null> {
  if (!claim) return null;
  const [row] = await tx.run(CLAIM_IDEMPOTENCY_KEY, { key: claim.key, requestHash: claim.requestHash, now });
  const result = row?.['result'];
  if (typeof result !== 'string') return null;
  if (row?.['requestHash'] !== claim.requestHash) {
    throw new BadInputError('This idempotency key was already used for a different request', [
      { path: ['idempotencyKey'], message: 'reused with a different request' },
    ]);
  }
  return result;
}

export async function completeIdempotency(tx: TxRunner, claim: IdempotencyClaim | null, result: string): Promise<void> {
  if (claim) await tx.run(COMPLETE_IDEMPOTENCY_KEY, { key: claim.key, result });
}
