import { flatScope, type AgentScope, type ScopeLevel, type ScopeSource } from '../../domain/visibility.js';
import type { Neo4jExecutor, ParamsHook, Row, Statement } from './executor.js';
import { AGENT_SCOPE_CHAIN } from './statements/agents.js';

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);

function toScope(agentId: string, row: Row | undefined): AgentScope {
  if (!row) return flatScope(agentId);
  const levels = (row['levels'] as Record<string, unknown>[]).map((level): ScopeLevel => ({
    agentId: String(level['agentId']),
    inherit: strings(level['inherit']),
    isolate: strings(level['isolate']),
    shadowedClaims: strings(level['shadowedClaims']),
  }));
  return { root: String(row['root']), levels };
}

/**
 * Each agent's scope (README "Inheritance"), read from its spawn chain of :Agent nodes and kept: a scope is fixed when
 * an agent is spawned and no operation changes it, so the cache needs no invalidation across processes (an unknown
 * agent is not kept). `hook` gives every statement naming a `viewerId` its viewer's `$scopeRoot` and `$scopeLevels`,
 * which `VISIBLE` / `VISIBLE_VERSION` read; `scopeOf` serves the same scope to the live-event rule (`canRead`).
 */
export class Neo4jAgentScopes implements ScopeSource {
  private readonly known = new Map<string, AgentScope>();

  constructor(private readonly executor: Neo4jExecutor) {}

  async scopeOf(agentId: string): Promise<AgentScope> {
    return this.known.get(agentId) ?? this.load(agentId, (statement, params) => this.executor.readOne(statement, params));
  }

  /** Drops a kept scope (a spawn under a new id never changes one; kept for tests and a recreated store). */
  forget(agentId: string): void {
    this.known.delete(agentId);
  }

  readonly hook: ParamsHook = async (params, run) => {
    if (!('viewerId' in params) || 'scopeLevels' in params) return params;
    const viewerId = params['viewerId'];
    if (typeof viewerId !== 'string') return { ...params, scopeRoot: null, scopeLevels: [] };
    const scope = this.known.get(viewerId) ?? (await this.load(viewerId, run));
    return { ...params, scopeRoot: scope.root, scopeLevels: scope.levels };
  };

  private async load(agentId: string, run: (statement: Statement, params: Record<string, unknown>) => Promise<Row[]>) {
    const [row] = await run(AGENT_SCOPE_CHAIN, { agentId });
    const scope = toScope(agentId, row);
    if (row) this.known.set(agentId, scope);
    return scope;
  }
}
