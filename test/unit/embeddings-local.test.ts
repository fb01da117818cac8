import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createEmbeddingProvider } from '../../src/adapters/embeddings/index.js';
import {
  createLocalEmbeddingProvider,
  type LocalEmbeddingProvider,
  type LocalModelName,
} from '../../src/adapters/embeddings/local-provider.js';
import type { EmbeddingProvider } from '../../src/domain/ports.js';

const dot = (a: readonly number[], b: readonly number[]): number => a.reduce((s, x, i) => s + x * (b[i] ?? 0), 0);
const norm = (a: readonly number[]): number => Math.sqrt(dot(a, a));

// The first MiniLM provider may have to fetch the model from Maven Central (models/pom.xml): allow for it.
const LOAD_TIMEOUT = 300_000;

const suites: { model: LocalModelName | undefined; label: string; modelId: string; dims: number }[] = [
  { model: undefined, label: 'default model = MiniLM', modelId: 'all-minilm-l6-v2-q8-384@langchain4j-1.19.0-beta29', dims: 384 },
  { model: 'use-lite', label: 'USE-lite', modelId: 'use-lite-512@0.2.0', dims: 512 },
];

describe.each(suites)('local embedding provider in a worker thread ($label)', ({ model, modelId, dims }) => {
  const opts = model === undefined ? {} : { model };
  let provider: EmbeddingProvider;

  beforeAll(async () => {
    provider = await createLocalEmbeddingProvider(opts);
  }, LOAD_TIMEOUT);
  afterAll(async () => {
    await provider.close();
  });

  it('reports its model and dimensions', () => {
    expect(provider.modelId).toBe(modelId);
    expect(provider.dimensions).toBe(dims);
  });

  it('returns normalised plain number[] vectors of the right size', async () => {
    const [v] = await provider.embed(['The campaign budget must not exceed fifty thousand euros.']);
    expect(Array.isArray(v)).toBe(true);
    expect(v).toHaveLength(dims);
    expect(norm(v ?? [])).toBeCloseTo(1, 4);
  });

  it('puts a paraphrase closer than an unrelated sentence', async () => {
    const [a, b, c] = await provider.embed([
      'Users abandon the checkout page when shipping costs appear only at the last step.',
      'Revealing delivery fees late in the purchase flow makes shoppers drop their carts.',
      'Mount Everest is the highest mountain above sea level.',
    ]);
    expect(dot(a ?? [], b ?? [])).toBeGreaterThan(dot(a ?? [], c ?? []) + 0.1);
  });

  it('preserves order and length of a batch', async () => {
    const texts = ['alpha release notes', 'GDPR erasure request', 'logo clear space', 'N+1 query in a loop', ''];
    const batch = await provider.embed(texts);
    expect(batch).toHaveLength(5);
    // each item equals what it embeds to alone, so nothing was reordered
    for (const [i, t] of texts.entries()) {
      const [single] = await provider.embed([t]);
      expect(dot(batch[i] ?? [], single ?? [])).toBeGreaterThan(0.999);
    }
    expect(norm(batch[4] ?? [])).toBeCloseTo(1, 4); // empty string accepted, even last in a batch
    expect(await provider.embed([''])).toHaveLength(1);
    expect(await provider.embed([])).toEqual([]);
  });

  it('keeps the event loop responsive while embedding a 50-sentence batch', async () => {
    const texts = Array.from(
      { length: 50 },
      (_, i) =>
        `Finding ${i}: respondents preferred email support over phone calls in region ${i % 7}, and the onboarding tutorial was considered too long by many of them.`,
    );
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const t0 = performance.now();
    const out = await provider.embed(texts);
    const elapsed = performance.now() - t0;
    clearInterval(timer);
    expect(out).toHaveLength(50);
    // a blocked loop would give ~0 ticks; allow generous slack for a loaded 2-core CI box
    expect(ticks).toBeGreaterThanOrEqual(Math.max(2, Math.floor(elapsed / 5 / 4)));
  });

  it('rejects pending calls when the worker crashes, then restarts it', async () => {
    const p = await createLocalEmbeddingProvider(opts);
    try {
      const pending = p.embed(['this request is in flight when the worker dies']);
      await (p as LocalEmbeddingProvider).crashWorkersForTest();
      await expect(pending).rejects.toThrow(/worker exited unexpectedly/);
      const [v] = await p.embed(['the next call starts a fresh worker']);
      expect(v).toHaveLength(dims);
    } finally {
      await p.close();
    }
  }, 60_000);

  it('splits large calls over a pool and keeps the order', async () => {
    const p = await createLocalEmbeddingProvider({ ...opts, poolSize: 2, maxBatch: 4 });
    try {
      const texts = Array.from({ length: 10 }, (_, i) => `note number ${i}`);
      const [pooled, single] = [await p.embed(texts), await provider.embed(texts)];
      expect(pooled).toHaveLength(10);
      pooled.forEach((v, i) => expect(dot(v, single[i] ?? [])).toBeGreaterThan(0.999));
    } finally {
      await p.close();
    }
  }, 60_000);

  it('rejects clearly after close(), and close() is idempotent', async () => {
    const p = await createLocalEmbeddingProvider(opts);
    await p.close();
    await p.close();
    await expect(p.embed(['too late'])).rejects.toThrow(/closed/);
  }, 60_000);
});

describe('local embedding provider: model selection', () => {
  it(
    'createEmbeddingProvider({ provider: "local", model }) picks the model',
    async () => {
      const p = await createEmbeddingProvider({ provider: 'local', model: 'minilm' });
      try {
        expect(p.dimensions).toBe(384);
        const [a, b, c] = await p.embed([
          'Always write the company name in lowercase letters.',
          'Our brand name is never capitalised.',
          'Financial records must be kept for at least seven years.',
        ]);
        expect(dot(a ?? [], b ?? [])).toBeGreaterThan(dot(a ?? [], c ?? []) + 0.1);
      } finally {
        await p.close();
      }
    },
    LOAD_TIMEOUT,
  );

  it('rejects an unknown model name', async () => {
    await expect(createLocalEmbeddingProvider({ model: 'bert' as LocalModelName })).rejects.toThrow(/unknown local embedding model "bert"/);
  });

  it('explains how to install the model when it is missing and cannot be built', async () => {
    // A project whose models/pom.xml is absent: no Maven run, a clear error with both ways out.
    const dir = await mkdtemp(path.join(os.tmpdir(), 'cm-nomodel-'));
    try {
      await writeFile(path.join(dir, 'package.json'), JSON.stringify({ name: 'context-mesh' }));
      const err = await createLocalEmbeddingProvider({ projectDir: dir }).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(err?.message).toMatch(/models\/pom\.xml/);
      expect(err?.message).toMatch(/EMBEDDINGS_LOCAL_MODEL=use-lite/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
