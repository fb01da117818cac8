import { cypher } from '../cypher.js';
import { CONTEXT_FIELDS, VISIBLE_VERSION, VISIBLE_VERSION_FIELDS, statement } from './fragments.js';

/** Snapshots, diffs between two points of the event log, and the reads and records of a rollback. */

/**
 * The contexts of a scope: one workflow (through the workflow index) or the whole mesh. Two statement texts rather
 * than `$workflowId IS NULL OR …`, which the planner cannot answer from the index.
 */
const IN_WORKFLOW = cypher`MATCH (c:Context { workflowId: $workflowId })`;
const IN_MESH = cypher`MATCH (c:Context)`;
export type Scope = 'workflow' | 'mesh';
const scopeMatch = (scope: Scope) => (scope === 'workflow' ? IN_WORKFLOW : IN_MESH);

const SNAPSHOT_FIELDS = cypher`{ .id, .label, .seq, .at, .workflowId, .createdBy, .kind }`;

/**
 * Takes the event counter's write lock (by writing to it) and records its value: every writer reserves its
 * seqs under that lock and holds it to commit, so every seq at or below the value is committed, and none
 * below it can commit later. The snapshot is a consistent point. The lock is held to this transaction's end.
 */
export const CREATE_SNAPSHOT = statement(
  'createSnapshot',
  cypher`MERGE (k:Counter { name: 'event' })
   ON CREATE SET k.value = 0
   SET k.lockedBy = $id
   CREATE (s:Snapshot { id: $id, label: $label, seq: k.value, at: $now, workflowId: $workflowId, createdBy: $createdBy, kind: $kind })
   RETURN s ${SNAPSHOT_FIELDS} AS snapshot`,
);

export const SNAPSHOT_BY_ID = statement('snapshotById', cypher`MATCH (s:Snapshot { id: $id }) RETURN s ${SNAPSHOT_FIELDS} AS snapshot`);

export const SNAPSHOTS = statement(
  'snapshots',
  cypher`MATCH (s:Snapshot) WHERE $workflowId IS NULL OR s.workflowId = $workflowId
   RETURN s ${SNAPSHOT_FIELDS} AS snapshot
   ORDER BY s.seq DESC, s.at DESC, s.id
   LIMIT toInteger($limit)`,
);

/**
 * Contexts whose latest version at `$toSeq` is newer than `$fromSeq` and readable by the viewer by that
 * version's own rule, with their version at `$fromSeq` when the viewer could read that one, and the time
 * of event `$toSeq` (the point the records are read as of).
 */
const diffRows = (scope: Scope) =>
  statement(
    scope === 'workflow' ? 'diffRowsOfWorkflow' : 'diffRows',
    cypher`CALL () {
     OPTIONAL MATCH (e:Event) WHERE e.seq <= $toSeq
     RETURN e.at AS pointAt ORDER BY e.seq DESC LIMIT 1
   }
   ${scopeMatch(scope)} WHERE c.createdSeq <= $toSeq
   CALL (c) {
     MATCH (c)-[:HAS_VERSION]->(x:ContextVersion) WHERE x.seq <= $toSeq
     RETURN x AS v ORDER BY x.seq DESC LIMIT 1
   }
   WITH pointAt, c, v WHERE v.seq > $fromSeq AND ${VISIBLE_VERSION('v')}
   CALL (c) {
     OPTIONAL MATCH (c)-[:HAS_VERSION]->(x:ContextVersion) WHERE x.seq <= $fromSeq
     RETURN x AS w ORDER BY x.seq DESC LIMIT 1
   }
   RETURN pointAt, c ${CONTEXT_FIELDS} AS context, v ${VISIBLE_VERSION_FIELDS('v')} AS version,
     CASE WHEN w IS NOT NULL AND ${VISIBLE_VERSION('w')} THEN w { .version, .status } END AS fromState
   ORDER BY v.seq, c.id`,
  );
export const DIFF_ROWS = { workflow: diffRows('workflow'), mesh: diffRows('mesh') };

/**
 * Every context of the scope (read as admin) with its current state in the fields a version records, and
 * its version at `$seq` (null: created after it). Read inside the rollback's transaction, after the undo
 * snapshot took the counter's lock, so the state is exactly the state at the undo snapshot.
 */
const rollbackTargets = (scope: Scope) =>
  statement(
    scope === 'workflow' ? 'rollbackTargetsOfWorkflow' : 'rollbackTargets',
    cypher`${scopeMatch(scope)}
   CALL (c) {
     OPTIONAL MATCH (c)-[:HAS_VERSION]->(x:ContextVersion) WHERE x.seq <= $seq
     RETURN x AS v ORDER BY x.seq DESC LIMIT 1
   }
   RETURN c { .id, .version, .text, .contentJson, .tags, .priority, .status, .confidence, .expiresAt, .visibleTo, .validFrom, .validUntil, .claim, .position,
       dependencies: COLLECT { MATCH (c)-[:DEPENDS_ON]->(d:Context) RETURN d.id },
       relevance: COLLECT { MATCH (c)-[r:RELEVANT_TO]->(a:Agent) RETURN { agentId: a.id, score: r.score, explicit: coalesce(r.explicit, false) } }
     } AS current,
     v ${VISIBLE_VERSION_FIELDS('v')} AS atSnapshot
   ORDER BY c.createdSeq`,
  );
export const ROLLBACK_TARGETS = { workflow: rollbackTargets('workflow'), mesh: rollbackTargets('mesh') };

/** The rollback's own record (what it restored and retracted, and the snapshot that undoes it). */
export const RECORD_ROLLBACK = statement(
  'recordRollback',
  cypher`MATCH (s:Snapshot { id: $snapshotId }), (u:Snapshot { id: $undoSnapshotId })
   CREATE (r:Rollback { id: $id, at: $now, workflowId: $workflowId, snapshotId: $snapshotId, undoSnapshotId: $undoSnapshotId,
     restored: $restored, retracted: $retracted, by: $by })
   CREATE (r)-[:TO_SNAPSHOT]->(s)
   CREATE (r)-[:UNDONE_BY]->(u)`,
);
