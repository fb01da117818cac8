import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisBus, type RedisBus } from '../../src/adapters/pubsub/redis-bus.js';
import {
  topicKey,
  type BusMessage,
  type BusTopic,
  type ContextEventMessage,
  type DeliveryMessage,
} from '../../src/domain/broadcast/bus.js';
import type { ContextRecord } from '../../src/domain/types.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';

const record = (id: string): ContextRecord => ({
  id,
  type: 'FINDING',
  text: `context ${id}`,
  content: { note: 'structured payloads survive the round trip' },
  tags: ['t'],
  priority: 'IMPORTANT',
  status: 'ACTIVE',
  version: 1,
  tokens: 3,
  confidence: 0.9,
  sourceAgentId: 'source',
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-01T00:00:00.000Z',
  expiresAt: null,
  visibleTo: null,
  createdSeq: 1,
  retractionReason: null,
  workflowId: null,
  validFrom: null,
  validUntil: null,
  staleness: null,
  asOf: null,
});

const delivery = (agentId: string, seq: number): DeliveryMessage => ({
  kind: 'delivery',
  agentId,
  seq,
  prevSeq: seq - 1,
  contextId: `c${seq}`,
  reason: 'test',
  context: record(`c${seq}`),
});

const contextEvent = (seq: number, change: ContextEventMessage['change'] = 'PUBLISHED'): ContextEventMessage => ({
  kind: 'context',
  seq,
  change,
  contextId: `c${seq}`,
  context: record(`c${seq}`),
  causeId: change === 'DEPENDENCY_CHANGED' ? 'c0' : null,
});

/** A port nothing listens on (it was free a moment ago, so connections are refused). */
function unusedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Polls until `condition` holds; the bound turns a lost message into a failure, not a hang. */
async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 5_000, intervalMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

describe('RedisBus against a real redis-server', () => {
  let server: RedisServer;
  let busA: RedisBus;
  let busB: RedisBus;
  /** A plain client, as an operator would use redis-cli: PUBSUB NUMSUB, raw PUBLISH. */
  let admin: Redis;
  const warnings: { obj: object; msg: string }[] = [];
  const logger = { warn: (obj: object, msg: string) => warnings.push({ obj, msg }) };
  // Unique per run, so a stray subscriber elsewhere could never hear (or be heard by) this file.
  const channelPrefix = `cm-test-${randomBytes(4).toString('hex')}:`;
  const channelOf = (topic: BusTopic): string => channelPrefix + topicKey(topic);
  const numsub = async (topic: BusTopic): Promise<number> => {
    const reply = (await admin.pubsub('NUMSUB', channelOf(topic))) as [string, number];
    return Number(reply[1]);
  };
  let agentCounter = 0;
  const agentTopic = (): { kind: 'agent'; agentId: string } => ({ kind: 'agent', agentId: `agent-${(agentCounter += 1)}` });

  beforeAll(async () => {
    server = await startRedisServer();
    // Two buses stand in for two API processes.
    [busA, busB] = await Promise.all([
      createRedisBus(server.url, { channelPrefix, logger }),
      createRedisBus(server.url, { channelPrefix, logger }),
    ]);
    admin = new Redis(server.url);
  });

  afterAll(async () => {
    await Promise.all([busA?.close(), busB?.close()]);
    admin?.disconnect();
    await server?.stop();
  });

  it('fans a message published in one process out to listeners in both, all 100 in order', async () => {
    const topic = agentTopic();
    const viaA: BusMessage[] = [];
    const viaB: BusMessage[] = [];
    await busB.subscribe(topic, (m) => viaB.push(m));
    await busA.subscribe(topic, (m) => viaA.push(m));

    const sent = Array.from({ length: 100 }, (_, i) => delivery(topic.agentId, i + 1));
    // 60 single-message publishes in flight at once (one connection keeps them in order), then a batch.
    await Promise.all(sent.slice(0, 60).map((m) => busA.publish(topic, [m])));
    await busA.publish(topic, sent.slice(60));

    await waitFor(() => viaA.length >= 100 && viaB.length >= 100, 'all 100 messages on both buses');
    expect(viaB).toEqual(sent);
    expect(viaA).toEqual(sent);
  });

  it('carries the contexts topic, kept apart from agent topics', async () => {
    const agent = agentTopic();
    const observed: BusMessage[] = [];
    const agentHeard: BusMessage[] = [];
    await busA.subscribe({ kind: 'contexts' }, (m) => observed.push(m));
    await busA.subscribe(agent, (m) => agentHeard.push(m));

    const events = [contextEvent(1), contextEvent(2, 'DEPENDENCY_CHANGED'), contextEvent(3, 'RETRACTED')];
    await busB.publish({ kind: 'contexts' }, events);

    await waitFor(() => observed.length >= 3, 'three context events');
    expect(observed).toEqual(events);
    expect(agentHeard).toEqual([]);
  });

  it('shares one Redis subscription among local listeners and drops it with the last one', async () => {
    const topic = agentTopic();
    const first: BusMessage[] = [];
    const second: BusMessage[] = [];
    // Concurrent subscribes: the second joins the first's SUBSCRIBE instead of sending its own.
    const [unsubscribeFirst, unsubscribeSecond] = await Promise.all([
      busA.subscribe(topic, (m) => first.push(m)),
      busA.subscribe(topic, (m) => second.push(m)),
    ]);
    expect(await numsub(topic)).toBe(1);

    await unsubscribeFirst();
    await unsubscribeFirst(); // idempotent: must not release the second listener's share
    expect(await numsub(topic)).toBe(1);
    await busB.publish(topic, [delivery(topic.agentId, 1)]);
    await waitFor(() => second.length === 1, 'delivery to the remaining listener');
    expect(first).toEqual([]);

    await unsubscribeSecond();
    expect(await numsub(topic)).toBe(0);
  });

  it('ends subscribed when a new listener arrives right after the last one left', async () => {
    const topic = agentTopic();
    const unsubscribe = await busA.subscribe(topic, () => {});
    const heard: BusMessage[] = [];
    // UNSUBSCRIBE and SUBSCRIBE race on one connection; Redis applies them in order.
    const [, unsubscribeAgain] = await Promise.all([unsubscribe(), busA.subscribe(topic, (m) => heard.push(m))]);
    expect(await numsub(topic)).toBe(1);
    await busB.publish(topic, [delivery(topic.agentId, 1)]);
    await waitFor(() => heard.length === 1, 'delivery after resubscribing');
    await unsubscribeAgain();
    expect(await numsub(topic)).toBe(0);
  });

  it('ignores malformed messages with a warning and keeps delivering', async () => {
    const topic = agentTopic();
    const heard: BusMessage[] = [];
    await busB.subscribe(topic, (m) => heard.push(m));
    const before = warnings.length;

    const channel = channelOf(topic);
    await admin.publish(channel, 'not json {');
    await admin.publish(channel, JSON.stringify(delivery(topic.agentId, 99))); // an object, not an array
    // One bad element (wrong types) next to a good one: the good one still gets through.
    await admin.publish(channel, JSON.stringify([{ kind: 'delivery', agentId: 7 }, { kind: 'future-kind' }, delivery(topic.agentId, 1)]));
    await busA.publish(topic, [delivery(topic.agentId, 2)]);

    await waitFor(() => heard.length >= 2, 'the two well-formed messages');
    expect(heard.map((m) => m.seq)).toEqual([1, 2]);
    const newWarnings = warnings.slice(before).map((w) => w.msg);
    expect(newWarnings).toEqual([
      'ignoring malformed bus message: not a JSON array',
      'ignoring malformed bus message: not a JSON array',
      'ignoring unrecognised bus messages',
    ]);
  });

  it('survives a listener that throws', async () => {
    const topic = agentTopic();
    const heard: BusMessage[] = [];
    await busB.subscribe(topic, () => {
      throw new Error('listener bug');
    });
    await busB.subscribe(topic, (m) => heard.push(m));
    await busA.publish(topic, [delivery(topic.agentId, 1)]);
    await busA.publish(topic, [delivery(topic.agentId, 2)]);
    await waitFor(() => heard.length >= 2, 'both messages despite the throwing listener');
    expect(warnings.some((w) => w.msg === 'bus listener threw; continuing with the others')).toBe(true);
  });

  it('closes idempotently and refuses use afterwards', async () => {
    const bus = await createRedisBus(server.url, { channelPrefix });
    const topic = agentTopic();
    await bus.subscribe(topic, () => {});
    expect(await numsub(topic)).toBe(1);
    await bus.close();
    await bus.close();
    await expect(bus.publish(topic, [delivery(topic.agentId, 1)])).rejects.toThrow('RedisBus is closed');
    await expect(bus.subscribe(topic, () => {})).rejects.toThrow('RedisBus is closed');
    await waitFor(async () => (await numsub(topic)) === 0, 'the closed connection to leave the channel');
  });

  it('fails to start with an error naming host:port, never the password', async () => {
    const closedPort = await unusedPort();
    const secret = 'sup3r-secret-pw';
    const localWarnings: string[] = [];
    const localLogger = { warn: (obj: object, msg: string) => localWarnings.push(`${msg} ${JSON.stringify(obj)}`) };

    // Nothing listening.
    const refused = createRedisBus(`redis://:${secret}@127.0.0.1:${closedPort}`, { readyTimeoutMs: 500, logger: localLogger });
    await expect(refused).rejects.toThrow(`Redis at 127.0.0.1:${closedPort} was not ready within 500 ms`);
    await expect(refused).rejects.not.toThrow(secret);

    // A real server that rejects the credentials. (Given a password it does not require, Redis
    // would accept the connection: ioredis ignores that AUTH error.)
    await admin.config('SET', 'requirepass', 'the-right-password');
    try {
      const unauthorised = createRedisBus(`redis://:${secret}@127.0.0.1:${server.port}`, { readyTimeoutMs: 500, logger: localLogger });
      await expect(unauthorised).rejects.toThrow(`Redis at 127.0.0.1:${server.port} was not ready within 500 ms`);
      await expect(unauthorised).rejects.not.toThrow(secret);
    } finally {
      await admin.config('SET', 'requirepass', '');
    }

    expect(localWarnings.length).toBeGreaterThan(0);
    for (const warning of localWarnings) expect(warning).not.toContain(secret);
  });

  // Last: it restarts the server under the shared buses.
  it('reconnects and re-subscribes after redis-server restarts', async () => {
    const topic = agentTopic();
    const heard: BusMessage[] = [];
    await busB.subscribe(topic, (m) => heard.push(m));
    const before = warnings.length;

    await server.restart();
    const restartedAt = Date.now();
    // Right after the restart the buses have not noticed yet or are reconnecting: publish fails
    // fast (no offline queue) or the message is lost; either is allowed, the durable log covers it.
    let seq = 0;
    const outcomes: string[] = [];
    await waitFor(
      async () => {
        seq += 1;
        try {
          await busA.publish(topic, [delivery(topic.agentId, seq)]);
          outcomes.push(`${seq}:ok`);
        } catch (err) {
          outcomes.push(`${seq}:${(err as Error).message}`);
        }
        return heard.length > 0;
      },
      'delivery after the restart',
      20_000,
      100,
    );
    const redeliveryMs = Date.now() - restartedAt;
    console.log(
      `redis-bus: first redelivery ${redeliveryMs} ms after redis-server answered again; publishes: ${outcomes.join(', ')}; heard seq ${heard.map((m) => m.seq).join(', ')}`,
    );

    expect(await numsub(topic)).toBe(1); // re-subscribed by ioredis itself
    const firstSeq = heard[0]?.seq ?? 0;
    const next = Array.from({ length: 20 }, (_, i) => delivery(topic.agentId, seq + 1 + i));
    await busA.publish(topic, next);
    await waitFor(() => heard.length >= 1 + next.length, 'a full batch after the restart');
    expect(heard.slice(-next.length)).toEqual(next);
    expect(firstSeq).toBeGreaterThan(0);

    const messages = warnings.slice(before).map((w) => w.msg);
    expect(messages).toContain('Redis connection lost; reconnecting');
    expect(messages).toContain('Redis connection restored');
  });
});
