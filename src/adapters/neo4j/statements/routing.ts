import { alias, cypher, type Alias, type Cypher } from '../cypher.js';
import { CONTEXT_FIELDS, VISIBLE, statement } from './fragments.js';
import { VALID_AT } from './valid-time.js';

/** The router's reads: candidate generation, neighbours, search lists and agents' needs. */

/** What the router may consider: active, unexpired, valid at `$validAt`, visible to the agent the package is for. */
export const ROUTABLE = (name: Alias) => {
  const a = alias(name);
  return cypher`${a}.status = 'ACTIVE' AND (${a}.expiresAt IS NULL OR ${a}.expiresAt > $now) AND ${VALID_AT(name)} AND ${VISIBLE(name)}
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

/**
 * One index's `$k` nearest, filtered to what is routable, the best `$want` of them kept (`$want` = `$k` on a first read). Neo4j 5's vector and fulltext indexes take no filter, so
 * visibility, status, valid time and workflow scope apply after the index's top k: when fewer than half of the hits
 * survive and the index had more to give, a marker row (no context, source `<name>_short`) tells the store to look
 * deeper (routing-store.ts `deeper`). Without it, other agents' hidden contexts crowding the top of an index would
 * cost an agent its own results.
 */
const filteredIndexHits = (call: Cypher, source: Cypher, shortMarker: Cypher) => cypher`${call}
     WITH collect(CASE WHEN ${ROUTABLE('n')} THEN { node: n, score: score } END) AS kept, count(*) AS raw
     UNWIND kept[0..$want] + CASE WHEN raw >= $k AND 2 * size(kept) < $want THEN [{ node: null, score: null }] ELSE [] END AS hit
     RETURN hit.node AS c, CASE WHEN hit.node IS NULL THEN ${shortMarker} ELSE ${source} END AS source, hit.score AS score`;

const TASK_VECTOR = cypher`CALL db.index.vector.queryNodes($vectorIndex, $k, $taskEmbedding) YIELD node AS n, score`;
const NEEDS_VECTOR = cypher`CALL db.index.vector.queryNodes($vectorIndex, $k, $needsEmbedding) YIELD node AS n, score`;
const FULLTEXT = cypher`CALL db.index.fulltext.queryNodes($fulltextIndex, $luceneQuery, { limit: $k }) YIELD node AS n, score`;

/** Graph sources filter before their LIMIT: the newest `$k` routable, not the routable among the newest `$k`. */
const candidateBranches = (withFulltext: boolean) => cypher`
     ${filteredIndexHits(TASK_VECTOR, cypher`'vector'`, cypher`'vector_short'`)}
     UNION ALL
     ${filteredIndexHits(NEEDS_VECTOR, cypher`'needs_vector'`, cypher`'needs_vector_short'`)}
     ${withFulltext ? cypher`UNION ALL ${filteredIndexHits(FULLTEXT, cypher`'fulltext'`, cypher`'fulltext_short'`)}` : cypher``}
     UNION ALL
     MATCH (t:Topic) WHERE t.key IN $needKeys
     MATCH (t)<-[:HAS_TOPIC]-(c:Context) WHERE ${ROUTABLE('c')}
     WITH DISTINCT c ORDER BY c.createdSeq DESC LIMIT $k
     RETURN c, 'topic' AS source, null AS score
     UNION ALL
     MATCH (c:Context)-[r:RELEVANT_TO { explicit: true }]->(:Agent { id: $agentId }) WHERE ${ROUTABLE('c')}
     WITH c, r ORDER BY r.score DESC, c.createdSeq DESC LIMIT $k
     RETURN c, 'explicit' AS source, r.score AS score
     UNION ALL
     MATCH (:Agent { id: $agentId })-[:PRODUCED]->(c:Context) WHERE ${ROUTABLE('c')}
     WITH c ORDER BY c.createdSeq DESC LIMIT $k
     RETURN c, 'own' AS source, null AS score`;

/** Every source's rows grouped per context; the marker rows of short index sources come back as one row without a context. */
const GROUPED = cypher`WITH c, collect(DISTINCT source) AS sources,
       max(CASE WHEN source = 'vector' THEN score END) AS vectorScore,
       max(CASE WHEN source = 'fulltext' THEN score END) AS fulltextScore`;

const candidatesStatement = (name: string, withFulltext: boolean) =>
  statement(
    name,
    cypher`CALL () { ${candidateBranches(withFulltext)} }
     ${GROUPED}
     ${CANDIDATE_RETURN}`,
  );

/** Candidates from the vector index (task and needs), the fulltext index, topics, explicit relevance and the agent's own work. */
export const ROUTING_CANDIDATES = candidatesStatement('routingCandidates', true);

/** The same without the fulltext branch, for tasks with no searchable words. */
export const ROUTING_CANDIDATES_NO_FULLTEXT = candidatesStatement('routingCandidatesNoFulltext', false);

/** One index source again, `$k` deeper (`$source`: vector, needs_vector or fulltext), when the first read came back short. */
const deeperStatement = (name: string, call: Cypher) =>
  statement(
    name,
    cypher`CALL () { ${filteredIndexHits(call, cypher`$source`, cypher`$shortSource`)} }
     ${GROUPED}
     ${CANDIDATE_RETURN}`,
  );

export const DEEPER_VECTOR = deeperStatement(
  'routingDeeperVector',
  cypher`CALL db.index.vector.queryNodes($vectorIndex, $k, $embedding) YIELD node AS n, score`,
);
export const DEEPER_FULLTEXT = deeperStatement('routingDeeperFulltext', FULLTEXT);

/** The `$want` routable contexts nearest `$embedding`, by a scan (through the workflow index when scoped to one). */
const EXACT_NEAREST = cypher`MATCH (c:Context)
   WHERE ($workflowId IS NULL OR c.workflowId = $workflowId) AND c.embedding IS NOT NULL AND ${ROUTABLE('c')}
   WITH c, vector.similarity.cosine(c.embedding, $embedding) AS score
   ORDER BY score DESC LIMIT $want`;

/**
 * The last resort when the index is crowded even `maxIndexDepth` deep: the exact nearest routable contexts, by a scan
 * (the workflow's index when the request is scoped to one). Costs a pass over the routable contexts; only crowding by
 * hidden or inactive contexts ever gets here.
 */
export const EXACT_VECTOR = statement(
  'routingExactVector',
  cypher`${EXACT_NEAREST}
   WITH c, $source AS source, score
   ${GROUPED}
   ${CANDIDATE_RETURN}`,
);

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

/**
 * The index proposes the `$k` nearest; the score is the exact cosine of the stored vectors ((1 + cos) / 2, the
 * index's scale), not the index's own, which is quantised: a search as of a seq (statements/past-routing.ts, over
 * the versions' index) scores the same way. Filtered after the index like the routing sources: a row without a
 * context marks a short read (see `filteredIndexHits`).
 */
export const SEARCH_VECTOR = statement(
  'searchVector',
  cypher`CALL db.index.vector.queryNodes($vectorIndex, $k, $embedding) YIELD node AS n, score
   WITH collect(CASE WHEN ${ROUTABLE('n')} THEN n END) AS kept, count(*) AS raw
   UNWIND kept[0..$want] + CASE WHEN raw >= $k AND 2 * size(kept) < $want THEN [null] ELSE [] END AS c
   WITH c, vector.similarity.cosine(c.embedding, $embedding) AS score
   RETURN c ${CONTEXT_FIELDS} AS context, score ORDER BY score DESC`,
);

export const SEARCH_FULLTEXT = statement(
  'searchFulltext',
  cypher`CALL db.index.fulltext.queryNodes($fulltextIndex, $luceneQuery, { limit: $k }) YIELD node AS n, score
   WITH collect(CASE WHEN ${ROUTABLE('n')} THEN { node: n, score: score } END) AS kept, count(*) AS raw
   UNWIND kept[0..$want] + CASE WHEN raw >= $k AND 2 * size(kept) < $want THEN [{ node: null, score: null }] ELSE [] END AS hit
   WITH hit.node AS c, hit.score AS score
   RETURN c ${CONTEXT_FIELDS} AS context, score ORDER BY score DESC`,
);

/** The exact nearest routable contexts when the vector index is crowded even `maxIndexDepth` deep (see EXACT_VECTOR). */
export const SEARCH_EXACT_VECTOR = statement(
  'searchExactVector',
  cypher`${EXACT_NEAREST}
   RETURN c ${CONTEXT_FIELDS} AS context, score ORDER BY score DESC`,
);

export const AGENT_NEEDS_PROFILES = statement(
  'agentNeedsProfiles',
  cypher`MATCH (a:Agent) WHERE size(a.needs) > 0
   RETURN a.id AS agentId, a.needs AS needs, a.needsEmbedding AS needsEmbedding`,
);
