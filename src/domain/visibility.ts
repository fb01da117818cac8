import type { ContextRecord, Viewer } from './types.js';

/**
 * One level of a spawned agent's scope (see README "Inheritance"): what it takes from its parent (`inherit`: tags
 * or context types, compared case-insensitively; empty = all), what it never reads (`isolate`), and the claims its own
 * override contexts shadow.
 */
export interface ScopeLevel {
  agentId: string;
  inherit: readonly string[];
  isolate: readonly string[];
  shadowedClaims: readonly string[];
}

/**
 * A viewer's effective scope: `root` is the top of its spawn chain (an agent that was not spawned; itself when it
 * was not), `levels` the spawned agents from the root's child down to the viewer (empty for a root).
 */
export interface AgentScope {
  root: string;
  levels: readonly ScopeLevel[];
}

/** Resolves an agent's scope (the store's chain of :Agent nodes; cached, scopes never change after spawn). */
export interface ScopeSource {
  scopeOf(agentId: string): Promise<AgentScope>;
}

export const flatScope = (agentId: string): AgentScope => ({ root: agentId, levels: [] });

/** A tag or type name as scopes compare it: trimmed, lower case (`FINDING` and `finding` name the type). */
export const scopeName = (value: string) => value.trim().toLowerCase();

export type Readable = Pick<ContextRecord, 'sourceAgentId'> & {
  visibleTo: readonly string[] | null;
  tags?: readonly string[] | null;
  type?: string | null;
  claim?: string | null | undefined;
};

const names = (context: Readable) => [...(context.tags ?? []).map(scopeName), scopeName(context.type ?? '')];

/**
 * The rule for an agent with a scope, from the root down: the root reads public contexts, its own and those naming
 * it; each spawned level reads its own contexts, and otherwise — unless a name of the context is in its `isolate`
 * or its claim is shadowed — those naming it, and what the level above reads that its `inherit` admits.
 * Isolation therefore holds at every level below the one that names it; a level never reads more of its parent's than the parent.
 */
export function readableInScope(scope: AgentScope, context: Readable): boolean {
  const shared = (agentId: string) => context.visibleTo !== null && context.visibleTo.includes(agentId);
  let ok = context.visibleTo === null || context.sourceAgentId === scope.root || shared(scope.root);
  const contextNames = names(context);
  for (const level of scope.levels) {
    const isolated = level.isolate.some((name) => contextNames.includes(name));
    const shadowed = context.claim !== null && context.claim !== undefined && level.shadowedClaims.includes(context.claim);
    const inherited = level.inherit.length === 0 || level.inherit.some((name) => contextNames.includes(name));
    ok = context.sourceAgentId === level.agentId || (!isolated && !shadowed && (shared(level.agentId) || (ok && inherited)));
  }
  return ok;
}

/**
 * Whether a viewer may read a context: the same rule as `VISIBLE` in the store's Cypher, for records already in
 * memory (live events). Admins read everything; an agent reads by its scope (`readableInScope`; null = not
 * spawned: public contexts, its own, and those naming it).
 */
export function canRead(viewer: Viewer, context: Readable, scope: AgentScope | null = null): boolean {
  switch (viewer.kind) {
    case 'admin':
      return true;
    case 'agent':
      return readableInScope(scope ?? flatScope(viewer.agentId), context);
    default: {
      const unreachable: never = viewer;
      return unreachable;
    }
  }
}
