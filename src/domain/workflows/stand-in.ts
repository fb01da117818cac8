import { normalizeTopic } from '../context-map.js';
import type { StepRecord } from './types.js';

/**
 * `contextFor` without a task (issue 10): the agent's running workflow step, its declared needs and its workflow stand
 * in for the task, so an agent can ask "what should I read now" without inventing a query.
 */

/** A running step of the agent, with its workflow's name (the store lists the most recently started first). */
export interface RunningStep {
  step: StepRecord;
  workflowName: string;
}

export interface TaskStandIn {
  /** STEP: a running step of the agent stood in; NEEDS: only the agent's declared needs. */
  basis: 'STEP' | 'NEEDS';
  /** The text routed as the task (embedded, searched, recorded as the package's task). */
  task: string;
  /** The workflow the package is limited to: the step's (or the one asked for). */
  workflowId: string | null;
  stepId: string | null;
  /** The step's needs, routed as topics beside the agent's own. */
  needs: string[];
}

/**
 * What stands in for a missing task: with `workflowId`, the agent's running step in that workflow, else its needs
 * within it; without, its most recently started running step (the first of `running`), else its needs. Null when
 * the agent has neither a running step nor declared needs (the caller must then give a task).
 */
export function standInTask(agentNeeds: readonly string[], running: readonly RunningStep[], workflowId: string | null): TaskStandIn | null {
  const current = running.find((r) => workflowId === null || r.step.workflowId === workflowId);
  if (current) return stepStandIn(current.step, current.workflowName, agentNeeds);
  return needsStandIn(agentNeeds, workflowId);
}

/**
 * What stands in for the task of an agent running `step` (basis STEP). Pure, so the prefetcher predicts exactly the
 * request the step's agent will make once the step runs (src/domain/workflows/speculation.ts): same text, same key.
 */
export function stepStandIn(
  step: Pick<StepRecord, 'id' | 'workflowId' | 'needs'>,
  workflowName: string,
  agentNeeds: readonly string[],
): TaskStandIn {
  const needs = uniqueTopics([...step.needs, ...agentNeeds]);
  const task = `Step "${step.id}" of the workflow "${workflowName}"${needs.length > 0 ? `; needs: ${needs.join(', ')}` : ''}`;
  return { basis: 'STEP', task, workflowId: step.workflowId, stepId: step.id, needs: [...step.needs] };
}

/** Only the agent's declared needs (basis NEEDS); null without any. */
export function needsStandIn(agentNeeds: readonly string[], workflowId: string | null): TaskStandIn | null {
  const needs = uniqueTopics(agentNeeds);
  if (needs.length === 0) return null;
  return { basis: 'NEEDS', task: `Needs: ${needs.join(', ')}`, workflowId, stepId: null, needs: [] };
}

/** In order, one spelling per topic key (the first seen). */
function uniqueTopics(topics: readonly string[]): string[] {
  const seen = new Set<string>();
  return topics.filter((topic) => {
    const key = normalizeTopic(topic);
    if (key === '' || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
