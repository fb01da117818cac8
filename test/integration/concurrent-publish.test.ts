import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphQLResponse } from '../support/harness.js';
import { startTestServer, type TestServer } from '../support/harness.js';
import { failed, finding, getWithHistory, PUBLISH, PUBLISH_MANY, type Ctx } from './support.js';

/**
 * Two publishes of the same client id racing each other: whichever commits first wins, the other is
 * refused with ALREADY_EXISTS naming exactly the id that clashed, and nothing of the loser is stored.
 * Several rounds, so that both paths are likely taken: the presence check (the winner had committed)
 * and the uniqueness constraint (both passed the check, the second commit fails).
 */
describe('concurrent publishes of the same id', () => {
  const ROUNDS = 6;
  let server: TestServer;
  let first: { id: string; apiKey: string };
  let second: { id: string; apiKey: string };
  const id = (name: string) => `${server.ns}-${name}`;

  beforeAll(async () => {
    server = await startTestServer();
    first = await server.registerAgent({ id: `${server.ns}-first` });
    second = await server.registerAgent({ id: `${server.ns}-second` });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('stores exactly one of two racing single publishes; the other gets ALREADY_EXISTS', async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const x = id(`single-${round}`);
      const responses = await Promise.all(
        [first, second].map((agent) =>
          server.gql<{ publishContext: Ctx }>(agent.apiKey, PUBLISH, { input: finding(`by ${agent.id}`, { id: x }), key: null }),
        ),
      );
      const winners = responses.filter((r) => r.errors === undefined);
      const losers = responses.filter((r) => r.errors !== undefined);
      expect(winners, `round ${round}: ${JSON.stringify(responses)}`).toHaveLength(1);
      const refused = failed(losers[0] as GraphQLResponse<unknown>, 'ALREADY_EXISTS');
      expect(refused.extensions['ids']).toEqual([x]);

      const stored = await getWithHistory(server, server.adminKey, x);
      const winner = winners[0]?.data?.publishContext;
      expect(stored?.text).toBe(winner?.text);
      expect(stored?.metadata.sourceAgent.id).toBe(winner?.metadata.sourceAgent.id);
      expect(stored?.history.map((v) => v.version)).toEqual([1]);
    }
  });

  it('refuses the losing batch [X, Z] against [X, Y] as a whole, naming only X', async () => {
    for (let round = 0; round < ROUNDS; round += 1) {
      const [x, y, z] = [id(`batch-${round}-x`), id(`batch-${round}-y`), id(`batch-${round}-z`)];
      const batches = [
        { agent: first, ids: [x, y] },
        { agent: second, ids: [x, z] },
      ];
      const responses = await Promise.all(
        batches.map(({ agent, ids }) =>
          server.gql<{ publishContexts: Ctx[] }>(agent.apiKey, PUBLISH_MANY, {
            inputs: ids.map((each) => finding(`${each} by ${agent.id}`, { id: each })),
            key: null,
          }),
        ),
      );
      const outcome = `round ${round}: ${JSON.stringify(responses.map((r) => r.errors ?? 'ok'))}`;
      const winnerIndex = responses.findIndex((r) => r.errors === undefined);
      expect(winnerIndex, outcome).toBeGreaterThanOrEqual(0);
      const loserIndex = 1 - winnerIndex;
      const refused = failed(responses[loserIndex] as GraphQLResponse<unknown>, 'ALREADY_EXISTS');
      expect(refused.extensions['ids'], outcome).toEqual([x]);

      const winner = batches[winnerIndex];
      const loser = batches[loserIndex];
      // X is the winner's; the loser's other context was rolled back with the rest of its batch.
      expect((await getWithHistory(server, server.adminKey, x))?.text).toBe(`${x} by ${winner?.agent.id}`);
      expect(await getWithHistory(server, server.adminKey, winner?.ids[1] ?? '')).not.toBeNull();
      expect(await getWithHistory(server, server.adminKey, loser?.ids[1] ?? ''), outcome).toBeNull();
    }
  });
});
