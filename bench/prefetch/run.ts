/**
 * Prefetch benchmark (issue 10, "Speculation and prefetch"): one embedded Neo4j, two app instances on it, one with
 * PREFETCH=on and one with PREFETCH=off, and three measurements:
 *
 *  (a) demo: a research → writing → review workflow run several times with scripted agents that "think" between
 *      steps (--think-ms): hit rate of the next steps' requests (stand-ins and a repeated task), and latency saved
 *      (p50 of those requests computed with prefetch off − p50 of those served from a prefetch);
 *  (b) routing bench dataset (bench/routing/generate.ts, --n contexts): producer → consumer workflows between the
 *      scenario's agents, the producer publishing its scenario contexts into the workflow: hit rate (and latency) of
 *      the consumer's stand-in request when its step starts;
 *  (c) foreground contextFor latency (varied tasks from bench/routing/tasks.ts, --clients closed-loop clients) while
 *      a driver starts steps and publishes (which triggers prefetches on the PREFETCH=on instance): p50/p95 on vs off.
 *
 *   npx tsx bench/prefetch/run.ts [--n 1000] [--runs 5] [--think-ms 1000] [--workflows 8] [--requests 200] [--clients 2]
 *     [--fg-think-ms 20] [--out file.json] [--aa true]
 *
 * Client and server share this process and its cores: latencies include the client's overhead.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateScenario, parseArgs, type Scenario } from '../routing/generate.js';
import { publishAll, registerAgents, sleep, startBenchServer, stopOnSignal, type BenchClient } from '../routing/harness.js';
import { mean, percentile } from '../routing/metrics.js';
import { taskSupply } from '../routing/tasks.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = parseArgs(process.argv.slice(2));
const n = Number(args['n'] ?? 1000);
const runs = Number(args['runs'] ?? 5);
const thinkMs = Number(args['think-ms'] ?? 1000);
const workflowCount = Number(args['workflows'] ?? 8);
const requests = Number(args['requests'] ?? 200);
const clients = Number(args['clients'] ?? 2);
/** Think time of each foreground client in (c): 20 ms keeps the process near saturation; larger is a lighter load. */
const fgThinkMs = Number(args['fg-think-ms'] ?? 20);
const outFile = args['out'] ?? path.join(here, 'results.json');
const aa = args['aa'] === 'true';

const log = (message: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`);
const round = (x: number) => Math.round(x * 10) / 10;

const ASK = `query($agentId: ID!, $task: String, $workflowId: ID) {
  contextFor(agentId: $agentId, task: $task, workflowId: $workflowId) { source tokens items { context { id } } } }`;
const DEFINE = `mutation($input: DefineWorkflowInput!) { defineWorkflow(input: $input) { id } }`;
const START = `mutation($w: ID!, $s: ID!) { startStep(workflowId: $w, stepId: $s) { status } }`;
const COMPLETE = `mutation($w: ID!, $s: ID!) { completeStep(workflowId: $w, stepId: $s) { status } }`;
const PUBLISH = `mutation($inputs: [PublishContextInput!]!) { publishContexts(inputs: $inputs) { id } }`;
const REGISTER = `mutation($input: RegisterAgentInput!) { registerAgent(input: $input) { agent { id } apiKey } }`;

interface Answer {
  source: string;
  ms: number;
  /** Which request of the flow it was (the demo's breakdown). */
  kind?: string;
}

async function ask(client: BenchClient, key: string, variables: Record<string, unknown>): Promise<Answer> {
  const t0 = performance.now();
  const data = await client.call<{ contextFor: { source: string } }>(key, ASK, variables);
  return { source: data.contextFor.source, ms: performance.now() - t0 };
}

const latency = (values: number[]) => ({
  count: values.length,
  p50: round(percentile(values, 50)),
  p95: round(percentile(values, 95)),
  mean: round(mean(values)),
});

function summarise(on: Answer[], off: Answer[]) {
  const served = on.filter((a) => a.source === 'PREFETCH');
  const computedOff = off.filter((a) => a.source === 'COMPUTED');
  return {
    requests: on.length,
    prefetchHits: served.length,
    hitRate: on.length === 0 ? null : Math.round((served.length / on.length) * 1000) / 1000,
    sourcesOn: countBy(on.map((a) => a.source)),
    sourcesOff: countBy(off.map((a) => a.source)),
    prefetchServedMs: latency(served.map((a) => a.ms)),
    computedOffMs: latency(computedOff.map((a) => a.ms)),
    hitsByKind: Object.fromEntries(
      [...new Set(on.flatMap((a) => (a.kind ? [a.kind] : [])))].map((kind) => {
        const ofKind = on.filter((a) => a.kind === kind);
        return [kind, `${ofKind.filter((a) => a.source === 'PREFETCH').length}/${ofKind.length}`];
      }),
    ),
    latencySavedP50Ms:
      served.length && computedOff.length
        ? round(
            percentile(
              computedOff.map((a) => a.ms),
              50,
            ) -
              percentile(
                served.map((a) => a.ms),
                50,
              ),
          )
        : null,
  };
}

const countBy = (values: string[]) => values.reduce<Record<string, number>>((acc, v) => ({ ...acc, [v]: (acc[v] ?? 0) + 1 }), {});

async function prefetchMetric(url: string, event: string): Promise<number> {
  const text = await (await fetch(new URL('/metrics', url))).text();
  const line = text.split('\n').find((l) => l.startsWith(`context_mesh_prefetches_total{event="${event}"}`));
  return Number(line?.split(' ').pop() ?? 0);
}

/** Waits (bounded) until the server's prefetcher has nothing waiting or running. */
async function backlogDrained(url: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const text = await (await fetch(new URL('/metrics', url))).text();
    const line = text.split('\n').find((l) => l.startsWith('context_mesh_prefetch_backlog '));
    if (Number(line?.split(' ').pop() ?? 0) === 0) return;
    await sleep(50);
  }
}

/** (a) The demo's workflow, run `runs` times on one server; `tag` keeps the two servers' ids apart. */
async function demo(client: BenchClient, tag: string): Promise<Answer[]> {
  const register = async (id: string, needs: string[] = []) =>
    (await client.call<{ registerAgent: { apiKey: string } }>(client.adminKey, REGISTER, { input: { id, name: id, needs } })).registerAgent
      .apiKey;
  const researcher = `${tag}-researcher`;
  const writer = `${tag}-writer`;
  const reviewer = `${tag}-reviewer`;
  const keys = { [researcher]: await register(researcher), [writer]: await register(writer), [reviewer]: await register(reviewer) };
  const w = `${tag}-launch`;
  await client.call(client.adminKey, DEFINE, {
    input: {
      id: w,
      name: 'Product launch',
      steps: [
        { id: 'research', agentId: researcher, produces: ['competitor_analysis'], next: ['write'] },
        {
          id: 'write',
          agentId: writer,
          needs: ['competitor_strengths', 'competitor_weaknesses', 'positioning', 'differentiation'],
          next: ['review'],
        },
        { id: 'review', agentId: reviewer, needs: ['draft', 'positioning'], next: [] },
      ],
    },
  });
  const key = (agent: string) => keys[agent] as string;
  const publish = (agent: string, inputs: Record<string, unknown>[]) =>
    client.call(key(agent), PUBLISH, { inputs: inputs.map((i) => ({ type: 'FINDING', workflowId: w, ...i })) });
  const answers: Answer[] = [];
  for (let run = 1; run <= runs; run += 1) {
    await client.call(key(researcher), START, { w, s: 'research' });
    await publish(researcher, [
      { text: `Run ${run}: competitor strengths — Acme ships weekly and owns the enterprise channel.`, tags: ['competitor_strengths'] },
      { text: `Run ${run}: competitor weaknesses — Globex support is slow, its pricing opaque.`, tags: ['competitor_weaknesses'] },
      {
        text: `Run ${run}: positioning — the privacy-first option; differentiation: on-premise.`,
        tags: ['positioning', 'differentiation'],
      },
    ]);
    await sleep(thinkMs);
    await client.call(key(researcher), COMPLETE, { w, s: 'research' });
    await client.call(key(writer), START, { w, s: 'write' });
    answers.push({ ...(await ask(client, key(writer), { agentId: writer })), kind: 'writer stand-in' });
    // The writer's own question, the same every run: from the second run on, a past task to prefetch.
    const asked = await ask(client, key(writer), {
      agentId: writer,
      task: 'Draft the launch announcement from the research',
      workflowId: w,
    });
    if (run > 1) answers.push({ ...asked, kind: 'writer past task' });
    await publish(writer, [{ type: 'OUTPUT', text: `Run ${run}: launch announcement draft, privacy first.`, tags: ['draft'] }]);
    await sleep(thinkMs);
    await client.call(key(writer), COMPLETE, { w, s: 'write' });
    await client.call(key(reviewer), START, { w, s: 'review' });
    answers.push({ ...(await ask(client, key(reviewer), { agentId: reviewer })), kind: 'reviewer stand-in' });
    await client.call(key(reviewer), COMPLETE, { w, s: 'review' });
  }
  return answers;
}

/** Producer → consumer pairs of the scenario's agents: the consumer needs a topic the producer produces. */
function pairsOf(scenario: Scenario, count: number) {
  const pairs: { producer: string; consumer: string; topics: string[] }[] = [];
  for (const producer of scenario.agents) {
    for (const consumer of scenario.agents) {
      if (producer.id === consumer.id) continue;
      const topics = consumer.needs.filter((need) => producer.produces.includes(need));
      if (topics.length > 0) pairs.push({ producer: producer.id, consumer: consumer.id, topics });
    }
  }
  return pairs.slice(0, count);
}

/** (b) For each pair: the producer's step starts, it publishes its scenario contexts into the workflow, then the consumer's step. */
async function dataset(client: BenchClient, scenario: Scenario, keys: Map<string, string>, tag: string): Promise<Answer[]> {
  const answers: Answer[] = [];
  const pairs = pairsOf(scenario, workflowCount);
  for (const [index, pair] of pairs.entries()) {
    const w = `${tag}-wf-${index}`;
    await client.call(client.adminKey, DEFINE, {
      input: {
        id: w,
        name: `${pair.producer} to ${pair.consumer}`,
        steps: [
          { id: 'produce', agentId: pair.producer, produces: pair.topics, next: ['consume'] },
          { id: 'consume', agentId: pair.consumer, needs: pair.topics, next: [] },
        ],
      },
    });
    const key = (agent: string) => keys.get(agent) as string;
    await client.call(key(pair.producer), START, { w, s: 'produce' });
    const own = scenario.contexts
      .filter((c) => c.sourceAgentId === pair.producer && c.tags.some((t) => pair.topics.includes(t)))
      .slice(0, 12);
    for (let i = 0; i < own.length; i += 4) {
      const inputs = own
        .slice(i, i + 4)
        .map((c) => ({ type: c.type, text: c.text, tags: c.tags, confidence: c.confidence, workflowId: w }));
      await client.call(key(pair.producer), PUBLISH, { inputs });
      await sleep(thinkMs / 4);
    }
    await sleep(thinkMs);
    await client.call(key(pair.producer), COMPLETE, { w, s: 'produce' });
    await client.call(key(pair.consumer), START, { w, s: 'consume' });
    answers.push(await ask(client, key(pair.consumer), { agentId: pair.consumer }));
    await client.call(key(pair.consumer), COMPLETE, { w, s: 'consume' });
  }
  return answers;
}

/** (c) Foreground latency of varied contextFor requests while a driver starts steps and publishes. */
async function foreground(client: BenchClient, scenario: Scenario, keys: Map<string, string>, tag: string, count: number, skip = 0) {
  const supply = taskSupply();
  // Each phase asks its own tasks: no phase is served answers (or warmed pages) another phase already asked for.
  for (let i = 0; i < skip; i += 1) supply.next();
  const known = new Set(scenario.agents.map((a) => a.id));
  const pairs = pairsOf(scenario, 4);
  for (const [index, pair] of pairs.entries()) {
    await client.call(client.adminKey, DEFINE, {
      input: {
        id: `${tag}-load-${index}`,
        name: `load ${index}`,
        steps: [
          { id: 'produce', agentId: pair.producer, produces: pair.topics, next: ['consume'] },
          { id: 'consume', agentId: pair.consumer, needs: pair.topics, next: [] },
        ],
      },
    });
  }
  let done = false;
  let triggers = 0;
  const computedBefore = await prefetchMetric(client.url, 'computed');
  const driver = (async () => {
    let i = 0;
    while (!done) {
      const pair = pairs[i % pairs.length];
      if (!pair) break;
      const w = `${tag}-load-${i % pairs.length}`;
      const producerKey = keys.get(pair.producer) as string;
      await client.call(producerKey, START, { w, s: 'produce' });
      const c = scenario.contexts[(i * 7) % scenario.contexts.length];
      if (c)
        await client.call(producerKey, PUBLISH, {
          inputs: [{ type: c.type, text: `${c.text} (update ${i})`, tags: pair.topics, workflowId: w }],
        });
      triggers += 2;
      i += 1;
      await sleep(150);
    }
  })();
  const times: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next += 1;
      let request = supply.next().value;
      while (request && !known.has(request.agentId)) request = supply.next().value;
      if (!request) break;
      const answer = await ask(client, keys.get(request.agentId) as string, { agentId: request.agentId, task: request.task });
      times.push(answer.ms);
      await sleep(fgThinkMs);
    }
  };
  await Promise.all(Array.from({ length: clients }, worker));
  done = true;
  await driver;
  return { times, triggers, prefetchesComputed: (await prefetchMetric(client.url, 'computed')) - computedBefore };
}

async function main() {
  const started = Date.now();
  // --aa: both instances with prefetch off (an A/A run), to measure what differs between the two instances themselves.
  const server = await startBenchServer({ log, env: { PREFETCH: aa ? 'off' : 'on' } });
  stopOnSignal(() => server.stop());
  try {
    const off = await server.startVariant({ PREFETCH: 'off' });
    log('servers ready (PREFETCH on and off, one Neo4j)');

    const demoOn = await demo(server, 'on');
    const demoOff = await demo(off, 'off');
    const demoResult = summarise(demoOn, demoOff);
    log(`(a) demo: hit rate ${demoResult.hitRate}, latency saved p50 ${demoResult.latencySavedP50Ms} ms`);

    const scenario = generateScenario({ n, seed: 7 });
    const keys = await registerAgents(server, scenario);
    const published = await publishAll(server, scenario.contexts);
    log(`published ${published.contexts} scenario contexts in ${published.totalMs} ms`);
    const dataOn = await dataset(server, scenario, keys, 'on');
    const dataOff = await dataset(off, scenario, keys, 'off');
    const dataResult = summarise(dataOn, dataOff);
    log(`(b) routing dataset: hit rate ${dataResult.hitRate}, latency saved p50 ${dataResult.latencySavedP50Ms} ms`);

    // An untimed warm-up on each instance (JIT, Neo4j's page cache), then phases in ABBA order (off, on, on, off), so a
    // linear drift in the machine's load affects both alike; every phase asks distinct tasks.
    const perPhase = Math.ceil(requests / 2);
    await foreground(off, scenario, keys, 'warm-off', 30, 0);
    await foreground(server, scenario, keys, 'warm-on', 30, 30);
    await backlogDrained(server.url);
    const phases: Record<'on' | 'off', { times: number[]; triggers: number; prefetchesComputed: number }> = {
      on: { times: [], triggers: 0, prefetchesComputed: 0 },
      off: { times: [], triggers: 0, prefetchesComputed: 0 },
    };
    for (const [index, mode] of (['off', 'on', 'on', 'off'] as const).entries()) {
      const phase = await foreground(mode === 'on' ? server : off, scenario, keys, `${mode}${index}`, perPhase, 60 + index * perPhase);
      phases[mode].times.push(...phase.times);
      phases[mode].triggers += phase.triggers;
      phases[mode].prefetchesComputed += phase.prefetchesComputed;
      // What the on phase queued must not run during the off phase.
      if (mode === 'on') await backlogDrained(server.url);
    }
    const summary = (p: (typeof phases)['on']) => ({ ...latency(p.times), triggers: p.triggers, prefetchesComputed: p.prefetchesComputed });
    const fgOn = summary(phases.on);
    const fgOff = summary(phases.off);
    log(`(c) foreground p95: on ${fgOn.p95} ms (prefetches computed ${fgOn.prefetchesComputed}), off ${fgOff.p95} ms`);

    const result = {
      when: new Date().toISOString(),
      machine: { cpus: os.cpus().length, node: process.version },
      settings: { n, runs, thinkMs, workflows: workflowCount, requests, clients, fgThinkMs, aa },
      demo: demoResult,
      routingDataset: dataResult,
      foreground: { on: fgOn, off: fgOff, p95DeltaMs: round(fgOn.p95 - fgOff.p95) },
      prefetchEvents: Object.fromEntries(
        await Promise.all(
          ['computed', 'served', 'discarded', 'dropped', 'failed'].map(async (e) => [e, await prefetchMetric(server.url, e)] as const),
        ),
      ),
      totalSeconds: Math.round((Date.now() - started) / 1000),
    };
    writeFileSync(outFile, `${JSON.stringify(result, null, 2)}\n`);
    log(`wrote ${outFile} after ${result.totalSeconds} s`);
    await off.stop();
  } finally {
    await server.stop();
  }
}

await main();
