import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/harness.js';
import { failed, finding, getWithHistory, listAllIds, ok, publish, PUBLISH, PUBLISH_MANY, RETRACT, UPDATE, type Ctx } from './support.js';

describe('idempotency keys', () => {
  let server: TestServer;
  let a: { id: string; apiKey: string };
  let b: { id: string; apiKey: string };
  const id = (name: string) => `${server.ns}-${name}`;
  const key = (name: string) => `${server.ns}:${name}`;

  /** Contexts of `agent` carrying `tag`: each test tags its own contexts so counts are exact. */
  const countTagged = async (agentId: string, tag: string) =>
    (await listAllIds(server, server.adminKey, { sourceAgentIds: [agentId], tags: [tag], statuses: ['ACTIVE', 'RETRACTED'] })).length;

  beforeAll(async () => {
    server = await startTestServer();
    a = await server.registerAgent({ id: `${server.ns}-idem-a` });
    b = await server.registerAgent({ id: `${server.ns}-idem-b` });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('returns the same id and creates one context when publishContext is repeated with the same key', async () => {
    const tag = id('repeat');
    const input = finding('said twice', { tags: [tag] });
    const first = await publish(server, a.apiKey, input, key('repeat'));
    const second = await publish(server, a.apiKey, input, key('repeat'));
    expect(second.id).toBe(first.id);
    expect(second.version).toBe(1);
    expect(await countTagged(a.id, tag)).toBe(1);
  });

  it('creates exactly one context when 10 identical requests with the same key arrive at once', async () => {
    const tag = id('concurrent');
    const input = finding('said ten times at once', { tags: [tag] });
    const results = await Promise.all(
      Array.from({ length: 10 }, () => server.gql<{ publishContext: Ctx }>(a.apiKey, PUBLISH, { input, key: key('concurrent') })),
    );
    const ids = results.map((response) => ok(response).publishContext.id);
    expect(new Set(ids).size).toBe(1);
    expect(await countTagged(a.id, tag)).toBe(1);
  });

  it('rejects the same key with a different input with BAD_USER_INPUT and creates nothing more', async () => {
    const tag = id('mismatch');
    await publish(server, a.apiKey, finding('original request', { tags: [tag] }), key('mismatch'));
    const response = await server.gql(a.apiKey, PUBLISH, { input: finding('a different request', { tags: [tag] }), key: key('mismatch') });
    const issues = failed(response, 'BAD_USER_INPUT').extensions['issues'] as { path: unknown[] }[];
    expect(issues.map((issue) => issue.path)).toContainEqual(['idempotencyKey']);
    expect(await countTagged(a.id, tag)).toBe(1);
  });

  it('treats the same key from a different agent as an independent request', async () => {
    const tag = id('per-agent');
    const input = finding('same words, two agents', { tags: [tag] });
    const fromA = await publish(server, a.apiKey, input, key('shared'));
    const fromB = await publish(server, b.apiKey, input, key('shared'));
    expect(fromB.id).not.toBe(fromA.id);
    expect(fromA.metadata.sourceAgent.id).toBe(a.id);
    expect(fromB.metadata.sourceAgent.id).toBe(b.id);
    expect(await countTagged(a.id, tag)).toBe(1);
    expect(await countTagged(b.id, tag)).toBe(1);
  });

  it('does not confuse publishContext and publishContexts sharing a key', async () => {
    const tag = id('cross-op');
    const single = await publish(server, a.apiKey, finding('single', { tags: [tag] }), key('cross-op'));
    const batch = ok(
      await server.gql<{ publishContexts: Ctx[] }>(a.apiKey, PUBLISH_MANY, {
        inputs: [finding('single', { tags: [tag] })],
        key: key('cross-op'),
      }),
    ).publishContexts;
    expect(batch[0]?.id).not.toBe(single.id);
    expect(await countTagged(a.id, tag)).toBe(2);
  });

  it('replays a batch publish with the same key: same ids, nothing created twice', async () => {
    const tag = id('batch');
    const inputs = [finding('b1', { tags: [tag] }), finding('b2', { tags: [tag] }), finding('b3', { tags: [tag] })];
    const first = ok(await server.gql<{ publishContexts: Ctx[] }>(a.apiKey, PUBLISH_MANY, { inputs, key: key('batch') })).publishContexts;
    const second = ok(await server.gql<{ publishContexts: Ctx[] }>(a.apiKey, PUBLISH_MANY, { inputs, key: key('batch') })).publishContexts;
    expect(second.map((c) => c.id)).toEqual(first.map((c) => c.id));
    expect(await countTagged(a.id, tag)).toBe(3);
  });

  it('leaves the key free after a failed publish, so a corrected retry with the same key succeeds', async () => {
    const tag = id('retry');
    const failing = await server.gql(a.apiKey, PUBLISH, {
      input: finding('needs a dependency', { id: id('retry-ctx'), tags: [tag], dependencies: [id('retry-dep')] }),
      key: key('retry'),
    });
    failed(failing, 'NOT_FOUND');
    await publish(server, a.apiKey, finding('the dependency', { id: id('retry-dep') }));
    const retried = await publish(
      server,
      a.apiKey,
      finding('needs a dependency', { id: id('retry-ctx'), tags: [tag], dependencies: [id('retry-dep')] }),
      key('retry'),
    );
    expect(retried.metadata.dependencies).toEqual([id('retry-dep')]);
    expect(await countTagged(a.id, tag)).toBe(1);
  });

  it('applies an updateContext repeated with the same key once (no VERSION_CONFLICT on the repeat)', async () => {
    await publish(server, a.apiKey, finding('v1', { id: id('upd') }));
    const variables = { id: id('upd'), v: 1, patch: { text: 'v2' }, key: key('upd') };
    const first = ok(await server.gql<{ updateContext: Ctx }>(a.apiKey, UPDATE, variables)).updateContext;
    const second = ok(await server.gql<{ updateContext: Ctx }>(a.apiKey, UPDATE, variables)).updateContext;
    expect(first.version).toBe(2);
    expect(second).toMatchObject({ version: 2, text: 'v2' });
    expect((await getWithHistory(server, a.apiKey, id('upd')))?.history).toHaveLength(2);

    // Without the key the same stale request conflicts, as it should.
    failed(await server.gql(a.apiKey, UPDATE, { ...variables, key: null }), 'VERSION_CONFLICT');
  });

  it('applies concurrent identical updateContext calls with the same key once', async () => {
    await publish(server, a.apiKey, finding('v1', { id: id('upd-conc') }));
    const variables = { id: id('upd-conc'), v: 1, patch: { content: { hits: 1 } }, key: key('upd-conc') };
    const results = await Promise.all(Array.from({ length: 8 }, () => server.gql<{ updateContext: Ctx }>(a.apiKey, UPDATE, variables)));
    for (const response of results) expect(ok(response).updateContext.version).toBe(2);
    expect((await getWithHistory(server, a.apiKey, id('upd-conc')))?.history).toHaveLength(2);
  });

  it('applies a retractContext repeated with the same key once', async () => {
    await publish(server, a.apiKey, finding('to retract', { id: id('ret') }));
    const variables = { id: id('ret'), reason: 'wrong', key: key('ret') };
    const first = ok(await server.gql<{ retractContext: Ctx }>(a.apiKey, RETRACT, variables)).retractContext;
    const second = ok(await server.gql<{ retractContext: Ctx }>(a.apiKey, RETRACT, variables)).retractContext;
    expect(first).toMatchObject({ version: 2, status: 'RETRACTED' });
    expect(second).toMatchObject({ version: 2, status: 'RETRACTED' });
  });

  it('returns the same agent for registerAgent repeated with the same key, and no second usable key', async () => {
    const mutation = `mutation($input: RegisterAgentInput!, $key: String) {
      registerAgent(input: $input, idempotencyKey: $key) { agent { id name needs } apiKey } }`;
    type Registered = { registerAgent: { agent: { id: string; name: string; needs: string[] }; apiKey: string } };
    const input = { name: `${server.ns} idempotent agent`, needs: [`${server.ns}-topic`] };
    const first = ok(await server.gql<Registered>(server.adminKey, mutation, { input, key: key('agent') })).registerAgent;
    const second = ok(await server.gql<Registered>(server.adminKey, mutation, { input, key: key('agent') })).registerAgent;
    expect(second.agent).toEqual(first.agent);
    expect(first.apiKey).toMatch(/^cm_/);
    expect(second.apiKey).not.toBe(first.apiKey);

    // The first key works and authenticates as that agent.
    const me = ok(await server.gql<{ me: { id: string } | null }>(first.apiKey, '{ me { id } }')).me;
    expect(me?.id).toBe(first.agent.id);

    const agents = ok(await server.gql<{ agents: { id: string; name: string }[] }>(server.adminKey, '{ agents { id name } }')).agents;
    expect(agents.filter((agent) => agent.name === input.name)).toHaveLength(1);

    // Same key, different input: refused.
    failed(await server.gql(server.adminKey, mutation, { input: { ...input, name: 'other' }, key: key('agent') }), 'BAD_USER_INPUT');
  });
});
