import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Neo4jPastRoutingStore, PAST_VECTOR_FACTOR } from '../../src/adapters/neo4j/past-routing-store.js';
import { startTestServer, type TestServer } from '../support/harness.js';
import { ok, publish, UPDATE } from './support.js';

/**
 * Vector candidates as of a seq come from the index over every version ever written (issue 8): superseded versions
 * crowd the nearest hits, so the read must ask the index again for more until it holds `k` contexts then. Here one
 * context's many revisions all sit nearer the query than the runner-up; the answer must still be the exact top `k`
 * of the texts then, computed independently below.
 */

const BASE = 'Quarterly calibration log of the Okavango hydrophone lattice, station seven';

const cosine = (a: readonly number[], b: readonly number[]) => {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += (a[i] ?? 0) * (b[i] ?? 0);
    na += (a[i] ?? 0) ** 2;
    nb += (b[i] ?? 0) ** 2;
  }
  return dot / Math.sqrt(na * nb);
};

describe('vector candidates as of a seq', () => {
  let server: TestServer;
  let writer: { id: string; apiKey: string };
  const id = (name: string) => `${server.ns}-${name}`;
  const revisions = Array.from({ length: 3 * PAST_VECTOR_FACTOR }, (_, i) => `${BASE}, revision ${i + 1}`);
  const texts = {
    crowded: `${BASE}, final revision`,
    runnerUp: `${BASE}: an unrelated appendix about the mess hall menu and the supply boat timetable`,
    far: 'Tomato seedlings in the community garden need watering twice a week',
  };

  beforeAll(async () => {
    server = await startTestServer();
    writer = await server.registerAgent({ id: `${server.ns}-writer`, name: 'writer' });
  }, 120_000);
  afterAll(() => server?.stop());

  it('asks the version index again until it holds k contexts then, and returns the exact top k', async () => {
    await publish(server, writer.apiKey, { id: id('crowded'), type: 'FINDING', text: revisions[0] });
    for (const [index, text] of [...revisions.slice(1), texts.crowded].entries()) {
      ok(await server.gql(writer.apiKey, UPDATE, { id: id('crowded'), v: index + 1, patch: { text } }));
    }
    await publish(server, writer.apiKey, { id: id('runner-up'), type: 'FINDING', text: texts.runnerUp });
    const last = await publish(server, writer.apiKey, { id: id('far'), type: 'FINDING', text: texts.far });

    const embeddings = server.app.embeddings;
    const [query] = await embeddings.embed([BASE]);
    const vectors = await embeddings.embed([...revisions, texts.crowded, texts.runnerUp, texts.far]);
    const score = (index: number) => cosine(query ?? [], vectors[index] ?? []);
    const runnerUp = score(revisions.length + 1);
    // The premise: more superseded revisions than the first probe holds rank above the runner-up.
    expect(revisions.filter((_, index) => score(index) > runnerUp).length).toBeGreaterThan(2 * PAST_VECTOR_FACTOR);

    const reads = new Neo4jPastRoutingStore(server.app.executor).asOf({ seq: last.seq, at: new Date().toISOString() });
    const { vector } = await reads.search({
      viewer: { kind: 'admin' },
      workflowId: null,
      embedding: query ?? [],
      searchTerms: [],
      k: 2,
      validAt: null,
    });
    expect(vector.map((hit) => hit.context.id)).toEqual([id('crowded'), id('runner-up')]);
    expect(vector.map((hit) => hit.context.version)).toEqual([revisions.length + 1, 1]);
    const crowded = score(revisions.length);
    expect(vector[0]?.vectorScore).toBeCloseTo((1 + crowded) / 2, 5);
    expect(vector[1]?.vectorScore).toBeCloseTo((1 + runnerUp) / 2, 5);
  });

  it('as of a seq before the runner-up, finds only what existed then', async () => {
    const [query] = await server.app.embeddings.embed([BASE]);
    const reads = new Neo4jPastRoutingStore(server.app.executor);
    const versions = await server.gql<{ context: { history: { seq: number; version: number }[] } }>(
      server.adminKey,
      'query($id: ID!) { context(id: $id) { history { seq version } } }',
      { id: id('crowded') },
    );
    const third = ok(versions).context.history.find((v) => v.version === 3);
    expect(third).toBeDefined();
    const { vector } = await reads.asOf({ seq: third?.seq ?? 0, at: new Date().toISOString() }).search({
      viewer: { kind: 'admin' },
      workflowId: null,
      embedding: query ?? [],
      searchTerms: [],
      k: 50,
      validAt: null,
    });
    const mine = vector.filter((hit) => hit.context.id.startsWith(`${server.ns}-`));
    expect(mine.map((hit) => [hit.context.id, hit.context.version])).toEqual([[id('crowded'), 3]]);
  });
});
