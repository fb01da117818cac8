import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/harness.js';
import { ok, publishMany } from './support.js';

/**
 * SEARCH_FUSION=rrf: searchContext ranks by reciprocal-rank fusion, so every score is a sum of
 * 1 / (60 + rank) over the lists a hit appears in (see src/domain/routing/fusion.ts). The weighted
 * default gives cosine-scaled scores instead; the two are told apart by that arithmetic.
 */
const RRF_K = 60;
const SEARCH = `query($q: String!, $limit: Int) { searchContext(query: $q, limit: $limit) {
  context { id } score vectorRank fulltextRank graphDistance } }`;
type Hit = { context: { id: string }; score: number; vectorRank: number | null; fulltextRank: number | null; graphDistance: number | null };

const rrfPart = (rank: number | null) => (rank === null ? 0 : 1 / (RRF_K + rank));

describe('searchContext with SEARCH_FUSION', () => {
  const servers: TestServer[] = [];
  let rrf: TestServer;
  let weighted: TestServer;
  const query = 'glacier meltwater sensor calibration';

  beforeAll(async () => {
    [rrf, weighted] = await Promise.all([
      startTestServer({ env: { SEARCH_FUSION: 'rrf', EXPIRY_SWEEP_MS: '0' } }),
      startTestServer({ env: { SEARCH_FUSION: 'weighted', EXPIRY_SWEEP_MS: '0' } }),
    ]);
    servers.push(rrf, weighted);
    const author = await rrf.registerAgent({ id: `${rrf.ns}-author` });
    const id = (name: string) => `${rrf.ns}-${name}`;
    await publishMany(rrf, author.apiKey, [
      { type: 'FINDING', id: id('base'), text: 'Glacier meltwater sensors drift and need calibration every spring.' },
      { type: 'FINDING', id: id('method'), text: 'Calibration method for the meltwater sensor array.', dependencies: [id('base')] },
      { type: 'DECISION', id: id('budget'), text: 'We buy two spare sensors for the glacier station.', dependencies: [id('method')] },
      { type: 'FINDING', id: id('unrelated'), text: 'The canteen opens at eight on weekdays.' },
    ]);
  });
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
  });

  const search = async (server: TestServer) =>
    ok(await server.gql<{ searchContext: Hit[] }>(server.adminKey, SEARCH, { q: query, limit: 20 })).searchContext;

  it('scores every rrf hit as the sum of 1/(60 + rank) over the lists it is in, best first', async () => {
    const hits = await search(rrf);
    expect(hits.map((h) => h.context.id)).toContain(`${rrf.ns}-base`);
    const inBothLists = hits.filter((h) => h.vectorRank !== null && h.fulltextRank !== null);
    expect(inBothLists.length, JSON.stringify(hits)).toBeGreaterThan(0);

    for (const hit of hits) {
      const listed = rrfPart(hit.vectorRank) + rrfPart(hit.fulltextRank);
      if (hit.graphDistance === null) {
        expect(hit.score, JSON.stringify(hit)).toBeCloseTo(listed, 12);
      } else {
        // Reached through the graph too: its graph-list rank adds one more 1/(60 + r), r ≥ 1.
        const graphRank = 1 / (hit.score - listed) - RRF_K;
        expect(graphRank, JSON.stringify(hit)).toBeGreaterThanOrEqual(1 - 1e-6);
        expect(Math.abs(graphRank - Math.round(graphRank)), JSON.stringify(hit)).toBeLessThan(1e-6);
      }
      expect(hit.score).toBeLessThanOrEqual(3 / (RRF_K + 1));
    }
    const scores = hits.map((h) => h.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it('differs from the weighted default, whose scores are not rank sums', async () => {
    const hits = await search(weighted);
    const best = hits.find((h) => h.context.id === `${rrf.ns}-base`);
    expect(best, JSON.stringify(hits)).toBeDefined();
    // 0.6 × cosine + 0.3 × normalised Lucene score: far above any rank sum (at most 3/61 ≈ 0.049).
    expect(best?.score).toBeGreaterThan(3 / (RRF_K + 1));
    expect(best?.score).not.toBeCloseTo(rrfPart(best?.vectorRank ?? null) + rrfPart(best?.fulltextRank ?? null), 6);
  });
});
