import { alias, cypher, type Alias } from '../cypher.js';
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

/**
 * The index proposes the `$k` nearest; the score is the exact cosine of the stored vectors ((1 + cos) / 2, the
 * index's scale), not the index's own, which is quantised: a search as of a seq (statements/past-routing.ts, over
 * the versions' index) scores the same way.
 */
export const SEARCH_VECTOR = statement(
  'searchVector',
  cypher`CALL db.index.vector.queryNodes($vectorIndex, $k, $embedding) YIELD node AS c
   WITH c WHERE ${ROUTABLE('c')}
   WITH c, vector.similarity.cosine(c.embedding, $embedding) AS score
   ${SEARCH_RETURN} ORDER BY score DESC`,
);

export const SEARCH_FULLTEXT = statement(
  'searchFulltext',
  cypher`CALL db.index.fulltext.queryNodes($fulltextIndex, $luceneQuery, { limit: $k }) YIELD node AS c, score
   WITH c, score WHERE ${ROUTABLE('c')}
   ${SEARCH_RETURN} ORDER BY score DESC`,
);

export const AGENT_NEEDS_PROFILES = statement(
  'agentNeedsProfiles',
  cypher`MATCH (a:Agent) WHERE size(a.needs) > 0
   RETURN a.id AS agentId, a.needs AS needs, a.needsEmbedding AS needsEmbedding`,
);
