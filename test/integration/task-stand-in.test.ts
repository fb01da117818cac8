import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/harness.js';
import { failed, ok, publish } from './support.js';

/**
 * contextFor without a task (issue 10): the agent's running workflow step, its needs and its workflow stand in. The
 * article's researcher → writer: while the writer's step runs, asking with no task returns the research of that
 * workflow, not the same topic from another workflow, and says what stood in.
 */

interface Agent {
  id: string;
  apiKey: string;
}
interface Package {
  task: string;
  standIn: { basis: string; workflowId: string | null; stepId: string | null } | null;
  items: { context: { id: string; workflowId: string | null } }[];
}

const PACKAGE = `query($agentId: ID!, $task: String, $workflowId: ID, $asOf: Int) {
  contextFor(agentId: $agentId, task: $task, workflowId: $workflowId, asOf: $asOf) {
    task standIn { basis workflowId stepId } items { context { id workflowId } } } }`;
const DEFINE = `mutation($input: DefineWorkflowInput!) { defineWorkflow(input: $input) { id } }`;
const START = `mutation($w: ID!, $s: ID!) { startStep(workflowId: $w, stepId: $s) { status } }`;
const COMPLETE = `mutation($w: ID!, $s: ID!) { completeStep(workflowId: $w, stepId: $s) { status } }`;

describe('contextFor without a task', () => {
  let server: TestServer;
  let researcher: Agent;
  let writer: Agent;
  let editor: Agent;
  let loner: Agent;
  const id = (name: string) => `${server.ns}-${name}`;
  const ask = (agent: Agent, extra: Record<string, unknown> = {}) =>
    server.gql<{ contextFor: Package }>(agent.apiKey, PACKAGE, { agentId: agent.id, ...extra });

  beforeAll(async () => {
    server = await startTestServer();
    researcher = await server.registerAgent({ id: id('researcher'), name: 'researcher', produces: ['competitor_analysis'] });
    writer = await server.registerAgent({ id: id('writer'), name: 'writer' });
    editor = await server.registerAgent({ id: id('editor'), name: 'editor', needs: ['brand guidelines'] });
    loner = await server.registerAgent({ id: id('loner'), name: 'loner' });
    ok(
      await server.gql(server.adminKey, DEFINE, {
        input: {
          id: id('launch'),
          name: 'Product launch',
          steps: [
            { id: 'research', agentId: researcher.id, produces: ['competitor_analysis'], next: ['write'] },
            { id: 'write', agentId: writer.id, needs: ['competitor analysis', 'positioning'], next: [] },
          ],
        },
      }),
    );
  }, 120_000);
  afterAll(() => server?.stop());

  it('says BAD_USER_INPUT on `task` when no running step and no needs can stand in', async () => {
    const error = failed(await ask(loner), 'BAD_USER_INPUT');
    expect(error.message).toContain('task is required');
    expect(error.extensions?.['issues']).toEqual([expect.objectContaining({ path: ['task'] })]);
  });

  it("routes the writer's running step: its workflow's research, not the same topic elsewhere", async () => {
    ok(await server.gql(researcher.apiKey, START, { w: id('launch'), s: 'research' }));
    const inWorkflow = await publish(server, researcher.apiKey, {
      id: id('strengths'),
      type: 'FINDING',
      text: 'Competitor strengths and weaknesses: Acme ships faster, Globex has the better support.',
      tags: ['competitor_analysis'],
      workflowId: id('launch'),
    });
    const positioning = await publish(server, researcher.apiKey, {
      id: id('positioning'),
      type: 'FINDING',
      text: 'Positioning: we differentiate on privacy, where neither competitor invests.',
      tags: ['positioning'],
      workflowId: id('launch'),
    });
    // Tagged with a need of the step, in words that share nothing with it: the tag is the evidence.
    const tagged = await publish(server, researcher.apiKey, {
      id: id('tagged'),
      type: 'FINDING',
      text: 'Q3 figures: four percent up in March, flat in April.',
      tags: ['Competitor-Analysis'],
      workflowId: id('launch'),
    });
    const elsewhere = await publish(server, researcher.apiKey, {
      id: id('other-run'),
      type: 'FINDING',
      text: 'Competitor strengths and weaknesses for another product line.',
      tags: ['competitor_analysis'],
      workflowId: id('other'),
    });
    ok(await server.gql(researcher.apiKey, COMPLETE, { w: id('launch'), s: 'research' }));
    ok(await server.gql(writer.apiKey, START, { w: id('launch'), s: 'write' }));

    const pkg = ok(await ask(writer)).contextFor;
    expect(pkg.standIn).toEqual({ basis: 'STEP', workflowId: id('launch'), stepId: 'write' });
    expect(pkg.task).toContain('"write"');
    expect(pkg.task).toContain('Product launch');
    expect(pkg.task).toContain('competitor analysis');
    const ids = pkg.items.map((item) => item.context.id);
    expect(ids).toEqual(expect.arrayContaining([inWorkflow.id, positioning.id, tagged.id]));
    expect(ids).not.toContain(elsewhere.id);
    expect(pkg.items.every((item) => item.context.workflowId === id('launch'))).toBe(true);

    // A task given is routed as given (no stand-in, not limited to the workflow).
    const given = ok(await ask(writer, { task: 'Competitor strengths and weaknesses' })).contextFor;
    expect(given.standIn).toBeNull();
    expect(given.items.map((item) => item.context.id)).toContain(elsewhere.id);
  });

  it('with a workflowId where the agent runs no step, and with no step at all, its needs stand in', async () => {
    const none = failed(await ask(writer, { workflowId: id('other') }), 'BAD_USER_INPUT');
    expect(none.message).toContain(id('other'));
    const byNeeds = ok(await ask(editor)).contextFor;
    expect(byNeeds.standIn).toEqual({ basis: 'NEEDS', workflowId: null, stepId: null });
    expect(byNeeds.task).toBe('Needs: brand guidelines');
  });

  it('requires a task with asOf (run state is not versioned)', async () => {
    const error = failed(await ask(writer, { asOf: 1 }), 'BAD_USER_INPUT');
    expect(error.message).toContain('task is required with asOf');
  });
});
