import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalNeo4j, type LocalNeo4j } from '../../src/adapters/neo4j-local/launcher.js';
import { startTestServer, type TestServer } from '../support/harness.js';
import { failed, ok, publishMany } from './support.js';

/**
 * History retention (issue 8) against a real Neo4j: "retention never breaks a snapshot or a decision".
 * A prune is mesh-wide and moves a global horizon (asOf below it is refused), so this file runs on a Neo4j
 * of its own: pruning the shared test database would delete other files' history under them.
 */

const projectDir = fileURLToPath(new URL('../..', import.meta.url));
const DAY = 86_400_000;

const REPORT = `id dryRun cutoff keepLast packagesCutoff versionsDeleted packagesDeleted prunedBeforeSeq
  versionsKept { total current recent snapshots decisions packages }`;
const PRUNE = `mutation($olderThan: DateTime, $keepLast: Int, $packagesOlderThan: DateTime, $dryRun: Boolean) {
  pruneHistory(olderThan: $olderThan, keepLast: $keepLast, packagesOlderThan: $packagesOlderThan, dryRun: $dryRun) { ${REPORT} } }`;
const STATE = 'id version text tags status metadata { dependencies }';
const CONTEXT_FOR = `query($agentId: ID!, $task: String!) {
  contextFor(agentId: $agentId, task: $task, budget: 4000) { id items { context { id version text } score } } }`;
const RECORD = `mutation($input: RecordDecisionInput!) { recordDecision(input: $input) { id } }`;
const DECISIONS = `query($agentId: ID!) { decisions(agentId: $agentId) { id used { contextId version context { id version text } } } }`;
const DELIVERIES = `query($agentId: ID!) { deliveries(agentId: $agentId) { id items { contextId version context { id version text } } } }`;
const REPLAY = `query($id: ID!) { replayDecision(decisionId: $id) { items { context { id version text } score } } }`;
const SNAPSHOT = `mutation($label: String!, $wf: ID) { createSnapshot(label: $label, workflowId: $wf) { id seq } }`;
const ROLLBACK = `mutation($id: ID!) { rollback(snapshotId: $id) { restored { id } retracted { id } } }`;

interface Report {
  id: string | null;
  dryRun: boolean;
  cutoff: string | null;
  keepLast: number | null;
  packagesCutoff: string | null;
  versionsDeleted: number;
  packagesDeleted: number;
  prunedBeforeSeq: number;
  versionsKept: { total: number; current: number; recent: number; snapshots: number; decisions: number; packages: number };
}
interface State {
  id: string;
  version: number;
  text: string;
  tags: string[];
  status: string;
  metadata: { dependencies: string[] };
}
type Item = { context: { id: string; version: number; text: string }; score: number };

describe('history retention', () => {
  let neo4jDir: string;
  let neo4j: LocalNeo4j;
  let server: TestServer;
  let writer: { id: string; apiKey: string };
  let reader: { id: string; apiKey: string };
  const start = Date.now() - 40 * DAY;
  let now = start;
  const at = (daysBeforeEnd: number) => {
    now = start + (40 - daysBeforeEnd) * DAY;
  };
  const id = (name: string) => `${server.ns}-${name}`;
  const names = ['a', 'b', 'c', 'd'];
  const TASK = 'Write the launch post for the copper kettle';
  /** Each context's version seqs, oldest first (index 0 = v1), read before anything is pruned. */
  const seqOf: Record<string, number[]> = {};
  let snapshot: { id: string; seq: number };
  let atSnapshot: State[];
  let decided: Item[];
  let decisionId: string;
  let later: Item[];
  const packageIds = { decided: '', later: '' };

  const prune = (vars: Record<string, unknown>, key = server.adminKey) => server.gql<{ pruneHistory: Report }>(key, PRUNE, vars);
  const read = async (name: string) =>
    ok(await server.gql<{ context: State }>(server.adminKey, `query($id: ID!) { context(id: $id) { ${STATE} } }`, { id: id(name) }))
      .context;
  const historyOf = async (name: string) =>
    ok(
      await server.gql<{ context: { history: { version: number; seq: number }[] } }>(
        server.adminKey,
        'query($id: ID!) { context(id: $id) { history { version seq } } }',
        { id: id(name) },
      ),
    ).context.history;
  const versionsOf = async (name: string) => (await historyOf(name)).map((v) => v.version);
  const updateAll = async (text: (name: string) => string) => {
    for (const name of names) {
      const current = await read(name);
      ok(
        await server.gql<{ updateContext: { version: number } }>(
          writer.apiKey,
          'mutation($id: ID!, $v: Int!, $text: String!) { updateContext(id: $id, expectedVersion: $v, patch: { text: $text }) { version } }',
          { id: id(name), v: current.version, text: text(name) },
        ),
      );
    }
  };
  const contextFor = async () =>
    ok(await server.gql<{ contextFor: { id: string; items: Item[] } }>(reader.apiKey, CONTEXT_FOR, { agentId: reader.id, task: TASK }))
      .contextFor;

  beforeAll(async () => {
    neo4jDir = await mkdtemp(path.join(os.tmpdir(), 'context-mesh-retention-'));
    neo4j = await startLocalNeo4j({ projectDir, dataDir: neo4jDir, port: 0, heapMb: 384, pageCacheMb: 64 });
    server = await startTestServer({
      env: { NEO4J_URI: neo4j.uri, NEO4J_USER: 'neo4j', NEO4J_PASSWORD: '' },
      overrides: { clock: { now: () => new Date(now) } },
    });
    writer = await server.registerAgent({ id: id('writer'), produces: ['kettle'] });
    reader = await server.registerAgent({ id: id('reader'), needs: ['kettle'], relevanceThreshold: 0.05, tokenBudget: 4000 });
    const relevance = [{ agentId: reader.id, score: 0.9 }];
    const texts: Record<string, string> = {
      a: 'The copper kettle launches in March.',
      b: 'The copper kettle costs 120 euros.',
      c: 'The copper kettle boils a litre in three minutes.',
      d: 'Kettle buyers care about design more than speed.',
    };

    at(40); // v1 of each
    const published = await publishMany(
      server,
      writer.apiKey,
      names.map((n) => ({ id: id(n), type: 'FINDING', text: `${texts[n]} (v1)`, tags: ['kettle'], relevance, workflowId: id('wf') })),
    );
    expect(published).toHaveLength(names.length);
    at(39);
    await updateAll((n) => `${texts[n]} (v2)`);
    // A package delivered at v2, and a decision made with it that used c.
    at(38);
    const first = await contextFor();
    decided = first.items;
    packageIds.decided = first.id;
    decisionId = ok(
      await server.gql<{ recordDecision: { id: string } }>(reader.apiKey, RECORD, {
        input: { agentId: reader.id, packageId: first.id, output: { post: 'Kettle post' }, usedContextIds: [id('c')] },
      }),
    ).recordDecision.id;
    at(37);
    await updateAll((n) => `${texts[n]} (v3)`);
    at(36);
    snapshot = ok(
      await server.gql<{ createSnapshot: { id: string; seq: number } }>(writer.apiKey, SNAPSHOT, { label: 'v3', wf: id('wf') }),
    ).createSnapshot;
    atSnapshot = await Promise.all(names.map(read));
    at(35);
    await updateAll((n) => `${texts[n]} (v4)`);
    at(34);
    await updateAll((n) => `${texts[n]} (v5)`);
    // A second package at v5, with no decision: kept until packages are pruned.
    at(33.5);
    const second = await contextFor();
    later = second.items;
    packageIds.later = second.id;
    at(2);
    await updateAll((n) => `${texts[n]} (v6)`);
    at(0);
    for (const name of names) seqOf[name] = (await historyOf(name)).map((v) => v.seq).reverse();
  }, 300_000);

  afterAll(async () => {
    await server?.stop();
    await neo4j?.stop();
    if (neo4jDir) await rm(neo4jDir, { recursive: true, force: true });
  });

  it('is for admins only, and needs an age or a count', async () => {
    failed(await prune({ keepLast: 1 }, writer.apiKey), 'FORBIDDEN');
    const none = failed(await prune({}), 'BAD_USER_INPUT');
    expect(none.message).toMatch(/olderThan, keepLast or both/);
    failed(await prune({ keepLast: 0 }), 'BAD_USER_INPUT');
    const future = failed(await prune({ olderThan: new Date(now + DAY).toISOString() }), 'BAD_USER_INPUT');
    expect(future.extensions['issues']).toEqual([{ path: ['olderThan'], message: 'must not be in the future' }]);
  });

  it('preconditions: both packages hold every context, and each context has six versions', async () => {
    expect(decided.map((i) => i.context.id).sort()).toEqual(names.map(id));
    expect(decided.every((i) => i.context.version === 2)).toBe(true);
    expect(later.map((i) => i.context.id).sort()).toEqual(names.map(id));
    expect(later.every((i) => i.context.version === 5)).toBe(true);
    for (const name of names) expect(await versionsOf(name)).toEqual([6, 5, 4, 3, 2, 1]);
  });

  it('counts in a dry run exactly what the real pass then deletes, and the dry run deletes nothing', async () => {
    const dry = ok(await prune({ keepLast: 1, dryRun: true })).pruneHistory;
    // Per context: v6 current, v3 at the snapshot, v2 in the decided package (c's v2 used by the decision), v5 in the
    // later package; v1 and v4 go.
    expect(dry).toMatchObject({ id: null, dryRun: true, keepLast: 1, cutoff: null, versionsDeleted: 8, packagesDeleted: 0 });
    expect(dry.versionsKept).toEqual({ total: 16, current: 4, recent: 0, snapshots: 4, decisions: 1, packages: 7 });
    // The horizon the pass would leave: the seq after the newest deleted version (v4's successor, v5) of any context.
    expect(dry.prunedBeforeSeq).toBe(Math.max(...names.map((n) => seqOf[n]?.[4] ?? 0)));
    for (const name of names) expect(await versionsOf(name)).toEqual([6, 5, 4, 3, 2, 1]);

    const real = ok(await prune({ keepLast: 1 })).pruneHistory;
    expect(real.id).toMatch(/^ret-/);
    expect({ ...real, id: null, dryRun: true }).toEqual(dry);
    for (const name of names) expect(await versionsOf(name)).toEqual([6, 5, 3, 2]);
  });

  it('leaves current versions intact', async () => {
    for (const name of names) expect(await read(name)).toMatchObject({ version: 6, text: expect.stringMatching(/\(v6\)$/) });
  });

  it("keeps the decision's used version, its package and its replay exactly as recorded", async () => {
    const [decision] = ok(
      await server.gql<{ decisions: { id: string; used: unknown[] }[] }>(reader.apiKey, DECISIONS, { agentId: reader.id }),
    ).decisions;
    expect(decision?.id).toBe(decisionId);
    const c = decided.find((i) => i.context.id === id('c'))?.context;
    expect(decision?.used).toEqual([{ contextId: id('c'), version: 2, context: c }]);
    const replayed = ok(await server.gql<{ replayDecision: { items: Item[] } }>(reader.apiKey, REPLAY, { id: decisionId })).replayDecision;
    expect(replayed.items).toEqual(decided);
    const deliveries = ok(
      await server.gql<{ deliveries: { id: string; items: { context: unknown }[] }[] }>(reader.apiKey, DELIVERIES, { agentId: reader.id }),
    ).deliveries;
    for (const delivery of deliveries) for (const item of delivery.items) expect(item.context).not.toBeNull();
  });

  it('refuses asOf below the pruned horizon with HISTORY_PRUNED, and answers from it on', async () => {
    const horizon = ok(await prune({ keepLast: 1, dryRun: true })).pruneHistory.prunedBeforeSeq;
    const get = (asOf: number) =>
      server.gql(server.adminKey, 'query($id: ID!, $asOf: Int) { context(id: $id, asOf: $asOf) { version } }', { id: id('a'), asOf });
    const refused = failed(await get(horizon - 1), 'HISTORY_PRUNED');
    expect(refused.extensions).toMatchObject({ asOf: horizon - 1, prunedBeforeSeq: horizon });
    failed(
      await server.gql(server.adminKey, 'query($asOf: Int) { contexts(asOf: $asOf) { edges { cursor } } }', { asOf: 0 }),
      'HISTORY_PRUNED',
    );
    // The other reads of past points check it too: a diff from below it, a replay moved below it.
    failed(
      await server.gql(server.adminKey, 'query($from: Int!) { diff(fromSeq: $from) { fromSeq } }', { from: horizon - 1 }),
      'HISTORY_PRUNED',
    );
    failed(
      await server.gql(server.adminKey, 'query($id: ID!, $asOf: Int) { replayDecision(decisionId: $id, adjust: { asOf: $asOf }) { id } }', {
        id: decisionId,
        asOf: horizon - 1,
      }),
      'HISTORY_PRUNED',
    );
    // From the horizon on, every read is exact: the horizon is d's v5 seq, when a was at v5 (its v6 came later).
    expect(horizon).toBeLessThan(seqOf['a']?.[5] ?? 0);
    expect(ok(await get(horizon))).toEqual({ context: { version: 5 } });
  });

  it('prunes by age and old packages no decision was made from; the decided package stays', async () => {
    const cutoff = new Date(now - DAY).toISOString();
    const packagesCutoff = new Date(now - 30 * DAY).toISOString();
    const before = ok(await server.gql<{ deliveries: { id: string }[] }>(reader.apiKey, DELIVERIES, { agentId: reader.id })).deliveries;
    const report = ok(await prune({ olderThan: cutoff, packagesOlderThan: packagesCutoff })).pruneHistory;
    // The later package (v5, no decision) is gone, so v5 goes too (superseded 2 days ago); v6 is current;
    // v3 (snapshot) and v2 (the decided package, c's v2 also used by the decision) stay.
    expect(report).toMatchObject({ cutoff, packagesCutoff, keepLast: null, packagesDeleted: 1, versionsDeleted: 4 });
    expect(report.versionsKept).toEqual({ total: 12, current: 4, recent: 0, snapshots: 4, decisions: 1, packages: 3 });
    for (const name of names) expect(await versionsOf(name)).toEqual([6, 3, 2]);
    const after = ok(await server.gql<{ deliveries: { id: string }[] }>(reader.apiKey, DELIVERIES, { agentId: reader.id })).deliveries;
    // Left: the decided package and the replay recorded just now (newer than the cutoff).
    expect(after).toHaveLength(before.length - 1);
    expect(after.map((d) => d.id)).toContain(packageIds.decided);
    expect(after.map((d) => d.id)).not.toContain(packageIds.later);
    // Age is judged by when a version stopped being current: at a cutoff 30 days back, v3 (current until v6,
    // 2 days ago) is recent, and nothing goes.
    const again = ok(await prune({ olderThan: packagesCutoff })).pruneHistory;
    expect(again.versionsDeleted).toBe(0);
    expect(again.versionsKept).toMatchObject({ total: 12, current: 4, recent: 4 });
  });

  it('still rolls back to the snapshot exactly, after both passes', async () => {
    const rolled = ok(
      await server.gql<{ rollback: { restored: { id: string }[] } }>(server.adminKey, ROLLBACK, { id: snapshot.id }),
    ).rollback;
    expect(rolled.restored.map((c) => c.id).sort()).toEqual(names.map(id));
    const restored = await Promise.all(names.map(read));
    const withoutVersion = ({ version: _v, ...state }: State) => state;
    expect(restored.map(withoutVersion)).toEqual(atSnapshot.map(withoutVersion));
    expect(atSnapshot.every((s) => s.text.endsWith('(v3)'))).toBe(true);
    for (const state of restored) expect(state.version).toBe(7);
  });

  it('runs as a command: npm run history:prune prints the report as JSON', async () => {
    const run = promisify(execFile);
    const env = { ...process.env, NEO4J_URI: neo4j.uri, NEO4J_USER: 'neo4j', NEO4J_PASSWORD: '', LOG_LEVEL: 'warn' };
    const { stdout } = await run('npm', ['run', '--silent', 'history:prune', '--', '--keep-last', '1', '--dry-run'], {
      cwd: projectDir,
      env,
    });
    const report = JSON.parse(stdout) as Report;
    expect(report).toMatchObject({ dryRun: true, keepLast: 1, id: null });
    // After the rollback each context has v7 (current), v6 (current at the rollback's undo snapshot), v3, v2: all needed.
    expect(report.versionsDeleted).toBe(0);
    expect(report.versionsKept).toMatchObject({ total: 16, current: 4, decisions: 1, packages: 3 });
    const bad = await run('npm', ['run', '--silent', 'history:prune', '--', '--keep-last', '0'], { cwd: projectDir, env }).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );
    expect(bad?.code).toBe(2);
    expect(bad?.stderr).toMatch(/BAD_USER_INPUT/);
  }, 120_000);
});
