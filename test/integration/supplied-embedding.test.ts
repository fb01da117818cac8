import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbeddingProvider } from '../../src/adapters/embeddings/index.js';
import type { EmbeddingProvider } from '../../src/domain/ports.js';
import { startTestServer, type TestServer } from '../support/harness.js';
import { failed, ok, publish, publishMany } from './support.js';

/**
 * `PublishContextInput.embedding` (issue 11): a client that computed the text's vector with the service's own model
 * supplies it, and the service stores and routes by it instead of embedding the text again. Checked against the
 * model's dimension; a bad vector is BAD_USER_INPUT and writes nothing.
 */

const MODEL = `{ embeddingModel { id dimensions } }`;
const SEARCH = `query($q: String!) { searchContext(query: $q, limit: 100) { context { id } vectorRank } }`;
const GET = `query($id: ID!) { context(id: $id) { id } }`;

describe('client-supplied embeddings', () => {
  let server: TestServer;
  let model: EmbeddingProvider;
  let key: string;
  let dimensions: number;

  beforeAll(async () => {
    server = await startTestServer();
    // The same local model the service runs: the client side of "computed with the service's model".
    model = await createEmbeddingProvider({ provider: 'local' });
    key = (await server.registerAgent({ id: `${server.ns}-client`, name: 'client' })).apiKey;
    const info = ok(await server.gql<{ embeddingModel: { id: string; dimensions: number } }>(key, MODEL)).embeddingModel;
    expect(info.id).toBe(model.modelId);
    dimensions = info.dimensions;
    expect(dimensions).toBe(model.dimensions);
  }, 120_000);
  afterAll(async () => {
    await model?.close();
    await server?.stop();
  });

  it('routes by the supplied vector, not by a vector of the text', async () => {
    // The text has nothing of the question; only the supplied vector (of the question itself) can bring it up. The
    // same text without a vector is the control: were the vector ignored, both would have the same one and tie.
    const question = `When does the espresso machine ${server.ns} launch in Lisbon?`;
    const [vector] = await model.embed([question]);
    const text = 'Item 7731 of the Q3 ledger';
    const supplied = await publish(server, key, { id: `${server.ns}-supplied`, type: 'FINDING', text, embedding: vector });
    const control = await publish(server, key, { id: `${server.ns}-control`, type: 'FINDING', text });
    const ranks = async (q: string) => {
      const hits = ok(
        await server.gql<{ searchContext: { context: { id: string }; vectorRank: number | null }[] }>(key, SEARCH, { q }),
      ).searchContext;
      const rankOf = (id: string) => hits.find((h) => h.context.id === id)?.vectorRank ?? Infinity;
      return { supplied: rankOf(supplied.id), control: rankOf(control.id) };
    };
    // Asked the question, the supplied vector wins; asked the ledger text, the control's own vector does. Were the
    // vector ignored, the two would tie and come out in the same order both times.
    const byQuestion = await ranks(question);
    expect(byQuestion.supplied).toBe(1);
    expect(byQuestion.control).toBeGreaterThan(1);
    const byText = await ranks(text);
    expect(byText.control).toBeLessThan(byText.supplied);
  });

  it('a batch may mix supplied and computed vectors', async () => {
    const [vector] = await model.embed(['Quarterly revenue grew in the enterprise tier']);
    const published = await publishMany(server, key, [
      { id: `${server.ns}-mixed-a`, type: 'FINDING', text: 'Revenue grew 12% in the enterprise tier this quarter', embedding: vector },
      { id: `${server.ns}-mixed-b`, type: 'FINDING', text: 'Churn in the enterprise tier fell this quarter' },
    ]);
    expect(published.map((c) => c.id)).toEqual([`${server.ns}-mixed-a`, `${server.ns}-mixed-b`]);
  });

  it.each([
    ['the wrong dimension', () => [0.1, 0.2, 0.3], /must have \d+ numbers/],
    ['all zeros', () => new Array<number>(dimensions).fill(0), /all zeros/],
    ['an empty vector', () => [], /must not be empty/],
    ['too many numbers', () => new Array<number>(5000).fill(0.01), /at most 4096/],
  ])('refuses %s with BAD_USER_INPUT at input.embedding, and writes nothing', async (_name, vector, message) => {
    const id = `${server.ns}-bad-${String(_name).replace(/\W+/g, '-')}`;
    const response = await server.gql(key, `mutation($input: PublishContextInput!) { publishContext(input: $input) { id } }`, {
      input: { id, type: 'FINDING', text: 'A finding with a broken vector', embedding: vector() },
    });
    const error = failed(response, 'BAD_USER_INPUT');
    expect(error.message).toMatch(message);
    expect(JSON.stringify(error.extensions['issues'])).toContain('embedding');
    expect(ok(await server.gql<{ context: unknown }>(key, GET, { id })).context).toBeNull();
  });

  it('a bad vector in one item of a batch refuses the whole batch', async () => {
    const [vector] = await model.embed(['A fine vector']);
    const response = await server.gql(key, `mutation($inputs: [PublishContextInput!]!) { publishContexts(inputs: $inputs) { id } }`, {
      inputs: [
        { id: `${server.ns}-batch-ok`, type: 'FINDING', text: 'A fine finding', embedding: vector },
        { id: `${server.ns}-batch-bad`, type: 'FINDING', text: 'A broken finding', embedding: [1, 2] },
      ],
    });
    const error = failed(response, 'BAD_USER_INPUT');
    expect(JSON.stringify(error.extensions['issues'])).toContain('"inputs",1,"embedding"');
    expect(ok(await server.gql<{ context: unknown }>(key, GET, { id: `${server.ns}-batch-ok` })).context).toBeNull();
  });
});
