import { cypher } from '../cypher.js';
import { PACKAGE_FIELDS } from './decisions.js';
import { statement } from './fragments.js';

/**
 * Feedback on delivered packages (`:Feedback`, one per package and context: a later word replaces the earlier)
 * and the bounded reads meshStats adds up (src/domain/effectiveness/mesh-stats.ts).
 */

export const UPSERT_FEEDBACK = statement(
  'upsertFeedback',
  cypher`MERGE (f:Feedback { packageId: $f.packageId, contextId: $f.contextId })
   ON CREATE SET f.at = $f.at
   SET f.agentId = $f.agentId, f.used = $f.used, f.useful = $f.useful, f.updatedAt = $f.at
   RETURN f { .packageId, .contextId, .agentId, .used, .useful, .at, .updatedAt } AS feedback`,
);

/** Packages given in [from, to), of one agent or of all, newest first, at most $first. */
export const PACKAGES_IN_RANGE = statement(
  'packagesInRange',
  cypher`MATCH (r:RoutedPackage)
   WHERE ($agentId IS NULL OR r.agentId = $agentId) AND ($from IS NULL OR r.at >= $from) AND ($to IS NULL OR r.at < $to)
   WITH r ORDER BY r.at DESC, r.ordinal DESC LIMIT $first
   MATCH (r)-[:HAS_BODY]->(pb:PackageBody)
   RETURN ${PACKAGE_FIELDS}
   ORDER BY r.at DESC, r.ordinal DESC`,
);

export const FEEDBACK_OF_PACKAGES = statement(
  'feedbackOfPackages',
  cypher`MATCH (f:Feedback) WHERE f.packageId IN $ids
   RETURN f { .packageId, .contextId, .agentId, .used, .useful, .at, .updatedAt } AS feedback`,
);

/** When each given context version was written (delivered age = delivery time minus this). */
export const VERSION_TIMES = statement(
  'versionTimes',
  cypher`UNWIND $refs AS ref
   MATCH (v:ContextVersion { contextId: ref.contextId, version: ref.version })
   RETURN v.contextId AS contextId, v.version AS version, v.at AS at`,
);

/** Conflicts raised (createdAt) and resolved (resolvedAt) in [from, to); of one agent: those it took a position in or was escalated. */
export const CONFLICT_COUNTS = statement(
  'conflictCounts',
  cypher`MATCH (x:Conflict)
   WHERE $agentId IS NULL OR $agentId IN x.agentIds OR $agentId IN coalesce(x.escalatedTo, [])
   RETURN
     count(CASE WHEN ($from IS NULL OR x.createdAt >= $from) AND ($to IS NULL OR x.createdAt < $to) THEN 1 END) AS raised,
     count(CASE WHEN x.resolvedAt IS NOT NULL AND ($from IS NULL OR x.resolvedAt >= $from) AND ($to IS NULL OR x.resolvedAt < $to)
       THEN 1 END) AS resolved`,
);
