import { AlreadyExistsError, NotFoundError } from '../../domain/errors.js';
import type { Clock } from '../../domain/ports.js';
import type { AgentStore, IdempotencyClaim, NewAgent } from '../../domain/store-ports.js';
import type { Agent } from '../../domain/types.js';
import type { Neo4jExecutor } from './executor.js';
import { claimIdempotency, completeIdempotency } from './idempotency.js';
import { groupBy, toAgent } from './mapping.js';
import { AGENTS_BY_IDS, AGENT_BY_KEY_HASH, AGENT_PRESENCE, ALL_AGENTS, CHILDREN_OF, CREATE_AGENT } from './statements/agents.js';

export class Neo4jAgentStore implements AgentStore {
  constructor(
    private readonly executor: Neo4jExecutor,
    private readonly clock: Clock,
  ) {}

  async create(agent: NewAgent, idempotency: IdempotencyClaim | null): Promise<{ agent: Agent; replayed: boolean }> {
    const now = this.clock.now().toISOString();
    // A concurrent registration of the same id loses on the unique constraint; the executor reports ALREADY_EXISTS.
    return this.executor.write('createAgent', async (tx) => {
      const prior = await claimIdempotency(tx, idempotency, now);
      if (prior !== null) {
        const [row] = await tx.run(AGENTS_BY_IDS, { ids: [JSON.parse(prior) as string] });
        if (!row) throw new NotFoundError('Agent', [String(JSON.parse(prior))]);
        return { agent: toAgent(row['agent']), replayed: true };
      }
      const presence = await tx.run(AGENT_PRESENCE, { ids: agent.parentId ? [agent.id, agent.parentId] : [agent.id] });
      if (presence.some((row) => row['id'] === agent.id && row['exists'] === true)) throw new AlreadyExistsError('Agent', [agent.id]);
      if (agent.parentId && !presence.some((row) => row['id'] === agent.parentId && row['exists'] === true)) {
        throw new NotFoundError('Agent', [agent.parentId]);
      }
      const [row] = await tx.run(CREATE_AGENT, { ...agent, scope: agent.scope ?? null, now });
      await completeIdempotency(tx, idempotency, JSON.stringify(agent.id));
      return { agent: toAgent(row?.['agent']), replayed: false };
    });
  }

  async getMany(ids: readonly string[]): Promise<(Agent | null)[]> {
    const rows = await this.executor.readOne(AGENTS_BY_IDS, { ids: [...ids] });
    const byId = new Map(rows.map((row) => [String((row['agent'] as { id: string }).id), toAgent(row['agent'])]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  async findByKeyHash(apiKeyHash: string): Promise<Agent | null> {
    const [row] = await this.executor.readOne(AGENT_BY_KEY_HASH, { apiKeyHash });
    return row ? toAgent(row['agent']) : null;
  }

  async list(limit: number): Promise<Agent[]> {
    const rows = await this.executor.readOne(ALL_AGENTS, { limit });
    return rows.map((row) => toAgent(row['agent']));
  }

  async childrenOf(parentIds: readonly string[]): Promise<Agent[][]> {
    const rows = await this.executor.readOne(CHILDREN_OF, { ids: [...parentIds] });
    return groupBy(
      parentIds,
      rows,
      (row) => String(row['parentId']),
      (row) => toAgent(row['agent']),
    );
  }
}
