import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/harness.js';
import { failed, ok, publish } from './support.js';

/**
 * The Context Map from real traffic (README "The Context Map from real traffic") against a real Neo4j: the article's
 * researcher → writer → reviewer workflow run through the API, with real publishes and contextFor calls.
 */

const MAP = `query($workflowId: ID, $from: DateTime, $to: DateTime) {
  contextMap(workflowId: $workflowId, from: $from, to: $to) {
    workflowId from to truncated packagesRead
    agents { id }
    unmetNeeds { topic agents { id } }
    unconsumedProducts { topic agents { id } }
    needs { topic agents { id } deliveries contexts deliveredContexts contextIds hiddenContexts }
    products { topic agents { id } deliveries contexts deliveredContexts contextIds hiddenContexts }
    unservedNeeds { topic agents { id } }
    undeliveredProducts { topic agents { id } }
    isolatedAgents { agentId agent { id } reason published }
    flows { producerId consumerId producer { id } deliveries contexts tokens }
    criticalPaths { workflowId length nodes { hidden contextId context { id text } sourceAgentId stepId } }
    stepFailures { kind workflowId stepId agentId agent { id } attempt missing policyId at }
  }
}`;
const DECLARED_ONLY = `query { contextMap { agents { id } unmetNeeds { topic } } }`;
const DEFINE = `mutation($input: DefineWorkflowInput!) { defineWorkflow(input: $input) { id } }`;
const START = `mutation($w: ID!, $s: ID!) { startStep(workflowId: $w, stepId: $s) { status attempt } }`;
const COMPLETE = `mutation($w: ID!, $s: ID!) { completeStep(workflowId: $w, stepId: $s) { status } }`;
const CONTEXT_FOR = `query($agentId: ID!, $task: String!, $workflowId: ID) {
  contextFor(agentId: $agentId, task: $task, workflowId: $workflowId) { id items { context { id } tokens } }
}`;

interface Usage {
  topic: string;
  agents: { id: string }[];
  deliveries: number;
  contexts: number;
  deliveredContexts: number;
  contextIds: string[];
  hiddenContexts: number;
}
interface PathNode {
  hidden: boolean;
  contextId: string | null;
  context: { id: string; text: string } | null;
  sourceAgentId: string | null;
  stepId: string | null;
}
interface ContextMap {
  workflowId: string | null;
  truncated: boolean;
  packagesRead: number;
  agents: { id: string }[];
  unmetNeeds: { topic: string; agents: { id: string }[] }[];
  needs: Usage[];
  products: Usage[];
  unservedNeeds: { topic: string; agents: { id: string }[] }[];
  undeliveredProducts: { topic: string; agents: { id: string }[] }[];
  isolatedAgents: { agentId: string; agent: { id: string } | null; reason: string; published: number }[];
  flows: { producerId: string; consumerId: string; deliveries: number; contexts: number; tokens: number }[];
  criticalPaths: { workflowId: string; length: number; nodes: PathNode[] }[];
  stepFailures: { kind: string; workflowId: string; stepId: string; agentId: string; attempt: number; missing: string[]; at: string }[];
}
type Agent = { id: string; apiKey: string };
interface Package {
  id: string;
  items: { context: { id: string }; tokens: number }[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('contextMap from real traffic', () => {
  let server: TestServer;
  let researcher: Agent;
  let writer: Agent;
  let reviewer: Agent;
  let checker: Agent;
  let wf: string;
  const ids: Record<string, string> = {};
  let writerPackage: Package;
  let reviewerPackage: Package;
  let startedAt: string;
  let middle: string;
  let missingRequiredError: { message: string; extensions: Record<string, unknown> };
  const id = (name: string) => `${server.ns}-${name}`;

  const map = async (key: string, variables: Record<string, unknown> = { workflowId: wf }) =>
    ok(await server.gql<{ contextMap: ContextMap }>(key, MAP, variables)).contextMap;
  const step = async (key: string, mutation: string, stepId: string) => server.gql(key, mutation, { w: wf, s: stepId });
  const contextFor = async (agent: Agent, task: string) =>
    ok(await server.gql<{ contextFor: Package }>(agent.apiKey, CONTEXT_FOR, { agentId: agent.id, task, workflowId: wf })).contextFor;

  beforeAll(async () => {
    server = await startTestServer();
    startedAt = new Date().toISOString();
    wf = id('launch');
    const low = { relevanceThreshold: 0.05, tokenBudget: 4000 };
    researcher = await server.registerAgent({ id: id('researcher'), name: 'researcher', produces: ['key_findings'], ...low });
    writer = await server.registerAgent({ id: id('writer'), name: 'writer', needs: ['key_findings'], produces: ['draft'], ...low });
    reviewer = await server.registerAgent({ id: id('reviewer'), name: 'reviewer', needs: ['draft'], produces: ['review_notes'], ...low });
    checker = await server.registerAgent({ id: id('checker'), name: 'checker', needs: ['citations'], ...low });
    ok(
      await server.gql(server.adminKey, DEFINE, {
        input: {
          id: wf,
          name: 'Launch post',
          steps: [
            {
              id: 'research',
              agentId: researcher.id,
              produces: ['key_findings'],
              requires: ['key_findings', 'confidence_scores'],
              next: ['write'],
            },
            { id: 'write', agentId: writer.id, needs: ['key_findings'], produces: ['draft'], next: ['review'] },
            { id: 'review', agentId: reviewer.id, needs: ['draft'], produces: ['review_notes'] },
            { id: 'check', agentId: checker.id, needs: ['citations'] },
          ],
        },
      }),
    );

    // Research: completing without confidence_scores fails (a StepFailure), then succeeds.
    ok(await step(researcher.apiKey, START, 'research'));
    const findings = await publish(server, researcher.apiKey, {
      type: 'FINDING',
      text: 'Competitor analysis: Acme leads on price, Globex on support quality.',
      tags: ['key_findings'],
      workflowId: wf,
    });
    ids['findings'] = findings.id;
    missingRequiredError = failed(await step(researcher.apiKey, COMPLETE, 'research'), 'MISSING_REQUIRED_CONTEXT');
    const confidence = await publish(server, researcher.apiKey, {
      type: 'FINDING',
      text: 'Confidence scores: Acme pricing 0.8, Globex support 0.6.',
      tags: ['confidence_scores'],
      workflowId: wf,
    });
    ids['confidence'] = confidence.id;
    ok(await step(researcher.apiKey, COMPLETE, 'research'));

    // Writing: the writer reads the research, drafts on it (and on a private note of its own).
    ok(await step(writer.apiKey, START, 'write'));
    writerPackage = await contextFor(writer, 'Write the launch post positioning us against Acme and Globex key findings');
    await sleep(15);
    middle = new Date().toISOString();
    await sleep(15);
    const note = await publish(server, writer.apiKey, {
      type: 'FINDING',
      text: 'Private note: our differentiation is the onboarding experience.',
      tags: ['writer_notes'],
      visibleTo: [writer.id],
      workflowId: wf,
    });
    ids['note'] = note.id;
    const draft = await publish(server, writer.apiKey, {
      type: 'OUTPUT',
      text: 'Draft launch post: cheaper than Acme, friendlier than Globex, easiest onboarding.',
      tags: ['draft'],
      dependencies: [findings.id, note.id],
      workflowId: wf,
    });
    ids['draft'] = draft.id;
    ok(await step(writer.apiKey, COMPLETE, 'write'));

    // Review: the reviewer reads the draft; its notes are never delivered to anyone.
    ok(await step(reviewer.apiKey, START, 'review'));
    reviewerPackage = await contextFor(reviewer, 'Review the draft launch post');
    const review = await publish(server, reviewer.apiKey, {
      type: 'OUTPUT',
      text: 'Review notes: tighten the Acme comparison.',
      tags: ['review_notes'],
      dependencies: [draft.id],
      workflowId: wf,
    });
    ids['review'] = review.id;

    // The checker starts a step whose need nothing in the workflow provides, and never publishes.
    ok(await step(checker.apiKey, START, 'check'));
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('the packages delivered what the scenario relies on', () => {
    expect(writerPackage.items.map((i) => i.context.id)).toContain(ids['findings']);
    expect(reviewerPackage.items.map((i) => i.context.id)).toContain(ids['draft']);
  });

  it('counts the researcher → writer flow from the recorded deliveries', async () => {
    const m = await map(server.adminKey);
    expect(m.workflowId).toBe(wf);
    expect(m.truncated).toBe(false);
    expect(m.agents.map((a) => a.id).sort()).toEqual([checker.id, researcher.id, reviewer.id, writer.id].sort());
    const fromResearch = writerPackage.items.filter((i) => i.context.id === ids['findings'] || i.context.id === ids['confidence']);
    const flow = m.flows.find((f) => f.producerId === researcher.id && f.consumerId === writer.id);
    expect(flow).toEqual({
      producerId: researcher.id,
      consumerId: writer.id,
      producer: { id: researcher.id },
      deliveries: fromResearch.length,
      contexts: fromResearch.length,
      tokens: fromResearch.reduce((n, i) => n + i.tokens, 0),
    });
    const draftFlow = m.flows.find((f) => f.producerId === writer.id && f.consumerId === reviewer.id);
    expect(draftFlow?.deliveries).toBeGreaterThanOrEqual(1);
    const need = m.needs.find((n) => n.topic === 'key_findings');
    expect(need?.agents.map((a) => a.id)).toEqual([writer.id]);
    expect(need?.deliveries).toBe(1);
    expect(need?.contextIds).toEqual([ids['findings']]);
  });

  it('shows a need nobody serves and a product nobody receives', async () => {
    const m = await map(server.adminKey);
    expect(m.unservedNeeds).toContainEqual({ topic: 'citations', agents: [{ id: checker.id }] });
    expect(m.unservedNeeds.map((n) => n.topic)).not.toContain('key_findings');
    expect(m.undeliveredProducts).toContainEqual({ topic: 'review_notes', agents: [{ id: reviewer.id }] });
    expect(m.undeliveredProducts.map((p) => p.topic)).not.toContain('draft');
    const notes = m.products.find((p) => p.topic === 'review_notes');
    expect(notes).toMatchObject({ contexts: 1, deliveredContexts: 0, deliveries: 0, contextIds: [ids['review']] });
    // Declared as before: citations is needed and nobody produces it.
    expect(m.unmetNeeds.map((n) => n.topic)).toContain('citations');
  });

  it('finds the agent that never publishes and the one whose context never reaches anyone', async () => {
    const m = await map(server.adminKey);
    expect(m.isolatedAgents).toEqual([
      { agentId: checker.id, agent: { id: checker.id }, reason: 'NEVER_PUBLISHES', published: 0 },
      { agentId: reviewer.id, agent: { id: reviewer.id }, reason: 'NEVER_CONSUMED', published: 1 },
    ]);
  });

  it("the reviewer's output rests on the writer's draft, which rests on the researcher's findings", async () => {
    const m = await map(server.adminKey);
    const paths = m.criticalPaths.filter((p) => p.workflowId === wf);
    const [longest] = paths;
    expect(longest?.length).toBe(3);
    const chains = paths.map((p) => p.nodes.map((n) => n.contextId));
    expect(chains).toContainEqual([ids['review'], ids['draft'], ids['findings']]);
    expect(chains).toContainEqual([ids['review'], ids['draft'], ids['note']]);
    const toFindings = paths.find((p) => p.nodes[2]?.contextId === ids['findings']);
    expect(toFindings?.nodes.map((n) => [n.sourceAgentId, n.stepId])).toEqual([
      [reviewer.id, 'review'],
      [writer.id, 'write'],
      [researcher.id, 'research'],
    ]);
    expect(toFindings?.nodes[2]?.context?.text).toContain('Competitor analysis');
    expect(paths.every((p, i) => i === 0 || (paths[i - 1]?.length ?? 0) >= p.length)).toBe(true);
  });

  it('records the failed completion and the step started without its need', async () => {
    const m = await map(server.adminKey);
    const missing = m.stepFailures.filter((f) => f.kind === 'MISSING_REQUIRED');
    expect(missing).toHaveLength(1);
    expect(missing[0]).toMatchObject({
      workflowId: wf,
      stepId: 'research',
      agentId: researcher.id,
      attempt: 1,
      missing: ['confidence_scores'],
    });
    expect(missingRequiredError.extensions['missing']).toEqual(['confidence_scores']);
    const unavailable = m.stepFailures.filter((f) => f.kind === 'NEED_UNAVAILABLE_AT_START');
    expect(unavailable).toEqual([
      expect.objectContaining({ workflowId: wf, stepId: 'check', agentId: checker.id, attempt: 1, missing: ['citations'] }),
    ]);
    // The writer's and the reviewer's needs were there when they started.
    expect(m.stepFailures.map((f) => f.stepId).sort()).toEqual(['check', 'research']);
    // Starting the running step again does not record it twice.
    ok(await step(checker.apiKey, START, 'check'));
    const again = await map(server.adminKey);
    expect(again.stepFailures.filter((f) => f.kind === 'NEED_UNAVAILABLE_AT_START')).toHaveLength(1);
  });

  it('filters by range: before and after the middle of the run', async () => {
    const before = await map(server.adminKey, { workflowId: wf, from: startedAt, to: middle });
    expect(before.flows.some((f) => f.producerId === researcher.id && f.consumerId === writer.id)).toBe(true);
    expect(before.flows.some((f) => f.consumerId === reviewer.id)).toBe(false);
    expect(before.stepFailures.map((f) => f.kind)).toEqual(['MISSING_REQUIRED']);
    // Before the middle, only the researcher had published: everyone else never published in that range.
    expect(
      before.isolatedAgents
        .filter((a) => a.reason === 'NEVER_PUBLISHES')
        .map((a) => a.agentId)
        .sort(),
    ).toEqual([checker.id, reviewer.id, writer.id].sort());
    const after = await map(server.adminKey, { workflowId: wf, from: middle });
    expect(after.flows.some((f) => f.producerId === researcher.id && f.consumerId === writer.id)).toBe(false);
    expect(after.flows.some((f) => f.producerId === writer.id && f.consumerId === reviewer.id)).toBe(true);
    const keyFindings = (m: ContextMap) => m.needs.find((n) => n.topic === 'key_findings')?.deliveries;
    expect([keyFindings(before), keyFindings(after)]).toEqual([1, 0]);
    expect(after.unservedNeeds.map((n) => n.topic)).toContain('key_findings');
    expect(after.stepFailures.map((f) => f.kind)).toEqual(['NEED_UNAVAILABLE_AT_START']);
  });

  it('an agent caller gets the counts, but no ids of contexts it may not read', async () => {
    const asReviewer = await map(reviewer.apiKey);
    const asAdmin = await map(server.adminKey);
    const path = asReviewer.criticalPaths.find((p) => p.nodes.some((n) => n.hidden));
    expect(path?.length).toBe(3);
    expect(path?.nodes[2]).toEqual({ hidden: true, contextId: null, context: null, sourceAgentId: null, stepId: null });
    expect(path?.nodes[1]?.contextId).toBe(ids['draft']);
    expect(JSON.stringify(asReviewer)).not.toContain(ids['note']);
    expect(JSON.stringify(asAdmin)).toContain(ids['note']);
    const notes = (m: ContextMap) => m.products.find((p) => p.topic === 'writer_notes') ?? null;
    expect(notes(asAdmin)).toBeNull(); // nobody declares writer_notes: it is not a declared product
    const draftAsReviewer = asReviewer.products.find((p) => p.topic === 'draft');
    const draftAsAdmin = asAdmin.products.find((p) => p.topic === 'draft');
    expect(draftAsReviewer?.contexts).toBe(draftAsAdmin?.contexts);
    expect(asReviewer.flows).toEqual(asAdmin.flows);
    expect(asReviewer.criticalPaths.map((p) => p.length)).toEqual(asAdmin.criticalPaths.map((p) => p.length));
  });

  it('without arguments it is the declared map of the whole mesh, as before', async () => {
    const m = ok(
      await server.gql<{ contextMap: { agents: { id: string }[]; unmetNeeds: { topic: string }[] } }>(writer.apiKey, DECLARED_ONLY),
    );
    expect(m.contextMap.agents.map((a) => a.id)).toEqual(expect.arrayContaining([researcher.id, writer.id, reviewer.id, checker.id]));
    expect(m.contextMap.unmetNeeds.map((n) => n.topic)).toContain('citations');
    const whole = await map(server.adminKey, { from: startedAt });
    expect(whole.workflowId).toBeNull();
    expect(whole.flows.some((f) => f.producerId === researcher.id && f.consumerId === writer.id)).toBe(true);
  });

  it('refuses bad input and an unknown workflow', async () => {
    const empty = failed(await server.gql(server.adminKey, MAP, { workflowId: wf, from: middle, to: middle }), 'BAD_USER_INPUT');
    expect(JSON.stringify(empty.extensions)).toContain('"to"');
    failed(await server.gql(server.adminKey, MAP, { from: 'yesterday' }), 'BAD_USER_INPUT');
    failed(await server.gql(server.adminKey, MAP, { workflowId: 'bad id!' }), 'BAD_USER_INPUT');
    const unknown = failed(await server.gql(server.adminKey, MAP, { workflowId: id('no-such-workflow') }), 'NOT_FOUND');
    expect(unknown.extensions['ids']).toEqual([id('no-such-workflow')]);
    failed(await server.gql(null, MAP, { workflowId: wf }), 'UNAUTHENTICATED');
  });
});
