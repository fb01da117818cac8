import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/harness.js';
import { failed, finding, getContext, listAllIds, ok, publish, PUBLISH, UPDATE, type Version } from './support.js';

describe('visibility and authentication', () => {
  let server: TestServer;
  let a: { id: string; apiKey: string };
  let b: { id: string; apiKey: string };
  let c: { id: string; apiKey: string };
  const id = (name: string) => `${server.ns}-${name}`;

  beforeAll(async () => {
    server = await startTestServer();
    a = await server.registerAgent({ id: `${server.ns}-vis-a` });
    b = await server.registerAgent({ id: `${server.ns}-vis-b` });
    c = await server.registerAgent({ id: `${server.ns}-vis-c` });
  });
  afterAll(async () => {
    await server?.stop();
  });

  describe('a context visible to [B] published by A', () => {
    beforeAll(async () => {
      await publish(server, a.apiKey, finding('public base', { id: id('base') }));
      await publish(server, a.apiKey, finding('secret', { id: id('hidden'), visibleTo: [b.id], dependencies: [id('base')] }));
      await publish(
        server,
        a.apiKey,
        finding('public on top of the secret', { id: id('public'), dependencies: [id('hidden'), id('base')] }),
      );
    });

    it('is readable by its source A, by B and by the admin', async () => {
      for (const key of [a.apiKey, b.apiKey, server.adminKey]) {
        const read = await getContext(server, key, id('hidden'));
        expect(read).toMatchObject({ id: id('hidden'), text: 'secret', visibleTo: [b.id] });
      }
    });

    it('reads as null for agent C', async () => {
      expect(await getContext(server, c.apiKey, id('hidden'))).toBeNull();
    });

    it('reads as null for agent C with asOf too', async () => {
      const seq = (await getContext(server, a.apiKey, id('hidden')))?.seq ?? 0;
      expect(await getContext(server, c.apiKey, id('hidden'), seq)).toBeNull();
    });

    it('is absent from contexts listed by C and present for B', async () => {
      expect(await listAllIds(server, c.apiKey, { sourceAgentIds: [a.id] })).not.toContain(id('hidden'));
      expect(await listAllIds(server, c.apiKey, { sourceAgentIds: [a.id] })).toContain(id('public'));
      expect(await listAllIds(server, b.apiKey, { sourceAgentIds: [a.id] })).toContain(id('hidden'));
    });

    it('is absent from dependencies, metadata.dependencies and dependents seen by C', async () => {
      const query = `query($p: ID!, $base: ID!) {
        p: context(id: $p) { dependencies(depth: 2) { id } metadata { dependencies } }
        base: context(id: $base) { dependents(depth: 2) { id } }
      }`;
      type Shape = { p: { dependencies: { id: string }[]; metadata: { dependencies: string[] } }; base: { dependents: { id: string }[] } };
      const seenByC = ok(await server.gql<Shape>(c.apiKey, query, { p: id('public'), base: id('base') }));
      expect(seenByC.p.dependencies.map((x) => x.id)).toEqual([id('base')]);
      expect(seenByC.p.metadata.dependencies).toEqual([id('base')]);
      expect(seenByC.base.dependents.map((x) => x.id)).toEqual([id('public')]);

      const seenByB = ok(await server.gql<Shape>(b.apiKey, query, { p: id('public'), base: id('base') }));
      expect(seenByB.p.dependencies.map((x) => x.id).sort()).toEqual([id('base'), id('hidden')].sort());
      expect(seenByB.p.metadata.dependencies.sort()).toEqual([id('base'), id('hidden')].sort());
      expect(seenByB.base.dependents.map((x) => x.id).sort()).toEqual([id('hidden'), id('public')].sort());
    });

    it('is never walked through: a context reachable only via the hidden one is not a dependency for C', async () => {
      await publish(server, a.apiKey, finding('public root', { id: id('root2') }));
      await publish(server, a.apiKey, finding('secret middle', { id: id('hidden2'), visibleTo: [b.id], dependencies: [id('root2')] }));
      await publish(server, a.apiKey, finding('public top', { id: id('top2'), dependencies: [id('hidden2')] }));
      const query = `query($id: ID!) { context(id: $id) { dependencies(depth: 3) { id } } }`;
      type Shape = { context: { dependencies: { id: string }[] } };
      const seenByC = ok(await server.gql<Shape>(c.apiKey, query, { id: id('top2') }));
      expect(seenByC.context.dependencies).toEqual([]);
      const seenByB = ok(await server.gql<Shape>(b.apiKey, query, { id: id('top2') }));
      expect(seenByB.context.dependencies.map((x) => x.id)).toEqual([id('hidden2'), id('root2')]);
    });

    it('is absent from the dependencyGraph seen by C', async () => {
      const response = await server.gql<{ dependencyGraph: { nodes: { id: string }[]; edges: { from: string; to: string }[] } }>(
        c.apiKey,
        'query($r: [ID!]!) { dependencyGraph(rootIds: $r, depth: 2, direction: BOTH) { nodes { id } edges { from to } } }',
        { r: [id('public')] },
      );
      const data = ok(response).dependencyGraph;
      expect(data.nodes.map((n) => n.id).sort()).toEqual([id('base'), id('public')].sort());
      expect(data.edges).toEqual([{ from: id('public'), to: id('base') }]);
    });

    it('is not named in the history (ContextVersion.dependencies) of a public context read by C', async () => {
      const response = await server.gql<{ context: { history: Pick<Version, 'dependencies'>[] } }>(
        c.apiKey,
        'query($id: ID!) { context(id: $id) { history { dependencies } } }',
        { id: id('public') },
      );
      const history = ok(response).context.history;
      expect(history).toHaveLength(1);
      expect(history[0]?.dependencies).not.toContain(id('hidden'));
    });

    it('cannot be depended on by C: NOT_FOUND naming it, exactly as for a missing id', async () => {
      const hidden = await server.gql(c.apiKey, PUBLISH, {
        input: finding('leans on a secret', { id: id('c-dep'), dependencies: [id('hidden')] }),
      });
      expect(failed(hidden, 'NOT_FOUND').extensions).toMatchObject({ kind: 'Context', ids: [id('hidden')] });
      const missing = await server.gql(c.apiKey, PUBLISH, {
        input: finding('leans on nothing', { id: id('c-dep'), dependencies: [id('no-such')] }),
      });
      expect(failed(missing, 'NOT_FOUND').extensions).toMatchObject({ kind: 'Context', ids: [id('no-such')] });
      expect(await getContext(server, server.adminKey, id('c-dep'))).toBeNull();

      // Nor via an update of C's own context.
      await publish(server, c.apiKey, finding("C's own", { id: id('c-own') }));
      const update = await server.gql(c.apiKey, UPDATE, { id: id('c-own'), v: 1, patch: { dependencies: [id('hidden')] } });
      expect(failed(update, 'NOT_FOUND').extensions['ids']).toEqual([id('hidden')]);
      expect((await getContext(server, c.apiKey, id('c-own')))?.version).toBe(1);
    });

    it('can be depended on by B, to whom it is visible', async () => {
      const published = await publish(server, b.apiKey, finding('B builds on it', { dependencies: [id('hidden')] }));
      expect(published.metadata.dependencies).toEqual([id('hidden')]);
    });

    it('cannot be updated by C: answered as NOT_FOUND, not FORBIDDEN (no existence leak)', async () => {
      failed(await server.gql(c.apiKey, UPDATE, { id: id('hidden'), v: 1, patch: { text: 'x' } }), 'NOT_FOUND');
      expect((await getContext(server, a.apiKey, id('hidden')))?.version).toBe(1);
    });
  });

  it('rejects visibleTo naming an unknown agent with NOT_FOUND', async () => {
    const ghost = id('ghost');
    const response = await server.gql(a.apiKey, PUBLISH, { input: finding('for a ghost', { id: id('vis-ghost'), visibleTo: [ghost] }) });
    expect(failed(response, 'NOT_FOUND').extensions['ids']).toEqual([ghost]);
  });

  describe('authentication', () => {
    const post = async (authorization: string | null) => {
      const response = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization === null ? {} : { authorization }) },
        body: JSON.stringify({ query: '{ health }' }),
      });
      const body = (await response.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
      return { status: response.status, body };
    };

    it.each([
      ['a missing Authorization header', null],
      ['a garbage bearer key', 'Bearer cm_definitely-not-a-key'],
      ['a Basic Authorization header', `Basic ${Buffer.from('user:pass').toString('base64')}`],
      ['a bare key without a scheme', 'cm_whatever'],
      ['an empty Authorization header', ''],
    ])('answers HTTP 401 UNAUTHENTICATED for %s', async (_label, authorization) => {
      const { status, body } = await post(authorization);
      expect(status).toBe(401);
      expect(body.data ?? null).toBeNull();
      expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    });

    it('accepts agent and admin bearer keys', async () => {
      expect(await post(`Bearer ${a.apiKey}`)).toMatchObject({ status: 200, body: { data: { health: 'ok' } } });
      expect(await post(`Bearer ${server.adminKey}`)).toMatchObject({ status: 200, body: { data: { health: 'ok' } } });
    });

    it('forbids agents from calling registerAgent', async () => {
      const response = await server.gql(
        a.apiKey,
        'mutation($input: RegisterAgentInput!) { registerAgent(input: $input) { agent { id } apiKey } }',
        { input: { id: id('sneaky'), name: 'sneaky' } },
      );
      failed(response, 'FORBIDDEN');
      const agent = ok(
        await server.gql<{ agent: { id: string } | null }>(server.adminKey, 'query($id: ID!) { agent(id: $id) { id } }', {
          id: id('sneaky'),
        }),
      );
      expect(agent.agent).toBeNull();
    });

    it('me returns the calling agent, and null for the admin', async () => {
      expect(ok(await server.gql<{ me: { id: string } | null }>(a.apiKey, '{ me { id } }')).me).toEqual({ id: a.id });
      expect(ok(await server.gql<{ me: { id: string } | null }>(c.apiKey, '{ me { id } }')).me).toEqual({ id: c.id });
      expect(ok(await server.gql<{ me: { id: string } | null }>(server.adminKey, '{ me { id } }')).me).toBeNull();
    });
  });

  it('contextMap lists unmet needs and unconsumed products, matching topics across spelling', async () => {
    const topic = (name: string) => `${server.ns}_${name}`;
    const planner = await server.registerAgent({
      id: `${server.ns}-planner`,
      needs: [`${server.ns}-Key Findings`, `${server.ns}-budget`],
      produces: [`${server.ns}-plan`],
    });
    const researcher = await server.registerAgent({
      id: `${server.ns}-researcher`,
      needs: [`${server.ns}-budget`],
      produces: [`${server.ns}_key_findings`, `${server.ns}-raw-notes`],
    });
    type TopicAgents = { topic: string; agents: { id: string }[] };
    const response = await server.gql<{
      contextMap: { agents: { id: string }[]; unmetNeeds: TopicAgents[]; unconsumedProducts: TopicAgents[] };
    }>(server.adminKey, '{ contextMap { agents { id } unmetNeeds { topic agents { id } } unconsumedProducts { topic agents { id } } } }');
    const map = ok(response).contextMap;
    const mine = (entries: TopicAgents[]) =>
      entries.filter((e) => e.topic.startsWith(server.ns)).map((e) => ({ topic: e.topic, agents: e.agents.map((x) => x.id).sort() }));

    expect(map.agents.map((x) => x.id)).toEqual(expect.arrayContaining([planner.id, researcher.id]));
    expect(mine(map.unmetNeeds)).toEqual([{ topic: topic('budget'), agents: [planner.id, researcher.id].sort() }]);
    expect(mine(map.unconsumedProducts)).toEqual([
      { topic: topic('plan'), agents: [planner.id] },
      { topic: topic('raw_notes'), agents: [researcher.id] },
    ]);
  });

  it('rejects a query nested beyond the depth limit with QUERY_TOO_COMPLEX', async () => {
    let selection = 'id';
    for (let level = 0; level < 15; level += 1) selection = `dependencies { ${selection} }`;
    const response = await server.gql(a.apiKey, `query($id: ID!) { context(id: $id) { ${selection} } }`, { id: id('base') });
    failed(response, 'QUERY_TOO_COMPLEX');
    expect(response.data ?? null).toBeNull();
  });
});
