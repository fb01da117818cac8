import { describe, expect, it } from 'vitest';
import { PackageCache, type CachedPackage } from '../../src/app/routing/package-cache.js';
import { DEFAULT_PREFETCH_SETTINGS, Prefetcher, type PrefetchDeps, type PrefetchEvent } from '../../src/app/routing/prefetch.js';
import type { ContextChange, RoutingStore } from '../../src/domain/routing/ports.js';
import type { PackageRecord } from '../../src/domain/history/package-records.js';
import { DEFAULT_WEIGHTS } from '../../src/domain/routing/scoring.js';
import { predictRequests, type PastRequest, type PredictedRequest } from '../../src/domain/workflows/speculation.js';
import { standInTask } from '../../src/domain/workflows/stand-in.js';
import { NEVER_STARTED } from '../../src/domain/workflows/steps.js';
import type { StepRecord, WorkflowRecord } from '../../src/domain/workflows/types.js';

const step = (id: string, agentId: string, needs: string[], next: string[], position: number): StepRecord => ({
  ...NEVER_STARTED,
  workflowId: 'wf',
  id,
  agentId,
  needs,
  produces: [],
  requires: [],
  next,
  position,
});

const workflow: WorkflowRecord = {
  id: 'wf',
  name: 'Product launch',
  definedAt: '',
  updatedAt: '',
  definedBy: 'admin',
  steps: [
    step('research', 'researcher', [], ['write', 'review', 'missing'], 0),
    step('write', 'writer', ['competitor_strengths', 'positioning'], ['review'], 1),
    step('review', 'reviewer', [], [], 2),
  ],
};
const agents = new Map([
  ['writer', { id: 'writer', needs: ['style guide'], tokenBudget: 4000 }],
  ['reviewer', { id: 'reviewer', needs: [], tokenBudget: 2000 }],
]);

describe('predictRequests', () => {
  it("predicts each following step's stand-in exactly as contextFor will build it once the step runs", () => {
    const predicted = predictRequests({ workflow, stepId: 'research', agents, pastOf: new Map() });
    expect(predicted.map((p) => [p.agentId, p.stepId, p.basis])).toEqual([
      ['writer', 'write', 'STEP'],
      ['reviewer', 'review', 'STEP'],
    ]);
    const writeStep = workflow.steps[1];
    if (!writeStep) throw new Error('no write step');
    const actual = standInTask(['style guide'], [{ step: { ...writeStep, status: 'RUNNING' }, workflowName: workflow.name }], null);
    const [writer] = predicted;
    expect({ task: writer?.task, needs: writer?.needs, workflowId: writer?.workflowId }).toEqual({
      task: actual?.task,
      needs: actual?.needs,
      workflowId: actual?.workflowId,
    });
    expect(writer?.standIn).toBe(actual?.basis);
  });

  it('adds the most recent distinct past tasks in this workflow, at most 3, leaving out stand-in texts and other workflows', () => {
    const standInText = predictRequests({ workflow, stepId: 'research', agents, pastOf: new Map() })[0]?.task ?? '';
    const past: PastRequest[] = [
      { task: 'draft the post', workflowId: 'wf', budget: 4000 },
      { task: standInText, workflowId: 'wf', budget: 4000 },
      { task: 'Needs: style guide', workflowId: 'wf', budget: 4000 },
      { task: 'draft the post', workflowId: 'wf', budget: 4000 },
      { task: 'elsewhere', workflowId: 'other', budget: 4000 },
      { task: 'short summary', workflowId: 'wf', budget: 300 },
      { task: 'headline', workflowId: 'wf', budget: 4000 },
      { task: 'too old', workflowId: 'wf', budget: 4000 },
    ];
    const predicted = predictRequests({ workflow, stepId: 'research', agents, pastOf: new Map([['writer', past]]) });
    const writerPast = predicted.filter((p) => p.agentId === 'writer' && p.basis === 'PAST');
    expect(writerPast.map((p) => [p.task, p.budget, p.standIn])).toEqual([
      ['draft the post', null, null],
      ['short summary', 300, null],
      ['headline', null, null],
    ]);
  });

  it('predicts nothing for a step without followers, an unknown step, or followers whose agent is unknown', () => {
    expect(predictRequests({ workflow, stepId: 'review', agents, pastOf: new Map() })).toEqual([]);
    expect(predictRequests({ workflow, stepId: 'nope', agents, pastOf: new Map() })).toEqual([]);
    expect(predictRequests({ workflow, stepId: 'write', agents: new Map(), pastOf: new Map() })).toEqual([]);
  });
});

function storeWith(log: { position: number; changes: ContextChange[] }): RoutingStore {
  return {
    changesSince: async (since: number) => ({ position: log.position, changes: log.changes.filter((c) => c.seq > since) }),
    candidatesByIds: async () => [],
  } as unknown as RoutingStore;
}

const entry = (agentId: string, createdAtMs: number, consideredIds: string[] = []): CachedPackage => ({
  pkg: { agentId, task: 't', budget: 100, items: [], tokens: 0, compressed: null, dropped: [], asOf: 1, computedAt: '' },
  position: 1,
  consideredIds: new Set(consideredIds),
  profile: { needKeys: [], now: new Date(createdAtMs), recencyHalfLifeHours: 24 },
  probe: { taskEmbedding: [], needsEmbedding: null, workflowId: null, validAt: null },
  threshold: 0.3,
  createdAtMs,
});

describe('package cache: prefetched entries', () => {
  it('says prefetched on the first serve only, and lives for its own max age', async () => {
    let now = 0;
    const cache = new PackageCache({
      store: storeWith({ position: 1, changes: [] }),
      weights: DEFAULT_WEIGHTS,
      maxAgeMs: 1000,
      now: () => now,
    });
    expect(cache.setIfAbsent('p', { ...entry('a', 0), prefetched: true, maxAgeMs: 5000 })).toBe(true);
    expect(cache.setIfAbsent('p', entry('b', 0))).toBe(false);
    now = 3000; // past the cache's max age, within the prefetch's
    expect((await cache.take('p'))?.prefetched).toBe(true);
    expect((await cache.take('p'))?.prefetched).toBe(false);
    now = 5001;
    expect(await cache.take('p')).toBeNull();
  });

  it('counts a prefetched entry that leaves unserved (invalidated or replaced), and not one that was served', async () => {
    let unused = 0;
    const log = { position: 1, changes: [] as ContextChange[] };
    const cache = new PackageCache({
      store: storeWith(log),
      weights: DEFAULT_WEIGHTS,
      recheckMs: 0,
      now: () => 0,
      onUnusedPrefetch: () => (unused += 1),
    });
    cache.set('invalidated', { ...entry('a', 0, ['x']), prefetched: true });
    cache.set('served', { ...entry('a', 0, ['x']), prefetched: true });
    cache.set('replaced', { ...entry('a', 0), prefetched: true });
    expect((await cache.take('served'))?.prefetched).toBe(true);
    cache.set('replaced', entry('a', 0));
    expect(unused).toBe(1);
    log.position = 2;
    log.changes = [{ seq: 2, kind: 'UPDATED', contextId: 'x' }];
    expect(await cache.has('invalidated')).toBe(false);
    expect(await cache.take('served')).toBeNull();
    expect(unused).toBe(2);
  });
});

/** A prefetcher over fakes: one workflow (research → write), a router that records what it was asked to prefetch. */
function fakePrefetcher(overrides: Partial<PrefetchDeps['settings']> = {}, failing = false, recorded: PackageRecord[] = []) {
  const asked: PredictedRequest[] = [];
  const events: PrefetchEvent[] = [];
  const warnings: string[] = [];
  const router = {
    foregroundInFlight: 0,
    foregroundStarts: 0,
    // The router's rule, minus the quiet window: wait while a foreground request is in progress.
    quietForeground: async () => {
      while (router.foregroundInFlight > 0) await new Promise((resolve) => setTimeout(resolve, 5));
    },
    listenPrefetch: () => {},
    prefetch: async (request: PredictedRequest) => {
      if (failing) throw new Error('database down');
      asked.push(request);
      return 'computed' as const;
    },
  };
  const prefetcher = new Prefetcher({
    router: () => router,
    workflows: {
      getMany: async (ids) => ids.map((id) => (id === 'wf' ? workflow : null)),
      runningStepsOf: async () => [],
    },
    agents: { getMany: async (ids) => ids.map((id) => ({ id, name: id, needs: [], tokenBudget: 4000 }) as never) },
    contexts: { getMany: async () => [] },
    packages: { packages: async () => recorded },
    settings: { ...DEFAULT_PREFETCH_SETTINGS, debounceMs: 20, ...overrides },
    onEvent: (event) => events.push(event),
    log: { debug: () => {}, warn: (message) => warnings.push(message) },
  });
  return { prefetcher, router, asked, events, warnings };
}

/** A recorded package of the agent in workflow wf, as the package log reads it back. */
function recordedAnswer(agentId: string, task: string, at: string): PackageRecord {
  return {
    id: `${agentId}-${at}`,
    agentId,
    at,
    cached: false,
    coalesced: false,
    replayOf: null,
    body: { task, workflowId: 'wf', budget: 4000 },
  } as PackageRecord;
}

describe('Prefetcher', () => {
  it('debounces triggers of one step into one job, and computes the following steps after it', async () => {
    const { prefetcher, asked, events } = fakePrefetcher();
    for (let i = 0; i < 5; i += 1) prefetcher.stepStarted({ workflowId: 'wf', id: 'write' });
    expect(prefetcher.backlog).toBe(1);
    await prefetcher.idle();
    expect(asked.map((r) => [r.agentId, r.stepId])).toEqual([['reviewer', 'review']]);
    expect(events).toEqual(['computed']);
  });

  it('a completion triggers the same job as a start: a publish just before completeStep is still predicted on', async () => {
    const { prefetcher, asked } = fakePrefetcher();
    prefetcher.stepStarted({ workflowId: 'wf', id: 'write' });
    prefetcher.stepCompleted({ workflowId: 'wf', id: 'write' });
    expect(prefetcher.backlog).toBe(1);
    await prefetcher.idle();
    expect(asked.map((r) => [r.agentId, r.stepId])).toEqual([['reviewer', 'review']]);
  });

  it('waits while a foreground request is in progress', async () => {
    const { prefetcher, router, asked } = fakePrefetcher();
    router.foregroundInFlight = 1;
    prefetcher.stepStarted({ workflowId: 'wf', id: 'write' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(asked).toEqual([]);
    router.foregroundInFlight = 0;
    await prefetcher.idle();
    expect(asked).toHaveLength(1);
  });

  it('drops the oldest job when the queue is full, and counts it', async () => {
    const { prefetcher, router, asked, events } = fakePrefetcher({ maxQueue: 1, debounceMs: 1 });
    router.foregroundInFlight = 1; // hold the queue
    prefetcher.stepStarted({ workflowId: 'wf', id: 'research' });
    await new Promise((resolve) => setTimeout(resolve, 30));
    prefetcher.stepStarted({ workflowId: 'wf', id: 'write' });
    await new Promise((resolve) => setTimeout(resolve, 30));
    router.foregroundInFlight = 0;
    await prefetcher.idle();
    expect(events.filter((e) => e === 'dropped')).toHaveLength(1);
    // Only the newer trigger (write → review) ran.
    expect(asked.map((r) => r.stepId)).toEqual(['review']);
  });

  it('never throws: a failing computation is logged and counted', async () => {
    const { prefetcher, events, warnings } = fakePrefetcher({}, true);
    prefetcher.stepStarted({ workflowId: 'wf', id: 'write' });
    await prefetcher.idle();
    expect(events).toEqual(['failed']);
    expect(warnings).toEqual(['prefetch failed']);
  });

  it('predicts a task heard in an answer at once, before the package log has written it, beside recorded ones', async () => {
    // The log holds an older answer (another process, or before a restart); the newest was only heard.
    const older = recordedAnswer('reviewer', 'Check the claims in the draft', '2026-12-01T09:00:00.000Z');
    const { prefetcher, asked } = fakePrefetcher({}, false, [older]);
    prefetcher.heardAnswer({ agentId: 'reviewer', task: 'Review the launch draft', workflowId: 'wf', budget: 4000 });
    prefetcher.heardAnswer({ agentId: 'reviewer', task: 'Check the claims in the draft', workflowId: 'wf', budget: 4000 });
    prefetcher.stepStarted({ workflowId: 'wf', id: 'write' });
    await prefetcher.idle();
    const past = asked.filter((r) => r.basis === 'PAST').map((r) => r.task);
    // Newest first, and the task both heard and recorded counts once.
    expect(past).toEqual(['Check the claims in the draft', 'Review the launch draft']);
  });

  it('does nothing when off', async () => {
    const { prefetcher, asked } = fakePrefetcher({ enabled: false });
    prefetcher.stepStarted({ workflowId: 'wf', id: 'write' });
    expect(prefetcher.backlog).toBe(0);
    await prefetcher.idle();
    expect(asked).toEqual([]);
  });
});
