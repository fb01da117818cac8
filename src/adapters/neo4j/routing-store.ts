import type { Clock } from '../../domain/ports.js';
import type { AgentNeedsProfile } from '../../domain/routing/publish-relevance.js';
import type {
  CandidateQuery,
  CandidateSource,
  RoutingCandidate,
  RoutingStore,
  SearchQuery,
  SimilarityProbe,
} from '../../domain/routing/ports.js';
import { normalizeTopic } from '../../domain/context-map.js';
import type { ContextRecord, DependencyEdge, Viewer } from '../../domain/types.js';
import { int, type Neo4jExecutor, type Row } from './executor.js';
import { toLuceneQuery } from './lucene.js';
import { strOrNull, toContext } from './mapping.js';
import { FULLTEXT_INDEX, VECTOR_INDEX } from './migrations.js';
import { EDGES_AMONG } from './statements/contexts.js';
import { CHANGES_SINCE, EVENT_POSITION } from './statements/events.js';
import { viewerParams } from './statements/fragments.js';
import { NEXT_VALIDITY_START } from './statements/valid-time.js';
import {
  AGENT_NEEDS_PROFILES,
  EMBEDDINGS_BY_IDS,
  ROUTING_BY_IDS,
  ROUTING_CANDIDATES,
  ROUTING_CANDIDATES_NO_FULLTEXT,
  ROUTING_NEIGHBOURS,
  SEARCH_FULLTEXT,
  SEARCH_VECTOR,
} from './statements/routing.js';

const probeParams = (probe: SimilarityProbe, now: string) => ({
  taskEmbedding: probe.taskEmbedding,
  needsEmbedding: probe.needsEmbedding ?? probe.taskEmbedding,
  hasNeeds: probe.needsEmbedding !== null,
  workflowId: probe.workflowId,
  now,
  validAt: probe.validAt ?? now,
});

const asAgent = (agentId: string) => viewerParams({ kind: 'agent', agentId });

export const numOrNull = (value: unknown) => (value === null || value === undefined ? null : Number(value));

/** A candidate row of the routing statements; `context` is how the row's context is read (past reads read a version). */
export function toCandidate(row: Row, context: ContextRecord = toContext(row['context'])): RoutingCandidate {
  return {
    context,
    taskSimilarity: Number(row['taskSimilarity'] ?? 0),
    needsSimilarity: numOrNull(row['needsSimilarity']),
    explicitRelevance: numOrNull(row['explicitRelevance']),
    sources: ((row['sources'] as string[] | null) ?? []) as CandidateSource[],
    vectorScore: numOrNull(row['vectorScore']),
    fulltextScore: numOrNull(row['fulltextScore']),
  };
}

export function toSearchHit(row: Row, source: 'vector' | 'fulltext', context: ContextRecord = toContext(row['context'])): RoutingCandidate {
  const score = Number(row['score']);
  return {
    context,
    taskSimilarity: source === 'vector' ? 2 * score - 1 : 0,
    needsSimilarity: null,
    explicitRelevance: null,
    sources: [source],
    vectorScore: source === 'vector' ? score : null,
    fulltextScore: source === 'fulltext' ? score : null,
  };
}

/** The router's reads: candidate generation, graph neighbourhood, search lists and the change feed. */
export class Neo4jRoutingStore implements RoutingStore {
  constructor(
    private readonly executor: Neo4jExecutor,
    private readonly clock: Clock,
  ) {}

  async candidates(query: CandidateQuery): Promise<RoutingCandidate[]> {
    const luceneQuery = toLuceneQuery(query.searchTerms);
    const statement = luceneQuery ? ROUTING_CANDIDATES : ROUTING_CANDIDATES_NO_FULLTEXT;
    const rows = await this.executor.readOne(statement, {
      ...asAgent(query.agentId),
      agentId: query.agentId,
      ...this.times(query.validAt),
      vectorIndex: VECTOR_INDEX,
      fulltextIndex: FULLTEXT_INDEX,
      k: int(query.k),
      taskEmbedding: query.taskEmbedding,
      // The vector branch always runs; without needs it repeats the task search and the rows merge.
      needsEmbedding: query.needsEmbedding ?? query.taskEmbedding,
      hasNeeds: query.needsEmbedding !== null,
      workflowId: query.workflowId,
      luceneQuery,
      needKeys: query.needKeys,
    });
    return rows.map((row) => toCandidate(row));
  }

  async neighbours(
    seedIds: readonly string[],
    excludeIds: readonly string[],
    viewer: Viewer,
    agentId: string | null,
    probe: SimilarityProbe,
  ): Promise<RoutingCandidate[]> {
    if (seedIds.length === 0) return [];
    const rows = await this.executor.readOne(ROUTING_NEIGHBOURS, {
      ...viewerParams(viewer),
      ...probeParams(probe, this.clock.now().toISOString()),
      agentId,
      seedIds: [...seedIds],
      excludeIds: [...excludeIds],
    });
    return rows.map((row) => toCandidate(row));
  }

  async search(query: SearchQuery): Promise<{ vector: RoutingCandidate[]; fulltext: RoutingCandidate[] }> {
    const common = { ...viewerParams(query.viewer), workflowId: query.workflowId, ...this.times(query.validAt), k: int(query.k) };
    const luceneQuery = toLuceneQuery(query.searchTerms);
    // One read transaction, two statements: both lists see the same snapshot.
    return this.executor.read('searchContexts', async (tx) => {
      const vector = await tx.run(SEARCH_VECTOR, { ...common, vectorIndex: VECTOR_INDEX, embedding: query.embedding });
      const fulltext = luceneQuery ? await tx.run(SEARCH_FULLTEXT, { ...common, fulltextIndex: FULLTEXT_INDEX, luceneQuery }) : [];
      return { vector: vector.map((row) => toSearchHit(row, 'vector')), fulltext: fulltext.map((row) => toSearchHit(row, 'fulltext')) };
    });
  }

  async edgesAmong(ids: readonly string[]): Promise<DependencyEdge[]> {
    if (ids.length < 2) return [];
    const rows = await this.executor.readOne(EDGES_AMONG, { ids: [...ids] });
    return rows.map((row) => ({ from: String(row['from']), to: String(row['to']) }));
  }

  async position(): Promise<number> {
    const [row] = await this.executor.readOne(EVENT_POSITION, {});
    return Number(row?.['position'] ?? 0);
  }

  async nextValidityStart(time: string): Promise<string | null> {
    const [row] = await this.executor.readOne(NEXT_VALIDITY_START, { time });
    return strOrNull(row?.['validFrom']);
  }

  async changesSince(sinceSeq: number, max: number) {
    const [row] = await this.executor.readOne(CHANGES_SINCE, { since: sinceSeq, max });
    const position = Number(row?.['position'] ?? 0);
    if (position - sinceSeq > max) return { position, changes: null };
    const changes = ((row?.['changes'] as Row[] | undefined) ?? []).map((change) => ({
      seq: Number(change['seq']),
      kind: String(change['kind']),
      contextId: String(change['contextId']),
    }));
    return { position, changes };
  }

  async embeddings(ids: readonly string[]): Promise<Map<string, number[]>> {
    if (ids.length === 0) return new Map();
    const rows = await this.executor.readOne(EMBEDDINGS_BY_IDS, { ids: [...ids] });
    return new Map(rows.map((row) => [String(row['id']), (row['embedding'] as number[] | null) ?? []]));
  }

  async candidatesByIds(ids: readonly string[], agentId: string, probe: SimilarityProbe): Promise<RoutingCandidate[]> {
    if (ids.length === 0) return [];
    const rows = await this.executor.readOne(ROUTING_BY_IDS, {
      ...asAgent(agentId),
      ...probeParams(probe, this.clock.now().toISOString()),
      agentId,
      ids: [...ids],
    });
    return rows.map((row) => toCandidate(row));
  }

  /** `$now` (expiry) and `$validAt` (valid time, default now) of the ROUTABLE filter. */
  private times(validAt: string | null) {
    const now = this.clock.now().toISOString();
    return { now, validAt: validAt ?? now };
  }

  async agentNeedsProfiles(): Promise<AgentNeedsProfile[]> {
    const rows = await this.executor.readOne(AGENT_NEEDS_PROFILES, {});
    return rows.map((row) => ({
      agentId: String(row['agentId']),
      needKeys: ((row['needs'] as string[] | null) ?? []).map(normalizeTopic),
      needsEmbedding: (row['needsEmbedding'] as number[] | null) ?? null,
    }));
  }
}
