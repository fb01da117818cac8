import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/harness.js';
import { connectClient, subscribeTo, type Collector } from '../support/ws-collector.js';
import { failed, ok, publish } from './support.js';

/** Drift over GraphQL against a real Neo4j: staleness along dependencies, routing of stale items, the validation pass. */

interface Staleness {
  reason: string;
  cause: { id: string } | null;
  via: { id: string } | null;
  since: string;
  seq: number;
}
interface StaleState {
  id: string;
  status: string;
  stale: boolean;
  staleness: Staleness | null;
}
interface Event {
  seq: number;
  change: string;
  context: { id: string; stale: boolean };
  cause: { id: string } | null;
}
interface Report {
  expired: number;
  staleDependencies: number;
  decayed: number;
  events: { seq: number; change: string; contextId: string; causeId: string | null }[];
}
interface Package {
  items: { score: number; context: { id: string; stale: boolean } }[];
  dropped: { contextId: string; reason: string }[];
}

const STALE_STATE = 'id status stale staleness { reason cause { id } via { id } since seq }';
const EVENT = 'seq change context { id stale } cause { id }';
const VALIDATE = `mutation($workflowId: ID) { validateContexts(workflowId: $workflowId) {
  expired staleDependencies decayed events { seq change contextId causeId } startedAt finishedAt } }`;
const CONTEXT_FOR = `query($agentId: ID!, $task: String!, $workflowId: ID) {
  contextFor(agentId: $agentId, task: $task, workflowId: $workflowId) { items { score context { id stale } } dropped { contextId reason } } }`;
const RETRACT = 'mutation($id: ID!) { retractContext(id: $id, reason: "wrong") { id } }';
const UPDATE =
  'mutation($id: ID!, $v: Int!, $patch: ContextPatch!) { updateContext(id: $id, expectedVersion: $v, patch: $patch) { id version } }';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const snapshotOf = async (server: TestServer, workflowId: string) =>
  ok(
    await server.gql<{ createSnapshot: { id: string } }>(
      server.adminKey,
      'mutation($w: ID) { createSnapshot(label: "before", workflowId: $w) { id } }',
      {
        w: workflowId,
      },
    ),
  ).createSnapshot;
const rollbackTo = async (server: TestServer, snapshotId: string, workflowId: string) =>
  ok(
    await server.gql(server.adminKey, 'mutation($s: ID!, $w: ID) { rollback(snapshotId: $s, workflowId: $w) { id } }', {
      s: snapshotId,
      w: workflowId,
    }),
  );

describe('drift', () => {
  let server: TestServer;
  let dropping: TestServer;
  let producer: { id: string; apiKey: string };
  let reader: { id: string; apiKey: string };
  let outsider: { id: string; apiKey: string };
  const clients: Client[] = [];
  let wf = 0;
  const newWorkflow = (s: TestServer) => `${s.ns}-wf${(wf += 1)}`;

  const state = async (s: TestServer, key: string, id: string) =>
    ok(await s.gql<{ context: StaleState | null }>(key, `query($id: ID!) { context(id: $id) { ${STALE_STATE} } }`, { id })).context;
  const validate = async (s: TestServer, workflowId: string) =>
    ok(await s.gql<{ validateContexts: Report }>(s.adminKey, VALIDATE, { workflowId })).validateContexts;
  const contextFor = async (s: TestServer, agent: { id: string; apiKey: string }, task: string, workflowId: string) =>
    ok(await s.gql<{ contextFor: Package }>(agent.apiKey, CONTEXT_FOR, { agentId: agent.id, task, workflowId })).contextFor;
  const watch = (s: TestServer, key: string, variables: Record<string, unknown>): Collector<Event> => {
    const client = connectClient(s.wsUrl, key);
    clients.push(client);
    return subscribeTo(
      client,
      `subscription($id: ID, $agentId: ID) { contextChanged(id: $id, agentId: $agentId) { ${EVENT} } }`,
      variables,
      (data) => data['contextChanged'] as Event,
    );
  };

  /** a ← b ← c (c depends on b, b on a) and d beside them, in a fresh workflow. */
  const chain = async (s: TestServer, prefix: string, extra: Record<string, unknown> = {}) => {
    const workflowId = newWorkflow(s);
    const id = (name: string) => `${s.ns}-${prefix}-${name}`;
    const base = { type: 'FINDING', workflowId, ...extra };
    await publish(s, producer.apiKey, { ...base, id: id('a'), text: 'The supplier ships grinders from Milan' });
    await publish(s, producer.apiKey, { ...base, id: id('b'), text: 'Shipping takes four days from Milan', dependencies: [id('a')] });
    await publish(s, producer.apiKey, { ...base, id: id('c'), text: 'Launch stock arrives on Friday', dependencies: [id('b')] });
    await publish(s, producer.apiKey, { ...base, id: id('d'), text: 'The launch event is in Berlin' });
    return { workflowId, id };
  };

  beforeAll(async () => {
    server = await startTestServer({ env: { CONFIDENCE_HALF_LIFE_HOURS: 'OUTPUT=0.0002', CONFIDENCE_FLOOR: '0.5' } });
    dropping = await startTestServer({ env: { STALE_ROUTING: 'drop', STALENESS_MAX_DEPTH: '1' } });
    // Agents live in the one database both servers share.
    producer = await server.registerAgent({ id: `${server.ns}-producer` });
    reader = await server.registerAgent({ id: `${server.ns}-reader`, needs: ['shipping'] });
    outsider = await server.registerAgent({ id: `${server.ns}-outsider` });
  });
  afterAll(async () => {
    for (const client of clients) await client.dispose();
    await server?.stop();
    await dropping?.stop();
  });

  it('a retraction makes everything resting on it stale, transitively, with the cause and the path, and tells who must know', async () => {
    const { id, workflowId } = await chain(server, 'retract');
    // The reader is handed c by contextFor: it must hear when c goes stale.
    const before = await contextFor(server, reader, 'When does the launch stock arrive?', workflowId);
    expect(before.items.map((item) => item.context.id)).toContain(id('c'));
    // Reading the deliveries waits for the package log's write-behind batch, which records who received what.
    ok(await server.gql(reader.apiKey, 'query($a: ID!) { deliveries(agentId: $a) { id } }', { a: reader.id }));

    const onC = watch(server, server.adminKey, { id: id('c') });
    const readerFeed = watch(server, reader.apiKey, { agentId: reader.id });
    const producerFeed = watch(server, producer.apiKey, { agentId: producer.id });
    const outsiderFeed = watch(server, outsider.apiKey, { agentId: outsider.id });
    await sleep(1_000); // subscriptions are live-only: give them time to be set up on a loaded machine

    ok(await server.gql(producer.apiKey, RETRACT, { id: id('a') }));

    const [b, c, d] = await Promise.all(['b', 'c', 'd'].map((n) => state(server, reader.apiKey, id(n))));
    expect(b).toMatchObject({
      status: 'ACTIVE',
      stale: true,
      staleness: { reason: 'DEPENDENCY_RETRACTED', cause: { id: id('a') }, via: { id: id('a') } },
    });
    expect(c).toMatchObject({
      status: 'ACTIVE',
      stale: true,
      staleness: { reason: 'DEPENDENCY_RETRACTED', cause: { id: id('a') }, via: { id: id('b') } },
    });
    expect(d).toMatchObject({ stale: false, staleness: null });
    expect(c?.staleness?.seq).toBeGreaterThan(b?.staleness?.seq ?? Infinity);

    const [staleC] = await onC.until((items) => items.some((e) => e.change === 'STALE'));
    expect(onC.items.find((e) => e.change === 'STALE')).toMatchObject({ context: { id: id('c'), stale: true }, cause: { id: id('a') } });
    expect(staleC).toBeDefined();
    // The producer hears of both of its dependents, the reader of the one it was handed; the outsider of nothing.
    await producerFeed.until((items) => items.filter((e) => e.change === 'STALE').length >= 2);
    expect(producerFeed.items.map((e) => e.context.id).sort()).toEqual([id('b'), id('c')]);
    await readerFeed.until((items) => items.some((e) => e.context.id === id('c')));
    expect(readerFeed.items.every((e) => e.change === 'STALE')).toBe(true);
    await sleep(300);
    expect(outsiderFeed.items).toEqual([]);
  });

  it('a supersession makes dependents stale, but not the new context nor what is built on it', async () => {
    const { id, workflowId } = await chain(server, 'supersede');
    await publish(server, producer.apiKey, {
      id: id('a2'),
      type: 'FINDING',
      workflowId,
      text: 'The supplier ships grinders from Turin',
      supersedes: [id('a')],
      dependencies: [id('b')],
    });
    expect(await state(server, producer.apiKey, id('b'))).toMatchObject({ stale: true, staleness: { reason: 'DEPENDENCY_SUPERSEDED' } });
    expect(await state(server, producer.apiKey, id('c'))).toMatchObject({ stale: true, staleness: { reason: 'DEPENDENCY_SUPERSEDED' } });
    expect(await state(server, producer.apiKey, id('a2'))).toMatchObject({ status: 'ACTIVE', stale: false });
  });

  it('updating a stale context clears it unless it still rests on something that does not hold', async () => {
    const { id } = await chain(server, 'update');
    ok(await server.gql(producer.apiKey, RETRACT, { id: id('a') }));
    // Still resting on the retracted a: stale again (a new mark, a later seq).
    const marked = await state(server, producer.apiKey, id('b'));
    ok(await server.gql(producer.apiKey, UPDATE, { id: id('b'), v: 1, patch: { confidence: 0.8 } }));
    const again = await state(server, producer.apiKey, id('b'));
    expect(again).toMatchObject({ stale: true, staleness: { reason: 'DEPENDENCY_RETRACTED', cause: { id: id('a') } } });
    expect(again?.staleness?.seq).toBeGreaterThan(marked?.staleness?.seq ?? Infinity);
    // Re-stated without the retracted dependency: it holds again.
    ok(await server.gql(producer.apiKey, UPDATE, { id: id('b'), v: 2, patch: { dependencies: [] } }));
    expect(await state(server, producer.apiKey, id('b'))).toMatchObject({ stale: false, staleness: null });
    // c stays stale until it is re-stated itself; re-stated now that b holds, it holds again.
    expect(await state(server, producer.apiKey, id('c'))).toMatchObject({ stale: true });
    ok(await server.gql(producer.apiKey, UPDATE, { id: id('c'), v: 1, patch: { confidence: 0.7 } }));
    expect(await state(server, producer.apiKey, id('c'))).toMatchObject({ stale: false });
  });

  it('contextFor lowers a stale item by STALE_DEMOTION (0.5 by default)', async () => {
    const { id, workflowId } = await chain(server, 'demote');
    await publish(server, producer.apiKey, { id: id('e'), type: 'FINDING', workflowId, text: 'Shipping from Milan is insured' });
    const task = 'How long does shipping from Milan take?';
    const score = (pkg: Package, name: string) => pkg.items.find((item) => item.context.id === id(name))?.score;
    const before = await contextFor(server, reader, task, workflowId);
    ok(await server.gql(producer.apiKey, RETRACT, { id: id('a') }));
    const after = await contextFor(server, reader, task, workflowId);
    expect(score(before, 'b')).toBeGreaterThan(0);
    expect(score(after, 'b')).toBeCloseTo((score(before, 'b') ?? 0) * 0.5, 2);
    expect(after.items.find((item) => item.context.id === id('b'))?.context.stale).toBe(true);
    // What does not rest on a keeps its score.
    expect(score(after, 'e')).toBeCloseTo(score(before, 'e') ?? NaN, 2);
  });

  it('with STALE_ROUTING=drop, stale items are left out and reported as STALE', async () => {
    const { id, workflowId } = await chain(dropping, 'drop');
    ok(await dropping.gql(producer.apiKey, RETRACT, { id: id('a') }));
    const pkg = await contextFor(dropping, reader, 'How long does shipping from Milan take?', workflowId);
    expect(pkg.items.map((item) => item.context.id)).not.toContain(id('b'));
    expect(pkg.dropped).toContainEqual({ contextId: id('b'), reason: 'STALE' });
  });

  it('the validation pass carries staleness past STALENESS_MAX_DEPTH, and reports what it changed as events', async () => {
    const { id, workflowId } = await chain(dropping, 'depth');
    ok(await dropping.gql(producer.apiKey, RETRACT, { id: id('a') }));
    // One hop at write time (STALENESS_MAX_DEPTH=1): b, not yet c.
    expect(await state(dropping, producer.apiKey, id('b'))).toMatchObject({ stale: true });
    expect(await state(dropping, producer.apiKey, id('c'))).toMatchObject({ stale: false });
    const report = await validate(dropping, workflowId);
    expect(report).toMatchObject({ expired: 0, staleDependencies: 1, decayed: 0 });
    expect(report.events).toEqual([{ seq: expect.any(Number), change: 'STALE', contextId: id('c'), causeId: id('a') }]);
    expect(await state(dropping, producer.apiKey, id('c'))).toMatchObject({
      stale: true,
      staleness: { reason: 'DEPENDENCY_RETRACTED', cause: { id: id('a') }, via: { id: id('b') }, seq: report.events[0]?.seq },
    });
    // Nothing left to change: a second pass writes nothing.
    expect(await validate(dropping, workflowId)).toMatchObject({ expired: 0, staleDependencies: 0, decayed: 0, events: [] });
  });

  it('expiry takes effect on time, and the pass makes what rests on an expired context stale', async () => {
    const workflowId = newWorkflow(server);
    const id = (name: string) => `${server.ns}-exp-${name}`;
    // Room for slow writes and a slow first answer on a loaded machine.
    const expiration = new Date(Date.now() + 8_000).toISOString();
    await publish(server, producer.apiKey, {
      id: id('a'),
      type: 'FINDING',
      workflowId,
      text: 'Shipping from Milan is on hold',
      expiration,
    });
    await publish(server, producer.apiKey, {
      id: id('b'),
      type: 'FINDING',
      workflowId,
      text: 'Shipping plan for the launch',
      dependencies: [id('a')],
    });
    const task = 'Is shipping from Milan on hold?';
    expect((await contextFor(server, reader, task, workflowId)).items.map((i) => i.context.id)).toContain(id('a'));
    await sleep(Math.max(0, Date.parse(expiration) - Date.now()) + 50);
    // No sweep has run: reads judge expiry at read time.
    expect(await state(server, producer.apiKey, id('a'))).toMatchObject({ status: 'EXPIRED' });
    expect((await contextFor(server, reader, task, workflowId)).items.map((i) => i.context.id)).not.toContain(id('a'));
    const report = await validate(server, workflowId);
    expect(report).toMatchObject({ expired: 1, staleDependencies: 1 });
    expect(report.events.map((e) => [e.change, e.contextId])).toEqual([
      ['EXPIRED', id('a')],
      ['STALE', id('b')],
    ]);
    expect(await state(server, producer.apiKey, id('b'))).toMatchObject({
      stale: true,
      staleness: { reason: 'DEPENDENCY_EXPIRED', cause: { id: id('a') } },
    });
  });

  it('confidence decays per type: the pass marks an OUTPUT whose decayed confidence fell below the floor, not a FINDING', async () => {
    const workflowId = newWorkflow(server);
    const id = (name: string) => `${server.ns}-decay-${name}`;
    // OUTPUT half-life 0.0002 h (0.72 s), floor 0.5: 0.9 falls below it after about 0.6 s; FINDING does not decay.
    await publish(server, producer.apiKey, { id: id('out'), type: 'OUTPUT', workflowId, text: 'Draft press release', confidence: 0.9 });
    await publish(server, producer.apiKey, { id: id('fact'), type: 'FINDING', workflowId, text: 'Grinder weighs 2 kg', confidence: 0.9 });
    await sleep(1_000);
    const report = await validate(server, workflowId);
    expect(report).toMatchObject({ decayed: 1, staleDependencies: 0, expired: 0 });
    expect(report.events).toEqual([{ seq: expect.any(Number), change: 'STALE', contextId: id('out'), causeId: id('out') }]);
    expect(await state(server, producer.apiKey, id('out'))).toMatchObject({
      stale: true,
      staleness: { reason: 'CONFIDENCE_DECAYED', cause: { id: id('out') } },
    });
    expect(await state(server, producer.apiKey, id('fact'))).toMatchObject({ stale: false });
  });

  it('a workflow rollback makes stale what rests on it from outside, and returns its own staleness to the snapshot', async () => {
    const { id, workflowId } = await chain(server, 'rollback');
    const other = newWorkflow(server);
    await publish(server, producer.apiKey, {
      id: id('x'),
      type: 'FINDING',
      workflowId: other,
      text: 'Berlin stock plan',
      dependencies: [id('a')],
    });
    const snapshot = await snapshotOf(server, workflowId);
    ok(await server.gql(producer.apiKey, RETRACT, { id: id('a') }));
    expect(await state(server, producer.apiKey, id('c'))).toMatchObject({ stale: true });
    expect(await state(server, producer.apiKey, id('x'))).toMatchObject({ stale: true, staleness: { reason: 'DEPENDENCY_RETRACTED' } });

    await rollbackTo(server, snapshot.id, workflowId);
    // Inside the workflow, back to the snapshot: a restored, b and c hold again.
    expect(await state(server, producer.apiKey, id('a'))).toMatchObject({ status: 'ACTIVE', stale: false });
    for (const name of ['b', 'c']) expect(await state(server, producer.apiKey, id(name))).toMatchObject({ stale: false, staleness: null });
    // Outside it, x was already stale (the retraction); the rollback does not pretend it is fine, and nothing new is lost.
    expect(await state(server, producer.apiKey, id('x'))).toMatchObject({ stale: true });
  });

  it('a rollback that changes a context makes what rests on it from another workflow stale (DEPENDENCY_ROLLED_BACK)', async () => {
    const { id, workflowId } = await chain(server, 'restore');
    const snapshot = await snapshotOf(server, workflowId);
    ok(await server.gql(producer.apiKey, UPDATE, { id: id('a'), v: 1, patch: { text: 'The supplier ships grinders from Turin' } }));
    await publish(server, producer.apiKey, {
      id: id('y'),
      type: 'FINDING',
      workflowId: newWorkflow(server),
      text: 'Turin pickup',
      dependencies: [id('a')],
    });
    await rollbackTo(server, snapshot.id, workflowId);
    expect(await state(server, producer.apiKey, id('y'))).toMatchObject({
      stale: true,
      staleness: { reason: 'DEPENDENCY_ROLLED_BACK', cause: { id: id('a') }, via: { id: id('a') } },
    });
    expect(await state(server, producer.apiKey, id('b'))).toMatchObject({ stale: false });
  });

  it('hides a cause the reader may not see, and refuses bad requests with clear codes', async () => {
    const workflowId = newWorkflow(server);
    const id = (name: string) => `${server.ns}-hidden-${name}`;
    await publish(server, producer.apiKey, {
      id: id('secret'),
      type: 'FINDING',
      workflowId,
      text: 'Internal cost sheet',
      visibleTo: [producer.id],
    });
    await publish(server, producer.apiKey, {
      id: id('public'),
      type: 'FINDING',
      workflowId,
      text: 'Public price list',
      dependencies: [id('secret')],
    });
    ok(await server.gql(producer.apiKey, RETRACT, { id: id('secret') }));
    expect(await state(server, reader.apiKey, id('public'))).toMatchObject({
      stale: true,
      staleness: { reason: 'DEPENDENCY_RETRACTED', cause: null, via: null },
    });
    expect(await state(server, producer.apiKey, id('public'))).toMatchObject({ staleness: { cause: { id: id('secret') } } });

    failed(await server.gql(reader.apiKey, VALIDATE, { workflowId }), 'FORBIDDEN');
    failed(await server.gql(server.adminKey, VALIDATE, { workflowId: 'bad id!' }), 'BAD_USER_INPUT');
    const both = watch(server, reader.apiKey, { id: id('public'), agentId: reader.id });
    const neither = watch(server, reader.apiKey, {});
    const otherAgent = watch(server, reader.apiKey, { agentId: producer.id });
    for (const collector of [both, neither, otherAgent]) {
      await expect(collector.until(() => false, 3_000)).rejects.toThrow(/subscription failed/);
    }
    expect(JSON.stringify(both.errors)).toContain('BAD_USER_INPUT');
    expect(JSON.stringify(neither.errors)).toContain('BAD_USER_INPUT');
    expect(JSON.stringify(otherAgent.errors)).toContain('FORBIDDEN');
  });
});
