import { cypher } from '../cypher.js';
import { AGENT_FIELDS, statement } from './fragments.js';

/** Agent records: registration and lookups. */

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

export const AGENT_PRESENCE = statement(
  'agentPresence',
  cypher`UNWIND $ids AS id OPTIONAL MATCH (a:Agent { id: id }) RETURN id, a IS NOT NULL AS exists`,
);
