import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/harness.js';
import { failed, ok, orbitalTeapotFindings, publishMany } from './support.js';

/** Deliveries, decisions and replays (issue 8) against a real Neo4j, through the public GraphQL API. */

const ITEM = 'score tokens reasons { semantic dependency needs explicit confidence recency }';
const CONTEXT_FOR = `query($agentId: ID!, $task: String!, $budget: Int) {
  contextFor(agentId: $agentId, task: $task, budget: $budget) {
    id budget tokens asOf cached
    items { context { id version text } ${ITEM} }
    compressed { text originalContextIds tokens method }
    dropped { contextId reason duplicateOf score }
  }
}`;
const DELIVERIES = `query($agentId: ID!, $first: Int, $from: DateTime, $to: DateTime) {
  deliveries(agentId: $agentId, first: $first, from: $from, to: $to) {
    id agent { id } at task budget tokens asOf cached replayOf { id }
    items { contextId version ${ITEM} context { id version text } }
    compressed { text originalContextIds tokens method }
    dropped { contextId reason duplicateOf score }
  }
}`;
const RECORD = `mutation($input: RecordDecisionInput!, $key: String) {
  recordDecision(input: $input, idempotencyKey: $key) {
    id agent { id } at input output used { contextId version inPackage context { id version text } } package { id } replayOf { id }
  }
}`;
const DECISIONS = `query($agentId: ID!) {
  decisions(agentId: $agentId) { id output used { contextId version inPackage context { id version text } } package { id } replayOf { id } }
}`;
const REPLAY = `query($decisionId: ID!, $adjust: ReplayAdjust) {
  replayDecision(decisionId: $decisionId, adjust: $adjust) {
    id budget tokens asOf cached
    items { context { id version text } score addedByReplay }
    compressed { originalContextIds }
  }
}`;

interface Item {
  context: { id: string; version: number; text: string };
  score: number;
  tokens: number;
  reasons: Record<string, number>;
}
interface Package {
  id: string;
  budget: number;
  tokens: number;
  asOf: number;
  cached: boolean;
  items: Item[];
  compressed: { text: string; originalContextIds: string[]; tokens: number; method: string } | null;
  dropped: unknown[];
}
interface Delivery extends Omit<Package, 'items'> {
  agent: { id: string };
  at: string;
  task: string;
  replayOf: { id: string } | null;
  items: (Omit<Item, 'context'> & { contextId: string; version: number; context: Item['context'] | null })[];
}
interface Used {
  contextId: string;
  version: number;
  inPackage: boolean;
  context: { id: string; version: number; text: string } | null;
}
interface Decision {
  id: string;
  output: unknown;
  used: Used[];
  package: { id: string };
  replayOf: { id: string } | null;
}
interface Replayed {
  id: string;
  budget: number;
  tokens: number;
  asOf: number;
  items: { context: { id: string; version: number; text: string }; score: number; addedByReplay: boolean }[];
  compressed: { originalContextIds: string[] } | null;
}

type Agent = { id: string; apiKey: string };

describe('deliveries, decisions and replays', () => {
  let server: TestServer;
  let writer: Agent;
  let researcher: Agent;
  let outsider: Agent;
  const id = (name: string) => `${server.ns}-${name}`;
  const TASK = 'Write the spring campaign launch post about the orbital teapot';
  let computed: Package;
  let hit: Package;
  let decision: Decision;

  const contextFor = async (budget: number) =>
    ok(await server.gql<{ contextFor: Package }>(writer.apiKey, CONTEXT_FOR, { agentId: writer.id, task: TASK, budget })).contextFor;
  const deliveries = async (key: string, agentId: string, extra: Record<string, unknown> = {}) =>
    server.gql<{ deliveries: Delivery[] }>(key, DELIVERIES, { agentId, ...extra });
  const replay = (key: string, decisionId: string, adjust?: Record<string, unknown>) =>
    server.gql<{ replayDecision: Replayed }>(key, REPLAY, { decisionId, adjust: adjust ?? null });
  const record = (key: string, input: Record<string, unknown>, idempotencyKey?: string) =>
    server.gql<{ recordDecision: Decision }>(key, RECORD, { input, key: idempotencyKey ?? null });
  const ids = (items: { context: { id: string } }[]) => items.map((item) => item.context.id);

  beforeAll(async () => {
    server = await startTestServer();
    writer = await server.registerAgent({ id: id('writer'), needs: ['orbital_teapot'], tokenBudget: 2000, relevanceThreshold: 0.2 });
    researcher = await server.registerAgent({ id: id('researcher'), produces: ['orbital_teapot'] });
    outsider = await server.registerAgent({ id: id('outsider') });
    await publishMany(server, researcher.apiKey, orbitalTeapotFindings(id, writer.id, researcher.id));
    // 100 tokens hold two of the three findings: the third is summarised, so the log must keep a summary too.
    computed = await contextFor(100);
    hit = await contextFor(100);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('records a computed answer and a cache hit, each under its own id, with the versions and scores delivered', async () => {
    expect(computed.cached).toBe(false);
    expect(hit.cached).toBe(true);
    expect(hit.id).not.toBe(computed.id);
    expect(computed.items.length).toBeGreaterThan(0);
    expect(computed.compressed).not.toBeNull();
    const listed = ok(await deliveries(writer.apiKey, writer.id)).deliveries;
    expect(listed.map((d) => d.id)).toEqual([hit.id, computed.id]);
    for (const [delivery, answer] of [
      [listed[0], hit],
      [listed[1], computed],
    ] as const) {
      expect(delivery?.cached).toBe(answer.cached);
      expect(delivery?.task).toBe(TASK);
      expect(delivery?.agent.id).toBe(writer.id);
      expect({ budget: delivery?.budget, tokens: delivery?.tokens, asOf: delivery?.asOf }).toEqual({
        budget: answer.budget,
        tokens: answer.tokens,
        asOf: answer.asOf,
      });
      expect(
        delivery?.items.map(({ contextId, version, score, reasons, tokens, context }) => ({
          contextId,
          version,
          score,
          reasons,
          tokens,
          context,
        })),
      ).toEqual(
        answer.items.map(({ context, score, reasons, tokens }) => ({
          contextId: context.id,
          version: context.version,
          score,
          reasons,
          tokens,
          context,
        })),
      );
      expect(delivery?.compressed).toEqual(answer.compressed);
      expect(delivery?.dropped).toEqual(answer.dropped);
    }
    const all = [...ids(computed.items), ...(computed.compressed?.originalContextIds ?? [])];
    expect(all).not.toContain(id('secret'));
    // The time window: nothing before the first answer's time, both from it on.
    const firstAt = listed[1]?.at ?? '';
    expect(ok(await deliveries(writer.apiKey, writer.id, { to: firstAt })).deliveries).toEqual([]);
    expect(ok(await deliveries(writer.apiKey, writer.id, { from: firstAt })).deliveries).toHaveLength(2);
    expect(ok(await deliveries(writer.apiKey, writer.id, { first: 1 })).deliveries.map((d) => d.id)).toEqual([hit.id]);
  });

  it('stores a decision with the exact versions it used, which stay after the context changes', async () => {
    const delivered = computed.items[0]?.context;
    if (!delivered) throw new Error('no item');
    const extra = await publishMany(server, researcher.apiKey, [
      { id: id('late'), type: 'CONSTRAINT', text: 'Never call the orbital teapot revolutionary.', tags: ['brand'] },
    ]);
    const input = { agentId: writer.id, packageId: computed.id, input: { task: TASK }, output: { post: 'A revolutionary teapot' } };
    decision = ok(await record(writer.apiKey, { ...input, usedContextIds: [delivered.id, extra[0]?.id] }, 'decide-1')).recordDecision;
    expect(decision.package.id).toBe(computed.id);
    expect(decision.used).toEqual([
      { contextId: delivered.id, version: delivered.version, inPackage: true, context: delivered },
      { contextId: id('late'), version: 1, inPackage: false, context: expect.objectContaining({ id: id('late'), version: 1 }) },
    ]);
    // Retried with the same key: the same decision, not a second one.
    const again = ok(await record(writer.apiKey, { ...input, usedContextIds: [delivered.id, id('late')] }, 'decide-1')).recordDecision;
    expect(again.id).toBe(decision.id);

    const updated = await server.gql(
      researcher.apiKey,
      'mutation($id: ID!, $v: Int!) { updateContext(id: $id, expectedVersion: $v, patch: { text: "The launch moved to April 9." }) { version } }',
      {
        id: delivered.id,
        v: delivered.version,
      },
    );
    ok(updated);
    const [listed] = ok(await server.gql<{ decisions: Decision[] }>(writer.apiKey, DECISIONS, { agentId: writer.id })).decisions;
    expect(listed?.id).toBe(decision.id);
    expect(listed?.output).toEqual({ post: 'A revolutionary teapot' });
    expect(listed?.used[0]).toEqual({ contextId: delivered.id, version: delivered.version, inPackage: true, context: delivered });
  });

  it('replays the recorded package exactly, and records the replay', async () => {
    const replayed = ok(await replay(writer.apiKey, decision.id)).replayDecision;
    expect(replayed.id).not.toBe(computed.id);
    expect(replayed.items.map((i) => ({ ...i.context, score: i.score }))).toEqual(
      computed.items.map((i) => ({ ...i.context, score: i.score })),
    );
    expect(replayed.items.every((i) => !i.addedByReplay)).toBe(true);
    expect(replayed.compressed?.originalContextIds).toEqual(computed.compressed?.originalContextIds);
    expect({ tokens: replayed.tokens, budget: replayed.budget, asOf: replayed.asOf }).toEqual({
      tokens: computed.tokens,
      budget: computed.budget,
      asOf: computed.asOf,
    });
    const [latest] = ok(await deliveries(writer.apiKey, writer.id, { first: 1 })).deliveries;
    expect(latest?.id).toBe(replayed.id);
    expect(latest?.replayOf?.id).toBe(decision.id);
  });

  it('removes, adds, re-budgets, re-reads at a later seq and refreshes as documented', async () => {
    const [first, ...rest] = computed.items;
    if (!first) throw new Error('no item');
    const removed = ok(await replay(writer.apiKey, decision.id, { removeContextIds: [first.context.id] })).replayDecision;
    expect(ids(removed.items)).not.toContain(first.context.id);
    expect(removed.tokens).toBeLessThanOrEqual(computed.budget);

    // The late constraint did not exist at the package's position; it does at a later seq, where it goes first.
    const notYet = failed(await replay(writer.apiKey, decision.id, { addContextIds: [id('late')] }), 'NOT_FOUND');
    expect(notYet.message).toContain(id('late'));
    const late = ok(
      await server.gql<{ context: { history: { seq: number }[] } }>(writer.apiKey, `{ context(id: "${id('late')}") { history { seq } } }`),
    );
    const lateSeq = Math.max(...late.context.history.map((h) => h.seq));
    const [updatedSeq] = ok(
      await server.gql<{ context: { history: { seq: number }[] } }>(
        writer.apiKey,
        `{ context(id: "${first.context.id}") { history { seq } } }`,
      ),
    ).context.history.map((h) => h.seq);
    const seq = Math.max(lateSeq, updatedSeq ?? 0);
    const added = ok(await replay(writer.apiKey, decision.id, { addContextIds: [id('late')], asOf: seq, budget: 4000 })).replayDecision;
    expect(added.items[0]).toMatchObject({ context: { id: id('late') }, score: 1, addedByReplay: true });
    expect(added.asOf).toBe(seq);
    // At that seq the first item reads at its updated version; the others as delivered.
    const reread = added.items.find((i) => i.context.id === first.context.id);
    expect(reread?.context).toMatchObject({ version: first.context.version + 1, text: 'The launch moved to April 9.' });
    expect(ids(added.items).slice(1).sort()).toEqual(ids(computed.items).sort());
    expect(added.budget).toBe(4000);
    expect(added.compressed).toBeNull();

    const small = ok(
      await replay(writer.apiKey, decision.id, { budget: Math.max(...computed.items.map((i) => i.tokens)) + 16 }),
    ).replayDecision;
    expect(small.tokens).toBeLessThanOrEqual(small.budget);
    expect(small.items.length).toBeLessThanOrEqual(computed.items.length);
    expect(ids(small.items).every((x) => ids(computed.items).includes(x))).toBe(true);
    void rest;

    const refreshed = ok(await replay(writer.apiKey, decision.id, { refresh: true })).replayDecision;
    expect(refreshed.asOf).toBeGreaterThanOrEqual(seq);
    const now = refreshed.items.find((i) => i.context.id === first.context.id);
    if (now) expect(now.context.version).toBe(first.context.version + 1);
    expect(ids(refreshed.items)).not.toContain(id('secret'));
  });

  it('links a new decision to the one it replaces', async () => {
    const replayed = ok(await replay(writer.apiKey, decision.id)).replayDecision;
    const second = ok(
      await record(writer.apiKey, {
        agentId: writer.id,
        packageId: replayed.id,
        output: { post: 'A well-designed teapot' },
        replayOf: decision.id,
      }),
    ).recordDecision;
    expect(second.replayOf?.id).toBe(decision.id);
    expect(second.package.id).toBe(replayed.id);
    const listed = ok(await server.gql<{ decisions: Decision[] }>(server.adminKey, DECISIONS, { agentId: writer.id })).decisions;
    expect(listed.map((d) => d.id)).toEqual([second.id, decision.id]);
  });

  it("keeps one agent's deliveries and decisions from another, and hidden contexts out", async () => {
    expect(failed(await deliveries(outsider.apiKey, writer.id), 'FORBIDDEN').message).toContain(outsider.id);
    failed(await server.gql(outsider.apiKey, DECISIONS, { agentId: writer.id }), 'FORBIDDEN');
    failed(await replay(outsider.apiKey, decision.id), 'FORBIDDEN');
    failed(await record(outsider.apiKey, { agentId: writer.id, packageId: computed.id }), 'FORBIDDEN');
    // Its own decision on another agent's package: that package does not exist for it.
    expect(failed(await record(outsider.apiKey, { agentId: outsider.id, packageId: computed.id }), 'NOT_FOUND').message).toContain(
      computed.id,
    );
    // A context the agent may not read is reported like a missing one, as a used context and as an addition.
    const hidden = failed(
      await record(writer.apiKey, { agentId: writer.id, packageId: computed.id, usedContextIds: [id('secret')] }),
      'NOT_FOUND',
    );
    expect(hidden.extensions['ids']).toEqual([id('secret')]);
    failed(await replay(writer.apiKey, decision.id, { addContextIds: [id('secret')], refresh: true }), 'NOT_FOUND');
    // An admin may read any agent's deliveries.
    expect(ok(await deliveries(server.adminKey, writer.id)).deliveries.length).toBeGreaterThan(2);
  });

  it('answers bad inputs with BAD_USER_INPUT or NOT_FOUND and a clear message', async () => {
    expect(failed(await deliveries(writer.apiKey, writer.id, { first: 0 }), 'BAD_USER_INPUT').message).toContain('first');
    failed(await deliveries(server.adminKey, id('nobody')), 'NOT_FOUND');
    expect(failed(await record(writer.apiKey, { agentId: writer.id, packageId: 'no-such-package' }), 'NOT_FOUND').message).toContain(
      'no-such-package',
    );
    const big = failed(
      await record(writer.apiKey, { agentId: writer.id, packageId: computed.id, output: 'x'.repeat(300 * 1024) }),
      'BAD_USER_INPUT',
    );
    expect(big.message).toContain('output');
    failed(await record(writer.apiKey, { agentId: writer.id, packageId: computed.id, replayOf: 'no-such-decision' }), 'NOT_FOUND');
    failed(await replay(writer.apiKey, 'no-such-decision'), 'NOT_FOUND');
    expect(failed(await replay(writer.apiKey, decision.id, { removeContextIds: [id('launch-x')] }), 'BAD_USER_INPUT').message).toContain(
      'not in the package',
    );
    expect(failed(await replay(writer.apiKey, decision.id, { refresh: true, asOf: 1 }), 'BAD_USER_INPUT').message).toContain('not both');
  });
});
