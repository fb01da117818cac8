import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/harness.js';
import { failed, getWithHistory, ok, orbitalTeapotFindings, publish, publishMany } from './support.js';

/** feedback and meshStats (issue 10, "Effectiveness and accounting") against a real Neo4j, through the public API. */

const CONTEXT_FOR = `query($agentId: ID!, $task: String!, $budget: Int) {
  contextFor(agentId: $agentId, task: $task, budget: $budget) {
    id tokens cached coalesced
    items { context { id version } tokens }
    compressed { originalContextIds tokens compressionRatio }
    dropped { contextId reason }
  }
}`;
const FEEDBACK = `mutation($packageId: ID!, $contextId: ID!, $used: Boolean!, $useful: Boolean, $key: String) {
  feedback(packageId: $packageId, contextId: $contextId, used: $used, useful: $useful, idempotencyKey: $key) {
    packageId contextId agentId used useful at updatedAt
  }
}`;
const NUMBERS = `deliveries itemsDelivered tokensDelivered feedbackCount itemsUsed tokensUsed usefulCount precision
  tokensSavedByCompression duplicatesDropped belowThresholdDropped staleDropped cacheHitRate coalescedRate
  medianDeliveredAgeSeconds`;
const STATS = `query($agentId: ID, $workflowId: ID, $from: DateTime, $to: DateTime) {
  meshStats(agentId: $agentId, workflowId: $workflowId, from: $from, to: $to) {
    agentId workflowId from to ${NUMBERS} conflictsRaised conflictsResolved truncated packagesRead
    perAgent { agentId ${NUMBERS} }
    perWorkflow { workflowId ${NUMBERS} }
  }
}`;
const DELIVERY_TIMES = `query($agentId: ID!) { deliveries(agentId: $agentId) { id at } }`;

interface Package {
  id: string;
  tokens: number;
  cached: boolean;
  coalesced: boolean;
  items: { context: { id: string; version: number }; tokens: number }[];
  compressed: { originalContextIds: string[]; tokens: number; compressionRatio: number } | null;
  dropped: { contextId: string; reason: string }[];
}
interface Feedback {
  packageId: string;
  contextId: string;
  agentId: string;
  used: boolean;
  useful: boolean | null;
  at: string;
  updatedAt: string;
}
type Numbers = Record<string, number | null>;
type Stats = Numbers;
interface MeshStats {
  agentId: string | null;
  workflowId: string | null;
  conflictsRaised: number;
  conflictsResolved: number;
  truncated: boolean;
  packagesRead: number;
  perAgent: (Numbers & { agentId: string })[];
  perWorkflow: (Numbers & { workflowId: string | null })[];
  [key: string]: unknown;
}
type Agent = { id: string; apiKey: string };
type Word = { packageId: string; contextId: string; used: boolean; useful: boolean | null };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length === 0 ? null : sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

describe('feedback and meshStats', () => {
  let server: TestServer;
  let writer: Agent;
  let researcher: Agent;
  let outsider: Agent;
  const id = (name: string) => `${server.ns}-${name}`;
  const TASK = 'Write the spring campaign launch post about the orbital teapot';
  let startedAt: string;
  let computed: Package;
  let hit: Package;
  const at = new Map<string, string>();
  const versionAt = new Map<string, string>();

  const contextFor = async (budget: number) =>
    ok(await server.gql<{ contextFor: Package }>(writer.apiKey, CONTEXT_FOR, { agentId: writer.id, task: TASK, budget })).contextFor;
  const feedback = (key: string, word: Word, idempotencyKey?: string) =>
    server.gql<{ feedback: Feedback }>(key, FEEDBACK, { ...word, key: idempotencyKey ?? null });
  const stats = async (key: string, variables: Record<string, unknown> = {}) =>
    ok(await server.gql<{ meshStats: MeshStats }>(key, STATS, variables)).meshStats;

  /** What meshStats should say about `packages` given the latest feedback `words`, computed from the answers themselves. */
  const expected = (packages: Package[], words: Word[]): Stats => {
    const latest = new Map(words.map((w) => [`${w.packageId}|${w.contextId}`, w]));
    const mine = [...latest.values()].filter((w) => packages.some((p) => p.id === w.packageId));
    const used = mine.filter((w) => w.used);
    const tokensOf = (w: Word) => packages.find((p) => p.id === w.packageId)?.items.find((i) => i.context.id === w.contextId)?.tokens ?? 0;
    const ages = packages.flatMap((p) =>
      p.items.map((i) => (Date.parse(at.get(p.id) ?? '') - Date.parse(versionAt.get(`${i.context.id}@${i.context.version}`) ?? '')) / 1000),
    );
    const dropped = (reason: string) => packages.reduce((n, p) => n + p.dropped.filter((d) => d.reason === reason).length, 0);
    const rate = (n: number) => (packages.length === 0 ? null : n / packages.length);
    return {
      deliveries: packages.length,
      itemsDelivered: packages.reduce((n, p) => n + p.items.length, 0),
      tokensDelivered: packages.reduce((n, p) => n + p.tokens, 0),
      feedbackCount: mine.length,
      itemsUsed: used.length,
      tokensUsed: used.reduce((n, w) => n + tokensOf(w), 0),
      usefulCount: mine.filter((w) => w.useful === true).length,
      precision: mine.length === 0 ? null : used.length / mine.length,
      tokensSavedByCompression: packages.reduce(
        (n, p) => n + (p.compressed ? Math.round(p.compressed.tokens * p.compressed.compressionRatio) - p.compressed.tokens : 0),
        0,
      ),
      duplicatesDropped: dropped('DUPLICATE'),
      belowThresholdDropped: dropped('BELOW_THRESHOLD'),
      staleDropped: dropped('STALE'),
      cacheHitRate: rate(packages.filter((p) => p.cached).length),
      coalescedRate: rate(packages.filter((p) => p.coalesced).length),
      medianDeliveredAgeSeconds: median(ages),
    };
  };
  const numbersOf = (s: Record<string, unknown>): Stats =>
    Object.fromEntries(Object.keys(expected([], [])).map((k) => [k, s[k] as number | null]));
  const words: Word[] = [];
  const give = async (word: Word) => {
    const given = ok(await feedback(writer.apiKey, word)).feedback;
    words.push(word);
    return given;
  };

  beforeAll(async () => {
    server = await startTestServer();
    startedAt = new Date().toISOString();
    writer = await server.registerAgent({ id: id('writer'), needs: ['orbital_teapot'], tokenBudget: 2000, relevanceThreshold: 0.2 });
    researcher = await server.registerAgent({ id: id('researcher'), produces: ['orbital_teapot'] });
    outsider = await server.registerAgent({ id: id('outsider') });
    const published = await publishMany(server, researcher.apiKey, orbitalTeapotFindings(id, writer.id, researcher.id));
    for (const ctx of published) {
      const history = (await getWithHistory(server, server.adminKey, ctx.id))?.history ?? [];
      for (const v of history) versionAt.set(`${ctx.id}@${v.version}`, v.at);
    }
    // 100 tokens hold two of the three findings: the third is summarised. The second answer is a cache hit.
    computed = await contextFor(100);
    await sleep(20);
    hit = await contextFor(100);
    const times = ok(await server.gql<{ deliveries: { id: string; at: string }[] }>(writer.apiKey, DELIVERY_TIMES, { agentId: writer.id }));
    for (const d of times.deliveries) at.set(d.id, d.at);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('stores feedback on an item and on a summarised original; again on the same pair replaces it (last write wins)', async () => {
    expect(computed.cached).toBe(false);
    expect(hit.cached).toBe(true);
    expect(computed.compressed?.originalContextIds.length).toBeGreaterThan(0);
    const [first, second] = computed.items;
    const original = computed.compressed?.originalContextIds[0] ?? '';
    const given = await give({ packageId: computed.id, contextId: first?.context.id ?? '', used: true, useful: true });
    expect(given).toMatchObject({ packageId: computed.id, contextId: first?.context.id, agentId: writer.id, used: true, useful: true });
    expect(given.updatedAt).toBe(given.at);
    const before = await give({ packageId: computed.id, contextId: second?.context.id ?? '', used: false, useful: null });
    expect(before.useful).toBeNull();
    await give({ packageId: computed.id, contextId: original, used: true, useful: false });
    await give({ packageId: hit.id, contextId: first?.context.id ?? '', used: true, useful: null });
    await sleep(5);
    const replaced = await give({ packageId: computed.id, contextId: second?.context.id ?? '', used: true, useful: true });
    expect(replaced.at).toBe(before.at);
    expect(replaced.updatedAt > before.updatedAt).toBe(true);
    expect({ used: replaced.used, useful: replaced.useful }).toEqual({ used: true, useful: true });
    // The admin may give feedback for the package's agent; it is stored as the agent's.
    const byAdmin = ok(
      await feedback(server.adminKey, { packageId: hit.id, contextId: second?.context.id ?? '', used: false, useful: false }),
    );
    expect(byAdmin.feedback.agentId).toBe(writer.id);
    words.push({ packageId: hit.id, contextId: second?.context.id ?? '', used: false, useful: false });
    // An idempotency key repeated returns the first answer, without a second write.
    const word = { packageId: hit.id, contextId: original, used: true, useful: true };
    const once = ok(await feedback(writer.apiKey, word, 'fb-1')).feedback;
    words.push(word);
    expect(ok(await feedback(writer.apiKey, word, 'fb-1')).feedback).toEqual(once);
  });

  it('refuses feedback from another agent, on an unknown package, and on a context the package did not deliver', async () => {
    const contextId = computed.items[0]?.context.id ?? '';
    failed(await feedback(outsider.apiKey, { packageId: computed.id, contextId, used: true, useful: null }), 'FORBIDDEN');
    failed(await feedback(writer.apiKey, { packageId: id('no-such-package'), contextId, used: true, useful: null }), 'NOT_FOUND');
    const notDelivered = failed(
      await feedback(writer.apiKey, { packageId: computed.id, contextId: id('secret'), used: true, useful: null }),
      'BAD_USER_INPUT',
    );
    expect(notDelivered.message).toContain(id('secret'));
    expect(notDelivered.message).toContain(computed.id);
  });

  it("meshStats: an agent's own numbers, each equal to what its packages and feedback say", async () => {
    const own = await stats(writer.apiKey);
    expect(own.agentId).toBe(writer.id);
    expect(own.truncated).toBe(false);
    expect(own.packagesRead).toBe(2);
    const want = expected([computed, hit], words);
    expect(numbersOf(own)).toEqual(want);
    expect(want.cacheHitRate).toBe(0.5);
    expect(want.feedbackCount).toBe(6);
    expect(own.perAgent.map((a) => a.agentId)).toEqual([writer.id]);
    expect(numbersOf(own.perAgent[0] ?? {})).toEqual(want);
    expect(own.perWorkflow.map((w) => w.workflowId)).toEqual([null]);
    expect(numbersOf(own.perWorkflow[0] ?? {})).toEqual(want);
    // The same for the admin asking for the writer by id.
    expect(numbersOf(await stats(server.adminKey, { agentId: writer.id }))).toEqual(want);
    // An agent may not read another agent's numbers.
    failed(await server.gql(writer.apiKey, STATS, { agentId: researcher.id }), 'FORBIDDEN');
    // A workflow the packages were not asked in: nothing.
    const other = await stats(writer.apiKey, { workflowId: id('no-such-workflow') });
    expect(numbersOf(other)).toEqual(expected([], []));
    expect(other.packagesRead).toBe(2);
  });

  it('meshStats over a time range: from inclusive, to exclusive', async () => {
    const hitAt = at.get(hit.id) ?? '';
    expect(hitAt > (at.get(computed.id) ?? '')).toBe(true);
    expect(numbersOf(await stats(writer.apiKey, { from: hitAt }))).toEqual(expected([hit], words));
    expect(numbersOf(await stats(writer.apiKey, { to: hitAt }))).toEqual(expected([computed], words));
    expect(numbersOf(await stats(writer.apiKey, { to: at.get(computed.id) }))).toEqual(expected([], []));
    const empty = failed(await server.gql(writer.apiKey, STATS, { from: hitAt, to: hitAt }), 'BAD_USER_INPUT');
    expect(empty.extensions['issues']).toEqual([{ path: ['to'], message: 'must be after from' }]);
  });

  it('meshStats for the admin over every agent, with the per-agent breakdown; conflicts raised and resolved', async () => {
    const claim = `${server.ns}_ship_day`;
    await publish(server, writer.apiKey, {
      type: 'FINDING',
      text: 'We should ship the teapot on Friday',
      claim,
      position: 'ship',
      confidence: 0.7,
    });
    await publish(server, researcher.apiKey, { type: 'FINDING', text: 'We should wait a week', claim, position: 'wait', confidence: 0.6 });
    const built = ok(
      await server.gql<{ buildConsensus: { conflict: { id: string } | null } }>(
        server.adminKey,
        `mutation($claim: String) { buildConsensus(claim: $claim) { conflict { id } } }`,
        { claim },
      ),
    ).buildConsensus;
    expect(built.conflict).not.toBeNull();
    const raised = await stats(writer.apiKey);
    expect({ raised: raised.conflictsRaised, resolved: raised.conflictsResolved }).toEqual({ raised: 1, resolved: 0 });
    expect((await stats(outsider.apiKey)).conflictsRaised).toBe(0);
    ok(
      await server.gql(
        server.adminKey,
        `mutation($id: ID!, $by: ID) { resolveConflict(id: $id, position: "ship", sourceAgentId: $by) { id } }`,
        {
          id: built.conflict?.id,
          by: writer.id,
        },
      ),
    );
    const resolved = await stats(writer.apiKey);
    expect({ raised: resolved.conflictsRaised, resolved: resolved.conflictsResolved }).toEqual({ raised: 1, resolved: 1 });
    // A range starting after both holds neither.
    const later = await stats(writer.apiKey, { from: new Date(Date.now() + 60_000).toISOString() });
    expect({ raised: later.conflictsRaised, resolved: later.conflictsResolved }).toEqual({ raised: 0, resolved: 0 });

    const all = await stats(server.adminKey, { from: startedAt });
    expect(all.agentId).toBeNull();
    const entry = all.perAgent.find((a) => a.agentId === writer.id);
    expect(numbersOf(entry ?? {})).toEqual(expected([computed, hit], words));
    expect(all.perAgent.some((a) => a.agentId === outsider.id)).toBe(false);
    // The totals are the sum of the breakdown.
    for (const key of ['deliveries', 'itemsDelivered', 'tokensDelivered', 'feedbackCount', 'itemsUsed', 'tokensUsed'] as const) {
      expect(all[key]).toBe(all.perAgent.reduce((n, a) => n + (a[key] ?? 0), 0));
    }
    expect(all.conflictsRaised).toBeGreaterThanOrEqual(1);
  });

  it('exports feedback and delivered tokens as Prometheus counters with bounded labels', async () => {
    const text = await (await fetch(new URL('/metrics', server.url))).text();
    const value = (line: string) =>
      Number(
        text
          .split('\n')
          .find((l) => l.startsWith(line))
          ?.split(' ')
          .pop() ?? NaN,
      );
    const writes = words.length; // every recorded word, replacements included (the repeated idempotency key wrote once)
    const sumFeedback = text
      .split('\n')
      .filter((l) => l.startsWith('context_mesh_feedback_total{'))
      .reduce((n, l) => n + Number(l.split(' ').pop()), 0);
    expect(sumFeedback).toBe(writes);
    expect(value('context_mesh_feedback_total{used="true",useful="unknown"}')).toBe(
      words.filter((w) => w.used && w.useful === null).length,
    );
    expect(value('context_mesh_delivered_tokens_total')).toBeGreaterThanOrEqual(computed.tokens + hit.tokens);
    expect(text).not.toContain(`agentId="${writer.id}"`);
  });
});
