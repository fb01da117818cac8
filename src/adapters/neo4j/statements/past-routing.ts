import { cypher, type Cypher } from '../cypher.js';
import { CONTEXT_FIELDS, VISIBLE_VERSION, statement } from './fragments.js';
import { VERSION_AS_OF, VERSION_FIELDS_AS_OF } from './history.js';
import { VALID_AT } from './valid-time.js';

/**
 * The router's reads as of seq `$asOf` (contextFor and searchContext with `asOf`): the twins of
 * statements/routing.ts over the versions. Context `c` is at `v`, its version current at `$asOf`
 * (VERSION_AS_OF), read by that version's own visibility; status and expiry are judged at `$now` (the time of
 * event `$asOf`), valid time at `$validAt`. Similarity is brute force over the contexts that existed then —
 * the vector index holds today's texts only — so every top-k below is exact, and the cost grows with the mesh.
 */

/**
 * `e`: the embedding of `v.text`. A version stores one when its text differs from the previous version's (or it
 * is the first); otherwise the nearest earlier version with the same text has it; versions from before versions
 * kept embeddings fall back to the context's current one when the text is the same, else to `$extraEmbeddings`
 * (`contextId@version` → vector, embedded by the service for this read).
 */
const VERSION_EMBEDDING = cypher`CASE WHEN v.embedding IS NOT NULL THEN v.embedding ELSE coalesce(
       COLLECT { MATCH (c)-[:HAS_VERSION]->(w:ContextVersion) WHERE w.version < v.version AND w.embedding IS NOT NULL AND w.text = v.text
         RETURN w.embedding ORDER BY w.version DESC LIMIT 1 }[0],
       CASE WHEN c.text = v.text THEN c.embedding END,
       $extraEmbeddings[c.id + '@' + toString(v.version)]) END`;

/**
 * Explicit relevance of `v` for the routed agent, from the version's `relevanceJson` (built by RECORD_VERSIONS
 * as `{"agentId":"…","score":…,"explicit":…}` entries; agent ids cannot contain quotes). `$relevanceMarker` is
 * `{"agentId":"<id>","score":`, null without an agent.
 */
const EXPLICIT_THEN = cypher`CASE WHEN v.relevanceJson CONTAINS $relevanceMarker
       AND split(split(v.relevanceJson, $relevanceMarker)[1], ',"explicit":')[1] STARTS WITH 'true'
     THEN toFloat(split(split(v.relevanceJson, $relevanceMarker)[1], ',"explicit":')[0]) END`;

/** ROUTABLE of statements/routing.ts, judged on the version then. */
const ROUTABLE_THEN = cypher`v.status = 'ACTIVE' AND (v.expiresAt IS NULL OR v.expiresAt > $now) AND ${VALID_AT('v')}
   AND ${VISIBLE_VERSION('v')} AND ($workflowId IS NULL OR c.workflowId = $workflowId)`;

/** Every context that existed at `$asOf`, with `v` and `e`. */
const CONTEXTS_THEN = cypher`MATCH (c:Context) WHERE c.createdSeq <= $asOf
   ${VERSION_AS_OF}
   WITH c, v, ${VERSION_EMBEDDING} AS e`;

/** A candidate state: the context, its version, similarities ((1 + cos) / 2, as the vector index scores) and explicit relevance. */
const STATE = cypher`{ c: c, v: v, ts: vector.similarity.cosine(e, $taskEmbedding), ns: vector.similarity.cosine(e, $needsEmbedding),
     ex: ${EXPLICIT_THEN} }`;

/**
 * The versions current at `$asOf` whose text matches `$luceneQuery`, best first, at most `$k`: the version index
 * holds every version ever written, so it is asked for `$fulltextLimit` hits and filtered to the current ones.
 */
const FULLTEXT_THEN = cypher`CALL db.index.fulltext.queryNodes($versionFulltextIndex, $luceneQuery, { limit: $fulltextLimit })
     YIELD node, score
     WITH node, score WHERE node.seq <= $asOf
     MATCH (c:Context { id: node.contextId })
     ${VERSION_AS_OF}
     WITH c, v, score WHERE v = node
     WITH c, v, score ORDER BY score DESC LIMIT $k`;

const PAST_CANDIDATE_RETURN = cypher`RETURN c ${CONTEXT_FIELDS} AS context, v ${VERSION_FIELDS_AS_OF('v')} AS version,
     sources, vectorScore, fulltextScore, 2 * ts - 1 AS taskSimilarity,
     CASE WHEN $hasNeeds THEN 2 * ns - 1 END AS needsSimilarity, ex AS explicitRelevance`;

/** The branches of ROUTING_CANDIDATES, each over the states then; every limit applies before the filter, as there. */
const candidateBranches = (withFulltext: boolean): Cypher => cypher`
     UNWIND states AS s WITH s WHERE s.ts IS NOT NULL
     WITH s ORDER BY s.ts DESC LIMIT $k RETURN s, 'vector' AS source, s.ts AS score
     UNION ALL
     UNWIND states AS s WITH s WHERE s.ns IS NOT NULL
     WITH s ORDER BY s.ns DESC LIMIT $k RETURN s, 'needs_vector' AS source, s.ns AS score
     ${
       withFulltext
         ? cypher`UNION ALL
     ${FULLTEXT_THEN}
     WITH c, v, score, ${VERSION_EMBEDDING} AS e
     RETURN ${STATE} AS s, 'fulltext' AS source, score`
         : cypher``
     }
     UNION ALL
     UNWIND states AS s WITH s WHERE any(t IN s.v.tags WHERE t IN $needTags)
     WITH s ORDER BY s.c.createdSeq DESC LIMIT $k RETURN s, 'topic' AS source, null AS score
     UNION ALL
     UNWIND states AS s WITH s WHERE s.ex IS NOT NULL
     WITH s ORDER BY s.ex DESC, s.c.createdSeq DESC LIMIT $k RETURN s, 'explicit' AS source, s.ex AS score
     UNION ALL
     UNWIND states AS s WITH s WHERE s.c.sourceAgentId = $agentId
     WITH s ORDER BY s.c.createdSeq DESC LIMIT $k RETURN s, 'own' AS source, null AS score`;

const pastCandidatesStatement = (name: string, withFulltext: boolean) =>
  statement(
    name,
    cypher`${CONTEXTS_THEN}
     WITH collect(${STATE}) AS states
     CALL (states) { ${candidateBranches(withFulltext)} }
     WITH s.c AS c, s.v AS v, s.ts AS ts, s.ns AS ns, s.ex AS ex, source, score
     WHERE ${ROUTABLE_THEN}
     WITH c, v, ts, ns, ex, collect(DISTINCT source) AS sources,
       max(CASE WHEN source = 'vector' THEN score END) AS vectorScore,
       max(CASE WHEN source = 'fulltext' THEN score END) AS fulltextScore
     ${PAST_CANDIDATE_RETURN}`,
  );

/** ROUTING_CANDIDATES as of `$asOf`. */
export const PAST_ROUTING_CANDIDATES = pastCandidatesStatement('pastRoutingCandidates', true);

export const PAST_ROUTING_CANDIDATES_NO_FULLTEXT = pastCandidatesStatement('pastRoutingCandidatesNoFulltext', false);

/**
 * What a past read needs before its candidates: the versions then whose text has no embedding to reuse (from
 * before versions kept one), and the tags then (the topic branch matches tags, which Cypher cannot normalise).
 */
export const PAST_ROUTING_PREPARATION = statement(
  'pastRoutingPreparation',
  cypher`${CONTEXTS_THEN}
   RETURN collect(CASE WHEN e IS NULL THEN { contextId: c.id, version: v.version, text: v.text } END) AS missing,
     collect(DISTINCT CASE WHEN $withTags THEN v.tags END) AS tagLists`,
);

/**
 * ROUTING_NEIGHBOURS as of `$asOf`: one hop either way along the versions' dependency lists then (what a seed's
 * version listed, and the contexts whose version listed a seed: a scan of the versions up to `$asOf`).
 */
export const PAST_ROUTING_NEIGHBOURS = statement(
  'pastRoutingNeighbours',
  cypher`CALL () {
     UNWIND $seedIds AS seedId
     MATCH (c:Context { id: seedId })
     ${VERSION_AS_OF}
     UNWIND v.dependencies AS neighbourId
     RETURN neighbourId
     UNION
     MATCH (x:ContextVersion) WHERE x.seq <= $asOf AND any(d IN x.dependencies WHERE d IN $seedIds)
     WITH DISTINCT x.contextId AS neighbourId
     MATCH (c:Context { id: neighbourId })
     ${VERSION_AS_OF}
     WITH neighbourId, v WHERE any(d IN v.dependencies WHERE d IN $seedIds)
     RETURN neighbourId
   }
   WITH neighbourId WHERE NOT neighbourId IN $excludeIds
   MATCH (c:Context { id: neighbourId })
   ${VERSION_AS_OF}
   WITH c, v, ${VERSION_EMBEDDING} AS e
   WHERE ${ROUTABLE_THEN}
   WITH c, v, ['graph'] AS sources, null AS vectorScore, null AS fulltextScore, vector.similarity.cosine(e, $taskEmbedding) AS ts,
     vector.similarity.cosine(e, $needsEmbedding) AS ns, ${EXPLICIT_THEN} AS ex
   ${PAST_CANDIDATE_RETURN}`,
);

/** EMBEDDINGS_BY_IDS as of `$asOf`: the vector of each context's text then (near-duplicates are judged on it). */
export const PAST_EMBEDDINGS_BY_IDS = statement(
  'pastEmbeddingsByIds',
  cypher`UNWIND $ids AS id
   MATCH (c:Context { id: id })
   ${VERSION_AS_OF}
   RETURN id, ${VERSION_EMBEDDING} AS embedding`,
);

/** EDGES_AMONG as of `$asOf`: the dependency lists of the versions then, within `$ids`. */
export const PAST_EDGES_AMONG = statement(
  'pastEdgesAmong',
  cypher`UNWIND $ids AS id
   MATCH (c:Context { id: id })
   ${VERSION_AS_OF}
   UNWIND v.dependencies AS to
   WITH c, to WHERE to IN $ids
   RETURN c.id AS from, to
   ORDER BY from, to`,
);

const PAST_SEARCH_RETURN = cypher`WITH c, v, score WHERE ${ROUTABLE_THEN}
   RETURN c ${CONTEXT_FIELDS} AS context, v ${VERSION_FIELDS_AS_OF('v')} AS version, score
   ORDER BY score DESC`;

/** SEARCH_VECTOR as of `$asOf`: the `$k` most similar contexts then, filtered after the limit as the index query is. */
export const PAST_SEARCH_VECTOR = statement(
  'pastSearchVector',
  cypher`${CONTEXTS_THEN}
   WITH c, v, vector.similarity.cosine(e, $embedding) AS score
   WITH c, v, score WHERE score IS NOT NULL
   WITH c, v, score ORDER BY score DESC LIMIT $k
   ${PAST_SEARCH_RETURN}`,
);

/** SEARCH_FULLTEXT as of `$asOf`, over the version index (Lucene scores are the version index's, not the live one's). */
export const PAST_SEARCH_FULLTEXT = statement(
  'pastSearchFulltext',
  cypher`${FULLTEXT_THEN}
   ${PAST_SEARCH_RETURN}`,
);

/**
 * Recorded contextFor answers that may answer one request: the agent's, recorded within [`$from`, `$to`), no
 * replay, the body naming the task and one of the positions (`$taskMarker`, `$positionMarkers`: substrings of
 * the body's JSON). A prefilter only: the service parses the bodies and decides.
 */
export const RECORDED_ANSWERS = statement(
  'recordedAnswers',
  cypher`MATCH (r:RoutedPackage { agentId: $agentId })
   WHERE ($from IS NULL OR r.at >= $from) AND ($to IS NULL OR r.at < $to) AND r.replayOf IS NULL
   MATCH (r)-[:HAS_BODY]->(pb:PackageBody)
   WHERE pb.json CONTAINS $taskMarker AND any(m IN $positionMarkers WHERE pb.json CONTAINS m)
   WITH r, pb ORDER BY r.at DESC, r.ordinal DESC LIMIT $limit
   RETURN r { .id, .agentId, .at, .cached, .coalesced, .replayOf } AS package, pb.json AS body
   ORDER BY r.at DESC, r.ordinal DESC`,
);
