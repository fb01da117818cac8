import type { Agent } from './types.js';

export interface TopicAgents {
  topic: string;
  agentIds: string[];
}

export interface ContextMap {
  agents: Agent[];
  /** Topics some agent needs that no agent produces. */
  unmetNeeds: TopicAgents[];
  /** Topics some agent produces that no agent needs. */
  unconsumedProducts: TopicAgents[];
}

/** Normalises a need or product topic so `Key Findings` and `key_findings` match. */
export function normalizeTopic(topic: string): string {
  return topic
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

/**
 * Builds the Context Map (the article's Phase 1) from the registered agents and, when given, workflow steps (a step's
 * needs and produces count for its agent).
 */
export function buildContextMap(agents: readonly Agent[], steps: readonly DeclaredStep[] = []): ContextMap {
  const { needers, producers } = declaredTopics(agents, steps);
  const without = (from: Map<string, Set<string>>, other: Map<string, Set<string>>): TopicAgents[] =>
    [...from.entries()]
      .filter(([topic]) => !other.has(topic))
      .map(([topic, ids]) => ({ topic, agentIds: [...ids].sort() }))
      .sort((a, b) => a.topic.localeCompare(b.topic));
  return {
    agents: [...agents],
    unmetNeeds: without(needers, producers),
    unconsumedProducts: without(producers, needers),
  };
}

/*
 * The Context Map from real traffic (README "The Context Map from real traffic"): the declared map above, weighed
 * against what was delivered (recorded packages) and published in a time range. Plain functions over records the
 * store read; a viewer's visibility arrives as each context's `visible` flag and is applied here (ids of contexts the
 * viewer may not read are never returned; counts include them).
 */

/** What the map needs to know of a context (delivered, published, or on a dependency chain). */
export interface MappedContext {
  id: string;
  sourceAgentId: string;
  type: string;
  tags: readonly string[];
  workflowId: string | null;
  createdAt: string;
  /** Whether the map's reader may read it. */
  visible: boolean;
}

/** One recorded package as the map reads it: who got it, and the contexts it delivered (items and summarised originals). */
export interface MappedPackage {
  agentId: string;
  items: readonly { contextId: string; tokens: number }[];
  /** Contexts delivered only inside the package's summary (no tokens of their own). */
  summarised: readonly string[];
}

/** A step's declared topics (steps' needs and produces count for the step's agent). */
export interface DeclaredStep {
  workflowId: string;
  id: string;
  agentId: string;
  position: number;
  needs: readonly string[];
  produces: readonly string[];
  next: readonly string[];
}

/** Usage of one declared need or product, counted from deliveries in the range. */
export interface TopicUsage {
  topic: string;
  /** Agents that declare it (their own needs/produces or a step of theirs). */
  agentIds: string[];
  /** Needs: deliveries of matching contexts to those agents. Products: deliveries of their matching contexts to other agents. */
  deliveries: number;
  /** Needs: distinct contexts delivered. Products: matching contexts those agents published in the range. */
  contexts: number;
  /** Of `contexts`, how many reached another agent (for needs: equal to `contexts`). */
  deliveredContexts: number;
  /** Ids of `contexts` the reader may read, sorted; the others are counted in `hiddenContexts`. */
  contextIds: string[];
  hiddenContexts: number;
}

export type IsolationReason = 'NEVER_PUBLISHES' | 'NEVER_CONSUMED';

export interface IsolatedAgent {
  agentId: string;
  reason: IsolationReason;
  /** Contexts it published in the range. */
  published: number;
}

/** Context that went from one agent (the source of delivered contexts) to another (the package's agent). */
export interface ContextFlow {
  producerId: string;
  consumerId: string;
  deliveries: number;
  contexts: number;
  tokens: number;
}

export interface ObservedContextMap {
  needs: TopicUsage[];
  products: TopicUsage[];
  /** Declared needs no delivery in the range served. */
  unservedNeeds: TopicAgents[];
  /** Declared products none of whose contexts was delivered to another agent in the range. */
  undeliveredProducts: TopicAgents[];
  isolatedAgents: IsolatedAgent[];
  flows: ContextFlow[];
}

export interface ObservationInput {
  agents: readonly Agent[];
  steps: readonly DeclaredStep[];
  packages: readonly MappedPackage[];
  /** Every delivered context the store found (by id); deliveries of others are not counted. */
  contexts: ReadonlyMap<string, MappedContext>;
  /** Contexts published in the range (in the workflow, when the map is of one). */
  published: readonly MappedContext[];
  /** Counts only deliveries of contexts in this workflow, when set. */
  workflowId: string | null;
  /** Agents never listed as isolated (the mesh's own). */
  systemAgentIds?: readonly string[];
}

/** Whether a context matches a topic the way requirements match: its type, or a tag with the same topic key. */
export function matchesTopic(topicKey: string, context: Pick<MappedContext, 'type' | 'tags'>): boolean {
  return normalizeTopic(context.type) === topicKey || context.tags.some((tag) => normalizeTopic(tag) === topicKey);
}

interface Delivered {
  consumerId: string;
  context: MappedContext;
  tokens: number;
}

/** The map's declared topics: topic key → agents, from agents' own needs/produces and their steps'. */
export function declaredTopics(agents: readonly Agent[], steps: readonly DeclaredStep[]) {
  const needers = new Map<string, Set<string>>();
  const producers = new Map<string, Set<string>>();
  const add = (index: Map<string, Set<string>>, topics: readonly string[], agentId: string) => {
    for (const topic of topics) {
      const key = normalizeTopic(topic);
      if (key === '') continue;
      index.set(key, (index.get(key) ?? new Set<string>()).add(agentId));
    }
  };
  for (const agent of agents) {
    add(needers, agent.needs, agent.id);
    add(producers, agent.produces, agent.id);
  }
  for (const step of steps) {
    add(needers, step.needs, step.agentId);
    add(producers, step.produces, step.agentId);
  }
  return { needers, producers };
}

function deliveredItems(input: ObservationInput): Delivered[] {
  const out: Delivered[] = [];
  for (const pkg of input.packages) {
    const seen = new Set<string>();
    const entries = [...pkg.items, ...pkg.summarised.map((contextId) => ({ contextId, tokens: 0 }))];
    for (const { contextId, tokens } of entries) {
      const context = input.contexts.get(contextId);
      if (!context || seen.has(contextId)) continue;
      if (input.workflowId !== null && context.workflowId !== input.workflowId) continue;
      seen.add(contextId);
      out.push({ consumerId: pkg.agentId, context, tokens });
    }
  }
  return out;
}

const sortedIds = (ids: Iterable<string>) => [...ids].sort();
const byTopic = (a: { topic: string }, b: { topic: string }) => a.topic.localeCompare(b.topic);

function usage(
  topic: string,
  agentIds: Set<string>,
  deliveries: number,
  contexts: readonly MappedContext[],
  delivered: number,
): TopicUsage {
  const visible = contexts.filter((c) => c.visible);
  return {
    topic,
    agentIds: sortedIds(agentIds),
    deliveries,
    contexts: contexts.length,
    deliveredContexts: delivered,
    contextIds: sortedIds(visible.map((c) => c.id)),
    hiddenContexts: contexts.length - visible.length,
  };
}

/** Needs, products, the unserved and undelivered ones, isolated agents and flows, from the range's deliveries. */
export function observeContextMap(input: ObservationInput): ObservedContextMap {
  const { needers, producers } = declaredTopics(input.agents, input.steps);
  // Topic keys per context, computed once (matching is the hot loop: topics × deliveries).
  const keys = new Map<string, Set<string>>();
  const keysOf = (c: MappedContext) => {
    let found = keys.get(c.id);
    if (!found) keys.set(c.id, (found = new Set([normalizeTopic(c.type), ...c.tags.map(normalizeTopic)])));
    return found;
  };
  const matches = (topic: string, c: MappedContext) => keysOf(c).has(topic);
  const delivered = deliveredItems(input);
  const toOthers = delivered.filter((d) => d.consumerId !== d.context.sourceAgentId);

  const needs = [...needers.entries()]
    .map(([topic, agentIds]) => {
      const served = delivered.filter((d) => agentIds.has(d.consumerId) && matches(topic, d.context));
      const contexts = [...new Map(served.map((d) => [d.context.id, d.context])).values()];
      return usage(topic, agentIds, served.length, contexts, contexts.length);
    })
    .sort(byTopic);

  const products = [...producers.entries()]
    .map(([topic, agentIds]) => {
      const made = input.published.filter((c) => agentIds.has(c.sourceAgentId) && matches(topic, c));
      const madeIds = new Set(made.map((c) => c.id));
      const reached = toOthers.filter((d) => madeIds.has(d.context.id));
      return usage(topic, agentIds, reached.length, made, new Set(reached.map((d) => d.context.id)).size);
    })
    .sort(byTopic);

  const topicAgents = (u: TopicUsage): TopicAgents => ({ topic: u.topic, agentIds: u.agentIds });
  return {
    needs,
    products,
    unservedNeeds: needs.filter((u) => u.deliveries === 0).map(topicAgents),
    undeliveredProducts: products.filter((u) => u.deliveredContexts === 0).map(topicAgents),
    isolatedAgents: isolatedAgents(input, toOthers),
    flows: flows(toOthers),
  };
}

function isolatedAgents(input: ObservationInput, toOthers: readonly Delivered[]): IsolatedAgent[] {
  const system = new Set(input.systemAgentIds ?? []);
  const publishedBy = new Map<string, number>();
  for (const c of input.published) publishedBy.set(c.sourceAgentId, (publishedBy.get(c.sourceAgentId) ?? 0) + 1);
  const consumedSources = new Set(toOthers.map((d) => d.context.sourceAgentId));
  const isolated: IsolatedAgent[] = [];
  for (const agent of input.agents) {
    if (system.has(agent.id)) continue;
    const published = publishedBy.get(agent.id) ?? 0;
    if (published === 0) isolated.push({ agentId: agent.id, reason: 'NEVER_PUBLISHES', published });
    else if (!consumedSources.has(agent.id)) isolated.push({ agentId: agent.id, reason: 'NEVER_CONSUMED', published });
  }
  return isolated.sort((a, b) => a.agentId.localeCompare(b.agentId));
}

function flows(toOthers: readonly Delivered[]): ContextFlow[] {
  const byPair = new Map<string, { producerId: string; consumerId: string; deliveries: number; ids: Set<string>; tokens: number }>();
  for (const d of toOthers) {
    const key = `${d.context.sourceAgentId}\u0000${d.consumerId}`; // ids never hold NUL
    const flow = byPair.get(key) ?? {
      producerId: d.context.sourceAgentId,
      consumerId: d.consumerId,
      deliveries: 0,
      ids: new Set(),
      tokens: 0,
    };
    flow.deliveries += 1;
    flow.ids.add(d.context.id);
    flow.tokens += d.tokens;
    byPair.set(key, flow);
  }
  return [...byPair.values()]
    .map(({ ids, ...flow }) => ({ ...flow, contexts: ids.size }))
    .sort((a, b) => b.deliveries - a.deliveries || a.producerId.localeCompare(b.producerId) || a.consumerId.localeCompare(b.consumerId));
}

/** A workflow's terminal steps: those with no `next`; when every step has one (a loop), the last defined. */
export function terminalSteps<S extends Pick<DeclaredStep, 'next' | 'position'>>(steps: readonly S[]): S[] {
  const terminal = steps.filter((s) => s.next.length === 0);
  if (terminal.length > 0 || steps.length === 0) return terminal;
  return [[...steps].sort((a, b) => b.position - a.position)[0] as S];
}

/**
 * A workflow's outputs: its contexts published by a terminal step's agent, or matching a terminal step's `produces`;
 * newest first.
 */
export function workflowOutputs(workflowId: string, steps: readonly DeclaredStep[], contexts: readonly MappedContext[]): MappedContext[] {
  const terminal = terminalSteps(steps.filter((s) => s.workflowId === workflowId));
  const agents = new Set(terminal.map((s) => s.agentId));
  const topics = terminal.flatMap((s) => s.produces.map(normalizeTopic));
  return contexts
    .filter((c) => c.workflowId === workflowId && (agents.has(c.sourceAgentId) || topics.some((t) => matchesTopic(t, c))))
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id));
}

/** One context on a critical path; a context the reader may not read is a placeholder (`hidden`, nothing else). */
export interface PathNode {
  hidden: boolean;
  contextId: string | null;
  sourceAgentId: string | null;
  stepId: string | null;
}

/** A dependency chain a workflow output rests on: the output first, then what it depends on, down to a root. */
export interface CriticalPath {
  workflowId: string;
  length: number;
  nodes: PathNode[];
}

export interface PathLimits {
  /** DEPENDS_ON hops followed from an output at most. */
  maxDepth: number;
  /** Chains enumerated per workflow at most (the longest of them are kept). */
  maxEnumerated: number;
  /** Chains returned per workflow. */
  maxReturned: number;
}

export const DEFAULT_PATH_LIMITS: PathLimits = { maxDepth: 8, maxEnumerated: 2000, maxReturned: 20 };

/** The step of `workflowId` a context came from: its source agent's step there, preferring one whose produces it matches. */
export function stepOf(context: MappedContext, workflowId: string, steps: readonly DeclaredStep[]): string | null {
  if (context.workflowId !== workflowId) return null;
  const candidates = steps.filter((s) => s.workflowId === workflowId && s.agentId === context.sourceAgentId);
  const producing = candidates.find((s) => s.produces.some((p) => matchesTopic(normalizeTopic(p), context)));
  return (producing ?? [...candidates].sort((a, b) => a.position - b.position)[0])?.id ?? null;
}

/**
 * The chains each output rests on: every maximal DEPENDS_ON path from it (ending at a context with no dependency,
 * or at `maxDepth` hops), longest first. `edges`: context id → the ids it depends on (contexts absent from `nodes`
 * end the chain).
 */
export function criticalPaths(
  workflowId: string,
  steps: readonly DeclaredStep[],
  outputs: readonly MappedContext[],
  nodes: ReadonlyMap<string, MappedContext>,
  edges: ReadonlyMap<string, readonly string[]>,
  limits: PathLimits = DEFAULT_PATH_LIMITS,
): CriticalPath[] {
  const chains: string[][] = [];
  const walk = (chain: string[]) => {
    if (chains.length >= limits.maxEnumerated) return;
    const last = chain[chain.length - 1] as string;
    const next = (edges.get(last) ?? []).filter((id) => nodes.has(id) && !chain.includes(id));
    if (next.length === 0 || chain.length > limits.maxDepth) {
      chains.push(chain);
      return;
    }
    for (const id of [...next].sort()) walk([...chain, id]);
  };
  for (const output of outputs) walk([output.id]);
  const node = (id: string): PathNode => {
    const context = nodes.get(id);
    if (!context?.visible) return { hidden: true, contextId: null, sourceAgentId: null, stepId: null };
    return { hidden: false, contextId: id, sourceAgentId: context.sourceAgentId, stepId: stepOf(context, workflowId, steps) };
  };
  return chains
    .map((chain, order) => ({ chain, order }))
    .sort((a, b) => b.chain.length - a.chain.length || a.order - b.order)
    .slice(0, limits.maxReturned)
    .map(({ chain }) => ({ workflowId, length: chain.length, nodes: chain.map(node) }));
}

export type StepFailureKind = 'MISSING_REQUIRED' | 'POLICY_WARNING' | 'NEED_UNAVAILABLE_AT_START';

/** Required context that was missing when a step ran (README "The Context Map from real traffic"). */
export interface StepFailure {
  id: string;
  kind: StepFailureKind;
  workflowId: string;
  stepId: string;
  agentId: string;
  attempt: number;
  missing: string[];
  at: string;
  /** The WARN policy, for POLICY_WARNING. */
  policyId: string | null;
}
