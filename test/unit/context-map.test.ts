import { describe, expect, it } from 'vitest';
import {
  buildContextMap,
  criticalPaths,
  matchesTopic,
  observeContextMap,
  stepOf,
  terminalSteps,
  workflowOutputs,
  type DeclaredStep,
  type MappedContext,
  type MappedPackage,
  type ObservationInput,
} from '../../src/domain/context-map.js';
import { unavailableNeeds } from '../../src/domain/workflows/requirements.js';
import type { NewStepFailure } from '../../src/domain/context-map-ports.js';
import { MissingRequiredContextError } from '../../src/domain/errors.js';
import { StepFailureTracker } from '../../src/app/workflows/step-failures.js';
import { agentRecord } from '../support/fixtures.js';

/** The Context Map from traffic (src/domain/context-map.ts): the aggregation rules, without a database. */

const agent = agentRecord;
const ctx = (id: string, sourceAgentId: string, extra: Partial<MappedContext> = {}): MappedContext => ({
  id,
  sourceAgentId,
  type: 'FINDING',
  tags: [],
  workflowId: 'wf',
  createdAt: '2026-12-01T00:00:00.000Z',
  visible: true,
  ...extra,
});
const step = (id: string, agentId: string, extra: Partial<DeclaredStep> = {}): DeclaredStep => ({
  workflowId: 'wf',
  id,
  agentId,
  position: 0,
  needs: [],
  produces: [],
  next: [],
  ...extra,
});
const pkg = (agentId: string, items: [string, number][], summarised: string[] = []): MappedPackage => ({
  agentId,
  items: items.map(([contextId, tokens]) => ({ contextId, tokens })),
  summarised,
});

describe('observeContextMap', () => {
  const findings = ctx('findings', 'researcher', { tags: ['Key Findings'] });
  const draft = ctx('draft', 'writer', { type: 'OUTPUT', tags: ['draft'] });
  const secret = ctx('secret', 'researcher', { tags: ['key_findings'], visible: false });
  const contexts = new Map([findings, draft, secret].map((c) => [c.id, c]));
  const base: ObservationInput = {
    agents: [agent('researcher', [], ['key_findings']), agent('writer', ['key_findings', 'brand_voice'], ['draft']), agent('idle')],
    steps: [step('review', 'reviewer-step-agent', { needs: ['draft'] })],
    packages: [
      pkg('writer', [
        ['findings', 40],
        ['secret', 10],
      ]),
      pkg('writer', [['findings', 40]]),
      pkg('researcher', [['findings', 40]]),
    ],
    contexts,
    published: [findings, draft, secret],
    workflowId: null,
  };

  it('counts a need by deliveries of matching contexts (tag topic key or type) to the agents needing it', () => {
    const map = observeContextMap(base);
    const need = map.needs.find((n) => n.topic === 'key_findings');
    expect(need).toMatchObject({ agentIds: ['writer'], deliveries: 3, contexts: 2, deliveredContexts: 2 });
    // The reader may not read `secret`: counted, but its id is not listed.
    expect(need?.contextIds).toEqual(['findings']);
    expect(need?.hiddenContexts).toBe(1);
    expect(matchesTopic('output', draft)).toBe(true);
    expect(matchesTopic('key_findings', draft)).toBe(false);
  });

  it('lists needs nobody served, including a step’s need, and products nobody else received', () => {
    const map = observeContextMap(base);
    expect(map.unservedNeeds.map((n) => n.topic)).toEqual(['brand_voice', 'draft']);
    expect(map.unservedNeeds.find((n) => n.topic === 'draft')?.agentIds).toEqual(['reviewer-step-agent']);
    const draftProduct = map.products.find((p) => p.topic === 'draft');
    expect(draftProduct).toMatchObject({ contexts: 1, deliveredContexts: 0, deliveries: 0 });
    expect(map.undeliveredProducts.map((p) => p.topic)).toEqual(['draft']);
    // The researcher's own package is not a delivery "to another agent".
    expect(map.products.find((p) => p.topic === 'key_findings')).toMatchObject({ contexts: 2, deliveredContexts: 2, deliveries: 3 });
  });

  it('finds isolated agents with the right reason, never the mesh itself', () => {
    const map = observeContextMap({ ...base, agents: [...base.agents, agent('context-mesh')], systemAgentIds: ['context-mesh'] });
    expect(map.isolatedAgents).toEqual([
      { agentId: 'idle', reason: 'NEVER_PUBLISHES', published: 0 },
      { agentId: 'writer', reason: 'NEVER_CONSUMED', published: 1 },
    ]);
  });

  it('adds up flows producer → consumer (deliveries, distinct contexts, tokens), leaving out self-deliveries', () => {
    const map = observeContextMap({ ...base, packages: [...base.packages, pkg('reviewer', [['draft', 25]], ['findings'])] });
    expect(map.flows).toEqual([
      { producerId: 'researcher', consumerId: 'writer', deliveries: 3, contexts: 2, tokens: 90 },
      { producerId: 'researcher', consumerId: 'reviewer', deliveries: 1, contexts: 1, tokens: 0 },
      { producerId: 'writer', consumerId: 'reviewer', deliveries: 1, contexts: 1, tokens: 25 },
    ]);
  });

  it('with a workflow, counts only deliveries of that workflow’s contexts', () => {
    const other = ctx('other', 'researcher', { tags: ['key_findings'], workflowId: 'elsewhere' });
    const map = observeContextMap({
      ...base,
      contexts: new Map([...contexts, ['other', other]]),
      packages: [pkg('writer', [['other', 5]])],
      workflowId: 'wf',
    });
    expect(map.flows).toEqual([]);
    expect(map.needs.find((n) => n.topic === 'key_findings')?.deliveries).toBe(0);
  });

  it('the declared map also counts steps’ needs and produces', () => {
    const map = buildContextMap([agent('a', ['x'])], [step('s', 'b', { produces: ['x'], needs: ['y'] })]);
    expect(map.unmetNeeds).toEqual([{ topic: 'y', agentIds: ['b'] }]);
    expect(map.unconsumedProducts).toEqual([]);
  });
});

describe('critical paths', () => {
  const steps = [
    step('research', 'researcher', { position: 0, next: ['write'], produces: ['key_findings'] }),
    step('write', 'writer', { position: 1, next: ['review'] }),
    step('review', 'reviewer', { position: 2 }),
  ];
  const findings = ctx('findings', 'researcher', { tags: ['key_findings'] });
  const draft = ctx('draft', 'writer', { createdAt: '2026-12-01T00:01:00.000Z' });
  const note = ctx('note', 'writer', { createdAt: '2026-12-01T00:01:30.000Z' });
  const review = ctx('review', 'reviewer', { createdAt: '2026-12-01T00:02:00.000Z' });
  const nodes = new Map([findings, draft, note, review].map((c) => [c.id, c]));
  const edges = new Map([
    ['review', ['draft', 'note']],
    ['draft', ['findings']],
  ]);

  it('outputs are the terminal step’s contexts; chains go output first, down to the root, longest first', () => {
    const outputs = workflowOutputs('wf', steps, [findings, draft, note, review]);
    expect(outputs.map((o) => o.id)).toEqual(['review']);
    const paths = criticalPaths('wf', steps, outputs, nodes, edges);
    expect(paths.map((p) => p.nodes.map((n) => n.contextId))).toEqual([
      ['review', 'draft', 'findings'],
      ['review', 'note'],
    ]);
    expect(paths[0]?.nodes.map((n) => [n.sourceAgentId, n.stepId])).toEqual([
      ['reviewer', 'review'],
      ['writer', 'write'],
      ['researcher', 'research'],
    ]);
    expect(paths[0]?.length).toBe(3);
  });

  it('a context the reader may not read is a placeholder on the chain (length kept, nothing else shown)', () => {
    const hidden = new Map(nodes).set('draft', { ...draft, visible: false });
    const [longest] = criticalPaths('wf', steps, [review], hidden, edges);
    expect(longest?.length).toBe(3);
    expect(longest?.nodes[1]).toEqual({ hidden: true, contextId: null, sourceAgentId: null, stepId: null });
    expect(longest?.nodes[2]?.contextId).toBe('findings');
  });

  it('bounds the depth and the number of chains', () => {
    const chain = Array.from({ length: 12 }, (_, i) => ctx(`c${i}`, 'writer'));
    const deep = new Map(chain.map((c) => [c.id, c]));
    const links = new Map(chain.slice(0, -1).map((c, i) => [c.id, [`c${i + 1}`]]));
    const [path] = criticalPaths('wf', steps, [chain[0] as MappedContext], deep, links, { maxDepth: 8, maxEnumerated: 10, maxReturned: 5 });
    expect(path?.length).toBe(9);
    const fan = new Map([['review', ['a', 'b', 'c', 'd']]]);
    const fanNodes = new Map([review, ...['a', 'b', 'c', 'd'].map((id) => ctx(id, 'writer'))].map((c) => [c.id, c]));
    expect(criticalPaths('wf', steps, [review], fanNodes, fan, { maxDepth: 8, maxEnumerated: 3, maxReturned: 2 })).toHaveLength(2);
  });

  it('a loop with no terminal step takes the last defined one; a step is attributed by agent, preferring its produces', () => {
    const loop = steps.map((s) => ({ ...s, next: ['research'] }));
    expect(terminalSteps(loop).map((s) => s.id)).toEqual(['review']);
    const twoSteps = [...steps, step('summarise', 'researcher', { position: 3, produces: ['summary'] })];
    expect(stepOf(ctx('s', 'researcher', { tags: ['summary'] }), 'wf', twoSteps)).toBe('summarise');
    expect(stepOf(ctx('s', 'researcher'), 'wf', twoSteps)).toBe('research');
    expect(stepOf(ctx('s', 'researcher', { workflowId: 'other' }), 'wf', twoSteps)).toBeNull();
  });
});

describe('unavailableNeeds', () => {
  it('names the needs no readable type or tag provides, one per topic key', () => {
    expect(unavailableNeeds(['Key Findings', 'key_findings', 'finding', 'brand voice'], { types: ['FINDING'], tags: ['other'] })).toEqual([
      'Key Findings',
      'brand voice',
    ]);
    expect(unavailableNeeds(['key_findings'], { types: [], tags: ['key-findings'] })).toEqual([]);
  });
});

describe('StepFailureTracker', () => {
  const running = {
    workflowId: 'wf',
    id: 'write',
    position: 1,
    agentId: 'writer',
    needs: ['key_findings', 'citations'],
    produces: [],
    requires: [],
    next: [],
    status: 'RUNNING' as const,
    attempt: 2,
    startedSeq: 10,
    startedAt: '2026-12-01T00:00:00.000Z',
    startedBy: 'writer',
    completedSeq: null,
    completedAt: null,
    completedBy: null,
  };
  const tracker = (recorded: NewStepFailure[], fail = false, errors: unknown[] = []) =>
    new StepFailureTracker({
      recorder: {
        record: async (f) => {
          if (fail) throw new Error('database down');
          recorded.push(f);
        },
        readableTopics: async () => ({ types: [], tags: ['key-findings'] }),
      },
      completionInputs: async () => ({ step: running, role: null, policies: [], contexts: [] }),
      onError: (error) => errors.push(error),
    });

  it('records the needs unavailable at start once per attempt (a deterministic id), and nothing when all are there', async () => {
    const recorded: NewStepFailure[] = [];
    await tracker(recorded).afterStart(running);
    expect(recorded).toEqual([
      {
        id: 'start:wf:write:2',
        kind: 'NEED_UNAVAILABLE_AT_START',
        workflowId: 'wf',
        stepId: 'write',
        agentId: 'writer',
        attempt: 2,
        missing: ['citations'],
        at: running.startedAt,
      },
    ]);
    const none: NewStepFailure[] = [];
    await tracker(none).afterStart({ ...running, needs: ['Key Findings'] });
    await tracker(none).afterStart({ ...running, status: 'COMPLETED' });
    expect(none).toEqual([]);
  });

  it('records a missing-required failure with the error’s attempt and list; a failed record never throws', async () => {
    const recorded: NewStepFailure[] = [];
    const error = new MissingRequiredContextError('wf', 'write', 2, ['draft'], []);
    await tracker(recorded).afterMissingRequired({ workflowId: 'wf', stepId: 'write' }, error);
    expect(recorded).toMatchObject([{ kind: 'MISSING_REQUIRED', agentId: 'writer', attempt: 2, missing: ['draft'], at: null }]);
    const errors: unknown[] = [];
    await expect(tracker([], true, errors).afterMissingRequired({ workflowId: 'wf', stepId: 'write' }, error)).resolves.toBeUndefined();
    expect(errors).toHaveLength(1);
  });
});
