import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canRead } from '../../src/domain/visibility.js';
import type { Viewer } from '../../src/domain/types.js';
import { seededRandom } from '../support/fixtures.js';
import { startTestServer, type TestServer } from '../support/harness.js';
import { listAllIds, ok, publishMany } from './support.js';

/**
 * The visibility rule is written twice: as Cypher (`VISIBLE`, every store read) and as `canRead`
 * (records in memory, live events). This test keeps them in agreement on generated cases: random
 * sources and random `visibleTo` (null, empty, subsets), read back by every viewer
 * through the API and compared with what `canRead` says of the same record.
 * Replay a failure with VISIBILITY_SEED=<seed from the message>.
 */
const SEED = Number(process.env['VISIBILITY_SEED'] ?? Date.now() % 1_000_000);
const AGENTS = 4;
const CONTEXTS = 60;

interface Generated {
  id: string;
  sourceAgentId: string;
  visibleTo: string[] | null;
}

describe(`visibility: the store's VISIBLE agrees with canRead (seed ${SEED})`, () => {
  let server: TestServer;
  let agents: { id: string; apiKey: string }[] = [];
  const generated: Generated[] = [];

  beforeAll(async () => {
    server = await startTestServer({ env: { EXPIRY_SWEEP_MS: '0' } });
    agents = [];
    for (let index = 0; index < AGENTS; index += 1) agents.push(await server.registerAgent({ id: `${server.ns}-viewer-${index}` }));

    const random = seededRandom(SEED);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    const randomVisibleTo = (): string[] | null => {
      const roll = random();
      if (roll < 0.25) return null;
      if (roll < 0.4) return [];
      // A subset of the agents, maybe with the source itself (visibleTo may name only registered agents).
      return agents.filter(() => random() < 0.4).map((agent) => agent.id);
    };
    for (let index = 0; index < CONTEXTS; index += 1) {
      generated.push({ id: `${server.ns}-v${index}`, sourceAgentId: pick(agents).id, visibleTo: randomVisibleTo() });
    }
    // Publish each source's contexts as that agent, in one batch per agent.
    for (const agent of agents) {
      const own = generated.filter((g) => g.sourceAgentId === agent.id);
      if (own.length === 0) continue;
      await publishMany(
        server,
        agent.apiKey,
        own.map((g) => ({ type: 'FINDING', id: g.id, text: `visibility case ${g.id}`, visibleTo: g.visibleTo })),
      );
    }
  });
  afterAll(async () => {
    await server?.stop();
  });

  const viewers = (): { name: string; key: string; viewer: Viewer }[] => [
    { name: 'admin', key: server.adminKey, viewer: { kind: 'admin' } },
    ...agents.map((agent) => ({ name: agent.id, key: agent.apiKey, viewer: { kind: 'agent', agentId: agent.id } as Viewer })),
  ];
  const expectedFor = (viewer: Viewer) =>
    generated
      .filter((g) => canRead(viewer, g))
      .map((g) => g.id)
      .sort();
  /** The assertion message: the seed to replay, the viewer and the generated cases. */
  const about = (name: string) => `seed ${SEED} (replay: VISIBILITY_SEED=${SEED}), viewer ${name}, cases ${JSON.stringify(generated)}`;

  it('lists, for every viewer, exactly the contexts canRead allows', async () => {
    const sourceAgentIds = agents.map((agent) => agent.id);
    for (const { name, key, viewer } of viewers()) {
      const listed = (await listAllIds(server, key, { sourceAgentIds })).sort();
      expect(listed, about(name)).toEqual(expectedFor(viewer));
    }
  });

  it('answers context(id), for every viewer and id, exactly when canRead allows', async () => {
    // Aliased lookups in groups, under the server's alias limit.
    const groups: Generated[][] = [];
    for (let start = 0; start < generated.length; start += 20) groups.push(generated.slice(start, start + 20));
    for (const { name, key, viewer } of viewers()) {
      const readable: string[] = [];
      for (const group of groups) {
        const query = `{ ${group.map((g, index) => `c${index}: context(id: "${g.id}") { id }`).join(' ')} }`;
        const data = ok(await server.gql<Record<string, { id: string } | null>>(key, query));
        for (const found of Object.values(data)) if (found) readable.push(found.id);
      }
      expect(readable.sort(), about(name)).toEqual(expectedFor(viewer));
    }
  });

  it('generated every kind of case (null, empty, subsets with and without the viewer)', () => {
    expect(
      generated.some((g) => g.visibleTo === null),
      about('-'),
    ).toBe(true);
    expect(
      generated.some((g) => g.visibleTo?.length === 0),
      about('-'),
    ).toBe(true);
    expect(
      generated.some((g) => (g.visibleTo?.length ?? 0) > 0),
      about('-'),
    ).toBe(true);
  });
});
