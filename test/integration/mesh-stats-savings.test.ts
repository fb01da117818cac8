import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/harness.js';
import { ok, publish, RETRACT } from './support.js';

/**
 * meshStats' tokensSavedByFiltering (against handing over the whole pool) and staleDeliveries (issue 10), over the
 * public API against a real Neo4j: the pool is what the agent could have been routed, not everything stored.
 */

const CONTEXT_FOR = `query($agentId: ID!, $task: String!, $budget: Int, $workflowId: ID) {
  contextFor(agentId: $agentId, task: $task, budget: $budget, workflowId: $workflowId) {
    id tokens items { context { id tokens staleness { reason } } tokens } compressed { originalContextIds tokens compressionRatio }
  }
}`;
const STATS = `query($agentId: ID, $workflowId: ID) {
  meshStats(agentId: $agentId, workflowId: $workflowId) {
    deliveries tokensDelivered tokensSavedByCompression tokensSavedByFiltering poolMeasuredDeliveries staleDeliveries
  }
}`;
const CONTEXT_TOKENS = `query($id: ID!) { context(id: $id) { tokens status } }`;

interface Package {
  id: string;
  tokens: number;
  items: { context: { id: string; tokens: number; staleness: { reason: string } | null }; tokens: number }[];
  compressed: { originalContextIds: string[]; tokens: number; compressionRatio: number } | null;
}
interface Stats {
  deliveries: number;
  tokensDelivered: number;
  tokensSavedByCompression: number;
  tokensSavedByFiltering: number;
  poolMeasuredDeliveries: number;
  staleDeliveries: number;
}

const filler = (topic: string, i: number) =>
  `Note ${i} on ${topic}: the quarterly figures for the ${topic} programme were reviewed by the finance team, who asked for a breakdown by region and channel before the next planning round.`;

describe('meshStats: tokens saved by filtering, stale deliveries', () => {
  let server: TestServer;
  let reader: { id: string; apiKey: string };
  let other: { id: string; apiKey: string };
  const id = (name: string) => `${server.ns}-${name}`;
  const ask = async (variables: Record<string, unknown>) =>
    ok(
      await server.gql<{ contextFor: Package }>(reader.apiKey, CONTEXT_FOR, {
        agentId: reader.id,
        budget: null,
        workflowId: null,
        ...variables,
      }),
    ).contextFor;
  const stats = async (variables: Record<string, unknown> = {}) =>
    ok(await server.gql<{ meshStats: Stats }>(server.adminKey, STATS, { agentId: reader.id, workflowId: null, ...variables })).meshStats;
  const tokensOf = async (contextId: string) =>
    ok(await server.gql<{ context: { tokens: number } }>(server.adminKey, CONTEXT_TOKENS, { id: contextId })).context.tokens;

  const readable: string[] = [];
  const inWorkflow: string[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    reader = await server.registerAgent({ id: id('reader'), tokenBudget: 4000, relevanceThreshold: 0.2 });
    other = await server.registerAgent({ id: id('other') });
    // Other test files share the database: each pool here is one workflow's, so theirs cannot enter it.
    const wf = id('wf');
    for (let i = 0; i < 6; i++) {
      readable.push((await publish(server, other.apiKey, { type: 'FINDING', text: filler('river barge', i), workflowId: id('all') })).id);
    }
    for (let i = 0; i < 3; i++) {
      const c = await publish(server, other.apiKey, { type: 'FINDING', text: filler('river barge', 10 + i), workflowId: wf });
      inWorkflow.push(c.id);
    }
    // Not the reader's to read, and retracted: neither is in its pool.
    await publish(server, other.apiKey, { type: 'FINDING', text: filler('river barge', 20), visibleTo: [other.id], workflowId: id('all') });
    const gone = await publish(server, other.apiKey, { type: 'FINDING', text: filler('river barge', 21), workflowId: id('all') });
    ok(await server.gql(other.apiKey, RETRACT, { id: gone.id, reason: 'wrong figures' }));
  });
  afterAll(async () => server?.stop());

  it('filtering saves the pool minus what the package delivered or summarised; hidden and retracted contexts are not pool', async () => {
    const pkg = await ask({ task: 'river barge quarterly figures by region', budget: 120, workflowId: id('all') });
    expect(pkg.items.length).toBeGreaterThan(0);
    const pool = (await Promise.all(readable.map(tokensOf))).reduce((a, b) => a + b, 0);
    const items = pkg.items.reduce((n, i) => n + i.tokens, 0);
    const originals = pkg.compressed ? Math.round(pkg.compressed.tokens * pkg.compressed.compressionRatio) : 0;
    const s = await stats({ workflowId: id('all') });
    expect(s.deliveries).toBe(1);
    expect(s.poolMeasuredDeliveries).toBe(1);
    expect(s.tokensSavedByFiltering).toBe(Math.max(0, pool - items - originals));
    expect(s.tokensSavedByFiltering).toBeGreaterThan(0);
    // Against the whole pool, the package saved compression + filtering: pool − package tokens.
    expect(s.tokensSavedByCompression + s.tokensSavedByFiltering).toBe(pool - pkg.tokens);
  });

  it('a package limited to a workflow is measured against that workflow’s pool', async () => {
    const pkg = await ask({ task: 'river barge quarterly figures', budget: 60, workflowId: id('wf') });
    const pool = (await Promise.all(inWorkflow.map(tokensOf))).reduce((a, b) => a + b, 0);
    const s = await stats({ workflowId: id('wf') });
    expect(s.deliveries).toBe(1);
    expect(s.tokensSavedByCompression + s.tokensSavedByFiltering).toBe(Math.max(0, pool - pkg.tokens));
  });

  it('counts the stale items it delivered', async () => {
    const base = await publish(server, other.apiKey, {
      type: 'FINDING',
      text: 'The barge fleet has twelve vessels in service this winter.',
    });
    const dependent = await publish(server, other.apiKey, {
      type: 'FINDING',
      text: 'With twelve vessels in service, the barge fleet can carry the winter grain harvest in four weeks.',
      dependencies: [base.id],
    });
    const before = (await stats()).staleDeliveries;
    ok(await server.gql(other.apiKey, RETRACT, { id: base.id, reason: 'fleet count was wrong' }));
    const pkg = await ask({ task: 'how long will the barge fleet take to carry the winter grain harvest' });
    const staleItems = pkg.items.filter((i) => i.context.staleness !== null);
    expect(staleItems.map((i) => i.context.id)).toContain(dependent.id);
    expect((await stats()).staleDeliveries).toBe(before + staleItems.length);
  });
});
