/**
 * Where the current `contexts` page spends its time: seeds `--contexts` contexts straight into the embedded Neo4j (one
 * UNWIND per 5,000, no embedding, no API: 100k in about a minute), then PROFILEs the page statements as the app sends
 * them (same Cypher, same parameters, the scope parameters the executor's hook adds) and times them, and times the
 * same pages as whole GraphQL requests.
 *
 *   npx tsx bench/history/profile-page.ts [--contexts 100000] [--runs 20] [--workflow-size 1000] [--seed 7] [--out f.json]
 *        [--no-plans]   (print totals only, not the operator trees)
 *
 * The seeded mesh: 9 agents (bench/routing/vocabulary.ts), contexts in workflows of `--workflow-size` per product and
 * phase in publish order (as bench/history/scale-history.ts assigns them: one workflow spans ~11 × its size in seq),
 * 3% retracted, 2% superseded, 2% expired (expiry already announced), 2% expiring later, 1% restricted (`visibleTo`),
 * 2% no longer valid, 1% not yet valid, one version each (for the `asOf` page, which is profiled alongside).
 * Cases, for the admin and for an agent (`writer`): the first page; one workflow (from the middle of the log); a page
 * `after` a cursor in the middle; the workflow `after` a cursor in the middle of it; and `asOf` the last seq.
 * PROFILE (slotted runtime, Community): rows and db hits per operator; then `--runs` timed runs per case (driver,
 * no PROFILE), then `--runs` GraphQL requests per case (client-timed, one in flight).
 */
import { writeFileSync } from 'node:fs';
import neo4j, { type Driver } from 'neo4j-driver';
import { CONTEXTS_PAGE, CONTEXTS_PAGE_IN_WORKFLOWS } from '../../src/adapters/neo4j/statements/context-page.js';
import { CONTEXTS_PAGE_AS_OF } from '../../src/adapters/neo4j/statements/history.js';
import { encodeSeqCursor } from '../../src/domain/pagination.js';
import { createRng, parseArgs } from '../routing/generate.js';
import { registerAgents, startBenchServer, stopOnSignal, type BenchServer } from '../routing/harness.js';
import { percentile } from '../routing/metrics.js';
import { AGENTS } from '../routing/vocabulary.js';
import { log, machineLoad, round1 } from './shared.js';

const args = parseArgs(process.argv.slice(2));
const params = {
  contexts: Number(args['contexts'] ?? 100_000),
  runs: Number(args['runs'] ?? 20),
  workflowSize: Number(args['workflow-size'] ?? 1000),
  seed: Number(args['seed'] ?? 7),
  plans: args['no-plans'] === undefined,
};
const AGENT_VIEWER = 'writer';
const PRODUCTS = ['aurora', 'beacon', 'cobalt', 'delta', 'ember', 'flux', 'garnet', 'helix', 'iris', 'juniper', 'general'];
const TYPES = ['FINDING', 'FINDING', 'FINDING', 'CONSTRAINT', 'OBJECTIVE', 'OUTPUT', 'OUTPUT', 'SUMMARY'];
const PRIORITIES = ['ROUTINE', 'ROUTINE', 'ROUTINE', 'IMPORTANT', 'CRITICAL'];
const TOPICS = ['market-research', 'competitor-analysis', 'pricing', 'brand-guidelines', 'regulations', 'draft-content', 'launch-plan'];
const BATCH = 5000;

// Seeding is benchmark plumbing, not a store path: it writes the properties CREATE_CONTEXTS writes, without the API.
const SEED = `UNWIND $rows AS r
  CREATE (c:Context) SET c = r.context
  CREATE (c)-[:HAS_VERSION]->(v:ContextVersion) SET v = r.version`;
const SET_COUNTER = `MERGE (k:Counter { name: 'event' }) SET k.value = $n`;

/** What the seeding wrote about one context: enough to compute a page in JS and check the statement's answer. */
interface Truth {
  seq: number;
  workflowId: string;
  /** ACTIVE, not expired and valid now: what the page with the default statuses may show. */
  shown: boolean;
  sourceAgentId: string;
  visibleTo: string[] | null;
}

interface Seeded {
  truth: Truth[];
  /** The workflow profiled: one from the middle of the log, and the seqs it spans. */
  workflow: { id: string; size: number; firstSeq: number; lastSeq: number; middleSeq: number };
  ms: number;
}

/** One context's properties (node and version 1), drawn from `rng`. */
function draw(rng: () => number, seq: number, workflowId: string, product: string, now: number) {
  const iso = (ms: number) => new Date(ms).toISOString();
  const topic = TOPICS[Math.floor(rng() * TOPICS.length)] as string;
  const roll = rng();
  const status = roll < 0.03 ? 'RETRACTED' : roll < 0.05 ? 'SUPERSEDED' : 'ACTIVE';
  const expiry = rng();
  const expired = expiry < 0.02;
  const expiresAt = expired ? iso(now - 3_600_000) : expiry < 0.04 ? iso(now + 30 * 86_400_000) : null;
  const valid = rng();
  const validUntil = valid < 0.02 ? iso(now - 86_400_000) : null;
  const validFrom = valid >= 0.02 && valid < 0.03 ? iso(now + 86_400_000) : null;
  const sourceAgentId = (AGENTS[Math.floor(rng() * AGENTS.length)] as { id: string }).id;
  const visibleTo = rng() < 0.01 ? [sourceAgentId === 'legal' ? 'reviewer' : 'legal'] : null;
  const createdAt = iso(Date.parse('2026-01-01T00:00:00Z') + seq * 1000);
  const region = ['EMEA', 'APAC', 'NA', 'LATAM'][seq % 4] as string;
  const text = `${product} ${topic} #${seq}: the ${product} team reports that ${topic} moved by ${Math.floor(rng() * 40)}% in the ${region} region, which changes what the next phase should plan for.`;
  const state = {
    type: TYPES[seq % TYPES.length],
    text,
    tags: [topic, product],
    priority: PRIORITIES[Math.floor(rng() * PRIORITIES.length)],
    status,
    confidence: Math.round((0.5 + rng() / 2) * 100) / 100,
    expiresAt,
    tokens: neo4j.int(40),
    sourceAgentId,
    workflowId,
    visibleTo,
    validFrom,
    validUntil,
  };
  const id = `ctx-${seq}`;
  const row = {
    context: {
      ...state,
      id,
      version: neo4j.int(1),
      createdAt,
      updatedAt: createdAt,
      createdSeq: neo4j.int(seq),
      ...(expired ? { expiryAnnouncedAt: iso(now) } : {}),
      ...(status === 'RETRACTED' ? { retractionReason: 'benchmark' } : {}),
    },
    version: { ...state, contextId: id, version: neo4j.int(1), seq: neo4j.int(seq), at: createdAt, changedBy: sourceAgentId },
  };
  const truth: Truth = { seq, workflowId, shown: status === 'ACTIVE' && !expired && !validUntil && !validFrom, sourceAgentId, visibleTo };
  return { row: { ...row, version: { ...row.version, visibilityRecorded: true, dependencies: [] } }, truth };
}

/** Seeds the contexts; returns what it wrote and the workflow the cases filter on. */
async function seed(driver: Driver, n: number): Promise<Seeded> {
  const started = Date.now();
  const rng = createRng(params.seed).next;
  const perProduct = new Map<string, number>();
  const workflows = new Map<string, number[]>();
  const truth: Truth[] = [];
  const now = Date.now();
  for (let from = 1; from <= n; from += BATCH) {
    const rows = [];
    for (let seq = from; seq < Math.min(n + 1, from + BATCH); seq += 1) {
      const product = PRODUCTS[Math.floor(rng() * PRODUCTS.length)] as string;
      const k = perProduct.get(product) ?? 0;
      perProduct.set(product, k + 1);
      const workflowId = `wf-${product}-${Math.floor(k / params.workflowSize)}`;
      const seqs = workflows.get(workflowId) ?? [];
      seqs.push(seq);
      workflows.set(workflowId, seqs);
      const drawn = draw(rng, seq, workflowId, product, now);
      rows.push(drawn.row);
      truth.push(drawn.truth);
    }
    await driver.executeQuery(SEED, { rows }, { routing: neo4j.routing.WRITE });
    const done = Math.min(n, from - 1 + BATCH);
    if (done % 20_000 === 0 || done === n) log(`seeded ${done} in ${Date.now() - started} ms`);
  }
  await driver.executeQuery(SET_COUNTER, { n: neo4j.int(n) }, { routing: neo4j.routing.WRITE });
  await driver.executeQuery('CALL db.awaitIndexes(300)');
  // The workflow whose first seq is nearest the middle of the log, among the full ones (the largest when none is full).
  const largest = Math.max(...[...workflows.values()].map((seqs) => seqs.length));
  let best: Seeded['workflow'] | null = null;
  for (const [id, seqs] of workflows) {
    if (seqs.length < Math.min(params.workflowSize, largest)) continue;
    const firstSeq = seqs[0] as number;
    if (!best || Math.abs(firstSeq - n / 2) < Math.abs(best.firstSeq - n / 2))
      best = {
        id,
        size: seqs.length,
        firstSeq,
        lastSeq: seqs[seqs.length - 1] as number,
        middleSeq: seqs[Math.floor(seqs.length / 2)] as number,
      };
  }
  if (!best) throw new Error('nothing seeded');
  return { truth, workflow: best, ms: Date.now() - started };
}

type Viewer = { kind: 'admin' } | { kind: 'agent'; agentId: string };

interface Case {
  name: string;
  viewer: Viewer;
  workflowId: string | null;
  after: number | null;
  asOf: number | null;
}

const LIMIT = 51; // contexts(first: 50) asks for one more row to tell whether a next page exists

/** The ids the page must return, computed from what was seeded (the flat-agent rule of VISIBLE, newest first). */
function expectedIds(truth: readonly Truth[], c: Case): string[] {
  const ids: string[] = [];
  for (let i = truth.length - 1; i >= 0 && ids.length < LIMIT; i -= 1) {
    const t = truth[i] as Truth;
    if (c.after !== null && t.seq >= c.after) continue;
    if (c.workflowId !== null && t.workflowId !== c.workflowId) continue;
    if (!t.shown) continue;
    if (c.viewer.kind === 'agent') {
      const me = c.viewer.agentId;
      if (t.visibleTo !== null && t.sourceAgentId !== me && !t.visibleTo.includes(me)) continue;
    }
    ids.push(`ctx-${t.seq}`);
  }
  return ids;
}

/** The parameters the app sends for this case, including what the executor's scope hook adds. */
function statementParams(c: Case): Record<string, unknown> {
  const now = new Date().toISOString();
  const viewer =
    c.viewer.kind === 'admin'
      ? { isAdmin: true, viewerId: null, scopeRoot: null, scopeLevels: [] }
      : { isAdmin: false, viewerId: c.viewer.agentId, scopeRoot: c.viewer.agentId, scopeLevels: [] };
  return {
    ...viewer,
    now,
    validAt: now,
    after: c.after,
    limit: LIMIT,
    types: null,
    workflowIds: c.workflowId === null ? null : [c.workflowId],
    tags: null,
    sourceAgentIds: null,
    statuses: ['ACTIVE'],
    priorities: null,
    createdAfter: null,
    createdBefore: null,
    ...(c.asOf === null ? {} : { asOf: c.asOf }),
  };
}

interface PlanNode {
  operatorType: string;
  arguments: Record<string, unknown>;
  dbHits: number;
  rows: number;
  children: PlanNode[];
}

const totalDbHits = (plan: PlanNode): number => plan.dbHits + plan.children.reduce((sum, child) => sum + totalDbHits(child), 0);

function renderPlan(plan: PlanNode, depth = 0): string[] {
  const details = String(plan.arguments['Details'] ?? '').replace(/\s+/g, ' ');
  const estimated = Math.round(Number(plan.arguments['EstimatedRows'] ?? 0));
  const line = `${'  '.repeat(depth)}${plan.operatorType.split('@')[0]}  rows ${plan.rows}  dbHits ${plan.dbHits}  est ${estimated}  ${details.slice(0, 180)}`;
  return [line, ...plan.children.flatMap((child) => renderPlan(child, depth + 1))];
}

/** The statement the app sends for the case (as Neo4jContextReads.page and the time-travel page choose). */
const statementOf = (c: Case) =>
  c.asOf !== null ? CONTEXTS_PAGE_AS_OF : c.workflowId !== null ? CONTEXTS_PAGE_IN_WORKFLOWS : CONTEXTS_PAGE;

async function profileCase(driver: Driver, c: Case) {
  const statement = statementOf(c);
  const result = await driver.executeQuery(`PROFILE ${statement.cypher}`, statementParams(c), { routing: neo4j.routing.READ });
  const plan = result.summary.profile as unknown as PlanNode;
  const ids = result.records.map((record) => String((record.get('context') as { id: string }).id));
  return { statement: statement.name, dbHits: totalDbHits(plan), rows: ids.length, ids, plan: renderPlan(plan) };
}

async function timeStatement(driver: Driver, c: Case, runs: number) {
  const ms: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    await driver.executeQuery(statementOf(c).cypher, statementParams(c), { routing: neo4j.routing.READ });
    ms.push(performance.now() - started);
  }
  return { p50: round1(percentile(ms, 50)), p95: round1(percentile(ms, 95)) };
}

const PAGE = `query($filter: ContextFilter, $after: String, $asOf: Int) {
  contexts(first: 50, filter: $filter, after: $after, asOf: $asOf) { edges { node { id version text status } } pageInfo { hasNextPage } } }`;

async function timeRequests(server: BenchServer, key: string, c: Case, runs: number) {
  const variables = {
    filter: c.workflowId === null ? null : { workflowIds: [c.workflowId] },
    after: c.after === null ? null : encodeSeqCursor(c.after),
    asOf: c.asOf,
  };
  const ms: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    await server.call(key, PAGE, variables);
    ms.push(performance.now() - started);
  }
  return { p50: round1(percentile(ms, 50)), p95: round1(percentile(ms, 95)) };
}

function casesFor(seeded: Seeded, n: number): Case[] {
  const viewers: [string, Viewer][] = [
    ['admin', { kind: 'admin' }],
    ['agent', { kind: 'agent', agentId: AGENT_VIEWER }],
  ];
  const wf = seeded.workflow;
  return viewers.flatMap(([who, viewer]) => [
    { name: `${who} first page`, viewer, workflowId: null, after: null, asOf: null },
    { name: `${who} after middle`, viewer, workflowId: null, after: Math.floor(n / 2), asOf: null },
    { name: `${who} workflow`, viewer, workflowId: wf.id, after: null, asOf: null },
    { name: `${who} workflow after its middle`, viewer, workflowId: wf.id, after: wf.middleSeq, asOf: null },
    { name: `${who} asOf last seq`, viewer, workflowId: null, after: null, asOf: n },
  ]);
}

async function main() {
  const n = params.contexts;
  const server = await startBenchServer({ log });
  stopOnSignal(server.stop);
  const driver = neo4j.driver(server.app.neo4jUri, neo4j.auth.basic('neo4j', 'neo4j-local'), {
    disableLosslessIntegers: true,
    logging: { level: 'error', logger: () => undefined },
  });
  try {
    const keys = await registerAgents(server, { agents: AGENTS });
    const seeded = await seed(driver, n);
    log(`seeded ${n} contexts in ${seeded.ms} ms; workflow ${JSON.stringify(seeded.workflow)}`);
    const results: Record<string, unknown> = {};
    let mismatches = 0;
    for (const c of casesFor(seeded, n)) {
      await driver.executeQuery(statementOf(c).cypher, statementParams(c), { routing: neo4j.routing.READ }); // plan it
      const profiled = await profileCase(driver, c);
      const expected = expectedIds(seeded.truth, c);
      const same = JSON.stringify(expected) === JSON.stringify(profiled.ids);
      if (!same) mismatches += 1;
      const timed = await timeStatement(driver, c, params.runs);
      const key = c.viewer.kind === 'admin' ? server.adminKey : (keys.get(c.viewer.agentId) as string);
      const request = await timeRequests(server, key, c, params.runs);
      console.log(
        `\n== ${c.name} (${profiled.statement}): ${profiled.rows} rows, ${profiled.dbHits} db hits; statement p50 ${timed.p50} / p95 ${timed.p95} ms; ` +
          `GraphQL p50 ${request.p50} / p95 ${request.p95} ms; ${same ? 'rows as expected' : `ROWS DIFFER from the expected ${expected.length}`}`,
      );
      if (params.plans) console.log(profiled.plan.join('\n'));
      results[c.name] = {
        statement: profiled.statement,
        rows: profiled.rows,
        dbHits: profiled.dbHits,
        statementMs: timed,
        requestMs: request,
        asExpected: same,
        plan: profiled.plan,
      };
    }
    if (args['out'])
      writeFileSync(
        args['out'],
        `${JSON.stringify({ date: new Date().toISOString(), params, machine: machineLoad(), workflow: seeded.workflow, results }, null, 1)}\n`,
      );
    if (mismatches > 0) {
      console.error(`${mismatches} case(s) returned other rows than expected`);
      process.exitCode = 1;
    }
  } finally {
    await driver.close();
    await server.stop();
  }
}

await main();
