import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createOpenAISummarizer } from '../../src/adapters/llm/openai-summarizer.js';
import { createTokenCounter } from '../../src/adapters/tokens/tiktoken-counter.js';
import { BudgetTooSmallError } from '../../src/domain/errors.js';
import { MIN_SUMMARY_TOKENS, compressLeftovers, planPackage, summaryReserve } from '../../src/domain/routing/compression.js';
import { extractiveSummary, minimalExtractiveTokens, splitSentences } from '../../src/domain/routing/extractive-summary.js';
import type { ScoredContext } from '../../src/domain/routing/types.js';
import { scoredContext, seededRandom } from '../support/fixtures.js';

const counter = createTokenCounter();
const noDeps = (): string[] => [];

const rng = seededRandom;

function scored(id: string, text: string, score: number): ScoredContext {
  return scoredContext(id, counter.count(text), score, { text });
}

const WORDS =
  'latency cache checkout service database index query p99 rollout region eu-west users errors timeout retry budget queue worker shard replica cost memory cpu deploy canary flag schema migration'.split(
    ' ',
  );

function randomText(rand: () => number): string {
  const sentences: string[] = [];
  const count = 1 + Math.floor(rand() * 8);
  for (let s = 0; s < count; s++) {
    const words = Array.from({ length: 3 + Math.floor(rand() * 25) }, () => WORDS[Math.floor(rand() * WORDS.length)] ?? 'x');
    if (rand() < 0.3) words.splice(1, 0, `${(rand() * 100).toFixed(1)}%`);
    if (rand() < 0.2) words.splice(2, 0, 'e.g.');
    const text = words.join(' ');
    sentences.push(rand() < 0.2 ? `- ${text}` : `${text[0]?.toUpperCase() ?? ''}${text.slice(1)}.`);
  }
  return sentences.join(rand() < 0.5 ? ' ' : '\n');
}

function randomLeftovers(rand: () => number, n: number): ScoredContext[] {
  return Array.from({ length: n }, (_, i) => scored(`ctx-${i}`, randomText(rand), 0.9 - i * 0.01)).sort((a, b) => b.score - a.score);
}

const LEFTOVERS = [
  scored(
    'ctx-latency',
    'Checkout p99 latency rose 15.5% after the 3.2 release. The cause is cache misses in the pricing service, e.g. for new carts. Rolling back fixed it.',
    0.9,
  ),
  scored('ctx-db', 'The orders database is at 81% disk. Dr. Smith approved a resize to 2 TB. It happens on Friday.', 0.7),
  scored('ctx-style', '- Use tabs\n- Keep lines short\n- Prefer named exports', 0.4),
];

describe('splitSentences', () => {
  it('keeps abbreviations, initials and decimals inside sentences, and splits bullets and headings', () => {
    expect(splitSentences('Latency rose 15.5% in v1.2. Use a cache, e.g. Redis. Ask Dr. Smith. J. Doe agreed.')).toEqual([
      'Latency rose 15.5% in v1.2.',
      'Use a cache, e.g. Redis.',
      'Ask Dr. Smith.',
      'J. Doe agreed.',
    ]);
    expect(
      splitSentences('# Findings\n- first point\n- second point. With detail\n  continued\n1. numbered\nA hard-wrapped\nline ends here.'),
    ).toEqual(['Findings', 'first point', 'second point.', 'With detail continued', 'numbered', 'A hard-wrapped line ends here.']);
    expect(splitSentences('Does it work? Yes! It does (mostly.) Then: "quoted." Next')).toEqual([
      'Does it work?',
      'Yes!',
      'It does (mostly.)',
      'Then: "quoted."',
      'Next',
    ]);
    expect(splitSentences('')).toEqual([]);
  });
});

describe('extractiveSummary', () => {
  const items = LEFTOVERS.map((l) => ({ id: l.context.id, text: l.context.text, score: l.score }));

  it('renders whole sentences grouped by source, in original order, with the source id', () => {
    const s = extractiveSummary(items, 40, counter);
    expect(s.tokens).toBe(counter.count(s.text));
    expect(s.tokens).toBeLessThanOrEqual(40);
    expect(s.text.startsWith('[ctx-latency] Checkout p99 latency rose 15.5% after the 3.2 release.')).toBe(true);
    for (const id of s.includedIds) expect(s.text).toContain(`[${id}] `);
    expect(s.text.split('\n')).toHaveLength(s.includedIds.length);
  });

  it('quotes everything when the limit allows, bullets ending in full stops', () => {
    const s = extractiveSummary(items, 1000, counter);
    expect(s.includedIds).toEqual(['ctx-latency', 'ctx-db', 'ctx-style']);
    expect(s.text).toBe(
      '[ctx-latency] Checkout p99 latency rose 15.5% after the 3.2 release. The cause is cache misses in the pricing service, e.g. for new carts. Rolling back fixed it.\n' +
        '[ctx-db] The orders database is at 81% disk. Dr. Smith approved a resize to 2 TB. It happens on Friday.\n' +
        '[ctx-style] Use tabs. Keep lines short. Prefer named exports.',
    );
  });

  it('truncates one sentence at a word boundary only when no whole sentence fits', () => {
    const long = [{ id: 'ctx-long', text: `${'word '.repeat(200).trim()}.`, score: 1 }];
    const s = extractiveSummary(long, 20, counter);
    expect(s.text).toMatch(/^\[ctx-long\] word( word)*…$/);
    expect(s.tokens).toBeLessThanOrEqual(20);
    expect(s.tokens).toBeGreaterThan(14);
    expect(extractiveSummary(long, 2, counter)).toEqual({ text: '', includedIds: [], tokens: 0 });
    const minimal = minimalExtractiveTokens(long, counter) ?? 0;
    expect(extractiveSummary(long, minimal, counter).text).toBe('[ctx-long] word…');
    expect(extractiveSummary(long, minimal - 1, counter).text).toBe('');
  });

  it('keeps duplicate sentences once', () => {
    const dup = [
      { id: 'a', text: 'The cache is cold. Alpha.', score: 0.9 },
      { id: 'b', text: 'the  cache is cold. Beta.', score: 0.8 },
    ];
    const s = extractiveSummary(dup, 1000, counter);
    expect(s.text.match(/cache is cold/gi)).toHaveLength(1);
  });

  it('stays within the limit, counts real tokens and is deterministic on 300 random inputs', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const rand = rng(seed);
      const input = randomLeftovers(rand, 1 + Math.floor(rand() * 12)).map((l) => ({
        id: l.context.id,
        text: l.context.text,
        score: l.score,
      }));
      const max = Math.floor(rand() * 400);
      const a = extractiveSummary(input, max, counter);
      const b = extractiveSummary(input, max, counter);
      expect(b).toEqual(a);
      expect(a.tokens).toBe(counter.count(a.text));
      expect(a.tokens).toBeLessThanOrEqual(max);
      const inputIds = input.map((i) => i.id);
      expect(a.includedIds.every((id) => inputIds.includes(id))).toBe(true);
      for (const id of a.includedIds) expect(a.text).toContain(`[${id}]`);
      if (max >= 40) expect(a.text).not.toBe('');
    }
  });
});

describe('compressLeftovers (extractive)', () => {
  it('returns null for no leftovers or a limit under the minimum', async () => {
    expect(await compressLeftovers([], 500, { tokens: counter })).toBeNull();
    expect(await compressLeftovers(LEFTOVERS, MIN_SUMMARY_TOKENS - 1, { tokens: counter })).toBeNull();
    expect(await compressLeftovers([scored('blank', '   ', 0.5)], 500, { tokens: counter })).toBeNull();
  });

  it('summarises within the limit and reports represented ids and the compression ratio', async () => {
    const c = await compressLeftovers(LEFTOVERS, 50, { tokens: counter });
    expect(c).not.toBeNull();
    if (!c) return;
    expect(c.method).toBe('EXTRACTIVE');
    expect(c.tokens).toBe(counter.count(c.text));
    expect(c.tokens).toBeLessThanOrEqual(50);
    const original = LEFTOVERS.filter((l) => c.originalContextIds.includes(l.context.id)).reduce((s, l) => s + l.tokens, 0);
    expect(c.compressionRatio).toBeCloseTo(original / c.tokens, 10);
    for (const id of c.originalContextIds) expect(c.text).toContain(`[${id}]`);
  });
});

describe('compressLeftovers with an OpenAI-compatible LLM on a local HTTP server', () => {
  const API_KEY = 'sk-test-SECRET-summarizer-0123456789';
  let server: Server;
  let baseURL: string;
  let mode: 'ok' | '500' | 'long' | 'long-rambling' | 'slow' | 'empty' | 'cut-off' = 'ok';
  let requests: {
    auth: string | undefined;
    body: { model: string; max_tokens?: number; messages: { role: string; content: string }[] };
  }[] = [];

  const reply = (content: string, finish = 'stop'): unknown => ({
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 1,
    model: 'test-llm',
    choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, finish_reason: finish, logprobs: null }],
    usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
  });

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString()));
      req.on('end', () => {
        const send = (status: number, body: unknown): void => {
          if (res.destroyed) return;
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(body));
        };
        if (req.method !== 'POST' || req.url !== '/v1/chat/completions') return send(404, { error: { message: 'not found' } });
        requests.push({ auth: req.headers.authorization, body: JSON.parse(raw) as (typeof requests)[number]['body'] });
        switch (mode) {
          case '500':
            return send(500, { error: { message: `upstream exploded for key ${API_KEY}`, type: 'server_error' } });
          case 'slow':
            return void setTimeout(() => send(200, reply('Too late [ctx-db].')), 1500);
          case 'empty':
            return send(200, reply('   '));
          case 'cut-off':
            return send(200, reply('DB at 81% disk [ctx-db]. Latency rose 15.5% after rel', 'length'));
          case 'long':
            // Several sentences, far over any small limit: the router may keep a prefix of whole sentences.
            return send(
              200,
              reply(
                'Checkout p99 latency rose 15.5% after release 3.2 because of pricing cache misses [ctx-latency]. ' +
                  'The orders database is at 81% disk and will be resized to 2 TB on Friday [ctx-db]. ' +
                  'Style rules: tabs, short lines, named exports [ctx-style]. '.repeat(30),
              ),
            );
          case 'long-rambling':
            // One endless sentence: no boundary keeps enough, so the router must fall back.
            return send(200, reply(`Everything ${'and more '.repeat(400)}`));
          default:
            return send(
              200,
              reply(
                'Checkout p99 +15.5% after 3.2 (pricing cache misses; rollback fixed) [ctx-latency]. DB 81% disk, resize Friday [ctx-db].',
              ),
            );
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });
  beforeEach(() => {
    mode = 'ok';
    requests = [];
  });

  const llm = (timeoutMs = 5000) => createOpenAISummarizer({ baseURL, apiKey: API_KEY, model: 'test-llm', timeoutMs, maxRetries: 0 });

  it('uses the LLM summary, cites the ids it names, and sends the limit as max_tokens', async () => {
    const errors: unknown[] = [];
    const c = await compressLeftovers(LEFTOVERS, 60, { tokens: counter, llm: llm(), onLlmError: (e) => errors.push(e) });
    expect(errors).toEqual([]);
    expect(c?.method).toBe('LLM');
    expect(c?.text).toContain('[ctx-latency]');
    expect(c?.originalContextIds).toEqual(['ctx-latency', 'ctx-db']);
    expect(c?.tokens).toBe(counter.count(c?.text ?? ''));
    expect(c?.compressionRatio).toBeCloseTo((LEFTOVERS[0]!.tokens + LEFTOVERS[1]!.tokens) / (c?.tokens ?? 1), 10);
    expect(requests).toHaveLength(1);
    const body = requests[0]?.body;
    expect(requests[0]?.auth).toBe(`Bearer ${API_KEY}`);
    expect(body?.model).toBe('test-llm');
    expect(body?.max_tokens).toBe(60);
    expect(body?.messages[0]?.content).toContain('at most 60 tokens');
    expect(body?.messages[1]?.content).toContain('[ctx-db] (relevance 0.70)');
  });

  it('falls back to the extractive summary on HTTP 500 and reports the error without the key', async () => {
    const errors: unknown[] = [];
    mode = '500';
    const c2 = await compressLeftovers(LEFTOVERS, 60, { tokens: counter, llm: llm(), onLlmError: (e) => errors.push(e) });
    expect(c2?.method).toBe('EXTRACTIVE');
    expect(c2?.tokens).toBeLessThanOrEqual(60);
    expect(errors).toHaveLength(1);
    const msg = (errors[0] as Error).message;
    expect(msg).toMatch(/chat completions endpoint .* \(model test-llm\) failed: HTTP 500/);
    expect(msg).not.toContain(API_KEY);
    expect(String((errors[0] as Error).stack)).not.toContain(API_KEY);
  });

  it('cuts a too-long LLM answer at a sentence boundary within the limit', async () => {
    mode = 'long';
    const errors: unknown[] = [];
    const c = await compressLeftovers(LEFTOVERS, 60, { tokens: counter, llm: llm(), onLlmError: (e) => errors.push(e) });
    expect(errors).toEqual([]);
    expect(c?.method).toBe('LLM');
    expect(c?.tokens).toBeLessThanOrEqual(60);
    expect(c?.tokens).toBeGreaterThanOrEqual(30);
    expect(c?.text.endsWith('.')).toBe(true);
    expect(c?.text).toContain('[ctx-db]');
  });

  it('falls back when a too-long answer has no boundary that keeps enough', async () => {
    mode = 'long-rambling';
    const errors: unknown[] = [];
    const c = await compressLeftovers(LEFTOVERS, 60, { tokens: counter, llm: llm(), onLlmError: (e) => errors.push(e) });
    expect(c?.method).toBe('EXTRACTIVE');
    expect(c?.tokens).toBeLessThanOrEqual(60);
    expect(errors).toHaveLength(1);
    expect((errors[0] as Error).name).toBe('SummaryRejectedError');
  });

  it('drops the unfinished sentence of an answer cut off by max_tokens', async () => {
    mode = 'cut-off';
    const c = await compressLeftovers(LEFTOVERS, 60, { tokens: counter, llm: llm() });
    expect(c?.method).toBe('LLM');
    expect(c?.text).toBe('DB at 81% disk [ctx-db].');
    expect(c?.originalContextIds).toEqual(['ctx-db']);
  });

  it('falls back on an empty answer', async () => {
    mode = 'empty';
    const errors: unknown[] = [];
    const c = await compressLeftovers(LEFTOVERS, 60, { tokens: counter, llm: llm(), onLlmError: (e) => errors.push(e) });
    expect(c?.method).toBe('EXTRACTIVE');
    expect(errors).toHaveLength(1);
  });

  it('falls back on timeout', async () => {
    mode = 'slow';
    const errors: unknown[] = [];
    const started = Date.now();
    const c = await compressLeftovers(LEFTOVERS, 60, { tokens: counter, llm: llm(200), onLlmError: (e) => errors.push(e) });
    expect(Date.now() - started).toBeLessThan(1400);
    expect(c?.method).toBe('EXTRACTIVE');
    expect((errors[0] as Error).message).toMatch(/timed out/);
  });

  it('still summarises when the error reporter itself throws', async () => {
    mode = '500';
    const c = await compressLeftovers(LEFTOVERS, 60, {
      tokens: counter,
      llm: llm(),
      onLlmError: () => {
        throw new Error('reporter broke');
      },
    });
    expect(c?.method).toBe('EXTRACTIVE');
  });

  it('plans a package with an LLM summary inside the budget', async () => {
    const ranked = [
      scored('ctx-top', 'The top finding. '.repeat(20), 0.95),
      ...LEFTOVERS,
      scored('ctx-more', 'More detail. '.repeat(150), 0.3),
    ];
    expect(ranked.reduce((s, r) => s + r.tokens, 0)).toBeGreaterThan(500);
    const p = await planPackage(ranked, 500, { tokens: counter, llm: llm(), dependenciesOf: noDeps });
    expect(p.items.map((i) => i.context.id)).toContain('ctx-top');
    expect(p.compressed?.method).toBe('LLM');
    expect(p.compressed?.originalContextIds).toEqual(['ctx-more']); // cites none of what it was sent: all count
    expect(p.tokens).toBe(p.items.reduce((s, i) => s + i.tokens, 0) + (p.compressed?.tokens ?? 0));
    expect(p.tokens).toBeLessThanOrEqual(500);
  });
});

describe('planPackage', () => {
  const deps = { tokens: counter, dependenciesOf: noDeps };

  it('rejects budgets under the minimum, even with no candidates', async () => {
    await expect(planPackage([], MIN_SUMMARY_TOKENS - 1, deps)).rejects.toBeInstanceOf(BudgetTooSmallError);
    await expect(planPackage(LEFTOVERS, 0, deps)).rejects.toMatchObject({ code: 'BUDGET_TOO_SMALL' });
    await expect(planPackage(LEFTOVERS, Number.NaN, deps)).rejects.toBeInstanceOf(BudgetTooSmallError);
  });

  it('returns an empty package for no candidates', async () => {
    expect(await planPackage([], 1000, deps)).toEqual({ items: [], tokens: 0, compressed: null });
  });

  it('packs everything, in dependency order, without a summary when everything fits', async () => {
    const p = await planPackage(LEFTOVERS, 10_000, {
      tokens: counter,
      dependenciesOf: (id) => (id === 'ctx-latency' ? ['ctx-style'] : []),
    });
    expect(p.items.map((i) => i.context.id)).toEqual(['ctx-style', 'ctx-latency', 'ctx-db']);
    expect(p.compressed).toBeNull();
    expect(p.tokens).toBe(LEFTOVERS.reduce((s, l) => s + l.tokens, 0));
  });

  it('reserves room for a summary of what does not fit', async () => {
    const rand = rng(7);
    const ranked = randomLeftovers(rand, 40);
    const total = ranked.reduce((s, r) => s + r.tokens, 0);
    const budget = Math.floor(total / 3);
    const p = await planPackage(ranked, budget, deps);
    expect(p.compressed).not.toBeNull();
    expect(p.compressed?.method).toBe('EXTRACTIVE');
    const itemTokens = p.items.reduce((s, i) => s + i.tokens, 0);
    expect(itemTokens).toBeLessThanOrEqual(budget - summaryReserve(budget));
    expect(p.tokens).toBe(itemTokens + (p.compressed?.tokens ?? 0));
    expect(p.tokens).toBeLessThanOrEqual(budget);
    const packed = new Set(p.items.map((i) => i.context.id));
    expect(p.compressed?.originalContextIds.some((id) => packed.has(id))).toBe(false);
  });

  it('names the smallest budget that works when nothing fits, and that budget works', async () => {
    const big = [scored('ctx-9f8e7d6c-5b4a-3928-1706-f5e4d3c2b1a0', `${'Lengthy '.repeat(80)}sentence.`, 0.9)];
    const err = await planPackage(big, MIN_SUMMARY_TOKENS, deps).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BudgetTooSmallError);
    const needed = (err as BudgetTooSmallError).details['minimumBudget'] as number;
    expect(needed).toBeGreaterThan(MIN_SUMMARY_TOKENS);
    expect((err as Error).message).toContain(`the smallest budget that works is ${needed}`);
    await expect(planPackage(big, needed - 1, deps)).rejects.toBeInstanceOf(BudgetTooSmallError);
    const ok = await planPackage(big, needed, deps);
    expect(ok.compressed?.text).toMatch(/^\[ctx-9f8e7d6c-5b4a-3928-1706-f5e4d3c2b1a0\] Lengthy…$/);
    expect(ok.tokens).toBeLessThanOrEqual(needed);
  });

  it('keeps items plus summary within the budget on 150 random cases', async () => {
    for (let seed = 100; seed < 250; seed++) {
      const rand = rng(seed);
      const ranked = randomLeftovers(rand, 1 + Math.floor(rand() * 30));
      const total = ranked.reduce((s, r) => s + r.tokens, 0);
      const budget = MIN_SUMMARY_TOKENS + Math.floor(rand() * total * 1.1);
      const graph = new Map(
        ranked.map((r, i) => [r.context.id, i + 1 < ranked.length && rand() < 0.3 ? [ranked[i + 1]?.context.id ?? ''] : []]),
      );
      let p;
      try {
        p = await planPackage(ranked, budget, { tokens: counter, dependenciesOf: (id) => graph.get(id) ?? [] });
      } catch (e) {
        expect(e).toBeInstanceOf(BudgetTooSmallError);
        expect(((e as BudgetTooSmallError).details['minimumBudget'] as number) > budget).toBe(true);
        continue;
      }
      expect(p.tokens).toBeLessThanOrEqual(budget);
      expect(p.tokens).toBe(p.items.reduce((s, i) => s + i.tokens, 0) + (p.compressed?.tokens ?? 0));
      if (total <= budget) expect(p.compressed).toBeNull();
      else expect(p.items.length + (p.compressed ? 1 : 0)).toBeGreaterThan(0);
      if (p.compressed) expect(p.compressed.tokens).toBe(counter.count(p.compressed.text));
    }
  });
});
