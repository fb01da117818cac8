import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countQueries, startTestServer, type TestServer } from '../support/harness.js';

/** The Context Router against a real Neo4j, through the public GraphQL API. */

const PACKAGE = `query($agentId: ID!, $task: String!, $budget: Int) {
  contextFor(agentId: $agentId, task: $task, budget: $budget) {
    agent { id } task budget tokens asOf cached source
    items { context { id text } score tokens reasons { semantic dependency needs explicit confidence recency } }
    compressed { text originalContextIds tokens compressionRatio method }
    dropped { contextId reason duplicateOf score }
    timings { embeddingMs databaseMs rankingMs packingMs totalMs }
  }
}`;

interface Reasons {
  semantic: number;
  dependency: number;
  needs: number;
  explicit: number;
  confidence: number;
  recency: number;
}
interface Package {
  agent: { id: string };
  budget: number;
  tokens: number;
  asOf: number;
  cached: boolean;
  source: string;
  items: { context: { id: string; text: string }; score: number; tokens: number; reasons: Reasons }[];
  compressed: { text: string; originalContextIds: string[]; tokens: number; compressionRatio: number; method: string } | null;
  dropped: { contextId: string; reason: string; duplicateOf: string | null; score: number | null }[];
}

type Agent = { id: string; apiKey: string };

describe('contextFor and searchContext', () => {
  let server: TestServer;
  let researcher: Agent;
  let writer: Agent;
  let outsider: Agent;
  const id = (name: string) => `${server.ns}-${name}`;

  const publish = async (key: string, inputs: Record<string, unknown>[]) => {
    const result = await server.gql<{ publishContexts: { id: string }[] }>(
      key,
      'mutation($inputs: [PublishContextInput!]!) { publishContexts(inputs: $inputs) { id } }',
      { inputs },
    );
    if (!result.data) throw new Error(JSON.stringify(result.errors));
    return result.data.publishContexts;
  };
  const contextFor = async (key: string, agentId: string, task: string, budget?: number) => {
    const result = await server.gql<{ contextFor: Package }>(key, PACKAGE, { agentId, task, budget });
    return result;
  };
  const pkg = async (key: string, agentId: string, task: string, budget?: number) => {
    const result = await contextFor(key, agentId, task, budget);
    if (!result.data?.contextFor) throw new Error(JSON.stringify(result.errors));
    return result.data.contextFor;
  };
  const ids = (p: Package) => p.items.map((item) => item.context.id);

  beforeAll(async () => {
    server = await startTestServer();
    researcher = await server.registerAgent({ id: `${server.ns}-researcher`, needs: ['task_objective'], produces: ['key_findings'] });
    writer = await server.registerAgent({
      id: `${server.ns}-writer`,
      needs: ['key_findings', 'brand_guidelines'],
      produces: ['draft_content'],
      relevanceThreshold: 0.3,
      tokenBudget: 2000,
    });
    outsider = await server.registerAgent({ id: `${server.ns}-outsider`, needs: ['key_findings'] });

    await publish(researcher.apiKey, [
      {
        id: id('eu-rule'),
        type: 'FINDING',
        text: 'The EU will require cookie consent banners on every marketing page from March. The rule applies to all member states at once. Fines reach four percent of annual turnover for repeated violations.',
        tags: ['key_findings', 'regulation'],
        confidence: 0.9,
      },
      {
        id: id('eu-impact'),
        type: 'FINDING',
        text: 'Our landing pages need a consent banner redesign to comply with the new EU cookie rule. Twelve pages are affected, most of them campaign pages. The design team estimates two sprints for the change.',
        tags: ['key_findings'],
        dependencies: [id('eu-rule')],
        confidence: 0.8,
      },
      {
        id: id('brand'),
        type: 'CONSTRAINT',
        text: 'Brand guidelines: use a friendly, plain tone and never use exclamation marks in banners. Address the reader as you. Keep sentences under twenty words.',
        tags: ['brand_guidelines'],
      },
      {
        id: id('lunch'),
        type: 'FINDING',
        text: 'The cafeteria menu on Friday is grilled salmon with potatoes.',
        tags: ['misc'],
        confidence: 0.5,
      },
      {
        id: id('secret'),
        type: 'FINDING',
        text: 'Confidential: the cookie banner vendor contract is being renegotiated.',
        tags: ['key_findings'],
        visibleTo: [researcher.id],
      },
      {
        id: id('old-rule'),
        type: 'FINDING',
        text: 'An earlier draft said the cookie consent rule starts in January.',
        tags: ['key_findings'],
      },
      {
        id: id('dup-low'),
        type: 'FINDING',
        text: 'Adding a reject-all button raised cookie banner accept rates by 12 percent in our test.',
        tags: ['key_findings'],
        confidence: 0.6,
      },
      {
        id: id('dup-high'),
        type: 'FINDING',
        text: 'In our test, adding a reject-all button raised cookie banner accept rates by 12 percent!',
        tags: ['key_findings'],
        confidence: 0.95,
      },
    ]);
    await server.gql(researcher.apiKey, 'mutation($id: ID!) { retractContext(id: $id, reason: "superseded by eu-rule") { id } }', {
      id: id('old-rule'),
    });
  });
  afterAll(async () => {
    await server?.stop();
  });

  const TASK = 'Write the landing page copy for the cookie consent banner';

  it('ranks what matters for the task first and explains every score', async () => {
    const p = await pkg(writer.apiKey, writer.id, TASK, 4000);
    expect(p.agent.id).toBe(writer.id);
    expect(ids(p)).toEqual(expect.arrayContaining([id('eu-rule'), id('eu-impact'), id('brand')]));
    const byId = new Map(p.items.map((item) => [item.context.id, item]));
    for (const item of p.items) {
      for (const part of Object.values(item.reasons)) {
        expect(part).toBeGreaterThanOrEqual(0);
        expect(part).toBeLessThanOrEqual(1);
      }
      expect(item.score).toBeGreaterThanOrEqual(0.3);
    }
    // Matching a declared need and the task beats an unrelated, less confident finding.
    expect(byId.get(id('eu-impact'))?.reasons.needs).toBeGreaterThan(0);
    expect(byId.get(id('brand'))?.reasons.needs).toBeGreaterThan(0);
    expect(byId.has(id('lunch'))).toBe(false);
    expect(p.dropped).toContainEqual(expect.objectContaining({ contextId: id('lunch'), reason: 'BELOW_THRESHOLD' }));
  });

  it('filters what the agent may not see, retracted contexts, and near-duplicates (keeping the more confident)', async () => {
    const p = await pkg(writer.apiKey, writer.id, TASK, 4000);
    expect(ids(p)).not.toContain(id('secret'));
    expect(p.dropped.map((d) => d.contextId)).not.toContain(id('secret'));
    expect(ids(p)).not.toContain(id('old-rule'));
    expect(ids(p)).toContain(id('dup-high'));
    expect(ids(p)).not.toContain(id('dup-low'));
    expect(p.dropped).toContainEqual(
      expect.objectContaining({ contextId: id('dup-low'), reason: 'DUPLICATE', duplicateOf: id('dup-high') }),
    );
    // The source of the secret does get it.
    const own = await pkg(researcher.apiKey, researcher.id, 'cookie banner vendor contract', 4000);
    expect(ids(own)).toContain(id('secret'));
  });

  it('leaves out superseded contexts and offers their replacement', async () => {
    const task = `${TASK} (supersession)`;
    await publish(researcher.apiKey, [
      { id: id('deadline-v1'), type: 'CONSTRAINT', text: 'Cookie banner copy is due to legal review by Friday.', tags: ['key_findings'] },
    ]);
    expect(ids(await pkg(writer.apiKey, writer.id, task, 4000))).toContain(id('deadline-v1'));
    await publish(researcher.apiKey, [
      {
        id: id('deadline-v2'),
        type: 'CONSTRAINT',
        text: 'Cookie banner copy is now due to legal review by Wednesday.',
        tags: ['key_findings'],
        supersedes: [id('deadline-v1')],
      },
    ]);
    const after = await pkg(writer.apiKey, writer.id, task, 4000);
    expect(after.cached).toBe(false);
    expect(ids(after)).not.toContain(id('deadline-v1'));
    expect(ids(after)).toContain(id('deadline-v2'));
  });

  it('leaves out contexts past their expiry', async () => {
    // Room for a slow first answer on a loaded machine; then wait until just past the expiry itself.
    const expiresAt = Date.now() + 6_000;
    await publish(researcher.apiKey, [
      {
        id: id('short-lived'),
        type: 'FINDING',
        text: 'Cookie consent banner copy must mention the EU rule by name.',
        tags: ['key_findings'],
        expiration: new Date(expiresAt).toISOString(),
      },
    ]);
    const before = await pkg(writer.apiKey, writer.id, `${TASK} (expiry check)`, 4000);
    expect(ids(before)).toContain(id('short-lived'));
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, expiresAt - Date.now()) + 200));
    const after = await pkg(writer.apiKey, writer.id, `${TASK} (expiry check)`, 4000);
    expect(ids(after)).not.toContain(id('short-lived'));
  });

  it('puts a dependency before the context that builds on it', async () => {
    const p = await pkg(writer.apiKey, writer.id, TASK, 4000);
    expect(ids(p).indexOf(id('eu-rule'))).toBeLessThan(ids(p).indexOf(id('eu-impact')));
  });

  it('never exceeds the budget, and summarises what does not fit', async () => {
    const full = await pkg(writer.apiKey, writer.id, TASK, 4000);
    const allTokens = full.items.reduce((sum, item) => sum + item.tokens, 0);
    expect(allTokens).toBeGreaterThan(50);
    let summarised = 0;
    for (const budget of [Math.floor(allTokens * 0.4), Math.floor(allTokens * 0.7), allTokens - 5]) {
      const p = await pkg(writer.apiKey, writer.id, TASK, budget);
      const itemTokens = p.items.reduce((sum, item) => sum + item.tokens, 0);
      expect(p.tokens).toBe(itemTokens + (p.compressed?.tokens ?? 0));
      expect(p.tokens).toBeLessThanOrEqual(budget);
      // Everything that passed is either read whole or represented in the summary, which is a real compression.
      const represented = new Set([...ids(p), ...(p.compressed?.originalContextIds ?? [])]);
      expect(represented.size).toBeGreaterThan(ids(p).length - 1);
      if (p.compressed) {
        summarised += 1;
        expect(p.compressed.method).toBe('EXTRACTIVE');
        expect(p.compressed.originalContextIds.length).toBeGreaterThan(0);
        for (const summarised of p.compressed.originalContextIds) expect(ids(p)).not.toContain(summarised);
        expect(p.compressed.compressionRatio).toBeGreaterThanOrEqual(1);
      }
    }
    expect(full.compressed).toBeNull();
    expect(summarised).toBeGreaterThan(0);
  });

  it('answers BUDGET_TOO_SMALL when nothing can be said within the budget', async () => {
    const result = await contextFor(writer.apiKey, writer.id, TASK, 3);
    expect(result.errors?.[0]?.extensions?.code).toBe('BUDGET_TOO_SMALL');
  });

  it('validates its arguments and lets an agent route only for itself', async () => {
    expect((await contextFor(writer.apiKey, writer.id, '   ', 100)).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await contextFor(writer.apiKey, writer.id, TASK, 0)).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await contextFor(writer.apiKey, researcher.id, TASK, 100)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await contextFor(server.adminKey, `${server.ns}-nobody`, TASK, 100)).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    // The admin gets exactly the agent's own view.
    const asAdmin = await pkg(server.adminKey, writer.id, TASK, 4000);
    expect(ids(asAdmin)).not.toContain(id('secret'));
  });

  it('serves a cached package until something it used, or could now include, changes', async () => {
    const task = `${TASK} (cache)`;
    const first = await pkg(writer.apiKey, writer.id, task, 4000);
    expect(first.cached).toBe(false);
    expect(first.source).toBe('COMPUTED');
    const second = await pkg(writer.apiKey, writer.id, task, 4000);
    expect(second.cached).toBe(true);
    expect(second.source).toBe('CACHE');
    expect(ids(second)).toEqual(ids(first));

    // An unrelated publication cannot enter this package: the cache stays valid.
    await publish(outsider.apiKey, [
      { id: id('noise'), type: 'FINDING', text: 'Quarterly parking permits are renewed in the lobby.', confidence: 0.2 },
    ]);
    expect((await pkg(writer.apiKey, writer.id, task, 4000)).cached).toBe(true);

    // A relevant new finding could: the package is recomputed and includes it.
    await publish(researcher.apiKey, [
      {
        id: id('banner-test'),
        type: 'FINDING',
        text: 'A/B test: cookie consent banners with plain copy get more accepts on landing pages.',
        tags: ['key_findings'],
      },
    ]);
    const afterPublish = await pkg(writer.apiKey, writer.id, task, 4000);
    expect(afterPublish.cached).toBe(false);
    expect(ids(afterPublish)).toContain(id('banner-test'));

    // Retracting something the package used invalidates it too.
    expect((await pkg(writer.apiKey, writer.id, task, 4000)).cached).toBe(true);
    await server.gql(researcher.apiKey, 'mutation($id: ID!) { retractContext(id: $id, reason: "wrong") { id } }', {
      id: id('banner-test'),
    });
    const afterRetract = await pkg(writer.apiKey, writer.id, task, 4000);
    expect(afterRetract.cached).toBe(false);
    expect(ids(afterRetract)).not.toContain(id('banner-test'));
  });

  it('coalesces 1,000 concurrent identical requests into one computation with few database trips', async () => {
    const task = `${TASK} (stampede)`;
    const query = `query($agentId: ID!, $task: String!) { contextFor(agentId: $agentId, task: $task, budget: 500) { agent { id } tokens cached coalesced items { context { id text } score } } }`;
    type Shape = { contextFor: { tokens: number; cached: boolean; coalesced: boolean; items: unknown[] } };
    let responses: { data?: Shape | null }[] = [];
    const started = performance.now();
    const counted = await countQueries(server.app, async () => {
      responses = await Promise.all(
        Array.from({ length: 1000 }, () =>
          server.gql<Shape>(writer.apiKey, query, {
            agentId: writer.id,
            task,
          }),
        ),
      );
    });
    expect(responses).toHaveLength(1000);
    for (const response of responses) expect(response.data?.contextFor.items.length).toBeGreaterThan(0);
    const computations = counted.byName['routingCandidates'] ?? 0;
    expect(computations).toBe(1);
    // Exactly one response did the work; every other one shared it in flight or came from the cache.
    const computed = responses.filter((r) => r.data?.contextFor.cached === false && r.data.contextFor.coalesced === false);
    expect(computed).toHaveLength(1);
    expect(responses.filter((r) => r.data?.contextFor.coalesced).length).toBeGreaterThan(0);
    // One computation's statements plus the cache checks of requests arriving after it finished: at most one
    // changesSince per ROUTING_CACHE_RECHECK_MS (50 ms), each followed by at most a couple of reads when other
    // files wrote meanwhile. On a loaded machine the stampede spreads over seconds, hence the time-based bound.
    const windows = Math.ceil((performance.now() - started) / 50) + 1;
    const rechecks = counted.byName['changesSince'] ?? 0;
    expect(rechecks).toBeLessThanOrEqual(windows);
    // Every answer is recorded (src/app/history/package-log.ts), but in batches: two statements per batch, a batch
    // per 50 ms or 200 answers — never a write per request.
    const recording = (counted.byName['mergePackageBodies'] ?? 0) + (counted.byName['mergeRoutedPackages'] ?? 0);
    expect(recording).toBeLessThanOrEqual(2 * (windows + Math.ceil(1000 / 200)));
    expect(counted.total - recording, JSON.stringify(counted.byName)).toBeLessThan(60 + 3 * rechecks);
  }, 120_000);

  it('keeps heavy content out of routing and loads it only when selected', async () => {
    await publish(researcher.apiKey, [
      { id: id('with-content'), type: 'OUTPUT', text: 'Banner copy draft', content: { draft: 'x'.repeat(5000) } },
    ]);
    const withoutContent = await countQueries(server.app, () =>
      server.gql(writer.apiKey, '{ context(id: "' + id('with-content') + '") { id text } }'),
    );
    expect(withoutContent.byName['contentByIds']).toBeUndefined();
    const withContent = await countQueries(server.app, async () => {
      const result = await server.gql<{ context: { content: { draft: string } } }>(
        writer.apiKey,
        '{ context(id: "' + id('with-content') + '") { id content } }',
      );
      expect(result.data?.context.content.draft).toHaveLength(5000);
    });
    expect(withContent.byName['contentByIds']).toBe(1);
  });

  it('stores relevance to registered agents at publish time (explicit: false)', async () => {
    const result = await server.gql<{ context: { relevance: { agent: { id: string }; score: number; explicit: boolean }[] } }>(
      writer.apiKey,
      `query($id: ID!) { context(id: $id) { relevance { agent { id } score explicit } } }`,
      { id: id('eu-impact') },
    );
    const relevance = result.data?.context.relevance ?? [];
    const forWriter = relevance.find((r) => r.agent.id === writer.id);
    expect(forWriter?.explicit).toBe(false);
    expect(forWriter?.score).toBeGreaterThanOrEqual(0.2);
    // Never relevant to its own source.
    expect(relevance.find((r) => r.agent.id === researcher.id)).toBeUndefined();
  });

  describe('searchContext', () => {
    const SEARCH = `query($q: String!, $agentId: ID, $limit: Int) { searchContext(query: $q, agentId: $agentId, limit: $limit) { context { id } score vectorRank fulltextRank graphDistance } }`;
    type Hit = {
      context: { id: string };
      score: number;
      vectorRank: number | null;
      fulltextRank: number | null;
      graphDistance: number | null;
    };

    it('fuses vector, fulltext and graph hits into one ranked list', async () => {
      const result = await server.gql<{ searchContext: Hit[] }>(writer.apiKey, SEARCH, {
        q: 'EU cookie consent rule for marketing pages',
        limit: 10,
      });
      const hits = result.data?.searchContext ?? [];
      expect(hits.length).toBeGreaterThan(2);
      const scores = hits.map((h) => h.score);
      expect([...scores].sort((a, b) => b - a)).toEqual(scores);
      const rule = hits.find((h) => h.context.id === id('eu-rule'));
      expect(rule?.vectorRank).not.toBeNull();
      expect(rule?.fulltextRank).not.toBeNull();
      expect(hits.map((h) => h.context.id)).not.toContain(id('secret'));
      expect(hits.map((h) => h.context.id)).not.toContain(id('old-rule'));
    });

    it('reaches a dependency through the graph even when the words do not match', async () => {
      await publish(researcher.apiKey, [
        { id: id('xq-base'), type: 'FINDING', text: 'Supplier lead times doubled during the strike.' },
        { id: id('xq-top'), type: 'OUTPUT', text: 'Zebra onboarding flow proposal for quokka customers.', dependencies: [id('xq-base')] },
      ]);
      const result = await server.gql<{ searchContext: Hit[] }>(writer.apiKey, SEARCH, { q: 'zebra onboarding quokka', limit: 20 });
      const base = result.data?.searchContext.find((h) => h.context.id === id('xq-base'));
      expect(base?.graphDistance).toBe(1);
    });

    it('lets an agent search only as itself and validates the limit', async () => {
      expect((await server.gql(writer.apiKey, SEARCH, { q: 'cookie', agentId: researcher.id })).errors?.[0]?.extensions?.code).toBe(
        'FORBIDDEN',
      );
      expect((await server.gql(writer.apiKey, SEARCH, { q: 'cookie', limit: 0 })).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect((await server.gql(writer.apiKey, SEARCH, { q: '"(*:OR AND' })).errors).toBeUndefined();
    });
  });
});

describe('compression through a configured language model', () => {
  let llm: http.Server;
  let mode: 'ok' | 'fail' = 'ok';
  let calls = 0;
  let server: TestServer;
  let writer: Agent;

  beforeAll(async () => {
    llm = http.createServer((req, res) => {
      calls += 1;
      req.resume();
      req.on('end', () => {
        if (mode === 'fail') {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { message: 'model overloaded' } }));
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            id: 'chatcmpl-1',
            object: 'chat.completion',
            created: 0,
            model: 'summary-model',
            choices: [
              {
                index: 0,
                finish_reason: 'stop',
                message: { role: 'assistant', content: 'Robots need sensor cleaning every two weeks and night-shift software updates.' },
              },
            ],
            usage: { prompt_tokens: 10, completion_tokens: 8, total_tokens: 18 },
          }),
        );
      });
    });
    await new Promise<void>((resolve) => llm.listen(0, '127.0.0.1', resolve));
    const port = (llm.address() as AddressInfo).port;
    server = await startTestServer({
      env: {
        LLM_BASE_URL: `http://127.0.0.1:${port}/v1`,
        LLM_MODEL: 'summary-model',
        LLM_API_KEY: 'sk-test-secret',
        ROUTING_CACHE_SIZE: '0',
      },
    });
    const researcher = await server.registerAgent({ id: `${server.ns}-r` });
    // Its own vocabulary and need, so contexts other tests publish in the shared database stay below its threshold.
    writer = await server.registerAgent({ id: `${server.ns}-w`, needs: [`${server.ns}_ops_findings`], relevanceThreshold: 0.35 });
    const facts = [
      'Warehouse robots need their lidar sensors cleaned every two weeks to avoid navigation faults.',
      'Battery swaps on the picking robots take four minutes when the charging dock is free.',
      'The conveyor belt in aisle seven jams when parcels heavier than thirty kilos are loaded.',
      'Robot fleet software must be updated during the night shift to avoid downtime.',
      'Forklift drivers reported that robots stop too close to the loading bay doors.',
      'Maintenance logs for every robot must be kept for three years for the insurer.',
    ];
    const detail =
      ' The research team checked this against three independent sources last week. Further notes and raw data are attached to the original report for anyone who needs them.';
    const inputs = facts.map((text, i) => ({
      id: `${server.ns}-f${i}`,
      type: 'FINDING',
      tags: [`${server.ns}_ops_findings`],
      text: text + detail,
    }));
    await server.gql(researcher.apiKey, 'mutation($inputs: [PublishContextInput!]!) { publishContexts(inputs: $inputs) { id } }', {
      inputs,
    });
  });
  afterAll(async () => {
    await server?.stop();
    await new Promise((resolve) => llm.close(resolve));
  });

  const compressed = async () => {
    const result = await server.gql<{ contextFor: Package }>(writer.apiKey, PACKAGE, {
      agentId: writer.id,
      task: 'Warehouse robot maintenance: lidar sensor cleaning, battery swaps, conveyor jams, fleet software updates and maintenance logs',
      budget: 160,
    });
    if (!result.data) throw new Error(JSON.stringify(result.errors));
    return result.data.contextFor;
  };

  it('uses the model when it answers', async () => {
    mode = 'ok';
    const p = await compressed();
    expect(p.items.length + (p.compressed?.originalContextIds.length ?? 0)).toBeGreaterThan(3);
    expect(p.compressed?.method).toBe('LLM');
    expect(p.compressed?.text).toContain('sensor cleaning every two weeks');
    expect(p.tokens).toBeLessThanOrEqual(160);
  });

  it('falls back to the extractive summary when the model fails', async () => {
    mode = 'fail';
    const before = calls;
    const p = await compressed();
    expect(calls).toBeGreaterThan(before);
    expect(p.compressed?.method).toBe('EXTRACTIVE');
    expect(p.compressed?.text.length).toBeGreaterThan(0);
    expect(p.compressed?.compressionRatio).toBeGreaterThan(1);
    expect(p.tokens).toBeLessThanOrEqual(160);
  });
});
