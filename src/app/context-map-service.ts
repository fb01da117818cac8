import {
  buildContextMap,
  criticalPaths,
  DEFAULT_PATH_LIMITS,
  observeContextMap,
  workflowOutputs,
  type ContextMap,
  type CriticalPath,
  type DeclaredStep,
  type MappedContext,
  type ObservedContextMap,
  type StepFailure,
} from '../domain/context-map.js';
import type { ContextMapStore } from '../domain/context-map-ports.js';
import { NotFoundError } from '../domain/errors.js';
import type { Agent, Viewer } from '../domain/types.js';
import type { WorkflowStore } from '../domain/workflows/ports.js';
import { MESH_AGENT_ID, type WorkflowRecord } from '../domain/workflows/types.js';
import { contextMapInput, parseArgs } from './validation.js';

/** Recorded packages one contextMap reads at most (newest first in the range), as meshStats; past it `truncated`. */
export const MAX_MAP_PACKAGES = 5000;
/** Published contexts read at most (newest first in the range); past it `truncated`. */
export const MAX_MAP_PUBLISHED = 20_000;
/** Workflows whose critical paths are computed when no workflowId is given, and outputs per workflow followed. */
export const MAX_PATH_WORKFLOWS = 100;
export const MAX_OUTPUTS_PER_WORKFLOW = 50;
/** Contexts of the outputs' dependency closure read at most. */
export const MAX_CLOSURE_CONTEXTS = 5000;
export const MAX_STEP_FAILURES = 1000;
const MAX_AGENTS = 10_000;
const MAX_WORKFLOWS = 1000;

export interface ObservedView extends ObservedContextMap {
  criticalPaths: CriticalPath[];
  stepFailures: StepFailure[];
  /** True when the range held more packages (or published contexts) than one call reads. */
  truncated: boolean;
  packagesRead: number;
}

export interface ContextMapView extends ContextMap {
  workflowId: string | null;
  from: string | null;
  to: string | null;
  /** The traffic part, read once and only when a field asks for it. */
  observed(): Promise<ObservedView>;
}

export interface ContextMapServiceDeps {
  store: ContextMapStore;
  agents: { list(limit: number): Promise<Agent[]>; getMany(ids: readonly string[]): Promise<(Agent | null)[]> };
  workflows: Pick<WorkflowStore, 'getMany' | 'list'>;
  /** The write-behind package log, flushed before packages are read. */
  log: { flush(): Promise<void> };
  maxPackages?: number;
}

/** contextMap (README "The Context Map from real traffic"); the rules are src/domain/context-map.ts. */
export class ContextMapService {
  constructor(private readonly deps: ContextMapServiceDeps) {}

  async map(viewer: Viewer, args: Record<string, unknown>): Promise<ContextMapView> {
    const input = parseArgs(contextMapInput, args);
    const workflows = await this.workflowsOf(input.workflowId);
    const steps: DeclaredStep[] = workflows.flatMap((w) => w.steps);
    const agents =
      input.workflowId === null
        ? await this.deps.agents.list(MAX_AGENTS)
        : (await this.deps.agents.getMany([...new Set(steps.map((s) => s.agentId))])).filter((a): a is Agent => a !== null);
    let observed: Promise<ObservedView> | null = null;
    return {
      ...buildContextMap(agents, steps),
      ...input,
      observed: () => (observed ??= this.observe(viewer, input, agents, workflows)),
    };
  }

  private async workflowsOf(workflowId: string | null): Promise<WorkflowRecord[]> {
    if (workflowId === null) return this.deps.workflows.list(MAX_WORKFLOWS);
    const [workflow] = await this.deps.workflows.getMany([workflowId]);
    if (!workflow) throw new NotFoundError('Workflow', [workflowId]);
    return [workflow];
  }

  private async observe(
    viewer: Viewer,
    input: { workflowId: string | null; from: string | null; to: string | null },
    agents: Agent[],
    workflows: WorkflowRecord[],
  ): Promise<ObservedView> {
    const range = { from: input.from, to: input.to };
    const max = this.deps.maxPackages ?? MAX_MAP_PACKAGES;
    await this.deps.log.flush();
    const [read, publishedRead, stepFailures] = await Promise.all([
      this.deps.store.packagesInRange(range, max + 1),
      this.deps.store.publishedInRange(input.workflowId, range, MAX_MAP_PUBLISHED + 1, viewer),
      this.deps.store.stepFailures(input.workflowId, range, MAX_STEP_FAILURES),
    ]);
    const packages = read.slice(0, max).map((pkg) => ({
      agentId: pkg.agentId,
      items: pkg.body.items,
      summarised: pkg.body.compressed?.originalContextIds ?? [],
    }));
    const published = publishedRead.slice(0, MAX_MAP_PUBLISHED);
    const ids = new Set(packages.flatMap((p) => [...p.items.map((i) => i.contextId), ...p.summarised]));
    const contexts = new Map((await this.deps.store.contextsByIds([...ids], viewer)).map((c) => [c.id, c]));
    const steps: DeclaredStep[] = workflows.flatMap((w) => w.steps);
    const observed = observeContextMap({
      agents,
      steps,
      packages,
      contexts,
      published,
      workflowId: input.workflowId,
      systemAgentIds: [MESH_AGENT_ID],
    });
    return {
      ...observed,
      criticalPaths: await this.paths(viewer, workflows.slice(0, MAX_PATH_WORKFLOWS), steps, published),
      stepFailures,
      truncated: read.length > max || publishedRead.length > MAX_MAP_PUBLISHED,
      packagesRead: packages.length,
    };
  }

  /** Per workflow, the chains its outputs (published in the range) rest on, longest first. */
  private async paths(viewer: Viewer, workflows: WorkflowRecord[], steps: DeclaredStep[], published: MappedContext[]) {
    const outputs = new Map(workflows.map((w) => [w.id, workflowOutputs(w.id, steps, published).slice(0, MAX_OUTPUTS_PER_WORKFLOW)]));
    const roots = [...new Set([...outputs.values()].flatMap((list) => list.map((c) => c.id)))];
    const closure = await this.deps.store.dependencyClosure(roots, DEFAULT_PATH_LIMITS.maxDepth, MAX_CLOSURE_CONTEXTS, viewer);
    const nodes = new Map(closure.nodes.map((n) => [n.id, n]));
    const edges = new Map<string, string[]>();
    for (const { from, to } of closure.edges) edges.set(from, [...(edges.get(from) ?? []), to]);
    return workflows.flatMap((w) => criticalPaths(w.id, steps, outputs.get(w.id) ?? [], nodes, edges));
  }
}
