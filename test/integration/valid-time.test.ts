import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/harness.js';
import { JUDGED_AT, VALIDITY_CASES } from '../support/valid-time-cases.js';
import { failed, ok, publish, RETRACT, UPDATE } from './support.js';

/** Valid time (validFrom / validUntil) beside recorded time: reads default to what is valid now, and say what they left out. */
describe('valid time', () => {
  let server: TestServer;
  let author: { id: string; apiKey: string };
  let reader: { id: string; apiKey: string };
  const id = (name: string) => `${server.ns}-${name}`;
  const DAY = 24 * 3600 * 1000;
  const at = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();
  const tomorrow = () => at(DAY);
  // A word no other test file publishes, so searches and routing find only these contexts.
  const WORD = 'zorblaxite';

  const PAGE = `query($filter: ContextFilter, $validAt: DateTime, $first: Int) {
    contexts(filter: $filter, validAt: $validAt, first: $first) {
      edges { node { id validFrom validUntil } }
      leftOut { retracted superseded expired noLongerValid notYetValid } } }`;
  type Page = {
    contexts: {
      edges: { node: { id: string; validFrom: string | null; validUntil: string | null } }[];
      leftOut: { retracted: number; superseded: number; expired: number; noLongerValid: number; notYetValid: number };
    };
  };
  const page = async (agentId: string, validAt?: string, statuses?: string[]) =>
    ok(await server.gql<Page>(author.apiKey, PAGE, { filter: { sourceAgentIds: [agentId], statuses }, validAt, first: 100 })).contexts;
  const pageIds = async (agentId: string, validAt?: string) => (await page(agentId, validAt)).edges.map((e) => e.node.id).sort();

  const ROUTE = `query($agentId: ID!, $task: String!, $validAt: DateTime) {
    contextFor(agentId: $agentId, task: $task, budget: 4000, validAt: $validAt) { items { context { id } } dropped { contextId } } }`;
  const routed = async (validAt?: string) => {
    const data = ok(
      await server.gql<{ contextFor: { items: { context: { id: string } }[]; dropped: { contextId: string }[] } }>(reader.apiKey, ROUTE, {
        agentId: reader.id,
        task: `What do we know about ${WORD}?`,
        validAt,
      }),
    ).contextFor;
    return [...data.items.map((item) => item.context.id), ...data.dropped.map((d) => d.contextId)];
  };
  const SEARCH = `query($q: String!, $validAt: DateTime) { searchContext(query: $q, limit: 50, validAt: $validAt) { context { id } } }`;
  const searched = async (validAt?: string) =>
    ok(
      await server.gql<{ searchContext: { context: { id: string } }[] }>(reader.apiKey, SEARCH, { q: `${WORD} deposits`, validAt }),
    ).searchContext.map((hit) => hit.context.id);

  beforeAll(async () => {
    server = await startTestServer();
    author = await server.registerAgent({ id: `${server.ns}-author` });
    reader = await server.registerAgent({ id: `${server.ns}-reader`, relevanceThreshold: 0 });
    await publish(server, author.apiKey, { id: id('now'), type: 'FINDING', text: `${WORD} deposits are mined in the north.` });
    await publish(server, author.apiKey, {
      id: id('future'),
      type: 'FINDING',
      text: `${WORD} deposits will be mined in the south from tomorrow.`,
      validFrom: tomorrow(),
    });
    await publish(server, author.apiKey, {
      id: id('past'),
      type: 'FINDING',
      text: `${WORD} deposits were mined in the east until yesterday.`,
      validFrom: at(-10 * DAY),
      validUntil: at(-DAY),
      dependencies: [],
    });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('stores and returns the interval, and refuses an empty one with the field path', async () => {
    const [future] = (await page(author.id, tomorrow())).edges.filter((e) => e.node.id === id('future'));
    expect(future?.node.validFrom).toMatch(/Z$/);
    expect(future?.node.validUntil).toBeNull();
    const start = at(DAY);
    const empty = await server.gql(author.apiKey, 'mutation($input: PublishContextInput!) { publishContext(input: $input) { id } }', {
      input: { type: 'FINDING', text: 'empty', validFrom: start, validUntil: start },
    });
    expect(failed(empty, 'BAD_USER_INPUT').extensions['issues']).toEqual([
      { path: ['input', 'validUntil'], message: 'must be after validFrom' },
    ]);
    // A patch is checked against the stored other end.
    const patched = await server.gql(author.apiKey, UPDATE, { id: id('past'), v: 1, patch: { validFrom: at(0) } });
    expect(failed(patched, 'BAD_USER_INPUT').extensions['issues']).toEqual([
      { path: ['patch', 'validFrom'], message: 'must be before validUntil' },
    ]);
  });

  it('leaves out of contexts what is not valid now, and counts it; validAt moves the judgement', async () => {
    const now = await page(author.id);
    expect(now.edges.map((e) => e.node.id)).toEqual([id('now')]);
    expect(now.leftOut).toEqual({ retracted: 0, superseded: 0, expired: 0, noLongerValid: 1, notYetValid: 1 });
    expect(await pageIds(author.id, at(DAY + 3600_000))).toEqual([id('future'), id('now')].sort());
    expect(await pageIds(author.id, at(-2 * DAY))).toEqual([id('now'), id('past')].sort());
  });

  it('routes and searches only what is valid, unless asked about another time', async () => {
    const routedNow = await routed();
    expect(routedNow).toContain(id('now'));
    expect(routedNow).not.toContain(id('future'));
    expect(routedNow).not.toContain(id('past'));
    const routedTomorrow = await routed(at(DAY + 3600_000));
    expect(routedTomorrow).toContain(id('future'));
    expect(routedTomorrow).not.toContain(id('past'));

    const searchedNow = await searched();
    expect(searchedNow).toContain(id('now'));
    expect(searchedNow).not.toContain(id('future'));
    expect(searchedNow).not.toContain(id('past'));
    expect(await searched(at(DAY + 3600_000))).toContain(id('future'));
    expect(await searched(at(-2 * DAY))).toContain(id('past'));
  });

  it('does not serve a cached package past the end of validity of a context it holds', async () => {
    await publish(server, author.apiKey, {
      id: id('brief'),
      type: 'FINDING',
      text: 'quuxonium is stable for a moment.',
      validUntil: at(5000),
    });
    const ROUTE_BRIEF = `query($agentId: ID!) { contextFor(agentId: $agentId, task: "Is quuxonium stable?", budget: 4000) { cached items { context { id } } } }`;
    type Brief = { contextFor: { cached: boolean; items: { context: { id: string } }[] } };
    const first = ok(await server.gql<Brief>(reader.apiKey, ROUTE_BRIEF, { agentId: reader.id })).contextFor;
    expect(first.items.map((item) => item.context.id)).toContain(id('brief'));
    const second = ok(await server.gql<Brief>(reader.apiKey, ROUTE_BRIEF, { agentId: reader.id })).contextFor;
    expect(second.cached).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 5100));
    const after = ok(await server.gql<Brief>(reader.apiKey, ROUTE_BRIEF, { agentId: reader.id })).contextFor;
    expect(after.cached).toBe(false);
    expect(after.items.map((item) => item.context.id)).not.toContain(id('brief'));
  });

  it('does not serve a cached package past the start of validity of a context that could enter it', async () => {
    const ROUTE = `query($agentId: ID!) { contextFor(agentId: $agentId, task: "When does the zorblat pier open?", budget: 4000) { cached items { context { id } } } }`;
    type Routed = { contextFor: { cached: boolean; items: { context: { id: string } }[] } };
    const route = async () => ok(await server.gql<Routed>(reader.apiKey, ROUTE, { agentId: reader.id })).contextFor;
    // One published before the answer is computed, one after it was cached: each enters once its validFrom passes.
    const soon = Date.now() + 6_000;
    const later = soon + 6_000;
    await publish(server, author.apiKey, {
      id: id('pier-soon'),
      type: 'FINDING',
      text: 'The zorblat pier opens at dawn.',
      validFrom: new Date(soon).toISOString(),
    });
    const first = await route();
    expect(first.items.map((item) => item.context.id)).not.toContain(id('pier-soon'));
    expect((await route()).cached).toBe(true);
    await publish(server, author.apiKey, {
      id: id('pier-later'),
      type: 'FINDING',
      text: 'The zorblat pier opens at noon.',
      validFrom: new Date(later).toISOString(),
    });
    expect((await route()).cached).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, soon - Date.now()) + 100));
    const opened = await route();
    expect(opened.cached).toBe(false);
    expect(opened.items.map((item) => item.context.id)).toContain(id('pier-soon'));
    expect(opened.items.map((item) => item.context.id)).not.toContain(id('pier-later'));
    expect((await route()).cached).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, later - Date.now()) + 100));
    const both = await route();
    expect(both.cached).toBe(false);
    expect(both.items.map((item) => item.context.id)).toEqual(expect.arrayContaining([id('pier-soon'), id('pier-later')]));
  });

  it('leaves invalid nodes out of dependencyGraph', async () => {
    await publish(server, author.apiKey, {
      id: id('summary'),
      type: 'SUMMARY',
      text: 'Where the mines are.',
      dependencies: [id('now'), id('past')],
    });
    const GRAPH = `query($roots: [ID!]!, $validAt: DateTime) {
      dependencyGraph(rootIds: $roots, depth: 1, direction: OUTGOING, validAt: $validAt) { nodes { id } edges { from to } } }`;
    type Graph = { dependencyGraph: { nodes: { id: string }[]; edges: { from: string; to: string }[] } };
    const now = ok(await server.gql<Graph>(author.apiKey, GRAPH, { roots: [id('summary')] })).dependencyGraph;
    expect(now.nodes.map((n) => n.id).sort()).toEqual([id('now'), id('summary')].sort());
    expect(now.edges).toEqual([{ from: id('summary'), to: id('now') }]);
    const then = ok(await server.gql<Graph>(author.apiKey, GRAPH, { roots: [id('summary')], validAt: at(-2 * DAY) })).dependencyGraph;
    expect(then.nodes.map((n) => n.id).sort()).toEqual([id('now'), id('past'), id('summary')].sort());
  });

  it('makes a fact valid again when its end is cleared', async () => {
    const revived = await server.registerAgent({ id: `${server.ns}-revived` });
    await publish(server, revived.apiKey, { id: id('ended'), type: 'FINDING', text: 'Ended.', validUntil: at(-DAY) });
    expect(await pageIds(revived.id)).toEqual([]);
    ok(await server.gql(revived.apiKey, UPDATE, { id: id('ended'), v: 1, patch: { validUntil: null } }));
    expect(await pageIds(revived.id)).toEqual([id('ended')]);
    expect((await page(revived.id)).leftOut.noLongerValid).toBe(0);
  });

  it('counts each left-out context once, status before valid time, and nothing asked for', async () => {
    const counted = await server.registerAgent({ id: `${server.ns}-counted` });
    const put = (name: string, extra: Record<string, unknown> = {}) =>
      publish(server, counted.apiKey, { id: id(name), type: 'FINDING', text: `Counted ${name}.`, ...extra });
    await put('valid');
    await put('early', { validFrom: tomorrow() });
    await put('late1', { validUntil: at(-DAY) });
    await put('late2', { validUntil: at(-2 * DAY) });
    await put('retracted-and-late', { validUntil: at(-DAY) });
    ok(await server.gql(counted.apiKey, RETRACT, { id: id('retracted-and-late'), reason: 'wrong' }));
    await put('old');
    await put('new', { supersedes: [id('old')] });
    await put('expiring', { expiration: at(1500) });
    await new Promise((resolve) => setTimeout(resolve, 1600));

    const result = await page(counted.id);
    expect(result.edges.map((e) => e.node.id).sort()).toEqual([id('new'), id('valid')].sort());
    expect(result.leftOut).toEqual({ retracted: 1, superseded: 1, expired: 1, noLongerValid: 2, notYetValid: 1 });
    // Statuses asked for are not left out by status; valid time still applies to them.
    const withRetracted = await page(counted.id, undefined, ['ACTIVE', 'RETRACTED']);
    expect(withRetracted.edges.map((e) => e.node.id)).not.toContain(id('retracted-and-late'));
    expect(withRetracted.leftOut).toEqual({ retracted: 0, superseded: 1, expired: 1, noLongerValid: 3, notYetValid: 1 });
  });

  it('judges validity in Cypher exactly as the domain rule does', async () => {
    const judged = await server.registerAgent({ id: `${server.ns}-judged` });
    for (const [index, testCase] of VALIDITY_CASES.entries()) {
      await publish(server, judged.apiKey, { id: id(`case${index}`), type: 'FINDING', text: testCase.name, ...testCase.interval });
    }
    const result = await page(judged.id, JUDGED_AT);
    const expected = VALIDITY_CASES.flatMap((c, index) => (c.expected === 'VALID' ? [id(`case${index}`)] : []));
    expect(result.edges.map((e) => e.node.id).sort()).toEqual(expected.sort());
    const count = (validity: string) => VALIDITY_CASES.filter((c) => c.expected === validity).length;
    expect(result.leftOut).toMatchObject({ notYetValid: count('NOT_YET_VALID'), noLongerValid: count('NO_LONGER_VALID') });
  });
});
