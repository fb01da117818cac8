import neo4j from 'neo4j-driver';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { startTestServer } from '../support/harness.js';
import { ok, publish, UPDATE } from './support.js';

/** `TestServer.stop()` removes what its namespace created, so files running together see only their own data. */
describe('test namespace cleanup', () => {
  const connection = inject('neo4j');
  const driver = neo4j.driver(connection.uri, connection.password ? neo4j.auth.basic(connection.user, connection.password) : undefined, {
    logging: { level: 'error', logger: () => undefined },
  });
  afterAll(async () => {
    await driver.close();
  });

  /** Nodes of each kind that belong to the namespace. */
  const leftovers = async (ns: string) => {
    const session = driver.session({ database: 'neo4j' });
    try {
      const result = await session.run(
        `CALL () { MATCH (a:Agent) WHERE a.id STARTS WITH $ns OR a.name STARTS WITH $ns RETURN count(a) AS agents }
         CALL () { MATCH (c:Context) WHERE c.id STARTS WITH $ns RETURN count(c) AS contexts }
         CALL () { MATCH (v:ContextVersion) WHERE v.contextId STARTS WITH $ns RETURN count(v) AS versions }
         CALL () { MATCH (e:Event) WHERE e.contextId STARTS WITH $ns RETURN count(e) AS events }
         CALL () { MATCH (d:Delivery) WHERE d.agentId STARTS WITH $ns RETURN count(d) AS deliveries }
         CALL () { MATCH (r:IdempotencyKey) WHERE r.key CONTAINS $ns RETURN count(r) AS idempotencyKeys }
         RETURN agents, contexts, versions, events, deliveries, idempotencyKeys`,
        { ns },
      );
      const record = result.records[0];
      return Object.fromEntries((record?.keys ?? []).map((key) => [key, Number(record?.get(key))]));
    } finally {
      await session.close();
    }
  };

  it('deletes agents, contexts, versions, events, deliveries and idempotency keys of the namespace', async () => {
    const server = await startTestServer({ env: { EXPIRY_SWEEP_MS: '0' } });
    const ns = server.ns;
    try {
      const source = await server.registerAgent({ id: `${ns}-source` });
      const reader = await server.registerAgent({ id: `${ns}-reader` });
      const id = `${ns}-ctx`;
      await publish(
        server,
        source.apiKey,
        { type: 'FINDING', id, text: 'to be cleaned', priority: 'CRITICAL', relevance: [{ agentId: reader.id, score: 1 }] },
        `${ns}-key`,
      );
      ok(await server.gql(source.apiKey, UPDATE, { id, v: 1, patch: { text: 'to be cleaned, v2' }, key: null }));
      const before = await leftovers(ns);
      expect(before).toMatchObject({ agents: 2, contexts: 1, versions: 2, idempotencyKeys: 1 });
      expect(before['events']).toBeGreaterThanOrEqual(2);
      expect(before['deliveries']).toBeGreaterThanOrEqual(1);
    } finally {
      await server.stop();
    }
    expect(await leftovers(ns)).toEqual({ agents: 0, contexts: 0, versions: 0, events: 0, deliveries: 0, idempotencyKeys: 0 });
  });
});
