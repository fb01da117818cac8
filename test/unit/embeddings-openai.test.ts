import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createEmbeddingProvider } from '../../src/adapters/embeddings/index.js';
import { createOpenAIEmbeddingProvider } from '../../src/adapters/embeddings/openai-provider.js';

const API_KEY = 'sk-test-SECRET-0123456789abcdef';
const DIMS = 8;

interface Recorded {
  auth: string | undefined;
  body: { model: string; input: string[]; encoding_format?: string; dimensions?: number };
}

/** Deterministic, deliberately unnormalised vector derived from the text. */
function fakeVector(text: string, dims: number): number[] {
  let h = 2166136261;
  for (const ch of text) h = Math.imul(h ^ (ch.codePointAt(0) ?? 0), 16777619);
  return Array.from({ length: dims }, (_, i) => ((((h >>> (i % 24)) & 0xff) + 1) * (i + 1)) / 10);
}

describe('OpenAI-compatible embedding provider against a local HTTP server', () => {
  let server: Server;
  let baseURL: string;
  let requests: Recorded[] = [];
  let mode: 'ok' | '500' | '401' | 'shuffled' = 'ok';

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString()));
      req.on('end', () => {
        const send = (status: number, body: unknown): void => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(body));
        };
        if (req.method !== 'POST' || req.url !== '/v1/embeddings') return send(404, { error: { message: 'not found' } });
        const body = JSON.parse(raw) as Recorded['body'];
        requests.push({ auth: req.headers.authorization, body });
        if (mode === '500') return send(500, { error: { message: 'upstream exploded', type: 'server_error' } });
        if (mode === '401')
          // Like the real API, echo (part of) the key back: the provider must not pass it on.
          return send(401, {
            error: { message: `Incorrect API key provided: ${API_KEY}`, type: 'invalid_request_error', code: 'invalid_api_key' },
          });
        const dims = body.dimensions ?? DIMS;
        const data = body.input.map((text, index) => ({ object: 'embedding', index, embedding: fakeVector(text, dims) }));
        if (mode === 'shuffled') data.reverse();
        send(200, {
          object: 'list',
          data,
          model: body.model,
          usage: { prompt_tokens: body.input.length, total_tokens: body.input.length },
        });
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
  });
  beforeEach(() => {
    requests = [];
    mode = 'ok';
  });

  it('discovers dimensions with one probe call and sends the key as a bearer token', async () => {
    const p = await createOpenAIEmbeddingProvider({ baseURL, apiKey: API_KEY, model: 'test-embed' });
    expect(p.dimensions).toBe(DIMS);
    expect(p.modelId).toBe('openai:test-embed');
    expect(requests).toHaveLength(1);
    expect(requests[0]?.auth).toBe(`Bearer ${API_KEY}`);
    expect(requests[0]?.body.encoding_format).toBe('float');
    await p.close();
  });

  it('uses given dimensions without a probe and forwards them', async () => {
    const p = await createEmbeddingProvider({ provider: 'openai', baseURL, apiKey: API_KEY, model: 'test-embed', dimensions: 4 });
    expect(requests).toHaveLength(0);
    expect(p.dimensions).toBe(4);
    const [v] = await p.embed(['x']);
    expect(v).toHaveLength(4);
    expect(requests[0]?.body.dimensions).toBe(4);
  });

  it('batches inputs, keeps order, normalises vectors', async () => {
    const p = await createOpenAIEmbeddingProvider({ baseURL, apiKey: API_KEY, model: 'test-embed', dimensions: DIMS, batchSize: 3 });
    const texts = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    mode = 'shuffled'; // server answers each batch in reverse index order
    const out = await p.embed(texts);
    expect(requests.map((r) => r.body.input)).toEqual([['a', 'b', 'c'], ['d', 'e', 'f'], ['g']]);
    expect(out).toHaveLength(7);
    for (const [i, t] of texts.entries()) {
      const raw = fakeVector(t, DIMS);
      const n = Math.hypot(...raw);
      out[i]?.forEach((x, k) => expect(x).toBeCloseTo((raw[k] ?? 0) / n, 6));
    }
    expect(await p.embed([])).toEqual([]);
    expect(requests).toHaveLength(3);
  });

  it('sends empty strings as a single space (the API rejects "")', async () => {
    const p = await createOpenAIEmbeddingProvider({ baseURL, apiKey: API_KEY, model: 'test-embed', dimensions: DIMS });
    expect(await p.embed(['', 'x'])).toHaveLength(2);
    expect(requests[0]?.body.input).toEqual([' ', 'x']);
  });

  it('turns HTTP 500 into a clear error without the key', async () => {
    const p = await createOpenAIEmbeddingProvider({ baseURL, apiKey: API_KEY, model: 'test-embed', dimensions: DIMS, maxRetries: 0 });
    mode = '500';
    const err = await p.embed(['boom']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    const msg = (err as Error).message;
    expect(msg).toMatch(/embeddings endpoint .* \(model test-embed\) failed: HTTP 500/);
    expect(msg).toContain('upstream exploded');
    expect(msg).not.toContain(API_KEY);
    expect((err as { status?: number }).status).toBe(500);
  });

  it('retries 500s (maxRetries) before failing', async () => {
    const p = await createOpenAIEmbeddingProvider({ baseURL, apiKey: API_KEY, model: 'test-embed', dimensions: DIMS, maxRetries: 1 });
    mode = '500';
    await expect(p.embed(['boom'])).rejects.toThrow(/HTTP 500/);
    expect(requests).toHaveLength(2);
  });

  it('turns HTTP 401 (even one echoing the key) into a clear error without the key, also at creation', async () => {
    mode = '401';
    const err = await createOpenAIEmbeddingProvider({ baseURL, apiKey: API_KEY, model: 'test-embed' }).catch((e: unknown) => e);
    const msg = (err as Error).message;
    expect(msg).toMatch(/HTTP 401: authentication rejected \(check the API key\)/);
    expect(msg).not.toContain(API_KEY);
    expect(JSON.stringify(err)).not.toContain(API_KEY);
    expect(String((err as Error).stack)).not.toContain(API_KEY);
  });

  it('reports an unreachable server clearly', async () => {
    const p = await createOpenAIEmbeddingProvider({
      baseURL: 'http://127.0.0.1:9/v1',
      apiKey: API_KEY,
      model: 'm',
      dimensions: 2,
      maxRetries: 0,
      timeoutMs: 2000,
    });
    await expect(p.embed(['x'])).rejects.toThrow(/embeddings endpoint http:\/\/127\.0\.0\.1:9\/v1 \(model m\) failed: connection failed/);
  });

  it('rejects after close()', async () => {
    const p = await createOpenAIEmbeddingProvider({ baseURL, apiKey: API_KEY, model: 'test-embed', dimensions: DIMS });
    await p.close();
    await p.close();
    await expect(p.embed(['x'])).rejects.toThrow(/closed/);
  });
});
