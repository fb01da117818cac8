/**
 * Broadcast delivery: how long a CRITICAL context takes to reach N live subscribers over graphql-ws,
 * compared with a bare graphql-ws server fed by an in-process EventEmitter, and whether reconnect churn
 * loses, duplicates or reorders anything.
 *
 *   npx tsx bench/broadcast/latency.ts [--n 100,1000] [--rounds 20] [--warmup-rounds 2]
 *        [--churn-n 100] [--churn-m 200] [--churn-rate 50] [--churn-every 500] [--churn-fraction 0.1]
 *        [--register-concurrency 16] [--seed 1] [--out bench/broadcast/results.json]
 *
 * One process holds everything: the embedded Neo4j (a child JVM), the app, the bare server and every
 * client socket, on the same cores. Times are `performance.now()` of this one process, so server-side
 * and client-side instants are on one clock. Exit code 1 when a delivery is lost, duplicated or out
 * of order (churn), or a latency round misses a delivery; 2 when the set-up fails.
 */
import { EventEmitter, on } from 'node:events';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { format, resolveConfig } from 'prettier';
import { createClient, type Client } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import WebSocket, { WebSocketServer } from 'ws';
import { InProcessBus } from '../../src/adapters/pubsub/in-process-bus.js';
import type { BusMessage, BusTopic } from '../../src/domain/broadcast/bus.js';
import { parseArgs } from '../routing/generate.js';
import { sleep, startBenchServer, stopOnSignal, type BenchServer } from '../routing/harness.js';
import { percentile } from '../routing/metrics.js';
import { createRng } from '../routing/generate.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = parseArgs(process.argv.slice(2));
const params = {
  n: (args['n'] ?? '100,1000').split(',').map(Number),
  rounds: Number(args['rounds'] ?? 20),
  warmupRounds: Number(args['warmup-rounds'] ?? 2),
  churnN: Number(args['churn-n'] ?? 100),
  churnM: Number(args['churn-m'] ?? 200),
  churnRatePerSecond: Number(args['churn-rate'] ?? 50),
  churnEveryMs: Number(args['churn-every'] ?? 500),
  churnFraction: Number(args['churn-fraction'] ?? 0.1),
  /** Publishes of the churn publisher allowed in flight at once (it keeps a steady rate, open loop). */
  churnMaxInFlight: Number(args['churn-in-flight'] ?? 8),
  registerConcurrency: Number(args['register-concurrency'] ?? 16),
  connectConcurrency: Number(args['connect-concurrency'] ?? 50),
  seed: Number(args['seed'] ?? 1),
  roundTimeoutMs: 30_000,
  connectTimeoutMs: 15_000,
};
const outFile = args['out'] ?? path.join(here, 'results.json');
const recipientCount = Math.max(...params.n, params.churnN);

const log = (message: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`);
const r1 = (x: number) => Math.round(x * 10) / 10;
const r2 = (x: number) => Math.round(x * 100) / 100;

// Reproducible churn, from the same seeded generator as the routing scenario.
const random = createRng(params.seed).next;

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

async function pool<T, R>(items: readonly T[], concurrency: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

const stats = (values: readonly number[]) => ({
  count: values.length,
  p50: r2(percentile(values, 50)),
  p99: r2(percentile(values, 99)),
  min: r2(values.length ? Math.min(...values) : 0),
  max: r2(values.length ? Math.max(...values) : 0),
});

// ---------------------------------------------------------------------------------------------------
// Clients

interface Received {
  seq: number;
  prevSeq: number;
  reason: string;
  contextId: string;
  at: number;
}

interface BroadcastData {
  contextBroadcast: { seq: number; prevSeq: number; reason: string; context: { id: string } };
}

const SUBSCRIPTION = `subscription($agentId: ID!, $afterSeq: Int, $workflowId: ID) {
  contextBroadcast(agentId: $agentId, afterSeq: $afterSeq, workflowId: $workflowId) { seq prevSeq reason context { id } }
}`;

/** Arrival times per context id, with waiting until a given count arrived. */
class Arrivals {
  private readonly times = new Map<string, number[]>();
  private readonly waiters = new Map<string, { count: number; wake: () => void }>();

  record(contextId: string, at: number) {
    const list = this.times.get(contextId) ?? [];
    list.push(at);
    this.times.set(contextId, list);
    const waiter = this.waiters.get(contextId);
    if (waiter && list.length >= waiter.count) {
      this.waiters.delete(contextId);
      waiter.wake();
    }
  }

  /** The arrivals of `contextId` once `count` arrived, or what arrived by the timeout. */
  async wait(contextId: string, count: number, timeoutMs: number): Promise<number[]> {
    if ((this.times.get(contextId)?.length ?? 0) < count) {
      let timer: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
        this.waiters.set(contextId, { count, wake: resolve });
      });
      clearTimeout(timer);
      this.waiters.delete(contextId);
    }
    return [...(this.times.get(contextId) ?? [])];
  }

  forget(contextId: string) {
    this.times.delete(contextId);
  }
}

const arrivals = new Arrivals();

/**
 * When the app's in-process bus first carried a delivery of each context (the fan-out's start, after
 * commit and the re-read of the contexts): the anchor comparable with the bare server's emit. A wrapper
 * installed at run time on the bus class; the app's code is unchanged.
 */
const busFirstEmit = new Map<string, number>();
const busPublish = InProcessBus.prototype.publish;
InProcessBus.prototype.publish = function (this: InProcessBus, topic: BusTopic, messages: readonly BusMessage[]) {
  const at = performance.now();
  for (const m of messages) if (m.kind === 'delivery' && !busFirstEmit.has(m.contextId)) busFirstEmit.set(m.contextId, at);
  return busPublish.call(this, topic, messages);
};
const live = new Set<Subscriber>();
const messageBytes: { mesh: number; bare: number } = { mesh: 0, bare: 0 };

/**
 * One agent's socket and subscription, as a real agent would hold it: it remembers the last seq it
 * received and resumes after it when it reconnects. Each connection has a generation: anything the
 * previous connection yields after the agent dropped it is not received (counted as `late`).
 */
class Subscriber {
  lastSeq: number;
  readonly received: Received[] = [];
  errors: string[] = [];
  late = 0;
  connections = 0;
  private client: Client | null = null;
  private socket: WebSocket | null = null;
  private generation = 0;

  constructor(
    readonly agentId: string,
    private readonly url: string,
    private readonly key: string | null,
    readonly kind: 'mesh' | 'bare',
    startSeq: number,
  ) {
    this.lastSeq = startSeq;
  }

  get connected() {
    return this.client !== null;
  }

  /** Opens a socket, subscribes after `lastSeq` and resolves on the server's connection_ack. */
  async connect(): Promise<void> {
    const generation = ++this.generation;
    this.connections += 1;
    live.add(this);
    const current = () => generation === this.generation;
    let acked: () => void = () => {};
    let refused: (error: Error) => void = () => {};
    const ack = new Promise<void>((resolve, reject) => {
      acked = resolve;
      refused = reject;
    });
    const client = createClient({
      url: this.url,
      webSocketImpl: WebSocket,
      lazy: false,
      retryAttempts: 0,
      ...(this.key ? { connectionParams: { authorization: `Bearer ${this.key}` } } : {}),
      onNonLazyError: (error) => {
        if (current()) this.errors.push(`connection: ${describe(error)}`);
        refused(new Error(describe(error)));
      },
      on: {
        connected: (socket) => {
          if (current()) this.socket = socket as WebSocket;
          acked();
        },
      },
    });
    this.client = client;
    client.subscribe<BroadcastData>(
      { query: SUBSCRIPTION, variables: { agentId: this.agentId, afterSeq: this.lastSeq } },
      {
        next: (value) => {
          const at = performance.now();
          if (!current()) {
            this.late += 1;
            return;
          }
          const b = value.data?.contextBroadcast;
          if (value.errors || !b) {
            this.errors.push(`next: ${JSON.stringify(value.errors ?? value).slice(0, 300)}`);
            return;
          }
          if (messageBytes[this.kind] === 0) messageBytes[this.kind] = Buffer.byteLength(JSON.stringify({ data: value.data }));
          this.lastSeq = b.seq;
          this.received.push({ seq: b.seq, prevSeq: b.prevSeq, reason: b.reason, contextId: b.context.id, at });
          arrivals.record(b.context.id, at);
        },
        error: (error) => {
          if (current()) this.errors.push(`subscription: ${describe(error)}`);
        },
        complete: () => {},
      },
    );
    await withTimeout(ack, params.connectTimeoutMs, `connection_ack for ${this.agentId}`);
  }

  /** Drops the connection: `close` is a clean close (dispose), `terminate` destroys the TCP socket abruptly. */
  async disconnect(mode: 'close' | 'terminate' = 'close'): Promise<void> {
    this.generation += 1;
    const client = this.client;
    const socket = this.socket;
    this.client = null;
    this.socket = null;
    live.delete(this);
    if (mode === 'terminate') socket?.terminate();
    await client?.dispose();
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (error && typeof error === 'object' && 'code' in error) {
    const e = error as { code: unknown; reason?: unknown };
    return `close ${String(e.code)} ${String(e.reason ?? '')}`;
  }
  return JSON.stringify(error)?.slice(0, 300) ?? String(error);
}

async function connectAll(subs: readonly Subscriber[]) {
  await pool(subs, params.connectConcurrency, (s) => s.connect());
}
async function disconnectAll(subs: readonly Subscriber[]) {
  await Promise.allSettled(subs.map((s) => withTimeout(s.disconnect(), 5_000, `disconnect ${s.agentId}`)));
}

// ---------------------------------------------------------------------------------------------------
// The bare graphql-ws server: same selection, same payload shape, fed by an EventEmitter.

interface BareServer {
  url: string;
  emit(agentId: string, payload: BroadcastData['contextBroadcast']): void;
  stop(): Promise<void>;
}

async function startBareServer(): Promise<BareServer> {
  const bus = new EventEmitter();
  bus.setMaxListeners(0);
  const schema = makeExecutableSchema({
    typeDefs: `
      type Ctx { id: ID! }
      type Broadcast { seq: Int! prevSeq: Int! reason: String! context: Ctx! }
      type Query { ok: Boolean }
      type Subscription { contextBroadcast(agentId: ID!, afterSeq: Int, workflowId: ID): Broadcast! }`,
    resolvers: {
      Subscription: {
        contextBroadcast: {
          subscribe: (_root: unknown, { agentId }: { agentId: string }) => on(bus, `agent:${agentId}`),
          resolve: (payload: unknown[]) => payload[0],
        },
      },
    },
  });
  const httpServer = http.createServer();
  const wss = new WebSocketServer({ server: httpServer, path: '/graphql', maxPayload: 1024 * 1024 });
  const cleanup = useServer({ schema }, wss);
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;
  let stopping: Promise<void> | null = null;
  return {
    url: `ws://127.0.0.1:${port}/graphql`,
    emit: (agentId, payload) => bus.emit(`agent:${agentId}`, payload),
    stop: () =>
      (stopping ??= (async () => {
        for (const client of wss.clients) client.terminate();
        await cleanup.dispose();
        await new Promise<void>((resolve) => httpServer.close(() => resolve()));
        bus.removeAllListeners();
      })()),
  };
}

// ---------------------------------------------------------------------------------------------------
// Set-up

let server: BenchServer | null = null;
let bare: BareServer | null = null;
let cleaning: Promise<void> | null = null;
const cleanup = () =>
  (cleaning ??= (async () => {
    await disconnectAll([...live]);
    await bare?.stop().catch(() => {});
    await server?.stop().catch(() => {});
  })());
stopOnSignal(cleanup);

const PUBLISH = `mutation($input: PublishContextInput!) { publishContext(input: $input) { id seq } }`;
const REASON = 'CRITICAL: named by the publisher (relevance 1.00)';

interface Agent {
  id: string;
  key: string;
  /** Seq of its last delivery, as its subscribers saw it (every delivery here reaches a subscriber). */
  lastSeq: number;
}

let publisher: Agent;
let recipients: Agent[] = [];

async function register(id: string, input: Record<string, unknown>): Promise<Agent> {
  const s = server as BenchServer;
  const data = await s.call<{ registerAgent: { agent: { id: string }; apiKey: string } }>(
    s.adminKey,
    'mutation($input: RegisterAgentInput!) { registerAgent(input: $input) { agent { id } apiKey } }',
    { input: { id, ...input } },
  );
  return { id: data.registerAgent.agent.id, key: data.registerAgent.apiKey, lastSeq: 0 };
}

const TOPICS = ['billing', 'search ranking', 'onboarding emails', 'mobile release', 'data retention', 'pricing page', 'support macros'];

async function publish(contextId: string, to: readonly Agent[], text: string): Promise<{ id: string; seq: number }> {
  const s = server as BenchServer;
  const data = await s.call<{ publishContext: { id: string; seq: number } }>(publisher.key, PUBLISH, {
    input: {
      id: contextId,
      type: 'FINDING',
      priority: 'CRITICAL',
      tags: ['bench-broadcast'],
      text,
      relevance: to.map((a) => ({ agentId: a.id, score: 1 })),
    },
  });
  return data.publishContext;
}

const alertText = (label: string) =>
  `Critical incident ${label}: the payments API returns 503 for EU customers since 14:02; pause every job that charges cards until the on-call engineer confirms recovery.`;

// ---------------------------------------------------------------------------------------------------
// Latency

interface LatencyResult {
  n: number;
  rounds: number;
  publishResponseMs: ReturnType<typeof stats>;
  deliveryFromT0Ms: ReturnType<typeof stats>;
  deliveryFromResponseMs: ReturnType<typeof stats>;
  /** Time from the response to the last subscriber's arrival, per round. */
  lastArrivalFromResponseMs: ReturnType<typeof stats>;
  /** From the fan-out's start on the app's bus (after commit and re-read): comparable with bare. */
  deliveryFromBusMs: ReturnType<typeof stats>;
  lastArrivalFromBusMs: ReturnType<typeof stats>;
  /** t0 → first bus emit: the publish transaction and the re-read of the context. */
  busAfterT0Ms: ReturnType<typeof stats>;
  /** Bus emit − t_response: negative when the fan-out started before the publisher had its answer. */
  busMinusResponseMs: ReturnType<typeof stats>;
  bareDeliveryMs: ReturnType<typeof stats>;
  bareLastArrivalMs: ReturnType<typeof stats>;
  /** Ours (from the mutation's response) ÷ bare; null when ours is ≤ 0 (the fan-out beat the response). */
  overhead: { p50: number | null; p99: number | null };
  /** Ours (from the bus emit) ÷ bare. */
  overheadFromBus: { p50: number; p99: number };
  missed: { mesh: number; bare: number };
  connectMs: { mesh: number; bare: number };
}

async function latencyPhase(n: number): Promise<LatencyResult> {
  const agents = recipients.slice(0, n);
  const total = params.warmupRounds + params.rounds;
  let missedMesh = 0;
  let missedBare = 0;

  // Context Mesh
  log(`N=${n}: connecting ${n} graphql-ws clients to Context Mesh`);
  let started = performance.now();
  const subs = agents.map((a) => new Subscriber(a.id, (server as BenchServer).url.replace(/^http/, 'ws'), a.key, 'mesh', a.lastSeq));
  await connectAll(subs);
  const meshConnectMs = performance.now() - started;
  const warm = `bc-n${n}-warmup`;
  started = performance.now();
  await publish(warm, agents, alertText(`warm-up N=${n}`));
  const warmArrivals = await arrivals.wait(warm, n, 60_000);
  if (warmArrivals.length < n) throw new Error(`warm-up: ${warmArrivals.length} of ${n} subscribers received it`);
  log(
    `N=${n}: ${n} connected in ${Math.round(meshConnectMs)} ms; all subscribed (warm-up received by all ${Math.round(performance.now() - started)} ms after publishing)`,
  );

  const response: number[] = [];
  const fromT0: number[] = [];
  const fromResponse: number[] = [];
  const lastFromResponse: number[] = [];
  const fromBus: number[] = [];
  const lastFromBus: number[] = [];
  const busAfterT0: number[] = [];
  const busMinusResponse: number[] = [];
  for (let round = 0; round < total; round += 1) {
    const id = `bc-n${n}-r${round}`;
    const t0 = performance.now();
    await publish(id, agents, alertText(`${round} for N=${n}`));
    const tResponse = performance.now();
    const times = await arrivals.wait(id, n, params.roundTimeoutMs);
    if (times.length < n) {
      missedMesh += n - times.length;
      log(`N=${n} round ${round}: only ${times.length} of ${n} delivered within ${params.roundTimeoutMs} ms`);
    }
    if (round >= params.warmupRounds) {
      response.push(tResponse - t0);
      for (const t of times) {
        fromT0.push(t - t0);
        fromResponse.push(t - tResponse);
      }
      lastFromResponse.push(Math.max(...times) - tResponse);
      const tBus = busFirstEmit.get(id);
      if (tBus !== undefined) {
        for (const t of times) fromBus.push(t - tBus);
        lastFromBus.push(Math.max(...times) - tBus);
        busAfterT0.push(tBus - t0);
        busMinusResponse.push(tBus - tResponse);
      }
    }
    arrivals.forget(id);
    await sleep(100);
  }
  for (const s of subs) {
    const agent = agents.find((a) => a.id === s.agentId) as Agent;
    agent.lastSeq = s.lastSeq;
    for (const e of s.errors) log(`  ${s.agentId}: ${e}`);
  }
  await disconnectAll(subs);

  // Bare graphql-ws
  log(`N=${n}: connecting ${n} graphql-ws clients to the bare server`);
  const b = bare as BareServer;
  started = performance.now();
  const bareSubs = agents.map((a) => new Subscriber(a.id, b.url, null, 'bare', 0));
  await connectAll(bareSubs);
  const bareConnectMs = performance.now() - started;
  const bareSeq = new Map(agents.map((a) => [a.id, 0]));
  let seq = 1_000_000;
  const emitAll = (id: string) => {
    seq += 1;
    for (const a of agents) {
      b.emit(a.id, { seq, prevSeq: bareSeq.get(a.id) ?? 0, reason: REASON, context: { id } });
      bareSeq.set(a.id, seq);
    }
  };
  // The subscription is live once the server ran `subscribe`: emit warm-ups until every client received one.
  for (let attempt = 0; ; attempt += 1) {
    const id = `bare-n${n}-warmup${attempt}`;
    emitAll(id);
    const got = await arrivals.wait(id, n, 1_000);
    if (got.length >= n) break;
    if (attempt >= 30) throw new Error(`bare warm-up: ${got.length} of ${n} subscribers live after 30 s`);
  }
  const bareAll: number[] = [];
  const bareLast: number[] = [];
  for (let round = 0; round < total; round += 1) {
    const id = `bare-n${n}-r${round}`;
    const tPublish = performance.now();
    emitAll(id);
    const times = await arrivals.wait(id, n, params.roundTimeoutMs);
    if (times.length < n) missedBare += n - times.length;
    if (round >= params.warmupRounds) {
      for (const t of times) bareAll.push(t - tPublish);
      bareLast.push(Math.max(...times) - tPublish);
    }
    arrivals.forget(id);
    await sleep(100);
  }
  await disconnectAll(bareSubs);

  const ours = stats(fromResponse);
  const oursBus = stats(fromBus);
  const theirs = stats(bareAll);
  const ratio = (a: number, b: number) => (a > 0 && b > 0 ? r1(a / b) : null);
  return {
    n,
    rounds: params.rounds,
    publishResponseMs: stats(response),
    deliveryFromT0Ms: stats(fromT0),
    deliveryFromResponseMs: ours,
    lastArrivalFromResponseMs: stats(lastFromResponse),
    deliveryFromBusMs: oursBus,
    lastArrivalFromBusMs: stats(lastFromBus),
    busAfterT0Ms: stats(busAfterT0),
    busMinusResponseMs: stats(busMinusResponse),
    bareDeliveryMs: theirs,
    bareLastArrivalMs: stats(bareLast),
    overhead: { p50: ratio(ours.p50, theirs.p50), p99: ratio(ours.p99, theirs.p99) },
    overheadFromBus: { p50: r1(oursBus.p50 / theirs.p50), p99: r1(oursBus.p99 / theirs.p99) },
    missed: { mesh: missedMesh, bare: missedBare },
    connectMs: { mesh: Math.round(meshConnectMs), bare: Math.round(bareConnectMs) },
  };
}

// ---------------------------------------------------------------------------------------------------
// Reconnect churn

interface ChurnResult {
  subscribers: number;
  published: number;
  publishErrors: number;
  publishWallMs: number;
  achievedRatePerSecond: number;
  reconnects: { total: number; clean: number; abrupt: number; failed: number };
  expectedPerSubscriber: number;
  lost: number;
  duplicated: number;
  outOfOrder: number;
  chainBreaks: number;
  unexpected: number;
  lateOnDroppedConnections: number;
  subscribersIncomplete: number;
  settleMs: number;
  errors: string[];
  firstProblems: string[];
}

async function churnPhase(): Promise<ChurnResult> {
  const n = params.churnN;
  const m = params.churnM;
  const agents = recipients.slice(0, n);
  log(`churn: connecting ${n} subscribers`);
  const subs = agents.map((a) => new Subscriber(a.id, (server as BenchServer).url.replace(/^http/, 'ws'), a.key, 'mesh', a.lastSeq));
  await connectAll(subs);
  const warm = 'bc-churn-warmup';
  await publish(warm, agents, alertText('churn warm-up'));
  if ((await arrivals.wait(warm, n, 60_000)).length < n) throw new Error('churn warm-up not received by all');
  const startSeq = new Map(subs.map((s) => [s.agentId, s.lastSeq]));
  for (const s of subs) s.received.length = 0;

  const expected = Array.from({ length: m }, (_, i) => `bc-churn-${String(i).padStart(4, '0')}`);
  const interval = 1000 / params.churnRatePerSecond;
  let publishErrors = 0;
  let publisherDone = false;
  const errors: string[] = [];
  const reconnects = { total: 0, clean: 0, abrupt: 0, failed: 0 };

  const publisherRun = (async () => {
    const start = performance.now();
    const inFlight = new Set<Promise<void>>();
    for (let i = 0; i < m; i += 1) {
      const due = start + i * interval;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      while (inFlight.size >= params.churnMaxInFlight) await Promise.race(inFlight);
      const p: Promise<void> = publish(expected[i] as string, agents, alertText(`churn ${i}`))
        .then(() => undefined)
        .catch((error: unknown) => {
          publishErrors += 1;
          if (errors.length < 10) errors.push(`publish ${expected[i]}: ${describe(error)}`);
        })
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
    await Promise.all(inFlight);
    publisherDone = true;
    return performance.now() - start;
  })();

  const churnRun = (async () => {
    const deadline = performance.now() + (m / params.churnRatePerSecond) * 1000 + 60_000;
    const pending = new Set<Promise<void>>();
    while (!publisherDone && performance.now() < deadline) {
      await sleep(params.churnEveryMs);
      if (publisherDone) break;
      const candidates = subs.filter((s) => s.connected);
      const k = Math.max(1, Math.round(n * params.churnFraction));
      for (let i = 0; i < k && candidates.length > 0; i += 1) {
        const victim = candidates.splice(Math.floor(random() * candidates.length), 1)[0] as Subscriber;
        const mode = random() < 0.5 ? 'close' : 'terminate';
        const gap = Math.floor(random() * 100);
        const p: Promise<void> = (async () => {
          await victim.disconnect(mode);
          reconnects.total += 1;
          reconnects[mode === 'close' ? 'clean' : 'abrupt'] += 1;
          await sleep(gap);
          for (let attempt = 0; attempt < 3; attempt += 1) {
            try {
              await victim.connect();
              return;
            } catch (error) {
              reconnects.failed += 1;
              if (errors.length < 10) errors.push(`reconnect ${victim.agentId}: ${describe(error)}`);
              await victim.disconnect().catch(() => {});
            }
          }
        })().finally(() => pending.delete(p));
        pending.add(p);
      }
    }
    await Promise.all(pending);
  })();

  const publishWallMs = await publisherRun;
  await churnRun;
  log(
    `churn: published ${m - publishErrors} of ${m} in ${Math.round(publishWallMs)} ms; ${reconnects.total} reconnects; waiting for delivery`,
  );

  const settleStart = performance.now();
  const complete = (s: Subscriber) => new Set(s.received.map((r) => r.contextId)).size >= m;
  while (!subs.every(complete) && performance.now() - settleStart < 60_000) await sleep(100);
  const settleMs = performance.now() - settleStart;
  await sleep(1_000); // let any late duplicate arrive

  const expectedSet = new Set(expected);
  let lost = 0;
  let duplicated = 0;
  let outOfOrder = 0;
  let chainBreaks = 0;
  let unexpected = 0;
  let late = 0;
  let incomplete = 0;
  const problems: string[] = [];
  for (const s of subs) {
    const items = s.received;
    const distinct = new Set(items.map((r) => r.contextId));
    const got = [...distinct].filter((id) => expectedSet.has(id)).length;
    unexpected += [...distinct].filter((id) => !expectedSet.has(id)).length;
    lost += m - got;
    duplicated += items.length - distinct.size;
    if (got < m) incomplete += 1;
    late += s.late;
    for (const e of s.errors) if (errors.length < 10) errors.push(`${s.agentId}: ${e}`);
    items.forEach((item, i) => {
      const prev = items[i - 1];
      if (prev && item.seq <= prev.seq) {
        outOfOrder += 1;
        if (problems.length < 10) problems.push(`${s.agentId}: seq ${item.seq} after ${prev.seq}`);
      }
      const expectedPrev = prev ? prev.seq : startSeq.get(s.agentId);
      if (item.prevSeq !== expectedPrev) {
        chainBreaks += 1;
        if (problems.length < 10)
          problems.push(`${s.agentId}: item ${i} seq ${item.seq} prevSeq ${item.prevSeq}, expected ${expectedPrev}`);
      }
    });
    if (got < m && problems.length < 10) {
      const missing = expected.filter((id) => !distinct.has(id));
      problems.push(`${s.agentId}: missing ${missing.length} (${missing.slice(0, 5).join(', ')}…), connections ${s.connections}`);
    }
    const agent = agents.find((a) => a.id === s.agentId) as Agent;
    agent.lastSeq = s.lastSeq;
  }
  await disconnectAll(subs);
  return {
    subscribers: n,
    published: m - publishErrors,
    publishErrors,
    publishWallMs: Math.round(publishWallMs),
    achievedRatePerSecond: r1((m / publishWallMs) * 1000),
    reconnects,
    expectedPerSubscriber: m,
    lost,
    duplicated,
    outOfOrder,
    chainBreaks,
    unexpected,
    lateOnDroppedConnections: late,
    subscribersIncomplete: incomplete,
    settleMs: Math.round(settleMs),
    errors,
    firstProblems: problems,
  };
}

// ---------------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  const began = Date.now();
  server = await startBenchServer({ log });
  bare = await startBareServer();
  log(`bare graphql-ws server at ${bare.url}`);

  log(`registering 1 publisher + ${recipientCount} recipients (concurrency ${params.registerConcurrency})`);
  let started = performance.now();
  publisher = await register('bc-publisher', { name: 'Incident monitor', role: 'monitoring', produces: ['incidents'] });
  recipients = await pool(
    Array.from({ length: recipientCount }, (_, i) => i),
    params.registerConcurrency,
    (i) =>
      register(`bc-agent-${String(i).padStart(4, '0')}`, {
        name: `Worker ${i}`,
        role: 'worker',
        needs: [TOPICS[i % TOPICS.length] as string],
        // Only the explicit naming makes it a recipient: computed relevance never clears 1.0.
        relevanceThreshold: 1,
      }),
  );
  const registerMs = performance.now() - started;
  log(`registered in ${Math.round(registerMs)} ms (${r1((recipientCount / registerMs) * 1000)} agents/s)`);

  const latency: LatencyResult[] = [];
  for (const n of params.n) {
    started = performance.now();
    const result = await latencyPhase(n);
    latency.push(result);
    log(
      `N=${n}: publish response p50 ${result.publishResponseMs.p50} ms; delivery from t0 p50 ${result.deliveryFromT0Ms.p50} / p99 ${result.deliveryFromT0Ms.p99}; ` +
        `from response p50 ${result.deliveryFromResponseMs.p50} / p99 ${result.deliveryFromResponseMs.p99}; bare p50 ${result.bareDeliveryMs.p50} / p99 ${result.bareDeliveryMs.p99} ` +
        `(×${result.overhead.p50 ?? 'n/a'} / ×${result.overhead.p99 ?? 'n/a'}); from bus emit p50 ${result.deliveryFromBusMs.p50} / p99 ${result.deliveryFromBusMs.p99} ` +
        `(×${result.overheadFromBus.p50} / ×${result.overheadFromBus.p99}); bus emit − response p50 ${result.busMinusResponseMs.p50}; ${Math.round(performance.now() - started)} ms`,
    );
  }

  const churn = await churnPhase();
  log(
    `churn: lost ${churn.lost}, duplicated ${churn.duplicated}, out of order ${churn.outOfOrder}, chain breaks ${churn.chainBreaks}, ` +
      `reconnects ${churn.reconnects.total} (${churn.reconnects.clean} clean, ${churn.reconnects.abrupt} abrupt, ${churn.reconnects.failed} failed)`,
  );
  for (const line of [...churn.errors, ...churn.firstProblems]) log(`  ${line}`);

  const cpus = os.cpus();
  const results = {
    benchmark: 'broadcast delivery',
    date: new Date().toISOString(),
    machine: {
      cores: cpus.length,
      cpu: cpus[0]?.model ?? 'unknown',
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
      note: 'client sockets, Context Mesh app, bare graphql-ws server and embedded Neo4j in one process / machine',
    },
    parameters: { ...params, recipients: recipientCount },
    registration: { agents: recipientCount + 1, ms: Math.round(registerMs) },
    messageBytes,
    latency,
    churn,
    wallMs: Date.now() - began,
  };
  // Formatted as `npm run format:check` expects, so a re-run leaves the tree clean.
  const prettierOptions = (await resolveConfig(outFile)) ?? {};
  writeFileSync(outFile, await format(JSON.stringify(results, null, 2), { ...prettierOptions, parser: 'json' }));
  log(`wrote ${outFile}`);

  const failed =
    churn.lost + churn.duplicated + churn.outOfOrder + churn.chainBreaks + churn.publishErrors > 0 ||
    latency.some((l) => l.missed.mesh + l.missed.bare > 0);
  if (failed) log('FAILED: a delivery was lost, duplicated or out of order (see above)');
  return failed ? 1 : 0;
}

main()
  .then(async (code) => {
    await cleanup();
    process.exit(code);
  })
  .catch(async (error: unknown) => {
    console.error(error);
    await cleanup();
    process.exit(2);
  });
