import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/harness.js';
import { finding, ok, publish, UPDATE, type Ctx } from './support.js';

/** Each version is read by its own visibility: widening a context later must not expose what it said while restricted. */
describe('history and asOf apply each version its own visibility', () => {
  let server: TestServer;
  let source: { id: string; apiKey: string };
  let a: { id: string; apiKey: string };
  let b: { id: string; apiKey: string };
  const id = (name: string) => `${server.ns}-${name}`;

  const READ = `query($id: ID!, $asOf: Int) {
    context(id: $id, asOf: $asOf) { version text visibleTo history { version text visibleTo } } }`;
  interface Read {
    context: {
      version: number;
      text: string;
      visibleTo: string[] | null;
      history: { version: number; text: string; visibleTo: string[] | null }[];
    } | null;
  }
  const read = async (key: string, contextId: string, asOf?: number) =>
    ok(await server.gql<Read>(key, READ, { id: contextId, asOf: asOf ?? null })).context;
  const update = async (contextId: string, expected: number, patch: Record<string, unknown>) =>
    ok(await server.gql<{ updateContext: Ctx }>(source.apiKey, UPDATE, { id: contextId, v: expected, patch })).updateContext;

  beforeAll(async () => {
    server = await startTestServer();
    source = await server.registerAgent({ id: `${server.ns}-source` });
    a = await server.registerAgent({ id: `${server.ns}-a` });
    b = await server.registerAgent({ id: `${server.ns}-b` });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('widening: B reads the public version but neither the restricted draft in history nor through asOf', async () => {
    const draft = await publish(server, source.apiKey, finding('draft for internal eyes only', { id: id('widen'), visibleTo: [a.id] }));
    await update(id('widen'), 1, { visibleTo: null, text: 'public statement' });

    const seenByB = await read(b.apiKey, id('widen'));
    expect(seenByB?.text).toBe('public statement');
    expect(seenByB?.history.map((v) => v.version)).toEqual([2]);
    expect(JSON.stringify(seenByB)).not.toContain('internal eyes');
    expect(await read(b.apiKey, id('widen'), draft.seq)).toBeNull();

    // Those the draft was shared with, its source and admins still see all of it.
    for (const key of [a.apiKey, source.apiKey, server.adminKey]) {
      const full = await read(key, id('widen'));
      expect(full?.history.map((v) => [v.version, v.text, v.visibleTo])).toEqual([
        [2, 'public statement', null],
        [1, 'draft for internal eyes only', [a.id]],
      ]);
      expect((await read(key, id('widen'), draft.seq))?.text).toBe('draft for internal eyes only');
    }
  });

  it('narrowing: B keeps the old public version in history and asOf, but not the restricted one', async () => {
    const open = await publish(server, source.apiKey, finding('announced to all', { id: id('narrow') }));
    await update(id('narrow'), 1, { visibleTo: [a.id], text: 'now only for A' });

    expect(await read(b.apiKey, id('narrow'))).toBeNull();
    const past = await read(b.apiKey, id('narrow'), open.seq);
    expect(past).toMatchObject({ version: 1, text: 'announced to all', visibleTo: null });
    expect(past?.history.map((v) => v.text)).toEqual(['announced to all']);
    expect((await read(a.apiKey, id('narrow')))?.history.map((v) => v.version)).toEqual([2, 1]);
  });
});
