import { needsStandIn, stepStandIn } from './stand-in.js';
import type { StepRecord, WorkflowRecord } from './types.js';

/**
 * Context speculation (issue 10, README "Prefetch"): when a step starts, or its agent publishes in its workflow, the
 * requests the agents of the steps that follow it will make. Pure: the prefetcher (src/app/routing/prefetch.ts)
 * reads the workflow, the agents and their recorded packages, and precomputes what this predicts.
 *
 * What the current step is producing needs no prediction of its own: every publish of its agent triggers the
 * prediction again (debounced), so the precomputed packages include what it just published.
 */

/** Past tasks of one agent prefetched per following step, at most. */
export const MAX_PAST_TASKS = 3;

/** A request a following step's agent is expected to make. */
export interface PredictedRequest {
  agentId: string;
  /** The workflow the request is limited to. */
  workflowId: string;
  /** The following step it is predicted for. */
  stepId: string;
  /** STEP: the stand-in the agent's contextFor without a task gets once its step runs; PAST: a task it asked in an earlier run. */
  basis: 'STEP' | 'PAST';
  task: string;
  /** Needs routed beside the agent's own (the step's needs, for a STEP stand-in). */
  needs: string[];
  /** The stand-in basis the request will carry (STEP), or null for a request with a task. */
  standIn: 'STEP' | null;
  /** Null: the agent's default budget. */
  budget: number | null;
}

/** What the prediction reads of a following step's agent. */
export interface SpeculatedAgent {
  id: string;
  needs: readonly string[];
  tokenBudget: number;
}

/** A package the agent was handed before, as recorded (newest first). */
export interface PastRequest {
  task: string;
  workflowId: string | null;
  budget: number;
}

export interface SpeculationInput {
  workflow: WorkflowRecord;
  /** The step that started or whose agent published. */
  stepId: string;
  agents: ReadonlyMap<string, SpeculatedAgent>;
  /** Recorded packages of each following step's agent, newest first. */
  pastOf: ReadonlyMap<string, readonly PastRequest[]>;
}

/** The steps that follow `stepId` (its `next`), in that order, each once; unknown ids are skipped. */
export function followingSteps(workflow: WorkflowRecord, stepId: string): StepRecord[] {
  const current = workflow.steps.find((step) => step.id === stepId);
  if (!current) return [];
  const byId = new Map(workflow.steps.map((step) => [step.id, step]));
  return [...new Set(current.next)].flatMap((id) => {
    const step = byId.get(id);
    return step ? [step] : [];
  });
}

/**
 * For each following step whose agent is known: the stand-in its agent will route by once the step runs, then the most
 * recent distinct tasks that agent asked in this workflow before (at most MAX_PAST_TASKS; stand-in texts excluded,
 * since those are asked without a task and are covered by the STEP prediction).
 */
export function predictRequests({ workflow, stepId, agents, pastOf }: SpeculationInput): PredictedRequest[] {
  const predicted: PredictedRequest[] = [];
  const seen = new Set<string>();
  const add = (request: PredictedRequest) => {
    const key = [request.agentId, request.workflowId, request.standIn ?? '', request.budget ?? '', request.task].join('\u0000');
    if (seen.has(key)) return;
    seen.add(key);
    predicted.push(request);
  };
  for (const step of followingSteps(workflow, stepId)) {
    const agent = agents.get(step.agentId);
    if (!agent) continue;
    const standIn = stepStandIn(step, workflow.name, agent.needs);
    const base = { agentId: agent.id, workflowId: workflow.id, stepId: step.id };
    add({ ...base, basis: 'STEP', task: standIn.task, needs: standIn.needs, standIn: 'STEP', budget: null });
    const standInTexts = new Set([standIn.task, needsStandIn(agent.needs, workflow.id)?.task]);
    const tasks = new Set<string>();
    for (const past of pastOf.get(agent.id) ?? []) {
      if (tasks.size >= MAX_PAST_TASKS) break;
      if (past.workflowId !== workflow.id || standInTexts.has(past.task) || tasks.has(past.task)) continue;
      tasks.add(past.task);
      add({
        ...base,
        basis: 'PAST',
        task: past.task,
        needs: [],
        standIn: null,
        budget: past.budget === agent.tokenBudget ? null : past.budget,
      });
    }
  }
  return predicted;
}
