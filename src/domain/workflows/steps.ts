import { changedBy } from '../context-rules.js';
import { BadInputError, ForbiddenError, MissingRequiredContextError } from '../errors.js';
import type { Viewer } from '../types.js';
import type { RequirementReport } from './requirements.js';
import type { StepRecord, StepRunState, WorkflowStatus } from './types.js';

/**
 * A step's life: PENDING → (startStep) RUNNING → (completeStep) COMPLETED → (startStep) RUNNING again, one attempt per
 * start. startStep on a RUNNING step changes nothing (a safe retry); completeStep needs RUNNING and every enforced
 * requirement met.
 */

export const NEVER_STARTED: StepRunState = {
  status: 'PENDING',
  attempt: 0,
  startedSeq: null,
  startedAt: null,
  startedBy: null,
  completedSeq: null,
  completedAt: null,
  completedBy: null,
};

/** Only the step's agent or an admin may start or complete it. */
export function assertMayRun(viewer: Viewer, step: Pick<StepRecord, 'workflowId' | 'id' | 'agentId'>, action: 'start' | 'complete'): void {
  if (viewer.kind === 'agent' && viewer.agentId !== step.agentId) {
    throw new ForbiddenError(
      `Agent ${viewer.agentId} may not ${action} step ${step.id} of workflow ${step.workflowId}: it is run by ${step.agentId}`,
    );
  }
}

/** startStep: a new attempt from PENDING or COMPLETED (`position` = the current event position); RUNNING stays as it is. */
export function startTransition(
  viewer: Viewer,
  step: StepRecord,
  position: number,
  now: string,
): { changed: boolean; state: StepRunState } {
  assertMayRun(viewer, step, 'start');
  if (step.status === 'RUNNING') return { changed: false, state: step };
  return {
    changed: true,
    state: {
      status: 'RUNNING',
      attempt: step.attempt + 1,
      startedSeq: position,
      startedAt: now,
      startedBy: changedBy(viewer),
      completedSeq: null,
      completedAt: null,
      completedBy: null,
    },
  };
}

/**
 * completeStep: RUNNING only (BAD_USER_INPUT otherwise); an unmet enforced requirement is MISSING_REQUIRED_CONTEXT
 * (the step stays RUNNING). Unmet WARN policies do not stop it: the caller records them.
 */
export function completeTransition(
  viewer: Viewer,
  step: StepRecord,
  report: RequirementReport,
  position: number,
  now: string,
): StepRunState {
  assertMayRun(viewer, step, 'complete');
  if (step.status !== 'RUNNING') {
    const hint = step.status === 'PENDING' ? 'start it first (startStep)' : 'it was already completed; startStep begins a new attempt';
    throw new BadInputError(`Step ${step.id} of workflow ${step.workflowId} is ${step.status}, not RUNNING: ${hint}`, [
      { path: ['stepId'], message: `is ${step.status}, not RUNNING` },
    ]);
  }
  if (report.enforcedMissing.length > 0) {
    throw new MissingRequiredContextError(step.workflowId, step.id, step.attempt, report.enforcedMissing, report.enforcedPolicyIds);
  }
  return { ...step, status: 'COMPLETED', completedSeq: position, completedAt: now, completedBy: changedBy(viewer) };
}

/** The window of event positions an attempt covers: contexts with createdSeq in (after, until]; null `until` = open. */
export function attemptWindow(step: StepRunState): { after: number; until: number | null } | null {
  if (step.attempt === 0 || step.startedSeq === null) return null;
  return { after: step.startedSeq, until: step.status === 'COMPLETED' ? step.completedSeq : null };
}

/** NOT_STARTED until a step starts; COMPLETED when every step is; IN_PROGRESS otherwise. */
export function workflowStatus(steps: readonly StepRunState[]): WorkflowStatus {
  if (steps.length > 0 && steps.every((s) => s.status === 'COMPLETED')) return 'COMPLETED';
  if (steps.every((s) => s.attempt === 0)) return 'NOT_STARTED';
  return 'IN_PROGRESS';
}

/**
 * The steps that may start now: not RUNNING, and either never started with no step leading to them (an entry step),
 * or a step leading to them completed after they last started (so a reviewer sending work back to the writer makes
 * the writer ready again). Ids in definition order.
 */
export function readySteps(steps: readonly StepRecord[]): string[] {
  const leadingTo = new Map<string, StepRecord[]>();
  for (const step of steps) {
    for (const next of step.next) leadingTo.set(next, [...(leadingTo.get(next) ?? []), step]);
  }
  return steps
    .filter((step) => {
      if (step.status === 'RUNNING') return false;
      const before = leadingTo.get(step.id) ?? [];
      if (before.length === 0) return step.attempt === 0;
      // Times, not seqs: two completions with no event between them share a position.
      const since = step.startedAt ?? '';
      return before.some((b) => b.status === 'COMPLETED' && (b.completedAt ?? '') > since);
    })
    .map((step) => step.id);
}
