import { randomUUID } from 'node:crypto';
import { BadInputError, ForbiddenError, NotFoundError } from '../domain/errors.js';
import type { EmbeddingProvider } from '../domain/ports.js';
import { needsProfileText } from '../domain/routing/publish-relevance.js';
import type { AgentStore } from '../domain/store-ports.js';
import type { Agent, Viewer } from '../domain/types.js';
import type { ScopeSource } from '../domain/visibility.js';
import type { AgentDirectory } from './agent-directory.js';
import type { AgentProfiles } from './agent-profiles.js';
import { generateApiKey, hashApiKey } from './auth.js';
import type { ContextService } from './contexts.js';
import { idempotencyClaim } from './idempotency.js';
import { entityId, idempotencyKey, parseInput, spawnAgentInput, type SpawnAgentInput } from './validation.js';

/** Deepest spawn chain below a registered agent; the store's chain statement reads up to 20. */
export const MAX_SPAWN_DEPTH = 10;

export interface SpawnDeps {
  agents: AgentStore;
  embeddings: EmbeddingProvider;
  profiles: AgentProfiles;
  directory: AgentDirectory;
  contexts: Pick<ContextService, 'publishMany'>;
  scopes: ScopeSource & { forget(agentId: string): void };
}

/** The override contexts of a spawned agent: its own, restricted to it, one per claim (README "Inheritance"). */
const overrideContexts = (childId: string, input: SpawnAgentInput) =>
  input.override.map((entry) => ({
    type: 'CONSTRAINT',
    text: entry.text,
    tags: ['override'],
    claim: entry.claim,
    position: entry.text.slice(0, 500),
    visibleTo: [childId],
  }));

/**
 * spawnAgent: a child agent whose reads are its parent's, limited by its scope (`inherit`, `isolate`, `override`).
 * A parent agent spawns its own children with its own key; an admin spawns for any agent.
 */
export class SpawnService {
  constructor(private readonly deps: SpawnDeps) {}

  async spawn(viewer: Viewer, rawParentId: unknown, rawInput: unknown, rawKey: unknown): Promise<{ agent: Agent; apiKey: string }> {
    const parentId = parseInput(entityId, rawParentId, 'parentId');
    if (viewer.kind === 'agent' && viewer.agentId !== parentId) {
      throw new ForbiddenError(`Agent ${viewer.agentId} may spawn only its own children, not children of ${parentId}`);
    }
    const input = parseInput(spawnAgentInput, rawInput, 'input');
    const key = parseInput(idempotencyKey, rawKey, 'idempotencyKey');
    const parent = await this.deps.directory.get(parentId);
    if (!parent) throw new NotFoundError('Agent', [parentId]);
    const parentScope = await this.deps.scopes.scopeOf(parentId);
    if (parentScope.levels.length >= MAX_SPAWN_DEPTH) {
      throw new BadInputError(`Spawn chains are at most ${MAX_SPAWN_DEPTH} deep`, [{ path: ['parentId'], message: 'is too deep' }]);
    }
    const needs = input.needs ?? parent.needs;
    const apiKey = generateApiKey();
    const profileText = needsProfileText(needs);
    const [needsEmbedding] = profileText ? await this.deps.embeddings.embed([profileText]) : [null];
    const { agent, replayed } = await this.deps.agents.create(
      {
        id: input.id ?? randomUUID(),
        name: input.name,
        role: input.role ?? null,
        needs,
        produces: input.produces ?? parent.produces,
        relevanceThreshold: input.relevanceThreshold ?? parent.relevanceThreshold,
        tokenBudget: input.tokenBudget ?? parent.tokenBudget,
        parentId,
        apiKeyHash: hashApiKey(apiKey),
        needsEmbedding: needsEmbedding ?? null,
        scope: { inherit: input.inherit, isolate: input.isolate, shadowedClaims: input.override.map((o) => o.claim) },
      },
      idempotencyClaim(viewer, 'spawnAgent', key, { parentId, input }),
    );
    this.deps.scopes.forget(agent.id);
    this.deps.directory.forget(agent.id);
    this.deps.profiles.invalidate();
    if (input.override.length > 0) {
      // Written as the child, after it exists. Its shadowed claims are stored with it, so until these are written
      // (or if this fails) the child sees neither the parent's contexts on those claims nor the overrides: fail closed.
      const overrideKey = key ? `spawn:${key}`.slice(0, 200) : `spawn:${agent.id}`;
      await this.deps.contexts.publishMany({ kind: 'agent', agentId: agent.id }, overrideContexts(agent.id, input), overrideKey);
    }
    return { agent, apiKey: replayed ? '' : apiKey };
  }
}
