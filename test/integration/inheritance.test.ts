import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/harness.js';
import { failed, getContext, getWithHistory, listAllIds, ok, publishMany } from './support.js';

/**
 * Inheritance (README "Inheritance"), the article's example: a child spawned with inherit [brand_guidelines,
 * quality_standards], override { audience: technical_experts }, isolate [confidential_data] sees the inherited and
 * overridden context and never the isolated one, through every read path (the one rule in VISIBLE / VISIBLE_VERSION).
 */
const SPAWN = `mutation($parentId: ID!, $input: SpawnAgentInput!, $key: String) {
  spawnAgent(parentId: $parentId, input: $input, idempotencyKey: $key) { agent { id needs produces parent { id } } apiKey } }`;

interface Spawned {
  spawnAgent: { agent: { id: string; needs: string[]; produces: string[]; parent: { id: string } | null }; apiKey: string };
}

describe('inheritance: spawnAgent with inherit, override and isolate', () => {
  let server: TestServer;
  let lead: { id: string; apiKey: string };
  let other: { id: string; apiKey: string };
  let child: { id: string; apiKey: string };
  const id = (name: string) => `${server.ns}-${name}`;
  let overrideId = '';
  let agentIds: string[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    lead = await server.registerAgent({ id: `${server.ns}-lead`, needs: ['brand_guidelines'], produces: ['copy'] });
    other = await server.registerAgent({ id: `${server.ns}-other` });
    await publishMany(server, other.apiKey, [
      { id: id('brand'), type: 'CONSTRAINT', text: 'Brand guidelines: use the blue palette', tags: ['brand_guidelines'] },
      { id: id('quality'), type: 'CONSTRAINT', text: 'Quality standards: cite every number', tags: ['quality_standards'] },
      { id: id('secret'), type: 'FINDING', text: 'Confidential data: Q3 brand budget', tags: ['confidential_data', 'brand_guidelines'] },
      { id: id('misc'), type: 'FINDING', text: 'Unrelated note about lunch', tags: ['random'] },
      { id: id('audience'), type: 'CONSTRAINT', text: 'Audience: general consumers', tags: ['brand_guidelines'], claim: 'audience' },
      { id: id('lead-only'), type: 'CONSTRAINT', text: 'Quality: lead-only rule', tags: ['quality_standards'], visibleTo: [lead.id] },
      {
        id: id('uses-secret'),
        type: 'OUTPUT',
        text: 'Brand plan built on the budget',
        tags: ['brand_guidelines'],
        dependencies: [id('secret')],
      },
    ]);
    const spawned = ok(
      await server.gql<Spawned>(lead.apiKey, SPAWN, {
        parentId: lead.id,
        input: {
          id: `${server.ns}-child`,
          name: 'Writer child',
          inherit: ['brand_guidelines', 'quality_standards'],
          override: [{ claim: 'audience', text: 'Audience: technical_experts (engineers who want detail)' }],
          isolate: ['confidential_data'],
        },
      }),
    ).spawnAgent;
    expect(spawned.agent.parent?.id).toBe(lead.id);
    expect(spawned.agent.needs).toEqual(['brand_guidelines']);
    expect(spawned.agent.produces).toEqual(['copy']);
    child = { id: spawned.agent.id, apiKey: spawned.apiKey };
    await publishMany(server, other.apiKey, [
      { id: id('for-child'), type: 'OBJECTIVE', text: 'Write the launch post', tags: ['random'], visibleTo: [child.id] },
      {
        id: id('for-child-secret'),
        type: 'FINDING',
        text: 'Confidential data for the child',
        tags: ['confidential_data'],
        visibleTo: [child.id],
      },
    ]);
    agentIds = [lead.id, other.id, child.id];
    const own = await listAllIds(server, child.apiKey, { sourceAgentIds: [child.id] });
    expect(own).toHaveLength(1);
    overrideId = own[0] ?? '';
  });
  afterAll(async () => {
    await server?.stop();
  });

  const visible = () => [id('brand'), id('quality'), id('lead-only'), id('uses-secret'), id('for-child'), overrideId].sort();
  const hidden = () => [id('secret'), id('misc'), id('audience'), id('for-child-secret')];

  it('lists exactly the inherited, overridden and shared contexts, and counts nothing hidden', async () => {
    expect((await listAllIds(server, child.apiKey, { sourceAgentIds: agentIds })).sort()).toEqual(visible());
    const override = await getContext(server, child.apiKey, overrideId);
    expect(override?.text).toBe('Audience: technical_experts (engineers who want detail)');
    expect(override?.visibleTo).toEqual([child.id]);
    // The parent still reads its own view (the override is the child's).
    const parentIds = await listAllIds(server, lead.apiKey, { sourceAgentIds: agentIds });
    expect(parentIds).toContain(id('audience'));
    expect(parentIds).toContain(id('secret'));
    expect(parentIds).not.toContain(overrideId);
  });

  it('answers a hidden id exactly like a missing one (context, history, asOf, dependencies, publish)', async () => {
    const now = (await getContext(server, server.adminKey, id('for-child-secret')))?.seq ?? 0;
    for (const hiddenId of hidden()) {
      expect(await getContext(server, child.apiKey, hiddenId)).toBeNull();
      expect(await getContext(server, child.apiKey, hiddenId, now)).toBeNull();
      expect(await getContext(server, server.adminKey, hiddenId, now)).not.toBeNull();
    }
    const missing = failed(
      await server.gql(child.apiKey, `mutation($i: PublishContextInput!) { publishContext(input: $i) { id } }`, {
        i: { type: 'OUTPUT', text: 'x', dependencies: [id('nope')] },
      }),
      'NOT_FOUND',
    );
    const hiddenDep = failed(
      await server.gql(child.apiKey, `mutation($i: PublishContextInput!) { publishContext(input: $i) { id } }`, {
        i: { type: 'OUTPUT', text: 'x', dependencies: [id('secret')] },
      }),
      'NOT_FOUND',
    );
    expect(hiddenDep.message.replace(id('secret'), 'ID')).toBe(missing.message.replace(id('nope'), 'ID'));
    const withHistory = await getWithHistory(server, child.apiKey, id('brand'));
    expect(withHistory?.history.length).toBeGreaterThan(0);
  });

  it('never reaches the isolated context through dependencies, dependents or dependencyGraph', async () => {
    const data = ok(
      await server.gql<{
        context: { metadata: { dependencies: string[] }; dependencies: { id: string }[] } | null;
        dependencyGraph: { nodes: { id: string }[]; edges: { from: string; to: string }[] };
      }>(
        child.apiKey,
        `query($id: ID!) { context(id: $id) { metadata { dependencies } dependencies(depth: 3) { id } }
           dependencyGraph(rootIds: [$id], depth: 3, direction: BOTH) { nodes { id } edges { from to } } }`,
        { id: id('uses-secret') },
      ),
    );
    expect(data.context?.metadata.dependencies).toEqual([]);
    expect(data.context?.dependencies).toEqual([]);
    expect(data.dependencyGraph.nodes.map((n) => n.id)).toEqual([id('uses-secret')]);
    expect(data.dependencyGraph.edges).toEqual([]);
  });

  it('routes (contextFor) and searches only what the child may read, the override in place of the parent’s claim', async () => {
    const data = ok(
      await server.gql<{
        contextFor: {
          items: { context: { id: string } }[];
          compressed: { originalContextIds: string[]; text: string } | null;
          dropped: { contextId: string }[];
        };
        searchContext: { context: { id: string } }[];
      }>(
        child.apiKey,
        `query($agent: ID!) {
           contextFor(agentId: $agent, task: "Who is the audience of the brand post? Audience technical experts, confidential budget", budget: 4000) {
             items { context { id } } compressed { originalContextIds text } dropped { contextId } }
           searchContext(query: "confidential data brand budget audience", agentId: $agent, limit: 50) { context { id } } }`,
        { agent: child.id },
      ),
    );
    const seen = [
      ...data.contextFor.items.map((i) => i.context.id),
      ...(data.contextFor.compressed?.originalContextIds ?? []),
      ...data.contextFor.dropped.map((d) => d.contextId),
      ...data.searchContext.map((h) => h.context.id),
    ];
    for (const hiddenId of hidden()) expect(seen).not.toContain(hiddenId);
    const routed = [...data.contextFor.items.map((i) => i.context.id), ...(data.contextFor.compressed?.originalContextIds ?? [])];
    expect(routed).toContain(overrideId);
    expect(data.searchContext.map((h) => h.context.id)).toContain(overrideId);
    expect(data.contextFor.compressed?.text ?? '').not.toContain('Q3 brand budget');
  });

  it('broadcasts to the child only what it may read', async () => {
    const critical = (name: string, tags: string[]) => ({
      id: id(name),
      type: 'CONSTRAINT',
      text: `Critical ${name}`,
      tags,
      priority: 'CRITICAL',
      relevance: [{ agentId: child.id, score: 1 }],
    });
    await publishMany(server, other.apiKey, [
      critical('alert-brand', ['brand_guidelines']),
      critical('alert-secret', ['confidential_data']),
    ]);
    const page = ok(
      await server.gql<{ broadcasts: { broadcasts: { context: { id: string } }[] } }>(
        child.apiKey,
        `query($a: ID!) { broadcasts(agentId: $a, afterSeq: 0) { broadcasts { context { id } } } }`,
        { a: child.id },
      ),
    );
    const ids = page.broadcasts.broadcasts.map((b) => b.context.id);
    expect(ids).toContain(id('alert-brand'));
    expect(ids).not.toContain(id('alert-secret'));
  });

  it('nests: a grandchild never sees more than its parent', async () => {
    const grand = ok(
      await server.gql<Spawned>(child.apiKey, SPAWN, {
        parentId: child.id,
        input: { id: `${server.ns}-grand`, name: 'Grandchild', isolate: ['QUALITY_STANDARDS'] },
      }),
    ).spawnAgent;
    const seen = (await listAllIds(server, grand.apiKey, { sourceAgentIds: agentIds })).sort();
    // Everything the child reads (inherit is empty: what is shared with the child too, and the broadcast test's alert)
    // except quality standards.
    expect(seen).toEqual([id('brand'), id('uses-secret'), id('for-child'), id('alert-brand'), overrideId].sort());
  });

  it('refuses what it must: FORBIDDEN, NOT_FOUND, ALREADY_EXISTS, BAD_USER_INPUT', async () => {
    const input = { name: 'x' };
    failed(await server.gql(other.apiKey, SPAWN, { parentId: lead.id, input }), 'FORBIDDEN');
    failed(await server.gql(server.adminKey, SPAWN, { parentId: id('ghost'), input }), 'NOT_FOUND');
    failed(await server.gql(lead.apiKey, SPAWN, { parentId: lead.id, input: { ...input, id: child.id } }), 'ALREADY_EXISTS');
    const bad = failed(await server.gql(lead.apiKey, SPAWN, { parentId: lead.id, input: { ...input, inherit: [' '] } }), 'BAD_USER_INPUT');
    expect(JSON.stringify(bad.extensions['issues'])).toContain('inherit');
    const byAdmin = ok(
      await server.gql<Spawned>(server.adminKey, SPAWN, { parentId: lead.id, input: { id: `${server.ns}-by-admin`, name: 'by admin' } }),
    );
    expect(byAdmin.spawnAgent.agent.parent?.id).toBe(lead.id);
  });
});
