import type { Direction } from '../../domain/types.js';
import { alias, cypher, pathBound, type Alias, type Cypher } from './cypher.js';
import type { Statement } from './executor.js';

export { MAX_TRAVERSAL_DEPTH } from './cypher.js';

/**
 * Every Cypher statement of the store, named so logs, metrics and tests can refer to it.
 * Values are always parameters. Text is assembled only from `Cypher` fragments (see cypher.ts): our own
 * constants, allow-listed aliases, and one checked integer path bound, which Cypher cannot take as a parameter.
 */
const statement = (name: string, text: Cypher): Statement => ({ name, cypher: text });

/** The one visibility rule of the read paths: admins see all; agents see public contexts, their own, and those shared with them. */
export const VISIBLE = (name: Alias) => {
  const a = alias(name);
  return cypher`($isAdmin OR ${a}.visibleTo IS NULL OR ${a}.sourceAgentId = $viewerId OR $viewerId IN ${a}.visibleTo)`;
};

export const AGENT_FIELDS = cypher`{ .id, .name, .role, .needs, .produces, .relevanceThreshold, .tokenBudget, .parentId, .createdAt }`;
export const CONTEXT_FIELDS = cypher`{ .id, .type, .text, .tags, .priority, .status, .version, .tokens, .confidence,
  .sourceAgentId, .createdAt, .updatedAt, .expiresAt, .visibleTo, .createdSeq, .retractionReason, .workflowId }`;
export const VERSION_FIELDS = cypher`{ .contextId, .version, .seq, .at, .changedBy, .text, .contentJson, .tags, .priority, .status,
  .confidence, .dependencies, .expiresAt, .tokens }`;

/**
 * A version snapshot as a viewer may see it: dependency ids of contexts the viewer cannot read are
 * dropped, exactly as the live `dependencies` hide them.
 */
export const VISIBLE_VERSION_FIELDS = (name: Alias) => cypher`{ .contextId, .version, .seq, .at, .changedBy, .text, .contentJson, .tags,
  .priority, .status, .confidence, .expiresAt, .tokens,
  dependencies: [d IN ${alias(name)}.dependencies WHERE EXISTS { MATCH (x:Context { id: d }) WHERE ${VISIBLE('x')} }] }`;

// ---- agents ---------------------------------------------------------------

export const CREATE_AGENT = statement(
  'createAgent',
  cypher`CREATE (a:Agent { id: $id, name: $name, role: $role, needs: $needs, produces: $produces,
     relevanceThreshold: $relevanceThreshold, tokenBudget: toInteger($tokenBudget), parentId: $parentId,
     apiKeyHash: $apiKeyHash, needsEmbedding: $needsEmbedding, createdAt: $now })
   WITH a
   OPTIONAL MATCH (p:Agent { id: $parentId })
   FOREACH (_ IN CASE WHEN p IS NULL THEN [] ELSE [1] END | CREATE (a)-[:CHILD_OF]->(p))
   RETURN a ${AGENT_FIELDS} AS agent`,
);

export const AGENTS_BY_IDS = statement(
  'agentsByIds',
  cypher`UNWIND $ids AS id MATCH (a:Agent { id: id }) RETURN a ${AGENT_FIELDS} AS agent`,
);

export const AGENT_BY_KEY_HASH = statement(
  'agentByKeyHash',
  cypher`MATCH (a:Agent { apiKeyHash: $apiKeyHash }) RETURN a ${AGENT_FIELDS} AS agent`,
);

export const ALL_AGENTS = statement(
  'allAgents',
  cypher`MATCH (a:Agent) RETURN a ${AGENT_FIELDS} AS agent ORDER BY a.createdAt, a.id LIMIT toInteger($limit)`,
);

export const CHILDREN_OF = statement(
  'childrenOf',
  cypher`UNWIND $ids AS parentId
   MATCH (c:Agent)-[:CHILD_OF]->(:Agent { id: parentId })
   RETURN parentId, c ${AGENT_FIELDS} AS agent ORDER BY c.createdAt, c.id`,
);

// ---- idempotency and the event sequence ------------------------------------

/** MERGE on a uniquely constrained key: a concurrent duplicate waits for the first to commit, then sees its result. */
export const CLAIM_IDEMPOTENCY_KEY = statement(
  'claimIdempotencyKey',
  cypher`MERGE (r:IdempotencyKey { key: $key })
   ON CREATE SET r.createdAt = $now, r.requestHash = $requestHash
   RETURN r.requestHash AS requestHash, r.result AS result`,
);

export const COMPLETE_IDEMPOTENCY_KEY = statement(
  'completeIdempotencyKey',
  cypher`MATCH (r:IdempotencyKey { key: $key }) SET r.result = $result`,
);

/** Reserves `count` sequence numbers; the counter's write lock orders commits and seqs alike. */
export const RESERVE_SEQ = statement(
  'reserveSeq',
  cypher`MERGE (k:Counter { name: 'event' })
   ON CREATE SET k.value = 0
   SET k.value = k.value + toInteger($count)
   RETURN k.value AS last`,
);

// ---- context writes ---------------------------------------------------------

export const CONTEXT_PRESENCE = statement(
  'contextPresence',
  cypher`UNWIND $ids AS id
   OPTIONAL MATCH (c:Context { id: id })
   RETURN id, c IS NOT NULL AS exists, c IS NOT NULL AND ${VISIBLE('c')} AS visible`,
);

export const AGENT_PRESENCE = statement(
  'agentPresence',
  cypher`UNWIND $ids AS id OPTIONAL MATCH (a:Agent { id: id }) RETURN id, a IS NOT NULL AS exists`,
);

export const CREATE_CONTEXTS = statement(
  'createContexts',
  cypher`UNWIND $items AS item
   MATCH (a:Agent { id: item.sourceAgentId })
   CREATE (c:Context { id: item.id, type: item.type, text: item.text, contentJson: item.contentJson, tags: item.tags,
     priority: item.priority, status: 'ACTIVE', version: 1, tokens: toInteger(item.tokens), confidence: item.confidence,
     sourceAgentId: item.sourceAgentId, createdAt: $now, updatedAt: $now, expiresAt: item.expiresAt,
     visibleTo: item.visibleTo, workflowId: item.workflowId, createdSeq: toInteger(item.seq), embedding: item.embedding, embeddingModel: $embeddingModel })
   CREATE (a)-[:PRODUCED]->(c)
   WITH c, item
   CALL (c, item) {
     UNWIND item.topicKeys AS key
     MERGE (t:Topic { key: key })
     CREATE (c)-[:HAS_TOPIC]->(t)
   }
   RETURN count(c) AS created`,
);

export const CREATE_DEPENDENCIES = statement(
  'createDependencies',
  cypher`UNWIND $edges AS e
   MATCH (a:Context { id: e.from }), (b:Context { id: e.to })
   MERGE (a)-[:DEPENDS_ON]->(b)`,
);

export const REPLACE_DEPENDENCIES = statement(
  'replaceDependencies',
  cypher`MATCH (c:Context { id: $id })
   OPTIONAL MATCH (c)-[old:DEPENDS_ON]->()
   DELETE old
   WITH DISTINCT c
   UNWIND $dependencies AS depId
   MATCH (d:Context { id: depId })
   MERGE (c)-[:DEPENDS_ON]->(d)`,
);

export const SET_EXPLICIT_RELEVANCE = statement(
  'setExplicitRelevance',
  cypher`UNWIND $relevance AS r
   MATCH (c:Context { id: r.contextId }), (a:Agent { id: r.agentId })
   MERGE (c)-[x:RELEVANT_TO]->(a)
   SET x.score = r.score, x.explicit = true, x.at = $now`,
);

/** The new context replaces the old: the old one reads as SUPERSEDED (its version was bumped by the caller). */
export const SUPERSEDE = statement(
  'supersede',
  cypher`UNWIND $supersessions AS s
   MATCH (n:Context { id: s.from }), (o:Context { id: s.to })
   MERGE (n)-[:SUPERSEDES]->(o)
   SET o.status = 'SUPERSEDED', o.updatedAt = $now`,
);

export const REPLACE_TOPICS = statement(
  'replaceTopics',
  cypher`MATCH (c:Context { id: $id })
   OPTIONAL MATCH (c)-[old:HAS_TOPIC]->()
   DELETE old
   WITH DISTINCT c
   UNWIND $topicKeys AS key
   MERGE (t:Topic { key: key })
   CREATE (c)-[:HAS_TOPIC]->(t)`,
);

/** Computed relevance never overwrites what a publisher declared. */
export const SET_COMPUTED_RELEVANCE = statement(
  'setComputedRelevance',
  cypher`UNWIND $relevance AS r
   MATCH (c:Context { id: r.contextId }), (a:Agent { id: r.agentId })
   MERGE (c)-[x:RELEVANT_TO]->(a)
   ON CREATE SET x.explicit = false, x.score = r.score, x.at = $now
   ON MATCH SET x.score = CASE WHEN x.explicit THEN x.score ELSE r.score END`,
);

export const CLEAR_COMPUTED_RELEVANCE = statement(
  'clearComputedRelevance',
  cypher`MATCH (:Context { id: $id })-[x:RELEVANT_TO { explicit: false }]->() DELETE x`,
);

export const CLEAR_EXPLICIT_RELEVANCE = statement(
  'clearExplicitRelevance',
  cypher`MATCH (:Context { id: $id })-[x:RELEVANT_TO { explicit: true }]->() DELETE x`,
);

/** A dependency d of c closes a cycle when c is already reachable from d. */
export const FIND_CYCLE = statement(
  'findCycle',
  cypher`MATCH (d:Context) WHERE d.id IN $dependencies
   MATCH path = (d)-[:DEPENDS_ON*1..]->(c:Context { id: $id })
   RETURN [n IN nodes(path) | n.id] AS ids LIMIT 1`,
);

/** Takes the write lock by incrementing first; the caller then checks the version (read-committed safe). */
export const BUMP_VERSION = statement(
  'bumpVersion',
  cypher`MATCH (c:Context { id: $id })
   SET c.version = c.version + 1
   RETURN c ${CONTEXT_FIELDS} AS context, ${VISIBLE('c')} AS visible`,
);

/** `$props` holds only allow-listed keys built by the store. */
export const APPLY_CONTEXT_CHANGES = statement(
  'applyContextChanges',
  cypher`MATCH (c:Context { id: $id }) SET c += $props, c.updatedAt = $now`,
);

/** Appends the immutable version snapshot and the event for each change, in the caller's transaction. */
export const RECORD_VERSIONS = statement(
  'recordVersions',
  cypher`UNWIND $changes AS ch
   MATCH (c:Context { id: ch.id })
   OPTIONAL MATCH (c)-[:DEPENDS_ON]->(d:Context)
   WITH c, ch, collect(d.id) AS deps
   CREATE (c)-[:HAS_VERSION]->(:ContextVersion { contextId: c.id, version: c.version, seq: toInteger(ch.seq), at: $now,
     changedBy: ch.by, text: c.text, contentJson: c.contentJson, tags: c.tags, priority: c.priority, status: c.status,
     confidence: c.confidence, dependencies: deps, expiresAt: c.expiresAt, tokens: c.tokens })
   CREATE (:Event { seq: toInteger(ch.seq), kind: ch.kind, contextId: c.id, agentId: ch.by, version: c.version, at: $now })`,
);

// ---- context reads ----------------------------------------------------------

export const CONTEXTS_BY_IDS = statement(
  'contextsByIds',
  cypher`UNWIND $ids AS id
   MATCH (c:Context { id: id }) WHERE ${VISIBLE('c')}
   RETURN c ${CONTEXT_FIELDS} AS context`,
);

export const CONTEXT_AS_OF = statement(
  'contextAsOf',
  cypher`MATCH (c:Context { id: $id }) WHERE ${VISIBLE('c')}
   MATCH (c)-[:HAS_VERSION]->(v:ContextVersion) WHERE v.seq <= $asOf
   WITH c, v ORDER BY v.version DESC LIMIT 1
   RETURN c ${CONTEXT_FIELDS} AS context, v ${VISIBLE_VERSION_FIELDS('v')} AS version`,
);

export const CONTEXTS_PAGE = statement(
  'contextsPage',
  cypher`MATCH (c:Context)
   WHERE ${VISIBLE('c')}
     AND ($after IS NULL OR c.createdSeq < $after)
     AND ($types IS NULL OR c.type IN $types)
     AND ($workflowIds IS NULL OR c.workflowId IN $workflowIds)
     AND ($tags IS NULL OR any(t IN c.tags WHERE t IN $tags))
     AND ($sourceAgentIds IS NULL OR c.sourceAgentId IN $sourceAgentIds)
     AND ($priorities IS NULL OR c.priority IN $priorities)
     AND ($createdAfter IS NULL OR c.createdAt >= $createdAfter)
     AND ($createdBefore IS NULL OR c.createdAt < $createdBefore)
     AND (
       ('ACTIVE' IN $statuses AND c.status = 'ACTIVE' AND (c.expiresAt IS NULL OR c.expiresAt > $now))
       OR ('EXPIRED' IN $statuses AND c.status = 'ACTIVE' AND c.expiresAt <= $now)
       OR (c.status <> 'ACTIVE' AND c.status IN $statuses)
     )
   RETURN c ${CONTEXT_FIELDS} AS context
   ORDER BY c.createdSeq DESC
   LIMIT toInteger($limit)`,
);

export const SUPERSESSIONS_BY_IDS = statement(
  'supersessionsByIds',
  cypher`UNWIND $ids AS id
   MATCH (c:Context { id: id })
   OPTIONAL MATCH (c)-[:SUPERSEDES]->(o:Context) WHERE ${VISIBLE('o')}
   WITH id, c, collect(o ${CONTEXT_FIELDS}) AS supersedes
   OPTIONAL MATCH (n:Context)-[:SUPERSEDES]->(c) WHERE ${VISIBLE('n')}
   RETURN id, supersedes, collect(n ${CONTEXT_FIELDS})[0] AS supersededBy`,
);

/** `content` is loaded only when a query selects it (it can be large; routing never needs it). */
export const CONTENT_BY_IDS = statement(
  'contentByIds',
  cypher`UNWIND $ids AS id MATCH (c:Context { id: id }) RETURN id, c.contentJson AS contentJson`,
);

export const DIRECT_DEPENDENCY_IDS = statement(
  'directDependencyIds',
  cypher`UNWIND $ids AS id
   MATCH (:Context { id: id })-[:DEPENDS_ON]->(d:Context) WHERE ${VISIBLE('d')}
   RETURN id, collect(d.id) AS dependencyIds`,
);

export const RELEVANCE_BY_CONTEXT_IDS = statement(
  'relevanceByContextIds',
  cypher`UNWIND $ids AS id
   MATCH (:Context { id: id })-[r:RELEVANT_TO]->(a:Agent)
   RETURN id, a.id AS agentId, r.score AS score, coalesce(r.explicit, false) AS explicit
   ORDER BY r.score DESC`,
);

export const HISTORY_BY_CONTEXT_IDS = statement(
  'historyByContextIds',
  cypher`UNWIND $ids AS id
   MATCH (:Context { id: id })-[:HAS_VERSION]->(v:ContextVersion)
   RETURN id, v ${VISIBLE_VERSION_FIELDS('v')} AS version
   ORDER BY v.version DESC`,
);

export const EDGES_AMONG = statement(
  'edgesAmong',
  cypher`UNWIND $ids AS id
   MATCH (a:Context { id: id })-[:DEPENDS_ON]->(b:Context)
   WHERE b.id IN $ids
   RETURN a.id AS from, b.id AS to`,
);

const traversalCache = new Map<string, Statement>();

/** The integer check for the one number in our Cypher text (kept under its old name for callers and tests). */
export const hopBound = pathBound;

/**
 * Contexts within `depth` hops of each root with their distance, one statement per
 * (direction, depth). `ANY SHORTEST` keeps one path per reached node, so diamonds in
 * the graph do not multiply the work. BOTH is the union of the two directions (not an
 * undirected walk, which would wander into siblings).
 */
export function traversal(direction: Direction, depth: number): Statement {
  const key = direction + ':' + String(depth);
  const cached = traversalCache.get(key);
  if (cached) return cached;
  const hops = pathBound(depth);
  // Every hop must land on a context the viewer may read: no path runs through a hidden one.
  const outgoing = cypher`MATCH p = ANY SHORTEST (root)(()-[:DEPENDS_ON]->(m:Context) WHERE ${VISIBLE('m')})${hops}(n:Context)
       RETURN n, length(p) AS distance`;
  const incoming = cypher`MATCH p = ANY SHORTEST (root)(()<-[:DEPENDS_ON]-(m:Context) WHERE ${VISIBLE('m')})${hops}(n:Context)
       RETURN n, length(p) AS distance`;
  const branches = direction === 'OUTGOING' ? outgoing : direction === 'INCOMING' ? incoming : cypher`${outgoing} UNION ALL ${incoming}`;
  const created = statement(
    'traverse' + direction + depth,
    cypher`UNWIND $ids AS rootId
     MATCH (root:Context { id: rootId })
     CALL (root) { ${branches} }
     WITH rootId, n, min(distance) AS distance
     WHERE n.id <> rootId AND ${VISIBLE('n')}
     RETURN rootId, n ${CONTEXT_FIELDS} AS context, distance
     ORDER BY rootId, distance, n.createdSeq`,
  );
  traversalCache.set(key, created);
  return created;
}

// ---- routing ------------------------------------------------------------------

/** What the router may consider: active, unexpired, visible to the agent the package is for. */
const ROUTABLE = (name: Alias) => {
  const a = alias(name);
  return cypher`${a}.status = 'ACTIVE' AND (${a}.expiresAt IS NULL OR ${a}.expiresAt > $now) AND ${VISIBLE(name)}
   AND ($workflowId IS NULL OR ${a}.workflowId = $workflowId)`;
};

/**
 * Similarities are computed here, next to the vectors: shipping every candidate's embedding to the
 * service cost more than the rest of the request. `vector.similarity.cosine` is (1 + cos) / 2.
 */
const CANDIDATE_RETURN = cypher`RETURN c ${CONTEXT_FIELDS} AS context, sources, vectorScore, fulltextScore,
     2 * vector.similarity.cosine(c.embedding, $taskEmbedding) - 1 AS taskSimilarity,
     CASE WHEN $hasNeeds THEN 2 * vector.similarity.cosine(c.embedding, $needsEmbedding) - 1 END AS needsSimilarity,
     [(c)-[r:RELEVANT_TO { explicit: true }]->(:Agent { id: $agentId }) | r.score][0] AS explicitRelevance`;

const candidateBranches = (withFulltext: boolean) => cypher`
     CALL db.index.vector.queryNodes($vectorIndex, $k, $taskEmbedding) YIELD node, score
     RETURN node AS c, 'vector' AS source, score
     UNION ALL
     CALL db.index.vector.queryNodes($vectorIndex, $k, $needsEmbedding) YIELD node, score
     RETURN node AS c, 'needs_vector' AS source, score
     ${
       withFulltext
         ? cypher`UNION ALL
     CALL db.index.fulltext.queryNodes($fulltextIndex, $luceneQuery, { limit: $k }) YIELD node, score
     RETURN node AS c, 'fulltext' AS source, score`
         : cypher``
     }
     UNION ALL
     MATCH (t:Topic) WHERE t.key IN $needKeys
     MATCH (t)<-[:HAS_TOPIC]-(c:Context)
     WITH c ORDER BY c.createdSeq DESC LIMIT $k
     RETURN c, 'topic' AS source, null AS score
     UNION ALL
     MATCH (c:Context)-[r:RELEVANT_TO { explicit: true }]->(:Agent { id: $agentId })
     WITH c, r ORDER BY r.score DESC, c.createdSeq DESC LIMIT $k
     RETURN c, 'explicit' AS source, r.score AS score
     UNION ALL
     MATCH (:Agent { id: $agentId })-[:PRODUCED]->(c:Context)
     WITH c ORDER BY c.createdSeq DESC LIMIT $k
     RETURN c, 'own' AS source, null AS score`;

const candidatesStatement = (name: string, withFulltext: boolean) =>
  statement(
    name,
    cypher`CALL () { ${candidateBranches(withFulltext)} }
     WITH c, source, score WHERE ${ROUTABLE('c')}
     WITH c, collect(DISTINCT source) AS sources,
       max(CASE WHEN source = 'vector' THEN score END) AS vectorScore,
       max(CASE WHEN source = 'fulltext' THEN score END) AS fulltextScore
     ${CANDIDATE_RETURN}`,
  );

/** Candidates from the vector index (task and needs), the fulltext index, topics, explicit relevance and the agent's own work. */
export const ROUTING_CANDIDATES = candidatesStatement('routingCandidates', true);
/** The same without the fulltext branch, for tasks with no searchable words. */
export const ROUTING_CANDIDATES_NO_FULLTEXT = candidatesStatement('routingCandidatesNoFulltext', false);

export const ROUTING_NEIGHBOURS = statement(
  'routingNeighbours',
  cypher`MATCH (s:Context) WHERE s.id IN $seedIds
   MATCH (s)-[:DEPENDS_ON]-(c:Context)
   WHERE NOT c.id IN $excludeIds AND ${ROUTABLE('c')}
   WITH DISTINCT c, ['graph'] AS sources, null AS vectorScore, null AS fulltextScore
   ${CANDIDATE_RETURN}`,
);

/** Embeddings of a few contexts, for the near-duplicate check among the candidates that passed. */
export const EMBEDDINGS_BY_IDS = statement(
  'embeddingsByIds',
  cypher`UNWIND $ids AS id MATCH (c:Context { id: id }) RETURN id, c.embedding AS embedding`,
);

export const ROUTING_BY_IDS = statement(
  'routingByIds',
  cypher`MATCH (c:Context) WHERE c.id IN $ids AND ${ROUTABLE('c')}
   WITH c, [] AS sources, null AS vectorScore, null AS fulltextScore
   ${CANDIDATE_RETURN}`,
);

const SEARCH_RETURN = cypher`RETURN c ${CONTEXT_FIELDS} AS context, score`;

export const SEARCH_VECTOR = statement(
  'searchVector',
  cypher`CALL db.index.vector.queryNodes($vectorIndex, $k, $embedding) YIELD node AS c, score
   WITH c, score WHERE ${ROUTABLE('c')}
   ${SEARCH_RETURN} ORDER BY score DESC`,
);

export const SEARCH_FULLTEXT = statement(
  'searchFulltext',
  cypher`CALL db.index.fulltext.queryNodes($fulltextIndex, $luceneQuery, { limit: $k }) YIELD node AS c, score
   WITH c, score WHERE ${ROUTABLE('c')}
   ${SEARCH_RETURN} ORDER BY score DESC`,
);

export const EVENT_POSITION = statement(
  'eventPosition',
  cypher`OPTIONAL MATCH (k:Counter { name: 'event' }) RETURN coalesce(k.value, 0) AS position`,
);

/** The event position, and the changes after `$since` when there are not too many to read. */
export const CHANGES_SINCE = statement(
  'changesSince',
  cypher`OPTIONAL MATCH (k:Counter { name: 'event' })
   WITH coalesce(k.value, 0) AS position
   CALL (position) {
     OPTIONAL MATCH (e:Event) WHERE e.seq > $since AND e.seq <= position AND position - $since <= $max
     RETURN collect(e { .seq, .kind, .contextId }) AS changes
   }
   RETURN position, changes`,
);

export const AGENT_NEEDS_PROFILES = statement(
  'agentNeedsProfiles',
  cypher`MATCH (a:Agent) WHERE size(a.needs) > 0
   RETURN a.id AS agentId, a.needs AS needs, a.needsEmbedding AS needsEmbedding`,
);

// ---- broadcasts -----------------------------------------------------------------

/** Each recipient's last delivery seq, read after the event counter's lock, so the chain cannot fork. */
export const DELIVERY_POSITIONS = statement(
  'deliveryPositions',
  cypher`UNWIND $agentIds AS id MATCH (a:Agent { id: id }) RETURN a.id AS agentId, coalesce(a.lastDeliverySeq, 0) AS lastSeq`,
);

export const CREATE_DELIVERIES = statement(
  'createDeliveries',
  cypher`UNWIND $deliveries AS d
   MATCH (a:Agent { id: d.agentId })
   CREATE (:Delivery { agentId: d.agentId, seq: toInteger(d.seq), prevSeq: toInteger(d.prevSeq), contextId: d.contextId,
     reason: d.reason, at: $now })
   WITH a, d ORDER BY d.seq
   WITH a, last(collect(d.seq)) AS lastSeq
   SET a.lastDeliverySeq = toInteger(lastSeq)`,
);

/** An agent's deliveries after a position, oldest first, with the context as the agent may now see it. */
export const DELIVERIES_AFTER = statement(
  'deliveriesAfter',
  cypher`MATCH (d:Delivery) WHERE d.agentId = $agentId AND d.seq > $after
   WITH d ORDER BY d.seq LIMIT toInteger($limit)
   OPTIONAL MATCH (c:Context { id: d.contextId })
   RETURN d { .seq, .prevSeq, .contextId, .reason } AS delivery,
     CASE WHEN c IS NOT NULL AND ${VISIBLE('c')} AND ($workflowId IS NULL OR c.workflowId = $workflowId)
       THEN c ${CONTEXT_FIELDS} END AS context`,
);

export const ACKNOWLEDGE = statement(
  'acknowledge',
  cypher`MATCH (a:Agent { id: $agentId })
   SET a.ackSeq = CASE WHEN coalesce(a.ackSeq, 0) < $seq THEN toInteger($seq) ELSE a.ackSeq END
   RETURN a.ackSeq AS ackSeq`,
);

export const ACK_POSITION = statement('ackPosition', cypher`MATCH (a:Agent { id: $agentId }) RETURN coalesce(a.ackSeq, 0) AS ackSeq`);

/**
 * Claims contexts that expired since the last sweep, marking them so that exactly one process announces
 * each. Runs after RESERVE_SEQ in the same transaction; `$firstSeq` numbers the EXPIRED events.
 */
export const CLAIM_EXPIRED = statement(
  'claimExpired',
  cypher`MATCH (c:Context)
   WHERE c.expiresAt <= $now AND c.status = 'ACTIVE' AND c.expiryAnnouncedAt IS NULL
   WITH c ORDER BY c.expiresAt, c.id LIMIT toInteger($limit)
   SET c.expiryAnnouncedAt = $now
   RETURN c ${CONTEXT_FIELDS} AS context`,
);

export const RECORD_EXPIRY_EVENTS = statement(
  'recordExpiryEvents',
  cypher`UNWIND $events AS e
   CREATE (:Event { seq: toInteger(e.seq), kind: 'EXPIRED', contextId: e.contextId, agentId: $by, at: $now })`,
);

export const COUNT_EXPIRED_UNANNOUNCED = statement(
  'countExpiredUnannounced',
  cypher`MATCH (c:Context) WHERE c.expiresAt <= $now AND c.status = 'ACTIVE' AND c.expiryAnnouncedAt IS NULL
   RETURN count(c) AS n`,
);
