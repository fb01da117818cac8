import type { Staleness } from '../../domain/staleness.js';
import type { ContextRecord } from '../../domain/types.js';

/** Staleness as GraphQL serves it: its cause and via are read by the reader of the context that carries it. */
export interface StalenessView extends Staleness {
  read: (id: string) => Promise<ContextRecord | null>;
}
