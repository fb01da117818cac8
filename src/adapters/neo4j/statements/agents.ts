import { cypher } from '../cypher.js';
import { AGENT_FIELDS, statement } from './fragments.js';

/** Agent records: registration and lookups. */

export const CREATE_AGENT = statement(
  'createAgent',
  cypher`CREATE (a:Agent { id: $id, name: $name, role: $role, needs: $needs, produces: $produces,
     relevanceThreshold: $relevanceThreshold, tokenBudget: toInteger($tokenBudget), parentId: $parentId,
     apiKeyHash: $apiKeyHash, needsEmbedding: $needsEmbedding, createdAt: $now })
   FOREACH (scope IN CASE WHEN $scope IS NULL THEN [] ELSE [$scope] END |
     SET a.spawned = true, a.inherit = scope.inherit, a.isolate = scope.isolate, a.shadowedClaims = scope.shadowedClaims)
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

export const AGENT_PRESENCE = statement(
  'agentPresence',
  cypher`UNWIND $ids AS id OPTIONAL MATCH (a:Agent { id: id }) RETURN id, a IS NOT NULL AS exists`,
);

/**
 * An agent's spawn chain (README "Inheritance"): the spawned agents from the viewer up to the first agent that was not
 * spawned (the root), levels ordered root-side first as `$scopeLevels` takes them. No row for an unknown agent.
 */
export const AGENT_SCOPE_CHAIN = statement(
  'agentScopeChain',
  cypher`MATCH (a:Agent { id: $agentId })
   MATCH p = (a)-[:CHILD_OF*0..20]->(top:Agent)
   WHERE all(s IN nodes(p)[..-1] WHERE s.spawned = true) AND coalesce(top.spawned, false) = false
   RETURN top.id AS root, [s IN reverse(nodes(p)[..-1]) | s { agentId: s.id, inherit: coalesce(s.inherit, []),
     isolate: coalesce(s.isolate, []), shadowedClaims: coalesce(s.shadowedClaims, []) }] AS levels
   LIMIT 1`,
);
