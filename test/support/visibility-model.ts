/**
 * A plain model of who may read a context, written from the rules in words (README "Inheritance", issue 9) and
 * deliberately not from src/domain/visibility.ts or the Cypher: property tests compare every read path with it.
 *
 * - An agent that was not spawned (a root) reads public contexts (`visibleTo` null), its own, and those whose
 *   `visibleTo` names it.
 * - A spawned agent reads its own contexts always; any other context only if none of its names (tags and type,
 *   case-insensitive) is in the agent's `isolate` and its claim is not one the agent overrides, and then if it is
 *   shared with the agent, or if the agent's parent reads it and `inherit` (empty: everything) names one of its names.
 *
 * Also exported: models that are wrong on purpose, to show that the properties catch a broken rule.
 */

export interface ModelAgent {
  id: string;
  /** The agent that spawned it; null for a registered (root) agent. */
  parentId: string | null;
  inherit: readonly string[];
  isolate: readonly string[];
  /** Claims of its `override` entries (normalised as the mesh stores claims). */
  overrideClaims: readonly string[];
}

/** What the rule looks at in one version of a context. `claim` is normalised as the mesh stores it. */
export interface ModelContext {
  sourceAgentId: string;
  visibleTo: readonly string[] | null;
  tags: readonly string[];
  type: string;
  claim: string | null;
}

export type Agents = ReadonlyMap<string, ModelAgent>;

/** Whether `agentId` may read `context`. Agents missing from `agents` are treated as roots. */
export type VisibilityModel = (agents: Agents, agentId: string, context: ModelContext) => boolean;

const lower = (value: string) => value.trim().toLowerCase();
const namesOf = (context: ModelContext) => new Set([...context.tags.map(lower), lower(context.type)]);
const namesAny = (list: readonly string[], names: Set<string>) => list.some((name) => names.has(lower(name)));
const sharedWith = (context: ModelContext, agentId: string) => context.visibleTo !== null && context.visibleTo.includes(agentId);

function rootReads(agentId: string, context: ModelContext): boolean {
  return context.visibleTo === null || context.sourceAgentId === agentId || sharedWith(context, agentId);
}

/** The rule, with the two places a wrong model may differ passed in. */
function modelWith(options: {
  isolated: (agent: ModelAgent, context: ModelContext) => boolean;
  parentReads: (agents: Agents, agent: ModelAgent, context: ModelContext, reads: VisibilityModel) => boolean;
}): VisibilityModel {
  const reads: VisibilityModel = (agents, agentId, context) => {
    const agent = agents.get(agentId);
    if (!agent || agent.parentId === null) return rootReads(agentId, context);
    if (context.sourceAgentId === agentId) return true;
    if (options.isolated(agent, context)) return false;
    if (context.claim !== null && agent.overrideClaims.includes(context.claim)) return false;
    if (sharedWith(context, agentId)) return true;
    const inherited = agent.inherit.length === 0 || namesAny(agent.inherit, namesOf(context));
    return inherited && options.parentReads(agents, agent, context, reads);
  };
  return reads;
}

const isolatedByName = (agent: ModelAgent, context: ModelContext) => namesAny(agent.isolate, namesOf(context));
const parentRule = (agents: Agents, agent: ModelAgent, context: ModelContext, reads: VisibilityModel) =>
  agent.parentId !== null && reads(agents, agent.parentId, context);

/** The rule as documented. */
export const visibilityModel: VisibilityModel = modelWith({ isolated: isolatedByName, parentReads: parentRule });

/** WRONG on purpose: `isolate` only holds for restricted contexts, so an isolated public context leaks. */
export const isolationSparesPublicModel: VisibilityModel = modelWith({
  isolated: (agent, context) => context.visibleTo !== null && isolatedByName(agent, context),
  parentReads: parentRule,
});

/** WRONG on purpose: every spawned agent inherits from the root of its chain, skipping its parent's limits. */
export const inheritsFromRootModel: VisibilityModel = modelWith({
  isolated: isolatedByName,
  parentReads: (agents, agent, context) => {
    let top = agent;
    for (let parent = agents.get(agent.parentId ?? ''); parent; parent = agents.get(parent.parentId ?? '')) top = parent;
    return rootReads(top.id, context);
  },
});
