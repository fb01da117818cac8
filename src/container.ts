import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { loadOrCreateAdminKey } from './adapters/admin-key.js';
import { createEmbeddingProvider } from './adapters/embeddings/index.js';
import { Neo4jAgentStore } from './adapters/neo4j/agent-store.js';
import { Neo4jContextStore } from './adapters/neo4j/context-store.js';
import { Neo4jRoutingStore } from './adapters/neo4j/routing-store.js';
import { createOpenAISummarizer } from './adapters/llm/openai-summarizer.js';
import { Neo4jExecutor } from './adapters/neo4j/executor.js';
import { migrate } from './adapters/neo4j/migrations.js';
import { startLocalNeo4j, type LocalNeo4j } from './adapters/neo4j-local/launcher.js';
import { createTokenCounter } from './adapters/tokens/tiktoken-counter.js';
import { createMessageBus } from './adapters/pubsub/index.js';
import { AgentDirectory } from './app/agent-directory.js';
import { Broadcaster } from './app/broadcast/broadcaster.js';
import type { WriteResult } from './domain/store-ports.js';
import { AgentProfiles } from './app/agent-profiles.js';
import { AgentService } from './app/agents.js';
import { ContextRouter, DEFAULT_ROUTER_SETTINGS } from './app/routing/router.js';
import { Authenticator } from './app/auth.js';
import { ContextService } from './app/contexts.js';
import type { Config } from './config.js';
import type { Clock, EmbeddingProvider } from './domain/ports.js';
import { startHttpServer } from './graphql/http-server.js';
import { buildSchema } from './graphql/schema.js';
import { createMetrics } from './observability/metrics.js';

export interface RunningApp {
  url: string;
  port: number;
  neo4jUri: string;
  /** Where the generated admin key lives, when it was generated. */
  adminKeyFile: string | null;
  executor: Neo4jExecutor;
  stop(): Promise<void>;
}

export interface StartOverrides {
  /** Share one embedding model between several servers in a test run. */
  embeddings?: EmbeddingProvider;
  clock?: Clock;
}

/** The repository root (holds neo4j-local/), found from this file in src/ or dist/src/. */
export function projectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i += 1) {
    if (existsSync(path.join(dir, 'neo4j-local', 'pom.xml'))) return dir;
    dir = path.dirname(dir);
  }
  throw new Error('cannot find the project root (the folder holding neo4j-local/pom.xml)');
}

/** Wires adapters into use-cases and starts everything; `stop` undoes it in reverse order. */
export async function startApp(config: Config, logger: Logger, overrides: StartOverrides = {}): Promise<RunningApp> {
  const cleanups: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      try {
        await cleanup();
      } catch (error) {
        logger.warn({ err: error }, 'error during shutdown');
      }
    }
  };

  try {
    await mkdir(config.dataDir, { recursive: true });
    const admin = config.adminKey ? { key: config.adminKey, file: null } : await loadOrCreateAdminKey(config.dataDir);

    let connection: { uri: string; user: string; password: string; database: string; maxRetryMs: number };
    if (config.neo4j.mode === 'external') {
      connection = config.neo4j;
    } else {
      const started = Date.now();
      logger.info('starting embedded Neo4j (the first start resolves Maven artifacts)');
      const local: LocalNeo4j = await startLocalNeo4j({
        projectDir: projectRoot(),
        dataDir: path.join(config.dataDir, 'neo4j'),
        port: config.neo4j.port,
        heapMb: config.neo4j.heapMb,
        pageCacheMb: config.neo4j.pageCacheMb,
        ...(config.neo4j.javaHome ? { javaHome: config.neo4j.javaHome } : {}),
        log: (line) => logger.debug({ neo4j: line }),
      });
      cleanups.push(() => local.stop());
      logger.info({ uri: local.uri, ms: Date.now() - started }, 'embedded Neo4j ready');
      connection = { uri: local.uri, user: 'neo4j', password: '', database: config.neo4j.database, maxRetryMs: config.neo4j.maxRetryMs };
    }

    const metrics = createMetrics();
    const executor = Neo4jExecutor.create(connection);
    cleanups.push(() => executor.close());
    executor.onQuery(({ name, mode, durationMs }) => {
      metrics.dbQueries.inc({ statement: name, mode });
      if (durationMs !== undefined) metrics.dbDuration.observe({ statement: name }, durationMs / 1000);
    });
    await executor.waitUntilReachable(60_000);

    const embeddings = overrides.embeddings ?? (await createEmbeddingProvider(embeddingConfig(config, logger)));
    if (!overrides.embeddings) cleanups.push(() => embeddings.close());
    await migrate(executor, embeddings.dimensions);

    const clock: Clock = overrides.clock ?? { now: () => new Date() };
    const agentStore = new Neo4jAgentStore(executor, clock);
    const contextStore = new Neo4jContextStore(executor, clock, embeddings.modelId);
    const routingStore = new Neo4jRoutingStore(executor, clock);
    const agentProfiles = new AgentProfiles(() => routingStore.agentNeedsProfiles());
    const tokens = createTokenCounter();
    const directory = new AgentDirectory(agentStore);
    const agents = new AgentService(agentStore, embeddings, agentProfiles, directory);
    const bus = await createMessageBus(config.broadcast.redisUrl, logger);
    cleanups.push(() => bus.close());
    const broadcaster = new Broadcaster({
      store: contextStore,
      bus,
      onError: (error, what) => logger.error({ err: error }, `broadcast: ${what}`),
    });
    if (config.broadcast.expirySweepMs > 0) {
      const stopSweeper = broadcaster.startExpirySweeper(config.broadcast.expirySweepMs);
      cleanups.push(async () => stopSweeper());
    }
    // The router's cache hears of this process's writes at once (see src/app/routing/README.md).
    let onWrite = (_result: WriteResult) => {};
    const services = {
      agents,
      broadcasts: broadcaster,
      contexts: new ContextService({
        onWrite: (result) => onWrite(result),
        agents: directory,
        broadcastPolicy: { importantBar: config.broadcast.importantBar },
        store: contextStore,
        agentProfiles,
        embeddings,
        tokens,
        clock,
        maxDependencyDepth: config.limits.maxDependencyDepth,
      }),
      router: new ContextRouter({
        store: routingStore,
        loadAgent: (id) => directory.get(id),
        agentProfiles,
        embeddings,
        tokens,
        clock,
        summarizer: config.llm ? createOpenAISummarizer(config.llm) : undefined,
        onSummarizerError: (error) => logger.warn({ err: error }, 'LLM compression failed; used the extractive summary'),
        settings: { ...DEFAULT_ROUTER_SETTINGS, ...config.routing },
      }),
    };
    onWrite = (result) => {
      services.router.noteWrite();
      void broadcaster.publishCommitted(result);
    };
    const authenticator = new Authenticator({ adminKey: admin.key, agents: agentStore });
    const server = await startHttpServer(
      {
        schema: buildSchema(),
        services,
        authenticator,
        logger,
        metrics,
        checkReady: () => contextStore.ping(),
        limits: config.limits,
        introspection: config.introspection,
        maxSubscriptionsPerConnection: config.broadcast.maxSubscriptionsPerConnection,
      },
      config.port,
      config.host,
    );
    cleanups.push(() => server.stop());

    return {
      url: server.url,
      port: server.port,
      neo4jUri: connection.uri,
      adminKeyFile: admin.file,
      executor,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

function embeddingConfig(config: Config, logger: Logger) {
  const e = config.embeddings;
  // The first start fetches the local model from Maven Central; say so in the log.
  if (e.provider === 'local') return { ...e, log: (message: string) => logger.info({ embeddings: message }) };
  const { dimensions, ...rest } = e;
  return dimensions === undefined ? rest : { ...rest, dimensions };
}
