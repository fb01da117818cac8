import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/harness.js';
import { ok, publish } from '../integration/support.js';

/**
 * The article's bad-decision walk-through: a writer produces off-brand content, a reviewer flags it, the
 * workflow is rolled back to before the writing, the brand constraint is published, and the writer's
 * decision is replayed from now: the new package holds the constraint and not the off-brand draft.
 */

const TASK = 'Write the launch post for the Aurora espresso grinder';
const CONTEXT_FOR = `query($agentId: ID!, $task: String!, $workflowId: ID) {
  contextFor(agentId: $agentId, task: $task, workflowId: $workflowId) { id items { context { id } } compressed { originalContextIds } } }`;
const RECORD = `mutation($input: RecordDecisionInput!) { recordDecision(input: $input) { id } }`;
const REPLAY = `query($decisionId: ID!) {
  replayDecision(decisionId: $decisionId, adjust: { refresh: true }) { id items { context { id type text } } compressed { originalContextIds } } }`;
const ROLLBACK = `mutation($snapshotId: ID!) { rollback(snapshotId: $snapshotId) { retracted { id } undoSnapshot { id } } }`;

interface Pkg {
  id: string;
  items: { context: { id: string; type?: string; text?: string } }[];
  compressed: { originalContextIds: string[] } | null;
}
/** Every context a package hands over, in full or summarised. */
const handedOver = (pkg: Pkg) => [...pkg.items.map((i) => i.context.id), ...(pkg.compressed?.originalContextIds ?? [])];

describe('brand rollback walk-through', () => {
  let server: TestServer;
  let writer: { id: string; apiKey: string };
  let reviewer: { id: string; apiKey: string };
  const id = (name: string) => `${server.ns}-${name}`;
  const workflow = () => `${server.ns}-launch`;

  beforeAll(async () => {
    server = await startTestServer();
    writer = await server.registerAgent({ id: `${server.ns}-writer`, needs: ['launch post', 'brand guidelines'] });
    reviewer = await server.registerAgent({ id: `${server.ns}-reviewer`, produces: ['brand review'] });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('rolls back the off-brand draft, and the replayed package holds the brand constraint instead', async () => {
    const forWriter = { workflowId: workflow(), relevance: [{ agentId: writer.id, score: 1 }] };
    await publish(server, writer.apiKey, {
      id: id('objective'),
      type: 'OBJECTIVE',
      text: 'Launch post for the Aurora espresso grinder: announce it to home baristas.',
      ...forWriter,
    });
    const preWriting = ok(
      await server.gql<{ createSnapshot: { id: string } }>(
        server.adminKey,
        'mutation($w: ID) { createSnapshot(label: "pre-writing", workflowId: $w) { id } }',
        { w: workflow() },
      ),
    ).createSnapshot;

    // 1. The writer produces off-brand content.
    await publish(server, writer.apiKey, {
      id: id('draft'),
      type: 'OUTPUT',
      text: 'AURORA GRINDER: THE MOST INSANE GRINDER EVER!!! Crush every other brand and buy the launch grinder NOW!!!',
      dependencies: [id('objective')],
      ...forWriter,
    });
    // 2. The reviewer flags the brand-guideline violation.
    await publish(server, reviewer.apiKey, {
      id: id('review'),
      type: 'FINDING',
      text: 'Brand review of the launch post draft: it violates the brand guideline (all caps, exclamation marks, attacks on competitors).',
      dependencies: [id('draft')],
      ...forWriter,
    });
    const bad = ok(
      await server.gql<{ contextFor: Pkg }>(writer.apiKey, CONTEXT_FOR, { agentId: writer.id, task: TASK, workflowId: workflow() }),
    ).contextFor;
    expect(handedOver(bad)).toContain(id('draft'));
    const decision = ok(
      await server.gql<{ recordDecision: { id: string } }>(writer.apiKey, RECORD, {
        input: {
          agentId: writer.id,
          packageId: bad.id,
          input: { task: TASK },
          output: { post: 'THE MOST INSANE GRINDER EVER!!!' },
          usedContextIds: [id('draft')],
        },
      }),
    ).recordDecision;

    // 3. Roll back to the pre-writing snapshot: the draft and its review are retracted, nothing is deleted.
    const rolledBack = ok(
      await server.gql<{ rollback: { retracted: { id: string }[] } }>(server.adminKey, ROLLBACK, { snapshotId: preWriting.id }),
    ).rollback;
    expect(rolledBack.retracted.map((c) => c.id).sort()).toEqual([id('draft'), id('review')].sort());

    // 4. Replay with the brand constraint added.
    await publish(server, reviewer.apiKey, {
      id: id('brand'),
      type: 'CONSTRAINT',
      text: 'Brand guideline for the launch post: calm, factual tone; no all caps, no exclamation marks, never disparage competitors.',
      ...forWriter,
    });
    const replayed = ok(await server.gql<{ replayDecision: Pkg }>(writer.apiKey, REPLAY, { decisionId: decision.id })).replayDecision;

    // 5. The new package holds the constraint, not the off-brand draft.
    expect(replayed.id).not.toBe(bad.id);
    expect(replayed.items.map((i) => i.context.id)).toContain(id('brand'));
    expect(handedOver(replayed)).not.toContain(id('draft'));
    expect(handedOver(replayed)).not.toContain(id('review'));
    expect(replayed.items.find((i) => i.context.id === id('brand'))?.context.type).toBe('CONSTRAINT');
  });
});
