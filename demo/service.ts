import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../src/config.js';
import { startApp } from '../src/container.js';
import { createLogger } from '../src/observability/logger.js';

export interface DemoService {
  /** The GraphQL endpoint (HTTP; the same path serves graphql-ws). */
  url: string;
  adminKey: string;
  /** The language model the mesh and the scripted writer use, when one is configured. */
  llm: Config['llm'];
  /** Names used for this run's agents and workflow: plain on a fresh store, suffixed on a shared one. */
  suffix: string;
  stop(): Promise<void>;
}

/**
 * The mesh the demo talks to. By default a fresh one, started in this process exactly as `npm start` starts it
 * (embedded Neo4j, local embedding model), on a free port and a throw-away data directory, so every run tells the
 * same story. With DEMO_URL and DEMO_ADMIN_KEY it talks to a running mesh instead (ids get a run suffix).
 */
export async function startDemoService(env: NodeJS.ProcessEnv): Promise<DemoService> {
  const external = env['DEMO_URL']?.trim();
  if (external) {
    const adminKey = env['DEMO_ADMIN_KEY']?.trim();
    if (!adminKey) throw new Error('DEMO_URL needs DEMO_ADMIN_KEY (the admin key of that mesh)');
    const llm = loadConfig({ ...env, CONTEXT_MESH_ADMIN_KEY: adminKey.padEnd(24, '_') }).llm;
    return { url: external, adminKey, llm, suffix: `-${randomBytes(3).toString('hex')}`, stop: async () => undefined };
  }
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'context-mesh-demo-'));
  const adminKey = `demo-admin-${randomBytes(16).toString('hex')}`;
  const config = loadConfig({
    ...env,
    PORT: '0',
    CONTEXT_MESH_DATA_DIR: dataDir,
    CONTEXT_MESH_ADMIN_KEY: adminKey,
    LOG_LEVEL: env['LOG_LEVEL'] ?? 'warn',
  });
  const app = await startApp(config, createLogger(config.logLevel));
  return {
    url: app.url,
    adminKey,
    llm: config.llm,
    suffix: '',
    stop: async () => {
      await app.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
