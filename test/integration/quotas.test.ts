import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/harness.js';
import { failed, ok, orbitalTeapotFindings, publishMany } from './support.js';

/** Per-agent token quotas (issue 10, "Per-agent token accounting and quotas") against a real Neo4j, over GraphQL. */

const CONTEXT_FOR = `query($agentId: ID!, $task: String!, $budget: Int, $asOf: Int) {
  contextFor(agentId: $agentId, task: $task, budget: $budget, asOf: $asOf) {
    id tokens budget source
    quota { tokens periodSeconds periodStart periodEnd used remaining }
  }
}`;
const SET_QUOTA = `mutation($agentId: ID!, $tokens: Int, $periodSeconds: Int) {
  setTokenQuota(agentId: $agentId, tokens: $tokens, periodSeconds: $periodSeconds) { id tokenQuota { tokens periodSeconds } }
}`;
const USAGE = `query($agentId: ID!) {
  tokenUsage(agentId: $agentId) {
    agentId quota { tokens periodSeconds } current { used remaining periodStart periodEnd } periods { periodStart periodEnd used }
  }
}`;
const STATS = `query($agentId: ID) { meshStats(agentId: $agentId) { deliveries tokensDelivered } }`;

interface Standing {
  tokens: number;
  periodSeconds: number;
  periodStart: string;
  periodEnd: string;
  used: number;
  remaining: number;
}
interface Package {
  id: string;
  tokens: number;
  budget: number;
  source: string;
  quota: Standing | null;
}
interface Usage {
  agentId: string;
  quota: { tokens: number; periodSeconds: number } | null;
  current: { used: number; remaining: number; periodStart: string; periodEnd: string } | null;
  periods: { periodStart: string; periodEnd: string; used: number }[];
}
type Agent = { id: string; apiKey: string };

const TASK = 'Write the spring campaign launch post about the orbital teapot';

describe('token quotas', () => {
  let server: TestServer;
  let writer: Agent;
  let researcher: Agent;
  const id = (name: string) => `${server.ns}-${name}`;

  const ask = (key: string, agentId: string, variables: Record<string, unknown> = {}) =>
    server.gql<{ contextFor: Package }>(key, CONTEXT_FOR, { agentId, task: TASK, budget: null, asOf: null, ...variables });
  const setQuota = (key: string, agentId: string, tokens: number | null, periodSeconds?: number) =>
    server.gql<{ setTokenQuota: { id: string; tokenQuota: { tokens: number; periodSeconds: number } | null } }>(key, SET_QUOTA, {
      agentId,
      tokens,
      ...(periodSeconds === undefined ? {} : { periodSeconds }),
    });
  const usage = async (agentId: string, key = server.adminKey) =>
    ok(await server.gql<{ tokenUsage: Usage }>(key, USAGE, { agentId })).tokenUsage;

  beforeAll(async () => {
    server = await startTestServer();
    writer = await server.registerAgent({ id: id('writer'), needs: ['orbital_teapot'], tokenBudget: 2000, relevanceThreshold: 0.2 });
    researcher = await server.registerAgent({ id: id('researcher'), produces: ['orbital_teapot'] });
    await publishMany(server, researcher.apiKey, orbitalTeapotFindings(id, writer.id, researcher.id));
  });
  afterAll(async () => server?.stop());

  it('without a quota, packages say quota null and the budget is the request’s', async () => {
    const pkg = ok(await ask(writer.apiKey, writer.id, { budget: 500 })).contextFor;
    expect(pkg.quota).toBeNull();
    expect(pkg.budget).toBe(500);
    expect((await usage(writer.id)).quota).toBeNull();
  });

  it('validates setTokenQuota and keeps it admin-only', async () => {
    const bad = failed(await setQuota(server.adminKey, writer.id, 0), 'BAD_USER_INPUT');
    expect(JSON.stringify(bad.extensions)).toContain('tokens');
    failed(await setQuota(server.adminKey, writer.id, 1000, 59), 'BAD_USER_INPUT');
    failed(await setQuota(server.adminKey, writer.id, 1000, 31_536_001), 'BAD_USER_INPUT');
    failed(await setQuota(server.adminKey, writer.id, 1_000_000_001), 'BAD_USER_INPUT');
    failed(await setQuota(server.adminKey, id('nobody'), 1000), 'NOT_FOUND');
    failed(await setQuota(writer.apiKey, writer.id, 1_000_000), 'FORBIDDEN');
    failed(await server.gql(researcher.apiKey, USAGE, { agentId: writer.id }), 'FORBIDDEN');
    expect((await usage(writer.id)).quota).toBeNull();
  });

  it('cuts the budget to what is left, charges every answer (cache hits too), then fails with QUOTA_EXCEEDED and a retry hint', async () => {
    const set = ok(await setQuota(server.adminKey, writer.id, 300, 3600)).setTokenQuota;
    expect(set.tokenQuota).toEqual({ tokens: 300, periodSeconds: 3600 });

    const first = ok(await ask(writer.apiKey, writer.id, { budget: 100 })).contextFor;
    expect(first.budget).toBe(100);
    expect(first.tokens).toBeGreaterThan(0);
    expect(first.tokens).toBeLessThanOrEqual(100);
    expect(first.quota).toMatchObject({ tokens: 300, periodSeconds: 3600, used: first.tokens, remaining: 300 - first.tokens });
    expect(Date.parse(first.quota!.periodEnd) - Date.parse(first.quota!.periodStart)).toBe(3_600_000);
    expect(Date.parse(first.quota!.periodStart) % 3_600_000).toBe(0);

    // The same question again is a cache hit: it is delivered, so it is charged.
    const hit = ok(await ask(writer.apiKey, writer.id, { budget: 100 })).contextFor;
    expect(hit.source).toBe('CACHE');
    expect(hit.quota!.used).toBe(first.tokens + hit.tokens);

    // The default budget (2000) is more than is left: it is cut to the remainder.
    const left = 300 - first.tokens - hit.tokens;
    const cut = ok(await ask(writer.apiKey, writer.id)).contextFor;
    expect(cut.budget).toBe(left);
    expect(cut.tokens).toBeLessThanOrEqual(left);

    let spent = first.tokens + hit.tokens + cut.tokens;
    // Spend the rest with budgets the planner can fill, until nothing useful is left.
    for (let i = 0; i < 20 && 300 - spent >= 16; i++) {
      const response = await ask(writer.apiKey, writer.id, { budget: 300 });
      if (response.errors) break;
      spent += response.data!.contextFor.tokens;
    }
    expect(spent).toBeLessThanOrEqual(300);
    const error = failed(await ask(writer.apiKey, writer.id, { budget: 100 }), 'QUOTA_EXCEEDED');
    expect(error.extensions['quota']).toBe(300);
    expect(error.extensions['periodSeconds']).toBe(3600);
    expect(error.extensions['retryAfterSeconds']).toBeGreaterThanOrEqual(1);
    expect(error.extensions['retryAfterSeconds']).toBeLessThanOrEqual(3600);
    expect(Date.parse(String(error.extensions['periodEndsAt']))).toBe(Date.parse(first.quota!.periodEnd));
    expect(error.message).toMatch(/retry after \d+ s/);

    const u = await usage(writer.id, writer.apiKey);
    expect(u.quota).toEqual({ tokens: 300, periodSeconds: 3600 });
    expect(u.current!.used).toBe(spent);
    expect(u.periods[0]).toMatchObject({ periodStart: first.quota!.periodStart, used: spent });
  });

  it('enforces the quota on the asOf path too', async () => {
    failed(await ask(writer.apiKey, writer.id, { budget: 100, asOf: 1 }), 'QUOTA_EXCEEDED');
  });

  it('raising the quota lets the agent go on; removing it lifts the limit', async () => {
    ok(await setQuota(server.adminKey, writer.id, 100_000));
    const more = ok(await ask(writer.apiKey, writer.id, { budget: 100 })).contextFor;
    expect(more.quota!.tokens).toBe(100_000);
    ok(await setQuota(server.adminKey, writer.id, null));
    const free = ok(await ask(writer.apiKey, writer.id, { budget: 100 })).contextFor;
    expect(free.quota).toBeNull();
    expect((await usage(writer.id)).quota).toBeNull();
  });

  it('concurrent requests never deliver more than the quota in sum', async () => {
    const agent = await server.registerAgent({ id: id('burst'), needs: ['orbital_teapot'], tokenBudget: 2000, relevanceThreshold: 0.2 });
    ok(await setQuota(server.adminKey, agent.id, 400, 86_400));
    const tasks = Array.from({ length: 12 }, (_, i) => `${TASK}, variant ${i}`);
    const answers = await Promise.all(tasks.map((task) => ask(server.adminKey, agent.id, { task, budget: 120 })));
    const delivered = answers.filter((a) => !a.errors).map((a) => a.data!.contextFor.tokens);
    const refused = answers.filter((a) => a.errors);
    for (const r of refused) expect(r.errors?.[0]?.extensions?.code).toBe('QUOTA_EXCEEDED');
    const sum = delivered.reduce((a, b) => a + b, 0);
    expect(sum).toBeLessThanOrEqual(400);
    expect(delivered.length).toBeGreaterThan(0);
    // The ledger agrees with what was delivered, and with the package log.
    expect((await usage(agent.id)).current!.used).toBe(sum);
    const stats = ok(
      await server.gql<{ meshStats: { deliveries: number; tokensDelivered: number } }>(server.adminKey, STATS, { agentId: agent.id }),
    ).meshStats;
    expect(stats).toEqual({ deliveries: delivered.length, tokensDelivered: sum });
  });

  it('a failed request is refunded', async () => {
    const agent = await server.registerAgent({ id: id('refund'), tokenBudget: 2000 });
    ok(await setQuota(server.adminKey, agent.id, 1000));
    // The asOf is in the future: the request fails after the grant, and the grant is given back.
    const response = await ask(agent.apiKey, agent.id, { budget: 500, asOf: 10_000_000 });
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await usage(agent.id)).current!.used).toBe(0);
  });
});
