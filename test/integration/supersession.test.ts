import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/harness.js';

/** Publishing a replacement supersedes the old context in the same transaction. */
describe('supersedes', () => {
  let server: TestServer;
  let author: { id: string; apiKey: string };
  let other: { id: string; apiKey: string };
  const id = (name: string) => `${server.ns}-${name}`;
  const PUBLISH = 'mutation($input: PublishContextInput!) { publishContext(input: $input) { id } }';
  const READ = `query($id: ID!) { context(id: $id) { id status version supersedes { id } supersededBy { id } history { version status } } }`;
  type Read = {
    context: {
      id: string;
      status: string;
      version: number;
      supersedes: { id: string }[];
      supersededBy: { id: string } | null;
      history: { version: number; status: string }[];
    };
  };

  beforeAll(async () => {
    server = await startTestServer();
    author = await server.registerAgent({ id: `${server.ns}-author` });
    other = await server.registerAgent({ id: `${server.ns}-other` });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('marks the old context SUPERSEDED with a new version, and links both ways', async () => {
    await server.gql(author.apiKey, PUBLISH, { input: { id: id('v1'), type: 'FINDING', text: 'Launch is in May.' } });
    const published = await server.gql(author.apiKey, PUBLISH, {
      input: { id: id('v2'), type: 'FINDING', text: 'Launch moved to June.', supersedes: [id('v1')] },
    });
    expect(published.errors).toBeUndefined();
    const old = (await server.gql<Read>(author.apiKey, READ, { id: id('v1') })).data?.context;
    expect(old).toMatchObject({ status: 'SUPERSEDED', version: 2, supersededBy: { id: id('v2') } });
    expect(old?.history.map((h) => [h.version, h.status])).toEqual([
      [2, 'SUPERSEDED'],
      [1, 'ACTIVE'],
    ]);
    const replacement = (await server.gql<Read>(author.apiKey, READ, { id: id('v2') })).data?.context;
    expect(replacement?.supersedes).toEqual([{ id: id('v1') }]);
    // Superseded contexts are listed only when asked for.
    type Lists = { active: { edges: { node: { id: string } }[] }; superseded: { edges: { node: { id: string } }[] } };
    const listed = await server.gql<Lists>(
      author.apiKey,
      `query($a: [ID!]) {
        active: contexts(filter: { sourceAgentIds: $a }) { edges { node { id } } }
        superseded: contexts(filter: { sourceAgentIds: $a, statuses: [SUPERSEDED] }) { edges { node { id } } }
      }`,
      { a: [author.id] },
    );
    expect(listed.data?.active.edges.map((e) => e.node.id)).not.toContain(id('v1'));
    expect(listed.data?.superseded.edges.map((e) => e.node.id)).toEqual([id('v1')]);
  });

  it('refuses to supersede another agent\u2019s context, a missing one, or one already superseded, and writes nothing', async () => {
    await server.gql(author.apiKey, PUBLISH, { input: { id: id('mine'), type: 'FINDING', text: 'Budget is 10k.' } });
    const forbidden = await server.gql(other.apiKey, PUBLISH, {
      input: { id: id('theirs'), type: 'FINDING', text: 'Budget is 12k.', supersedes: [id('mine')] },
    });
    expect(forbidden.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const missing = await server.gql(author.apiKey, PUBLISH, {
      input: { id: id('x1'), type: 'FINDING', text: 'x', supersedes: [id('nope')] },
    });
    expect(missing.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    await server.gql(author.apiKey, PUBLISH, {
      input: { id: id('y1'), type: 'FINDING', text: 'Budget is 11k.', supersedes: [id('mine')] },
    });
    const twice = await server.gql(author.apiKey, PUBLISH, {
      input: { id: id('y2'), type: 'FINDING', text: 'Budget is 13k.', supersedes: [id('mine')] },
    });
    expect(twice.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    for (const absent of ['theirs', 'x1', 'y2']) {
      expect((await server.gql<Read>(author.apiKey, READ, { id: id(absent) })).data?.context).toBeNull();
    }
    expect((await server.gql<Read>(author.apiKey, READ, { id: id('mine') })).data?.context.version).toBe(2);
  });

  it('does not let a superseded context be updated', async () => {
    const result = await server.gql(
      author.apiKey,
      'mutation($id: ID!) { updateContext(id: $id, expectedVersion: 2, patch: { confidence: 0.5 }) { id } }',
      {
        id: id('v1'),
      },
    );
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
