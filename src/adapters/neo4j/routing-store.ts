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
  DEEPER_FULLTEXT,
  DEEPER_VECTOR,
  EMBEDDINGS_BY_IDS,
  EXACT_VECTOR,
  SEARCH_EXACT_VECTOR,
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

/** A row of a filtered index read without a context: the read came back short (statements/routing.ts `filteredIndexHits`). */
const isShortMarker = (row: Row) => row['context'] === null || row['context'] === undefined;

/** Index sources whose first read came back short, from the marker row's sources (`vector_short`, ...). */
function shortSources(rows: readonly Row[]): IndexSource[] {
  const marker = rows.find(isShortMarker);
  const sources = ((marker?.['sources'] as string[] | undefined) ?? []).map((s) => s.replace(/_short$/, ''));
  return INDEX_SOURCES.filter((source) => sources.includes(source));
}

const INDEX_SOURCES = ['vector', 'needs_vector', 'fulltext'] as const;
type IndexSource = (typeof INDEX_SOURCES)[number];

/** Two reads of one context (a first read and a deeper one): every source it came from, the best index scores. */
function mergeCandidate(a: RoutingCandidate, b: RoutingCandidate): RoutingCandidate {
  const best = (x: number | null, y: number | null) => (x === null ? y : y === null ? x : Math.max(x, y));
  return {
    ...a,
    sources: [...new Set([...a.sources, ...b.sources])],
    vectorScore: best(a.vectorScore, b.vectorScore),
    fulltextScore: best(a.fulltextScore, b.fulltextScore),
  };
}

export interface RoutingStoreOptions {
  /**
   * How deep a crowded index is read (hits asked of it) before the exact scan takes over: hits the reader may not see
   * (or that are retracted, expired or out of scope) are skipped, so a read that kept fewer than half of what it wanted
   * asks 8× deeper, up to this. Default 4,000.
   */
  maxIndexDepth?: number;
}

/** The router's reads: candidate generation, graph neighbourhood, search lists and the change feed. */
export class Neo4jRoutingStore implements RoutingStore {
  private readonly maxIndexDepth: number;

  constructor(
    private readonly executor: Neo4jExecutor,
    private readonly clock: Clock,
    options: RoutingStoreOptions = {},
  ) {
    this.maxIndexDepth = options.maxIndexDepth ?? 4_000;
  }

  async candidates(query: CandidateQuery): Promise<RoutingCandidate[]> {
    const luceneQuery = toLuceneQuery(query.searchTerms);
    const statement = luceneQuery ? ROUTING_CANDIDATES : ROUTING_CANDIDATES_NO_FULLTEXT;
    const params = {
      ...asAgent(query.agentId),
      agentId: query.agentId,
      ...this.times(query.validAt),
      vectorIndex: VECTOR_INDEX,
      fulltextIndex: FULLTEXT_INDEX,
      taskEmbedding: query.taskEmbedding,
      // The vector branch always runs; without needs it repeats the task search and the rows merge.
      needsEmbedding: query.needsEmbedding ?? query.taskEmbedding,
      hasNeeds: query.needsEmbedding !== null,
      workflowId: query.workflowId,
      luceneQuery,
      needKeys: query.needKeys,
    };
    const rows = await this.executor.readOne(statement, { ...params, k: int(query.k), want: int(query.k) });
    const found = rows.filter((row) => !isShortMarker(row)).map((row) => toCandidate(row));
    // Without needs the needs branch repeats the task's: reading it deeper would repeat the task's deeper read.
    const short = shortSources(rows).filter((source) => source !== 'needs_vector' || query.needsEmbedding !== null);
    if (short.length === 0) return found;
    const deeper = await Promise.all(
      short.map((source) => {
        const embedding = source === 'needs_vector' ? params.needsEmbedding : params.taskEmbedding;
        return this.readDeeper(
          query.k,
          (k) =>
            this.executor.readOne(source === 'fulltext' ? DEEPER_FULLTEXT : DEEPER_VECTOR, {
              ...params,
              source,
              shortSource: `${source}_short`,
              embedding,
              k,
              want: int(query.k),
            }),
          source === 'fulltext' ? null : () => this.executor.readOne(EXACT_VECTOR, { ...params, source, embedding, want: int(query.k) }),
        );
      }),
    );
    const byId = new Map(found.map((c) => [c.context.id, c]));
    for (const row of deeper.flat()) {
      const candidate = toCandidate(row);
      const known = byId.get(candidate.context.id);
      byId.set(candidate.context.id, known ? mergeCandidate(known, candidate) : candidate);
    }
    return [...byId.values()];
  }

  /**
   * Reads an index source deeper (8× per step, up to maxIndexDepth) until it keeps at least half of the `want` hits it
   * wanted or the index has no more; then, if given, the exact scan. Returns the rows without the marker.
   */
  private async readDeeper(
    want: number,
    read: (k: ReturnType<typeof int>) => Promise<Row[]>,
    exact: (() => Promise<Row[]>) | null,
  ): Promise<Row[]> {
    let depth = want;
    for (;;) {
      depth = Math.min(depth * 8, this.maxIndexDepth);
      const rows = await read(int(depth));
      if (!rows.some(isShortMarker)) return rows;
      if (depth >= this.maxIndexDepth) return exact ? exact() : rows.filter((row) => !isShortMarker(row));
    }
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
    const common = {
      ...viewerParams(query.viewer),
      workflowId: query.workflowId,
      ...this.times(query.validAt),
      k: int(query.k),
      want: int(query.k),
    };
    const luceneQuery = toLuceneQuery(query.searchTerms);
    // One read transaction, two statements: both lists see the same snapshot.
    const vectorParams = { ...common, vectorIndex: VECTOR_INDEX, embedding: query.embedding };
    const fulltextParams = { ...common, fulltextIndex: FULLTEXT_INDEX, luceneQuery };
    return this.executor.read('searchContexts', async (tx) => {
      const firstRead = async (statement: typeof SEARCH_VECTOR, params: Record<string, unknown>, exact: typeof SEARCH_VECTOR | null) => {
        const rows = await tx.run(statement, params);
        if (!rows.some(isShortMarker)) return rows;
        // Crowded by what the reader may not see: deeper, in the same transaction (one snapshot for both lists).
        return this.readDeeper(query.k, (k) => tx.run(statement, { ...params, k }), exact && (() => tx.run(exact, params)));
      };
      const vector = await firstRead(SEARCH_VECTOR, vectorParams, SEARCH_EXACT_VECTOR);
      const fulltext = luceneQuery ? await firstRead(SEARCH_FULLTEXT, fulltextParams, null) : [];
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
