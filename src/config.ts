import path from 'node:path';
import { z } from 'zod';
import { DEFAULT_WEIGHTS } from './domain/routing/scoring.js';
import type { ScoreWeights } from './domain/routing/types.js';
import { parseHalfLives, type ConfidenceDecayPolicy, type StaleRoutingPolicy } from './domain/staleness.js';
import { CONTEXT_TYPES } from './domain/types.js';
import { DEFAULT_LOCAL_MODEL, LOCAL_MODEL_NAMES, type LocalModelName } from './adapters/embeddings/local-provider.js';

/**
 * Every setting the service reads, validated once at start-up. Nothing else in
 * the code reads `process.env`. Each entry documents its default and why.
 */
const optionalString = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value));

const intInRange = (min: number, max: number, fallback: number) => z.coerce.number().int().min(min).max(max).default(fallback);

const booleanFlag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .default(fallback ? 'true' : 'false')
    .transform((value) => value === 'true' || value === '1' || value === 'yes');

const envSchema = z.object({
  /** HTTP and WebSocket port. 4000, Apollo's customary default. */
  PORT: intInRange(0, 65535, 4000),
  /** Interface to listen on. Loopback by default so a laptop does not expose the mesh; containers set 0.0.0.0. */
  HOST: z.string().min(1).default('127.0.0.1'),
  /** Folder for the embedded Neo4j store and the generated admin key. */
  CONTEXT_MESH_DATA_DIR: z.string().min(1).default('.data'),
  /** Admin key; generated and stored under the data folder when unset. At least 24 characters. */
  CONTEXT_MESH_ADMIN_KEY: optionalString.pipe(z.string().min(24, 'must be at least 24 characters').optional()),
  /** External Neo4j (bolt://, neo4j://, neo4j+s://). When unset, an embedded Neo4j is started. */
  NEO4J_URI: optionalString.pipe(
    z
      .string()
      .regex(/^(bolt|neo4j)(\+s|\+ssc)?:\/\/.+/, 'must be a bolt:// or neo4j:// URI')
      .optional(),
  ),
  NEO4J_USER: z.string().default('neo4j'),
  NEO4J_PASSWORD: z.string().default(''),
  /** Database name; passing it explicitly saves the driver a round trip per transaction. */
  NEO4J_DATABASE: z.string().min(1).default('neo4j'),
  /** How long the driver retries a transaction on transient failures before DATABASE_UNAVAILABLE (driver default 30 s). */
  NEO4J_MAX_RETRY_MS: intInRange(0, 300_000, 30_000),
  /** Longest one transaction may run before Neo4j aborts it (default 30 s): a runaway statement fails instead of holding locks. */
  NEO4J_TX_TIMEOUT_MS: intInRange(1, 600_000, 30_000),
  /** Bolt port of the embedded Neo4j; 0 picks a free one. */
  NEO4J_LOCAL_PORT: intInRange(0, 65535, 0),
  NEO4J_LOCAL_HEAP_MB: intInRange(256, 65536, 768),
  NEO4J_LOCAL_PAGECACHE_MB: intInRange(16, 65536, 256),
  /** JDK for the embedded Neo4j; defaults to JAVA_HOME or `java` on PATH. */
  NEO4J_LOCAL_JAVA_HOME: optionalString,
  /** `local` (offline model in a worker thread) or `openai` (any OpenAI-compatible endpoint). */
  EMBEDDINGS_PROVIDER: z.enum(['local', 'openai']).default('local'),
  /** Offline model for `local`: all-MiniLM-L6-v2 (384-d, best measured, from Maven Central) or USE-lite (512-d, npm only). */
  EMBEDDINGS_LOCAL_MODEL: z.enum(LOCAL_MODEL_NAMES).default(DEFAULT_LOCAL_MODEL),
  EMBEDDINGS_BASE_URL: optionalString.pipe(z.url().optional()),
  EMBEDDINGS_API_KEY: optionalString,
  EMBEDDINGS_MODEL: optionalString,
  EMBEDDINGS_DIMENSIONS: z.coerce.number().int().min(1).max(4096).optional(),
  /** Relevance weights, e.g. `semantic=0.4,needs=0.2`; unnamed parts keep their defaults; normalised to sum 1. */
  ROUTING_WEIGHTS: optionalString,
  /** Recency halves every this many hours. */
  ROUTING_RECENCY_HALF_LIFE_HOURS: z.coerce.number().positive().max(100_000).default(24),
  /** Cosine at or above which two contexts count as near-duplicates. */
  ROUTING_DUPLICATE_SIMILARITY: z.coerce.number().min(0.5).max(1).default(0.92),
  ROUTING_MAX_INDEX_DEPTH: intInRange(100, 1_000_000, 4_000),
  ROUTING_CACHE_SIZE: intInRange(0, 100_000, 500),
  ROUTING_CACHE_MAX_AGE_MS: intInRange(0, 86_400_000, 60_000),
  /** A cached package re-checks the database at most this often; writes through this process are seen at once. */
  ROUTING_CACHE_RECHECK_MS: intInRange(0, 60_000, 50),
  /** Prefetch (README "Prefetch"): precompute the packages the next workflow steps' agents will ask for, in the background. */
  PREFETCH: z.enum(['on', 'off']).default('on'),
  /** A prefetched package may be served this long after it was computed (still under the cache's validity rule). */
  PREFETCH_MAX_AGE_MS: intInRange(0, 86_400_000, 300_000),
  /** A prefetch stage starts only once no contextFor has been in progress for this long (low priority). */
  PREFETCH_QUIET_MS: intInRange(0, 60_000, 50),
  /** Share of wall time prefetch computations may take (0.01..1). */
  PREFETCH_MAX_SHARE: z.coerce.number().min(0.01).max(1).default(0.2),
  /** IMPORTANT contexts are broadcast only where relevance clears this bar (CRITICAL: the agent's threshold). */
  BROADCAST_IMPORTANT_BAR: z.coerce.number().min(0).max(1).default(0.6),
  /** Redis for live fan-out across API processes; unset = in-process (one process). */
  REDIS_URL: optionalString.pipe(
    z
      .string()
      .regex(/^rediss?:\/\/.+/, 'must be a redis:// or rediss:// URL')
      .optional(),
  ),
  /** How often each process looks for contexts that expired, to announce them (contextChanged: EXPIRED). 0 = never. */
  EXPIRY_SWEEP_MS: intInRange(0, 3_600_000, 5_000),
  /** Recorded contextFor answers are written in batches: at most this long after the answer (ms)… */
  PACKAGE_LOG_FLUSH_MS: intInRange(1, 60_000, 50),
  /** …or as soon as this many answers wait. */
  PACKAGE_LOG_BATCH: intInRange(1, 10_000, 200),
  /** Subscriptions one WebSocket connection may hold. */
  WS_MAX_SUBSCRIPTIONS: intInRange(1, 1000, 20),
  /** How searchContext fuses vector, fulltext and graph lists (measured in docs/benchmarks.md). */
  SEARCH_FUSION: z.enum(['rrf', 'weighted']).default('weighted'),
  /** Drift: dependency hops staleness follows from a context that stopped holding. */
  STALENESS_MAX_DEPTH: intInRange(1, 100, 20),
  /** How contextFor treats stale contexts: `demote` (score × STALE_DEMOTION) or `drop` (reported as STALE). */
  STALE_ROUTING: z.enum(['demote', 'drop']).default('demote'),
  STALE_DEMOTION: z.coerce.number().min(0).max(1).default(0.5),
  /** How often the validation pass re-checks active contexts (dependencies, confidence decay). 0 = never. */
  VALIDATION_INTERVAL_MS: intInRange(0, 86_400_000, 60_000),
  /** Consensus: agents a conflict is escalated to when no setEscalation rule matches (comma-separated ids); unset = admins only. */
  CONSENSUS_ESCALATION_AGENTS: optionalString.pipe(
    z
      .string()
      .regex(/^\s*[A-Za-z0-9_.:-]{1,64}(\s*,\s*[A-Za-z0-9_.:-]{1,64})*\s*$/, 'must be agent ids separated by commas')
      .optional(),
  ),
  /** Confidence half-life per type, in hours, e.g. `FINDING=168,OUTPUT=720`; types not named do not decay. */
  CONFIDENCE_HALF_LIFE_HOURS: optionalString,
  /** Decayed confidence below which the validation pass marks a context stale (CONFIDENCE_DECAYED). */
  CONFIDENCE_FLOOR: z.coerce.number().min(0).max(1).default(0.2),
  /** Optional language model for compressing what does not fit a budget (OpenAI-compatible); extractive when unset. */
  LLM_BASE_URL: optionalString.pipe(z.url().optional()),
  LLM_API_KEY: optionalString,
  LLM_MODEL: optionalString,
  LLM_TIMEOUT_MS: intInRange(100, 300_000, 15_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** GraphQL limits (graphql-armor); they also apply over WebSocket. */
  GRAPHQL_MAX_DEPTH: intInRange(2, 50, 12),
  GRAPHQL_MAX_ALIASES: intInRange(1, 1000, 30),
  GRAPHQL_MAX_COST: intInRange(100, 1_000_000, 20_000),
  GRAPHQL_MAX_TOKENS: intInRange(100, 100_000, 5_000),
  GRAPHQL_INTROSPECTION: booleanFlag(true),
  /** Deepest `dependencies(depth)` / `dependencyGraph(depth)` traversal allowed. */
  MAX_DEPENDENCY_DEPTH: intInRange(1, 20, 6),
  /** How long shutdown waits for in-flight requests and open sockets before closing connections. */
  SHUTDOWN_TIMEOUT_MS: intInRange(0, 120_000, 10_000),
  /**
   * Shut down when the parent process exits. `auto` (the default): when started by an npm script,
   * whose shell dies of a signal npm forwards and would leave the service orphaned; a service
   * started by a plain shell or `nohup` keeps running when that shell exits.
   */
  EXIT_WITH_PARENT: z.enum(['auto', 'true', 'false']).default('auto'),
});

export type Env = z.infer<typeof envSchema>;

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  adminKey: string | undefined;
  neo4j:
    | { mode: 'external'; uri: string; user: string; password: string; database: string; maxRetryMs: number; txTimeoutMs: number }
    | {
        mode: 'embedded';
        port: number;
        heapMb: number;
        pageCacheMb: number;
        javaHome: string | undefined;
        database: string;
        maxRetryMs: number;
        txTimeoutMs: number;
      };
  embeddings:
    | { provider: 'local'; model: LocalModelName }
    | { provider: 'openai'; baseURL: string; apiKey: string; model: string; dimensions: number | undefined };
  routing: {
    weights: ScoreWeights;
    recencyHalfLifeHours: number;
    duplicateSimilarity: number;
    /** Hits asked of a crowded index before an exact scan takes over (routing-store.ts `readDeeper`). */
    maxIndexDepth: number;
    cache: { maxEntries: number; maxAgeMs: number; recheckMs: number };
    searchFusion: 'rrf' | 'weighted';
    prefetch: { enabled: boolean; maxAgeMs: number; quietMs: number; maxShare: number };
  };
  llm: { baseURL: string; apiKey: string; model: string; timeoutMs: number } | null;
  broadcast: { importantBar: number; redisUrl: string | undefined; maxSubscriptionsPerConnection: number; expirySweepMs: number };
  /** `record` is always true from the environment; only benchmarks turn it off, to measure what recording costs. */
  packageLog: { flushMs: number; maxBatch: number; record: boolean };
  drift: { maxDepth: number; staleRouting: StaleRoutingPolicy; validationIntervalMs: number; decay: ConfidenceDecayPolicy };
  /** Default escalation agents of conflicts (src/app/consensus/). */
  consensus: { escalationAgents: string[] };
  logLevel: Env['LOG_LEVEL'];
  limits: { maxDepth: number; maxAliases: number; maxCost: number; maxTokens: number; maxDependencyDepth: number };
  introspection: boolean;
  shutdownTimeoutMs: number;
  exitWithParent: boolean;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Parses the environment; throws a ConfigError naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const parsed = envSchema.safeParse(env);
  // Cross-variable rules run even when a field failed, so one start reports every problem.
  const issues: z.core.$ZodIssue[] = parsed.success ? [] : [...parsed.error.issues];
  const crossIssue = (key: string, message: string) => issues.push({ code: 'custom', path: [key], message, input: undefined });
  if (env['EMBEDDINGS_PROVIDER'] === 'openai') {
    for (const key of ['EMBEDDINGS_BASE_URL', 'EMBEDDINGS_MODEL']) {
      if (!env[key]?.trim()) crossIssue(key, 'required when EMBEDDINGS_PROVIDER=openai');
    }
  }
  if (env['LLM_BASE_URL']?.trim() && !env['LLM_MODEL']?.trim()) crossIssue('LLM_MODEL', 'required when LLM_BASE_URL is set');
  const weights = parseWeights(env['ROUTING_WEIGHTS']);
  if (typeof weights === 'string') crossIssue('ROUTING_WEIGHTS', weights);
  const halfLives = parseHalfLives(env['CONFIDENCE_HALF_LIFE_HOURS'], CONTEXT_TYPES);
  if (typeof halfLives === 'string') crossIssue('CONFIDENCE_HALF_LIFE_HOURS', halfLives);
  if (!parsed.success || typeof weights === 'string' || typeof halfLives === 'string' || issues.length > 0) {
    throw new ConfigError(`Invalid configuration:\n${z.prettifyError(new z.ZodError(issues))}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(cwd, e.CONTEXT_MESH_DATA_DIR),
    adminKey: e.CONTEXT_MESH_ADMIN_KEY,
    neo4j: neo4jConfig(e),
    embeddings: embeddingsConfig(e),
    routing: routingConfig(e, weights),
    llm:
      e.LLM_BASE_URL && e.LLM_MODEL
        ? { baseURL: e.LLM_BASE_URL, apiKey: e.LLM_API_KEY ?? '', model: e.LLM_MODEL, timeoutMs: e.LLM_TIMEOUT_MS }
        : null,
    broadcast: {
      importantBar: e.BROADCAST_IMPORTANT_BAR,
      redisUrl: e.REDIS_URL,
      maxSubscriptionsPerConnection: e.WS_MAX_SUBSCRIPTIONS,
      expirySweepMs: e.EXPIRY_SWEEP_MS,
    },
    packageLog: { flushMs: e.PACKAGE_LOG_FLUSH_MS, maxBatch: e.PACKAGE_LOG_BATCH, record: true },
    drift: driftConfig(e, halfLives),
    consensus: { escalationAgents: (e.CONSENSUS_ESCALATION_AGENTS ?? '').split(',').flatMap((id) => (id.trim() ? [id.trim()] : [])) },
    logLevel: e.LOG_LEVEL,
    limits: {
      maxDepth: e.GRAPHQL_MAX_DEPTH,
      maxAliases: e.GRAPHQL_MAX_ALIASES,
      maxCost: e.GRAPHQL_MAX_COST,
      maxTokens: e.GRAPHQL_MAX_TOKENS,
      maxDependencyDepth: e.MAX_DEPENDENCY_DEPTH,
    },
    introspection: e.GRAPHQL_INTROSPECTION,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    // npm sets npm_lifecycle_event for the scripts it runs.
    exitWithParent: e.EXIT_WITH_PARENT === 'true' || (e.EXIT_WITH_PARENT === 'auto' && env['npm_lifecycle_event'] !== undefined),
  };
}

function routingConfig(e: Env, weights: Config['routing']['weights']): Config['routing'] {
  return {
    weights,
    recencyHalfLifeHours: e.ROUTING_RECENCY_HALF_LIFE_HOURS,
    duplicateSimilarity: e.ROUTING_DUPLICATE_SIMILARITY,
    maxIndexDepth: e.ROUTING_MAX_INDEX_DEPTH,
    cache: { maxEntries: e.ROUTING_CACHE_SIZE, maxAgeMs: e.ROUTING_CACHE_MAX_AGE_MS, recheckMs: e.ROUTING_CACHE_RECHECK_MS },
    searchFusion: e.SEARCH_FUSION,
    prefetch: {
      enabled: e.PREFETCH === 'on',
      maxAgeMs: e.PREFETCH_MAX_AGE_MS,
      quietMs: e.PREFETCH_QUIET_MS,
      maxShare: e.PREFETCH_MAX_SHARE,
    },
  };
}

function driftConfig(e: Env, halfLifeHours: ConfidenceDecayPolicy['halfLifeHours']): Config['drift'] {
  return {
    maxDepth: e.STALENESS_MAX_DEPTH,
    staleRouting: e.STALE_ROUTING === 'drop' ? { mode: 'drop' } : { mode: 'demote', factor: e.STALE_DEMOTION },
    validationIntervalMs: e.VALIDATION_INTERVAL_MS,
    decay: { halfLifeHours, floor: e.CONFIDENCE_FLOOR },
  };
}

function neo4jConfig(e: Env): Config['neo4j'] {
  const shared = { database: e.NEO4J_DATABASE, maxRetryMs: e.NEO4J_MAX_RETRY_MS, txTimeoutMs: e.NEO4J_TX_TIMEOUT_MS };
  if (e.NEO4J_URI) return { mode: 'external', uri: e.NEO4J_URI, user: e.NEO4J_USER, password: e.NEO4J_PASSWORD, ...shared };
  return {
    mode: 'embedded',
    port: e.NEO4J_LOCAL_PORT,
    heapMb: e.NEO4J_LOCAL_HEAP_MB,
    pageCacheMb: e.NEO4J_LOCAL_PAGECACHE_MB,
    javaHome: e.NEO4J_LOCAL_JAVA_HOME,
    ...shared,
  };
}

function embeddingsConfig(e: Env): Config['embeddings'] {
  if (e.EMBEDDINGS_PROVIDER === 'local') return { provider: 'local', model: e.EMBEDDINGS_LOCAL_MODEL };
  return {
    provider: 'openai',
    baseURL: e.EMBEDDINGS_BASE_URL ?? '',
    apiKey: e.EMBEDDINGS_API_KEY ?? '',
    model: e.EMBEDDINGS_MODEL ?? '',
    dimensions: e.EMBEDDINGS_DIMENSIONS,
  };
}

/** `semantic=0.4,needs=0.2` → weights (others default), or a message saying what is wrong. */
function parseWeights(raw: string | undefined): ScoreWeights | string {
  if (!raw?.trim()) return DEFAULT_WEIGHTS;
  const weights: ScoreWeights = { ...DEFAULT_WEIGHTS };
  for (const part of raw.split(',')) {
    const [name, value] = part.split('=').map((piece) => piece.trim());
    if (!name || !(name in weights)) return `unknown part "${name ?? ''}" (expected ${Object.keys(DEFAULT_WEIGHTS).join(', ')})`;
    const number = Number(value);
    if (!Number.isFinite(number) || number < 0 || number > 100) return `${name} must be a number from 0 to 100`;
    weights[name as keyof ScoreWeights] = number;
  }
  return Object.values(weights).some((w) => w > 0) ? weights : 'at least one weight must be positive';
}
