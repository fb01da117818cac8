import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/harness.js';
import { connectClient, subscribeTo } from '../support/ws-collector.js';
import { failed, ok, publish } from './support.js';

/** Snapshots, diff, rollback and its undo, over GraphQL against a real Neo4j. */

interface State {
  id: string;
  text: string;
  tags: string[];
  status: string;
  version: number;
  visibleTo: string[] | null;
  metadata: { dependencies: string[] };
  history: { version: number }[];
}
interface Snapshot {
  id: string;
  label: string;
  seq: number;
  workflowId: string | null;
  createdBy: string;
  kind: string;
}
interface Rollback {
  id: string;
  snapshot: { id: string };
  restored: { id: string; version: number }[];
  retracted: { id: string; version: number }[];
  undoSnapshot: Snapshot;
}

const STATE = 'id text tags status version visibleTo retractionReason metadata { dependencies } history { version }';
const SNAPSHOT = 'id label seq workflowId createdBy kind';
const CREATE_SNAPSHOT = `mutation($label: String!, $workflowId: ID) { createSnapshot(label: $label, workflowId: $workflowId) { ${SNAPSHOT} } }`;
const ROLLBACK = `mutation($snapshotId: ID!, $workflowId: ID) { rollback(snapshotId: $snapshotId, workflowId: $workflowId) {
  id snapshot { id } restored { id version } retracted { id version } undoSnapshot { ${SNAPSHOT} } } }`;
const DIFF = `query($fromSeq: Int!, $toSeq: Int, $workflowId: ID) { diff(fromSeq: $fromSeq, toSeq: $toSeq, workflowId: $workflowId) {
  fromSeq toSeq added { id status } changed { id status version } retracted { id status } } }`;
const CONTEXT_FOR = `query($agentId: ID!, $task: String!, $workflowId: ID) {
  contextFor(agentId: $agentId, task: $task, workflowId: $workflowId) { cached items { context { id } } } }`;

/** The fields a rollback restores, without the version (which only grows) and the history (which only lengthens). */
const restorable = ({ version: _version, history: _history, ...state }: State & { retractionReason?: unknown }) => {
  const { retractionReason: _reason, ...rest } = state;
  return rest;
};
const ids = (list: { id: string }[]) => list.map((c) => c.id).sort();

describe('snapshots and rollback', () => {
  let server: TestServer;
  let writer: { id: string; apiKey: string };
  let reviewer: { id: string; apiKey: string };
  const clients: Client[] = [];
  const id = (name: string) => `${server.ns}-${name}`;
  const workflow = () => `${server.ns}-wf`;
  const otherWorkflow = () => `${server.ns}-other`;
  const TASK = 'Draft the launch announcement for the espresso grinder';

  const read = async (contextId: string): Promise<State> => {
    const data = ok(
      await server.gql<{ context: State }>(server.adminKey, `query($id: ID!) { context(id: $id) { ${STATE} } }`, { id: contextId }),
    );
    return data.context;
  };
  const readAll = async (names: string[]) => Object.fromEntries(await Promise.all(names.map(async (n) => [n, await read(id(n))] as const)));
  const update = async (name: string, version: number, patch: Record<string, unknown>) =>
    ok(
      await server.gql(
        writer.apiKey,
        'mutation($id: ID!, $v: Int!, $patch: ContextPatch!) { updateContext(id: $id, expectedVersion: $v, patch: $patch) { id } }',
        {
          id: id(name),
          v: version,
          patch,
        },
      ),
    );
  const rollback = async (snapshotId: string, workflowId?: string) =>
    ok(await server.gql<{ rollback: Rollback }>(server.adminKey, ROLLBACK, { snapshotId, workflowId: workflowId ?? null })).rollback;
  const contextFor = async () =>
    ok(
      await server.gql<{ contextFor: { cached: boolean; items: { context: { id: string } }[] } }>(server.adminKey, CONTEXT_FOR, {
        agentId: writer.id,
        task: TASK,
        workflowId: workflow(),
      }),
    ).contextFor;

  beforeAll(async () => {
    // A long recheck interval: a cached package is re-validated only because this process's own write told the cache.
    server = await startTestServer({ env: { ROUTING_CACHE_RECHECK_MS: '60000' } });
    writer = await server.registerAgent({ id: `${server.ns}-writer` });
    reviewer = await server.registerAgent({ id: `${server.ns}-reviewer` });
  });
  afterAll(async () => {
    for (const client of clients) await client.dispose();
    await server?.stop();
  });

  it('restores a workflow to its snapshot, leaves the rest alone, loses no version, and can be undone', async () => {
    const inWf = (text: string, extra: Record<string, unknown> = {}) => ({ type: 'FINDING', text, workflowId: workflow(), ...extra });
    await publish(server, writer.apiKey, { id: id('a'), ...inWf('Grinder has 40 settings', { tags: ['specs'] }) });
    await publish(server, writer.apiKey, { id: id('b'), ...inWf('Announcement outline', { dependencies: [id('a')] }) });
    await publish(server, writer.apiKey, { id: id('c'), ...inWf('Price is 199 EUR') });
    await publish(server, writer.apiKey, { id: id('d'), ...inWf('Launch date is in May') });
    await publish(server, writer.apiKey, { id: id('o1'), type: 'FINDING', text: 'Other workflow note', workflowId: otherWorkflow() });
    await publish(server, writer.apiKey, { id: id('n1'), type: 'FINDING', text: 'Note outside any workflow' });
    const atSnapshot = await readAll(['a', 'b', 'c', 'd']);

    const snapshot = ok(
      await server.gql<{ createSnapshot: Snapshot }>(writer.apiKey, CREATE_SNAPSHOT, { label: 'before edits', workflowId: workflow() }),
    ).createSnapshot;
    expect(snapshot).toMatchObject({ label: 'before edits', workflowId: workflow(), createdBy: writer.id, kind: 'MANUAL' });

    // Changes inside the workflow, and outside it.
    await update('a', 1, { text: 'Grinder has 60 settings', tags: ['specs', 'draft'], visibleTo: [reviewer.id] });
    await update('b', 1, { dependencies: [] });
    ok(await server.gql(writer.apiKey, 'mutation($id: ID!) { retractContext(id: $id, reason: "wrong price") { id } }', { id: id('c') }));
    await publish(server, writer.apiKey, { id: id('e'), ...inWf('Launch date is in June', { supersedes: [id('d')] }) });
    await publish(server, writer.apiKey, {
      id: id('f'),
      ...inWf('Announcement draft: the espresso grinder launch is the loudest ever', { relevance: [{ agentId: writer.id, score: 1 }] }),
    });
    await update('o1', 1, { text: 'Other workflow note, edited' });
    await update('n1', 1, { text: 'Outside note, edited' });

    // The diff lists exactly the workflow's changes; an agent sees only versions it may read.
    const diff = ok(
      await server.gql<{ diff: { added: State[]; changed: State[]; retracted: State[] } }>(server.adminKey, DIFF, {
        fromSeq: snapshot.seq,
        workflowId: workflow(),
      }),
    ).diff;
    expect(ids(diff.added)).toEqual([id('e'), id('f')].sort());
    expect(ids(diff.changed)).toEqual([id('a'), id('b'), id('d')].sort());
    expect(ids(diff.retracted)).toEqual([id('c')]);
    expect(diff.changed.find((c) => c.id === id('d'))?.status).toBe('SUPERSEDED');
    const outsider = await server.registerAgent({ id: `${server.ns}-outsider` });
    const seenByOutsider = ok(
      await server.gql<{ diff: { changed: State[] } }>(outsider.apiKey, DIFF, { fromSeq: snapshot.seq, workflowId: workflow() }),
    ).diff;
    expect(ids(seenByOutsider.changed)).toEqual([id('b'), id('d')].sort());

    // A package computed (and cached) before the rollback holds the draft published after the snapshot.
    expect((await contextFor()).items.map((i) => i.context.id)).toContain(id('f'));
    expect((await contextFor()).cached).toBe(true);

    const changes = subscribeTo(
      clients[clients.push(connectClient(server.wsUrl, server.adminKey)) - 1]!,
      'subscription($id: ID!) { contextChanged(id: $id) { seq change context { id text } } }',
      { id: id('a') },
      (d) => d['contextChanged'] as { seq: number; change: string; context: { id: string; text: string } },
    );
    await new Promise((resolve) => setTimeout(resolve, 300));

    const beforeRollback = await readAll(['a', 'b', 'c', 'd', 'e', 'f']);
    const others = await readAll(['o1', 'n1']);
    const result = await rollback(snapshot.id, workflow());
    expect(result.snapshot.id).toBe(snapshot.id);
    expect(ids(result.restored)).toEqual([id('a'), id('b'), id('c'), id('d')].sort());
    expect(ids(result.retracted)).toEqual([id('e'), id('f')].sort());
    expect(result.undoSnapshot).toMatchObject({
      kind: 'AUTO',
      label: 'before rollback to before edits',
      workflowId: workflow(),
      createdBy: 'admin',
    });
    expect(result.undoSnapshot.seq).toBeGreaterThan(snapshot.seq);

    const afterRollback = await readAll(['a', 'b', 'c', 'd', 'e', 'f']);
    for (const name of ['a', 'b', 'c', 'd']) {
      expect(restorable(afterRollback[name]!), name).toEqual(restorable(atSnapshot[name]!));
      expect(afterRollback[name]!.version, name).toBe(beforeRollback[name]!.version + 1);
      expect(afterRollback[name]!.history.length, name).toBe(beforeRollback[name]!.history.length + 1);
    }
    for (const name of ['e', 'f']) {
      expect(afterRollback[name], name).toMatchObject({ status: 'RETRACTED', retractionReason: `rolled back to snapshot ${snapshot.id}` });
      expect(afterRollback[name]!.history.length, name).toBe(beforeRollback[name]!.history.length + 1);
    }
    expect(await readAll(['o1', 'n1'])).toEqual(others);

    // Subscribers are told; the cached package is not served after the rollback.
    const heard = await changes.until((items) => items.some((i) => i.change === 'UPDATED' && i.context.text === 'Grinder has 40 settings'));
    expect(heard.at(-1)?.seq).toBeGreaterThan(result.undoSnapshot.seq);
    const repackaged = await contextFor();
    expect(repackaged.cached).toBe(false);
    expect(repackaged.items.map((i) => i.context.id)).not.toContain(id('f'));

    // Undo: back to the state just before the rollback, again with new versions only.
    const undo = await rollback(result.undoSnapshot.id);
    expect(ids(undo.restored)).toEqual([id('a'), id('b'), id('c'), id('d'), id('e'), id('f')].sort());
    expect(undo.retracted).toEqual([]);
    const afterUndo = await readAll(['a', 'b', 'c', 'd', 'e', 'f']);
    for (const name of ['a', 'b', 'c', 'd', 'e', 'f']) {
      expect(restorable(afterUndo[name]!), name).toEqual(restorable(beforeRollback[name]!));
      expect(afterUndo[name]!.history.length, name).toBe(beforeRollback[name]!.history.length + 2);
    }
    expect(await readAll(['o1', 'n1'])).toEqual(others);

    const listed = ok(
      await server.gql<{ snapshots: Snapshot[] }>(writer.apiKey, `query($w: ID) { snapshots(workflowId: $w) { ${SNAPSHOT} } }`, {
        w: workflow(),
      }),
    ).snapshots;
    expect(listed.map((s) => s.id)).toEqual([undo.undoSnapshot.id, result.undoSnapshot.id, snapshot.id]);
  }, 180_000); // about 30 sequential writes and reads: slow on a loaded 2-core machine

  it('restores claim and position, so consensus weighs the findings as they were', async () => {
    const wf = id('claims');
    const CLAIM = 'query($id: ID!) { context(id: $id) { version claim position } }';
    const claimOf = async (name: string) =>
      ok(
        await server.gql<{ context: { version: number; claim: string | null; position: string | null } }>(server.adminKey, CLAIM, {
          id: id(name),
        }),
      ).context;
    await publish(server, writer.apiKey, {
      id: id('p1'),
      type: 'FINDING',
      text: 'Stock is enough for launch',
      workflowId: wf,
      claim: 'stock_ok',
      position: 'yes',
    });
    await publish(server, writer.apiKey, { id: id('p2'), type: 'FINDING', text: 'Shipping partner confirmed', workflowId: wf });
    const snapshot = ok(
      await server.gql<{ createSnapshot: Snapshot }>(server.adminKey, CREATE_SNAPSHOT, { label: 'claims', workflowId: wf }),
    ).createSnapshot;
    await update('p1', (await claimOf('p1')).version, { position: 'no' });
    await update('p2', (await claimOf('p2')).version, { claim: 'stock_ok', position: 'no' });
    expect(await claimOf('p1')).toMatchObject({ claim: 'stock_ok', position: 'no' });
    await rollback(snapshot.id, wf);
    expect(await claimOf('p1')).toMatchObject({ claim: 'stock_ok', position: 'yes' });
    expect(await claimOf('p2')).toMatchObject({ claim: null, position: null });
  }, 120_000);

  it('refuses agents (FORBIDDEN), unknown snapshots (NOT_FOUND) and another workflow than the snapshot’s', async () => {
    const snapshot = ok(
      await server.gql<{ createSnapshot: Snapshot }>(server.adminKey, CREATE_SNAPSHOT, { label: 'guarded', workflowId: id('guarded') }),
    ).createSnapshot;
    failed(await server.gql(writer.apiKey, ROLLBACK, { snapshotId: snapshot.id }), 'FORBIDDEN');
    const missing = failed(await server.gql(server.adminKey, ROLLBACK, { snapshotId: 'snap-nope' }), 'NOT_FOUND');
    expect(missing.extensions['ids']).toEqual(['snap-nope']);
    failed(await server.gql(server.adminKey, ROLLBACK, { snapshotId: snapshot.id, workflowId: id('elsewhere') }), 'BAD_USER_INPUT');
  });
});
