import { describe, expect, it } from 'vitest';
import { WorkflowService } from '../../src/app/workflows/workflow-service.js';
import type { NewContext, WriteResult } from '../../src/domain/store-ports.js';
import type { CompletionInputs, CompletionResult, PreparedNotice, WorkflowStore } from '../../src/domain/workflows/ports.js';
import { NEVER_STARTED } from '../../src/domain/workflows/steps.js';
import type { PublishingPolicy, StepRecord } from '../../src/domain/workflows/types.js';

/** completeStep's notice: prepared for the warnings expected, prepared again when the transaction saw others. */

const step: StepRecord = {
  workflowId: 'launch',
  id: 'write',
  position: 1,
  agentId: 'writer',
  needs: [],
  produces: [],
  requires: [],
  next: [],
  ...NEVER_STARTED,
  status: 'RUNNING',
  attempt: 2,
  startedSeq: 10,
};
const warn: PublishingPolicy = {
  id: 'brand',
  target: { kind: 'AGENT', agentId: 'writer' },
  requires: ['brand_check'],
  mode: 'WARN',
  createdAt: '',
  updatedAt: '',
  setBy: 'admin',
};
const written: WriteResult = { replayed: false, events: [{ contextId: 'notice', seq: 12, change: 'PUBLISHED' }], deliveries: [] };

function service(results: CompletionResult[]) {
  const notices: (PreparedNotice | null)[] = [];
  const prepared: unknown[] = [];
  const announced: WriteResult[] = [];
  const inputs: CompletionInputs = { step, role: null, policies: [warn], contexts: [] };
  const store = {
    completionInputs: async () => inputs,
    complete: async (_ref: unknown, _viewer: unknown, _key: unknown, notice: PreparedNotice | null) => {
      notices.push(notice);
      const next = results.shift();
      if (!next) throw new Error('no more results');
      return next;
    },
  } as unknown as WorkflowStore;
  const workflows = new WorkflowService({
    store,
    policies: { list: async () => [warn] },
    agents: { getMany: async () => [] },
    contexts: {
      prepareForWrite: async (_viewer, raw) => {
        prepared.push(raw);
        return [{ id: `notice-${prepared.length}` } as NewContext];
      },
    },
    onWrite: (result) => announced.push(result),
  });
  return { workflows, notices, prepared, announced };
}

describe('completeStep and its policy-violation notice', () => {
  const writer = { kind: 'agent' as const, agentId: 'writer' };

  it('prepares the notice for the expected warnings and announces its write after commit', async () => {
    const { workflows, notices, prepared, announced } = service([
      { outcome: 'completed', step: { ...step, status: 'COMPLETED' }, violations: [], write: written },
    ]);
    const done = await workflows.complete(writer, 'launch', 'write', null);
    expect(done.status).toBe('COMPLETED');
    expect(notices).toHaveLength(1);
    expect(notices[0]?.key).toBe(JSON.stringify([2, [['brand', ['brand_check']]]]));
    const [input] = prepared[0] as Record<string, unknown>[];
    expect(input).toMatchObject({
      type: 'POLICY_VIOLATION',
      priority: 'IMPORTANT',
      visibleTo: ['writer'],
      relevance: [{ agentId: 'writer', score: 1 }],
      workflowId: 'launch',
      sourceAgentId: 'context-mesh',
    });
    expect(String(input?.['text'])).toContain('brand_check');
    expect(announced).toEqual([written]);
  });

  it('prepares again for what the transaction saw when a publish raced it', async () => {
    const seen = [{ policyId: 'brand', mode: 'WARN' as const, missing: ['brand_check', 'sources'] }];
    const { workflows, notices, prepared } = service([
      { outcome: 'replan', attempt: 2, warnings: seen },
      { outcome: 'completed', step: { ...step, status: 'COMPLETED' }, violations: [], write: written },
    ]);
    await workflows.complete(writer, 'launch', 'write', null);
    expect(prepared).toHaveLength(2);
    expect(notices[1]?.key).toBe(JSON.stringify([2, [['brand', ['brand_check', 'sources']]]]));
    expect(notices[1]?.context.id).toBe('notice-2');
  });

  it('prepares no notice for a caller that may not complete the step (the transaction refuses it)', async () => {
    const { workflows, notices } = service([{ outcome: 'completed', step, violations: [], write: null }]);
    await workflows.complete({ kind: 'agent', agentId: 'reviewer' }, 'launch', 'write', null);
    expect(notices).toEqual([null]);
  });
});
