import { Tiktoken } from 'js-tiktoken/lite';
import o200kBase from 'js-tiktoken/ranks/o200k_base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/harness.js';
import { failed, finding, getContext, getWithHistory, ok, publish, PUBLISH, PUBLISH_MANY, type Ctx } from './support.js';

describe('publishContext', () => {
  let server: TestServer;
  let a: { id: string; apiKey: string };
  let b: { id: string; apiKey: string };
  const id = (name: string) => `${server.ns}-${name}`;

  beforeAll(async () => {
    server = await startTestServer();
    a = await server.registerAgent({ id: `${server.ns}-agent-a` });
    b = await server.registerAgent({ id: `${server.ns}-agent-b` });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('stores and returns every field, with o200k_base token count, version 1, ACTIVE, source agent and ISO timestamp', async () => {
    const text = 'The checkout service times out when the payment gateway answers after 30 seconds.';
    const expiration = new Date(Date.now() + 3_600_000).toISOString();
    const published = await publish(server, a.apiKey, {
      id: id('fields'),
      type: 'CONSTRAINT',
      text,
      content: { gateway: 'pay', timeoutSeconds: 30, nested: [1, { x: true }] },
      tags: ['checkout', 'payments'],
      priority: 'CRITICAL',
      confidence: 0.75,
      expiration,
    });
    const expectedTokens = new Tiktoken(o200kBase).encode(text).length;
    expect(expectedTokens).toBeGreaterThan(0);
    expect(published).toMatchObject({
      id: id('fields'),
      type: 'CONSTRAINT',
      text,
      content: { gateway: 'pay', timeoutSeconds: 30, nested: [1, { x: true }] },
      tags: ['checkout', 'payments'],
      priority: 'CRITICAL',
      status: 'ACTIVE',
      version: 1,
      tokens: expectedTokens,
      visibleTo: null,
      retractionReason: null,
      metadata: { sourceAgent: { id: a.id }, confidence: 0.75, dependencies: [], expiration },
    });
    expect(published.metadata.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(new Date(published.metadata.timestamp).toISOString()).toBe(published.metadata.timestamp);
    expect(published.seq).toBeGreaterThan(0);

    // Read back through a fresh request: the values were stored, not just echoed.
    const read = await getContext(server, b.apiKey, id('fields'));
    expect(read).toEqual(published);
  });

  it('applies defaults: ROUTINE priority, confidence 1, no tags, null content, generated id', async () => {
    const published = await publish(server, a.apiKey, finding('defaults only'));
    expect(published.id).toMatch(/^[A-Za-z0-9_.:-]{1,64}$/);
    expect(published).toMatchObject({ priority: 'ROUTINE', tags: [], content: null, metadata: { confidence: 1, expiration: null } });
  });

  it('creates DEPENDS_ON edges readable via dependencies, metadata.dependencies and dependents', async () => {
    await publish(server, a.apiKey, finding('base one', { id: id('dep-base1') }));
    await publish(server, b.apiKey, finding('base two', { id: id('dep-base2') }));
    const top = await publish(
      server,
      a.apiKey,
      finding('depends on both', { id: id('dep-top'), dependencies: [id('dep-base1'), id('dep-base2')] }),
    );
    expect([...top.metadata.dependencies].sort()).toEqual([id('dep-base1'), id('dep-base2')].sort());

    const response = await server.gql<{
      top: { dependencies: { id: string }[]; metadata: { dependencies: string[] } };
      base: { dependents: { id: string }[] };
    }>(
      a.apiKey,
      `query($top: ID!, $base: ID!) {
        top: context(id: $top) { dependencies { id } metadata { dependencies } }
        base: context(id: $base) { dependents { id } }
      }`,
      { top: id('dep-top'), base: id('dep-base1') },
    );
    const data = ok(response);
    expect(data.top.dependencies.map((c) => c.id).sort()).toEqual([id('dep-base1'), id('dep-base2')].sort());
    expect(data.top.metadata.dependencies.sort()).toEqual([id('dep-base1'), id('dep-base2')].sort());
    expect(data.base.dependents.map((c) => c.id)).toEqual([id('dep-top')]);
  });

  it('rejects an unknown dependency with NOT_FOUND naming the id, and stores nothing', async () => {
    const missing = id('never-published');
    const response = await server.gql(a.apiKey, PUBLISH, { input: finding('orphan', { id: id('orphan'), dependencies: [missing] }) });
    const error = failed(response, 'NOT_FOUND');
    expect(error.extensions['ids']).toEqual([missing]);
    expect(await getContext(server, a.apiKey, id('orphan'))).toBeNull();
  });

  it('rejects an out-of-range confidence with BAD_USER_INPUT at path input.confidence', async () => {
    const response = await server.gql(a.apiKey, PUBLISH, { input: finding('too sure', { id: id('conf'), confidence: 1.5 }) });
    const error = failed(response, 'BAD_USER_INPUT');
    const issues = error.extensions['issues'] as { path: unknown[]; message: string }[];
    expect(issues.map((issue) => issue.path)).toContainEqual(['input', 'confidence']);
    expect(await getContext(server, a.apiKey, id('conf'))).toBeNull();
  });

  it('rejects an empty text with BAD_USER_INPUT at path input.text', async () => {
    const response = await server.gql(a.apiKey, PUBLISH, { input: finding('   ') });
    const issues = failed(response, 'BAD_USER_INPUT').extensions['issues'] as { path: unknown[] }[];
    expect(issues.map((issue) => issue.path)).toContainEqual(['input', 'text']);
  });

  it('reports a bad batch item with its index in the issue path (inputs.1.text)', async () => {
    const response = await server.gql(a.apiKey, PUBLISH_MANY, {
      inputs: [finding('fine', { id: id('batch-ok') }), finding('', { id: id('batch-bad') })],
    });
    const issues = failed(response, 'BAD_USER_INPUT').extensions['issues'] as { path: unknown[] }[];
    expect(issues.map((issue) => issue.path)).toContainEqual(['inputs', 1, 'text']);
    expect(await getContext(server, a.apiKey, id('batch-ok'))).toBeNull();
  });

  it('rejects an expiration in the past with BAD_USER_INPUT', async () => {
    const response = await server.gql(a.apiKey, PUBLISH, {
      input: finding('already stale', { id: id('past'), expiration: new Date(Date.now() - 60_000).toISOString() }),
    });
    const issues = failed(response, 'BAD_USER_INPUT').extensions['issues'] as { path: unknown[] }[];
    expect(issues.map((issue) => issue.path)).toContainEqual(['input', 'expiration']);
    expect(await getContext(server, a.apiKey, id('past'))).toBeNull();
  });

  it("forbids an agent from publishing under another agent's sourceAgentId", async () => {
    const response = await server.gql(a.apiKey, PUBLISH, { input: finding('impersonation', { id: id('imp'), sourceAgentId: b.id }) });
    failed(response, 'FORBIDDEN');
    expect(await getContext(server, server.adminKey, id('imp'))).toBeNull();
  });

  it('lets an agent name itself as sourceAgentId', async () => {
    const published = await publish(server, a.apiKey, finding('self named', { sourceAgentId: a.id }));
    expect(published.metadata.sourceAgent.id).toBe(a.id);
  });

  it('requires the admin to name sourceAgentId, then sources the context to that agent', async () => {
    const missing = await server.gql(server.adminKey, PUBLISH, { input: finding('no source', { id: id('admin-nosrc') }) });
    const issues = failed(missing, 'BAD_USER_INPUT').extensions['issues'] as { path: unknown[] }[];
    expect(issues.map((issue) => issue.path)).toContainEqual(['input', 'sourceAgentId']);
    expect(await getContext(server, server.adminKey, id('admin-nosrc'))).toBeNull();

    const published = await publish(server, server.adminKey, finding('admin for b', { id: id('admin-src'), sourceAgentId: b.id }));
    expect(published.metadata.sourceAgent.id).toBe(b.id);
    const history = await getWithHistory(server, b.apiKey, id('admin-src'));
    expect(history?.metadata.sourceAgent.id).toBe(b.id);
  });

  it('rejects an admin publish sourced to an unknown agent with NOT_FOUND', async () => {
    const ghost = id('ghost-agent');
    const response = await server.gql(server.adminKey, PUBLISH, {
      input: finding('for a ghost', { id: id('ghost-src'), sourceAgentId: ghost }),
    });
    expect(failed(response, 'NOT_FOUND').extensions['ids']).toEqual([ghost]);
  });

  it('stores explicit relevance and reads it back as explicit scores per agent', async () => {
    await publish(
      server,
      a.apiKey,
      finding('relevant to b', {
        id: id('rel'),
        relevance: [
          { agentId: b.id, score: 0.9 },
          { agentId: a.id, score: 0.2 },
        ],
      }),
    );
    const response = await server.gql<{ context: { relevance: { agent: { id: string }; score: number; explicit: boolean }[] } }>(
      a.apiKey,
      `query($id: ID!) { context(id: $id) { relevance { agent { id } score explicit } } }`,
      { id: id('rel') },
    );
    const relevance = ok(response).context.relevance;
    expect([...relevance].sort((x, y) => y.score - x.score)).toEqual([
      { agent: { id: b.id }, score: 0.9, explicit: true },
      { agent: { id: a.id }, score: 0.2, explicit: true },
    ]);
  });

  it('rejects relevance naming an unknown agent with NOT_FOUND and stores nothing', async () => {
    const ghost = id('nobody');
    const response = await server.gql(a.apiKey, PUBLISH, {
      input: finding('for nobody', { id: id('rel-ghost'), relevance: [{ agentId: ghost, score: 0.5 }] }),
    });
    expect(failed(response, 'NOT_FOUND').extensions['ids']).toEqual([ghost]);
    expect(await getContext(server, a.apiKey, id('rel-ghost'))).toBeNull();
  });

  it('rejects a duplicate client id with ALREADY_EXISTS and keeps the first context unchanged', async () => {
    await publish(server, a.apiKey, finding('first', { id: id('dup') }));
    const response = await server.gql(a.apiKey, PUBLISH, { input: finding('second', { id: id('dup') }) });
    expect(failed(response, 'ALREADY_EXISTS').extensions['ids']).toEqual([id('dup')]);
    const read = await getContext(server, a.apiKey, id('dup'));
    expect(read).toMatchObject({ text: 'first', version: 1 });
  });

  it('appends a PUBLISHED ContextVersion (version 1) visible in history', async () => {
    const published: Ctx = await publish(server, a.apiKey, finding('versioned', { id: id('hist'), content: { k: 1 }, tags: ['t1'] }));
    const read = await getWithHistory(server, a.apiKey, id('hist'));
    expect(read?.history).toHaveLength(1);
    expect(read?.history[0]).toMatchObject({
      version: 1,
      seq: published.seq,
      changedBy: a.id,
      text: 'versioned',
      content: { k: 1 },
      tags: ['t1'],
      status: 'ACTIVE',
      dependencies: [],
    });
  });
});
