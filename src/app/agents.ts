import { randomUUID } from 'node:crypto';
import { buildContextMap, type ContextMap } from '../domain/context-map.js';
import { ForbiddenError } from '../domain/errors.js';
import type { EmbeddingProvider } from '../domain/ports.js';
import { needsProfileText } from '../domain/routing/publish-relevance.js';
import type { AgentStore } from '../domain/store-ports.js';
import type { AgentDirectory } from './agent-directory.js';
import type { AgentProfiles } from './agent-profiles.js';
import type { Agent, Viewer } from '../domain/types.js';
import { generateApiKey, hashApiKey } from './auth.js';
import { idempotencyClaim } from './idempotency.js';
import { idempotencyKey, parseInput, registerAgentInput } from './validation.js';

/** Upper bound on agents listed at once; the Context Map is for teams, not crowds. */
export const MAX_AGENTS_LISTED = 10_000;

export class AgentService {
  constructor(
    private readonly agents: AgentStore,
    private readonly embeddings: EmbeddingProvider,
    private readonly profiles: AgentProfiles,
    private readonly directory: AgentDirectory,
  ) {}

  /** Admin only. The key is returned once; only its hash is stored. A replay returns no usable key. */
  async register(viewer: Viewer, rawInput: unknown, rawKey: unknown): Promise<{ agent: Agent; apiKey: string }> {
    if (viewer.kind !== 'admin') throw new ForbiddenError('Only an admin may register agents');
    const input = parseInput(registerAgentInput, rawInput, 'input');
    const key = parseInput(idempotencyKey, rawKey, 'idempotencyKey');
    const apiKey = generateApiKey();
    const profileText = needsProfileText(input.needs);
    const [needsEmbedding] = profileText ? await this.embeddings.embed([profileText]) : [null];
    const { agent, replayed } = await this.agents.create(
      {
        id: input.id ?? randomUUID(),
        name: input.name,
        role: input.role ?? null,
        needs: input.needs,
        produces: input.produces,
        relevanceThreshold: input.relevanceThreshold,
        tokenBudget: input.tokenBudget,
        parentId: input.parentId ?? null,
        apiKeyHash: hashApiKey(apiKey),
        needsEmbedding: needsEmbedding ?? null,
      },
      idempotencyClaim(viewer, 'registerAgent', key, input),
    );
    this.profiles.invalidate();
    this.directory.forget(agent.id);
    // The first response carried the key; a replay cannot recover it (only its hash exists).
    return { agent, apiKey: replayed ? '' : apiKey };
  }

  getMany(ids: readonly string[]) {
    return this.directory.getMany(ids);
  }

  list(): Promise<Agent[]> {
    return this.agents.list(MAX_AGENTS_LISTED);
  }

  childrenOf(ids: readonly string[]) {
    return this.agents.childrenOf(ids);
  }

  async contextMap(): Promise<ContextMap> {
    return buildContextMap(await this.list());
  }
}
