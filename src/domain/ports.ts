/**
 * Ports: the interfaces the domain and use-cases need from the outside world.
 * Adapters under `src/adapters/` implement them; nothing here does I/O.
 */

/** Turns text into dense vectors for semantic search. */
export interface EmbeddingProvider {
  /** Stable identifier of the model, stored beside each embedding so a model change is detectable. */
  readonly modelId: string;
  /** Length of every vector this provider returns; the Neo4j vector index is created with it. */
  readonly dimensions: number;
  /** Embeds each text; the result has the same length and order as `texts`. */
  embed(texts: readonly string[]): Promise<number[][]>;
  /** Releases workers or sockets. Safe to call twice. */
  close(): Promise<void>;
}

/** Counts tokens the way the agents' language models will. */
export interface TokenCounter {
  readonly encoding: string;
  count(text: string): number;
}

/** Source of the current time, injectable so rules that depend on time are testable. */
export interface Clock {
  now(): Date;
}
