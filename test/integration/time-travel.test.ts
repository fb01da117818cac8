import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/harness.js';
import { failed, ok, publish, RETRACT, UPDATE } from './support.js';

/**
 * The "Done when": answers captured at several points while writing are reproduced exactly, later,
 * by the same queries with `asOf` = the seq of each point. Filtered to this file's agents, so other test
 * files writing at the same time change nothing here.
 */
describe('asOf reproduces past answers of contexts, dependencyGraph and context', () => {
  let server: TestServer;
  let writer: { id: string; apiKey: string };
  let reader: { id: string; apiKey: string };
  let insider: { id: string; apiKey: string };
  const id = (name: string) => `${server.ns}-${name}`;

  const NODE = `id type text tags priority status version tokens seq updatedAt retractionReason visibleTo
    metadata { confidence dependencies expiration } relevance { agent { id } score explicit }`;
  const PAGE = `edges { cursor node { ${NODE} } } pageInfo { hasNextPage endCursor }
    leftOut { retracted superseded expired noLongerValid notYetValid }`;
  const ASK = `query($all: ContextFilter, $active: ContextFilter, $tagged: ContextFilter, $after: String, $roots: [ID!]!,
      $o1: ID!, $f1: ID!, $asOf: Int) {
    all: contexts(filter: $all, first: 50, asOf: $asOf) { ${PAGE} }
    active: contexts(filter: $active, first: 2, asOf: $asOf) { ${PAGE} }
    next: contexts(filter: $active, first: 2, after: $after, asOf: $asOf) { ${PAGE} }
    tagged: contexts(filter: $tagged, first: 50, asOf: $asOf) { edges { node { id version tags } } }
    graph: dependencyGraph(rootIds: $roots, depth: 3, asOf: $asOf) { nodes { id version text status visibleTo } edges { from to } }
    up: dependencyGraph(rootIds: $roots, depth: 2, direction: INCOMING, asOf: $asOf) { nodes { id version } edges { from to } }
    o1: context(id: $o1, asOf: $asOf) { ...Deep }
    f1: context(id: $f1, asOf: $asOf) { ...Deep }
  }
  fragment Deep on ContextObject {
    ${NODE}
    dependencies(depth: 2) { id version text status metadata { dependencies } }
    dependents(depth: 2) { id version status }
    history { version seq at changedBy text tags status confidence dependencies expiration visibleTo }
    supersedes { id version } supersededBy { id version }
  }`;

  interface Point {
    seq: number;
    answers: Record<string, Record<string, unknown>>;
  }
  const points: Point[] = [];

  const variables = () => {
    const mine = [writer.id];
    return {
      all: { sourceAgentIds: mine, statuses: ['ACTIVE', 'EXPIRED', 'SUPERSEDED', 'RETRACTED'] },
      active: { sourceAgentIds: mine },
      tagged: { sourceAgentIds: mine, tags: ['zq-alpha'], statuses: ['ACTIVE', 'EXPIRED', 'SUPERSEDED', 'RETRACTED'] },
      roots: [id('o1'), id('f3')],
      o1: id('o1'),
      f1: id('f1'),
    };
  };
  /** Two queries so `next` can follow the cursor the first page returned. */
  const ask = async (key: string, asOf: number | null) => {
    const first = ok(
      await server.gql<{ active: { pageInfo: { endCursor: string | null } } }>(key, ASK, { ...variables(), asOf, after: null }),
    );
    const after = first.active.pageInfo.endCursor;
    return ok(await server.gql<Record<string, unknown>>(key, ASK, { ...variables(), asOf, after }));
  };
  const position = async () =>
    ok(await server.gql<{ seqAt: number }>(writer.apiKey, `query($t: DateTime!) { seqAt(time: $t) }`, { t: new Date().toISOString() }))
      .seqAt;
  /** The seq of this point (our own last write is at or before it; nothing of ours comes after it until the next write). */
  const capture = async () => {
    const seq = await position();
    const answers: Point['answers'] = {};
    for (const [name, key] of [
      ['reader', reader.apiKey],
      ['admin', server.adminKey],
    ] as const)
      answers[name] = await ask(key, null);
    points.push({ seq, answers });
    return answers;
  };

  const update = async (contextId: string, expected: number, patch: Record<string, unknown>) =>
    ok(await server.gql(writer.apiKey, UPDATE, { id: contextId, v: expected, patch }));
  const retract = async (contextId: string) => ok(await server.gql(writer.apiKey, RETRACT, { id: contextId, reason: 'wrong' }));
  const finding = (name: string, text: string, extra: Record<string, unknown> = {}) =>
    publish(server, writer.apiKey, { id: id(name), type: 'FINDING', text, ...extra });

  beforeAll(async () => {
    server = await startTestServer();
    writer = await server.registerAgent({ id: `${server.ns}-writer` });
    reader = await server.registerAgent({ id: `${server.ns}-reader` });
    insider = await server.registerAgent({ id: `${server.ns}-insider` });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('captures answers while writing', async () => {
    await finding('f1', 'zq quartz heron measured 12', { tags: ['zq-alpha'], relevance: [{ agentId: reader.id, score: 0.7 }] });
    await finding('f2', 'zq restricted basalt note', { visibleTo: [insider.id] });
    await finding('f3', 'zq obsidian lemur figure');
    await publish(server, writer.apiKey, { id: id('o1'), type: 'OUTPUT', text: 'zq draft output', dependencies: [id('f1'), id('f2')] });
    const first = await capture();
    expect((first['reader']?.['o1'] as { metadata: { dependencies: string[] } }).metadata.dependencies).toEqual([id('f1')]);

    // Text, tags, relevance, visibility and dependencies change.
    await update(id('f1'), 1, { text: 'zq quartz heron measured 14', tags: ['zq-beta'], relevance: [{ agentId: reader.id, score: 0.4 }] });
    await update(id('f2'), 1, { visibleTo: null, text: 'zq basalt note, now public' });
    await update(id('o1'), 1, { dependencies: [id('f2'), id('f3')], priority: 'CRITICAL' });
    await capture();

    // Supersession and retraction.
    await finding('f4', 'zq obsidian lemur figure, corrected', { supersedes: [id('f3')], dependencies: [id('f1')] });
    await retract(id('f2'));
    await update(id('f1'), 2, { tags: ['zq-alpha', 'zq-beta'] });
    await capture();

    // Expiry: one point while it is live, one after it expired (a later write dates that point after the expiry).
    const expiresAt = new Date(Date.now() + 8000).toISOString();
    await finding('e1', 'zq short-lived gecko', { expiration: expiresAt, dependencies: [id('f1')] });
    const live = await capture();
    expect(JSON.stringify(live['admin'])).toContain(id('e1'));
    expect(new Date().toISOString() < expiresAt, 'the live capture must finish before the expiry').toBe(true);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, Date.parse(expiresAt) - Date.now() + 200)));
    await finding('x1', 'zq filler after the expiry');
    const expired = await capture();
    const all = expired['admin']?.['all'] as { edges: { node: { id: string; status: string } }[] };
    expect(all.edges.find((e) => e.node.id === id('e1'))?.node.status).toBe('EXPIRED');
  });

  it('answers each captured query exactly with asOf = the seq of its point, after more writes', async () => {
    // Keep writing: every one of these would change a current answer.
    await update(id('f1'), 3, {
      text: 'zq quartz heron measured 99',
      visibleTo: [insider.id],
      relevance: [{ agentId: reader.id, score: 0.9 }],
    });
    await update(id('o1'), 2, { dependencies: [id('f4')] });
    await retract(id('o1'));
    await finding('late', 'zq published after every point', { dependencies: [id('f4')] });

    expect(points).toHaveLength(5);
    for (const point of points) {
      for (const [name, key] of [
        ['reader', reader.apiKey],
        ['admin', server.adminKey],
      ] as const) {
        const now = await ask(key, null);
        expect(now, 'the writes since changed the current answer').not.toEqual(point.answers[name]);
        expect(await ask(key, point.seq), `${name} as of ${point.seq}`).toEqual(point.answers[name]);
      }
    }
  });

  it('maps times to seqs and refuses an asOf after the current position', async () => {
    expect(ok(await server.gql<{ seqAt: number }>(reader.apiKey, `{ seqAt(time: "2000-01-01T00:00:00Z") }`)).seqAt).toBe(0);
    const now = await position();
    expect(now).toBeGreaterThanOrEqual(points.at(-1)?.seq ?? 0);
    const ahead = now + 1_000_000;
    const error = failed(
      await server.gql(reader.apiKey, `query($a: Int) { contexts(asOf: $a) { edges { cursor } } }`, { a: ahead }),
      'BAD_USER_INPUT',
    );
    expect(error.message).toMatch(/current position \d+/);
    failed(await server.gql(reader.apiKey, `{ contexts(asOf: -1) { edges { cursor } } }`), 'BAD_USER_INPUT');
  });
});
