import type { PackageRecordStore } from '../../domain/history/package-records.js';
import type { WriteResult } from '../../domain/store-ports.js';
import type { Agent, ContextRecord, Viewer } from '../../domain/types.js';
import type { WorkflowStore } from '../../domain/workflows/ports.js';
import { predictRequests, type PastRequest, type SpeculatedAgent } from '../../domain/workflows/speculation.js';
import type { StepRecord } from '../../domain/workflows/types.js';
import type { ContextRouter, PrefetchListener } from './router.js';

/**
 * Context prefetch (README "Prefetch"): when a step starts, or the agent of a running step publishes in its workflow,
 * the requests the following steps' agents will make (src/domain/workflows/speculation.ts) are computed into the
 * router's cache in the background, so the later `contextFor` is served from them (`source: PREFETCH`).
 *
 * Low priority by construction: one job at a time, and a job (and each computation in it) starts only while no
 * foreground `contextFor` is in progress in this process. Triggers are debounced per (workflow, step), the queue is
 * bounded (the oldest job is dropped), and nothing here ever throws into the request path: failures are logged.
 * Prefetch computations are not answers: they are not recorded, not charged to a quota, and not handed to `onAnswer`.
 */

export interface PrefetchSettings {
  enabled: boolean;
  /** A trigger waits this long for more of the same (workflow, step) before its job is queued. Default 250 ms. */
  debounceMs: number;
  /** Jobs queued at most; past it the oldest is dropped (counted). Default 100. */
  maxQueue: number;
  /** Recorded packages read per following agent to find its past tasks (newest first). Default 20. */
  pastPackagesRead: number;
  /**
   * Share of wall time prefetch computations may take while the foreground is busy (0..1): after one that took d ms
   * and overlapped foreground requests, the next waits d × (1/share − 1) ms. Bounds what prefetch takes from the
   * foreground on a shared machine; an idle foreground is not held back. Default 0.2.
   */
  maxShare: number;
}

export const DEFAULT_PREFETCH_SETTINGS: PrefetchSettings = {
  enabled: true,
  debounceMs: 250,
  maxShare: 0.2,
  maxQueue: 100,
  pastPackagesRead: 20,
};

export type PrefetchEvent = 'computed' | 'served' | 'discarded' | 'dropped' | 'failed';

export interface PrefetchDeps {
  /** Late-bound: the router is created after the services that trigger prefetches. */
  router: () => Pick<ContextRouter, 'prefetch' | 'quietForeground' | 'listenPrefetch' | 'foregroundStarts'>;
  workflows: Pick<WorkflowStore, 'getMany' | 'runningStepsOf'>;
  agents: { getMany(ids: readonly string[]): Promise<(Agent | null)[]> };
  /** Who published a written context, and in which workflow (read as admin, in the background). */
  contexts: { getMany(ids: readonly string[], viewer: Viewer): Promise<(ContextRecord | null)[]> };
  packages: Pick<PackageRecordStore, 'packages'>;
  settings: PrefetchSettings;
  onEvent?: (event: PrefetchEvent) => void;
  /** Work waiting or running changed (the backlog gauge). */
  onBacklog?: (size: number) => void;
  log: { debug(message: string, detail?: unknown): void; warn(message: string, detail?: unknown): void };
}

/** Running steps read per publishing agent (an agent rarely runs more than a few at once). */
const MAX_RUNNING_STEPS = 50;
/** Recorded past requests of an agent are read again after this long (ms). */
const PAST_REQUESTS_TTL_MS = 2_000;
const MAX_AGENTS_REMEMBERED = 10_000;
const ADMIN: Viewer = { kind: 'admin' };
const WRITES_JOB = 'writes';

/** A past request with when it was answered (ms since the epoch). */
type TimedRequest = PastRequest & { at: number };

/** What the prefetcher needs of an answer (a DeliveredPackage has it). */
export interface HeardAnswer {
  agentId: string;
  task: string;
  workflowId: string | null;
  budget: number;
}

/** Newest first; a request heard and also recorded counts once. */
function newestFirst(requests: readonly TimedRequest[]): PastRequest[] {
  const seen = new Set<string>();
  return [...requests]
    .sort((a, b) => b.at - a.at)
    .filter((r) => {
      const key = `${r.task}\u0000${r.workflowId ?? ''}\u0000${r.budget}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .map(({ task, workflowId, budget }) => ({ task, workflowId, budget }));
}

const stepJob = (workflowId: string, stepId: string) => `step\u0000${workflowId}\u0000${stepId}`;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const yieldTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export class Prefetcher {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Job keys in order (a Map keeps insertion order; a key queued again keeps its place). */
  private readonly queue = new Map<string, () => Promise<void>>();
  private running = false;
  private stopped = false;
  /** Contexts written since the last writes job, to find who published them. */
  private writtenIds = new Set<string>();
  private listening = false;
  private worker: Promise<void> = Promise.resolve();
  /** Recorded past requests per agent, with when they were read (pastRequestsOf). */
  private readonly pastRequests = new Map<string, { at: number; requests: TimedRequest[] }>();
  /** Requests this process answered, per agent, newest first (heardAnswer): known before the package log writes them. */
  private readonly heardRequests = new Map<string, TimedRequest[]>();
  /** No prefetch stage starts before this time (ms): the rest that keeps prefetch within `maxShare`. */
  private restUntil = 0;

  constructor(private readonly deps: PrefetchDeps) {}

  get enabled(): boolean {
    return this.deps.settings.enabled && !this.stopped;
  }

  /** Debounced triggers, queued jobs and the running one. */
  get backlog(): number {
    return this.timers.size + this.queue.size + (this.running ? 1 : 0);
  }

  /** A step started: predict what the steps after it will ask. */
  stepStarted(step: Pick<StepRecord, 'workflowId' | 'id'>): void {
    if (!this.enabled) return;
    this.trigger(stepJob(step.workflowId, step.id), () => this.prefetchAfter(step.workflowId, step.id));
  }

  /**
   * An agent was answered through this process: the request joins its past requests at once. The package log writes
   * it later (after its flush and the pool measurement), and a prediction must not wait for that.
   */
  heardAnswer(answer: HeardAnswer): void {
    if (!this.enabled) return;
    const heard = this.heardRequests.get(answer.agentId) ?? [];
    const request = { task: answer.task, workflowId: answer.workflowId, budget: answer.budget, at: Date.now() };
    const kept = [request, ...heard].slice(0, this.deps.settings.pastPackagesRead);
    if (!this.heardRequests.has(answer.agentId) && this.heardRequests.size >= MAX_AGENTS_REMEMBERED) this.heardRequests.clear();
    this.heardRequests.set(answer.agentId, kept);
  }

  /**
   * A step completed: its following steps start next, over everything it published. Same job as a start (debounced
   * with it), so a publish followed at once by completeStep is still seen while the step counts as running.
   */
  stepCompleted(step: Pick<StepRecord, 'workflowId' | 'id'>): void {
    this.stepStarted(step);
  }

  /** A write went through: a publish (or update) by the agent of a running step triggers that step's prediction again. */
  heardWrite(result: WriteResult): void {
    if (!this.enabled || result.replayed) return;
    const ids = result.events.filter((e) => e.change === 'PUBLISHED' || e.change === 'UPDATED').map((e) => e.contextId);
    if (ids.length === 0) return;
    for (const id of ids) this.writtenIds.add(id);
    this.trigger(WRITES_JOB, () => this.stepsOfWrites());
  }

  /** Resolves once nothing is waiting or running (tests and benchmarks). */
  async idle(): Promise<void> {
    while (this.backlog > 0 && !this.stopped) await sleep(10);
    await this.worker;
  }

  /** Cancels what waits and lets the running job finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.queue.clear();
    this.changed();
    await this.worker;
  }

  private trigger(key: string, job: () => Promise<void>): void {
    const pending = this.timers.get(key);
    if (pending) clearTimeout(pending);
    const timer = setTimeout(() => {
      this.timers.delete(key);
      this.enqueue(key, job);
    }, this.deps.settings.debounceMs);
    timer.unref();
    this.timers.set(key, timer);
    this.changed();
  }

  private enqueue(key: string, job: () => Promise<void>): void {
    if (this.stopped) return;
    if (!this.queue.has(key) && this.queue.size >= this.deps.settings.maxQueue) {
      const [oldest] = this.queue.keys();
      if (oldest !== undefined) this.queue.delete(oldest);
      this.deps.onEvent?.('dropped');
    }
    this.queue.set(key, job);
    this.changed();
    if (!this.running) this.worker = this.work();
  }

  private async work(): Promise<void> {
    this.running = true;
    try {
      for (;;) {
        await this.quietForeground();
        const [next] = this.queue.entries();
        if (!next || this.stopped) break;
        const [key, job] = next;
        this.queue.delete(key);
        this.changed();
        try {
          await job();
        } catch (error) {
          this.deps.onEvent?.('failed');
          this.deps.log.warn('prefetch failed', { err: error });
        }
      }
    } finally {
      this.running = false;
      this.changed();
    }
  }

  /** Waits until the foreground has been quiet for the router's window (low priority: the foreground never waits for us). */
  private async quietForeground(): Promise<void> {
    await yieldTurn();
    const rest = this.restUntil - Date.now();
    if (rest > 0 && !this.stopped) await sleep(rest);
    if (!this.stopped) await this.router().quietForeground();
  }

  /** Each read of a job waits for a quiet foreground too, not only the job's start. */
  private async quietly<T>(read: () => Promise<T>): Promise<T> {
    await this.quietForeground();
    return read();
  }

  private router() {
    const router = this.deps.router();
    if (!this.listening) {
      this.listening = true;
      const listener: PrefetchListener = (event) => this.deps.onEvent?.(event);
      router.listenPrefetch(listener);
    }
    return router;
  }

  /** The running steps in whose workflow the written contexts' publishers published: each is triggered (debounced). */
  private async stepsOfWrites(): Promise<void> {
    const ids = [...this.writtenIds];
    this.writtenIds = new Set();
    const contexts = await this.quietly(() => this.deps.contexts.getMany(ids, ADMIN));
    const pairs = new Map<string, Set<string>>();
    for (const context of contexts) {
      if (!context?.workflowId || !context.sourceAgentId) continue;
      const workflows = pairs.get(context.sourceAgentId) ?? new Set<string>();
      workflows.add(context.workflowId);
      pairs.set(context.sourceAgentId, workflows);
    }
    for (const [agentId, workflows] of pairs) {
      const running = await this.quietly(() => this.deps.workflows.runningStepsOf(agentId, MAX_RUNNING_STEPS));
      for (const { step } of running) {
        if (workflows.has(step.workflowId))
          this.enqueue(stepJob(step.workflowId, step.id), () => this.prefetchAfter(step.workflowId, step.id));
      }
    }
  }

  /** Predicts the following steps' requests and computes each into the cache, yielding to the foreground between them. */
  private async prefetchAfter(workflowId: string, stepId: string): Promise<void> {
    const [workflow] = await this.quietly(() => this.deps.workflows.getMany([workflowId]));
    const step = workflow?.steps.find((s) => s.id === stepId);
    if (!workflow || !step || step.next.length === 0) return;
    const agentIds = [...new Set(workflow.steps.filter((s) => step.next.includes(s.id)).map((s) => s.agentId))];
    const found = await this.quietly(() => this.deps.agents.getMany(agentIds));
    const agents = new Map<string, SpeculatedAgent>(found.flatMap((a) => (a ? [[a.id, a] as const] : [])));
    const pastOf = new Map<string, PastRequest[]>();
    for (const agentId of agents.keys()) pastOf.set(agentId, await this.pastRequestsOf(agentId));
    for (const request of predictRequests({ workflow, stepId, agents, pastOf })) {
      await this.quietForeground();
      if (this.stopped) return;
      const startedAt = Date.now();
      const startsBefore = this.router().foregroundStarts;
      const outcome = await this.router().prefetch(request);
      // Only a computation that overlapped foreground requests rests: with nobody waiting there is nothing to yield.
      if (outcome === 'computed' && this.router().foregroundStarts !== startsBefore) this.rest(Date.now() - startedAt);
      if (outcome === 'computed') this.deps.onEvent?.('computed');
      this.deps.log.debug('prefetch', { workflowId, stepId: request.stepId, agentId: request.agentId, basis: request.basis, outcome });
    }
  }

  /**
   * The agent's recent requests, newest first: those this process answered (heardAnswer) and those the package log
   * recorded (other processes, earlier runs). The log is read at most once per PAST_REQUESTS_TTL_MS, without flushing
   * it: a busy workflow triggers a prediction every few hundred milliseconds, and a flush per prediction would turn the
   * log's batches into single writes.
   */
  private async pastRequestsOf(agentId: string): Promise<PastRequest[]> {
    const known = this.pastRequests.get(agentId);
    let recorded = known?.requests;
    if (!known || Date.now() - known.at >= PAST_REQUESTS_TTL_MS) {
      const records = await this.quietly(() =>
        this.deps.packages.packages(agentId, { from: null, to: null }, this.deps.settings.pastPackagesRead),
      );
      recorded = records.map((r) => ({ task: r.body.task, workflowId: r.body.workflowId, budget: r.body.budget, at: Date.parse(r.at) }));
      if (!known && this.pastRequests.size >= MAX_AGENTS_REMEMBERED) this.pastRequests.clear();
      this.pastRequests.set(agentId, { at: Date.now(), requests: recorded });
    }
    return newestFirst([...(this.heardRequests.get(agentId) ?? []), ...(recorded ?? [])]);
  }

  /** After a computation of `busyMs`, rests long enough that prefetch keeps to its share of wall time. */
  private rest(busyMs: number): void {
    const share = Math.min(1, Math.max(0.01, this.deps.settings.maxShare));
    this.restUntil = Date.now() + busyMs * (1 / share - 1);
  }

  private changed(): void {
    this.deps.onBacklog?.(this.backlog);
  }
}
