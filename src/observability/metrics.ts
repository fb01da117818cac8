import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics served on /metrics. One registry per server, so tests can run several. */
export interface Metrics {
  registry: Registry;
  dbQueries: Counter<'statement' | 'mode'>;
  dbDuration: Histogram<'statement'>;
  graphqlRequests: Counter<'operation' | 'outcome'>;
  graphqlDuration: Histogram<'operation'>;
  /** Feedback given; labels are booleans ('unknown' when useful was not said), so the set stays bounded. No per-agent label. */
  feedback: Counter<'used' | 'useful'>;
  /** Tokens of every package recorded as delivered (contextFor answers, cache hits and replays). */
  deliveredTokens: Counter;
  /** contextFor requests refused with QUOTA_EXCEEDED (no per-agent label: tokenUsage has the per-agent numbers). */
  quotaRefusals: Counter;
  /** Prefetches (README "Prefetch") by event: computed, served, discarded (gone unserved), dropped (queue full), failed. */
  prefetches: Counter<'event'>;
  /** Prefetch work waiting or running (debounced triggers, queued jobs, the running one): 0 when idle. */
  prefetchBacklog: Gauge;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'context_mesh_' });
  return {
    registry,
    dbQueries: new Counter({
      name: 'context_mesh_db_queries_total',
      help: 'Cypher statements sent to Neo4j, by statement name',
      labelNames: ['statement', 'mode'],
      registers: [registry],
    }),
    dbDuration: new Histogram({
      name: 'context_mesh_db_statement_duration_seconds',
      help: 'Time of each Cypher statement until all its rows arrived, by statement name',
      labelNames: ['statement'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    graphqlRequests: new Counter({
      name: 'context_mesh_graphql_requests_total',
      help: 'GraphQL operations by outcome',
      labelNames: ['operation', 'outcome'],
      registers: [registry],
    }),
    graphqlDuration: new Histogram({
      name: 'context_mesh_graphql_duration_seconds',
      help: 'GraphQL operation duration',
      labelNames: ['operation'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    feedback: new Counter({
      name: 'context_mesh_feedback_total',
      help: 'Feedback given on delivered contexts, by used and useful (true, false, unknown)',
      labelNames: ['used', 'useful'],
      registers: [registry],
    }),
    deliveredTokens: new Counter({
      name: 'context_mesh_delivered_tokens_total',
      help: 'Tokens of the packages handed to agents (items plus summary), cache hits included',
      registers: [registry],
    }),
    quotaRefusals: new Counter({
      name: 'context_mesh_quota_refusals_total',
      help: 'contextFor requests refused because the agent had spent its token quota for the period (QUOTA_EXCEEDED)',
      registers: [registry],
    }),
    prefetches: new Counter({
      name: 'context_mesh_prefetches_total',
      help: 'Prefetched packages by event: computed, served (first serve), discarded (invalidated, expired or evicted unserved), dropped (queue full), failed',
      labelNames: ['event'],
      registers: [registry],
    }),
    prefetchBacklog: new Gauge({
      name: 'context_mesh_prefetch_backlog',
      help: 'Prefetch work waiting or running (debounced triggers, queued jobs, the running job); 0 when idle',
      registers: [registry],
    }),
  };
}
