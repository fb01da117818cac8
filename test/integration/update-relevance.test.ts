import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/harness.js';
import { getWithHistory, ok, publish, UPDATE } from './support.js';

/**
 * An update that changes text or tags recomputes the relevance stored at publish time, and the
 * recipients of the new version follow the new relevance: an agent that became relevant hears of it,
 * one that no longer is does not.
 */
describe('updating a CRITICAL context recomputes relevance and recipients', () => {
  let server: TestServer;
  let source: { id: string; apiKey: string };
  let alpha: { id: string; apiKey: string };
  let beta: { id: string; apiKey: string };
  const topic = (name: string) => `${server.ns}-${name}`;

  const RELEVANCE = 'query($id: ID!) { context(id: $id) { version relevance { agent { id } score explicit } } }';
  type Relevance = { context: { version: number; relevance: { agent: { id: string }; score: number; explicit: boolean }[] } };
  const storedRelevance = async (id: string) => {
    const data = ok(await server.gql<Relevance>(server.adminKey, RELEVANCE, { id }));
    return new Map(data.context.relevance.map((r) => [r.agent.id, r]));
  };

  const BROADCASTS = `query($agentId: ID!) { broadcasts(agentId: $agentId, afterSeq: 0) { broadcasts { seq reason context { id version } } } }`;
  type Broadcasts = { broadcasts: { broadcasts: { seq: number; reason: string; context: { id: string; version: number } }[] } };
  const deliveredSeqs = async (agentId: string, contextId: string) =>
    ok(await server.gql<Broadcasts>(server.adminKey, BROADCASTS, { agentId }))
      .broadcasts.broadcasts.filter((b) => b.context.id === contextId)
      .map((b) => b.seq);

  beforeAll(async () => {
    server = await startTestServer();
    source = await server.registerAgent({ id: `${server.ns}-source` });
    // Each needs one topic; a tag naming it scores 0.6 × 0.7 = 0.42 from the needs match alone.
    alpha = await server.registerAgent({ id: `${server.ns}-alpha`, needs: [topic('alpha')], relevanceThreshold: 0.4 });
    beta = await server.registerAgent({ id: `${server.ns}-beta`, needs: [topic('beta')], relevanceThreshold: 0.4 });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('moves the stored relevance and the delivery of the new version from alpha to beta', async () => {
    const id = `${server.ns}-memo`;
    const published = await publish(server, source.apiKey, {
      id,
      type: 'FINDING',
      priority: 'CRITICAL',
      text: 'The quarterly figures were revised.',
      tags: [topic('alpha')],
    });

    const before = await storedRelevance(id);
    expect(before.get(alpha.id)?.score, JSON.stringify([...before])).toBeGreaterThanOrEqual(0.4);
    expect(before.get(alpha.id)?.explicit).toBe(false);
    expect(before.get(beta.id)?.score ?? 0).toBeLessThan(0.4);
    expect(await deliveredSeqs(alpha.id, id)).toEqual([published.seq]);
    expect(await deliveredSeqs(beta.id, id)).toEqual([]);

    const updated = ok(
      await server.gql<{ updateContext: { version: number } }>(source.apiKey, UPDATE, {
        id,
        v: 1,
        patch: { text: 'The quarterly figures were revised again.', tags: [topic('beta')] },
      }),
    ).updateContext;
    expect(updated.version).toBe(2);
    // A context's own `seq` is its publication's; the update's event seq is in the history.
    const updateSeq = (await getWithHistory(server, server.adminKey, id))?.history.find((v) => v.version === 2)?.seq;
    expect(updateSeq).toBeGreaterThan(published.seq);

    const after = await storedRelevance(id);
    expect(after.get(beta.id)?.score, JSON.stringify([...after])).toBeGreaterThanOrEqual(0.4);
    expect(after.get(beta.id)?.explicit).toBe(false);
    expect(after.get(alpha.id)?.score ?? 0, 'alpha keeps a relevance the new version no longer has').toBeLessThan(0.4);

    // The durable log is written in the update's transaction: no waiting needed.
    expect(await deliveredSeqs(beta.id, id)).toEqual([updateSeq]);
    expect(await deliveredSeqs(alpha.id, id), 'alpha must not receive the version it is no longer relevant to').toEqual([published.seq]);
  });
});
