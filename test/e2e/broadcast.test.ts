import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestServer, type TestServer } from '../support/harness.js';

/** Selective broadcasting over graphql-ws, with real clients on real sockets against a real Neo4j. */

interface Broadcast {
  seq: number;
  prevSeq: number;
  reason: string;
  context: { id: string; priority: string };
}

/** Collects what a subscription yields, so tests can wait for it. */
class Collector<T> {
  readonly items: T[] = [];
  errors: unknown[] = [];
  completed = false;
  private waiters: (() => void)[] = [];

  push(item: T) {
    this.items.push(item);
    for (const wake of this.waiters.splice(0)) wake();
  }

  async until(predicate: (items: T[]) => boolean, timeoutMs = 15_000): Promise<T[]> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.items)) {
      if (this.errors.length > 0) throw new Error(`subscription failed: ${JSON.stringify(this.errors)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out; got ${JSON.stringify(this.items)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 250));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.items;
  }
}

describe('broadcasts', () => {
  let server: TestServer;
  const clients: Client[] = [];
  let researcher: { id: string; apiKey: string };
  let legal: { id: string; apiKey: string };
  let marketing: { id: string; apiKey: string };
  let observer: { id: string; apiKey: string };
  const id = (name: string) => `${server.ns}-${name}`;
  const topic = () => `${server.ns}_regulations`;

  const connect = (key: string) => {
    const client = createClient({
      url: server.wsUrl,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${key}` },
      retryAttempts: 0,
    });
    clients.push(client);
    return client;
  };
  const subscribe = <T>(client: Client, query: string, variables: Record<string, unknown>, pick: (data: Record<string, unknown>) => T) => {
    const collector = new Collector<T>();
    const stop = client.subscribe<Record<string, unknown>>(
      { query, variables },
      {
        next: (value) => {
          if (value.errors) collector.errors.push(value.errors);
          else if (value.data) collector.push(pick(value.data));
        },
        error: (error) => collector.errors.push(error),
        complete: () => (collector.completed = true),
      },
    );
    return { collector, stop };
  };
  const BROADCASTS = `subscription($agentId: ID!, $afterSeq: Int, $workflowId: ID) {
    contextBroadcast(agentId: $agentId, afterSeq: $afterSeq, workflowId: $workflowId) { seq prevSeq reason context { id priority } }
  }`;
  const broadcastsOf = (key: string, agentId: string, afterSeq?: number, workflowId?: string) =>
    subscribe<Broadcast>(connect(key), BROADCASTS, { agentId, afterSeq, workflowId }, (d) => d['contextBroadcast'] as Broadcast);
  const publish = async (input: Record<string, unknown>) => {
    const result = await server.gql<{ publishContext: { id: string; seq: number } }>(
      researcher.apiKey,
      'mutation($input: PublishContextInput!) { publishContext(input: $input) { id seq } }',
      { input: { type: 'FINDING', tags: [topic()], ...input } },
    );
    if (!result.data) throw new Error(JSON.stringify(result.errors));
    return result.data.publishContext;
  };
  const page = async (key: string, agentId: string, afterSeq = 0) =>
    (
      await server.gql<{ broadcasts: { broadcasts: Broadcast[]; lastSeq: number; hasMore: boolean } }>(
        key,
        'query($agentId: ID!, $afterSeq: Int) { broadcasts(agentId: $agentId, afterSeq: $afterSeq) { broadcasts { seq prevSeq reason context { id priority } } lastSeq hasMore } }',
        { agentId, afterSeq },
      )
    ).data?.broadcasts;

  beforeAll(async () => {
    server = await startTestServer({ env: { WS_MAX_SUBSCRIPTIONS: '3', EXPIRY_SWEEP_MS: '200' } });
    researcher = await server.registerAgent({ id: `${server.ns}-researcher`, produces: [`${server.ns}_regulations`] });
    legal = await server.registerAgent({ id: `${server.ns}-legal`, needs: [`${server.ns}_regulations`], relevanceThreshold: 0.3 });
    marketing = await server.registerAgent({ id: `${server.ns}-marketing`, needs: [`${server.ns}_social_media`], relevanceThreshold: 0.3 });
    observer = await server.registerAgent({ id: `${server.ns}-observer` });
  });
  afterAll(async () => {
    for (const client of clients) await client.dispose();
    await server?.stop();
  });

  it('delivers a CRITICAL finding at once to the agents it is relevant to, saying why, and stores ROUTINE ones only', async () => {
    const { collector } = broadcastsOf(legal.apiKey, legal.id, 0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await publish({ id: id('routine'), text: 'A minor regulation clarification was published in the journal.', priority: 'ROUTINE' });
    const critical = await publish({
      id: id('critical'),
      text: 'New EU regulation bans dark patterns in cookie banners from March.',
      priority: 'CRITICAL',
    });
    const [first] = await collector.until((items) => items.length >= 1);
    expect(first?.context.id).toBe(id('critical'));
    expect(first?.seq).toBe(critical.seq);
    expect(first?.prevSeq).toBe(0);
    expect(first?.reason).toMatch(/^CRITICAL: relevance \d\.\d\d ≥ agent threshold 0\.30$/);
    // Routine findings wait to be asked for; other agents it is not relevant to get nothing.
    expect((await page(legal.apiKey, legal.id))?.broadcasts.map((b) => b.context.id)).toEqual([id('critical')]);
    expect((await page(marketing.apiKey, marketing.id))?.broadcasts).toEqual([]);
    expect((await page(researcher.apiKey, researcher.id))?.broadcasts).toEqual([]);
  });

  it('replays what a disconnected agent missed, then continues live, in order, without gaps or duplicates', async () => {
    const first = broadcastsOf(legal.apiKey, legal.id, 0);
    const seen = await first.collector.until((items) => items.length >= 1);
    const lastSeen = seen.at(-1)?.seq ?? 0;
    first.stop();

    const missed = [];
    for (let i = 0; i < 3; i += 1) {
      missed.push(
        await publish({
          id: id(`missed-${i}`),
          text: `Regulation update ${i}: consent records must be kept for five years.`,
          priority: 'CRITICAL',
        }),
      );
    }
    const resumed = broadcastsOf(legal.apiKey, legal.id, lastSeen);
    await resumed.collector.until((items) => items.length >= 3);
    const live = await publish({ id: id('live'), text: 'Regulation update: the deadline moved to April.', priority: 'CRITICAL' });
    const items = await resumed.collector.until((all) => all.length >= 4);
    expect(items.map((b) => b.context.id)).toEqual([...missed.map((m) => m.id), live.id]);
    // Each delivery names the previous one: the chain proves nothing was skipped.
    expect(items[0]?.prevSeq).toBe(lastSeen);
    for (let i = 1; i < items.length; i += 1) expect(items[i]?.prevSeq).toBe(items[i - 1]?.seq);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(resumed.collector.items).toHaveLength(4);
  });

  it('resumes from the acknowledged position when afterSeq is omitted', async () => {
    const all = (await page(legal.apiKey, legal.id))?.broadcasts ?? [];
    const ackAt = all.at(-2)?.seq ?? 0;
    const ack = await server.gql<{ acknowledge: { ackSeq: number } }>(
      legal.apiKey,
      'mutation($a: ID!, $s: Int!) { acknowledge(agentId: $a, seq: $s) { ackSeq } }',
      {
        a: legal.id,
        s: ackAt,
      },
    );
    expect(ack.data?.acknowledge.ackSeq).toBe(ackAt);
    // Acknowledging backwards never moves the cursor back.
    const back = await server.gql<{ acknowledge: { ackSeq: number } }>(
      legal.apiKey,
      'mutation($a: ID!) { acknowledge(agentId: $a, seq: 1) { ackSeq } }',
      {
        a: legal.id,
      },
    );
    expect(back.data?.acknowledge.ackSeq).toBe(ackAt);
    const fromAck = broadcastsOf(legal.apiKey, legal.id);
    const items = await fromAck.collector.until((x) => x.length >= 1);
    expect(items.map((b) => b.seq)).toEqual([all.at(-1)?.seq]);
  });

  it('lets an agent subscribe only to its own stream', async () => {
    const foreign = broadcastsOf(marketing.apiKey, legal.id, 0);
    await expect(foreign.collector.until(() => false, 3000)).rejects.toThrow(/FORBIDDEN|may not read/);
  });

  it('tells observers of publications they may read, filtered, and of changes to one context and its dependencies', async () => {
    const client = connect(observer.apiKey);
    const published = subscribe<{ change: string; context: { id: string } }>(
      client,
      'subscription($tags: [String!]) { contextPublished(filter: { tags: $tags }) { change context { id } } }',
      { tags: [topic()] },
      (d) => d['contextPublished'] as { change: string; context: { id: string } },
    );
    await publish({ id: id('base'), text: 'Consent must be as easy to withdraw as to give.' });
    await publish({ id: id('hidden'), text: 'Internal note on regulation strategy.', visibleTo: [legal.id] });
    await publish({ id: id('other-topic'), text: 'Unrelated finding.', tags: ['something-else'] });
    await publish({ id: id('derived'), text: 'Banner flow must include a withdraw link.', dependencies: [id('base')] });
    const seen = await published.collector.until((items) => items.some((i) => i.context.id === id('derived')));
    expect(seen.map((i) => i.context.id)).toEqual([id('base'), id('derived')]);

    const changes = subscribe<{ change: string; context: { id: string }; cause: { id: string } | null }>(
      client,
      'subscription($id: ID!) { contextChanged(id: $id) { change context { id } cause { id } } }',
      { id: id('derived') },
      (d) => d['contextChanged'] as { change: string; context: { id: string }; cause: { id: string } | null },
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    await server.gql(
      researcher.apiKey,
      'mutation($id: ID!) { updateContext(id: $id, expectedVersion: 1, patch: { confidence: 0.5 }) { id } }',
      { id: id('base') },
    );
    await server.gql(
      researcher.apiKey,
      'mutation($id: ID!) { updateContext(id: $id, expectedVersion: 1, patch: { confidence: 0.6 }) { id } }',
      { id: id('derived') },
    );
    const events = await changes.collector.until((items) => items.length >= 2);
    expect(events[0]).toEqual({ change: 'DEPENDENCY_CHANGED', context: { id: id('derived') }, cause: { id: id('base') } });
    expect(events[1]).toEqual({ change: 'UPDATED', context: { id: id('derived') }, cause: null });
  });

  it('tells contextChanged observers when a context expires, once', async () => {
    await publish({ id: id('short'), text: 'Temporary regulation notice.', expiration: new Date(Date.now() + 1200).toISOString() });
    const changes = subscribe<{ change: string; context: { id: string; status: string } }>(
      connect(observer.apiKey),
      'subscription($id: ID!) { contextChanged(id: $id) { change context { id status } } }',
      { id: id('short') },
      (d) => d['contextChanged'] as { change: string; context: { id: string; status: string } },
    );
    const events = await changes.collector.until((items) => items.length >= 1);
    expect(events[0]).toEqual({ change: 'EXPIRED', context: { id: id('short'), status: 'EXPIRED' } });
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(changes.collector.items).toHaveLength(1);
  });

  it('limits subscriptions per connection', async () => {
    const client = connect(observer.apiKey);
    const subs = [0, 1, 2, 3].map(() => subscribe(client, 'subscription { contextPublished { change } }', {}, (d) => d));
    await expect(subs[3]?.collector.until(() => false, 3000)).rejects.toThrow(/At most 3 subscriptions/);
  });

  it('limits a broadcast stream and contextFor to one workflow', async () => {
    const wf = `${server.ns}-wf1`;
    const stream = broadcastsOf(legal.apiKey, legal.id, 0, wf);
    await publish({ id: id('wf-out'), text: 'Regulation finding outside the workflow.', priority: 'CRITICAL' });
    await publish({ id: id('wf-in'), text: 'Regulation finding for the launch workflow.', priority: 'CRITICAL', workflowId: wf });
    const items = await stream.collector.until((x) => x.some((b) => b.context.id === id('wf-in')));
    expect(items.map((b) => b.context.id)).toEqual([id('wf-in')]);
    const pkg = await server.gql<{ contextFor: { items: { context: { id: string } }[] } }>(
      legal.apiKey,
      'query($a: ID!, $w: ID) { contextFor(agentId: $a, task: "regulation findings", budget: 2000, workflowId: $w) { items { context { id } } } }',
      { a: legal.id, w: wf },
    );
    expect(pkg.data?.contextFor.items.map((i) => i.context.id)).toEqual([id('wf-in')]);
  });
});
