import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startApp, type RunningApp, type StartOverrides } from '../../src/container.js';
import { createLogger } from '../../src/observability/logger.js';
import { removeNamespaceData } from './namespace-cleanup.js';

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> & { code?: string } }[];
}

export interface TestServer {
  app: RunningApp;
  url: string;
  wsUrl: string;
  adminKey: string;
  /** Unique prefix for this server's ids, so test files never touch each other's data. */
  ns: string;
  gql<T = Record<string, unknown>>(key: string | null, query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>>;
  registerAgent(input: Record<string, unknown>): Promise<{ id: string; apiKey: string }>;
  /** Stops the server, then deletes what its namespace created (see namespace-cleanup.ts). */
  stop(): Promise<void>;
}

/** Starts the real server (Apollo + graphql-ws) on a free port against the run's Neo4j. */
export async function startTestServer(options: { env?: Record<string, string>; overrides?: StartOverrides } = {}): Promise<TestServer> {
  const neo4j = inject('neo4j');
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'context-mesh-test-'));
  const adminKey = `test-admin-${randomBytes(16).toString('hex')}`;
  const config = loadConfig({
    NEO4J_URI: neo4j.uri,
    NEO4J_USER: neo4j.user,
    NEO4J_PASSWORD: neo4j.password,
    PORT: '0',
    CONTEXT_MESH_DATA_DIR: dataDir,
    CONTEXT_MESH_ADMIN_KEY: adminKey,
    LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'silent',
    // The expiry sweep claims expired contexts database-wide and announces them on its own server's bus:
    // left on, one file's server would announce (and so hide) another file's expiries. Tests about
    // expiry turn it on for their server.
    EXPIRY_SWEEP_MS: '0',
    // The drift validation pass is database-wide too; tests run it for their workflow with validateContexts.
    VALIDATION_INTERVAL_MS: '0',
    ...options.env,
  });
  const app = await startApp(config, createLogger(config.logLevel), options.overrides ?? {});
  const ns = `t${randomBytes(4).toString('hex')}`;

  const gql: TestServer['gql'] = async (key, query, variables) => {
    const response = await fetch(app.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as Omit<GraphQLResponse, 'status'>;
    return { status: response.status, ...body } as GraphQLResponse<never>;
  };

  return {
    app,
    url: app.url,
    wsUrl: app.url.replace(/^http/, 'ws'),
    adminKey,
    ns,
    gql,
    async registerAgent(input) {
      const result = await gql<{ registerAgent: { agent: { id: string }; apiKey: string } }>(
        adminKey,
        `mutation($input: RegisterAgentInput!) { registerAgent(input: $input) { agent { id } apiKey } }`,
        { input: { name: String(input['id'] ?? 'agent'), ...input } },
      );
      if (!result.data?.registerAgent) throw new Error(`registerAgent failed: ${JSON.stringify(result.errors)}`);
      return { id: result.data.registerAgent.agent.id, apiKey: result.data.registerAgent.apiKey };
    },
    async stop() {
      try {
        await app.stop();
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
      // A server on a database of the test's own (NEO4J_URI in env) leaves the cleanup to that test.
      if (options.env?.['NEO4J_URI'] === undefined) await removeNamespaceData(neo4j, ns);
    },
  };
}

/** Counts the Cypher statements an action sends, by name. */
export async function countQueries(
  app: RunningApp,
  action: () => Promise<unknown>,
): Promise<{ total: number; byName: Record<string, number> }> {
  const byName: Record<string, number> = {};
  let total = 0;
  const unsubscribe = app.executor.onQuery(({ name }) => {
    total += 1;
    byName[name] = (byName[name] ?? 0) + 1;
  });
  try {
    await action();
  } finally {
    unsubscribe();
  }
  return { total, byName };
}
