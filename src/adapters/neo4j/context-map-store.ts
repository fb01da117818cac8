import type { MappedContext, StepFailure, StepFailureKind } from '../../domain/context-map.js';
import type { ContextMapStore, NewStepFailure, ReadableTopics, StepFailureRecorder } from '../../domain/context-map-ports.js';
import type { PackageRecord, TimeRange } from '../../domain/history/package-records.js';
import type { Clock } from '../../domain/ports.js';
import type { Viewer } from '../../domain/types.js';
import { toPackageRecord } from './decision-store.js';
import { int, type Neo4jExecutor, type Row } from './executor.js';
import { strOrNull, strings } from './mapping.js';
import {
  EDGES_AMONG_MAPPED,
  MAPPED_CONTEXTS_BY_IDS,
  PUBLISHED_IN_RANGE,
  READABLE_TOPICS,
  RECORD_STEP_FAILURE,
  STEP_FAILURES_IN_RANGE,
  dependencyClosure,
} from './statements/context-map.js';
import { PACKAGES_IN_RANGE } from './statements/effectiveness.js';
import { viewerParams } from './statements/fragments.js';

const RETRACTED = 'RETRACTED';

function toMapped(row: Row): MappedContext {
  const c = row['context'] as Row;
  return {
    id: String(c['id']),
    sourceAgentId: String(c['sourceAgentId']),
    type: String(c['type']),
    tags: strings(c['tags']),
    workflowId: strOrNull(c['workflowId']),
    createdAt: String(c['createdAt']),
    visible: row['visible'] === true,
  };
}

function toFailure(row: Row): StepFailure {
  const f = row['failure'] as Row;
  return {
    id: String(f['id']),
    kind: String(f['kind']) as StepFailureKind,
    workflowId: String(f['workflowId']),
    stepId: String(f['stepId']),
    agentId: String(f['agentId']),
    attempt: Number(f['attempt']),
    missing: strings(f['missing']),
    at: String(f['at']),
    policyId: strOrNull(f['policyId']),
  };
}

/** The Context Map's reads (statements/context-map.ts) and the step-failure writes of the workflow use-cases. */
export class Neo4jContextMapStore implements ContextMapStore, StepFailureRecorder {
  constructor(
    private readonly executor: Neo4jExecutor,
    private readonly clock: Clock,
  ) {}

  async packagesInRange(range: TimeRange, first: number): Promise<PackageRecord[]> {
    const rows = await this.executor.readOne(PACKAGES_IN_RANGE, { agentId: null, ...range, first: int(first) });
    return rows.map(toPackageRecord);
  }

  async contextsByIds(ids: readonly string[], viewer: Viewer): Promise<MappedContext[]> {
    if (ids.length === 0) return [];
    return (await this.executor.readOne(MAPPED_CONTEXTS_BY_IDS, { ids, ...viewerParams(viewer) })).map(toMapped);
  }

  async publishedInRange(workflowId: string | null, range: TimeRange, first: number, viewer: Viewer): Promise<MappedContext[]> {
    const params = { workflowId, ...range, first: int(first), ...viewerParams(viewer) };
    return (await this.executor.readOne(PUBLISHED_IN_RANGE, params)).map(toMapped);
  }

  async dependencyClosure(
    rootIds: readonly string[],
    depth: number,
    first: number,
    viewer: Viewer,
  ): Promise<{ nodes: MappedContext[]; edges: { from: string; to: string }[] }> {
    if (rootIds.length === 0) return { nodes: [], edges: [] };
    const rows = await this.executor.readOne(dependencyClosure(depth), { ids: rootIds, first: int(first), ...viewerParams(viewer) });
    const nodes = rows.map(toMapped);
    const edgeRows = await this.executor.readOne(EDGES_AMONG_MAPPED, { ids: nodes.map((n) => n.id) });
    return { nodes, edges: edgeRows.map((row) => ({ from: String(row['from']), to: String(row['to']) })) };
  }

  async stepFailures(workflowId: string | null, range: TimeRange, first: number): Promise<StepFailure[]> {
    const params = { workflowId, ...range, first: int(first), policyWarning: 'POLICY_WARNING' };
    return (await this.executor.readOne(STEP_FAILURES_IN_RANGE, params)).map(toFailure);
  }

  async record(failure: NewStepFailure): Promise<void> {
    await this.executor.write(RECORD_STEP_FAILURE.name, async (tx) => {
      await tx.run(RECORD_STEP_FAILURE, {
        f: { ...failure, attempt: int(failure.attempt), at: failure.at ?? this.clock.now().toISOString() },
      });
    });
  }

  async readableTopics(workflowId: string, agentId: string): Promise<ReadableTopics> {
    const params = { workflowId, retracted: RETRACTED, ...viewerParams({ kind: 'agent', agentId }) };
    const [row] = await this.executor.readOne(READABLE_TOPICS, params);
    return { types: strings(row?.['types']), tags: strings(row?.['tags']) };
  }
}
