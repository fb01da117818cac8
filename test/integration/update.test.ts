import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type GraphQLResponse, type TestServer } from '../support/harness.js';
import { failed, finding, getContext, getWithHistory, ok, publish, RETRACT, UPDATE, type Ctx } from './support.js';

describe('updateContext and retractContext', () => {
  let server: TestServer;
  let owner: { id: string; apiKey: string };
  let other: { id: string; apiKey: string };
  const id = (name: string) => `${server.ns}-${name}`;

  const update = (key: string, contextId: string, expected: number, patch: Record<string, unknown>, idempotencyKey?: string) =>
    server.gql<{ updateContext: Ctx }>(key, UPDATE, { id: contextId, v: expected, patch, key: idempotencyKey ?? null });
  const retract = (key: string, contextId: string, reason: string) =>
    server.gql<{ retractContext: Ctx }>(key, RETRACT, { id: contextId, reason });

  beforeAll(async () => {
    server = await startTestServer();
    owner = await server.registerAgent({ id: `${server.ns}-owner` });
    other = await server.registerAgent({ id: `${server.ns}-other` });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('creates version 2 and keeps version 1 in history (newest first) with the old values', async () => {
    const v1 = await publish(server, owner.apiKey, finding('original text', { id: id('upd'), content: { n: 1 }, tags: ['old'] }));
    const v2 = ok(await update(owner.apiKey, id('upd'), 1, { text: 'revised text', content: { n: 2 }, tags: ['new'] })).updateContext;
    expect(v2).toMatchObject({ id: id('upd'), version: 2, text: 'revised text', content: { n: 2 }, tags: ['new'], status: 'ACTIVE' });
    // The publication identity does not move with an update.
    expect(v2.seq).toBe(v1.seq);
    expect(v2.metadata.timestamp).toBe(v1.metadata.timestamp);

    const read = await getWithHistory(server, owner.apiKey, id('upd'));
    expect(read?.history.map((h) => h.version)).toEqual([2, 1]);
    expect(read?.history[0]).toMatchObject({ version: 2, text: 'revised text', content: { n: 2 }, tags: ['new'], changedBy: owner.id });
    expect(read?.history[1]).toMatchObject({
      version: 1,
      text: 'original text',
      content: { n: 1 },
      tags: ['old'],
      changedBy: owner.id,
      seq: v1.seq,
    });
    expect(read?.history[0]?.seq).toBeGreaterThan(v1.seq);
  });

  it('returns the values of version 1 for context(id, asOf: seq of v1)', async () => {
    const v1 = await publish(server, owner.apiKey, finding('as of one', { id: id('asof'), content: { n: 1 }, priority: 'ROUTINE' }));
    ok(await update(owner.apiKey, id('asof'), 1, { text: 'as of two', content: { n: 2 }, priority: 'CRITICAL' }));
    const old = await getContext(server, owner.apiKey, id('asof'), v1.seq);
    expect(old).toMatchObject({ version: 1, text: 'as of one', content: { n: 1 }, priority: 'ROUTINE', tokens: v1.tokens });
    const current = await getContext(server, owner.apiKey, id('asof'));
    expect(current).toMatchObject({ version: 2, text: 'as of two', content: { n: 2 }, priority: 'CRITICAL' });
    // Before the publication there is nothing.
    expect(await getContext(server, owner.apiKey, id('asof'), v1.seq - 1)).toBeNull();
  });

  it('reports the dependencies of the old version for context(id, asOf)', async () => {
    await publish(server, owner.apiKey, finding('dep x', { id: id('asof-x') }));
    await publish(server, owner.apiKey, finding('dep y', { id: id('asof-y') }));
    const v1 = await publish(server, owner.apiKey, finding('moves deps', { id: id('asof-deps'), dependencies: [id('asof-x')] }));
    ok(await update(owner.apiKey, id('asof-deps'), 1, { dependencies: [id('asof-y')] }));
    const old = await getContext(server, owner.apiKey, id('asof-deps'), v1.seq);
    expect(old?.version).toBe(1);
    expect(old?.metadata.dependencies).toEqual([id('asof-x')]);
  });

  it('shows no retraction on an ACTIVE version read with asOf after the context was retracted', async () => {
    const v1 = await publish(server, owner.apiKey, finding('later retracted', { id: id('asof-ret') }));
    ok(await retract(owner.apiKey, id('asof-ret'), 'obsolete'));
    const old = await getContext(server, owner.apiKey, id('asof-ret'), v1.seq);
    expect(old).toMatchObject({ version: 1, status: 'ACTIVE', retractionReason: null });
  });

  it('rejects a stale expectedVersion with VERSION_CONFLICT carrying actualVersion, changing nothing', async () => {
    await publish(server, owner.apiKey, finding('v1', { id: id('stale') }));
    ok(await update(owner.apiKey, id('stale'), 1, { text: 'v2' }));
    const error = failed(await update(owner.apiKey, id('stale'), 1, { text: 'lost write' }), 'VERSION_CONFLICT');
    expect(error.extensions).toMatchObject({ actualVersion: 2, expectedVersion: 1, contextId: id('stale') });
    const read = await getWithHistory(server, owner.apiKey, id('stale'));
    expect(read).toMatchObject({ version: 2, text: 'v2' });
    expect(read?.history.map((h) => h.version)).toEqual([2, 1]);
    // An expectedVersion from the future conflicts as well.
    expect(failed(await update(owner.apiKey, id('stale'), 3, { text: 'future' }), 'VERSION_CONFLICT').extensions['actualVersion']).toBe(2);
  });

  it('rejects an update that would close a dependency cycle (a→b, then b→a) and changes nothing', async () => {
    await publish(server, owner.apiKey, finding('b', { id: id('cyc-b') }));
    await publish(server, owner.apiKey, finding('a', { id: id('cyc-a'), dependencies: [id('cyc-b')] }));
    const error = failed(
      await update(owner.apiKey, id('cyc-b'), 1, { dependencies: [id('cyc-a')], text: 'b changed' }),
      'DEPENDENCY_CYCLE',
    );
    const cycle = error.extensions['cycle'] as string[];
    expect(cycle).toContain(id('cyc-a'));
    expect(cycle).toContain(id('cyc-b'));
    const b = await getWithHistory(server, owner.apiKey, id('cyc-b'));
    expect(b).toMatchObject({ version: 1, text: 'b', metadata: { dependencies: [] } });
    expect(b?.history).toHaveLength(1);
  });

  it('rejects a longer cycle through stored contexts (c→b→a, then a→c)', async () => {
    await publish(server, owner.apiKey, finding('a', { id: id('lc-a') }));
    await publish(server, owner.apiKey, finding('b', { id: id('lc-b'), dependencies: [id('lc-a')] }));
    await publish(server, owner.apiKey, finding('c', { id: id('lc-c'), dependencies: [id('lc-b')] }));
    failed(await update(owner.apiKey, id('lc-a'), 1, { dependencies: [id('lc-c')] }), 'DEPENDENCY_CYCLE');
    expect((await getContext(server, owner.apiKey, id('lc-a')))?.metadata.dependencies).toEqual([]);
  });

  it('rejects a self-dependency with DEPENDENCY_CYCLE', async () => {
    await publish(server, owner.apiKey, finding('self', { id: id('self') }));
    failed(await update(owner.apiKey, id('self'), 1, { dependencies: [id('self')] }), 'DEPENDENCY_CYCLE');
    expect(await getContext(server, owner.apiKey, id('self'))).toMatchObject({ version: 1, metadata: { dependencies: [] } });
  });

  it('replaces dependencies on update and records them in the new version', async () => {
    await publish(server, owner.apiKey, finding('p', { id: id('rep-p') }));
    await publish(server, owner.apiKey, finding('q', { id: id('rep-q') }));
    await publish(server, owner.apiKey, finding('r', { id: id('rep-r'), dependencies: [id('rep-p')] }));
    const updated = ok(await update(owner.apiKey, id('rep-r'), 1, { dependencies: [id('rep-q')] })).updateContext;
    expect(updated.metadata.dependencies).toEqual([id('rep-q')]);
    const read = await getWithHistory(server, owner.apiKey, id('rep-r'));
    expect(read?.history.map((h) => h.dependencies)).toEqual([[id('rep-q')], [id('rep-p')]]);
  });

  it('forbids another agent from updating or retracting a context, changing nothing', async () => {
    await publish(server, owner.apiKey, finding('mine', { id: id('forbid') }));
    failed(await update(other.apiKey, id('forbid'), 1, { text: 'hijacked' }), 'FORBIDDEN');
    failed(await retract(other.apiKey, id('forbid'), 'not yours'), 'FORBIDDEN');
    expect(await getContext(server, owner.apiKey, id('forbid'))).toMatchObject({ version: 1, text: 'mine', status: 'ACTIVE' });
  });

  it('lets the admin update any context and records admin as changedBy', async () => {
    await publish(server, owner.apiKey, finding('owned', { id: id('admin-upd') }));
    const updated = ok(await update(server.adminKey, id('admin-upd'), 1, { text: 'by admin' })).updateContext;
    expect(updated).toMatchObject({ version: 2, text: 'by admin', metadata: { sourceAgent: { id: owner.id } } });
    expect((await getWithHistory(server, owner.apiKey, id('admin-upd')))?.history[0]?.changedBy).toBe('admin');
  });

  it('answers NOT_FOUND for updating a context that does not exist', async () => {
    failed(await update(owner.apiKey, id('nope'), 1, { text: 'x' }), 'NOT_FOUND');
  });

  it('rejects an empty patch with BAD_USER_INPUT', async () => {
    await publish(server, owner.apiKey, finding('x', { id: id('empty-patch') }));
    failed(await update(owner.apiKey, id('empty-patch'), 1, {}), 'BAD_USER_INPUT');
    expect((await getContext(server, owner.apiKey, id('empty-patch')))?.version).toBe(1);
  });

  it('retracts: status RETRACTED, reason stored, version+1, history kept; retracting again changes nothing', async () => {
    await publish(server, owner.apiKey, finding('to retract', { id: id('retract') }));
    const retracted = ok(await retract(owner.apiKey, id('retract'), 'turned out wrong')).retractContext;
    expect(retracted).toMatchObject({ status: 'RETRACTED', retractionReason: 'turned out wrong', version: 2, text: 'to retract' });
    const read = await getWithHistory(server, owner.apiKey, id('retract'));
    expect(read?.history.map((h) => [h.version, h.status])).toEqual([
      [2, 'RETRACTED'],
      [1, 'ACTIVE'],
    ]);

    const again = ok(await retract(owner.apiKey, id('retract'), 'a different reason')).retractContext;
    expect(again).toMatchObject({ status: 'RETRACTED', version: 2, retractionReason: 'turned out wrong' });
    expect((await getWithHistory(server, owner.apiKey, id('retract')))?.history).toHaveLength(2);
  });

  it('rejects updating a retracted context with BAD_USER_INPUT', async () => {
    await publish(server, owner.apiKey, finding('dead', { id: id('dead') }));
    ok(await retract(owner.apiKey, id('dead'), 'obsolete'));
    failed(await update(owner.apiKey, id('dead'), 2, { text: 'revive' }), 'BAD_USER_INPUT');
    expect(await getContext(server, owner.apiKey, id('dead'))).toMatchObject({ version: 2, status: 'RETRACTED', text: 'dead' });
  });

  it('loses no update under 20 concurrent optimistic updaters (version = 1 + successes, counter = successes)', async () => {
    const contextId = id('race');
    await publish(server, owner.apiKey, finding('counter', { id: contextId, content: { n: 0, tags: [] } }));
    const updaters = 20;
    const perUpdater = 2;

    const worker = async (worker: number): Promise<number> => {
      let successes = 0;
      for (let round = 0; round < perUpdater; round += 1) {
        for (let attempt = 0; ; attempt += 1) {
          if (attempt > 500) throw new Error(`worker ${worker} starved`);
          const current = await getContext(server, owner.apiKey, contextId);
          if (!current) throw new Error('context vanished');
          const content = current.content as { n: number; tags: string[] };
          const response: GraphQLResponse<{ updateContext: Ctx }> = await update(owner.apiKey, contextId, current.version, {
            content: { n: content.n + 1, tags: [...content.tags, `w${worker}r${round}`] },
          });
          if (response.errors) {
            expect(response.errors[0]?.extensions?.code, JSON.stringify(response.errors)).toBe('VERSION_CONFLICT');
            continue;
          }
          successes += 1;
          break;
        }
      }
      return successes;
    };

    const results = await Promise.all(Array.from({ length: updaters }, (_, index) => worker(index)));
    const successes = results.reduce((sum, n) => sum + n, 0);
    expect(successes).toBe(updaters * perUpdater);

    const final = await getWithHistory(server, owner.apiKey, contextId);
    const content = final?.content as { n: number; tags: string[] };
    expect(final?.version).toBe(1 + successes);
    expect(content.n).toBe(successes);
    expect(new Set(content.tags).size).toBe(successes);
    const versions = final?.history.map((h) => h.version) ?? [];
    expect(versions).toHaveLength(1 + successes);
    expect(new Set(versions).size).toBe(versions.length);
    expect(versions).toEqual(Array.from({ length: 1 + successes }, (_, index) => 1 + successes - index));
    // Each version's counter is its version minus one: every write saw the previous one.
    for (const h of final?.history ?? []) expect((h.content as { n: number }).n).toBe(h.version - 1);
  });
});
