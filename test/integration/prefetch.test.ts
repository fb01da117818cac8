import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/harness.js';
import { ok, publish } from './support.js';

/**
 * Context speculation and prefetch (issue 10), the article's example: while the researcher works on competitor analysis,
 * the writer's package (competitor strengths and weaknesses, positioning, differentiation) is computed before the writer
 * asks, and its first `contextFor` is served from it (`source: PREFETCH`).
 */

interface Agent {
  id: string;
  apiKey: string;
}
interface Package {
  id: string;
  source: string;
  task: string;
  standIn: { basis: string; stepId: string | null } | null;
  items: { context: { id: string; workflowId: string | null } }[];
}

const PACKAGE = `query($agentId: ID!, $task: String, $workflowId: ID) {
  contextFor(agentId: $agentId, task: $task, workflowId: $workflowId) {
    id source task standIn { basis stepId } items { context { id workflowId } } } }`;
const DEFINE = `mutation($input: DefineWorkflowInput!) { defineWorkflow(input: $input) { id } }`;
const START = `mutation($w: ID!, $s: ID!) { startStep(workflowId: $w, stepId: $s) { status } }`;
const COMPLETE = `mutation($w: ID!, $s: ID!) { completeStep(workflowId: $w, stepId: $s) { status } }`;
const STATS = `query($agentId: ID, $workflowId: ID) { meshStats(agentId: $agentId, workflowId: $workflowId) {
  deliveries cacheHitRate prefetchHitRate perAgent { agentId prefetchHitRate } perWorkflow { workflowId prefetchHitRate } } }`;
const WRITER_NEEDS = ['competitor_strengths', 'competitor_weaknesses', 'positioning', 'differentiation'];

async function metrics(server: TestServer): Promise<(line: string) => number> {
  const text = await (await fetch(new URL('/metrics', server.url))).text();
  return (prefix) =>
    Number(
      text
        .split('\n')
        .find((l) => l.startsWith(prefix))
        ?.split(' ')
        .pop() ?? 0,
    );
}

const computedMetric = 'context_mesh_prefetches_total{event="computed"}';

/** Polls /metrics until no prefetch work waits or runs and at least `minComputed` prefetches were computed (bounded). */
async function settled(server: TestServer, minComputed = 0): Promise<(line: string) => number> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const read = await metrics(server);
    if (read('context_mesh_prefetch_backlog') === 0 && read(computedMetric) >= minComputed) return read;
    if (Date.now() > deadline) throw new Error(`prefetch did not settle: backlog ${read('context_mesh_prefetch_backlog')}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The article's workflow in its own namespace: researcher → writer, the writer's step needing the competitor analysis. */
async function defineLaunch(server: TestServer, name: string): Promise<{ workflowId: string; researcher: Agent; writer: Agent }> {
  const id = (part: string) => `${server.ns}-${name}-${part}`;
  const researcher = await server.registerAgent({ id: id('researcher'), name: 'researcher', produces: ['competitor_analysis'] });
  const writer = await server.registerAgent({ id: id('writer'), name: 'writer' });
  ok(
    await server.gql(server.adminKey, DEFINE, {
      input: {
        id: id('launch'),
        name: 'Product launch',
        steps: [
          { id: 'research', agentId: researcher.id, produces: ['competitor_analysis'], next: ['write'] },
          { id: 'write', agentId: writer.id, needs: WRITER_NEEDS, next: [] },
        ],
      },
    }),
  );
  return { workflowId: id('launch'), researcher, writer };
}

/** The researcher's findings on competitor analysis, tagged with what the writer's step needs. */
async function publishFindings(server: TestServer, researcher: Agent, workflowId: string) {
  const finding = (suffix: string, text: string, tags: string[], extra: Record<string, unknown> = {}) =>
    publish(server, researcher.apiKey, { id: `${workflowId}-${suffix}`, type: 'FINDING', text, tags, workflowId, ...extra });
  return [
    await finding('strengths', 'Competitor strengths: Acme ships weekly and owns the enterprise channel.', ['competitor_strengths']),
    await finding('weaknesses', 'Competitor weaknesses: Globex support is slow and its pricing is opaque.', ['competitor_weaknesses']),
    await finding('positioning', 'Positioning: the privacy-first option for regulated teams.', ['positioning', 'differentiation']),
  ];
}

describe('context prefetch', () => {
  let server: TestServer;
  const ask = (agent: Agent, extra: Record<string, unknown> = {}) =>
    server.gql<{ contextFor: Package }>(agent.apiKey, PACKAGE, { agentId: agent.id, ...extra });

  beforeAll(async () => {
    server = await startTestServer();
  }, 120_000);
  afterAll(() => server?.stop());

  it("the writer's package is ready before the writer asks: PREFETCH, then CACHE, then a publish invalidates it", async () => {
    const { workflowId, researcher, writer } = await defineLaunch(server, 'article');
    const before = await settled(server);
    ok(await server.gql(researcher.apiKey, START, { w: workflowId, s: 'research' }));
    const findings = await publishFindings(server, researcher, workflowId);
    const after = await settled(server, before(computedMetric) + 1);
    expect(after(computedMetric)).toBeGreaterThan(before(computedMetric));

    ok(await server.gql(writer.apiKey, START, { w: workflowId, s: 'write' }));
    const first = ok(await ask(writer)).contextFor;
    expect(first.source).toBe('PREFETCH');
    expect(first.standIn).toEqual({ basis: 'STEP', stepId: 'write' });
    const ids = first.items.map((item) => item.context.id);
    expect([...ids].sort()).toEqual(findings.map((f) => f.id).sort());
    const served = await metrics(server);
    expect(served('context_mesh_prefetches_total{event="served"}')).toBeGreaterThanOrEqual(1);

    const second = ok(await ask(writer)).contextFor;
    expect(second.source).toBe('CACHE');
    expect(second.items.map((item) => item.context.id)).toEqual(ids);

    // The researcher publishes what could enter the package: it is invalid now. Its publish also triggers a new
    // prefetch (its step still runs), so once that settles the next answer is a fresh PREFETCH holding the new finding.
    const more = await publish(server, researcher.apiKey, {
      id: `${workflowId}-differentiation`,
      type: 'FINDING',
      text: 'Differentiation: on-premise deployment, which neither competitor offers.',
      tags: ['differentiation'],
      workflowId,
    });
    await settled(server);
    const third = ok(await ask(writer)).contextFor;
    expect(third.source).toBe('PREFETCH');
    expect(third.items.map((item) => item.context.id)).toContain(more.id);

    // Recorded deliveries say which were served from a prefetch.
    const stats = ok(
      await server.gql<{ meshStats: { deliveries: number; prefetchHitRate: number | null } }>(server.adminKey, STATS, {
        agentId: writer.id,
        workflowId,
      }),
    ).meshStats;
    expect(stats.deliveries).toBe(3);
    expect(stats.prefetchHitRate).toBeCloseTo(2 / 3, 10);
  });

  it("a prefetched package left unserved is discarded when a publish invalidates it; an outsider's publish gives COMPUTED", async () => {
    const { workflowId, researcher, writer } = await defineLaunch(server, 'discard');
    ok(await server.gql(researcher.apiKey, START, { w: workflowId, s: 'research' }));
    await publishFindings(server, researcher, workflowId);
    const before = await settled(server, 1);
    // Published by an agent that runs no step: it invalidates the prefetched package and triggers no new prefetch.
    const outsider = await server.registerAgent({ id: `${workflowId}-outsider`, name: 'outsider' });
    const late = await publish(server, outsider.apiKey, {
      id: `${workflowId}-late`,
      type: 'FINDING',
      text: 'Competitor weaknesses: Initech dropped its free tier.',
      tags: ['competitor_weaknesses'],
      workflowId,
    });
    const after = await settled(server);
    expect(after(computedMetric)).toBe(before(computedMetric));
    ok(await server.gql(writer.apiKey, START, { w: workflowId, s: 'write' }));
    const answer = ok(await ask(writer)).contextFor;
    expect(answer.source).toBe('COMPUTED');
    expect(answer.items.map((item) => item.context.id)).toContain(late.id);
    const read = await metrics(server);
    expect(read('context_mesh_prefetches_total{event="discarded"}')).toBeGreaterThan(
      before('context_mesh_prefetches_total{event="discarded"}'),
    );
  });

  it('never leaks: a context the writer may not read is not in its prefetched package', async () => {
    const { workflowId, researcher, writer } = await defineLaunch(server, 'private');
    ok(await server.gql(researcher.apiKey, START, { w: workflowId, s: 'research' }));
    const findings = await publishFindings(server, researcher, workflowId);
    const secret = await publish(server, researcher.apiKey, {
      id: `${workflowId}-secret`,
      type: 'FINDING',
      text: 'Competitor strengths and weaknesses, positioning and differentiation: the board-only version.',
      tags: WRITER_NEEDS,
      workflowId,
      visibleTo: [researcher.id],
    });
    await settled(server, 1);
    ok(await server.gql(writer.apiKey, START, { w: workflowId, s: 'write' }));
    const pkg = ok(await ask(writer)).contextFor;
    expect(pkg.source).toBe('PREFETCH');
    const ids = pkg.items.map((item) => item.context.id);
    expect(ids).not.toContain(secret.id);
    expect(ids).toEqual(expect.arrayContaining(findings.map((f) => f.id)));
  });

  it('prefetches a task the writer asked in an earlier run of the workflow', async () => {
    const { workflowId, researcher, writer } = await defineLaunch(server, 'rerun');
    const task = 'Draft the launch announcement against the competitors';
    // Run 1: the writer asks with a task of its own.
    ok(await server.gql(researcher.apiKey, START, { w: workflowId, s: 'research' }));
    await publishFindings(server, researcher, workflowId);
    ok(await server.gql(researcher.apiKey, COMPLETE, { w: workflowId, s: 'research' }));
    ok(await server.gql(writer.apiKey, START, { w: workflowId, s: 'write' }));
    const runOne = ok(await ask(writer, { task, workflowId })).contextFor;
    expect(runOne.source).not.toBe('PREFETCH');
    ok(await server.gql(writer.apiKey, COMPLETE, { w: workflowId, s: 'write' }));
    // Run 2: the researcher publishes more; the writer's past task is computed before it asks again (its run-1 answer
    // is known to the prefetcher at once, whether or not the package log has written it yet).
    const before = await settled(server);
    ok(await server.gql(researcher.apiKey, START, { w: workflowId, s: 'research' }));
    const update = await publish(server, researcher.apiKey, {
      id: `${workflowId}-update`,
      type: 'FINDING',
      text: 'Competitor strengths, run 2: Acme launched an announcement-writing assistant.',
      tags: ['competitor_strengths'],
      workflowId,
    });
    await settled(server, before(computedMetric) + 1);
    const runTwo = ok(await ask(writer, { task, workflowId })).contextFor;
    expect(runTwo.source).toBe('PREFETCH');
    expect(runTwo.items.map((item) => item.context.id)).toContain(update.id);
  });
});

describe('context prefetch off', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ env: { PREFETCH: 'off' } });
  }, 120_000);
  afterAll(() => server?.stop());

  it('PREFETCH=off: nothing is precomputed and the first answer is COMPUTED', async () => {
    const { workflowId, researcher, writer } = await defineLaunch(server, 'off');
    ok(await server.gql(researcher.apiKey, START, { w: workflowId, s: 'research' }));
    const findings = await publishFindings(server, researcher, workflowId);
    // Longer than the debounce: a prefetch would have been queued by now.
    await new Promise((resolve) => setTimeout(resolve, 600));
    const read = await settled(server);
    expect(read(computedMetric)).toBe(0);
    ok(await server.gql(writer.apiKey, START, { w: workflowId, s: 'write' }));
    const pkg = ok(await server.gql<{ contextFor: Package }>(writer.apiKey, PACKAGE, { agentId: writer.id })).contextFor;
    expect(pkg.source).toBe('COMPUTED');
    expect(pkg.items.map((item) => item.context.id)).toEqual(expect.arrayContaining(findings.map((f) => f.id)));
  });
});
