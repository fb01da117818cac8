import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalNeo4j, type LocalNeo4j } from '../../src/adapters/neo4j-local/launcher.js';
import { projectRoot } from '../../src/container.js';
import { startTestServer, type TestServer } from '../support/harness.js';

/** A server whose database goes away answers DATABASE_UNAVAILABLE and reports not-ready, then recovers. */
describe('when the database is unreachable', () => {
  let neo4j: LocalNeo4j;
  let server: TestServer;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'context-mesh-unavailable-'));
    neo4j = await startLocalNeo4j({ projectDir: projectRoot(), dataDir, port: 0, heapMb: 512, pageCacheMb: 32 });
    server = await startTestServer({ env: { NEO4J_URI: neo4j.uri, NEO4J_PASSWORD: '', NEO4J_MAX_RETRY_MS: '1000' } });
  });
  afterAll(async () => {
    await server?.stop();
    await neo4j?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('answers DATABASE_UNAVAILABLE (HTTP 200 with the code), and /readyz 503, while /healthz stays 200', async () => {
    const before = await server.gql(server.adminKey, '{ agents { id } }');
    expect(before.errors).toBeUndefined();
    await neo4j.stop();

    const during = await server.gql(server.adminKey, '{ agents { id } }');
    expect(during.errors?.[0]?.extensions?.code).toBe('DATABASE_UNAVAILABLE');
    expect(during.errors?.[0]?.message).not.toMatch(/bolt|127\.0\.0\.1|ServiceUnavailable/);
    const base = server.url.replace('/graphql', '');
    expect((await fetch(`${base}/readyz`)).status).toBe(503);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });
});
