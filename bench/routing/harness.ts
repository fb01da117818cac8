/**
 * Shared plumbing of the routing benchmarks: start an embedded Neo4j and the app in this process on
 * fresh temp folders, talk GraphQL over HTTP, register the scenario's agents and publish its contexts.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startLocalNeo4j, type LocalNeo4j } from '../../src/adapters/neo4j-local/launcher.js';
import { loadConfig } from '../../src/config.js';
import { projectRoot, startApp, type RunningApp } from '../../src/container.js';
import { createLogger } from '../../src/observability/logger.js';
import type { Scenario, ScenarioContext } from './generate.js';

export interface GraphQLResult<T> {
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string } }[];
}

export interface BenchClient {
  url: string;
  adminKey: string;
  gql<T>(key: string, query: string, variables?: Record<string, unknown>): Promise<GraphQLResult<T>>;
  /** Like gql but throws on errors or missing data. */
  call<T>(key: string, query: string, variables?: Record<string, unknown>): Promise<T>;
}

export interface BenchServer extends BenchClient {
  app: RunningApp;
  /**
   * Another app instance on the same Neo4j (same data, agents and keys) with extra environment, e.g.
   * `{ ROUTING_WEIGHTS: 'semantic=1' }`: compares server settings without publishing again.
   */
  startVariant(env: Record<string, string>): Promise<BenchClient & { app: RunningApp; stop(): Promise<void> }>;
  stop(): Promise<void>;
}

export interface StartOptions {
  heapMb?: number;
  pageCacheMb?: number;
  env?: Record<string, string>;
  log?: (message: string) => void;
  /** A folder kept after stop (created when missing): a later run can start on the same data (`adminKey` too). */
  dataDir?: string;
  adminKey?: string;
}

export function createClient(url: string, adminKey: string): BenchClient {
  const gql = async <T>(key: string, query: string, variables?: Record<string, unknown>): Promise<GraphQLResult<T>> => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query, variables }),
    });
    const text = await response.text();
    try {
      return JSON.parse(text) as GraphQLResult<T>;
    } catch {
      throw new Error(`HTTP ${response.status}: ${text.slice(0, 500)}`);
    }
  };
  const call = async <T>(key: string, query: string, variables?: Record<string, unknown>): Promise<T> => {
    const result = await gql<T>(key, query, variables);
    if (result.errors?.length || !result.data)
      throw new Error(`GraphQL error: ${JSON.stringify(result.errors ?? 'no data').slice(0, 2000)}`);
    return result.data;
  };
  return { url, adminKey, gql, call };
}

async function startAppOn(neo4jUri: string, dataDir: string, adminKey: string, env: Record<string, string> = {}): Promise<RunningApp> {
  const config = loadConfig({
    NEO4J_URI: neo4jUri,
    NEO4J_USER: 'neo4j',
    NEO4J_PASSWORD: 'neo4j-local',
    PORT: '0',
    CONTEXT_MESH_DATA_DIR: dataDir,
    CONTEXT_MESH_ADMIN_KEY: adminKey,
    LOG_LEVEL: 'silent',
    // Benchmark queries are bigger than interactive ones (500-item batches, 100-item packages).
    GRAPHQL_MAX_TOKENS: '100000',
    GRAPHQL_MAX_COST: '1000000',
    ...env,
  });
  // Silent unless the caller's env sets LOG_LEVEL (e.g. `error`, to see what an INTERNAL_SERVER_ERROR hid).
  return startApp(config, createLogger(config.logLevel));
}

export async function startBenchServer(options: StartOptions = {}): Promise<BenchServer> {
  const log = options.log ?? (() => {});
  const keep = options.dataDir !== undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'cm-bench-routing-')));
  if (keep) await mkdir(dataDir, { recursive: true });
  let neo4j: LocalNeo4j | null = null;
  const apps: RunningApp[] = [];
  const cleanup = async () => {
    for (const app of apps.splice(0).reverse()) await app.stop().catch(() => {});
    if (neo4j) await neo4j.stop().catch(() => {});
    neo4j = null;
    if (!keep) await rm(dataDir, { recursive: true, force: true });
  };
  try {
    const started = Date.now();
    const local = await startLocalNeo4j({
      projectDir: projectRoot(),
      dataDir: path.join(dataDir, 'neo4j'),
      port: 0,
      heapMb: options.heapMb ?? 2048,
      pageCacheMb: options.pageCacheMb ?? 1024,
    });
    neo4j = local;
    log(`neo4j ready at ${local.uri} after ${Date.now() - started} ms`);
    const adminKey = options.adminKey ?? `bench-admin-${randomBytes(16).toString('hex')}`;
    const app = await startAppOn(local.uri, path.join(dataDir, 'app'), adminKey, options.env);
    apps.push(app);
    log(`app ready at ${app.url} after ${Date.now() - started} ms`);
    let variants = 0;
    const startVariant = async (env: Record<string, string>) => {
      variants += 1;
      const variant = await startAppOn(local.uri, path.join(dataDir, `app-${variants}`), adminKey, { ...options.env, ...env });
      apps.push(variant);
      return {
        ...createClient(variant.url, adminKey),
        app: variant,
        stop: async () => {
          apps.splice(apps.indexOf(variant), 1);
          await variant.stop();
        },
      };
    };
    return { ...createClient(app.url, adminKey), app, startVariant, stop: cleanup };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

/** Names of the Query fields and of the fields of the given types, by introspection. */
export async function introspect(
  server: BenchClient,
  typeNames: string[],
): Promise<{ queries: Set<string>; fields: Map<string, Set<string>> }> {
  const data = await server.call<
    { __schema: { queryType: { fields: { name: string }[] } } } & Record<string, { fields: { name: string }[] } | null>
  >(
    server.adminKey,
    `query { __schema { queryType { fields { name } } } ${typeNames.map((t, i) => `t${i}: __type(name: "${t}") { fields { name } }`).join(' ')} }`,
  );
  const fields = new Map<string, Set<string>>();
  typeNames.forEach((t, i) => {
    const type = data[`t${i}`] as { fields: { name: string }[] | null } | null | undefined;
    fields.set(t, new Set((type?.fields ?? []).map((f) => f.name)));
  });
  return { queries: new Set(data.__schema.queryType.fields.map((f) => f.name)), fields };
}

export async function registerAgents(
  server: BenchServer,
  scenario: Pick<Scenario, 'agents'>,
  thresholdOverride?: number,
): Promise<Map<string, string>> {
  const keys = new Map<string, string>();
  for (const agent of scenario.agents) {
    const input = { ...agent, ...(thresholdOverride !== undefined ? { relevanceThreshold: thresholdOverride } : {}) };
    const data = await server.call<{ registerAgent: { agent: { id: string }; apiKey: string } }>(
      server.adminKey,
      `mutation($input: RegisterAgentInput!) { registerAgent(input: $input) { agent { id } apiKey } }`,
      { input },
    );
    keys.set(data.registerAgent.agent.id, data.registerAgent.apiKey);
  }
  return keys;
}

const PUBLISH = `mutation($inputs: [PublishContextInput!]!) { publishContexts(inputs: $inputs) { id } }`;

export function toPublishInput(c: ScenarioContext, expiration?: string) {
  return {
    id: c.id,
    type: c.type,
    text: c.text,
    tags: c.tags,
    priority: c.priority,
    confidence: c.confidence,
    dependencies: c.dependencies,
    relevance: c.relevance,
    sourceAgentId: c.sourceAgentId,
    ...(c.visibleTo ? { visibleTo: c.visibleTo } : {}),
    ...(expiration ? { expiration } : {}),
  };
}

export interface PublishStats {
  contexts: number;
  batches: number;
  totalMs: number;
  perSecond: number;
  batchMs: { p50: number; max: number };
}

/**
 * Publishes in seq order, in batches (≤ 500): dependencies always precede their dependents. Items whose
 * `expiresAt(c)` returns a date are published with it (that date is computed at the batch's send time).
 */
export async function publishAll(
  server: BenchServer,
  contexts: readonly ScenarioContext[],
  options: {
    batchSize?: number;
    expiration?: (c: ScenarioContext) => string | undefined;
    /** More input fields per item (e.g. `workflowId`, `supersedes`), merged over the scenario's. */
    extra?: (c: ScenarioContext) => Record<string, unknown>;
    progress?: (done: number, ms: number) => void;
  } = {},
): Promise<PublishStats> {
  const batchSize = options.batchSize ?? 500;
  const started = Date.now();
  const batchTimes: number[] = [];
  for (let i = 0; i < contexts.length; i += batchSize) {
    const batch = contexts.slice(i, i + batchSize);
    const t0 = Date.now();
    const data = await server.call<{ publishContexts: { id: string }[] }>(server.adminKey, PUBLISH, {
      inputs: batch.map((c) => ({ ...toPublishInput(c, options.expiration?.(c)), ...options.extra?.(c) })),
    });
    if (data.publishContexts.length !== batch.length) throw new Error(`published ${data.publishContexts.length} of ${batch.length}`);
    batchTimes.push(Date.now() - t0);
    options.progress?.(i + batch.length, Date.now() - started);
  }
  const totalMs = Date.now() - started;
  const sorted = [...batchTimes].sort((a, b) => a - b);
  return {
    contexts: contexts.length,
    batches: batchTimes.length,
    totalMs,
    perSecond: Math.round((contexts.length / totalMs) * 1000 * 10) / 10,
    batchMs: { p50: sorted[Math.floor(sorted.length / 2)] ?? 0, max: sorted[sorted.length - 1] ?? 0 },
  };
}

export async function retractAll(server: BenchServer, ids: readonly string[], concurrency = 4): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const id = ids[next++] as string;
      await server.call(
        server.adminKey,
        `mutation($id: ID!, $reason: String!) { retractContext(id: $id, reason: $reason) { id status } }`,
        {
          id,
          reason: 'benchmark: superseded by newer evidence',
        },
      );
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `stop` on SIGINT/SIGTERM so an interrupted benchmark leaves no Neo4j behind. */
export function stopOnSignal(stop: () => Promise<void>): void {
  const handler = (signal: NodeJS.Signals) => {
    console.error(`\n${signal}: stopping`);
    void stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
}
