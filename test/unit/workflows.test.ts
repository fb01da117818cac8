import { describe, expect, it } from 'vitest';
import { defineWorkflowInput, parseInput, publishingPolicyInput, registerAgentInput } from '../../src/app/validation.js';
import { BadInputError, ForbiddenError, MissingRequiredContextError } from '../../src/domain/errors.js';
import { appliesTo, evaluateRequirements, satisfies, unmetRequirements, warningsKey } from '../../src/domain/workflows/requirements.js';
import {
  attemptWindow,
  completeTransition,
  NEVER_STARTED,
  readySteps,
  startTransition,
  workflowStatus,
} from '../../src/domain/workflows/steps.js';
import type { PublishedContext, PublishingPolicy, StepRecord } from '../../src/domain/workflows/types.js';

const ctx = (type: string, tags: string[] = [], status = 'ACTIVE'): PublishedContext => ({
  id: `${type}-${tags.join('+')}`,
  type,
  tags,
  status,
});

const policy = (id: string, target: PublishingPolicy['target'], requires: string[], mode: PublishingPolicy['mode'] = 'ENFORCE') => ({
  id,
  target,
  requires,
  mode,
  createdAt: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-12-01T00:00:00.000Z',
  setBy: 'admin',
});

const step = (id: string, overrides: Partial<StepRecord> = {}): StepRecord => ({
  workflowId: 'launch',
  id,
  position: 0,
  agentId: id,
  needs: [],
  produces: [],
  requires: [],
  next: [],
  ...NEVER_STARTED,
  ...overrides,
});

const researcher = { workflowId: 'launch', stepId: 'research', agentId: 'researcher', role: 'Research Analyst' };
const agent = (agentId: string) => ({ kind: 'agent' as const, agentId });

describe('requirement matching', () => {
  it('meets an entry by the type, case-insensitively', () => {
    expect(satisfies('finding', ctx('FINDING'))).toBe(true);
    expect(satisfies(' Output ', ctx('OUTPUT'))).toBe(true);
    expect(satisfies('finding', ctx('OUTPUT'))).toBe(false);
  });

  it('meets an entry by a tag with the same topic key (case, spaces and hyphens folded)', () => {
    expect(satisfies('key_findings', ctx('FINDING', ['Key Findings']))).toBe(true);
    expect(satisfies('Key-Findings', ctx('FINDING', ['key_findings']))).toBe(true);
    expect(satisfies('confidence_scores', ctx('FINDING', ['key_findings']))).toBe(false);
    // Tags and types are different namespaces only in spelling: a tag named like a type meets it too.
    expect(satisfies('output', ctx('FINDING', ['output']))).toBe(true);
  });

  it('does not count retracted contexts', () => {
    expect(satisfies('key_findings', ctx('FINDING', ['key_findings'], 'RETRACTED'))).toBe(false);
    expect(satisfies('finding', ctx('FINDING', [], 'RETRACTED'))).toBe(false);
    // Superseded or expired contexts were still published in the attempt.
    expect(satisfies('finding', ctx('FINDING', [], 'SUPERSEDED'))).toBe(true);
  });

  it('lists unmet entries sorted, once per topic key', () => {
    const published = [ctx('FINDING', ['key_findings'])];
    expect(unmetRequirements(['sources', 'confidence_scores', 'Key Findings', 'Confidence Scores', 'sources'], published)).toEqual([
      'Confidence Scores',
      'sources',
    ]);
    expect(unmetRequirements([], published)).toEqual([]);
    expect(unmetRequirements(['finding'], published)).toEqual([]);
  });
});

describe('which policies apply', () => {
  it('applies agent, role (compared like a topic) and step policies to the matching step only', () => {
    expect(appliesTo({ kind: 'AGENT', agentId: 'researcher' }, researcher)).toBe(true);
    expect(appliesTo({ kind: 'AGENT', agentId: 'writer' }, researcher)).toBe(false);
    expect(appliesTo({ kind: 'ROLE', role: 'research-analyst' }, researcher)).toBe(true);
    expect(appliesTo({ kind: 'ROLE', role: 'writer' }, researcher)).toBe(false);
    expect(appliesTo({ kind: 'ROLE', role: 'writer' }, { ...researcher, role: null })).toBe(false);
    expect(appliesTo({ kind: 'STEP', workflowId: 'launch', stepId: 'research' }, researcher)).toBe(true);
    expect(appliesTo({ kind: 'STEP', workflowId: 'other', stepId: 'research' }, researcher)).toBe(false);
  });
});

describe('evaluating a step attempt', () => {
  const policies = [
    policy('p-agent', { kind: 'AGENT', agentId: 'researcher' }, ['key_findings', 'confidence_scores']),
    policy('p-role', { kind: 'ROLE', role: 'research analyst' }, ['sources'], 'WARN'),
    policy('p-other', { kind: 'AGENT', agentId: 'writer' }, ['draft']),
  ];

  it("separates the enforced (the step's own and ENFORCE policies') from WARN policies' unmet entries", () => {
    const report = evaluateRequirements({ ...researcher, requires: ['finding'] }, policies, [ctx('OUTPUT', ['key_findings'])]);
    expect(report.stepMissing).toEqual(['finding']);
    expect(report.enforcedMissing).toEqual(['confidence_scores', 'finding']);
    expect(report.enforcedPolicyIds).toEqual(['p-agent']);
    expect(report.warnings).toEqual([{ policyId: 'p-role', mode: 'WARN', missing: ['sources'] }]);
    expect(report.missing).toEqual(['confidence_scores', 'finding', 'sources']);
    expect(report.policies.map((p) => p.policyId)).toEqual(['p-agent', 'p-role']);
  });

  it('has nothing enforced left once everything is published', () => {
    const report = evaluateRequirements({ ...researcher, requires: ['finding'] }, policies, [
      ctx('FINDING', ['key_findings', 'Confidence Scores', 'sources']),
    ]);
    expect(report).toMatchObject({ enforcedMissing: [], enforcedPolicyIds: [], warnings: [], missing: [] });
  });

  it('keys warnings by attempt, policy and missing entries', () => {
    const warnings = [{ policyId: 'p', mode: 'WARN' as const, missing: ['a'] }];
    expect(warningsKey(1, warnings)).toBe(warningsKey(1, [...warnings]));
    expect(warningsKey(1, warnings)).not.toBe(warningsKey(2, warnings));
    expect(warningsKey(1, warnings)).not.toBe(warningsKey(1, [{ ...warnings[0]!, missing: ['a', 'b'] }]));
  });
});

describe('step transitions', () => {
  const now = '2026-12-03T12:00:00.000Z';

  it('starts a new attempt from PENDING or COMPLETED and leaves a RUNNING step as it is', () => {
    const first = startTransition(agent('research'), step('research'), 40, now);
    expect(first).toEqual({
      changed: true,
      state: { ...NEVER_STARTED, status: 'RUNNING', attempt: 1, startedSeq: 40, startedAt: now, startedBy: 'research' },
    });
    const running = step('research', first.state);
    expect(startTransition(agent('research'), running, 45, now)).toEqual({ changed: false, state: running });
    const completed = step('research', { ...first.state, status: 'COMPLETED', completedSeq: 50, completedAt: now, completedBy: 'admin' });
    expect(startTransition({ kind: 'admin' }, completed, 60, now).state).toMatchObject({
      status: 'RUNNING',
      attempt: 2,
      startedSeq: 60,
      startedBy: 'admin',
      completedSeq: null,
    });
  });

  it("refuses another agent (FORBIDDEN); the step's agent and admins may", () => {
    expect(() => startTransition(agent('writer'), step('research'), 1, now)).toThrow(ForbiddenError);
    const running = step('research', { status: 'RUNNING', attempt: 1, startedSeq: 1 });
    const report = evaluateRequirements({ ...researcher, requires: [] }, [], []);
    expect(() => completeTransition(agent('writer'), running, report, 2, now)).toThrow(ForbiddenError);
    expect(completeTransition({ kind: 'admin' }, running, report, 2, now)).toMatchObject({ status: 'COMPLETED', completedSeq: 2 });
  });

  it('completes only a RUNNING step (BAD_USER_INPUT naming the status), and not while enforced entries are missing', () => {
    const report = evaluateRequirements({ ...researcher, requires: [] }, [], []);
    const pending = () => completeTransition(agent('research'), step('research'), report, 2, now);
    expect(pending).toThrow(BadInputError);
    expect(pending).toThrow(/PENDING, not RUNNING/);
    const running = step('research', { status: 'RUNNING', attempt: 3, startedSeq: 1 });
    const missing = evaluateRequirements(
      { ...researcher, requires: ['finding'] },
      [policy('p1', { kind: 'AGENT', agentId: 'researcher' }, ['sources'])],
      [],
    );
    try {
      completeTransition(agent('research'), running, missing, 2, now);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(MissingRequiredContextError);
      expect((error as MissingRequiredContextError).details).toEqual({
        workflowId: 'launch',
        stepId: 'research',
        attempt: 3,
        missing: ['finding', 'sources'],
        policies: ['p1'],
      });
    }
  });

  it('covers (startedSeq, completedSeq] once completed, everything after the start while running', () => {
    expect(attemptWindow(step('a'))).toBeNull();
    expect(attemptWindow(step('a', { status: 'RUNNING', attempt: 1, startedSeq: 7 }))).toEqual({ after: 7, until: null });
    expect(attemptWindow(step('a', { status: 'COMPLETED', attempt: 1, startedSeq: 7, completedSeq: 9 }))).toEqual({ after: 7, until: 9 });
  });
});

describe('where a run stands', () => {
  const t = (minute: number) => `2026-12-03T12:${String(minute).padStart(2, '0')}:00.000Z`;
  // researcher → writer → reviewer, and the reviewer may send work back to the writer (a cycle).
  const steps = (overrides: Record<string, Partial<StepRecord>>) => [
    step('research', { next: ['write'], ...overrides['research'] }),
    step('write', { next: ['review'], ...overrides['write'] }),
    step('review', { next: ['write'], ...overrides['review'] }),
  ];
  const done = (start: number, end: number, attempt = 1): Partial<StepRecord> => ({
    status: 'COMPLETED',
    attempt,
    startedAt: t(start),
    completedAt: t(end),
  });

  it('is NOT_STARTED, then IN_PROGRESS, then COMPLETED', () => {
    expect(workflowStatus(steps({}))).toBe('NOT_STARTED');
    expect(workflowStatus(steps({ research: { status: 'RUNNING', attempt: 1 } }))).toBe('IN_PROGRESS');
    expect(workflowStatus(steps({ research: done(1, 2), write: done(3, 4), review: done(5, 6) }))).toBe('COMPLETED');
  });

  it('makes a step ready when a step leading to it completed after it last started, cycles included', () => {
    expect(readySteps(steps({}))).toEqual(['research']);
    expect(readySteps(steps({ research: { status: 'RUNNING', attempt: 1, startedAt: t(1) } }))).toEqual([]);
    expect(readySteps(steps({ research: done(1, 2) }))).toEqual(['write']);
    expect(readySteps(steps({ research: done(1, 2), write: done(3, 4) }))).toEqual(['review']);
    // The reviewer sent the draft back: the writer is ready again.
    expect(readySteps(steps({ research: done(1, 2), write: done(3, 4), review: done(5, 6) }))).toEqual(['write']);
  });
});

describe('workflow and policy input rules', () => {
  const issues = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      if (error instanceof BadInputError) return error.issues;
      throw error;
    }
    throw new Error('expected BAD_USER_INPUT');
  };

  it('names repeated step ids and next entries that name no step by their paths', () => {
    const input = {
      id: 'launch',
      name: ' Launch ',
      steps: [
        { id: 'research', agentId: 'researcher', next: ['write'] },
        { id: 'write', agentId: 'writer', next: ['review', 'nowhere'] },
        { id: 'write', agentId: 'writer' },
      ],
    };
    expect(issues(() => parseInput(defineWorkflowInput, input, 'input'))).toEqual([
      { path: ['input', 'steps', 2, 'id'], message: 'repeats step id write' },
      { path: ['input', 'steps', 1, 'next', 0], message: 'names no step of this workflow (review)' },
      { path: ['input', 'steps', 1, 'next', 1], message: 'names no step of this workflow (nowhere)' },
    ]);
  });

  it('trims names, defaults lists, drops repeated entries, allows cycles', () => {
    const parsed = parseInput(
      defineWorkflowInput,
      {
        id: 'w',
        name: ' Loop ',
        steps: [
          { id: 'a', agentId: 'x', requires: [' key_findings ', 'key_findings'], next: ['b'] },
          { id: 'b', agentId: 'y', next: ['a', 'b'], needs: null },
        ],
      },
      'input',
    );
    expect(parsed.name).toBe('Loop');
    expect(parsed.steps[0]).toEqual({ id: 'a', agentId: 'x', needs: [], produces: [], requires: ['key_findings'], next: ['b'] });
    expect(parsed.steps[1]?.next).toEqual(['a', 'b']);
  });

  it('refuses empty, oversized and badly named workflows', () => {
    expect(issues(() => parseInput(defineWorkflowInput, { id: 'w', name: 'x', steps: [] }, 'input'))[0]?.path).toEqual(['input', 'steps']);
    const many = Array.from({ length: 101 }, (_, i) => ({ id: `s${i}`, agentId: 'a' }));
    expect(issues(() => parseInput(defineWorkflowInput, { id: 'w', name: 'x', steps: many }, 'input'))[0]?.path).toEqual([
      'input',
      'steps',
    ]);
    const bad = { id: 'bad id!', name: '  ', steps: [{ id: 's', agentId: 'a', requires: [''] }] };
    expect(issues(() => parseInput(defineWorkflowInput, bad, 'input')).map((i) => i.path)).toEqual([
      ['input', 'id'],
      ['input', 'name'],
      ['input', 'steps', 0, 'requires', 0],
    ]);
  });

  it('takes exactly one policy target, ENFORCE by default', () => {
    expect(parseInput(publishingPolicyInput, { agentId: 'researcher', requires: ['key_findings'] }, 'input').mode).toBe('ENFORCE');
    expect(issues(() => parseInput(publishingPolicyInput, { requires: ['x'] }, 'input'))[0]?.path).toEqual(['input']);
    expect(issues(() => parseInput(publishingPolicyInput, { agentId: 'a', role: 'r', requires: ['x'] }, 'input'))[0]?.path).toEqual([
      'input',
    ]);
    expect(issues(() => parseInput(publishingPolicyInput, { workflowId: 'w', requires: ['x'] }, 'input'))[0]?.path).toEqual([
      'input',
      'stepId',
    ]);
    expect(issues(() => parseInput(publishingPolicyInput, { role: 'r', requires: [] }, 'input'))[0]?.path).toEqual(['input', 'requires']);
  });

  it("reserves the mesh's own agent id", () => {
    expect(issues(() => parseInput(registerAgentInput, { id: 'context-mesh', name: 'x' }, 'input'))[0]?.path).toEqual(['input', 'id']);
  });
});
