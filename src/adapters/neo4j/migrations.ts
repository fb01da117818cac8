import { cypher, type Cypher } from './cypher.js';
import type { EmbeddingProvider } from '../../domain/ports.js';
import { int, type Neo4jExecutor, type Statement } from './executor.js';

/** Names of the search indexes; the routing code queries them by name. */
export const VECTOR_INDEX = cypher`context_embedding`;
export const FULLTEXT_INDEX = cypher`context_text`;
/** The texts of every version, for fulltext candidates as of a seq (routing and search with `asOf`). */
export const VERSION_FULLTEXT_INDEX = cypher`context_version_text`;
/** The embeddings versions keep (where their text changed), for vector candidates as of a seq. */
export const VERSION_VECTOR_INDEX = cypher`context_version_embedding`;

const schemaStatement = (name: string, text: Cypher | string): Statement => ({ name, cypher: text });

/** Idempotent schema statements (IF NOT EXISTS): safe to run at every start. */
const SCHEMA: Statement[] = [
  schemaStatement('constraintContextId', 'CREATE CONSTRAINT context_id IF NOT EXISTS FOR (c:Context) REQUIRE c.id IS UNIQUE'),
  schemaStatement('constraintAgentId', 'CREATE CONSTRAINT agent_id IF NOT EXISTS FOR (a:Agent) REQUIRE a.id IS UNIQUE'),
  schemaStatement('constraintAgentKey', 'CREATE CONSTRAINT agent_key IF NOT EXISTS FOR (a:Agent) REQUIRE a.apiKeyHash IS UNIQUE'),
  schemaStatement(
    'constraintIdempotencyKey',
    'CREATE CONSTRAINT idempotency_key IF NOT EXISTS FOR (r:IdempotencyKey) REQUIRE r.key IS UNIQUE',
  ),
  schemaStatement('constraintCounterName', 'CREATE CONSTRAINT counter_name IF NOT EXISTS FOR (k:Counter) REQUIRE k.name IS UNIQUE'),
  schemaStatement('constraintEventSeq', 'CREATE CONSTRAINT event_seq IF NOT EXISTS FOR (e:Event) REQUIRE e.seq IS UNIQUE'),
  schemaStatement(
    'constraintDeliveryAgentSeq',
    'CREATE CONSTRAINT delivery_agent_seq IF NOT EXISTS FOR (d:Delivery) REQUIRE (d.agentId, d.seq) IS UNIQUE',
  ),
  schemaStatement('constraintSnapshotId', 'CREATE CONSTRAINT snapshot_id IF NOT EXISTS FOR (s:Snapshot) REQUIRE s.id IS UNIQUE'),
  schemaStatement(
    'constraintRoutedPackageId',
    'CREATE CONSTRAINT routed_package_id IF NOT EXISTS FOR (r:RoutedPackage) REQUIRE r.id IS UNIQUE',
  ),
  schemaStatement(
    'constraintPackageBodyHash',
    'CREATE CONSTRAINT package_body_hash IF NOT EXISTS FOR (b:PackageBody) REQUIRE b.hash IS UNIQUE',
  ),
  // Token quotas: one ledger node per agent and window (LOCK_TOKEN_USAGE merges on the pair).
  schemaStatement(
    'constraintTokenUsageWindow',
    'CREATE CONSTRAINT token_usage_window IF NOT EXISTS FOR (u:TokenUsage) REQUIRE (u.agentId, u.windowStart) IS UNIQUE',
  ),
  // The Context Map's step failures: merged by id (a retried record adds nothing), read by workflow.
  schemaStatement('constraintStepFailureId', 'CREATE CONSTRAINT step_failure_id IF NOT EXISTS FOR (f:StepFailure) REQUIRE f.id IS UNIQUE'),
  schemaStatement(
    'indexStepFailureWorkflow',
    'CREATE INDEX step_failure_workflow IF NOT EXISTS FOR (f:StepFailure) ON (f.workflowId, f.at)',
  ),
  schemaStatement('constraintDecisionId', 'CREATE CONSTRAINT decision_id IF NOT EXISTS FOR (d:Decision) REQUIRE d.id IS UNIQUE'),
  schemaStatement(
    'indexRoutedPackageAgentAt',
    'CREATE RANGE INDEX routed_package_agent_at IF NOT EXISTS FOR (r:RoutedPackage) ON (r.agentId, r.at)',
  ),
  schemaStatement('indexDecisionAgentAt', 'CREATE RANGE INDEX decision_agent_at IF NOT EXISTS FOR (d:Decision) ON (d.agentId, d.at)'),
  // feedback: one per (package, context), so a repeated word replaces the earlier (MERGE on the pair).
  schemaStatement(
    'constraintFeedbackPackageContext',
    'CREATE CONSTRAINT feedback_package_context IF NOT EXISTS FOR (f:Feedback) REQUIRE (f.packageId, f.contextId) IS UNIQUE',
  ),
  // meshStats over every agent reads the packages of a time range newest first.
  schemaStatement('indexRoutedPackageAt', 'CREATE RANGE INDEX routed_package_at IF NOT EXISTS FOR (r:RoutedPackage) ON (r.at)'),
  schemaStatement('constraintTopicKey', 'CREATE CONSTRAINT topic_key IF NOT EXISTS FOR (t:Topic) REQUIRE t.key IS UNIQUE'),
  schemaStatement('indexContextWorkflow', 'CREATE RANGE INDEX context_workflow IF NOT EXISTS FOR (c:Context) ON (c.workflowId)'),
  schemaStatement('indexContextExpiresAt', 'CREATE RANGE INDEX context_expires_at IF NOT EXISTS FOR (c:Context) ON (c.expiresAt)'),
  schemaStatement('indexContextCreatedSeq', 'CREATE RANGE INDEX context_created_seq IF NOT EXISTS FOR (c:Context) ON (c.createdSeq)'),
  // The `contexts` page of given workflows walks each one newest first (CONTEXTS_PAGE_IN_WORKFLOWS).
  schemaStatement(
    'indexContextWorkflowCreatedSeq',
    'CREATE RANGE INDEX context_workflow_created_seq IF NOT EXISTS FOR (c:Context) ON (c.workflowId, c.createdSeq)',
  ),
  schemaStatement('indexContextCreatedAt', 'CREATE RANGE INDEX context_created_at IF NOT EXISTS FOR (c:Context) ON (c.createdAt)'),
  schemaStatement('indexContextStatus', 'CREATE RANGE INDEX context_status IF NOT EXISTS FOR (c:Context) ON (c.status)'),
  schemaStatement('indexContextSource', 'CREATE RANGE INDEX context_source IF NOT EXISTS FOR (c:Context) ON (c.sourceAgentId)'),
  schemaStatement('indexContextType', 'CREATE RANGE INDEX context_type IF NOT EXISTS FOR (c:Context) ON (c.type)'),
  // Past reads walk the versions up to a seq (candidates by tag, explicit relevance, dependents); the backfill pages by it.
  schemaStatement('indexVersionSeq', 'CREATE RANGE INDEX version_seq IF NOT EXISTS FOR (v:ContextVersion) ON (v.seq)'),
  schemaStatement(
    'indexVersionContext',
    'CREATE RANGE INDEX version_context IF NOT EXISTS FOR (v:ContextVersion) ON (v.contextId, v.version)',
  ),
  // The package cache ends an answer's life when a context not yet valid starts to be (nextValidityStart).
  schemaStatement('indexContextValidFrom', 'CREATE RANGE INDEX context_valid_from IF NOT EXISTS FOR (c:Context) ON (c.validFrom)'),
  // Drift tells the agents a stale context was broadcast to; the validation pass finds stale ones.
  schemaStatement('indexDeliveryContext', 'CREATE RANGE INDEX delivery_context IF NOT EXISTS FOR (d:Delivery) ON (d.contextId)'),
  schemaStatement('indexContextStaleReason', 'CREATE RANGE INDEX context_stale_reason IF NOT EXISTS FOR (c:Context) ON (c.staleReason)'),
  // seqAt(time) and the time of a seq (expiry as of a point) look events up by time and by seq (the unique constraint indexes seq).
  schemaStatement('indexEventAt', 'CREATE RANGE INDEX event_at IF NOT EXISTS FOR (e:Event) ON (e.at)'),
  // Consensus (src/app/consensus/): findings by claim, conflicts by id and claim, each agent's escalation chain.
  schemaStatement('indexContextClaim', 'CREATE RANGE INDEX context_claim IF NOT EXISTS FOR (c:Context) ON (c.claim)'),
  schemaStatement('constraintConflictId', 'CREATE CONSTRAINT conflict_id IF NOT EXISTS FOR (x:Conflict) REQUIRE x.id IS UNIQUE'),
  schemaStatement('indexConflictSeq', 'CREATE RANGE INDEX conflict_seq IF NOT EXISTS FOR (x:Conflict) ON (x.seq)'),
  schemaStatement('indexConflictClaim', 'CREATE RANGE INDEX conflict_claim IF NOT EXISTS FOR (x:Conflict) ON (x.claim)'),
  schemaStatement(
    'constraintConflictDelivery',
    'CREATE CONSTRAINT conflict_delivery_agent_seq IF NOT EXISTS FOR (d:ConflictDelivery) REQUIRE (d.agentId, d.seq) IS UNIQUE',
  ),
  schemaStatement(
    'constraintEscalationRuleKey',
    'CREATE CONSTRAINT escalation_rule_key IF NOT EXISTS FOR (r:EscalationRule) REQUIRE r.key IS UNIQUE',
  ),
  // Workflows and mandatory publishing (src/app/workflows/): steps by (workflow, id), policies by target, violations by filter.
  schemaStatement('constraintWorkflowId', 'CREATE CONSTRAINT workflow_id IF NOT EXISTS FOR (w:Workflow) REQUIRE w.id IS UNIQUE'),
  schemaStatement(
    'constraintWorkflowStep',
    'CREATE CONSTRAINT workflow_step_id IF NOT EXISTS FOR (s:WorkflowStep) REQUIRE (s.workflowId, s.id) IS UNIQUE',
  ),
  schemaStatement(
    'constraintPublishingPolicyId',
    'CREATE CONSTRAINT publishing_policy_id IF NOT EXISTS FOR (p:PublishingPolicy) REQUIRE p.id IS UNIQUE',
  ),
  schemaStatement(
    'constraintPolicyViolationId',
    'CREATE CONSTRAINT policy_violation_id IF NOT EXISTS FOR (v:PolicyViolation) REQUIRE v.id IS UNIQUE',
  ),
  schemaStatement(
    'indexWorkflowStepAgent',
    'CREATE RANGE INDEX workflow_step_agent IF NOT EXISTS FOR (s:WorkflowStep) ON (s.agentId, s.status)',
  ),
  schemaStatement(
    'indexPolicyViolationWorkflow',
    'CREATE RANGE INDEX policy_violation_workflow IF NOT EXISTS FOR (v:PolicyViolation) ON (v.workflowId, v.at)',
  ),
  schemaStatement(
    'indexPolicyViolationAgent',
    'CREATE RANGE INDEX policy_violation_agent IF NOT EXISTS FOR (v:PolicyViolation) ON (v.agentId, v.at)',
  ),
  schemaStatement('fulltextContextText', cypher`CREATE FULLTEXT INDEX ${FULLTEXT_INDEX} IF NOT EXISTS FOR (c:Context) ON EACH [c.text]`),
  schemaStatement(
    'fulltextVersionText',
    cypher`CREATE FULLTEXT INDEX ${VERSION_FULLTEXT_INDEX} IF NOT EXISTS FOR (v:ContextVersion) ON EACH [v.text]`,
  ),
];

/**
 * Versions written before they recorded their whole state lack the immutable fields VISIBLE_VERSION needs to let
 * their source read them; copy those (never `visibleTo`: such versions stay fail-closed). Matches nothing once done.
 */
const BACKFILL_VERSION_IDENTITY = schemaStatement(
  'backfillVersionIdentity',
  `MATCH (c:Context)-[:HAS_VERSION]->(v:ContextVersion) WHERE v.sourceAgentId IS NULL
   SET v.sourceAgentId = c.sourceAgentId, v.type = c.type`,
);

const CREATE_VECTOR_INDEX = schemaStatement(
  'vectorContextEmbedding',
  cypher`CREATE VECTOR INDEX ${VECTOR_INDEX} IF NOT EXISTS FOR (c:Context) ON (c.embedding)
   OPTIONS { indexConfig: { \`vector.dimensions\`: toInteger($dimensions), \`vector.similarity_function\`: 'cosine' } }`,
);

const CREATE_VERSION_VECTOR_INDEX = schemaStatement(
  'vectorVersionEmbedding',
  cypher`CREATE VECTOR INDEX ${VERSION_VECTOR_INDEX} IF NOT EXISTS FOR (v:ContextVersion) ON (v.embedding)
   OPTIONS { indexConfig: { \`vector.dimensions\`: toInteger($dimensions), \`vector.similarity_function\`: 'cosine' } }`,
);

/**
 * Versions written before versions kept embeddings, where one would have been kept (the first version, or the text
 * changed), with seqs in (`$after`, `$until`]. The backfill embeds their texts, so every version has a vector to be
 * found by.
 */
const VERSIONS_WITHOUT_EMBEDDING = schemaStatement(
  'versionsWithoutEmbedding',
  `MATCH (v:ContextVersion) WHERE v.seq > $after AND v.seq <= $until AND v.embedding IS NULL
   OPTIONAL MATCH (p:ContextVersion { contextId: v.contextId, version: v.version - 1 })
   WITH v, p WHERE p IS NULL OR p.text <> v.text
   RETURN v.text AS text, elementId(v) AS elementId`,
);

const LAST_VERSION_SEQ = schemaStatement('lastVersionSeq', `MATCH (v:ContextVersion) RETURN max(v.seq) AS seq`);

const SET_VERSION_EMBEDDINGS = schemaStatement(
  'setVersionEmbeddings',
  `UNWIND $rows AS row
   MATCH (v:ContextVersion) WHERE elementId(v) = row.elementId AND v.embedding IS NULL
   SET v.embedding = row.embedding`,
);

/** Done once per database: later versions keep their embeddings as they are written. */
const BACKFILL_DONE = schemaStatement(
  'versionEmbeddingsBackfilled',
  `MATCH (k:Counter { name: 'versionEmbeddingsBackfilled' }) RETURN k.value AS value`,
);
const MARK_BACKFILL_DONE = schemaStatement(
  'markVersionEmbeddingsBackfilled',
  `MERGE (k:Counter { name: 'versionEmbeddingsBackfilled' }) SET k.value = 1`,
);
/** Seqs read per step, texts embedded per write. */
const BACKFILL_SEQS = 5000;
const BACKFILL_BATCH = 200;

const VECTOR_INDEX_DIMENSIONS = schemaStatement(
  'vectorIndexDimensions',
  `SHOW VECTOR INDEXES YIELD name, options WHERE name = $name
   RETURN options.indexConfig['vector.dimensions'] AS dimensions`,
);

const AWAIT_INDEXES_SECONDS = 300;
const AWAIT_INDEXES = schemaStatement('awaitIndexes', `CALL db.awaitIndexes(${AWAIT_INDEXES_SECONDS})`);
/** Index builds may outlast the ordinary transaction timeout; the wait gets its own bound plus a margin. */
const AWAIT_INDEXES_TIMEOUT_MS = (AWAIT_INDEXES_SECONDS + 10) * 1000;

export class EmbeddingDimensionMismatchError extends Error {
  override readonly name = 'EmbeddingDimensionMismatchError';
}

/**
 * Brings the schema up to date. The vector index takes its dimensions from the embedding
 * provider; if it already exists with other dimensions the embedding model has changed,
 * and start-up stops rather than mixing vectors of two models.
 */
export async function migrate(executor: Neo4jExecutor, embeddings: Pick<EmbeddingProvider, 'dimensions' | 'embed'>): Promise<void> {
  // Schema statements cannot share a transaction with each other's data; run each on its own.
  for (const step of SCHEMA) await runSchemaStep(executor, step);
  for (const [step, name] of [
    [CREATE_VECTOR_INDEX, VECTOR_INDEX],
    [CREATE_VERSION_VECTOR_INDEX, VERSION_VECTOR_INDEX],
  ] as const) {
    await runSchemaStep(executor, step, { dimensions: embeddings.dimensions });
    const [row] = await executor.readOne(VECTOR_INDEX_DIMENSIONS, { name: String(name) });
    const existing = Number(row?.['dimensions']);
    if (existing !== embeddings.dimensions) {
      throw new EmbeddingDimensionMismatchError(
        `Vector index ${name} has ${existing} dimensions but the embedding provider gives ${embeddings.dimensions}. ` +
          'The embedding model changed: use the previous model, or drop the index and re-embed the contexts.',
      );
    }
  }
  await executor.write(AWAIT_INDEXES.name, (tx) => tx.run(AWAIT_INDEXES), { timeoutMs: AWAIT_INDEXES_TIMEOUT_MS });
  await executor.write(BACKFILL_VERSION_IDENTITY.name, (tx) => tx.run(BACKFILL_VERSION_IDENTITY));
  const [done] = await executor.readOne(BACKFILL_DONE);
  if (done?.['value'] == null) await backfillVersionEmbeddings(executor, embeddings);
}

/**
 * Embeds the texts of versions written before versions kept embeddings (a page of versions at a time, by seq), then
 * marks the database done. Idempotent: two processes starting at once embed the same texts and set them once.
 */
export async function backfillVersionEmbeddings(executor: Neo4jExecutor, embeddings: Pick<EmbeddingProvider, 'embed'>): Promise<number> {
  const [last] = await executor.readOne(LAST_VERSION_SEQ);
  const lastSeq = Number(last?.['seq'] ?? 0);
  let embedded = 0;
  for (let after = 0; after < lastSeq; after += BACKFILL_SEQS) {
    const missing = await executor.readOne(VERSIONS_WITHOUT_EMBEDDING, { after: int(after), until: int(after + BACKFILL_SEQS) });
    for (let start = 0; start < missing.length; start += BACKFILL_BATCH) {
      const batch = missing.slice(start, start + BACKFILL_BATCH);
      const vectors = await embeddings.embed(batch.map((row) => String(row['text'])));
      const updates = batch.map((row, index) => ({ elementId: row['elementId'], embedding: vectors[index] }));
      await executor.write(SET_VERSION_EMBEDDINGS.name, (tx) => tx.run(SET_VERSION_EMBEDDINGS, { rows: updates }));
      embedded += batch.length;
    }
  }
  await executor.write(MARK_BACKFILL_DONE.name, (tx) => tx.run(MARK_BACKFILL_DONE));
  return embedded;
}

const EQUIVALENT_RULE_EXISTS = 'Neo.ClientError.Schema.EquivalentSchemaRuleAlreadyExists';

/**
 * `IF NOT EXISTS` is not atomic: two processes starting at once (several API processes on one database)
 * can both try to create the same rule, and the second is told an equivalent one exists. That is the
 * state we want, so it counts as done.
 */
async function runSchemaStep(executor: Neo4jExecutor, step: Statement, params: Record<string, unknown> = {}): Promise<void> {
  try {
    await executor.write(step.name, (tx) => tx.run(step, params));
  } catch (error) {
    if ((error as { code?: unknown } | null)?.code !== EQUIVALENT_RULE_EXISTS) throw error;
  }
}
