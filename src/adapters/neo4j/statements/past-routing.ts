import { cypher, type Cypher } from '../cypher.js';
import { CONTEXT_FIELDS, VISIBLE_VERSION, statement } from './fragments.js';
import { VERSION_AS_OF, VERSION_FIELDS_AS_OF } from './history.js';
import { VALID_AT } from './valid-time.js';

/**
 * The router's reads as of seq `$asOf` (contextFor and searchContext with `asOf`): the twins of
 * statements/routing.ts over the versions. Context `c` is at `v`, its version current at `$asOf`
 * (VERSION_AS_OF), read by that version's own visibility; status and expiry are judged at `$now` (the time of
 * event `$asOf`), valid time at `$validAt`. Similarity candidates come from the vector index over the versions'
 * embeddings (PAST_VECTOR_NEAREST), as the current ones come from the index over today's texts; the other branches
 * walk the versions up to `$asOf` with cheap predicates (tags, relevance, source) and never touch a vector.
 */

/**
 * `e`: the embedding of `v.text`. A version keeps one when its text differs from the previous version's (or it is
 * the first; older versions were backfilled at migration); otherwise the nearest earlier version with the same
 * text has it.
 */
const VERSION_EMBEDDING = cypher`CASE WHEN v.embedding IS NOT NULL THEN v.embedding ELSE
       COLLECT { MATCH (c)-[:HAS_VERSION]->(w:ContextVersion) WHERE w.version < v.version AND w.embedding IS NOT NULL AND w.text = v.text
         RETURN w.embedding ORDER BY w.version DESC LIMIT 1 }[0] END`;

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

/**
 * The `$k` routable contexts whose text then was nearest `$embedding`, best first (`ids`), from `$probes` hits of the
 * version index: a hit counts when it is the version current at `$asOf`, or the one whose embedding that version reuses
 * (same text, no vector of its own), and that version was routable for the reader then (ROUTABLE_THEN, before the
 * limit: contexts hidden from the reader must not crowd out its own). Other hits are skipped, so `hits` (what the index
 * returned) tells the caller whether asking for more could find more. Scores are exact cosines ((1 + cos) / 2).
 */
export const PAST_VECTOR_NEAREST = statement(
  'pastVectorNearest',
  cypher`CALL db.index.vector.queryNodes($versionVectorIndex, $probes, $embedding) YIELD node AS w
   WITH collect(w) AS found
   CALL (found) {
     UNWIND found AS w
     WITH w WHERE w.seq <= $asOf
     MATCH (c:Context { id: w.contextId })
     ${VERSION_AS_OF}
     WITH c, v, w WHERE (v = w OR (v.embedding IS NULL AND v.text = w.text AND v.version > w.version)) AND ${ROUTABLE_THEN}
     WITH c, max(vector.similarity.cosine(w.embedding, $embedding)) AS score
     ORDER BY score DESC, c.id LIMIT $k
     RETURN collect(c.id) AS ids, collect(score) AS scores
   }
   RETURN size(found) AS hits, ids, scores`,
);

/** `c` at `v` for each `hit` of a list of `{ id, score }` from PAST_VECTOR_NEAREST. */
const AT_HITS = (hits: Cypher) => cypher`UNWIND ${hits} AS hit
     MATCH (c:Context { id: hit.id })
     ${VERSION_AS_OF}`;

/**
 * The versions current at `$asOf` whose text matches `$luceneQuery`, best first, at most `$k`: the version index
 * holds every version ever written, so it is asked for `$fulltextLimit` hits and filtered to the current ones.
 */
const FULLTEXT_THEN = cypher`CALL db.index.fulltext.queryNodes($versionFulltextIndex, $luceneQuery, { limit: $fulltextLimit })
     YIELD node, score
     WITH node, score WHERE node.seq <= $asOf
     MATCH (c:Context { id: node.contextId })
     ${VERSION_AS_OF}
     WITH c, v, score WHERE v = node AND ${ROUTABLE_THEN}
     WITH c, v, score ORDER BY score DESC LIMIT $k`;

const PAST_CANDIDATE_RETURN = cypher`RETURN c ${CONTEXT_FIELDS} AS context, v ${VERSION_FIELDS_AS_OF('v')} AS version,
     sources, vectorScore, fulltextScore, 2 * ts - 1 AS taskSimilarity,
     CASE WHEN $hasNeeds THEN 2 * ns - 1 END AS needsSimilarity, ex AS explicitRelevance`;

/**
 * The branches of ROUTING_CANDIDATES over the states then; every branch filters before its limit, as there (the
 * outer filter stays for the vector hits, already filtered by PAST_VECTOR_NEAREST). The
 * tag and relevance branches scan the versions up to `$asOf` (seq index) for ones that ever matched, then keep the
 * contexts whose version then matches: tags are compared raw, `$needTags` being the tags then whose topic key is a need.
 */
const candidateBranches = (withFulltext: boolean): Cypher => cypher`
     ${AT_HITS(cypher`$vectorHits`)}
     RETURN c, v, 'vector' AS source, hit.score AS score
     UNION ALL
     ${AT_HITS(cypher`$needsHits`)}
     RETURN c, v, 'needs_vector' AS source, hit.score AS score
     ${
       withFulltext
         ? cypher`UNION ALL
     ${FULLTEXT_THEN}
     RETURN c, v, 'fulltext' AS source, score`
         : cypher``
     }
     UNION ALL
     WITH $needTags AS needTags WHERE size(needTags) > 0
     MATCH (x:ContextVersion) WHERE x.seq <= $asOf AND any(t IN x.tags WHERE t IN needTags)
     WITH DISTINCT x.contextId AS id
     MATCH (c:Context { id: id })
     ${VERSION_AS_OF}
     WITH c, v WHERE any(t IN v.tags WHERE t IN $needTags) AND ${ROUTABLE_THEN}
     WITH c, v ORDER BY c.createdSeq DESC LIMIT $k
     RETURN c, v, 'topic' AS source, null AS score
     UNION ALL
     WITH $relevanceMarker AS marker WHERE marker IS NOT NULL
     MATCH (x:ContextVersion) WHERE x.seq <= $asOf AND x.relevanceJson CONTAINS marker
     WITH DISTINCT x.contextId AS id
     MATCH (c:Context { id: id })
     ${VERSION_AS_OF}
     WITH c, v, ${EXPLICIT_THEN} AS ex WHERE ex IS NOT NULL AND ${ROUTABLE_THEN}
     WITH c, v, ex ORDER BY ex DESC, c.createdSeq DESC LIMIT $k
     RETURN c, v, 'explicit' AS source, ex AS score
     UNION ALL
     MATCH (c:Context { sourceAgentId: $agentId }) WHERE c.createdSeq <= $asOf
     ${VERSION_AS_OF}
     WITH c, v WHERE ${ROUTABLE_THEN}
     WITH c, v ORDER BY c.createdSeq DESC LIMIT $k
     RETURN c, v, 'own' AS source, null AS score`;

const pastCandidatesStatement = (name: string, withFulltext: boolean) =>
  statement(
    name,
    cypher`CALL () { ${candidateBranches(withFulltext)} }
     WITH c, v, source, score WHERE ${ROUTABLE_THEN}
     WITH c, v, collect(DISTINCT source) AS sources,
       max(CASE WHEN source = 'vector' THEN score END) AS vectorScore,
       max(CASE WHEN source = 'fulltext' THEN score END) AS fulltextScore
     WITH c, v, sources, vectorScore, fulltextScore, ${VERSION_EMBEDDING} AS e
     WITH c, v, sources, vectorScore, fulltextScore, vector.similarity.cosine(e, $taskEmbedding) AS ts,
       vector.similarity.cosine(e, $needsEmbedding) AS ns, ${EXPLICIT_THEN} AS ex
     ${PAST_CANDIDATE_RETURN}`,
  );

/** ROUTING_CANDIDATES as of `$asOf`; `$vectorHits` and `$needsHits` come from PAST_VECTOR_NEAREST. */
export const PAST_ROUTING_CANDIDATES = pastCandidatesStatement('pastRoutingCandidates', true);

export const PAST_ROUTING_CANDIDATES_NO_FULLTEXT = pastCandidatesStatement('pastRoutingCandidatesNoFulltext', false);

/**
 * The tags of the versions up to `$asOf` (a superset of the tags then): the topic branch matches raw tags, and
 * only the service can normalise them to topic keys.
 */
export const PAST_TAGS = statement(
  'pastTags',
  cypher`MATCH (x:ContextVersion) WHERE x.seq <= $asOf
   UNWIND x.tags AS tag
   RETURN collect(DISTINCT tag) AS tags`,
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

/** SEARCH_VECTOR as of `$asOf`: `$vectorHits` (PAST_VECTOR_NEAREST, routable hits only). */
export const PAST_SEARCH_VECTOR = statement(
  'pastSearchVector',
  cypher`${AT_HITS(cypher`$vectorHits`)}
   WITH c, v, hit.score AS score
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
