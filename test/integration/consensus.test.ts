import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/harness.js';
import { connectClient, subscribeTo, type Collector } from '../support/ws-collector.js';
import { failed, ok, publish } from './support.js';

/** Consensus over GraphQL against a real Neo4j: agreement, CONSENSUS contexts, conflicts and their escalation, drift. */

interface Agent {
  id: string;
  apiKey: string;
}
interface Position {
  position: string;
  weight: number;
  share: number;
  agents: { id: string }[];
  contexts: { id: string }[];
}
interface Conflict {
  id: string;
  claim: string | null;
  status: string;
  agreement: number;
  seq: number;
  positions: Position[];
  escalatedTo: { id: string }[];
  inputs: { id: string }[];
  resolution: { position: string; rationale: string | null; resolvedBy: string; consensus: Consensus | null } | null;
}
interface Consensus {
  id: string;
  type: string;
  claim: string | null;
  position: string | null;
  content: Record<string, unknown>;
  metadata: { confidence: number; dependencies: string[] };
  stale: boolean;
  staleness: { reason: string; cause: { id: string } | null } | null;
}
interface Result {
  claim: string | null;
  groupedBy: string;
  groups: { contextIds: string[]; selected: boolean }[];
  agreement: number;
  position: string | null;
  tied: boolean;
  reached: boolean;
  positions: Position[];
  inputs: { id: string }[];
  consensus: Consensus | null;
  conflict: Conflict | null;
}
interface Escalation {
  seq: number;
  prevSeq: number;
  conflict: { id: string; claim: string | null; status: string };
}

const POSITION = 'position weight share agents { id } contexts { id }';
const CONSENSUS = `id type claim position content metadata { confidence dependencies } stale staleness { reason cause { id } }`;
const CONFLICT = `id claim status agreement seq positions { ${POSITION} } escalatedTo { id } inputs { id }
  resolution { position rationale resolvedBy consensus { ${CONSENSUS} } }`;
const BUILD = `mutation($claim: String, $contextIds: [ID!], $groupBy: ConsensusGrouping, $weightBy: WeightBy, $minimumAgreement: Float,
  $tolerance: Float, $escalateConflicts: Boolean, $similarityThreshold: Float, $sourceAgentId: ID) {
  buildConsensus(claim: $claim, contextIds: $contextIds, groupBy: $groupBy, weightBy: $weightBy, minimumAgreement: $minimumAgreement,
    tolerance: $tolerance, escalateConflicts: $escalateConflicts, similarityThreshold: $similarityThreshold, sourceAgentId: $sourceAgentId) {
    claim groupedBy groups { contextIds selected } agreement position tied reached positions { ${POSITION} } inputs { id }
    consensus { ${CONSENSUS} } conflict { ${CONFLICT} } } }`;
const RESOLVE = `mutation($id: ID!, $position: String!, $rationale: String, $sourceAgentId: ID) {
  resolveConflict(id: $id, position: $position, rationale: $rationale, sourceAgentId: $sourceAgentId) { ${CONFLICT} } }`;
const ESCALATED = `subscription($agentId: ID, $afterSeq: Int) { conflictEscalated(agentId: $agentId, afterSeq: $afterSeq) {
  seq prevSeq conflict { id claim status } } }`;
const CONTEXT = `query($id: ID!) { context(id: $id) { ${CONSENSUS} } }`;
const CONTEXT_FOR = `query($agentId: ID!, $task: String!, $workflowId: ID) {
  contextFor(agentId: $agentId, task: $task, workflowId: $workflowId, budget: 4000) { items { score context { id type } } } }`;

describe('consensus', () => {
  let server: TestServer;
  let a1: Agent;
  let a2: Agent;
  let a3: Agent;
  let reader: Agent;
  let escalator: Agent;
  let outsider: Agent;
  const clients: Client[] = [];
  let n = 0;
  const claimOf = (name: string) => `${server.ns}_${name}_${(n += 1)}`;
  const id = (name: string) => `${server.ns}-${name}-${(n += 1)}`;

  const build = async (key: string, variables: Record<string, unknown>) =>
    ok(await server.gql<{ buildConsensus: Result }>(key, BUILD, variables)).buildConsensus;
  const context = async (key: string, contextId: string) =>
    ok(await server.gql<{ context: Consensus | null }>(key, CONTEXT, { id: contextId })).context;
  const finding = (agent: Agent, input: Record<string, unknown>) => publish(server, agent.apiKey, { type: 'FINDING', ...input });
  const follow = (key: string, variables: Record<string, unknown>): Collector<Escalation> => {
    const client = connectClient(server.wsUrl, key);
    clients.push(client);
    return subscribeTo(client, ESCALATED, variables, (data) => data['conflictEscalated'] as Escalation);
  };

  /** The article's three analysts on one claim: up (0.9), up (0.8), down (0.2). */
  const threeAnalysts = async (claim: string, workflowId: string) => [
    await finding(a1, {
      id: id('f1'),
      text: 'Quarterly revenue is trending up on subscription growth',
      claim,
      position: 'up',
      confidence: 0.9,
      workflowId,
    }),
    await finding(a2, { id: id('f2'), text: 'Revenue keeps rising this quarter', claim, position: 'Up', confidence: 0.8, workflowId }),
    await finding(a3, { id: id('f3'), text: 'Revenue looks to be falling slightly', claim, position: 'down', confidence: 0.2, workflowId }),
  ];

  beforeAll(async () => {
    server = await startTestServer();
    a1 = await server.registerAgent({ id: `${server.ns}-analyst1` });
    a2 = await server.registerAgent({ id: `${server.ns}-analyst2` });
    a3 = await server.registerAgent({ id: `${server.ns}-analyst3` });
    reader = await server.registerAgent({ id: `${server.ns}-reader`, needs: ['revenue'] });
    escalator = await server.registerAgent({ id: `${server.ns}-escalator` });
    outsider = await server.registerAgent({ id: `${server.ns}-outsider` });
  });
  afterAll(async () => {
    for (const client of clients) await client.dispose();
    await server?.stop();
  });

  it("the article's three analysts: agreement 1.7 / 1.9, a CONSENSUS context on its inputs, preferred by routing", async () => {
    const claim = claimOf('revenue_trend');
    const workflowId = id('wf');
    const inputs = await threeAnalysts(claim, workflowId);
    const result = await build(reader.apiKey, { claim });
    expect(result.groupedBy).toBe('CLAIM');
    expect(result.agreement).toBeCloseTo(1.7 / 1.9, 10);
    expect(result.position).toBe('up');
    expect(result.reached).toBe(true);
    expect(result.conflict).toBeNull();
    expect(result.positions.map((p) => [p.position, Number(p.weight.toFixed(6)), p.contexts.map((c) => c.id).sort()])).toEqual([
      ['up', 1.7, [inputs[0]?.id, inputs[1]?.id].sort()],
      ['down', 0.2, [inputs[2]?.id]],
    ]);
    const consensus = result.consensus;
    expect(consensus?.type).toBe('CONSENSUS');
    expect(consensus?.claim).toBe(claim);
    expect(consensus?.position).toBe('up');
    expect(consensus?.metadata.confidence).toBeCloseTo(1.7 / 1.9, 10);
    expect(consensus?.metadata.dependencies.sort()).toEqual(inputs.map((c) => c.id).sort());
    expect(consensus?.content).toMatchObject({ weightBy: 'CONFIDENCE', position: 'up' });
    // Re-running (or retrying) it over unchanged inputs returns the same context: no new version, nothing superseded.
    const again = await build(reader.apiKey, { claim });
    expect(again.consensus?.id).toBe(consensus?.id);
    expect((await context(reader.apiKey, consensus?.id ?? ''))?.type).toBe('CONSENSUS');
    const versionOf = `query($id: ID!) { context(id: $id) { version status } }`;
    expect(
      ok(await server.gql<{ context: { version: number; status: string } }>(reader.apiKey, versionOf, { id: consensus?.id })).context,
    ).toEqual({
      version: 1,
      status: 'ACTIVE',
    });

    // Routing: the inputs of a current CONSENSUS context are demoted (x0.5), so the consensus comes first.
    const pkg = ok(
      await server.gql<{ contextFor: { items: { score: number; context: { id: string; type: string } }[] } }>(reader.apiKey, CONTEXT_FOR, {
        agentId: reader.id,
        task: 'Which way is quarterly revenue trending?',
        workflowId,
      }),
    ).contextFor;
    // (Items are packed dependencies first, so compare scores, not positions.)
    const scoreOf = (contextId: string | undefined) => pkg.items.find((item) => item.context.id === contextId)?.score ?? 0;
    const best = Math.max(...pkg.items.map((item) => item.score));
    expect(scoreOf(consensus?.id)).toBe(best);
    for (const input of inputs) expect(scoreOf(input.id)).toBeLessThan(scoreOf(consensus?.id));
  }, 180_000); // a dozen writes, two builds and a routed package: slow on a loaded 2-core machine

  it('weighs EQUAL and AGENT_TRUST (admins set trust; agents may not), and groups numbers within the tolerance', async () => {
    const claim = claimOf('trust');
    await threeAnalysts(claim, id('wf'));
    expect((await build(reader.apiKey, { claim, weightBy: 'EQUAL', escalateConflicts: false })).agreement).toBeCloseTo(2 / 3, 10);
    failed(await server.gql(a3.apiKey, 'mutation { setAgentTrust(agentId: "x", trust: 1) { id } }'), 'FORBIDDEN');
    const setTrust = `mutation($agentId: ID!, $trust: Float!) { setAgentTrust(agentId: $agentId, trust: $trust) { id trust } }`;
    expect(
      ok(await server.gql<{ setAgentTrust: { trust: number } }>(server.adminKey, setTrust, { agentId: a3.id, trust: 0.9 })).setAgentTrust
        .trust,
    ).toBe(0.9);
    ok(await server.gql(server.adminKey, setTrust, { agentId: a1.id, trust: 0.1 }));
    ok(await server.gql(server.adminKey, setTrust, { agentId: a2.id, trust: 0.1 }));
    const byTrust = await build(reader.apiKey, { claim, weightBy: 'AGENT_TRUST', escalateConflicts: false });
    expect(byTrust.position).toBe('down');
    expect(byTrust.agreement).toBeCloseTo(0.9 / 1.1, 10);

    const numeric = claimOf('growth');
    const ids = [
      (await finding(a1, { text: 'Growth is about 15 percent', claim: numeric, position: '15%' })).id,
      (await finding(a2, { text: 'Growth near 0.152', claim: numeric, position: '0.152' })).id,
      (await finding(a3, { text: 'Growth 20 percent', claim: numeric, position: '20%' })).id,
    ];
    const close = await build(reader.apiKey, { claim: numeric, weightBy: 'EQUAL', escalateConflicts: false });
    expect(close.positions.map((p) => p.contexts.map((c) => c.id).sort())).toEqual([[ids[0], ids[1]].sort(), [ids[2]]]);
    const strict = await build(reader.apiKey, { claim: numeric, weightBy: 'EQUAL', tolerance: 0.001, escalateConflicts: false });
    expect(strict.positions).toHaveLength(3);
  });

  it('a split claim escalates a conflict to its escalation agent live and after a reconnect; resolving it publishes the outcome', async () => {
    const claim = claimOf('split');
    const setEscalation = `mutation($claim: String, $agentIds: [ID!]!) { setEscalation(claim: $claim, agentIds: $agentIds) { claim agentIds } }`;
    failed(await server.gql(reader.apiKey, setEscalation, { claim, agentIds: [escalator.id] }), 'FORBIDDEN');
    ok(await server.gql(server.adminKey, setEscalation, { claim, agentIds: [escalator.id] }));
    const live = follow(escalator.apiKey, { agentId: escalator.id });
    const admins = follow(server.adminKey, {});
    const denied = follow(reader.apiKey, { agentId: escalator.id });
    const deadline = Date.now() + 15_000;
    while (denied.errors.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(JSON.stringify(denied.errors)).toContain('FORBIDDEN');
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // both subscriptions are set up (a loaded machine is slow)

    const yes = await finding(a1, { text: 'We should ship on Friday', claim, position: 'ship', confidence: 0.7 });
    const no = await finding(a2, { text: 'We should wait a week', claim, position: 'wait', confidence: 0.6 });
    const result = await build(reader.apiKey, { claim });
    expect(result.reached).toBe(false);
    expect(result.consensus).toBeNull();
    const conflict = result.conflict;
    expect(conflict?.status).toBe('OPEN');
    expect(conflict?.agreement).toBeCloseTo(0.7 / 1.3, 10);
    expect(conflict?.escalatedTo.map((a) => a.id)).toEqual([escalator.id]);
    expect(conflict?.inputs.map((c) => c.id).sort()).toEqual([yes.id, no.id].sort());

    // The same split built again (a retry, or another agent asking) is the same open conflict, escalated once.
    const rebuilt = await build(reader.apiKey, { claim });
    expect(rebuilt.conflict?.id).toBe(conflict?.id);
    expect(rebuilt.conflict?.seq).toBe(conflict?.seq);

    const [received] = await live.until((items) => items.length >= 1, 30_000);
    expect(received?.conflict.id).toBe(conflict?.id);
    expect(received?.seq).toBe(conflict?.seq);
    await admins.until((items) => items.some((item) => item.conflict.id === conflict?.id), 30_000);

    // A reconnect replays from the log: from the start, and nothing after the seq it last saw.
    const replay = follow(escalator.apiKey, { agentId: escalator.id, afterSeq: 0 });
    const replayed = await replay.until((items) => items.length >= 1, 30_000);
    expect(replayed.map((item) => item.conflict.id)).toEqual([conflict?.id]);
    const resumed = follow(escalator.apiKey, { afterSeq: received?.seq });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(resumed.items).toEqual([]);
    expect(live.items).toHaveLength(1);

    const listed = `query($claim: String) { conflicts(status: OPEN, claim: $claim) { id } }`;
    expect(ok(await server.gql<{ conflicts: { id: string }[] }>(escalator.apiKey, listed, { claim })).conflicts.map((c) => c.id)).toEqual([
      conflict?.id,
    ]);
    expect(ok(await server.gql<{ conflicts: { id: string }[] }>(reader.apiKey, listed, { claim })).conflicts).toHaveLength(1);

    // Only an admin or an escalation agent settles it; once.
    failed(await server.gql(reader.apiKey, RESOLVE, { id: conflict?.id, position: 'ship' }), 'FORBIDDEN');
    failed(await server.gql(reader.apiKey, RESOLVE, { id: 'no-such-conflict', position: 'ship' }), 'NOT_FOUND');
    const resolved = ok(
      await server.gql<{ resolveConflict: Conflict }>(escalator.apiKey, RESOLVE, {
        id: conflict?.id,
        position: 'Ship',
        rationale: 'stock is in',
      }),
    ).resolveConflict;
    expect(resolved.status).toBe('RESOLVED');
    expect(resolved.resolution).toMatchObject({ position: 'ship', rationale: 'stock is in', resolvedBy: escalator.id });
    const outcome = resolved.resolution?.consensus;
    expect(outcome?.type).toBe('CONSENSUS');
    expect(outcome?.position).toBe('ship');
    expect(outcome?.claim).toBe(claim);
    expect(outcome?.metadata.dependencies.sort()).toEqual([yes.id, no.id].sort());
    // A retry by the same resolver with the same position (a lost response) gets the settled conflict back.
    const retried = ok(
      await server.gql<{ resolveConflict: Conflict }>(escalator.apiKey, RESOLVE, {
        id: conflict?.id,
        position: 'ship',
        rationale: 'stock is in',
      }),
    ).resolveConflict;
    expect(retried.status).toBe('RESOLVED');
    expect(retried.resolution?.consensus?.id).toBe(outcome?.id);
    failed(await server.gql(escalator.apiKey, RESOLVE, { id: conflict?.id, position: 'wait' }), 'CONFLICT_ALREADY_RESOLVED');
    failed(
      await server.gql(server.adminKey, RESOLVE, { id: conflict?.id, position: 'wait', sourceAgentId: a1.id }),
      'CONFLICT_ALREADY_RESOLVED',
    );
    expect(ok(await server.gql<{ conflicts: { id: string }[] }>(server.adminKey, listed, { claim })).conflicts).toEqual([]);
  });

  it('a CONSENSUS context becomes stale when an input changes (INPUT_CHANGED) or a new finding on its claim arrives (NEW_EVIDENCE)', async () => {
    const claim = claimOf('stale');
    const inputs = await threeAnalysts(claim, id('wf'));
    const first = (await build(reader.apiKey, { claim })).consensus;
    expect(first?.stale).toBe(false);
    const update = `mutation($id: ID!, $v: Int!, $patch: ContextPatch!) { updateContext(id: $id, expectedVersion: $v, patch: $patch) { id claim position } }`;
    const changed = ok(
      await server.gql<{ updateContext: { claim: string; position: string } }>(a3.apiKey, update, {
        id: inputs[2]?.id,
        v: 1,
        patch: { position: 'up' },
      }),
    ).updateContext;
    expect(changed.position).toBe('up');
    const afterChange = await context(reader.apiKey, first?.id ?? '');
    expect(afterChange?.staleness).toEqual({ reason: 'INPUT_CHANGED', cause: { id: inputs[2]?.id } });

    // Built again: a fresh consensus (supersedes the reader's earlier one), then new evidence arrives.
    const second = (await build(reader.apiKey, { claim })).consensus;
    expect(second?.metadata.confidence).toBe(1);
    expect(second?.stale).toBe(false);
    const evidence = await finding(a1, { text: 'Revenue is down after all', claim, position: 'down', confidence: 0.3 });
    expect((await context(reader.apiKey, second?.id ?? ''))?.staleness).toEqual({ reason: 'NEW_EVIDENCE', cause: { id: evidence.id } });
    // A finding on another claim changes nothing.
    const third = (await build(reader.apiKey, { claim })).consensus;
    await finding(a1, { text: 'Unrelated', claim: claimOf('other'), position: 'x' });
    expect((await context(reader.apiKey, third?.id ?? ''))?.stale).toBe(false);
  });

  it('refuses bad input: unknown ids, fewer than two inputs, bad weightBy, thresholds out of range', async () => {
    const one = await finding(a1, { text: 'A lone finding', claim: claimOf('lone'), position: 'yes' });
    const other = await finding(a2, { text: 'Another finding', position: 'no' });
    const missing = failed(await server.gql(reader.apiKey, BUILD, { contextIds: [one.id, 'no-such-context'] }), 'NOT_FOUND');
    expect(missing.extensions['ids']).toEqual(['no-such-context']);
    failed(await server.gql(reader.apiKey, BUILD, { contextIds: [one.id] }), 'BAD_USER_INPUT');
    failed(await server.gql(reader.apiKey, BUILD, { claim: one.id }), 'BAD_USER_INPUT');
    failed(await server.gql(reader.apiKey, BUILD, {}), 'BAD_USER_INPUT');
    failed(await server.gql(reader.apiKey, BUILD, { contextIds: [one.id, other.id], weightBy: 'LOUDEST' }), 'BAD_USER_INPUT');
    const range = failed(
      await server.gql(reader.apiKey, BUILD, { contextIds: [one.id, other.id], minimumAgreement: 1.5 }),
      'BAD_USER_INPUT',
    );
    expect(range.extensions['issues']).toEqual([{ path: ['minimumAgreement'], message: 'must be between 0 and 1' }]);
    failed(
      await server.gql(reader.apiKey, BUILD, { contextIds: [one.id, other.id], groupBy: 'SIMILARITY', similarityThreshold: -1 }),
      'BAD_USER_INPUT',
    );
    failed(await server.gql(server.adminKey, BUILD, { contextIds: [one.id, other.id], minimumAgreement: 0 }), 'BAD_USER_INPUT'); // admin: sourceAgentId
    const byAdmin = await build(server.adminKey, { contextIds: [one.id, other.id], minimumAgreement: 0, sourceAgentId: a1.id });
    expect(byAdmin.groupedBy).toBe('IDS');
    expect(byAdmin.consensus?.metadata.dependencies.sort()).toEqual([one.id, other.id].sort());
  });

  it('an agent never learns about inputs it may not read: a hidden input is treated like a missing one', async () => {
    const claim = claimOf('hidden');
    const open1 = await finding(a1, { text: 'Open finding one', claim, position: 'yes', confidence: 0.5 });
    const open2 = await finding(a2, { text: 'Open finding two', claim, position: 'yes', confidence: 0.5 });
    const hidden = await finding(a3, { text: 'Secret finding', claim, position: 'no', confidence: 1, visibleTo: [a1.id] });
    const seen = await build(outsider.apiKey, { claim });
    expect(seen.agreement).toBe(1);
    expect(seen.inputs.map((c) => c.id).sort()).toEqual([open1.id, open2.id].sort());
    const error = failed(await server.gql(outsider.apiKey, BUILD, { contextIds: [open1.id, hidden.id] }), 'NOT_FOUND');
    const absent = failed(await server.gql(outsider.apiKey, BUILD, { contextIds: [open1.id, 'absent-id'] }), 'NOT_FOUND');
    expect(error.message.replace(hidden.id, 'X')).toBe(absent.message.replace('absent-id', 'X'));
    // Who may read every input sees the split, and a consensus built on the secret is no more visible than it.
    const insider = await build(a1.apiKey, { claim, minimumAgreement: 0.4 });
    expect(insider.agreement).toBe(0.5);
    expect(await context(outsider.apiKey, insider.consensus?.id ?? '')).toBeNull();
  });

  it('groups findings without a claim by similarity and says how', async () => {
    const wf = id('wf');
    const s1 = await finding(a1, { text: 'The espresso machine launch is scheduled for March', position: 'march', workflowId: wf });
    const s2 = await finding(a2, { text: 'The espresso machine launch is planned for March', position: 'march', workflowId: wf });
    const s3 = await finding(a3, { text: 'Our office cat prefers tuna', position: 'tuna', workflowId: wf });
    const result = await build(reader.apiKey, { groupBy: 'SIMILARITY', contextIds: [s1.id, s2.id, s3.id], similarityThreshold: 0.8 });
    expect(result.groupedBy).toBe('SIMILARITY');
    expect(result.groups.find((g) => g.selected)?.contextIds.sort()).toEqual([s1.id, s2.id].sort());
    expect(result.groups.flatMap((g) => g.contextIds).sort()).toEqual([s1.id, s2.id, s3.id].sort());
    expect(result.agreement).toBe(1);
    expect(result.consensus?.claim).toBeNull();
  });
});
