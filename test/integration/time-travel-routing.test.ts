import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cypher } from '../../src/adapters/neo4j/cypher.js';
import { backfillVersionEmbeddings } from '../../src/adapters/neo4j/migrations.js';
import type { Clock } from '../../src/domain/ports.js';
import { startTestServer, type TestServer } from '../support/harness.js';
import { failed, ok, publish, RETRACT, UPDATE } from './support.js';

/**
 * contextFor and searchContext with `asOf` (issue 8): answers captured at several points while writing come back,
 * later, from the same requests with `asOf` = the position of each point. A request asked then comes back as
 * recorded (same id); one never asked then (an explicit validAt) is recomputed over the versions and must equal
 * what the current pipeline answered at that point. The clock only moves when this file writes, so a live answer
 * and a recomputation are judged at the same instant (recency, expiry, valid time); the routing cache is off so every
 * live answer is computed at its own position.
 */

const TASK = 'Status of the Vostok ice core drilling campaign';
/** Shares no word with the texts: the search's fulltext list is empty, so its answer is exact (see the schema). */
const DISJOINT_QUERY = 'glaciology borehole progress';

const PACKAGE = `query($agentId: ID!, $task: String!, $budget: Int, $workflowId: ID, $validAt: DateTime, $asOf: Int) {
  contextFor(agentId: $agentId, task: $task, budget: $budget, workflowId: $workflowId, validAt: $validAt, asOf: $asOf) {
    id asOf budget tokens cached pastRead
    items {
      score tokens reasons { semantic dependency needs explicit confidence recency }
      context { id version text tags status seq visibleTo updatedAt metadata { confidence dependencies } }
    }
    compressed { text originalContextIds tokens compressionRatio method }
    dropped { contextId reason duplicateOf score }
  }
}`;

const SEARCH = `query($query: String!, $agentId: ID, $asOf: Int) {
  searchContext(query: $query, agentId: $agentId, limit: 20, asOf: $asOf) {
    score vectorRank fulltextRank graphDistance context { id version text status visibleTo }
  }
}`;

interface Item {
  score: number;
  context: { id: string; version: number; text: string; visibleTo: string[] | null };
}
interface Package {
  id: string;
  asOf: number;
  budget: number;
  tokens: number;
  cached: boolean;
  pastRead: string | null;
  items: Item[];
  compressed: { originalContextIds: string[] } | null;
  dropped: { contextId: string }[];
}
interface Hit {
  score: number;
  vectorRank: number | null;
  fulltextRank: number | null;
  graphDistance: number | null;
  context: { id: string; version: number; text: string };
}

type Agent = { id: string; apiKey: string };

describe('asOf on contextFor and searchContext', () => {
  let server: TestServer;
  let writer: Agent;
  let reader: Agent;
  let insider: Agent;
  let nowMs = Date.now();
  const clock: Clock = { now: () => new Date(nowMs) };
  const id = (name: string) => `${server.ns}-${name}`;
  const workflowId = () => id('wf');

  interface Point {
    seq: number;
    at: string;
    packages: Record<string, Package>;
    searches: Record<string, Hit[]>;
  }
  const points: Point[] = [];

  const contextFor = (agent: Agent, extra: Record<string, unknown> = {}) =>
    server.gql<{ contextFor: Package }>(agent.apiKey, PACKAGE, {
      agentId: agent.id,
      task: TASK,
      budget: 160,
      workflowId: workflowId(),
      ...extra,
    });
  const search = (agent: Agent, query: string, asOf: number | null = null) =>
    server.gql<{ searchContext: Hit[] }>(agent.apiKey, SEARCH, { query, agentId: agent.id, asOf });
  /** This file's hits only: other files' contexts may share the database. */
  const mine = (hits: Hit[]) => hits.filter((hit) => hit.context.id.startsWith(`${server.ns}-`));

  const tick = () => {
    nowMs += 100;
  };
  const write = async <T>(action: () => Promise<T>) => {
    tick();
    return action();
  };
  const finding = (name: string, text: string, extra: Record<string, unknown> = {}) =>
    write(() => publish(server, writer.apiKey, { id: id(name), type: 'FINDING', text, workflowId: workflowId(), ...extra }));
  const update = (name: string, expected: number, patch: Record<string, unknown>) =>
    write(async () => ok(await server.gql(writer.apiKey, UPDATE, { id: id(name), v: expected, patch })));
  const retract = (name: string) => write(async () => ok(await server.gql(writer.apiKey, RETRACT, { id: id(name), reason: 'wrong' })));

  /**
   * A point: a filler event of this file (invisible to the readers, in no workflow they ask for) makes the
   * position this file's own last event, then the answers. Retried if another file's event slipped in before them.
   */
  const capture = async () => {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const filler = await write(() =>
        publish(server, writer.apiKey, {
          id: id(`filler-${points.length}-${attempt}`),
          type: 'FINDING',
          text: 'filler',
          visibleTo: [writer.id],
        }),
      );
      const searches: Point['searches'] = {};
      for (const [name, agent] of [
        ['reader', reader],
        ['insider', insider],
      ] as const) {
        searches[`${name}-task`] = ok(await search(agent, TASK)).searchContext;
        searches[`${name}-disjoint`] = ok(await search(agent, DISJOINT_QUERY)).searchContext;
      }
      const packages = {
        reader: ok(await contextFor(reader)).contextFor,
        insider: ok(await contextFor(insider)).contextFor,
      };
      if (packages.reader.asOf === filler.seq && packages.insider.asOf === filler.seq) {
        points.push({ seq: filler.seq, at: clock.now().toISOString(), packages, searches });
        return packages;
      }
    }
    throw new Error('other writes kept landing between a point and its answers');
  };

  beforeAll(async () => {
    server = await startTestServer({ env: { ROUTING_CACHE_SIZE: '0' }, overrides: { clock } });
    writer = await server.registerAgent({ id: `${server.ns}-writer` });
    reader = await server.registerAgent({ id: `${server.ns}-reader`, needs: ['ice_core'], relevanceThreshold: 0.25 });
    insider = await server.registerAgent({ id: `${server.ns}-insider`, relevanceThreshold: 0.25 });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('captures contextFor and searchContext answers while writing', async () => {
    await finding('depth', 'The Vostok ice core drilling reached 3,200 metres this week.', { tags: ['ice_core'], confidence: 0.9 });
    await finding('logistics', 'Drilling fluid resupply for the Vostok station arrives by tractor convoy.', {
      relevance: [{ agentId: reader.id, score: 0.8 }],
    });
    await finding('secret', 'Unpublished Vostok ice core isotope readings suggest a warm period.', { visibleTo: [insider.id] });
    await finding('budget', 'The ice core drilling budget covers two more Vostok seasons.', { dependencies: [id('depth')] });
    await finding('garden', 'Tomato seedlings need watering twice a day in the greenhouse.');
    const first = await capture();
    const ids = (p: Package) => p.items.map((item) => item.context.id);
    expect(ids(first.reader)).toContain(id('depth'));
    expect(ids(first.reader)).not.toContain(id('secret'));
    expect(ids(first.insider)).toContain(id('secret'));

    // Text, visibility and similarity change.
    await update('depth', 1, { text: 'The Vostok ice core drilling reached 3,350 metres this week.' });
    await update('secret', 1, { visibleTo: null, text: 'Published Vostok ice core isotope readings suggest a warm period.' });
    await update('garden', 1, { text: 'Status report: the Vostok ice core drilling campaign is on schedule.' });
    await capture();

    // Supersession and retraction.
    await finding('budget2', 'Corrected: the ice core drilling budget covers three more Vostok seasons.', {
      supersedes: [id('budget')],
      dependencies: [id('depth')],
    });
    await retract('logistics');
    await capture();

    // Relevance and a restriction.
    await update('garden', 2, { relevance: [{ agentId: reader.id, score: 0.95 }] });
    await update('depth', 2, { visibleTo: [insider.id] });
    await capture();
    expect(points).toHaveLength(4);
  });

  it('answers each captured contextFor as recorded with asOf = its position, after more writes', async () => {
    await keepWriting();
    for (const point of points) {
      for (const [name, agent] of [
        ['reader', reader],
        ['insider', insider],
      ] as const) {
        const past = ok(await contextFor(agent, { asOf: point.seq })).contextFor;
        const captured = point.packages[name] as Package;
        expect(past.pastRead, `${name} at ${point.seq}`).toBe('RECORDED');
        expect({ ...past, pastRead: null }, `${name} at ${point.seq}`).toEqual(captured);
      }
    }
  });

  it('recomputes a request never asked at that point exactly as the current pipeline answered it then', async () => {
    for (const point of points) {
      for (const [name, agent] of [
        ['reader', reader],
        ['insider', insider],
      ] as const) {
        // An explicit validAt is another request: nothing was recorded for it, so it is recomputed over the versions.
        const past = ok(await contextFor(agent, { asOf: point.seq, validAt: point.at })).contextFor;
        const captured = point.packages[name] as Package;
        expect(past.pastRead).toBe('RECOMPUTED');
        expect(past.asOf).toBe(point.seq);
        expect(past.id).not.toBe(captured.id);
        expect({ ...past, id: captured.id, pastRead: null }, `${name} at ${point.seq}`).toEqual(captured);
      }
    }
  });

  it('a recomputation shows the versions, visibility and order of then, and nothing published later', async () => {
    const [p1, p2, , p4] = points as [Point, Point, Point, Point];
    const budget = 5000; // never asked: recomputed
    const at = async (agent: Agent, point: Point) => ok(await contextFor(agent, { asOf: point.seq, budget })).contextFor;
    const byId = (p: Package) => new Map(p.items.map((item) => [item.context.id, item]));

    const readerThen = await at(reader, p1);
    expect(readerThen.pastRead).toBe('RECOMPUTED');
    expect(readerThen.tokens).toBeLessThanOrEqual(budget);
    const items = byId(readerThen);
    expect(items.get(id('depth'))?.context).toMatchObject({ version: 1, text: expect.stringContaining('3,200') });
    // Restricted to the insider then, public now: the reader's past answer does not show it.
    expect(items.has(id('secret'))).toBe(false);
    expect(JSON.stringify(readerThen)).not.toContain(id('secret'));
    // The garden note was unrelated then (its text became the best match later).
    expect(items.get(id('garden'))?.score ?? 0).toBeLessThan(items.get(id('depth'))?.score ?? 0);
    // Nothing published after the point.
    for (const point of points) {
      const text = JSON.stringify(await at(reader, point));
      expect(text).not.toContain(id('late'));
    }
    // The correction was published after p2.
    expect(JSON.stringify(await at(reader, p2))).not.toContain(id('budget2'));
    expect(JSON.stringify(await at(reader, p1))).not.toContain(id('budget2'));

    // Made public at p2: readable then; restricted again at p4: gone for the reader, still there for the insider.
    expect(byId(await at(reader, p2)).get(id('secret'))?.context.version).toBe(2);
    expect(byId(await at(reader, p4)).has(id('depth'))).toBe(false);
    expect(byId(await at(insider, p4)).get(id('depth'))?.context.visibleTo).toEqual([insider.id]);
  });

  it('answers searchContext as of each point', async () => {
    for (const point of points) {
      for (const name of ['reader', 'insider'] as const) {
        const agent = name === 'reader' ? reader : insider;
        // Lexically disjoint from every text: no fulltext part, so the whole answer is reproduced.
        const disjoint = mine(ok(await search(agent, DISJOINT_QUERY, point.seq)).searchContext);
        expect(disjoint, `${name} at ${point.seq}`).toEqual(mine(point.searches[`${name}-disjoint`] ?? []));
        // With words in common the fulltext scores come from the version index: the same hits, versions and
        // vector and graph parts; fulltext ranks may differ.
        const withWords = mine(ok(await search(agent, TASK, point.seq)).searchContext);
        const then = mine(point.searches[`${name}-task`] ?? []);
        const parts = (hits: Hit[]) =>
          hits
            .map((h) => ({
              context: h.context,
              vectorRank: h.vectorRank,
              graphDistance: h.graphDistance,
              fulltext: h.fulltextRank !== null,
            }))
            .sort((a, b) => a.context.id.localeCompare(b.context.id));
        expect(parts(withWords), `${name} at ${point.seq}`).toEqual(parts(then));
      }
    }
    const readerFirst = mine(ok(await search(reader, TASK, points[0]?.seq ?? 0)).searchContext);
    expect(readerFirst.map((hit) => hit.context.id)).not.toContain(id('secret'));
    expect(readerFirst.map((hit) => hit.context.id)).not.toContain(id('late'));
  });

  it('refuses an asOf after the current position and another agent', async () => {
    const position = (points.at(-1)?.seq ?? 0) + 1_000_000;
    const late = failed(await contextFor(reader, { asOf: position }), 'BAD_USER_INPUT');
    expect(late.message).toContain('after the current position');
    failed(await search(reader, TASK, position), 'BAD_USER_INPUT');
    failed(await contextFor(reader, { asOf: -1 }), 'BAD_USER_INPUT');
    failed(await server.gql(reader.apiKey, PACKAGE, { agentId: insider.id, task: TASK, asOf: 1 }), 'FORBIDDEN');
    failed(await search({ ...insider, apiKey: reader.apiKey }, TASK, 1), 'FORBIDDEN');
    // An admin may ask for any agent, and gets that agent's view.
    const admin = ok(
      await server.gql<{ contextFor: Package }>(server.adminKey, PACKAGE, {
        agentId: reader.id,
        task: TASK,
        budget: 160,
        workflowId: workflowId(),
        asOf: points[0]?.seq,
      }),
    ).contextFor;
    expect(admin).toEqual(ok(await contextFor(reader, { asOf: points[0]?.seq })).contextFor);
  });

  it('backfills the embeddings of versions written before versions kept one, and answers as before', async () => {
    // As on a database from before: no version has an embedding; the migration's backfill embeds the texts again.
    await server.app.executor.write('forgetVersionEmbeddings', (tx) =>
      tx.run(
        { name: 'forgetVersionEmbeddings', cypher: cypher`MATCH (v:ContextVersion) WHERE v.contextId STARTS WITH $ns REMOVE v.embedding` },
        { ns: `${server.ns}-` },
      ),
    );
    const embedded = await backfillVersionEmbeddings(server.app.executor, server.app.embeddings);
    expect(embedded).toBeGreaterThan(0);
    for (const point of points) {
      const past = ok(await contextFor(reader, { asOf: point.seq, validAt: point.at })).contextFor;
      expect({ ...past, id: point.packages['reader']?.id, pastRead: null }, `reader at ${point.seq}`).toEqual(point.packages['reader']);
      const disjoint = mine(ok(await search(insider, DISJOINT_QUERY, point.seq)).searchContext);
      expect(disjoint).toEqual(mine(point.searches['insider-disjoint'] ?? []));
    }
  });

  /** Every one of these would change a current answer. */
  async function keepWriting() {
    await update('budget2', 1, { text: 'Corrected again: the drilling budget covers four Vostok seasons.' });
    await finding('late', 'Status of the Vostok ice core drilling campaign: all on track.', { tags: ['ice_core'] });
    await update('secret', 2, { text: 'Vostok isotope readings were recalibrated.', visibleTo: [insider.id] });
    await retract('depth');
    await update('garden', 3, { relevance: [] });
  }
});
