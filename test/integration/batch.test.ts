import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/harness.js';
import { failed, finding, getContext, listAllIds, ok, publish, publishMany, PUBLISH_MANY } from './support.js';

describe('publishContexts (batch)', () => {
  let server: TestServer;
  let agent: { id: string; apiKey: string };
  const id = (name: string) => `${server.ns}-${name}`;
  const mine = () => ({ sourceAgentIds: [agent.id], statuses: ['ACTIVE', 'RETRACTED', 'SUPERSEDED', 'EXPIRED'] });

  beforeAll(async () => {
    server = await startTestServer();
    agent = await server.registerAgent({ id: `${server.ns}-batcher` });
  });
  afterAll(async () => {
    await server?.stop();
  });

  async function expectNoneStored(ids: string[]) {
    for (const contextId of ids) expect(await getContext(server, server.adminKey, contextId)).toBeNull();
    const listed = await listAllIds(server, server.adminKey, mine());
    for (const contextId of ids) expect(listed).not.toContain(contextId);
  }

  it('stores none of the batch when its 3rd item depends on a missing id (NOT_FOUND)', async () => {
    const ids = [id('nf-1'), id('nf-2'), id('nf-3'), id('nf-4')];
    const before = await listAllIds(server, server.adminKey, mine());
    const response = await server.gql(agent.apiKey, PUBLISH_MANY, {
      inputs: [
        finding('one', { id: ids[0] }),
        finding('two', { id: ids[1], dependencies: [ids[0]] }),
        finding('three', { id: ids[2], dependencies: [id('nf-missing')] }),
        finding('four', { id: ids[3] }),
      ],
    });
    expect(failed(response, 'NOT_FOUND').extensions['ids']).toEqual([id('nf-missing')]);
    await expectNoneStored(ids);
    expect(await listAllIds(server, server.adminKey, mine())).toEqual(before);
  });

  it('stores none of the batch when items form a dependency cycle (DEPENDENCY_CYCLE with the cycle)', async () => {
    const ids = [id('cy-1'), id('cy-2'), id('cy-3')];
    const response = await server.gql(agent.apiKey, PUBLISH_MANY, {
      inputs: [
        finding('one', { id: ids[0], dependencies: [ids[2]] }),
        finding('two', { id: ids[1], dependencies: [ids[0]] }),
        finding('three', { id: ids[2], dependencies: [ids[1]] }),
      ],
    });
    const cycle = failed(response, 'DEPENDENCY_CYCLE').extensions['cycle'] as string[];
    expect(Array.isArray(cycle)).toBe(true);
    // A closed walk: starts and ends on the same id and visits all three.
    expect(cycle[0]).toBe(cycle.at(-1));
    expect(new Set(cycle)).toEqual(new Set(ids));
    await expectNoneStored(ids);
  });

  it('stores none of the batch when one item depends on itself', async () => {
    const ids = [id('self-1'), id('self-2')];
    const response = await server.gql(agent.apiKey, PUBLISH_MANY, {
      inputs: [finding('one', { id: ids[0] }), finding('two', { id: ids[1], dependencies: [ids[1]] })],
    });
    failed(response, 'DEPENDENCY_CYCLE');
    await expectNoneStored(ids);
  });

  it('creates every item of a valid batch whose items depend on earlier items, with the edges', async () => {
    const ids = [id('fw-1'), id('fw-2'), id('fw-3')];
    const created = await publishMany(server, agent.apiKey, [
      finding('root', { id: ids[0] }),
      finding('mid', { id: ids[1], dependencies: [ids[0]] }),
      finding('leaf', { id: ids[2], dependencies: [ids[1], ids[0]] }),
    ]);
    expect(created.map((c) => c.id)).toEqual(ids);
    expect(created[1]?.metadata.dependencies).toEqual([ids[0]]);
    expect([...(created[2]?.metadata.dependencies ?? [])].sort()).toEqual([ids[0], ids[1]].sort());
    const response = await server.gql<{ context: { dependents: { id: string }[] } }>(
      agent.apiKey,
      'query($id: ID!) { context(id: $id) { dependents { id } } }',
      { id: ids[0] },
    );
    expect(
      ok(response)
        .context.dependents.map((c) => c.id)
        .sort(),
    ).toEqual([ids[1], ids[2]].sort());
  });

  it('creates every item of a valid batch whose items depend on later items, with the edges', async () => {
    const ids = [id('bw-1'), id('bw-2'), id('bw-3')];
    const created = await publishMany(server, agent.apiKey, [
      finding('leaf', { id: ids[0], dependencies: [ids[1]] }),
      finding('mid', { id: ids[1], dependencies: [ids[2]] }),
      finding('root', { id: ids[2] }),
    ]);
    expect(created.map((c) => c.id)).toEqual(ids);
    expect(created.map((c) => c.metadata.dependencies)).toEqual([[ids[1]], [ids[2]], []]);
    for (const contextId of ids) expect(await getContext(server, agent.apiKey, contextId)).not.toBeNull();
  });

  it('mixes dependencies on stored contexts and on batch items', async () => {
    const stored = await publish(server, agent.apiKey, finding('stored before', { id: id('mix-stored') }));
    const created = await publishMany(server, agent.apiKey, [
      finding('a', { id: id('mix-a'), dependencies: [stored.id] }),
      finding('b', { id: id('mix-b'), dependencies: [id('mix-a'), stored.id] }),
    ]);
    expect(created[0]?.metadata.dependencies).toEqual([stored.id]);
    expect([...(created[1]?.metadata.dependencies ?? [])].sort()).toEqual([id('mix-a'), stored.id].sort());
  });

  it('rejects the same id twice in one batch with BAD_USER_INPUT and stores nothing', async () => {
    const response = await server.gql(agent.apiKey, PUBLISH_MANY, {
      inputs: [finding('one', { id: id('twice') }), finding('two', { id: id('twice') })],
    });
    failed(response, 'BAD_USER_INPUT');
    await expectNoneStored([id('twice')]);
  });

  it('rejects a batch containing an id that already exists with ALREADY_EXISTS and stores none of it', async () => {
    await publish(server, agent.apiKey, finding('exists', { id: id('taken') }));
    const response = await server.gql(agent.apiKey, PUBLISH_MANY, {
      inputs: [finding('new', { id: id('taken-new') }), finding('clash', { id: id('taken') })],
    });
    expect(failed(response, 'ALREADY_EXISTS').extensions['ids']).toEqual([id('taken')]);
    await expectNoneStored([id('taken-new')]);
    expect((await getContext(server, agent.apiKey, id('taken')))?.text).toBe('exists');
  });

  it('rejects an empty batch with BAD_USER_INPUT', async () => {
    failed(await server.gql(agent.apiKey, PUBLISH_MANY, { inputs: [] }), 'BAD_USER_INPUT');
  });

  it('gives the contexts of one batch consecutive, increasing seq in input order', async () => {
    const created = await publishMany(
      server,
      agent.apiKey,
      Array.from({ length: 7 }, (_, index) => finding(`seq ${index}`, { id: id(`seq-${index}`) })),
    );
    const seqs = created.map((c) => c.seq);
    for (let index = 1; index < seqs.length; index += 1) expect(seqs[index]).toBe((seqs[0] ?? 0) + index);
    // A later publication gets a larger seq.
    const later = await publish(server, agent.apiKey, finding('after the batch'));
    expect(later.seq).toBeGreaterThan(seqs.at(-1) ?? Infinity);
  });

  it('keeps batches published concurrently in disjoint, consecutive seq ranges', async () => {
    const batches = await Promise.all(
      Array.from({ length: 5 }, (_, batch) =>
        publishMany(
          server,
          agent.apiKey,
          Array.from({ length: 4 }, (_, index) => finding(`concurrent ${batch}.${index}`, { id: id(`cseq-${batch}-${index}`) })),
        ),
      ),
    );
    const all: number[] = [];
    for (const created of batches) {
      const seqs = created.map((c) => c.seq);
      for (let index = 1; index < seqs.length; index += 1) expect(seqs[index]).toBe((seqs[0] ?? 0) + index);
      all.push(...seqs);
    }
    expect(new Set(all).size).toBe(all.length);
  });
});
