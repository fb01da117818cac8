import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countQueries, startTestServer, type TestServer } from '../support/harness.js';
import { failed, finding, LIST_IDS, listAllIds, ok, publish, publishMany, RETRACT, type ListIds } from './support.js';

describe('reads: pagination, filters, traversal, round trips', () => {
  let server: TestServer;
  const id = (name: string) => `${server.ns}-${name}`;

  beforeAll(async () => {
    // No background expiry sweep: the round-trip test counts every statement the server sends.
    server = await startTestServer({ env: { EXPIRY_SWEEP_MS: '0' } });
  });
  afterAll(async () => {
    await server?.stop();
  });

  describe('cursor pagination', () => {
    let pager: { id: string; apiKey: string };
    let newestFirst: string[];

    beforeAll(async () => {
      pager = await server.registerAgent({ id: `${server.ns}-pager` });
      const created = await publishMany(
        server,
        pager.apiKey,
        Array.from({ length: 25 }, (_, index) => finding(`page item ${index}`, { id: id(`page-${String(index).padStart(2, '0')}`) })),
      );
      newestFirst = created.map((c) => c.id).reverse();
    });

    const page = (first: number, after: string | null) =>
      server.gql<ListIds>(pager.apiKey, LIST_IDS, { filter: { sourceAgentIds: [pager.id] }, first, after });

    it('walks 25 contexts in pages of 10, 10, 5: newest first, no duplicates, no gaps, hasNextPage false at the end', async () => {
      const seen: string[] = [];
      const sizes: number[] = [];
      const seqs: number[] = [];
      let after: string | null = null;
      let hasNext = true;
      while (hasNext) {
        const data: ListIds = ok(await page(10, after));
        sizes.push(data.contexts.edges.length);
        seen.push(...data.contexts.edges.map((edge) => edge.node.id));
        seqs.push(...data.contexts.edges.map((edge) => edge.node.seq));
        expect(data.contexts.pageInfo.endCursor).toBe(data.contexts.edges.at(-1)?.cursor ?? null);
        hasNext = data.contexts.pageInfo.hasNextPage;
        after = data.contexts.pageInfo.endCursor;
        if (sizes.length > 5) throw new Error('pagination does not end');
      }
      expect(sizes).toEqual([10, 10, 5]);
      expect(seen).toEqual(newestFirst);
      expect(new Set(seen).size).toBe(25);
      for (let index = 1; index < seqs.length; index += 1) expect(seqs[index]).toBeLessThan(seqs[index - 1] ?? 0);
    });

    it('reports hasNextPage false on a page that ends exactly at the last item', async () => {
      const first = ok(await page(20, null));
      const last = ok(await page(5, first.contexts.pageInfo.endCursor));
      expect(last.contexts.edges).toHaveLength(5);
      expect(last.contexts.pageInfo.hasNextPage).toBe(false);
      const empty = ok(await page(5, last.contexts.pageInfo.endCursor));
      expect(empty.contexts.edges).toEqual([]);
      expect(empty.contexts.pageInfo).toEqual({ hasNextPage: false, endCursor: null });
    });

    it('rejects an invalid cursor with BAD_USER_INPUT', async () => {
      failed(await page(10, 'not-a-cursor'), 'BAD_USER_INPUT');
      failed(await page(10, Buffer.from('seq:abc').toString('base64url')), 'BAD_USER_INPUT');
    });

    it('rejects first: 0 and first: 101 with BAD_USER_INPUT, accepts 1 and 100', async () => {
      failed(await page(0, null), 'BAD_USER_INPUT');
      failed(await page(101, null), 'BAD_USER_INPUT');
      failed(await page(-1, null), 'BAD_USER_INPUT');
      expect(ok(await page(1, null)).contexts.edges.map((e) => e.node.id)).toEqual(newestFirst.slice(0, 1));
      expect(ok(await page(100, null)).contexts.edges).toHaveLength(25);
    });
  });

  describe('filters', () => {
    let agent: { id: string; apiKey: string };
    let second: { id: string; apiKey: string };
    let boundary: string;
    const list = (filter: Record<string, unknown>, agentIds?: string[]) =>
      listAllIds(server, server.adminKey, { sourceAgentIds: agentIds ?? [agent.id, second.id], ...filter }).then((found) => found.sort());

    beforeAll(async () => {
      agent = await server.registerAgent({ id: `${server.ns}-filter-a` });
      second = await server.registerAgent({ id: `${server.ns}-filter-b` });
      await publishMany(server, agent.apiKey, [
        { type: 'FINDING', text: 'f1', id: id('f-finding'), tags: ['alpha'], priority: 'ROUTINE' },
        { type: 'CONSTRAINT', text: 'f2', id: id('f-constraint'), tags: ['beta'], priority: 'CRITICAL' },
        { type: 'DECISION', text: 'f3', id: id('f-decision'), tags: ['alpha', 'gamma'], priority: 'IMPORTANT' },
      ]);
      await publish(server, agent.apiKey, { type: 'FINDING', text: 'f4', id: id('f-retracted'), tags: ['alpha'] });
      ok(await server.gql(agent.apiKey, RETRACT, { id: id('f-retracted'), reason: 'wrong' }));
      // A strictly later creation time for the second group.
      await new Promise((resolve) => setTimeout(resolve, 25));
      const later = await publish(server, second.apiKey, {
        type: 'OUTPUT',
        text: 'f5',
        id: id('f-later'),
        tags: ['delta'],
        priority: 'CRITICAL',
      });
      boundary = later.metadata.timestamp;
    });

    it('filters by sourceAgentIds', async () => {
      expect(await list({}, [second.id])).toEqual([id('f-later')]);
      expect(await list({}, [agent.id])).toEqual([id('f-constraint'), id('f-decision'), id('f-finding')].sort());
    });

    it('filters by types', async () => {
      expect(await list({ types: ['FINDING'] })).toEqual([id('f-finding')]);
      expect(await list({ types: ['CONSTRAINT', 'OUTPUT'] })).toEqual([id('f-constraint'), id('f-later')].sort());
    });

    it('filters by tags as any-of', async () => {
      expect(await list({ tags: ['alpha'] })).toEqual([id('f-decision'), id('f-finding')].sort());
      expect(await list({ tags: ['gamma', 'delta'] })).toEqual([id('f-decision'), id('f-later')].sort());
      expect(await list({ tags: ['none-such'] })).toEqual([]);
    });

    it('filters by priorities', async () => {
      expect(await list({ priorities: ['CRITICAL'] })).toEqual([id('f-constraint'), id('f-later')].sort());
      expect(await list({ priorities: ['IMPORTANT', 'ROUTINE'] })).toEqual([id('f-decision'), id('f-finding')].sort());
    });

    it('excludes RETRACTED contexts by default and includes them with statuses: [RETRACTED]', async () => {
      expect(await list({})).not.toContain(id('f-retracted'));
      expect(await list({ statuses: ['RETRACTED'] })).toEqual([id('f-retracted')]);
      expect(await list({ statuses: ['ACTIVE', 'RETRACTED'], tags: ['alpha'] })).toEqual(
        [id('f-decision'), id('f-finding'), id('f-retracted')].sort(),
      );
    });

    it('filters by createdAfter (inclusive) and createdBefore (exclusive)', async () => {
      expect(await list({ createdAfter: boundary })).toEqual([id('f-later')]);
      expect(await list({ createdBefore: boundary })).toEqual([id('f-constraint'), id('f-decision'), id('f-finding')].sort());
      expect(await list({ createdAfter: boundary, createdBefore: boundary })).toEqual([]);
    });

    it('reads a context past its expiration as EXPIRED: excluded by default, listed with statuses: [EXPIRED]', async () => {
      const expiring = await server.registerAgent({ id: `${server.ns}-expiring` });
      const soon = new Date(Date.now() + 1_500).toISOString();
      await publish(server, expiring.apiKey, finding('short lived', { id: id('f-expiring'), expiration: soon }));
      await publish(server, expiring.apiKey, finding('long lived', { id: id('f-lasting') }));
      // Wait (not measured) until the expiration has certainly passed.
      while (Date.now() <= Date.parse(soon) + 200) await new Promise((resolve) => setTimeout(resolve, 100));
      const read = await server.gql<{ context: { status: string } }>(expiring.apiKey, 'query($id: ID!) { context(id: $id) { status } }', {
        id: id('f-expiring'),
      });
      expect(ok(read).context.status).toBe('EXPIRED');
      expect(await list({}, [expiring.id])).toEqual([id('f-lasting')]);
      expect(await list({ statuses: ['EXPIRED'] }, [expiring.id])).toEqual([id('f-expiring')]);
      expect(await list({ statuses: ['ACTIVE', 'EXPIRED'] }, [expiring.id])).toEqual([id('f-expiring'), id('f-lasting')].sort());
    });

    it('combines filters with AND', async () => {
      expect(await list({ tags: ['alpha'], types: ['DECISION'], priorities: ['IMPORTANT'] })).toEqual([id('f-decision')]);
      expect(await list({ tags: ['alpha'], types: ['CONSTRAINT'] })).toEqual([]);
    });

    it('rejects a malformed createdAfter with BAD_USER_INPUT', async () => {
      failed(
        await server.gql(server.adminKey, LIST_IDS, { filter: { createdAfter: 'yesterday' }, first: 5, after: null }),
        'BAD_USER_INPUT',
      );
    });
  });

  describe('dependency traversal on the chain a <- b <- c <- d (and sibling e -> a)', () => {
    let agent: { id: string; apiKey: string };
    const node = (name: string) => id(`chain-${name}`);

    beforeAll(async () => {
      agent = await server.registerAgent({ id: `${server.ns}-chain` });
      await publishMany(server, agent.apiKey, [
        finding('a', { id: node('a') }),
        finding('b', { id: node('b'), dependencies: [node('a')] }),
        finding('c', { id: node('c'), dependencies: [node('b')] }),
        finding('d', { id: node('d'), dependencies: [node('c')] }),
        finding('e', { id: node('e'), dependencies: [node('a')] }),
      ]);
    });

    const dependencies = async (from: string, depth: number) => {
      const response = await server.gql<{ context: { dependencies: { id: string }[] } }>(
        agent.apiKey,
        'query($id: ID!, $depth: Int) { context(id: $id) { dependencies(depth: $depth) { id } } }',
        { id: from, depth },
      );
      return ok(response).context.dependencies.map((c) => c.id);
    };

    it('dependencies(depth: 1/2/3) from d reach c, then b, then a, nearest first', async () => {
      expect(await dependencies(node('d'), 1)).toEqual([node('c')]);
      expect(await dependencies(node('d'), 2)).toEqual([node('c'), node('b')]);
      expect(await dependencies(node('d'), 3)).toEqual([node('c'), node('b'), node('a')]);
      expect(await dependencies(node('d'), 6)).toEqual([node('c'), node('b'), node('a')]);
    });

    it('dependents(depth: 2) from a reach b, e and c but not d', async () => {
      const response = await server.gql<{ context: { dependents: { id: string }[] } }>(
        agent.apiKey,
        'query($id: ID!) { context(id: $id) { dependents(depth: 2) { id } } }',
        { id: node('a') },
      );
      expect(
        ok(response)
          .context.dependents.map((c) => c.id)
          .sort(),
      ).toEqual([node('b'), node('c'), node('e')].sort());
    });

    const graph = async (direction: string, depth = 1) => {
      const response = await server.gql<{ dependencyGraph: { nodes: { id: string }[]; edges: { from: string; to: string }[] } }>(
        agent.apiKey,
        'query($roots: [ID!]!, $depth: Int, $dir: Direction) { dependencyGraph(rootIds: $roots, depth: $depth, direction: $dir) { nodes { id } edges { from to } } }',
        { roots: [node('b')], depth, dir: direction },
      );
      const data = ok(response).dependencyGraph;
      const edgeKey = (e: { from: string; to: string }) => `${e.from}->${e.to}`;
      return { nodes: data.nodes.map((n) => n.id).sort(), edges: data.edges.map(edgeKey).sort() };
    };

    it('dependencyGraph(b, depth 1, OUTGOING) is {b, a} with edge b->a', async () => {
      expect(await graph('OUTGOING')).toEqual({ nodes: [node('a'), node('b')].sort(), edges: [`${node('b')}->${node('a')}`] });
    });

    it('dependencyGraph(b, depth 1, INCOMING) is {b, c} with edge c->b', async () => {
      expect(await graph('INCOMING')).toEqual({ nodes: [node('b'), node('c')].sort(), edges: [`${node('c')}->${node('b')}`] });
    });

    it('dependencyGraph(b, depth 1, BOTH) is {a, b, c} with both edges and no sibling e', async () => {
      expect(await graph('BOTH')).toEqual({
        nodes: [node('a'), node('b'), node('c')].sort(),
        edges: [`${node('b')}->${node('a')}`, `${node('c')}->${node('b')}`].sort(),
      });
    });

    it('dependencyGraph(b, depth 3, BOTH) follows directed paths only: it never reaches sibling e', async () => {
      expect(await graph('BOTH', 3)).toEqual({
        nodes: [node('a'), node('b'), node('c'), node('d')].sort(),
        edges: [`${node('b')}->${node('a')}`, `${node('c')}->${node('b')}`, `${node('d')}->${node('c')}`].sort(),
      });
    });

    it('rejects a depth above the maximum (6) or below 1 with BAD_USER_INPUT', async () => {
      const fieldQuery = 'query($id: ID!, $depth: Int) { context(id: $id) { dependencies(depth: $depth) { id } } }';
      failed(await server.gql(agent.apiKey, fieldQuery, { id: node('d'), depth: 7 }), 'BAD_USER_INPUT');
      failed(await server.gql(agent.apiKey, fieldQuery, { id: node('d'), depth: 0 }), 'BAD_USER_INPUT');
      failed(
        await server.gql(agent.apiKey, 'query($id: ID!) { context(id: $id) { dependents(depth: 7) { id } } }', { id: node('a') }),
        'BAD_USER_INPUT',
      );
      failed(
        await server.gql(agent.apiKey, 'query($r: [ID!]!) { dependencyGraph(rootIds: $r, depth: 7) { nodes { id } } }', { r: [node('b')] }),
        'BAD_USER_INPUT',
      );
    });
  });

  describe('database round trips', () => {
    let agent: { id: string; apiKey: string };
    let helper: { id: string; apiKey: string };

    beforeAll(async () => {
      agent = await server.registerAgent({ id: `${server.ns}-bulk` });
      helper = await server.registerAgent({ id: `${server.ns}-bulk-helper` });
      // 100 contexts in 4 batches; the odd ones (50) depend on the even one before them and name relevance.
      for (let batch = 0; batch < 4; batch += 1) {
        const inputs = Array.from({ length: 25 }, (_, offset) => {
          const index = batch * 25 + offset;
          const own = id(`bulk-${index}`);
          return index % 2 === 1
            ? finding(`bulk ${index}`, {
                id: own,
                dependencies: [id(`bulk-${index - 1}`)],
                relevance: [{ agentId: helper.id, score: 0.5 }],
              })
            : finding(`bulk ${index}`, { id: own });
        });
        await publishMany(server, agent.apiKey, inputs);
      }
    });

    const pageQuery = (first: number) => `query { contexts(first: ${first}, filter: { sourceAgentIds: ["${agent.id}"] }) {
      edges { node { id metadata { sourceAgent { id name } dependencies } dependencies { id } relevance { score } } } } }`;

    type Page = {
      contexts: {
        edges: {
          node: {
            id: string;
            metadata: { sourceAgent: { id: string }; dependencies: string[] };
            dependencies: { id: string }[];
            relevance: { score: number }[];
          };
        }[];
      };
    };

    it('resolves a page with sources, dependencies and relevance in a fixed number of statements, independent of page size', async () => {
      // Agent records are shared across requests for 2 s (AgentDirectory); let them expire before each
      // measurement so that both requests start from the same cold cache and do the same work.
      const coldAgentCache = () => new Promise((resolve) => setTimeout(resolve, 2_100));
      let big: Page | undefined;
      await coldAgentCache();
      const hundred = await countQueries(server.app, async () => {
        big = ok(await server.gql<Page>(server.adminKey, pageQuery(100)));
      });
      let small: Page | undefined;
      await coldAgentCache();
      const ten = await countQueries(server.app, async () => {
        small = ok(await server.gql<Page>(server.adminKey, pageQuery(10)));
      });

      // The data is really there, so the loaders had work to do.
      expect(big?.contexts.edges).toHaveLength(100);
      expect(small?.contexts.edges).toHaveLength(10);
      const withDeps = big?.contexts.edges.filter((e) => e.node.dependencies.length === 1) ?? [];
      expect(withDeps).toHaveLength(50);
      for (const edge of withDeps) {
        expect(edge.node.metadata.dependencies).toEqual(edge.node.dependencies.map((d) => d.id));
        expect(edge.node.relevance).toEqual([{ score: 0.5 }]);
      }
      for (const edge of big?.contexts.edges ?? []) expect(edge.node.metadata.sourceAgent.id).toBe(agent.id);

      expect(hundred.total).toBeLessThanOrEqual(6);
      expect(ten.total).toBe(hundred.total);
      expect(ten.byName).toEqual(hundred.byName);
      // One statement per field, never one per context.
      for (const count of Object.values(hundred.byName)) expect(count).toBe(1);
    });

    it('lists all 100 through cursors without loss', async () => {
      const all = await listAllIds(server, agent.apiKey, { sourceAgentIds: [agent.id] });
      expect(new Set(all)).toEqual(new Set(Array.from({ length: 100 }, (_, index) => id(`bulk-${index}`))));
    });
  });
});
