import { cypher } from '../cypher.js';
import { statement } from './fragments.js';

/**
 * History retention (src/domain/history/retention.ts): paged reads of what the rules need, and bounded deletes.
 * Every page seeks a unique index in key order (`Context.id`, `PackageBody.hash`, `Agent.id`) from the last key,
 * so a pass over 100k contexts costs the same per page at the end as at the start. Events are never deleted.
 *
 * A delete first writes to the node it may delete (`SET x.pruning`), which takes its write lock: a decision or
 * package being linked to it meanwhile either committed before (and the re-check sees it and keeps the node) or
 * waits for the delete. Nodes the re-check keeps lose the marker again in the same transaction.
 */

/** Contexts after `$after` in id order, each with every stored version and whether a decision used it. */
export const RETENTION_CONTEXTS_PAGE = statement(
  'retentionContextsPage',
  cypher`MATCH (c:Context) WHERE c.id > $after
   WITH c ORDER BY c.id LIMIT $limit
   RETURN c.id AS contextId, c.workflowId AS workflowId, c.version AS currentVersion,
     COLLECT { MATCH (c)-[:HAS_VERSION]->(v:ContextVersion)
       RETURN v { .version, .seq, .at, usedByDecision: EXISTS { (:Decision)-[:USED]->(v) } } } AS versions
   ORDER BY contextId`,
);

export const RETENTION_SNAPSHOT_POINTS = statement(
  'retentionSnapshotPoints',
  cypher`MATCH (s:Snapshot) RETURN s.seq AS seq, s.workflowId AS workflowId`,
);

/**
 * Package bodies after `$after` in hash order; the JSON only of those a package will still point at once packages
 * recorded before `$cutoff` (null: none) that no decision was made from are gone.
 */
export const RETENTION_PACKAGE_BODIES = statement(
  'retentionPackageBodies',
  cypher`MATCH (b:PackageBody) WHERE b.hash > $after
   WITH b ORDER BY b.hash LIMIT $limit
   WITH b, EXISTS { MATCH (r:RoutedPackage)-[:HAS_BODY]->(b)
     WHERE $cutoff IS NULL OR r.at >= $cutoff OR EXISTS { (:Decision)-[:FROM_PACKAGE]->(r) } } AS stays
   RETURN b.hash AS hash, CASE WHEN stays THEN b.json END AS json
   ORDER BY hash`,
);

export const RETENTION_AGENT_IDS = statement(
  'retentionAgentIds',
  cypher`MATCH (a:Agent) WHERE a.id > $after
   WITH a ORDER BY a.id LIMIT $limit
   RETURN a.id AS id ORDER BY id`,
);

/** Recorded packages of `$agentIds` older than `$cutoff` that no decision points at (the (agentId, at) index). */
const PRUNABLE_PACKAGES = cypher`UNWIND $agentIds AS agentId
   MATCH (r:RoutedPackage { agentId: agentId }) WHERE r.at < $cutoff AND NOT EXISTS { (:Decision)-[:FROM_PACKAGE]->(r) }`;

export const RETENTION_COUNT_PACKAGES = statement('retentionCountPackages', cypher`${PRUNABLE_PACKAGES} RETURN count(r) AS n`);

/** Deletes up to `$limit` such packages, re-checked under their lock, and every body no package points at any more. */
export const RETENTION_DELETE_PACKAGES = statement(
  'retentionDeletePackages',
  cypher`${PRUNABLE_PACKAGES}
   WITH r LIMIT $limit
   SET r.pruning = true
   WITH r, EXISTS { (:Decision)-[:FROM_PACKAGE]->(r) } AS decided
   FOREACH (_ IN CASE WHEN decided THEN [1] ELSE [] END | REMOVE r.pruning)
   WITH r WHERE NOT decided
   OPTIONAL MATCH (r)-[:HAS_BODY]->(b:PackageBody)
   WITH collect(r) AS packages, collect(DISTINCT b) AS bodies
   CALL (packages) { UNWIND packages AS r DETACH DELETE r }
   CALL (bodies) {
     UNWIND bodies AS b
     SET b.pruning = true
     WITH b, EXISTS { (b)<-[:HAS_BODY]-() } AS shared
     FOREACH (_ IN CASE WHEN shared THEN [1] ELSE [] END | REMOVE b.pruning)
     WITH b WHERE NOT shared
     DELETE b
   }
   RETURN size(packages) AS deleted`,
);

/**
 * Deletes the planned versions (`$versions`: contextId, version, nextSeq) after re-checking, under each version's
 * lock, the rules a concurrent write could change: still not current, no decision used it, no snapshot's point
 * falls in `[seq, nextSeq)` (a snapshot that needs it committed before its successor, so it is seen here).
 * Returns what went, what the re-check kept, and the highest `nextSeq` deleted (the new pruned horizon).
 */
export const RETENTION_DELETE_VERSIONS = statement(
  'retentionDeleteVersions',
  cypher`CALL () { MATCH (s:Snapshot) RETURN collect(s { .seq, .workflowId }) AS snapshots }
   UNWIND $versions AS p
   MATCH (c:Context { id: p.contextId })-[:HAS_VERSION]->(v:ContextVersion { version: p.version })
   SET v.pruning = true
   WITH c, v, p, v.version < c.version AS old, EXISTS { (:Decision)-[:USED]->(v) } AS used,
     any(s IN snapshots WHERE s.seq >= v.seq AND s.seq < p.nextSeq AND (s.workflowId IS NULL OR s.workflowId = c.workflowId)) AS pinned
   WITH v, p, old, used, pinned, old AND NOT used AND NOT pinned AS goes
   FOREACH (_ IN CASE WHEN goes THEN [] ELSE [1] END | REMOVE v.pruning)
   WITH v, p, old, used, pinned, goes
   CALL (v, goes) { WITH v WHERE goes DETACH DELETE v }
   RETURN sum(CASE WHEN goes THEN 1 ELSE 0 END) AS deleted,
     sum(CASE WHEN NOT old THEN 1 ELSE 0 END) AS keptCurrent,
     sum(CASE WHEN old AND pinned THEN 1 ELSE 0 END) AS keptSnapshots,
     sum(CASE WHEN old AND NOT pinned AND used THEN 1 ELSE 0 END) AS keptDecisions,
     coalesce(max(CASE WHEN goes THEN p.nextSeq END), 0) AS horizon`,
);

/** Raises the pruned horizon (never lowers it), in the deleting transaction. */
export const RAISE_PRUNED_HORIZON = statement(
  'raisePrunedHorizon',
  cypher`MERGE (k:Counter { name: 'pruned' })
   ON CREATE SET k.value = 0
   SET k.value = CASE WHEN $horizon > k.value THEN $horizon ELSE k.value END`,
);

export const PRUNED_HORIZON = statement(
  'prunedHorizon',
  cypher`OPTIONAL MATCH (k:Counter { name: 'pruned' }) RETURN coalesce(k.value, 0) AS horizon`,
);

/** The record of one pass (not an Event: events are per context, and the seq log's readers expect a context). */
export const RECORD_RETENTION = statement(
  'recordRetention',
  cypher`CREATE (:Retention { id: $r.id, at: $r.at, by: $r.by, cutoff: $r.cutoff, keepLast: $r.keepLast, packagesCutoff: $r.packagesCutoff,
     versionsDeleted: $r.versionsDeleted, packagesDeleted: $r.packagesDeleted, prunedBeforeSeq: $r.prunedBeforeSeq })`,
);
