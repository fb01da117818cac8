/**
 * What recording every contextFor answer (the package log, src/app/history/package-log.ts) costs the request.
 *
 *   npx tsx bench/history/record-overhead.ts [--n 2000] [--requests 300] [--concurrency 4] [--rounds 2] [--out file.json]
 *   npx tsx bench/history/record-overhead.ts --reuse DIR ...   (on a database kept by `scale.ts --keep DIR`: its
 *   agents and history, no publishing; `n` is then that database's)
 *
 * One embedded Neo4j with the routing scenario (bench/routing/generate.ts); two app instances on it: the
 * ordinary one (answers recorded, write-behind batches) and one with recording off (a benchmark-only
 * setting, `config.packageLog.record`). Each round runs, on both, `requests` distinct tasks (cache misses)
 * and `requests` repeats of one task (cache hits), alternating which instance goes first; p50/p95 are
 * client-side, per round (`rounds`; `results` repeats the last one), with the machine's load averages before/after. The log's batches are written during the phases, so their database
 * load is part of the "recorded" numbers.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/config.js';
import { PackageLog } from '../../src/app/history/package-log.js';
import { startApp } from '../../src/container.js';
import { createLogger } from '../../src/observability/logger.js';
import { generateScenario, parseArgs } from '../routing/generate.js';
import { createClient, publishAll, registerAgents, startBenchServer, stopOnSignal, type BenchClient } from '../routing/harness.js';
import { percentile } from '../routing/metrics.js';
import { PRODUCTS, TASK_TEMPLATES } from '../routing/vocabulary.js';
import { machineLoad } from './shared.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = parseArgs(process.argv.slice(2));
const n = Number(args['n'] ?? 2000);
const requests = Number(args['requests'] ?? 300);
const concurrency = Number(args['concurrency'] ?? 4);
const rounds = Number(args['rounds'] ?? 2);
const outFile = args['out'] ?? path.join(here, 'results-record-overhead.json');
const reuse = args['reuse'] ?? null;
/** What scale.ts --keep saved beside its database: the admin key and the agents' keys. */
const kept = reuse
  ? (JSON.parse(readFileSync(path.join(reuse, 'written.json'), 'utf8')) as { adminKey: string; written: { keys: Record<string, string> } })
  : null;
const log = (message: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`);

const CONTEXT_FOR = `query($agentId: ID!, $task: String!) { contextFor(agentId: $agentId, task: $task, budget: 4000) { tokens cached items { context { id } score } } }`;

interface Phase {
  p50: number;
  p95: number;
  cached: number;
}

async function runPhase(client: BenchClient, keys: Map<string, string>, tasks: { agentId: string; task: string }[]): Promise<Phase> {
  const latencies: number[] = [];
  let cached = 0;
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const request = tasks[next++] as { agentId: string; task: string };
      const started = performance.now();
      const data = await client.call<{ contextFor: { cached: boolean } }>(keys.get(request.agentId) as string, CONTEXT_FOR, request);
      latencies.push(performance.now() - started);
      if (data.contextFor.cached) cached += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const round = (x: number) => Math.round(x * 10) / 10;
  return { p50: round(percentile(latencies, 50)), p95: round(percentile(latencies, 95)), cached };
}

function distinctTasks(count: number, salt: string) {
  const out: { agentId: string; task: string }[] = [];
  for (let i = 0; out.length < count; i += 1) {
    const t = TASK_TEMPLATES[i % TASK_TEMPLATES.length];
    const product = PRODUCTS[Math.floor(i / TASK_TEMPLATES.length) % PRODUCTS.length];
    if (!t || !product) continue;
    out.push({ agentId: t.agentId, task: `${t.text.replace('{P}', product.name).replace('{name}', product.name)} (${salt} ${i})` });
  }
  return out;
}

const SAMPLE_ITEMS = 60;

/** The synchronous part recording adds to a request: serialising and hashing a body, buffering it (no store write). */
function measureRecordCall(): number {
  const store = { writePackages: async () => {}, setPoolTokens: async () => {}, packages: async () => [], packagesByIds: async () => [] };
  const packageLog = new PackageLog(store, { now: () => new Date() }, { flushMs: 1_000_000, maxBatch: 1_000_000 }, () => {});
  const reasons = { semantic: 0.5, dependency: 0.2, needs: 0.3, explicit: 0, confidence: 0.9, recency: 0.8 };
  const runs = 2000;
  const started = performance.now();
  for (let run = 0; run < runs; run += 1) {
    // A fresh items array per run: no run profits from the memo that cache hits use.
    const items = Array.from({ length: SAMPLE_ITEMS }, (_, i) => ({
      context: { id: `ctx-${run}-${i}`, version: 3 } as never,
      score: 0.5,
      reasons,
      tokens: 60,
    }));
    const pkg = {
      agentId: 'a',
      task: 'Summarise the launch',
      budget: 4000,
      items,
      tokens: 3600,
      compressed: null,
      dropped: [],
      asOf: 1,
      computedAt: '',
    };
    packageLog.record({ id: String(run), agentId: 'a', pkg, workflowId: null, cached: false, coalesced: false });
  }
  return Math.round(((performance.now() - started) / runs) * 1000);
}

async function main() {
  const scenario = generateScenario({ n: kept ? 1 : n, seed: 7, queriesPerTemplate: 1 });
  const server = await startBenchServer({ log, ...(reuse && kept ? { dataDir: reuse, adminKey: kept.adminKey } : {}) });
  stopOnSignal(server.stop);
  const dataDir = path.join(os.tmpdir(), `cm-bench-record-${randomBytes(4).toString('hex')}`);
  const config = loadConfig({
    NEO4J_URI: server.app.neo4jUri,
    NEO4J_USER: 'neo4j',
    NEO4J_PASSWORD: 'neo4j-local',
    PORT: '0',
    CONTEXT_MESH_DATA_DIR: dataDir,
    CONTEXT_MESH_ADMIN_KEY: server.adminKey,
    LOG_LEVEL: 'silent',
  });
  // Two fresh instances, alike but for recording (the publishing instance stays out: its caches are warm).
  const recorded = await startApp({ ...config, dataDir: `${dataDir}-r` }, createLogger('silent'));
  const unrecorded = await startApp({ ...config, packageLog: { ...config.packageLog, record: false } }, createLogger('silent'));
  try {
    let keys: Map<string, string>;
    if (kept) {
      keys = new Map(Object.entries(kept.written.keys));
      log(`reusing the database in ${reuse}`);
    } else {
      keys = await registerAgents(server, scenario);
      await publishAll(server, scenario.contexts);
      log(`published ${scenario.contexts.length} contexts`);
    }
    const variants: Record<string, BenchClient> = {
      recorded: createClient(recorded.url, server.adminKey),
      unrecorded: createClient(unrecorded.url, server.adminKey),
    };
    const results: Record<string, { misses: Phase; hits: Phase }> = {};
    const perRound: { round: number; first: string; results: Record<string, { misses: Phase; hits: Phase }> }[] = [];
    const loadBefore = machineLoad();
    for (let round = 0; round < rounds; round += 1) {
      const order = round % 2 === 0 ? ['unrecorded', 'recorded'] : ['recorded', 'unrecorded'];
      for (const name of order) {
        const client = variants[name] as BenchClient;
        await runPhase(client, keys, distinctTasks(20, `warm ${name} ${round}`));
        const misses = await runPhase(client, keys, distinctTasks(requests, `${name} ${round}`));
        const same = distinctTasks(1, `same ${name} ${round}`)[0] as { agentId: string; task: string };
        const hits = await runPhase(
          client,
          keys,
          Array.from({ length: requests }, () => same),
        );
        results[name] = { misses, hits };
        if (perRound[round]?.round !== round) perRound[round] = { round, first: name, results: {} };
        (perRound[round] as { results: Record<string, { misses: Phase; hits: Phase }> }).results[name] = { misses, hits };
        log(
          `round ${round} ${name}: misses p50 ${misses.p50} p95 ${misses.p95}; hits p50 ${hits.p50} p95 ${hits.p95} (${hits.cached} cached)`,
        );
      }
    }
    const recordCallUs = measureRecordCall();
    log(`PackageLog.record (serialise + hash + buffer) of a ${SAMPLE_ITEMS}-item package: ${recordCallUs} µs`);
    const load = { before: loadBefore, after: machineLoad() };
    const summary = {
      date: new Date().toISOString(),
      n: kept ? 'the database of scale.ts --keep (see its results)' : n,
      reused: reuse,
      requests,
      concurrency,
      cores: os.cpus().length,
      results,
      rounds: perRound,
      recordCallUs,
      load,
    };
    writeFileSync(outFile, JSON.stringify(summary, null, 1));
    log(`wrote ${outFile}`);
  } finally {
    await unrecorded.stop();
    await recorded.stop();
    await server.stop();
    for (const dir of [dataDir, `${dataDir}-r`]) await rm(dir, { recursive: true, force: true });
  }
}

// Exit when done: the embedding worker and driver pools would otherwise keep the process alive after the report.
main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
