import { randomUUID } from 'node:crypto';
import type { StepFailureRecorder } from '../../domain/context-map-ports.js';
import type { MissingRequiredContextError } from '../../domain/errors.js';
import type { CompletionInputs, StepRef } from '../../domain/workflows/ports.js';
import { unavailableNeeds } from '../../domain/workflows/requirements.js';
import type { StepRecord } from '../../domain/workflows/types.js';

export interface StepFailureTrackerDeps {
  recorder: StepFailureRecorder;
  /** Reads the step (its agent) after a failed completion. */
  completionInputs(ref: StepRef): Promise<CompletionInputs | null>;
  /** Told when recording failed; the use-case that failed or started is not affected. */
  onError?: (error: unknown) => void;
}

/**
 * Records the per-step failure modes the Context Map shows (README "The Context Map from real traffic"), each in a
 * write of its own after the use-case's transaction: never inside a failing transaction's rollback.
 */
export class StepFailureTracker {
  constructor(private readonly deps: StepFailureTrackerDeps) {}

  /** NEED_UNAVAILABLE_AT_START: the running attempt's needs that no context its agent may read in the workflow provides (once per attempt). */
  async afterStart(step: StepRecord): Promise<void> {
    if (step.status !== 'RUNNING' || step.needs.length === 0) return;
    await this.guarded(async () => {
      const missing = unavailableNeeds(step.needs, await this.deps.recorder.readableTopics(step.workflowId, step.agentId));
      if (missing.length === 0) return;
      await this.deps.recorder.record({
        id: `start:${step.workflowId}:${step.id}:${step.attempt}`,
        kind: 'NEED_UNAVAILABLE_AT_START',
        workflowId: step.workflowId,
        stepId: step.id,
        agentId: step.agentId,
        attempt: step.attempt,
        missing,
        at: step.startedAt,
      });
    });
  }

  /** MISSING_REQUIRED: after completeStep failed with MISSING_REQUIRED_CONTEXT (its transaction rolled back). */
  async afterMissingRequired(ref: StepRef, error: MissingRequiredContextError): Promise<void> {
    await this.guarded(async () => {
      const inputs = await this.deps.completionInputs(ref);
      if (!inputs) return;
      const details = error.details as { attempt?: number; missing?: string[] };
      await this.deps.recorder.record({
        id: randomUUID(),
        kind: 'MISSING_REQUIRED',
        workflowId: ref.workflowId,
        stepId: ref.stepId,
        agentId: inputs.step.agentId,
        attempt: details.attempt ?? inputs.step.attempt,
        missing: details.missing ?? [],
        at: null,
      });
    });
  }

  private async guarded(work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      this.deps.onError?.(error);
    }
  }
}
