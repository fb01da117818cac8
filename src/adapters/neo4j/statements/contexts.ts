import type { Direction } from '../../../domain/types.js';
import { cypher, pathBound } from '../cypher.js';
import type { Statement } from '../executor.js';
import { CONTEXT_FIELDS, VISIBLE, VISIBLE_VERSION, VISIBLE_VERSION_FIELDS, statement } from './fragments.js';

/** Context objects: presence checks, writes, and reads (always through `VISIBLE`). */

export const CONTEXT_PRESENCE = statement(
  'contextPresence',
  cypher`UNWIND $ids AS id
   OPTIONAL MATCH (c:Context { id: id })
   RETURN id, c IS NOT NULL AS exists, c IS NOT NULL AND ${VISIBLE('c')} AS visible`,
);

export const CREATE_CONTEXTS = statement(
  'createContexts',
  cypher`UNWIND $items AS item
   MATCH (a:Agent { id: item.sourceAgentId })
   CREATE (c:Context { id: item.id, type: item.type, text: item.text, contentJson: item.contentJson, tags: item.tags,
     priority: item.priority, status: 'ACTIVE', version: 1, tokens: toInteger(item.tokens), confidence: item.confidence,
     sourceAgentId: item.sourceAgentId, createdAt: $now, updatedAt: $now, expiresAt: item.expiresAt,
     visibleTo: item.visibleTo, workflowId: item.workflowId, validFrom: item.validFrom, validUntil: item.validUntil,
     claim: item.claim, position: item.position, createdSeq: toInteger(item.seq), embedding: item.embedding, embeddingModel: $embeddingModel })
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

export const CONTEXTS_BY_IDS = statement(
  'contextsByIds',
  cypher`UNWIND $ids AS id
   MATCH (c:Context { id: id }) WHERE ${VISIBLE('c')}
   RETURN c ${CONTEXT_FIELDS} AS context`,
);

/** One context as of `$asOf`: its latest version then, read by that version's own visibility (not the current one). */
export const CONTEXT_AS_OF = statement(
  'contextAsOf',
  cypher`MATCH (c:Context { id: $id })
   MATCH (c)-[:HAS_VERSION]->(v:ContextVersion) WHERE v.seq <= $asOf
   WITH c, v ORDER BY v.version DESC LIMIT 1
   WITH c, v WHERE ${VISIBLE_VERSION('v')}
   RETURN c ${CONTEXT_FIELDS} AS context, v ${VISIBLE_VERSION_FIELDS('v')} AS version`,
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
   WITH id, d ORDER BY d.id
   RETURN id, collect(d.id) AS dependencyIds`,
);

export const RELEVANCE_BY_CONTEXT_IDS = statement(
  'relevanceByContextIds',
  cypher`UNWIND $ids AS id
   MATCH (:Context { id: id })-[r:RELEVANT_TO]->(a:Agent)
   RETURN id, a.id AS agentId, r.score AS score, coalesce(r.explicit, false) AS explicit
   ORDER BY r.score DESC, a.id`,
);

export const HISTORY_BY_CONTEXT_IDS = statement(
  'historyByContextIds',
  cypher`UNWIND $ids AS id
   MATCH (:Context { id: id })-[:HAS_VERSION]->(v:ContextVersion) WHERE ${VISIBLE_VERSION('v')}
   RETURN id, v ${VISIBLE_VERSION_FIELDS('v')} AS version
   ORDER BY v.version DESC`,
);

export const EDGES_AMONG = statement(
  'edgesAmong',
  cypher`UNWIND $ids AS id
   MATCH (a:Context { id: id })-[:DEPENDS_ON]->(b:Context)
   WHERE b.id IN $ids
   RETURN a.id AS from, b.id AS to
   ORDER BY from, to`,
);

const traversalCache = new Map<string, Statement>();

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
