import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import WebSocket from 'ws';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';
import { exited, gqlAt, startServiceProcess, type ServiceProcess } from '../support/service-process.js';

/**
 * Two API processes behind one Neo4j, fanning out through a real redis-server: a broadcast published
 * through A reaches a subscriber connected to B; after B is killed, resubscribing through A with the
 * last seq loses nothing.
 */
describe('fan-out across API processes through Redis', () => {
  let redis: RedisServer;
  let a: ServiceProcess;
  let b: ServiceProcess;
  const dirs: string[] = [];
  const clients: Client[] = [];
  const adminKey = `fanout-admin-${randomBytes(16).toString('hex')}`;
  const ns = `f${randomBytes(4).toString('hex')}`;
  let publisherKey = '';
  let legalKey = '';

  const start = async () => {
    const neo4j = inject('neo4j');
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'context-mesh-fanout-'));
    dirs.push(dataDir);
    return startServiceProcess({
      ...process.env,
      NEO4J_URI: neo4j.uri,
      NEO4J_USER: neo4j.user,
      NEO4J_PASSWORD: neo4j.password,
      REDIS_URL: redis.url,
      CONTEXT_MESH_ADMIN_KEY: adminKey,
      CONTEXT_MESH_DATA_DIR: dataDir,
      PORT: '0',
      LOG_LEVEL: 'info',
      // The sweep is database-wide: it would announce other files' expiries on this test's Redis.
      EXPIRY_SWEEP_MS: '0',
    });
  };
  const subscribe = (url: string, key: string, afterSeq: number) => {
    const received: { seq: number; prevSeq: number; context: { id: string } }[] = [];
    const client = createClient({
      url: url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${key}` },
      retryAttempts: 0,
    });
    clients.push(client);
    client.subscribe<{ contextBroadcast: { seq: number; prevSeq: number; context: { id: string } } }>(
      {
        query: 'subscription($a: ID!, $s: Int) { contextBroadcast(agentId: $a, afterSeq: $s) { seq prevSeq context { id } } }',
        variables: { a: `${ns}-legal`, s: afterSeq },
      },
      { next: (value) => value.data && received.push(value.data.contextBroadcast), error: () => undefined, complete: () => undefined },
    );
    return received;
  };
  const until = async (check: () => boolean, what: string) => {
    const deadline = Date.now() + 20_000;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const publishThrough = async (url: string, name: string) => {
    const result = await gqlAt<{ publishContext: { id: string; seq: number } }>(
      url,
      publisherKey,
      'mutation($input: PublishContextInput!) { publishContext(input: $input) { id seq } }',
      {
        input: {
          id: `${ns}-${name}`,
          type: 'FINDING',
          priority: 'CRITICAL',
          text: `Regulation change ${name}`,
          relevance: [{ agentId: `${ns}-legal`, score: 1 }],
        },
      },
    );
    if (!result.data) throw new Error(JSON.stringify(result.errors));
    return result.data.publishContext;
  };

  beforeAll(async () => {
    redis = await startRedisServer();
    [a, b] = await Promise.all([start(), start()]);
    const register = async (id: string) => {
      const result = await gqlAt<{ registerAgent: { apiKey: string } }>(
        a.url,
        adminKey,
        'mutation($i: RegisterAgentInput!) { registerAgent(input: $i) { apiKey } }',
        {
          i: { id, name: id },
        },
      );
      if (!result.data) throw new Error(JSON.stringify(result.errors));
      return result.data.registerAgent.apiKey;
    };
    publisherKey = await register(`${ns}-publisher`);
    legalKey = await register(`${ns}-legal`);
  }, 240_000);

  afterAll(async () => {
    for (const client of clients) await client.dispose();
    for (const service of [a, b]) {
      if (service && service.child.exitCode === null && service.child.signalCode === null) {
        service.child.kill('SIGTERM');
        await exited(service.child);
      }
    }
    await redis?.stop();
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('delivers through B what was published through A, and loses nothing when B dies', async () => {
    const onB = subscribe(b.url, legalKey, 0);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const first = await publishThrough(a.url, 'first');
    await until(() => onB.length >= 1, 'the first broadcast on B');
    expect(onB[0]).toMatchObject({ seq: first.seq, prevSeq: 0, context: { id: first.id } });

    b.child.kill('SIGKILL');
    await exited(b.child);
    const missed = [await publishThrough(a.url, 'missed-1'), await publishThrough(a.url, 'missed-2')];

    const onA = subscribe(a.url, legalKey, onB.at(-1)?.seq ?? 0);
    await until(() => onA.length >= 2, 'the missed broadcasts on A');
    const live = await publishThrough(a.url, 'live');
    await until(() => onA.length >= 3, 'the live broadcast on A');
    expect(onA.map((x) => x.context.id)).toEqual([...missed.map((m) => m.id), live.id]);
    expect(onA[0]?.prevSeq).toBe(first.seq);
    for (let i = 1; i < onA.length; i += 1) expect(onA[i]?.prevSeq).toBe(onA[i - 1]?.seq);
  }, 120_000);
});
