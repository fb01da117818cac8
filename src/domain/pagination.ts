import { BadInputError } from './errors.js';

/** Opaque cursor over the publication sequence; clients must not parse it. */
export function encodeSeqCursor(seq: number): string {
  return Buffer.from(`seq:${seq}`, 'utf8').toString('base64url');
}

export function decodeSeqCursor(cursor: string, argumentName = 'after'): number {
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  const match = /^seq:(\d{1,15})$/.exec(decoded);
  if (!match?.[1]) throw new BadInputError('Invalid cursor', [{ path: [argumentName], message: 'not a cursor returned by this API' }]);
  return Number(match[1]);
}
