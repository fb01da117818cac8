import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/harness.js';
import { ok, publish, publishMany } from './support.js';

/**
 * Isolation must never cost an agent its own results (issue 11). Neo4j's vector and fulltext indexes take no filter:
 * they return their top k, and visibility, status and workflow scope apply after. When contexts another agent may not
 * read crowd the top of an index, the read goes deeper (and, past ROUTING_MAX_INDEX_DEPTH, scans exactly) until it
 * holds enough the agent may read.
 */

const SEARCH = `query($q: String!, $agentId: ID, $limit: Int, $asOf: Int) {
  searchContext(query: $q, agentId: $agentId, limit: $limit, asOf: $asOf) { context { id } } }`;
const PACKAGE = `query($agentId: ID!, $task: String, $workflowId: ID, $asOf: Int) {
  contextFor(agentId: $agentId, task: $task, workflowId: $workflowId, asOf: $asOf) { items { context { id } } dropped { contextId } } }`;
const TASK = 'redis cache eviction policy';

interface Package {
  items: { context: { id: string } }[];
  dropped: { contextId: string }[];
}

/** `count` contexts that read like the task, published by `key`'s agent in batches (visible as `extra` says). */
async function crowd(server: TestServer, key: string, prefix: string, count: number, extra: Record<string, unknown>) {
  for (let start = 0; start < count; start += 100) {
    const batch = Array.from({ length: Math.min(100, count - start) }, (_, i) => ({
      id: `${prefix}-${start + i}`,
      type: 'FINDING',
      text: `redis cache eviction policy ${start + i}`,
      tags: ['cache'],
      ...extra,
    }));
    await publishMany(server, key, batch);
  }
}

async function searchIds(server: TestServer, key: string, agentId: string, asOf: number | null = null): Promise<string[]> {
  const hits = ok(await server.gql<{ searchContext: { context: { id: string } }[] }>(key, SEARCH, { q: TASK, agentId, limit: 10, asOf }));
  return hits.searchContext.map((hit) => hit.context.id);
}

async function packageFor(
  server: TestServer,
  key: string,
  agentId: string,
  { workflowId = null, asOf = null }: { workflowId?: string | null; asOf?: number | null } = {},
): Promise<Package> {
  return ok(await server.gql<{ contextFor: Package }>(key, PACKAGE, { agentId, task: TASK, workflowId, asOf })).contextFor;
}

describe.each([
  // 200 hidden contexts against a first read of 60: found by reading the index deeper.
  { name: 'deeper index reads', env: {} },
  // The same crowd past the depth limit (100 hits): found by the exact scan.
  { name: 'the exact scan', env: { ROUTING_MAX_INDEX_DEPTH: '100' } },
])('an index crowded by contexts the agent may not read ($name)', ({ env }) => {
  let server: TestServer;
  let readerId: string;
  let readerKey: string;
  let ownId: string;
  let ownSeq: number;

  beforeAll(async () => {
    server = await startTestServer({ env });
    const hider = await server.registerAgent({ id: `${server.ns}-hider`, name: 'hider' });
    const reader = await server.registerAgent({ id: `${server.ns}-reader`, name: 'reader' });
    const writer = await server.registerAgent({ id: `${server.ns}-writer`, name: 'writer' });
    readerId = reader.id;
    readerKey = reader.apiKey;
    await crowd(server, hider.apiKey, `${server.ns}-hidden`, 200, { visibleTo: [hider.id] });
    const answer = await publish(server, writer.apiKey, {
      id: `${server.ns}-answer`,
      type: 'FINDING',
      text: 'Our Redis cache evicts with allkeys-lru since the March incident',
      tags: ['cache'],
      visibleTo: [reader.id],
    });
    ownId = answer.id;
    ownSeq = answer.seq;
  }, 240_000);
  afterAll(() => server?.stop());

  it('searchContext still finds the one context the agent may read, and nothing hidden', async () => {
    const ids = await searchIds(server, readerKey, readerId);
    expect(ids).toContain(ownId);
    expect(ids.filter((id) => id.includes('-hidden-'))).toEqual([]);
  });

  it('contextFor still delivers it, and neither delivers nor names anything hidden', async () => {
    const pkg = await packageFor(server, readerKey, readerId);
    const ids = pkg.items.map((item) => item.context.id);
    expect(ids).toContain(ownId);
    expect([...ids, ...pkg.dropped.map((d) => d.contextId)].filter((id) => id.includes('-hidden-'))).toEqual([]);
  });

  it('as of the seq it was published at (time travel over the versions’ index), both still find it', async () => {
    expect(await searchIds(server, readerKey, readerId, ownSeq)).toContain(ownId);
    const pkg = await packageFor(server, readerKey, readerId, { asOf: ownSeq });
    expect(pkg.items.map((item) => item.context.id)).toContain(ownId);
    expect(pkg.items.map((item) => item.context.id).filter((id) => id.includes('-hidden-'))).toEqual([]);
  });

  it('an admin asking as the agent gets the agent’s view, the same context', async () => {
    expect(await searchIds(server, server.adminKey, readerId)).toContain(ownId);
    expect((await packageFor(server, server.adminKey, readerId)).items.map((item) => item.context.id)).toContain(ownId);
  });
});

describe('a workflow-scoped request in an index crowded by other workflows', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  }, 120_000);
  afterAll(() => server?.stop());

  it('contextFor(workflowId) delivers the workflow’s own context under 200 closer matches from another workflow', async () => {
    const other = await server.registerAgent({ id: `${server.ns}-other`, name: 'other' });
    const member = await server.registerAgent({ id: `${server.ns}-member`, name: 'member' });
    // Published by a colleague, so the member's own work (a source without an index) does not bring it in.
    const colleague = await server.registerAgent({ id: `${server.ns}-colleague`, name: 'colleague' });
    const workflowId = `${server.ns}-wf`;
    await crowd(server, other.apiKey, `${server.ns}-elsewhere`, 200, { workflowId: `${server.ns}-other-wf` });
    const mine = await publish(server, colleague.apiKey, {
      id: `${server.ns}-mine`,
      type: 'FINDING',
      text: 'Our Redis cache evicts with allkeys-lru since the March incident',
      tags: ['cache'],
      workflowId,
    });
    const pkg = await packageFor(server, member.apiKey, member.id, { workflowId });
    expect(pkg.items.map((item) => item.context.id)).toEqual([mine.id]);
    const then = await packageFor(server, member.apiKey, member.id, { workflowId, asOf: mine.seq });
    expect(then.items.map((item) => item.context.id)).toEqual([mine.id]);
  });
});
