import neo4j from 'neo4j-driver';
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/harness.js';
import { connectClient, subscribeTo } from '../support/ws-collector.js';
import { failed, ok, publish, RETRACT } from './support.js';

/** Workflows and mandatory publishing over GraphQL against a real Neo4j (README "Workflows and mandatory publishing"). */

interface Agent {
  id: string;
  apiKey: string;
}
interface Step {
  id: string;
  workflowId: string;
  agent: { id: string };
  requires: string[];
  next: string[];
  status: string;
  attempt: number;
  startedSeq: number | null;
  completedSeq: number | null;
  published: { id: string }[];
  missing: string[];
  policies: { id: string }[];
}
interface Workflow {
  id: string;
  name: string;
  status: string;
  steps: Step[];
  running: { id: string }[];
  ready: { id: string }[];
  definedAt: string;
  updatedAt: string;
}
interface Violation {
  id: string;
  policyId: string;
  policy: { id: string; mode: string } | null;
  workflowId: string;
  stepId: string;
  agent: { id: string };
  attempt: number;
  missing: string[];
  notice: {
    id: string;
    type: string;
    text: string;
    priority: string;
    visibleTo: string[] | null;
    metadata: { sourceAgent: { id: string } };
  } | null;
}
interface Broadcast {
  seq: number;
  reason: string;
  context: { id: string; type: string; workflowId: string | null };
}

const STEP = `id workflowId agent { id } requires next status attempt startedSeq completedSeq published { id } missing policies { id }`;
const WORKFLOW = `id name status steps { ${STEP} } running { id } ready { id } definedAt updatedAt`;
const DEFINE = `mutation($input: DefineWorkflowInput!, $key: String) { defineWorkflow(input: $input, idempotencyKey: $key) { ${WORKFLOW} } }`;
const START = `mutation($w: ID!, $s: ID!, $key: String) { startStep(workflowId: $w, stepId: $s, idempotencyKey: $key) { ${STEP} } }`;
const COMPLETE = `mutation($w: ID!, $s: ID!, $key: String) { completeStep(workflowId: $w, stepId: $s, idempotencyKey: $key) { ${STEP} } }`;
const GET = `query($id: ID!) { workflow(id: $id) { ${WORKFLOW} } }`;
const SET_POLICY = `mutation($input: PublishingPolicyInput!, $key: String) { setPublishingPolicy(input: $input, idempotencyKey: $key) {
  id agentId agent { id } role workflowId stepId requires mode } }`;
const POLICIES = `query($agentId: ID, $workflowId: ID) { publishingPolicies(agentId: $agentId, workflowId: $workflowId) { id } }`;
const VIOLATIONS = `query($workflowId: ID, $agentId: ID) { policyViolations(workflowId: $workflowId, agentId: $agentId) {
  id policyId policy { id mode } workflowId stepId agent { id } attempt missing
  notice { id type text priority visibleTo metadata { sourceAgent { id } } } } }`;
const BROADCASTS = `subscription($agentId: ID!, $workflowId: ID) {
  contextBroadcast(agentId: $agentId, afterSeq: 0, workflowId: $workflowId) { seq reason context { id type workflowId } } }`;

describe('workflows and mandatory publishing', () => {
  let server: TestServer;
  let researcher: Agent;
  let writer: Agent;
  let reviewer: Agent;
  let outsider: Agent;
  const clients: Client[] = [];
  let n = 0;
  const wf = (name: string) => `${server.ns}-${name}-${(n += 1)}`;
  const cid = (name: string) => `${server.ns}-${name}-${(n += 1)}`;

  /** The article's workflow: researcher → writer → reviewer, and the reviewer may send work back to the writer. */
  const articleWorkflow = (id: string) => ({
    id,
    name: 'Launch post',
    steps: [
      {
        id: 'research',
        agentId: researcher.id,
        needs: ['task_objective'],
        produces: ['key_findings'],
        requires: ['key_findings'],
        next: ['write'],
      },
      { id: 'write', agentId: writer.id, needs: ['key_findings'], produces: ['draft'], requires: ['output'], next: ['review'] },
      { id: 'review', agentId: reviewer.id, needs: ['draft'], produces: ['review_notes'], next: ['write'] },
    ],
  });
  const define = async (input: Record<string, unknown>, key?: string) =>
    ok(await server.gql<{ defineWorkflow: Workflow }>(server.adminKey, DEFINE, { input, key: key ?? null })).defineWorkflow;
  const start = (agent: Agent | string, w: string, s: string, key?: string) =>
    server.gql<{ startStep: Step }>(typeof agent === 'string' ? agent : agent.apiKey, START, { w, s, key: key ?? null });
  const complete = (agent: Agent | string, w: string, s: string, key?: string) =>
    server.gql<{ completeStep: Step }>(typeof agent === 'string' ? agent : agent.apiKey, COMPLETE, { w, s, key: key ?? null });
  const workflow = async (key: string, id: string) => ok(await server.gql<{ workflow: Workflow | null }>(key, GET, { id })).workflow;
  const stepOf = async (key: string, id: string, stepId: string) => (await workflow(key, id))?.steps.find((s) => s.id === stepId);
  const setPolicy = async (input: Record<string, unknown>, key?: string) =>
    ok(await server.gql<{ setPublishingPolicy: { id: string; mode: string } }>(server.adminKey, SET_POLICY, { input, key: key ?? null }))
      .setPublishingPolicy;
  const removePolicy = async (id: string) =>
    expect(ok(await server.gql(server.adminKey, 'mutation($id: ID!) { removePublishingPolicy(id: $id) }', { id }))).toEqual({
      removePublishingPolicy: true,
    });
  const policies = async (variables: Record<string, unknown>) =>
    ok(await server.gql<{ publishingPolicies: { id: string }[] }>(server.adminKey, POLICIES, variables)).publishingPolicies.map(
      (p) => p.id,
    );

  beforeAll(async () => {
    server = await startTestServer();
    researcher = await server.registerAgent({ id: `${server.ns}-researcher`, role: 'researcher' });
    writer = await server.registerAgent({ id: `${server.ns}-writer`, role: `${server.ns} Writer` });
    reviewer = await server.registerAgent({ id: `${server.ns}-reviewer`, role: 'reviewer' });
    outsider = await server.registerAgent({ id: `${server.ns}-outsider` });
  });
  afterAll(async () => {
    for (const client of clients) await client.dispose();
    await server?.stop();
  });

  it('defines the researcher → writer → reviewer workflow over GraphQL and shows where it stands', async () => {
    const id = wf('article');
    const defined = await define(articleWorkflow(id));
    expect(defined).toMatchObject({ id, name: 'Launch post', status: 'NOT_STARTED', running: [], ready: [{ id: 'research' }] });
    expect(defined.steps.map((s) => [s.id, s.agent.id, s.status, s.attempt, s.next])).toEqual([
      ['research', researcher.id, 'PENDING', 0, ['write']],
      ['write', writer.id, 'PENDING', 0, ['review']],
      ['review', reviewer.id, 'PENDING', 0, ['write']],
    ]);
    expect(defined.steps[0]).toMatchObject({ missing: ['key_findings'], published: [], startedSeq: null });

    // Any authenticated caller reads it; an unknown id is null.
    expect((await workflow(outsider.apiKey, id))?.steps.map((s) => s.id)).toEqual(['research', 'write', 'review']);
    expect(await workflow(writer.apiKey, `${server.ns}-nothing`)).toBeNull();
    const all = ok(await server.gql<{ workflows: { id: string }[] }>(writer.apiKey, '{ workflows { id } }')).workflows;
    expect(all.map((w) => w.id)).toContain(id);
    failed(await server.gql(null, GET, { id }), 'UNAUTHENTICATED');
  });

  it('fails completeStep with MISSING_REQUIRED_CONTEXT, then completes once the researcher publishes the missing tag', async () => {
    const id = wf('mandatory');
    await define(articleWorkflow(id));
    const policy = await setPolicy({
      id: `${server.ns}-researcher-publishes`,
      agentId: researcher.id,
      requires: ['key_findings', 'confidence_scores'],
    });
    expect(policy.mode).toBe('ENFORCE');

    const started = ok(await start(researcher, id, 'research')).startStep;
    expect(started).toMatchObject({ status: 'RUNNING', attempt: 1, missing: ['confidence_scores', 'key_findings'] });
    expect(started.policies.map((p) => p.id)).toContain(policy.id);

    const finding = await publish(server, researcher.apiKey, {
      id: cid('finding'),
      type: 'FINDING',
      text: 'Competitor A leads on price; competitor B on support.',
      tags: ['Key Findings'],
      workflowId: id,
    });
    // Not in the workflow, or retracted: neither counts.
    await publish(server, researcher.apiKey, { type: 'FINDING', text: 'Scores elsewhere', tags: ['confidence_scores'] });
    const retracted = await publish(server, researcher.apiKey, {
      id: cid('retracted'),
      type: 'FINDING',
      text: 'Scores, withdrawn',
      tags: ['confidence_scores'],
      workflowId: id,
    });
    ok(await server.gql(researcher.apiKey, RETRACT, { id: retracted.id, reason: 'wrong numbers', key: null }));

    const refused = failed(await complete(researcher, id, 'research'), 'MISSING_REQUIRED_CONTEXT');
    expect(refused.extensions).toMatchObject({
      missing: ['confidence_scores'],
      policies: [policy.id],
      workflowId: id,
      stepId: 'research',
      attempt: 1,
    });
    expect(refused.message).toContain('confidence_scores');
    // Nothing changed: still RUNNING, and the step shows what it has and what it lacks.
    const running = await stepOf(writer.apiKey, id, 'research');
    expect(running).toMatchObject({ status: 'RUNNING', attempt: 1, completedSeq: null, missing: ['confidence_scores'] });
    expect(running?.published.map((c) => c.id)).toEqual([finding.id]);

    await publish(server, researcher.apiKey, {
      id: cid('scores'),
      type: 'FINDING',
      text: 'Confidence: A 0.8, B 0.6',
      tags: ['Confidence Scores'],
      workflowId: id,
    });
    const done = ok(await complete(researcher, id, 'research')).completeStep;
    expect(done).toMatchObject({ status: 'COMPLETED', attempt: 1, missing: [] });
    expect(done.completedSeq).toBeGreaterThan(done.startedSeq ?? Infinity);
    const after = await workflow(writer.apiKey, id);
    expect(after).toMatchObject({ status: 'IN_PROGRESS', running: [], ready: [{ id: 'write' }] });
    await removePolicy(policy.id);
  });

  it("records a WARN policy's violation and delivers it to the step's agent over its broadcast stream", async () => {
    const id = wf('warn');
    await define(articleWorkflow(id));
    const client = connectClient(server.wsUrl, writer.apiKey);
    clients.push(client);
    const stream = subscribeTo(client, BROADCASTS, { agentId: writer.id, workflowId: id }, (d) => d['contextBroadcast'] as Broadcast);
    await new Promise((resolve) => setTimeout(resolve, 300));

    // A role policy (the role is compared folded: "<ns> Writer" = "<ns>_writer").
    const policy = await setPolicy({ role: `${server.ns}_writer`, requires: ['brand_check', 'output'], mode: 'WARN' });
    ok(await start(writer, id, 'write'));
    const draft = await publish(server, writer.apiKey, {
      id: cid('draft'),
      type: 'OUTPUT',
      text: 'Draft: why we beat competitor A',
      workflowId: id,
    });
    const done = ok(await complete(writer, id, 'write')).completeStep;
    expect(done).toMatchObject({ status: 'COMPLETED', missing: ['brand_check'] });

    const [violation, ...others] = ok(
      await server.gql<{ policyViolations: Violation[] }>(writer.apiKey, VIOLATIONS, { workflowId: id }),
    ).policyViolations;
    expect(others).toEqual([]);
    expect(violation).toMatchObject({
      policyId: policy.id,
      policy: { id: policy.id, mode: 'WARN' },
      workflowId: id,
      stepId: 'write',
      agent: { id: writer.id },
      attempt: 1,
      missing: ['brand_check'],
    });
    expect(violation?.notice).toMatchObject({
      type: 'POLICY_VIOLATION',
      priority: 'IMPORTANT',
      visibleTo: [writer.id],
      metadata: { sourceAgent: { id: 'context-mesh' } },
    });
    expect(violation?.notice?.text).toContain('brand_check');

    const [delivered] = await stream.until((items) => items.some((b) => b.context.type === 'POLICY_VIOLATION'));
    expect(delivered).toMatchObject({ context: { id: violation?.notice?.id, type: 'POLICY_VIOLATION', workflowId: id } });
    expect(delivered?.reason).toMatch(/^IMPORTANT: named by the publisher/);

    // Only the step's agent (and admins) read the notice; the violation record itself is public.
    const noticeId = violation?.notice?.id ?? '';
    const read = (key: string) =>
      server.gql<{ context: { id: string } | null }>(key, 'query($id: ID!) { context(id: $id) { id } }', { id: noticeId });
    expect(ok(await read(reviewer.apiKey)).context).toBeNull();
    expect(ok(await read(server.adminKey)).context).toEqual({ id: noticeId });
    const seen = ok(
      await server.gql<{ policyViolations: Violation[] }>(reviewer.apiKey, VIOLATIONS, { agentId: writer.id }),
    ).policyViolations;
    expect(seen.map((v) => [v.id, v.notice])).toEqual([[violation?.id, null]]);
    // The mesh's notice is not something the writer published in its step.
    expect((await stepOf(writer.apiKey, id, 'write'))?.published.map((c) => c.id)).toEqual([draft.id]);
    expect(done.published.map((c) => c.id)).toEqual([draft.id]);
    await removePolicy(policy.id);
  });

  it('lets only the step agent or an admin run a step, and only admins define workflows and policies', async () => {
    const id = wf('forbidden');
    await define(articleWorkflow(id));
    failed(await start(outsider, id, 'research'), 'FORBIDDEN');
    failed(await start(writer, id, 'research'), 'FORBIDDEN');
    ok(await start(server.adminKey, id, 'research'));
    failed(await complete(writer, id, 'research'), 'FORBIDDEN');
    expect((await stepOf(server.adminKey, id, 'research'))?.status).toBe('RUNNING');
    failed(await server.gql(researcher.apiKey, DEFINE, { input: articleWorkflow(wf('mine')) }), 'FORBIDDEN');
    failed(await server.gql(researcher.apiKey, SET_POLICY, { input: { agentId: researcher.id, requires: ['x'] } }), 'FORBIDDEN');
    failed(await server.gql(researcher.apiKey, 'mutation { removePublishingPolicy(id: "x") }'), 'FORBIDDEN');
  });

  it('refuses bad definitions, unknown agents and steps, and completing a step that is not running', async () => {
    const bad = failed(
      await server.gql(server.adminKey, DEFINE, {
        input: {
          id: wf('bad'),
          name: 'Bad',
          steps: [
            { id: 'a', agentId: researcher.id, next: ['b', 'nowhere'] },
            { id: 'a', agentId: writer.id, requires: ['  '] },
          ],
        },
      }),
      'BAD_USER_INPUT',
    );
    // Every issue at once: the empty entry, then the graph's.
    expect((bad.extensions['issues'] as { path: unknown[] }[]).map((i) => i.path)).toEqual([
      ['input', 'steps', 1, 'requires', 0],
      ['input', 'steps', 1, 'id'],
      ['input', 'steps', 0, 'next', 0],
      ['input', 'steps', 0, 'next', 1],
    ]);
    const graph = failed(
      await server.gql(server.adminKey, DEFINE, {
        input: {
          id: wf('graph'),
          name: 'Graph',
          steps: [
            { id: 'a', agentId: researcher.id, next: ['b', 'c'] },
            { id: 'a', agentId: writer.id },
          ],
        },
      }),
      'BAD_USER_INPUT',
    );
    expect((graph.extensions['issues'] as { path: unknown[] }[]).map((i) => i.path)).toEqual([
      ['input', 'steps', 1, 'id'],
      ['input', 'steps', 0, 'next', 0],
      ['input', 'steps', 0, 'next', 1],
    ]);
    const tooMany = Array.from({ length: 101 }, (_, i) => ({ id: `s${i}`, agentId: researcher.id }));
    failed(await server.gql(server.adminKey, DEFINE, { input: { id: wf('many'), name: 'Many', steps: tooMany } }), 'BAD_USER_INPUT');
    failed(
      await server.gql(server.adminKey, DEFINE, { input: { id: 'no spaces', name: 'x', steps: [{ id: 'a', agentId: researcher.id }] } }),
      'BAD_USER_INPUT',
    );

    const unknownAgent = failed(
      await server.gql(server.adminKey, DEFINE, {
        input: { id: wf('ghost'), name: 'Ghost', steps: [{ id: 'a', agentId: `${server.ns}-ghost` }] },
      }),
      'NOT_FOUND',
    );
    expect(unknownAgent.extensions['ids']).toEqual([`${server.ns}-ghost`]);

    const id = wf('states');
    await define(articleWorkflow(id));
    const pending = failed(await complete(researcher, id, 'research'), 'BAD_USER_INPUT');
    expect(pending.message).toMatch(/PENDING, not RUNNING/);
    expect(failed(await start(researcher, `${server.ns}-none`, 'research'), 'NOT_FOUND').extensions['kind']).toBe('Workflow');
    expect(failed(await start(researcher, id, 'none'), 'NOT_FOUND').extensions['kind']).toBe('WorkflowStep');

    const twoTargets = failed(
      await server.gql(server.adminKey, SET_POLICY, { input: { agentId: researcher.id, role: 'x', requires: ['a'] } }),
      'BAD_USER_INPUT',
    );
    expect((twoTargets.extensions['issues'] as { path: unknown[] }[])[0]?.path).toEqual(['input']);
    failed(await server.gql(server.adminKey, SET_POLICY, { input: { agentId: `${server.ns}-ghost`, requires: ['a'] } }), 'NOT_FOUND');
    failed(await server.gql(server.adminKey, SET_POLICY, { input: { workflowId: id, stepId: 'none', requires: ['a'] } }), 'NOT_FOUND');
  });

  it('makes retries safe: idempotency keys on every mutation, startStep on a RUNNING step changes nothing', async () => {
    const id = wf('retry');
    const key = (name: string) => `${server.ns}-${id}-${name}`;
    const first = await define(articleWorkflow(id), key('define'));
    const again = await define(articleWorkflow(id), key('define'));
    expect(again.updatedAt).toBe(first.updatedAt);
    failed(
      await server.gql(server.adminKey, DEFINE, { input: { ...articleWorkflow(id), name: 'Other' }, key: key('define') }),
      'BAD_USER_INPUT',
    );

    const started = ok(await start(researcher, id, 'research', key('start'))).startStep;
    expect(ok(await start(researcher, id, 'research')).startStep).toMatchObject({ attempt: 1, startedSeq: started.startedSeq });
    await publish(server, researcher.apiKey, { type: 'FINDING', text: 'Findings', tags: ['key_findings'], workflowId: id });
    const done = ok(await complete(researcher, id, 'research', key('complete'))).completeStep;
    // The retried completion returns the completed step instead of "not RUNNING"; without the key it is refused.
    expect(ok(await complete(researcher, id, 'research', key('complete'))).completeStep).toMatchObject({
      status: 'COMPLETED',
      completedSeq: done.completedSeq,
    });
    failed(await complete(researcher, id, 'research'), 'BAD_USER_INPUT');
    // A retried start does not begin a second attempt; a new start does.
    expect(ok(await start(researcher, id, 'research', key('start'))).startStep).toMatchObject({ status: 'COMPLETED', attempt: 1 });
    const second = ok(await start(researcher, id, 'research')).startStep;
    expect(second).toMatchObject({ status: 'RUNNING', attempt: 2, published: [], missing: ['key_findings'] });

    const policy = await setPolicy({ id: `${server.ns}-retry-policy`, agentId: reviewer.id, requires: ['review_notes'] }, key('policy'));
    expect(await setPolicy({ id: policy.id, agentId: reviewer.id, requires: ['review_notes'] }, key('policy'))).toEqual(policy);
    const remove = (k: string | null) =>
      server.gql<{ removePublishingPolicy: boolean }>(
        server.adminKey,
        'mutation($id: ID!, $key: String) { removePublishingPolicy(id: $id, idempotencyKey: $key) }',
        {
          id: policy.id,
          key: k,
        },
      );
    expect(ok(await remove(key('remove'))).removePublishingPolicy).toBe(true);
    expect(ok(await remove(key('remove'))).removePublishingPolicy).toBe(true);
    expect(ok(await remove(null)).removePublishingPolicy).toBe(false);
  });

  it('keeps run state by step id when a workflow is redefined, and drops removed steps', async () => {
    const id = wf('redefine');
    await define(articleWorkflow(id));
    ok(await start(researcher, id, 'research'));
    await publish(server, researcher.apiKey, { type: 'FINDING', text: 'Findings', tags: ['key_findings'], workflowId: id });
    ok(await complete(researcher, id, 'research'));
    ok(await start(writer, id, 'write'));

    const article = articleWorkflow(id);
    const redefined = await define({
      ...article,
      name: 'Launch post, v2',
      steps: [
        { ...article.steps[0], requires: ['key_findings', 'sources'] },
        { ...article.steps[1], next: ['publish'] },
        { id: 'publish', agentId: reviewer.id, next: [] },
      ],
    });
    expect(redefined.name).toBe('Launch post, v2');
    expect(redefined.steps.map((s) => [s.id, s.status, s.attempt])).toEqual([
      ['research', 'COMPLETED', 1],
      ['write', 'RUNNING', 1],
      ['publish', 'PENDING', 0],
    ]);
    // The completed attempt is judged by the new definition: it lacks `sources` now.
    expect(redefined.steps[0]?.missing).toEqual(['sources']);
    expect(redefined.updatedAt >= redefined.definedAt).toBe(true);
    failed(await start(reviewer, id, 'review'), 'NOT_FOUND');
  });

  it('lists the policies that apply to an agent or a workflow', async () => {
    const id = wf('policies');
    await define(articleWorkflow(id));
    const byAgent = await setPolicy({ id: `${server.ns}-p-agent`, agentId: reviewer.id, requires: ['review_notes'] });
    const byRole = await setPolicy({ id: `${server.ns}-p-role`, role: 'Reviewer', requires: ['verdict'], mode: 'WARN' });
    const byStep = await setPolicy({ id: `${server.ns}-p-step`, workflowId: id, stepId: 'review', requires: ['checklist'] });
    const mine = (ids: string[]) => ids.filter((p) => p.startsWith(`${server.ns}-p-`));
    expect(mine(await policies({ agentId: reviewer.id }))).toEqual([byAgent.id, byRole.id, byStep.id]);
    expect(mine(await policies({ workflowId: id }))).toEqual([byAgent.id, byRole.id, byStep.id]);
    expect(mine(await policies({ agentId: writer.id }))).toEqual([]);
    expect(mine(await policies({ agentId: reviewer.id, workflowId: `${server.ns}-none` }))).toEqual([]);
    expect(mine(await policies({}))).toEqual([byAgent.id, byRole.id, byStep.id]);
    const review = await stepOf(outsider.apiKey, id, 'review');
    expect(review?.policies.map((p) => p.id).filter((p) => p.startsWith(`${server.ns}-p-`))).toEqual([byAgent.id, byRole.id, byStep.id]);
    expect(review?.missing).toEqual(['checklist', 'review_notes', 'verdict']);
  });
});

describe('workflow namespace cleanup', () => {
  it("removes the namespace's workflows, steps, policies, violations and the mesh's notices", async () => {
    const connection = inject('neo4j');
    const server = await startTestServer();
    const ns = server.ns;
    try {
      const agent = await server.registerAgent({ id: `${ns}-solo` });
      const id = `${ns}-cleanup`;
      ok(await server.gql(server.adminKey, DEFINE, { input: { id, name: 'Cleanup', steps: [{ id: 's', agentId: agent.id }] } }));
      ok(await server.gql(server.adminKey, SET_POLICY, { input: { agentId: agent.id, requires: ['x'], mode: 'WARN' } }));
      ok(await server.gql(agent.apiKey, START, { w: id, s: 's' }));
      ok(await server.gql(agent.apiKey, COMPLETE, { w: id, s: 's' }));
    } finally {
      await server.stop();
    }
    const driver = neo4j.driver(connection.uri, connection.password ? neo4j.auth.basic(connection.user, connection.password) : undefined, {
      logging: { level: 'error', logger: () => undefined },
    });
    try {
      const session = driver.session({ database: 'neo4j' });
      const result = await session.run(
        `CALL () { MATCH (w:Workflow) WHERE w.id STARTS WITH $ns RETURN count(w) AS workflows }
         CALL () { MATCH (s:WorkflowStep) WHERE s.workflowId STARTS WITH $ns RETURN count(s) AS steps }
         CALL () { MATCH (p:PublishingPolicy) WHERE p.agentId STARTS WITH $ns RETURN count(p) AS policies }
         CALL () { MATCH (v:PolicyViolation) WHERE v.workflowId STARTS WITH $ns RETURN count(v) AS violations }
         CALL () { MATCH (c:Context) WHERE c.workflowId STARTS WITH $ns RETURN count(c) AS contexts }
         RETURN workflows, steps, policies, violations, contexts`,
        { ns },
      );
      await session.close();
      const record = result.records[0];
      expect(Object.fromEntries((record?.keys ?? []).map((key) => [key, Number(record?.get(key))]))).toEqual({
        workflows: 0,
        steps: 0,
        policies: 0,
        violations: 0,
        contexts: 0,
      });
    } finally {
      await driver.close();
    }
  });
});
