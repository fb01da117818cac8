import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { loadOrCreateAdminKey } from './adapters/admin-key.js';
import { createEmbeddingProvider } from './adapters/embeddings/index.js';
import { Neo4jAgentScopes } from './adapters/neo4j/agent-scopes.js';
import { Neo4jAgentStore } from './adapters/neo4j/agent-store.js';
import { Neo4jConsensusStore } from './adapters/neo4j/consensus-store.js';
import { Neo4jContextStore } from './adapters/neo4j/context-store.js';
import { Neo4jDeliveryLog } from './adapters/neo4j/delivery-log.js';
import { Neo4jDecisionStore } from './adapters/neo4j/decision-store.js';
import { Neo4jEffectivenessStore } from './adapters/neo4j/effectiveness-store.js';
import { Neo4jContextMapStore } from './adapters/neo4j/context-map-store.js';
import { Neo4jQuotaLedger } from './adapters/neo4j/quota-store.js';
import { Neo4jPoolReads } from './adapters/neo4j/pool-reads.js';
import { Neo4jStoreHealth } from './adapters/neo4j/store-health.js';
import { Neo4jRoutingStore } from './adapters/neo4j/routing-store.js';
import { Neo4jSnapshotStore } from './adapters/neo4j/snapshot-store.js';
import { Neo4jPastReads } from './adapters/neo4j/past-reads.js';
import { Neo4jPastRoutingStore } from './adapters/neo4j/past-routing-store.js';
import { Neo4jRetentionStore } from './adapters/neo4j/retention-store.js';
import { Neo4jPolicyStore } from './adapters/neo4j/policy-store.js';
import { Neo4jWorkflowStore } from './adapters/neo4j/workflow-store.js';
import { createOpenAISummarizer } from './adapters/llm/openai-summarizer.js';
import { Neo4jExecutor, type Neo4jConnection } from './adapters/neo4j/executor.js';
import { migrate } from './adapters/neo4j/migrations.js';
import { startLocalNeo4j, type LocalNeo4j } from './adapters/neo4j-local/launcher.js';
import { createTokenCounter } from './adapters/tokens/tiktoken-counter.js';
import { createMessageBus } from './adapters/pubsub/index.js';
import { AgentDirectory } from './app/agent-directory.js';
import { Broadcaster } from './app/broadcast/broadcaster.js';
import { ConsensusService } from './app/consensus/consensus-service.js';
import { Escalations } from './app/consensus/escalations.js';
import { RecipientPlanner } from './app/broadcast/recipients.js';
import type { MessageBus } from './domain/broadcast/bus.js';
import type { WriteResult } from './domain/store-ports.js';
import { AgentProfiles } from './app/agent-profiles.js';
import { AgentService } from './app/agents.js';
import { SpawnService } from './app/spawn.js';
import { ContextRouter, DEFAULT_ROUTER_SETTINGS, type DeliveredPackage, type RouterDeps } from './app/routing/router.js';
import { Authenticator } from './app/auth.js';
import { ContextService } from './app/contexts.js';
import { DecisionService } from './app/history/decisions.js';
import { EffectivenessService } from './app/effectiveness/effectiveness-service.js';
import { ContextMapService } from './app/context-map-service.js';
import { StepFailureTracker } from './app/workflows/step-failures.js';
import { TokenQuotas } from './app/quotas/token-quotas.js';
import { PoolTokens } from './app/history/pool-tokens.js';
import { PackageLog } from './app/history/package-log.js';
import { DEFAULT_PREFETCH_SETTINGS, Prefetcher } from './app/routing/prefetch.js';
import { PastRoutingService } from './app/history/past-routing.js';
import { ReplayService } from './app/history/replay.js';
import { RetentionService } from './app/history/retention.js';
import { RollbackService } from './app/history/rollback.js';
import { SnapshotService } from './app/history/snapshots.js';
import { PolicyService } from './app/workflows/policy-service.js';
import { WorkflowService } from './app/workflows/workflow-service.js';
import { standInTask } from './domain/workflows/stand-in.js';
import { TimeTravelService } from './app/history/time-travel.js';
import type { Config } from './config.js';
import type { Clock, EmbeddingProvider, TokenCounter } from './domain/ports.js';
import { ValidationPass } from './app/drift/validation-pass.js';
import { Neo4jDriftChecks } from './adapters/neo4j/drift-store.js';
import { startHttpServer } from './graphql/http-server.js';
import { buildSchema } from './graphql/schema.js';
import type { Services } from './graphql/request-context.js';
import { createMetrics, type Metrics } from './observability/metrics.js';

/** Running steps read to choose what stands in for a missing task (an agent rarely runs more than a few at once). */
const MAX_RUNNING_STEPS = 50;

export interface RunningApp {
  url: string;
  port: number;
  neo4jUri: string;
  /** Where the generated admin key lives, when it was generated. */
  adminKeyFile: string | null;
  executor: Neo4jExecutor;
  /** The model the service embeds with (maintenance such as the version backfill uses it too). */
  embeddings: EmbeddingProvider;
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
  const cleanups = new Cleanups(logger);
  try {
    await mkdir(config.dataDir, { recursive: true });
    const admin = config.adminKey ? { key: config.adminKey, file: null } : await loadOrCreateAdminKey(config.dataDir);
    const metrics = createMetrics();
    const database = await openDatabase(config, logger, metrics, overrides, cleanups);
    const clock: Clock = overrides.clock ?? { now: () => new Date() };
    const stores = createStores(database, clock, config.drift.maxDepth, config.routing.maxIndexDepth);
    const services = await createServices(config, logger, database, stores, { clock, metrics }, cleanups);
    const server = await startHttpServer(
      {
        schema: buildSchema(),
        services,
        authenticator: new Authenticator({ adminKey: admin.key, agents: stores.agentStore }),
        logger,
        metrics,
        checkReady: () => stores.storeHealth.ping(),
        limits: config.limits,
        introspection: config.introspection,
        maxSubscriptionsPerConnection: config.broadcast.maxSubscriptionsPerConnection,
        shutdownGraceMs: config.shutdownTimeoutMs,
      },
      config.port,
      config.host,
    );
    cleanups.add(() => server.stop());
    return {
      url: server.url,
      port: server.port,
      neo4jUri: database.uri,
      adminKeyFile: admin.file,
      executor: database.executor,
      embeddings: database.embeddings,
      stop: () => cleanups.runAll(),
    };
  } catch (error) {
    await cleanups.runAll();
    throw error;
  }
}

/**
 * A retention pass without the API (`npm run history:prune`, src/cli/prune-history.ts): the configured database
 * (NEO4J_URI, or the embedded one on the data folder, which must not be in use by a running service) and the
 * retention use-case. No embedding model, no migrations (a database never migrated has no history to prune).
 */
export async function openRetention(config: Config, logger: Logger): Promise<{ retention: RetentionService; stop(): Promise<void> }> {
  const cleanups = new Cleanups(logger);
  try {
    const executor = Neo4jExecutor.create(await neo4jConnection(config, logger, cleanups));
    cleanups.add(() => executor.close());
    await executor.waitUntilReachable(60_000);
    const retention = new RetentionService({ store: new Neo4jRetentionStore(executor), clock: { now: () => new Date() } });
    return { retention, stop: () => cleanups.runAll() };
  } catch (error) {
    await cleanups.runAll();
    throw error;
  }
}

/** What was started, undone in reverse order; a failing step is logged and the rest still run. */
class Cleanups {
  private readonly steps: (() => Promise<void>)[] = [];

  constructor(private readonly logger: Logger) {}

  add(step: () => Promise<void>): void {
    this.steps.push(step);
  }

  async runAll(): Promise<void> {
    for (const step of this.steps.splice(0).reverse()) {
      try {
        await step();
      } catch (error) {
        this.logger.warn({ err: error }, 'error during shutdown');
      }
    }
  }
}

interface Database {
  uri: string;
  executor: Neo4jExecutor;
  embeddings: EmbeddingProvider;
}

/** Step 1: Neo4j (embedded unless NEO4J_URI is set) reachable and migrated, and the embedding model loaded. */
async function openDatabase(config: Config, logger: Logger, metrics: Metrics, overrides: StartOverrides, cleanups: Cleanups) {
  const connection = await neo4jConnection(config, logger, cleanups);
  const executor = Neo4jExecutor.create(connection);
  cleanups.add(() => executor.close());
  executor.onQuery(({ name, mode, durationMs }) => {
    metrics.dbQueries.inc({ statement: name, mode });
    if (durationMs !== undefined) metrics.dbDuration.observe({ statement: name }, durationMs / 1000);
  });
  await executor.waitUntilReachable(60_000);

  const embeddings = overrides.embeddings ?? (await createEmbeddingProvider(embeddingConfig(config, logger)));
  if (!overrides.embeddings) cleanups.add(() => embeddings.close());
  await migrate(executor, embeddings);
  return { uri: connection.uri, executor, embeddings } satisfies Database;
}

async function neo4jConnection(config: Config, logger: Logger, cleanups: Cleanups): Promise<Neo4jConnection> {
  if (config.neo4j.mode === 'external') return config.neo4j;
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
  cleanups.add(() => local.stop());
  logger.info({ uri: local.uri, ms: Date.now() - started }, 'embedded Neo4j ready');
  return {
    uri: local.uri,
    user: 'neo4j',
    password: '',
    database: config.neo4j.database,
    maxRetryMs: config.neo4j.maxRetryMs,
    txTimeoutMs: config.neo4j.txTimeoutMs,
  };
}

type Stores = ReturnType<typeof createStores>;

/** Step 2a: the Neo4j adapters of the ports. */
function createStores({ executor, embeddings }: Database, clock: Clock, stalenessDepth: number, maxIndexDepth: number) {
  const agentStore = new Neo4jAgentStore(executor, clock);
  // Every statement naming a viewer gets its scope (README "Inheritance"); the live-event rule reads the same scopes.
  const agentScopes = new Neo4jAgentScopes(executor);
  executor.useParamsHook(agentScopes.hook);
  const contextStore = new Neo4jContextStore(executor, clock, embeddings.modelId, stalenessDepth);
  const deliveryLog = new Neo4jDeliveryLog(executor, clock, stalenessDepth);
  const driftChecks = new Neo4jDriftChecks(executor, clock, stalenessDepth);
  const storeHealth = new Neo4jStoreHealth(executor);
  const routingStore = new Neo4jRoutingStore(executor, clock, { maxIndexDepth });
  const snapshotStore = new Neo4jSnapshotStore(executor, clock, stalenessDepth);
  const decisionStore = new Neo4jDecisionStore(executor);
  const pastReads = new Neo4jPastReads(executor);
  const retentionStore = new Neo4jRetentionStore(executor);
  return {
    retentionStore,
    agentStore,
    agentScopes,
    contextStore,
    deliveryLog,
    storeHealth,
    routingStore,
    snapshotStore,
    decisionStore,
    pastReads,
    driftChecks,
    pastRoutingStore: new Neo4jPastRoutingStore(executor),
    effectivenessStore: new Neo4jEffectivenessStore(executor),
    consensusStore: new Neo4jConsensusStore(executor, clock),
    workflowStore: new Neo4jWorkflowStore(executor, clock, { embeddingModel: embeddings.modelId, stalenessDepth }),
    policyStore: new Neo4jPolicyStore(executor, clock),
    contextMapStore: new Neo4jContextMapStore(executor, clock),
    quotaLedger: new Neo4jQuotaLedger(executor),
    poolReads: new Neo4jPoolReads(executor, clock),
  };
}

/** Step 2b: the use-cases the resolvers call, and the broadcaster that hears of every write. */
async function createServices(
  config: Config,
  logger: Logger,
  { embeddings }: Database,
  stores: Stores,
  { clock, metrics }: { clock: Clock; metrics: Metrics },
  cleanups: Cleanups,
) {
  const { agentStore, routingStore } = stores;
  const agentProfiles = new AgentProfiles(() => routingStore.agentNeedsProfiles());
  const tokens = createTokenCounter();
  const directory = new AgentDirectory(agentStore);
  const agents = new AgentService(agentStore, embeddings, agentProfiles, directory);
  const { broadcaster, bus } = await startBroadcaster(config, logger, stores, cleanups);
  const { importantBar } = config.broadcast;
  const recipients = new RecipientPlanner({ agents: directory, scopes: stores.agentScopes, policy: { importantBar } });
  const history = startPackageLog(config, logger, stores, directory, { clock, metrics }, cleanups);
  const prefetch = startPrefetch(config, logger, stores, { directory, metrics, log: history.log, router: () => services.router }, cleanups);
  // The router's cache hears of this process's writes at once (see src/app/routing/README.md).
  let onWrite = (_result: WriteResult) => {};
  const services: Services = {
    agents,
    spawn: spawnService(stores, embeddings, agentProfiles, directory, () => services.contexts),
    broadcasts: broadcaster,
    ...contextServices(config, stores, { onWrite: (result) => onWrite(result), recipients, agentProfiles, embeddings, tokens, clock }),
    ...snapshotServices(stores, embeddings, tokens, (result) => onWrite(result)),
    router: createRouter(config, logger, stores, {
      directory,
      agentProfiles,
      embeddings,
      tokens,
      clock,
      onAnswer: answered(history, prefetch),
    }),
    ...history.services,
    quotas: quotaService(stores, directory, clock, metrics),
    // contextFor / searchContext with asOf: the recorded answer (after a flush of the log) or the router's stages as of the seq.
    pastRouting: new PastRoutingService({
      router: () => services.router,
      store: stores.pastRoutingStore,
      pastReads: stores.pastReads,
      point: (rawAsOf) => services.timeTravel.point(rawAsOf),
      loadAgent: (id) => directory.get(id),
      flushLog: () => history.log.flush(),
    }),
    // A pass first writes what this process's package log buffers, so it sees every package answered so far.
    retention: new RetentionService({ store: stores.retentionStore, clock, flushPackages: () => history.log.flush() }),
    validation: startValidationPass(config, logger, stores, broadcaster, clock, cleanups),
    replays: replayService(config, stores, history, { tokens, clock }, () => services),
    ...consensusServices(config, logger, stores, bus, directory, clock, () => services.contexts),
    ...workflowServices(stores, directory, { contexts: () => services.contexts, onWrite: (result) => onWrite(result) }, prefetch),
  };
  onWrite = announceWrites(services, broadcaster, prefetch);
  return services;
}

/** Every answer: the package log records it, and the prefetcher adds it to the agent's past requests. */
function answered(history: { onAnswer: ((answer: DeliveredPackage) => void) | undefined }, prefetch: Pick<Prefetcher, 'heardAnswer'>) {
  return (answer: DeliveredPackage) => {
    history.onAnswer?.(answer);
    prefetch.heardAnswer(answer);
  };
}

/** Every committed write: the router's cache re-checks at once, the broadcaster announces it, the prefetcher hears it. */
function announceWrites(services: Services, broadcaster: Broadcaster, prefetch: Pick<Prefetcher, 'heardWrite'>) {
  return (result: WriteResult) => {
    services.router.noteWrite();
    void broadcaster.publishCommitted(result);
    prefetch.heardWrite(result);
  };
}

/** Token quotas (src/app/quotas): the agent cache forgets an agent whose quota changed. */
function quotaService(stores: Stores, directory: AgentDirectory, clock: Clock, metrics: Metrics) {
  return new TokenQuotas({
    ledger: stores.quotaLedger,
    loadAgent: (id) => directory.get(id),
    forgetAgent: (id) => directory.forget(id),
    clock,
    onRefused: () => metrics.quotaRefusals.inc(),
  });
}

/** replayDecision: the decision's question asked again, as a delivery that passes the agent's token quota. */
function replayService(
  config: Config,
  stores: Stores,
  history: ReturnType<typeof startPackageLog>,
  { tokens, clock }: { tokens: TokenCounter; clock: Clock },
  services: () => Services,
) {
  return new ReplayService({
    decisions: history.decisions,
    store: stores.decisionStore,
    log: history.log,
    contextFor: (viewer, agentId, task, budget, workflowId) =>
      services().quotas.metered(viewer, agentId, budget, true, (granted) =>
        services().router.contextFor(viewer, agentId, task, granted, workflowId),
      ),
    tokens,
    summarizer: config.llm ? createOpenAISummarizer(config.llm) : undefined,
    clock,
    checkAsOf: async (seq) => void (await services().timeTravel.point(seq)),
  });
}

/** Consensus (buildConsensus, resolveConflict) and conflicts (list, escalation feeds, trust and escalation settings). */
function consensusServices(
  config: Config,
  logger: Logger,
  { consensusStore }: Stores,
  bus: MessageBus,
  directory: AgentDirectory,
  clock: Clock,
  contexts: () => ContextService,
) {
  const onError = (error: unknown, what: string) => logger.error({ err: error }, `consensus: ${what}`);
  return {
    consensus: new ConsensusService({
      store: consensusStore,
      contexts: { publish: (...args) => contexts().publish(...args) },
      bus,
      clock,
      defaultEscalationAgents: config.consensus.escalationAgents,
      onError,
    }),
    escalations: new Escalations({ store: consensusStore, bus, agents: directory, onError }),
  };
}

/** The Context Router; without a task, the agent's running step (most recent first), else its needs, stands in. */
function createRouter(
  config: Config,
  logger: Logger,
  stores: Stores,
  deps: Pick<RouterDeps, 'agentProfiles' | 'embeddings' | 'tokens' | 'clock' | 'onAnswer'> & { directory: AgentDirectory },
): ContextRouter {
  const { directory, ...shared } = deps;
  return new ContextRouter({
    ...shared,
    store: stores.routingStore,
    loadAgent: (id) => directory.get(id),
    summarizer: config.llm ? createOpenAISummarizer(config.llm) : undefined,
    onSummarizerError: (error) => logger.warn({ err: error }, 'LLM compression failed; used the extractive summary'),
    settings: { ...DEFAULT_ROUTER_SETTINGS, ...config.routing, staleRouting: config.drift.staleRouting },
    standIn: async (agent, workflowId) =>
      standInTask(agent.needs, await stores.workflowStore.runningStepsOf(agent.id, MAX_RUNNING_STEPS), workflowId),
  });
}

/** Workflows and mandatory publishing; a completion's POLICY_VIOLATION notice is announced like any context write. */
function workflowServices(
  { workflowStore, policyStore, contextMapStore }: Stores,
  directory: AgentDirectory,
  { contexts, onWrite }: { contexts: () => ContextService; onWrite: (result: WriteResult) => void },
  prefetch: Pick<Prefetcher, 'stepStarted' | 'stepCompleted'>,
) {
  return {
    workflows: new WorkflowService({
      store: workflowStore,
      policies: policyStore,
      agents: directory,
      contexts: { prepareForWrite: (...args) => contexts().prepareForWrite(...args) },
      onWrite,
      onStepStarted: (step) => prefetch.stepStarted(step),
      onStepCompleted: (step) => prefetch.stepCompleted(step),
      // Step failures for the Context Map, each recorded in a write of its own after the step's transaction.
      failures: new StepFailureTracker({ recorder: contextMapStore, completionInputs: (ref) => workflowStore.completionInputs(ref) }),
    }),
    policies: new PolicyService({ store: policyStore, workflows: workflowStore, agents: directory }),
  };
}

/** Prefetch (README "Prefetch", src/app/routing/prefetch.ts): the next steps' packages computed in the background. */
function startPrefetch(
  config: Config,
  logger: Logger,
  { workflowStore, contextStore, decisionStore }: Stores,
  deps: { directory: AgentDirectory; metrics: Metrics; log: PackageLog; router: () => ContextRouter },
  cleanups: Cleanups,
): Prefetcher {
  const { metrics } = deps;
  const prefetcher = new Prefetcher({
    router: deps.router,
    workflows: workflowStore,
    agents: deps.directory,
    contexts: contextStore,
    packages: decisionStore,
    settings: { ...DEFAULT_PREFETCH_SETTINGS, enabled: config.routing.prefetch.enabled, maxShare: config.routing.prefetch.maxShare },
    onEvent: (event) => metrics.prefetches.inc({ event }),
    onBacklog: (size) => metrics.prefetchBacklog.set(size),
    log: { debug: (message, detail) => logger.debug(detail, message), warn: (message, detail) => logger.warn(detail, message) },
  });
  cleanups.add(() => prefetcher.stop());
  return prefetcher;
}

/** Drift's periodic validation pass (VALIDATION_INTERVAL_MS; 0 = only when an admin asks, validateContexts). */
function startValidationPass(
  config: Config,
  logger: Logger,
  { driftChecks }: Stores,
  broadcaster: Broadcaster,
  clock: Clock,
  cleanups: Cleanups,
) {
  const pass = new ValidationPass({
    checks: driftChecks,
    broadcaster,
    decay: config.drift.decay,
    now: () => clock.now(),
    onError: (error, what) => logger.error({ err: error }, `drift: ${what}`),
  });
  if (config.drift.validationIntervalMs > 0) {
    const stop = pass.start(config.drift.validationIntervalMs);
    cleanups.add(async () => stop());
  }
  return pass;
}

/** Snapshots and rollback; a rollback is announced like any context write (the broadcaster and the router's cache hear it at once). */
function snapshotServices(
  { snapshotStore, contextStore, retentionStore }: Stores,
  embeddings: EmbeddingProvider,
  tokens: TokenCounter,
  onWrite: (result: WriteResult) => void,
) {
  return {
    snapshots: new SnapshotService(snapshotStore, () => retentionStore.horizon()),
    rollback: new RollbackService({ store: snapshotStore, contexts: contextStore, embeddings, tokens, onWrite }),
  };
}

/** spawnAgent (README "Inheritance"): the child's override contexts go through the ordinary publish path. */
function spawnService(
  { agentStore, agentScopes }: Stores,
  embeddings: EmbeddingProvider,
  profiles: AgentProfiles,
  directory: AgentDirectory,
  contexts: () => ContextService,
) {
  const publishMany: ContextService['publishMany'] = (...args) => contexts().publishMany(...args);
  return new SpawnService({ agents: agentStore, embeddings, profiles, directory, contexts: { publishMany }, scopes: agentScopes });
}

/** Reading and writing contexts now, and reading them as of an event seq (the same depth rule for both). */
function contextServices(
  config: Config,
  { contextStore, pastReads, retentionStore }: Stores,
  deps: Omit<ConstructorParameters<typeof ContextService>[0], 'store' | 'maxDependencyDepth'>,
) {
  const contexts = new ContextService({ ...deps, store: contextStore, maxDependencyDepth: config.limits.maxDependencyDepth });
  const timeTravel = new TimeTravelService({
    reads: pastReads,
    depth: (raw, argument) => contexts.depth(raw, argument),
    prunedHorizon: () => retentionStore.horizon(),
  });
  return { contexts, timeTravel };
}

/** The write-behind log of contextFor answers (src/app/history/package-log.ts), flushed at shutdown. */
function startPackageLog(
  config: Config,
  logger: Logger,
  stores: Stores,
  directory: AgentDirectory,
  { clock, metrics }: { clock: Clock; metrics: Metrics },
  cleanups: Cleanups,
) {
  const { decisionStore } = stores;
  const log = new PackageLog(
    decisionStore,
    clock,
    config.packageLog,
    (error) => logger.error({ err: error }, 'package log: a batch was not written'),
    (answer) => metrics.deliveredTokens.inc(answer.pkg.tokens),
    new PoolTokens((agentId, workflowId) => stores.poolReads.poolTokens(agentId, workflowId)),
  );
  cleanups.add(() => log.close());
  const record = (answer: DeliveredPackage) =>
    log.record({
      id: answer.id,
      agentId: answer.agentId,
      pkg: answer,
      workflowId: answer.workflowId,
      validAt: answer.validAt,
      cached: answer.cached,
      coalesced: answer.coalesced,
      prefetched: answer.prefetched ?? false,
    });
  const onAnswer = config.packageLog.record ? record : undefined;
  const loadAgent = (id: string) => directory.get(id);
  const decisions = new DecisionService({ log, packages: decisionStore, store: decisionStore, loadAgent, clock });
  const contextMap = new ContextMapService({
    store: stores.contextMapStore,
    agents: { list: (limit) => stores.agentStore.list(limit), getMany: (ids) => directory.getMany(ids) },
    workflows: stores.workflowStore,
    log,
  });
  return {
    log,
    onAnswer,
    decisions,
    services: { decisions, contextMap, effectiveness: effectivenessService(stores, log, clock, metrics) },
  };
}

/** feedback and meshStats (src/app/effectiveness/): feedback counted by used/useful, no per-agent label. */
function effectivenessService({ effectivenessStore, decisionStore }: Stores, log: PackageLog, clock: Clock, metrics: Metrics) {
  return new EffectivenessService({
    store: effectivenessStore,
    packages: decisionStore,
    log,
    clock,
    onFeedback: (feedback) =>
      metrics.feedback.inc({ used: String(feedback.used), useful: feedback.useful === null ? 'unknown' : String(feedback.useful) }),
  });
}

/** The message bus (Redis or in-process), the broadcaster on it, and its expiry sweeper. */
async function startBroadcaster(config: Config, logger: Logger, { deliveryLog, contextStore, agentScopes }: Stores, cleanups: Cleanups) {
  const bus = await createMessageBus(config.broadcast.redisUrl, logger);
  cleanups.add(() => bus.close());
  const broadcaster = new Broadcaster({
    log: deliveryLog,
    contexts: contextStore,
    scopes: agentScopes,
    bus,
    onError: (error, what) => logger.error({ err: error }, `broadcast: ${what}`),
  });
  if (config.broadcast.expirySweepMs > 0) {
    const stopSweeper = broadcaster.startExpirySweeper(config.broadcast.expirySweepMs);
    cleanups.add(async () => stopSweeper());
  }
  return { broadcaster, bus };
}

function embeddingConfig(config: Config, logger: Logger) {
  const e = config.embeddings;
  // The first start fetches the local model from Maven Central; say so in the log.
  if (e.provider === 'local') return { ...e, log: (message: string) => logger.info({ embeddings: message }) };
  const { dimensions, ...rest } = e;
  return dimensions === undefined ? rest : { ...rest, dimensions };
}
