/**
 * Embedding provider for any OpenAI-compatible `/v1/embeddings` endpoint (OpenAI, Azure-style proxies,
 * vLLM, Ollama, LM Studio...), through the official `openai` client.
 *
 * The API key is kept in a private field and scrubbed from every error message, so neither logging
 * the provider nor logging its errors can leak it.
 */
import OpenAI from 'openai';
import type { EmbeddingProvider } from '../../domain/ports.js';
import { describeOpenAIError } from '../openai/describe-error.js';

export interface OpenAIEmbeddingOptions {
  baseURL: string;
  apiKey: string;
  model: string;
  /** Requested vector length (sent as `dimensions`); when absent it is discovered by one probe call. */
  dimensions?: number;
  /** Inputs per HTTP request. Default 96 (OpenAI accepts up to 2048; compatible servers often far fewer). */
  batchSize?: number;
  /** Per-request timeout. Default 30 s. */
  timeoutMs?: number;
  /** Client-side retries on 408/409/429/5xx and network errors. Default 2. */
  maxRetries?: number;
}

export class EmbeddingRequestError extends Error {
  override readonly name = 'EmbeddingRequestError';
  constructor(
    message: string,
    readonly status: number | undefined,
  ) {
    super(message);
  }
}

export class OpenAIEmbeddingProvider implements EmbeddingProvider {
  readonly #client: OpenAI;
  readonly #apiKey: string;
  readonly #requestDimensions: number | undefined;
  readonly #batchSize: number;
  readonly #baseURL: string;
  #closed = false;
  private readonly model: string;
  readonly modelId: string;
  dimensions: number;

  private constructor(options: OpenAIEmbeddingOptions) {
    this.#apiKey = options.apiKey;
    this.#baseURL = options.baseURL;
    this.#client = new OpenAI({
      baseURL: options.baseURL,
      apiKey: options.apiKey,
      timeout: options.timeoutMs ?? 30_000,
      maxRetries: options.maxRetries ?? 2,
    });
    this.#requestDimensions = options.dimensions;
    this.#batchSize = Math.max(1, Math.floor(options.batchSize ?? 96));
    // Stored beside each vector: the dimensions are part of the identity when the model can shorten.
    this.modelId = options.dimensions === undefined ? `openai:${options.model}` : `openai:${options.model}@${options.dimensions}`;
    this.dimensions = options.dimensions ?? 0;
    this.model = options.model;
  }

  static async create(options: OpenAIEmbeddingOptions): Promise<OpenAIEmbeddingProvider> {
    const p = new OpenAIEmbeddingProvider(options);
    if (options.dimensions === undefined) {
      // One probe so the Neo4j vector index can be created with the right size before anything is published.
      const [probe] = await p.#request(['dimension probe']);
      p.dimensions = probe?.length ?? 0;
      if (p.dimensions === 0) throw new EmbeddingRequestError(`${p.#where()} returned an empty vector for the dimension probe`, undefined);
    }
    return p;
  }

  async embed(texts: readonly string[]): Promise<number[][]> {
    if (this.#closed) throw new Error('OpenAI embedding provider is closed');
    const out: number[][] = [];
    // Sequential batches: simple back-pressure that stays under typical rate limits.
    for (let i = 0; i < texts.length; i += this.#batchSize) out.push(...(await this.#request(texts.slice(i, i + this.#batchSize))));
    return out;
  }

  async close(): Promise<void> {
    this.#closed = true; // the client holds no long-lived sockets worth closing (fetch keep-alive pool is global)
  }

  #where(): string {
    return `embeddings endpoint ${this.#baseURL} (model ${this.model})`;
  }

  async #request(texts: readonly string[]): Promise<number[][]> {
    let res: OpenAI.Embeddings.CreateEmbeddingResponse;
    try {
      res = await this.#client.embeddings.create({
        model: this.model,
        // The API rejects "" ('$.input' is invalid); a space embeds to the same "no content" meaning.
        input: texts.map((t) => (t === '' ? ' ' : t)),
        // Explicit 'float': the SDK otherwise asks for base64, which several compatible servers lack.
        encoding_format: 'float',
        ...(this.#requestDimensions === undefined ? {} : { dimensions: this.#requestDimensions }),
      });
    } catch (e) {
      throw this.#wrap(e);
    }
    if (res.data.length !== texts.length)
      throw new EmbeddingRequestError(`${this.#where()} returned ${res.data.length} embeddings for ${texts.length} inputs`, undefined);
    const sorted = [...res.data].sort((a, b) => a.index - b.index); // the API does not promise order
    return sorted.map((d) => {
      const v = d.embedding;
      if (this.dimensions !== 0 && v.length !== this.dimensions)
        throw new EmbeddingRequestError(`${this.#where()} returned a ${v.length}-d vector, expected ${this.dimensions}`, undefined);
      return normalise(v);
    });
  }

  #wrap(e: unknown): EmbeddingRequestError {
    const { detail, status } = describeOpenAIError(e, this.#apiKey);
    return new EmbeddingRequestError(`${this.#where()} failed: ${detail}`, status);
  }
}

function normalise(v: readonly number[]): number[] {
  let sum = 0;
  for (const x of v) sum += x * x;
  const norm = Math.sqrt(sum) || 1;
  return v.map((x) => x / norm);
}

export function createOpenAIEmbeddingProvider(options: OpenAIEmbeddingOptions): Promise<EmbeddingProvider> {
  return OpenAIEmbeddingProvider.create(options);
}
