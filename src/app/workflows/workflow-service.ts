import { ForbiddenError, MissingRequiredContextError } from '../../domain/errors.js';
import type { NewContext, WriteResult } from '../../domain/store-ports.js';
import type { Agent, ContextRecord, Viewer } from '../../domain/types.js';
import type { PolicyStore, PreparedNotice, StepRef, WorkflowStore } from '../../domain/workflows/ports.js';
import { appliesTo, evaluateRequirements, warningsKey, type PolicyOutcome } from '../../domain/workflows/requirements.js';
import { attemptWindow, readySteps, workflowStatus } from '../../domain/workflows/steps.js';
import {
  MESH_AGENT_ID,
  type PublishingPolicy,
  type StepRecord,
  type StepTarget,
  type WorkflowRecord,
  type WorkflowStatus,
} from '../../domain/workflows/types.js';
import { idempotencyClaim } from '../idempotency.js';
import type { StepFailureTracker } from './step-failures.js';
import { defineWorkflowInput, entityId, idempotencyKey, parseInput } from '../validation.js';

/** Where one step's current attempt stands, as a reader sees it. */
export interface StepProgress {
  /** What the step's agent published in the workflow during the attempt that the reader may read, oldest first. */
  published: ContextRecord[];
  /** Required types or tags (the step's own and every applicable policy's) the attempt has not published, sorted. */
  missing: string[];
  /** The policies that apply to the step (its agent, the agent's role, the step). */
  policies: PublishingPolicy[];
}

export interface StepView extends StepRecord {
  /** Computed once per workflow read, for all its steps together, when a field needs it. */
  progress(): Promise<StepProgress>;
}

export interface WorkflowView extends Omit<WorkflowRecord, 'steps'> {
  steps: StepView[];
  status: WorkflowStatus;
  /** Ids of the steps that may start now (`readySteps`). */
  ready: string[];
}

export interface WorkflowServiceDeps {
  store: WorkflowStore;
  policies: Pick<PolicyStore, 'list'>;
  /** Agents by id: a step's agent's role decides which role policies apply. */
  agents: { getMany(ids: readonly string[]): Promise<(Agent | null)[]> };
  /** Prepares the mesh's notice (embedding, tokens, recipients) before completeStep's transaction writes it. */
  contexts: { prepareForWrite(viewer: Viewer, rawInputs: unknown): Promise<NewContext[]> };
  /** Told after a completion published a notice (the router's cache and the broadcaster listen). */
  onWrite?: (result: WriteResult) => void;
  /** Told after a start (the prefetcher predicts what the following steps will ask: README "Prefetch"). */
  onStepStarted?: (step: StepRecord) => void;
  /**
   * Told after a completion: the following steps are about to start, over what the step published, so the prefetcher
   * predicts them again (a publish just before completing would otherwise be seen only after the step stopped running).
   */
  onStepCompleted?: (step: StepRecord) => void;
  /** Records step failures for the Context Map, each in a write of its own (absent: not recorded). */
  failures?: Pick<StepFailureTracker, 'afterStart' | 'afterMissingRequired'>;
}

/** Listed at once, at most (workflows, and the policies a progress read weighs). */
export const MAX_WORKFLOWS_LISTED = 1000;
export const MAX_POLICIES_READ = 10_000;
/** completeStep prepares its notice again when a publish raced it; this many rounds, then it gives up. */
const COMPLETION_ROUNDS = 4;
const ADMIN: Viewer = { kind: 'admin' };

/**
 * defineWorkflow, startStep, completeStep and the workflow reads (README "Workflows and mandatory publishing").
 * The rules are in src/domain/workflows/; each write is one transaction in the store.
 */
export class WorkflowService {
  constructor(private readonly deps: WorkflowServiceDeps) {}

  /** Admin only. Creates or replaces the definition; steps keep their run state by id, removed steps go. */
  async define(viewer: Viewer, rawInput: unknown, rawKey: unknown): Promise<WorkflowView> {
    if (viewer.kind !== 'admin') throw new ForbiddenError('Only an admin may define workflows');
    const input = parseInput(defineWorkflowInput, rawInput, 'input');
    const key = parseInput(idempotencyKey, rawKey, 'idempotencyKey');
    const workflow = await this.deps.store.define(input, 'admin', idempotencyClaim(viewer, 'defineWorkflow', key, input));
    return this.view(viewer, workflow);
  }

  async get(viewer: Viewer, rawId: unknown): Promise<WorkflowView | null> {
    const id = parseInput(entityId, rawId, 'id');
    const [workflow] = await this.deps.store.getMany([id]);
    return workflow ? this.view(viewer, workflow) : null;
  }

  async getMany(viewer: Viewer, ids: readonly string[]): Promise<(WorkflowView | null)[]> {
    return (await this.deps.store.getMany(ids)).map((w) => (w ? this.view(viewer, w) : null));
  }

  async list(viewer: Viewer): Promise<WorkflowView[]> {
    return (await this.deps.store.list(MAX_WORKFLOWS_LISTED)).map((w) => this.view(viewer, w));
  }

  /** The step's agent or an admin: a new attempt from PENDING or COMPLETED; a RUNNING step is returned unchanged. */
  async start(viewer: Viewer, rawWorkflowId: unknown, rawStepId: unknown, rawKey: unknown): Promise<StepView> {
    const ref = parseRef(rawWorkflowId, rawStepId);
    const key = parseInput(idempotencyKey, rawKey, 'idempotencyKey');
    const claim = idempotencyClaim(viewer, `startStep:${ref.workflowId}:${ref.stepId}`, key, ref);
    const step = await this.deps.store.start(ref, viewer, claim);
    this.deps.onStepStarted?.(step);
    await this.deps.failures?.afterStart(step);
    return this.stepView(viewer, step);
  }

  /**
   * The step's agent or an admin, on a RUNNING step: MISSING_REQUIRED_CONTEXT while an enforced requirement is unmet;
   * unmet WARN policies are recorded and the mesh tells the step's agent (a POLICY_VIOLATION context, IMPORTANT).
   */
  async complete(viewer: Viewer, rawWorkflowId: unknown, rawStepId: unknown, rawKey: unknown): Promise<StepView> {
    const ref = parseRef(rawWorkflowId, rawStepId);
    const key = parseInput(idempotencyKey, rawKey, 'idempotencyKey');
    const claim = idempotencyClaim(viewer, `completeStep:${ref.workflowId}:${ref.stepId}`, key, ref);
    try {
      return await this.completeRounds(viewer, ref, claim);
    } catch (error) {
      if (error instanceof MissingRequiredContextError) await this.deps.failures?.afterMissingRequired(ref, error);
      throw error;
    }
  }

  private async completeRounds(viewer: Viewer, ref: StepRef, claim: ReturnType<typeof idempotencyClaim>): Promise<StepView> {
    let expected = await this.expectedWarnings(viewer, ref);
    for (let round = 0; round < COMPLETION_ROUNDS; round += 1) {
      const notice = expected ? await this.prepareNotice(expected.step, expected.warnings) : null;
      const result = await this.deps.store.complete(ref, viewer, claim, notice);
      if (result.outcome === 'completed') {
        if (result.write) this.deps.onWrite?.(result.write);
        this.deps.onStepCompleted?.(result.step);
        return this.stepView(viewer, result.step);
      }
      // The transaction saw other warnings than expected (a publish raced it): prepare for exactly what it saw.
      const step = expected?.step ?? (await this.deps.store.completionInputs(ref))?.step;
      if (!step) continue;
      expected = { step: { ...step, attempt: result.attempt }, warnings: result.warnings };
    }
    throw new Error(`completeStep ${ref.workflowId}/${ref.stepId}: the step's context kept changing during completion`);
  }

  /** The WARN warnings completing the step would record now (none when it would fail or the viewer may not complete it). */
  private async expectedWarnings(viewer: Viewer, ref: StepRef): Promise<{ step: StepRecord; warnings: PolicyOutcome[] } | null> {
    const inputs = await this.deps.store.completionInputs(ref);
    if (!inputs || inputs.step.status !== 'RUNNING') return null;
    if (viewer.kind === 'agent' && viewer.agentId !== inputs.step.agentId) return null;
    const { step, role, policies, contexts } = inputs;
    const report = evaluateRequirements({ ...targetOf(step, role), requires: step.requires }, policies, contexts);
    if (report.enforcedMissing.length > 0 || report.warnings.length === 0) return null;
    return { step, warnings: report.warnings };
  }

  /** The notice for the step's agent: visible to it alone, IMPORTANT, named as relevant so the broadcast path delivers it. */
  private async prepareNotice(step: StepRecord, warnings: readonly PolicyOutcome[]): Promise<PreparedNotice> {
    const missing = [...new Set(warnings.flatMap((w) => w.missing))].sort();
    const policyIds = warnings.map((w) => w.policyId);
    const text =
      `Policy violation in workflow ${step.workflowId}: step ${step.id} (attempt ${step.attempt}) was completed without ` +
      `${missing.join(', ')}, required by ${policyIds.length === 1 ? 'policy' : 'policies'} ${policyIds.join(', ')} (WARN). ` +
      `Publish ${missing.length === 1 ? 'it' : 'them'} in the workflow.`;
    const [context] = await this.deps.contexts.prepareForWrite(ADMIN, [
      {
        type: 'POLICY_VIOLATION',
        text,
        content: { kind: 'policy_violation', workflowId: step.workflowId, stepId: step.id, attempt: step.attempt, violations: warnings },
        tags: ['policy_violation'],
        priority: 'IMPORTANT',
        confidence: 1,
        visibleTo: [step.agentId],
        relevance: [{ agentId: step.agentId, score: 1 }],
        workflowId: step.workflowId,
        sourceAgentId: MESH_AGENT_ID,
      },
    ]);
    if (!context) throw new Error('the policy-violation notice was not prepared');
    return { key: warningsKey(step.attempt, warnings), context };
  }

  private stepView(viewer: Viewer, step: StepRecord): StepView {
    const [view] = this.viewSteps(viewer, [step]);
    if (!view) throw new Error('a step view went missing');
    return view;
  }

  private view(viewer: Viewer, workflow: WorkflowRecord): WorkflowView {
    return {
      ...workflow,
      steps: this.viewSteps(viewer, workflow.steps),
      status: workflowStatus(workflow.steps),
      ready: readySteps(workflow.steps),
    };
  }

  /** Step views sharing one lazy progress read (one statement for all their attempts). */
  private viewSteps(viewer: Viewer, steps: readonly StepRecord[]): StepView[] {
    let computed: Promise<Map<string, StepProgress>> | null = null;
    const all = () => (computed ??= this.progressOf(viewer, steps));
    return steps.map((step) => ({
      ...step,
      progress: async () => (await all()).get(step.id) ?? { published: [], missing: [], policies: [] },
    }));
  }

  private async progressOf(viewer: Viewer, steps: readonly StepRecord[]): Promise<Map<string, StepProgress>> {
    const [policies, agents] = await Promise.all([
      this.deps.policies.list(MAX_POLICIES_READ),
      this.deps.agents.getMany([...new Set(steps.map((s) => s.agentId))]),
    ]);
    const roles = new Map(agents.flatMap((a) => (a ? [[a.id, a.role] as const] : [])));
    const windows = steps.map((step) => ({ step, window: attemptWindow(step) }));
    const queried = windows.flatMap(({ step, window }) =>
      window ? [{ stepId: step.id, query: { workflowId: step.workflowId, agentId: step.agentId, ...window } }] : [],
    );
    const found = await this.deps.store.attemptContexts(
      queried.map((q) => q.query),
      viewer,
    );
    const contextsOf = new Map(queried.map((q, index) => [q.stepId, found[index] ?? []]));
    return new Map(
      steps.map((step) => {
        const target = targetOf(step, roles.get(step.agentId) ?? null);
        const attempt = contextsOf.get(step.id) ?? [];
        const report = evaluateRequirements(
          { ...target, requires: step.requires },
          policies,
          attempt.map((a) => a.context),
        );
        const progress: StepProgress = {
          published: attempt.filter((a) => a.visible).map((a) => a.context),
          missing: report.missing,
          policies: policies.filter((p) => appliesTo(p.target, target)),
        };
        return [step.id, progress];
      }),
    );
  }
}

function parseRef(rawWorkflowId: unknown, rawStepId: unknown): StepRef {
  return { workflowId: parseInput(entityId, rawWorkflowId, 'workflowId'), stepId: parseInput(entityId, rawStepId, 'stepId') };
}

export const targetOf = (step: StepRecord, role: string | null): StepTarget => ({
  workflowId: step.workflowId,
  stepId: step.id,
  agentId: step.agentId,
  role,
});
