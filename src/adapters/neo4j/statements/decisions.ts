import { cypher } from '../cypher.js';
import { CONTEXT_FIELDS, statement, VISIBLE, VISIBLE_VERSION, VISIBLE_VERSION_FIELDS } from './fragments.js';

/**
 * Recorded packages (`:RoutedPackage`, the label `:Delivery` belongs to the broadcast log) and decisions.
 * A package body is stored once per content hash (`:PackageBody`): every cache hit of one computation
 * shares it. Writes MERGE on ids, so a batch the driver retries writes nothing twice.
 */

export const MERGE_PACKAGE_BODIES = statement(
  'mergePackageBodies',
  cypher`UNWIND $bodies AS b
   MERGE (pb:PackageBody { hash: b.hash })
   ON CREATE SET pb.json = b.json`,
);

export const MERGE_ROUTED_PACKAGES = statement(
  'mergeRoutedPackages',
  cypher`UNWIND $packages AS p
   MATCH (pb:PackageBody { hash: p.bodyHash })
   MERGE (r:RoutedPackage { id: p.id })
   ON CREATE SET r.agentId = p.agentId, r.at = p.at, r.ordinal = p.ordinal, r.cached = p.cached,
     r.coalesced = p.coalesced, r.prefetched = p.prefetched, r.poolTokens = p.poolTokens, r.replayOf = p.replayOf, r.bodyHash = p.bodyHash
   MERGE (r)-[:HAS_BODY]->(pb)`,
);

/** Pools measured after their batch was written (package-log.ts): set once, never overwritten. */
export const SET_POOL_TOKENS = statement(
  'setPoolTokens',
  cypher`UNWIND $pools AS p
   MATCH (r:RoutedPackage { id: p.id })
   WHERE r.poolTokens IS NULL
   SET r.poolTokens = p.poolTokens`,
);

export const PACKAGE_FIELDS = cypher`r { .id, .agentId, .at, .cached, .coalesced, .prefetched, .poolTokens, .replayOf } AS package, pb.json AS body`;

export const PACKAGES_BY_AGENT = statement(
  'packagesByAgent',
  cypher`MATCH (r:RoutedPackage { agentId: $agentId })
   WHERE ($from IS NULL OR r.at >= $from) AND ($to IS NULL OR r.at < $to)
   WITH r ORDER BY r.at DESC, r.ordinal DESC LIMIT $first
   MATCH (r)-[:HAS_BODY]->(pb:PackageBody)
   RETURN ${PACKAGE_FIELDS}
   ORDER BY r.at DESC, r.ordinal DESC`,
);

export const PACKAGES_BY_IDS = statement(
  'packagesByIds',
  cypher`MATCH (r:RoutedPackage) WHERE r.id IN $ids
   MATCH (r)-[:HAS_BODY]->(pb:PackageBody)
   RETURN ${PACKAGE_FIELDS}`,
);

/** The decision, linked to its package, the versions it used (kept for retention) and the decision it replays. */
export const CREATE_DECISION = statement(
  'createDecision',
  cypher`MATCH (r:RoutedPackage { id: $decision.packageId })
   CREATE (d:Decision { id: $decision.id, agentId: $decision.agentId, at: $decision.at, ordinal: $ordinal,
     inputJson: $decision.inputJson, outputJson: $decision.outputJson, usedJson: $decision.usedJson,
     packageId: $decision.packageId, replayOf: $decision.replayOf })
   CREATE (d)-[:FROM_PACKAGE]->(r)
   WITH d
   CALL (d) {
     UNWIND $used AS u
     MATCH (v:ContextVersion { contextId: u.contextId, version: u.version })
     CREATE (d)-[:USED]->(v)
   }
   CALL (d) {
     OPTIONAL MATCH (o:Decision { id: $decision.replayOf })
     FOREACH (_ IN CASE WHEN o IS NULL THEN [] ELSE [1] END | CREATE (d)-[:REPLAYS]->(o))
   }
   RETURN d.id AS id`,
);

const DECISION_FIELDS = cypher`d { .id, .agentId, .at, .inputJson, .outputJson, .usedJson, .packageId, .replayOf } AS decision`;

export const DECISIONS_BY_AGENT = statement(
  'decisionsByAgent',
  cypher`MATCH (d:Decision { agentId: $agentId })
   WHERE ($from IS NULL OR d.at >= $from) AND ($to IS NULL OR d.at < $to)
   WITH d ORDER BY d.at DESC, d.ordinal DESC LIMIT $first
   RETURN ${DECISION_FIELDS}
   ORDER BY d.at DESC, d.ordinal DESC`,
);

export const DECISIONS_BY_IDS = statement(
  'decisionsByIds',
  cypher`MATCH (d:Decision) WHERE d.id IN $ids
   RETURN ${DECISION_FIELDS}`,
);

/** Given versions, by each version's own visibility rule. */
export const CONTEXTS_AT_VERSIONS = statement(
  'contextsAtVersions',
  cypher`UNWIND $refs AS ref
   MATCH (v:ContextVersion { contextId: ref.contextId, version: ref.version }) WHERE ${VISIBLE_VERSION('v')}
   MATCH (c:Context { id: ref.contextId })-[:HAS_VERSION]->(v)
   RETURN c ${CONTEXT_FIELDS} AS context, v ${VISIBLE_VERSION_FIELDS('v')} AS version`,
);

/** Each context's latest version at or before `$asOf`, by that version's own visibility rule. */
export const CONTEXTS_AS_OF_SEQ = statement(
  'contextsAsOfSeq',
  cypher`UNWIND $ids AS id
   MATCH (c:Context { id: id })-[:HAS_VERSION]->(x:ContextVersion) WHERE x.seq <= $asOf
   WITH c, x ORDER BY x.version DESC
   WITH c, collect(x)[0] AS v
   WHERE ${VISIBLE_VERSION('v')}
   RETURN c ${CONTEXT_FIELDS} AS context, v ${VISIBLE_VERSION_FIELDS('v')} AS version`,
);

export const CURRENT_VERSIONS = statement(
  'currentVersions',
  cypher`MATCH (c:Context) WHERE c.id IN $ids AND ${VISIBLE('c')}
   RETURN c.id AS contextId, c.version AS version`,
);
