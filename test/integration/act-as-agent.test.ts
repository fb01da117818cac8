import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestServer, type TestServer } from '../support/harness.js';
import { ok, publish } from './support.js';

/**
 * An admin reading "as agent B" (contextFor, searchContext, broadcasts, contextBroadcast) gets B's view of the
 * whole answer, nested fields included: orchestrators forward such packages to B verbatim.
 */

const NESTED = `context {
  id
  dependencies { id text dependencies { id } }
  dependents { id }
  metadata { dependencies }
  supersedes { id }
}`;

interface Nested {
  id: string;
  dependencies: { id: string; text: string; dependencies: { id: string }[] }[];
  dependents: { id: string }[];
  metadata: { dependencies: string[] };
  supersedes: { id: string }[];
}

describe('reading as another agent', () => {
  let server: TestServer;
  const clients: Client[] = [];
  let reader: { id: string; apiKey: string };
  let owner: { id: string; apiKey: string };
  const id = (name: string) => `${server.ns}-${name}`;
  const task = 'Explain the rise in premium tier churn';

  /** Every context id anywhere in a response, at any depth. */
  const idsIn = (value: unknown): string[] => {
    if (Array.isArray(value)) return value.flatMap(idsIn);
    if (typeof value === 'string') return [value];
    if (value && typeof value === 'object') return Object.values(value).flatMap(idsIn);
    return [];
  };
  const expectNoHidden = (answer: unknown) => {
    const hidden = [id('hidden'), id('old')];
    expect(idsIn(answer).filter((value) => hidden.some((h) => value.includes(h)))).toEqual([]);
    expect(JSON.stringify(answer)).not.toContain('internal pricing experiment');
  };

  beforeAll(async () => {
    server = await startTestServer();
    reader = await server.registerAgent({ id: `${server.ns}-b`, needs: [`${server.ns}_churn`], relevanceThreshold: 0.05 });
    owner = await server.registerAgent({ id: `${server.ns}-c`, produces: [`${server.ns}_churn`] });
    await publish(server, owner.apiKey, {
      id: id('hidden'),
      type: 'FINDING',
      text: 'The internal pricing experiment raised premium prices by 20% in week 12.',
      visibleTo: [owner.id],
    });
    await publish(server, owner.apiKey, {
      id: id('old'),
      type: 'FINDING',
      text: 'Premium churn figures for week 11, internal only.',
      visibleTo: [owner.id],
    });
    await publish(server, owner.apiKey, {
      id: id('public'),
      type: 'FINDING',
      text: 'Premium tier churn rose sharply in week 12: cancellations doubled among premium customers.',
      tags: [`${server.ns}_churn`],
      priority: 'CRITICAL',
      dependencies: [id('hidden')],
      supersedes: [id('old')],
      relevance: [{ agentId: reader.id, score: 0.95 }],
    });
  });
  afterAll(async () => {
    for (const client of clients) await client.dispose();
    await server?.stop();
  });

  it('the admin sees the hidden dependency when reading as itself (the setup is meaningful)', async () => {
    const data = ok(
      await server.gql<{ context: Nested }>(server.adminKey, `query($id: ID!) { ${NESTED.replace('context', 'context(id: $id)')} }`, {
        id: id('public'),
      }),
    );
    expect(data.context.metadata.dependencies).toEqual([id('hidden')]);
    expect(data.context.dependencies.map((d) => d.id)).toEqual([id('hidden')]);
    expect(data.context.supersedes.map((d) => d.id)).toEqual([id('old')]);
  });

  it('contextFor(agentId: B) asked by the admin resolves nested fields as B', async () => {
    const query = `query($agentId: ID!, $task: String!) { contextFor(agentId: $agentId, task: $task) { items { ${NESTED} } } }`;
    const asAdmin = ok(
      await server.gql<{ contextFor: { items: { context: Nested }[] } }>(server.adminKey, query, { agentId: reader.id, task }),
    );
    expect(asAdmin.contextFor.items.map((item) => item.context.id)).toContain(id('public'));
    expectNoHidden(asAdmin);
    // Exactly what B itself gets.
    const asReader = ok(await server.gql(reader.apiKey, query, { agentId: reader.id, task }));
    expect(asAdmin).toEqual(asReader);
  });

  it('searchContext(agentId: B) asked by the admin resolves nested fields as B', async () => {
    const query = `query($agentId: ID, $q: String!) { searchContext(query: $q, agentId: $agentId) { ${NESTED} } }`;
    const asAdmin = ok(await server.gql<{ searchContext: { context: Nested }[] }>(server.adminKey, query, { agentId: reader.id, q: task }));
    expect(asAdmin.searchContext.map((hit) => hit.context.id)).toContain(id('public'));
    expectNoHidden(asAdmin);
  });

  it('broadcasts(agentId: B) asked by the admin resolves nested fields as B', async () => {
    const query = `query($agentId: ID!) { broadcasts(agentId: $agentId, afterSeq: 0) { broadcasts { ${NESTED} } } }`;
    const asAdmin = ok(
      await server.gql<{ broadcasts: { broadcasts: { context: Nested }[] } }>(server.adminKey, query, { agentId: reader.id }),
    );
    expect(asAdmin.broadcasts.broadcasts.map((b) => b.context.id)).toEqual([id('public')]);
    expectNoHidden(asAdmin);
  });

  it('the contextBroadcast(agentId: B) subscription of the admin resolves nested fields as B', async () => {
    const client = createClient({
      url: server.wsUrl,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${server.adminKey}` },
      retryAttempts: 0,
    });
    clients.push(client);
    const subscription = client.iterate<{ contextBroadcast: { context: Nested } }>({
      query: `subscription($agentId: ID!) { contextBroadcast(agentId: $agentId, afterSeq: 0) { ${NESTED} } }`,
      variables: { agentId: reader.id },
    });
    const first = await subscription.next();
    await subscription.return?.();
    expect(first.done).toBe(false);
    const result = first.value as { data?: { contextBroadcast: { context: Nested } }; errors?: unknown };
    expect(result.errors).toBeUndefined();
    expect(result.data?.contextBroadcast.context.id).toBe(id('public'));
    expectNoHidden(result.data);
  });
});
