import neo4j from 'neo4j-driver';
import type { ProvidedNeo4j } from '../setup/neo4j.global.js';

/**
 * What a test namespace leaves behind, deleted in dependency order. A namespace owns the agents whose id
 * (or, for generated ids, name) starts with it, the contexts those agents sourced or whose id starts with
 * it (or carried a workflow id starting with it), their versions, events and deliveries, its workflows, publishing
 * policies and violations, and idempotency records naming it. Shared nodes (the event
 * counter, topics) stay: other files running at the same time may be using them.
 */
const CLEANUP_STEPS: readonly { name: string; cypher: string }[] = [
  {
    name: 'contexts, their versions and their events',
    cypher: `MATCH (c:Context)
      WHERE c.id STARTS WITH $ns OR c.sourceAgentId STARTS WITH $ns OR c.workflowId STARTS WITH $ns
         OR EXISTS { MATCH (a:Agent)-[:PRODUCED]->(c) WHERE a.name STARTS WITH $ns }
      WITH collect(c) AS contexts, collect(c.id) AS ids
      CALL (ids) { MATCH (v:ContextVersion) WHERE v.contextId IN ids DETACH DELETE v }
      CALL (ids) { MATCH (e:Event) WHERE e.contextId IN ids DELETE e }
      UNWIND contexts AS c
      DETACH DELETE c`,
  },
  {
    // Recorded packages and decisions of the namespace's agents (by id or, for generated ids, name); a body no
    // package points at any more goes too. Runs before the agents are deleted, to find them by name.
    name: 'recorded packages',
    cypher: `MATCH (a:Agent) WHERE a.id STARTS WITH $ns OR a.name STARTS WITH $ns
      WITH collect(a.id) AS ids
      MATCH (r:RoutedPackage) WHERE r.agentId IN ids
      OPTIONAL MATCH (r)-[:HAS_BODY]->(b:PackageBody)
      DETACH DELETE r
      WITH DISTINCT b WHERE b IS NOT NULL AND NOT EXISTS { (b)<-[:HAS_BODY]-() }
      DELETE b`,
  },
  {
    // Feedback on the namespace's agents' packages (the package's agent is stored on each).
    name: 'feedback',
    cypher: `MATCH (a:Agent) WHERE a.id STARTS WITH $ns OR a.name STARTS WITH $ns
      WITH collect(a.id) AS ids
      MATCH (f:Feedback) WHERE f.agentId IN ids DELETE f`,
  },
  {
    name: 'decisions',
    cypher: `MATCH (a:Agent) WHERE a.id STARTS WITH $ns OR a.name STARTS WITH $ns
      WITH collect(a.id) AS ids
      MATCH (d:Decision) WHERE d.agentId IN ids DETACH DELETE d`,
  },
  {
    // Deliveries to other files' agents stay: they chain by prevSeq, and read as invisible once the context is gone.
    name: 'agents and their deliveries',
    cypher: `MATCH (a:Agent) WHERE a.id STARTS WITH $ns OR a.name STARTS WITH $ns
      WITH collect(a) AS agents, collect(a.id) AS ids
      CALL (ids) { MATCH (d:Delivery) WHERE d.agentId IN ids DELETE d }
      UNWIND agents AS a
      DETACH DELETE a`,
  },
  {
    // Snapshots and rollbacks belong to the namespace of their workflow (tests never roll back the whole mesh).
    name: 'snapshots and rollbacks',
    cypher: `MATCH (s:Snapshot|Rollback) WHERE s.workflowId STARTS WITH $ns OR s.label STARTS WITH $ns DETACH DELETE s`,
  },
  {
    // Consensus: conflicts on the namespace's claims, escalations to its agents, escalation rules naming its claims or tags.
    name: 'conflicts and escalations',
    cypher: `CALL () { MATCH (x:Conflict) WHERE x.claim STARTS WITH $ns OR x.createdBy STARTS WITH $ns DELETE x }
      CALL () { MATCH (d:ConflictDelivery) WHERE d.agentId STARTS WITH $ns DELETE d }
      CALL () { MATCH (r:EscalationRule) WHERE r.claim STARTS WITH $ns OR r.tag STARTS WITH $ns DELETE r }`,
  },
  {
    // Workflows of the namespace (by id) with their steps; policies naming its agents, roles, workflows or ids; the
    // violations and step failures of its workflows and agents. (The mesh's notices went with the contexts of its workflows.)
    name: 'workflows, publishing policies and violations',
    cypher: `CALL () { MATCH (s:WorkflowStep) WHERE s.workflowId STARTS WITH $ns DETACH DELETE s }
      CALL () { MATCH (w:Workflow) WHERE w.id STARTS WITH $ns DETACH DELETE w }
      CALL () {
        MATCH (p:PublishingPolicy)
        WHERE p.id STARTS WITH $ns OR p.agentId STARTS WITH $ns OR p.role STARTS WITH $ns OR p.workflowId STARTS WITH $ns
        DELETE p
      }
      CALL () { MATCH (v:PolicyViolation) WHERE v.workflowId STARTS WITH $ns OR v.agentId STARTS WITH $ns DELETE v }
      CALL () { MATCH (f:StepFailure) WHERE f.workflowId STARTS WITH $ns OR f.agentId STARTS WITH $ns DELETE f }`,
  },
  {
    name: 'idempotency records',
    cypher: `MATCH (r:IdempotencyKey) WHERE r.key CONTAINS $ns DELETE r`,
  },
];

/** Deletes everything the namespace `ns` created, through a driver session of its own. */
export async function removeNamespaceData(connection: ProvidedNeo4j, ns: string): Promise<void> {
  // A short prefix would match other files' data: refuse rather than delete too much.
  if (!/^[a-z][\w-]{5,}$/.test(ns)) throw new Error(`refusing to clean up the namespace "${ns}"`);
  const auth = connection.password ? neo4j.auth.basic(connection.user, connection.password) : undefined;
  const driver = neo4j.driver(connection.uri, auth, { logging: { level: 'error', logger: () => undefined } });
  try {
    const session = driver.session({ database: 'neo4j' });
    try {
      for (const step of CLEANUP_STEPS) {
        try {
          await session.executeWrite((tx) => tx.run(step.cypher, { ns }));
        } catch (error) {
          throw new Error(`cleaning up namespace ${ns} failed at ${step.name}: ${(error as Error).message}`, { cause: error });
        }
      }
    } finally {
      await session.close();
    }
  } finally {
    await driver.close();
  }
}
