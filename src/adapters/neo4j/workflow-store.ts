import { randomUUID } from 'node:crypto';
import type { Clock } from '../../domain/ports.js';
import type { IdempotencyClaim, WriteResult } from '../../domain/store-ports.js';
import type { Viewer } from '../../domain/types.js';
import type {
  AttemptContext,
  AttemptWindowQuery,
  CompletionInputs,
  CompletionResult,
  PreparedNotice,
  StepRef,
  WorkflowStore,
} from '../../domain/workflows/ports.js';
import { evaluateRequirements, roleKey, warningsKey, type PolicyOutcome } from '../../domain/workflows/requirements.js';
import type { RunningStep } from '../../domain/workflows/stand-in.js';
import { attemptWindow, completeTransition, NEVER_STARTED, startTransition } from '../../domain/workflows/steps.js';
import {
  MESH_AGENT_ID,
  type PolicyViolation,
  type PublishingPolicy,
  type StepRecord,
  type StepRunState,
  type StepStatus,
  type WorkflowDefinition,
  type WorkflowRecord,
} from '../../domain/workflows/types.js';
import { NotFoundError } from '../../domain/errors.js';
import { assertAgentsExist } from './context-checks.js';
import { publishInTransaction } from './context-store.js';
import { int, type Neo4jExecutor, type Row, type TxRunner } from './executor.js';
import { claimIdempotency, completeIdempotency } from './idempotency.js';
import { strOrNull, strings, toContext } from './mapping.js';
import { EVENT_POSITION } from './statements/events.js';
import { viewerParams } from './statements/fragments.js';
import {
  ALL_WORKFLOWS,
  ATTEMPT_CONTEXTS,
  CREATE_VIOLATIONS,
  DEFINE_WORKFLOW,
  ENSURE_MESH_AGENT,
  LOCK_STEP,
  POLICIES_FOR_STEP,
  RUNNING_STEPS_OF_AGENT,
  SET_STEP_STATE,
  STEP_STATE,
  WORKFLOWS_BY_IDS,
} from './statements/workflows.js';

const numOrNull = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));
const ADMIN: Viewer = { kind: 'admin' };
const RETRACTED = 'RETRACTED';

export function toStep(value: unknown): StepRecord {
  const s = value as Row;
  return {
    workflowId: String(s['workflowId']),
    id: String(s['id']),
    position: Number(s['position']),
    agentId: String(s['agentId']),
    needs: strings(s['needs']),
    produces: strings(s['produces']),
    requires: strings(s['requires']),
    next: strings(s['next']),
    status: String(s['status']) as StepStatus,
    attempt: Number(s['attempt'] ?? 0),
    startedSeq: numOrNull(s['startedSeq']),
    startedAt: strOrNull(s['startedAt']),
    startedBy: strOrNull(s['startedBy']),
    completedSeq: numOrNull(s['completedSeq']),
    completedAt: strOrNull(s['completedAt']),
    completedBy: strOrNull(s['completedBy']),
  };
}

function toWorkflow(row: Row): WorkflowRecord {
  const w = row['workflow'] as Row;
  return {
    id: String(w['id']),
    name: String(w['name']),
    definedAt: String(w['definedAt']),
    updatedAt: String(w['updatedAt']),
    definedBy: String(w['definedBy']),
    steps: (row['steps'] as unknown[]).map(toStep),
  };
}

export function toPolicy(value: unknown): PublishingPolicy {
  const p = value as Row;
  const kind = String(p['kind']);
  const target: PublishingPolicy['target'] =
    kind === 'AGENT'
      ? { kind: 'AGENT', agentId: String(p['agentId']) }
      : kind === 'ROLE'
        ? { kind: 'ROLE', role: String(p['role']) }
        : { kind: 'STEP', workflowId: String(p['workflowId']), stepId: String(p['stepId']) };
  return {
    id: String(p['id']),
    target,
    requires: strings(p['requires']),
    mode: String(p['mode']) === 'WARN' ? 'WARN' : 'ENFORCE',
    createdAt: String(p['createdAt']),
    updatedAt: String(p['updatedAt']),
    setBy: String(p['setBy']),
  };
}

export function toViolation(value: unknown): PolicyViolation {
  const v = value as Row;
  return {
    id: String(v['id']),
    policyId: String(v['policyId']),
    workflowId: String(v['workflowId']),
    stepId: String(v['stepId']),
    agentId: String(v['agentId']),
    attempt: Number(v['attempt']),
    missing: strings(v['missing']),
    at: String(v['at']),
    contextId: String(v['contextId']),
  };
}

/** Thrown inside completeStep's transaction to roll it back when the prepared notice does not fit what it found. */
class NoticeOutOfDate extends Error {
  constructor(
    readonly attempt: number,
    readonly warnings: PolicyOutcome[],
  ) {
    super('the prepared policy-violation notice is out of date');
  }
}

/** Workflows and the run state of their steps; startStep and completeStep each run under the step's lock. */
export class Neo4jWorkflowStore implements WorkflowStore {
  constructor(
    private readonly executor: Neo4jExecutor,
    private readonly clock: Clock,
    /** For the mesh's notices, published inside completeStep's transaction (see publishInTransaction). */
    private readonly publishing: { embeddingModel: string; stalenessDepth: number },
  ) {}

  async define(definition: WorkflowDefinition, by: string, idempotency: IdempotencyClaim | null): Promise<WorkflowRecord> {
    const now = this.clock.now().toISOString();
    const id = await this.executor.write('defineWorkflow', async (tx) => {
      const prior = await claimIdempotency(tx, idempotency, now);
      if (prior !== null) return JSON.parse(prior) as string;
      await assertAgentsExist(
        tx,
        definition.steps.map((s) => s.agentId),
      );
      const steps = definition.steps.map((step, position) => ({ ...step, position }));
      await tx.run(DEFINE_WORKFLOW, { id: definition.id, name: definition.name, by, now, pending: NEVER_STARTED.status, steps });
      await completeIdempotency(tx, idempotency, JSON.stringify(definition.id));
      return definition.id;
    });
    const [workflow] = await this.getMany([id]);
    if (!workflow) throw new Error(`workflow ${id} vanished after it was defined`);
    return workflow;
  }

  async getMany(ids: readonly string[]): Promise<(WorkflowRecord | null)[]> {
    if (ids.length === 0) return [];
    const found = new Map((await this.executor.readOne(WORKFLOWS_BY_IDS, { ids })).map(toWorkflow).map((w) => [w.id, w]));
    return ids.map((id) => found.get(id) ?? null);
  }

  async list(limit: number): Promise<WorkflowRecord[]> {
    return (await this.executor.readOne(ALL_WORKFLOWS, { limit })).map(toWorkflow);
  }

  async runningStepsOf(agentId: string, limit: number): Promise<RunningStep[]> {
    const rows = await this.executor.readOne(RUNNING_STEPS_OF_AGENT, { agentId, running: 'RUNNING', limit: int(limit) });
    return rows.map((row) => ({ step: toStep(row['step']), workflowName: String(row['workflowName']) }));
  }

  async completionInputs(ref: StepRef): Promise<CompletionInputs | null> {
    return this.executor.read('completionInputs', async (tx) => {
      const [row] = await tx.run(STEP_STATE, { ...ref });
      return row ? this.inputsOf(tx, toStep(row['step']), strOrNull(row['role'])) : null;
    });
  }

  async start(ref: StepRef, viewer: Viewer, idempotency: IdempotencyClaim | null): Promise<StepRecord> {
    const now = this.clock.now().toISOString();
    return this.executor.write('startStep', async (tx) => {
      const prior = await claimIdempotency(tx, idempotency, now);
      const { step } = await this.lockedStep(tx, ref, now);
      if (prior !== null) return step;
      const { changed, state } = startTransition(viewer, step, await position(tx), now);
      const started = changed ? await this.setState(tx, ref, state) : step;
      await completeIdempotency(tx, idempotency, JSON.stringify(ref));
      return started;
    });
  }

  async complete(
    ref: StepRef,
    viewer: Viewer,
    idempotency: IdempotencyClaim | null,
    notice: PreparedNotice | null,
  ): Promise<CompletionResult> {
    const now = this.clock.now().toISOString();
    try {
      return await this.executor.write('completeStep', async (tx): Promise<CompletionResult> => {
        const prior = await claimIdempotency(tx, idempotency, now);
        const { step, role } = await this.lockedStep(tx, ref, now);
        if (prior !== null) return { outcome: 'completed', step, violations: [], write: null };
        const inputs = await this.inputsOf(tx, step, role);
        const report = evaluateRequirements({ ...target(step, role), requires: step.requires }, inputs.policies, inputs.contexts);
        const state = completeTransition(viewer, step, report, await position(tx), now);
        const warned = report.warnings.length > 0;
        if (warned && notice?.key !== warningsKey(step.attempt, report.warnings)) throw new NoticeOutOfDate(step.attempt, report.warnings);
        const completed = await this.setState(tx, ref, state);
        const recorded = warned && notice ? await this.recordViolations(tx, completed, report.warnings, notice, now) : null;
        await completeIdempotency(tx, idempotency, JSON.stringify(ref));
        return { outcome: 'completed', step: completed, violations: recorded?.violations ?? [], write: recorded?.write ?? null };
      });
    } catch (error) {
      if (error instanceof NoticeOutOfDate) return { outcome: 'replan', attempt: error.attempt, warnings: error.warnings };
      throw error;
    }
  }

  async attemptContexts(windows: readonly AttemptWindowQuery[], viewer: Viewer): Promise<AttemptContext[][]> {
    if (windows.length === 0) return [];
    const rows = await this.executor.readOne(ATTEMPT_CONTEXTS, { windows, retracted: RETRACTED, ...viewerParams(viewer) });
    const grouped: AttemptContext[][] = windows.map(() => []);
    for (const row of rows) grouped[Number(row['i'])]?.push({ context: toContext(row['context']), visible: row['visible'] === true });
    return grouped;
  }

  /** Locks the step (NOT_FOUND for an unknown workflow or step) and reads it after the lock, with its agent's role. */
  private async lockedStep(tx: TxRunner, ref: StepRef, now: string): Promise<{ step: StepRecord; role: string | null }> {
    const [lock] = await tx.run(LOCK_STEP, { ...ref, now });
    if (lock?.['workflowExists'] !== true) throw new NotFoundError('Workflow', [ref.workflowId]);
    if (lock['stepExists'] !== true) throw new NotFoundError('WorkflowStep', [ref.stepId]);
    const [row] = await tx.run(STEP_STATE, { ...ref });
    if (!row) throw new NotFoundError('WorkflowStep', [ref.stepId]);
    return { step: toStep(row['step']), role: strOrNull(row['role']) };
  }

  /** What deciding a completion reads; the attempt's contexts unfiltered (a requirement is about what was published). */
  private async inputsOf(tx: TxRunner, step: StepRecord, role: string | null): Promise<CompletionInputs> {
    const policies = (
      await tx.run(POLICIES_FOR_STEP, {
        agentId: step.agentId,
        roleKey: role === null ? null : roleKey(role),
        workflowId: step.workflowId,
        stepId: step.id,
      })
    ).map((row) => toPolicy(row['policy']));
    const window = attemptWindow(step);
    const rows = window
      ? await tx.run(ATTEMPT_CONTEXTS, {
          windows: [{ workflowId: step.workflowId, agentId: step.agentId, ...window }],
          retracted: RETRACTED,
          ...viewerParams(ADMIN),
        })
      : [];
    return { step, role, policies, contexts: rows.map((row) => toContext(row['context'])) };
  }

  private async setState(tx: TxRunner, ref: StepRef, state: StepRunState): Promise<StepRecord> {
    const run: StepRunState = {
      status: state.status,
      attempt: state.attempt,
      startedSeq: state.startedSeq,
      startedAt: state.startedAt,
      startedBy: state.startedBy,
      completedSeq: state.completedSeq,
      completedAt: state.completedAt,
      completedBy: state.completedBy,
    };
    const [row] = await tx.run(SET_STEP_STATE, { ...ref, state: run });
    if (!row) throw new NotFoundError('WorkflowStep', [ref.stepId]);
    return toStep(row['step']);
  }

  /** The WARN violations of a completion and the notice telling the step's agent, published as the mesh. */
  private async recordViolations(
    tx: TxRunner,
    step: StepRecord,
    warnings: readonly PolicyOutcome[],
    notice: PreparedNotice,
    now: string,
  ): Promise<{ violations: PolicyViolation[]; write: WriteResult }> {
    const [mesh] = await tx.run(ENSURE_MESH_AGENT, { id: MESH_AGENT_ID, name: 'Context Mesh', role: 'mesh', now });
    if (mesh?.['system'] !== true) throw new Error(`agent ${MESH_AGENT_ID} exists but is not the mesh's own agent`);
    const write = await publishInTransaction(tx, [notice.context], ADMIN, { now, ...this.publishing });
    const violations = warnings.map((w) => ({
      id: randomUUID(),
      policyId: w.policyId,
      workflowId: step.workflowId,
      stepId: step.id,
      agentId: step.agentId,
      attempt: step.attempt,
      missing: w.missing,
      at: now,
      contextId: notice.context.id,
    }));
    await tx.run(CREATE_VIOLATIONS, { violations, now });
    return { violations, write };
  }
}

const target = (step: StepRecord, role: string | null) => ({ workflowId: step.workflowId, stepId: step.id, agentId: step.agentId, role });

async function position(tx: TxRunner): Promise<number> {
  const [row] = await tx.run(EVENT_POSITION);
  return Number(row?.['position'] ?? 0);
}
