import { describe, expect, it } from 'vitest';
import { scoreReasons } from '../../src/domain/routing/scoring.js';
import type { ContextRecord } from '../../src/domain/types.js';
import { standInTask, type RunningStep } from '../../src/domain/workflows/stand-in.js';
import { NEVER_STARTED } from '../../src/domain/workflows/steps.js';

const running = (workflowId: string, id: string, needs: string[], workflowName = `${workflowId} run`): RunningStep => ({
  workflowName,
  step: {
    ...NEVER_STARTED,
    status: 'RUNNING',
    attempt: 1,
    workflowId,
    id,
    position: 0,
    agentId: 'writer',
    needs,
    produces: [],
    requires: [],
    next: [],
  },
});

describe('standInTask', () => {
  it("takes the most recent running step: its workflow, and its needs with the agent's, one spelling per topic", () => {
    const standIn = standInTask(
      ['Positioning', 'brand-guidelines'],
      [running('wf1', 'write', ['positioning', 'competitor analysis']), running('wf2', 'edit', [])],
      null,
    );
    expect(standIn).toEqual({
      basis: 'STEP',
      task: 'Step "write" of the workflow "wf1 run"; needs: positioning, competitor analysis, brand-guidelines',
      workflowId: 'wf1',
      stepId: 'write',
      needs: ['positioning', 'competitor analysis'],
    });
  });

  it('with a workflow, takes the running step in it, else the needs limited to it', () => {
    const steps = [running('wf1', 'write', []), running('wf2', 'edit', ['tone'])];
    expect(standInTask([], steps, 'wf2')).toMatchObject({ basis: 'STEP', workflowId: 'wf2', stepId: 'edit', needs: ['tone'] });
    expect(standInTask(['tone'], steps, 'wf3')).toEqual({
      basis: 'NEEDS',
      task: 'Needs: tone',
      workflowId: 'wf3',
      stepId: null,
      needs: [],
    });
    expect(standInTask([], steps, 'wf3')).toBeNull();
  });

  it('a step without needs still stands in; nothing stands in for an agent with no step and no needs', () => {
    expect(standInTask([], [running('wf1', 'review', [])], null)?.task).toBe('Step "review" of the workflow "wf1 run"');
    expect(standInTask([], [], null)).toBeNull();
    expect(standInTask(['  '], [], null)).toBeNull();
  });
});

describe('scoring when needs stand in for the task', () => {
  const context = { tags: ['Key Findings'], text: 'Q3 figures', confidence: 0.9, createdAt: new Date().toISOString() } as ContextRecord;
  const input = { context, taskSimilarity: 0.1, needsSimilarity: null, explicitRelevance: null, distance: null };
  const profile = { needKeys: ['key_findings'], now: new Date(), recencyHalfLifeHours: 24 };

  it('counts a tag match with the needs as similarity to the task, only then', () => {
    expect(scoreReasons(input, { ...profile, needsAsTask: true })).toMatchObject({ semantic: 0.7, needs: 0.7 });
    expect(scoreReasons(input, profile)).toMatchObject({ semantic: 0.1, needs: 0.7 });
  });
});
