import type { LogAround, PastRoutingStore, RecordedAnswerQuery, RoutingReads } from '../../domain/history/past-routing.js';
import type { PackageRecord } from '../../domain/history/package-records.js';
import { normalizeTopic } from '../../domain/context-map.js';
import type { CandidateQuery, RoutingCandidate, SearchQuery, SimilarityProbe } from '../../domain/routing/ports.js';
import type { AsOfPoint, ContextRecord, DependencyEdge, Viewer } from '../../domain/types.js';
import { toPackageRecord } from './decision-store.js';
import { int, type Neo4jExecutor, type Row, type TxRunner } from './executor.js';
import { toLuceneQuery } from './lucene.js';
import { contextAtVersion, strings, strOrNull, toContext, toVersion } from './mapping.js';
import { VERSION_FULLTEXT_INDEX, VERSION_VECTOR_INDEX } from './migrations.js';
import { numOrNull, toCandidate, toSearchHit } from './routing-store.js';
import { viewerParams } from './statements/fragments.js';
import { LOG_AROUND } from './statements/history.js';
import {
  PAST_EDGES_AMONG,
  PAST_EMBEDDINGS_BY_IDS,
  PAST_ROUTING_CANDIDATES,
  PAST_ROUTING_CANDIDATES_NO_FULLTEXT,
  PAST_ROUTING_NEIGHBOURS,
  PAST_SEARCH_FULLTEXT,
  PAST_SEARCH_VECTOR,
  PAST_TAGS,
  PAST_VECTOR_NEAREST,
  RECORDED_ANSWERS,
} from './statements/past-routing.js';

/**
 * The version index holds every version ever written: a query as of a seq asks it for this many times the hits it
 * needs and keeps the versions current then. Contexts whose current versions rank below that are missed.
 */
export const PAST_FULLTEXT_FACTOR = 10;
const MAX_FULLTEXT_HITS = 5_000;

/** A past `{ context, version }` row as the record it was at `point` (staleness: see `contextAtVersion`). */
function pastContext(row: Row, point: AsOfPoint): ContextRecord {
  return contextAtVersion(toContext(row['context']), toVersion(row['version']), point);
}

/** Recorded answers and the routing reads of the mesh as of a seq (statements/past-routing.ts). */
export class Neo4jPastRoutingStore implements PastRoutingStore {
  constructor(private readonly executor: Neo4jExecutor) {}

  asOf(point: AsOfPoint): RoutingReads {
    return new PastRoutingReads(this.executor, point);
  }

  async logAround(seq: number): Promise<LogAround> {
    const [row] = await this.executor.readOne(LOG_AROUND, { asOf: int(seq) });
    return { lastSeq: numOrNull(row?.['lastSeq']), lastAt: strOrNull(row?.['lastAt']), nextAt: strOrNull(row?.['nextAt']) };
  }

  async recordedAnswers(query: RecordedAnswerQuery): Promise<PackageRecord[]> {
    if (query.positions.length === 0) return [];
    // Substrings of the body's JSON (package-log.ts serialises it with JSON.stringify): quotes inside strings are
    // escaped there, so these match keys only. A false match is harmless: the service parses and checks every body.
    const rows = await this.executor.readOne(RECORDED_ANSWERS, {
      agentId: query.agentId,
      from: query.from,
      to: query.to,
      taskMarker: `"task":${JSON.stringify(query.task)},`,
      positionMarkers: query.positions.flatMap((p) => [`"asOf":${p},`, `"asOf":${p}}`]),
      limit: int(query.limit),
    });
    return rows.map(toPackageRecord);
  }
}

/** A hit of PAST_VECTOR_NEAREST: a context and the exact similarity of its text then. */
interface VectorHit {
  id: string;
  score: number;
}

/**
 * The version index holds every version ever written: a nearest-neighbour read as of a seq asks it for this many
 * times the contexts it needs, and again with `PAST_VECTOR_GROWTH` times more while hits on other versions (later, or
 * superseded by then) leave it short, up to `MAX_VECTOR_PROBES`. Beyond that the answer is approximate, as the
 * current index's is.
 */
export const PAST_VECTOR_FACTOR = 4;
const PAST_VECTOR_GROWTH = 4;
const MAX_VECTOR_PROBES = 10_000;

/** The RoutingReads of one past computation, bound to its point. */
class PastRoutingReads implements RoutingReads {
  private tags: Promise<string[]> | null = null;

  constructor(
    private readonly executor: Neo4jExecutor,
    private readonly point: AsOfPoint,
  ) {}

  position(): Promise<number> {
    return Promise.resolve(this.point.seq);
  }

  now(): Date {
    return new Date(this.time());
  }

  async candidates(query: CandidateQuery): Promise<RoutingCandidate[]> {
    const needTags =
      query.needKeys.length === 0 ? [] : (await this.tagsThen()).filter((tag) => query.needKeys.includes(normalizeTopic(tag)));
    const luceneQuery = toLuceneQuery(query.searchTerms);
    // One read transaction: the nearest lists and the candidates see the same snapshot.
    const common = this.common(viewerParams({ kind: 'agent', agentId: query.agentId }), query.workflowId, query.validAt);
    const rows = await this.executor.read('pastRoutingCandidates', async (tx) => {
      const vectorHits = await nearest(tx, common, query.taskEmbedding, query.k);
      const needsHits = query.needsEmbedding === null ? vectorHits : await nearest(tx, common, query.needsEmbedding, query.k);
      return tx.run(luceneQuery ? PAST_ROUTING_CANDIDATES : PAST_ROUTING_CANDIDATES_NO_FULLTEXT, {
        ...common,
        ...this.fulltext(luceneQuery, query.k),
        vectorHits,
        needsHits,
        agentId: query.agentId,
        relevanceMarker: relevanceMarker(query.agentId),
        taskEmbedding: query.taskEmbedding,
        needsEmbedding: query.needsEmbedding ?? query.taskEmbedding,
        hasNeeds: query.needsEmbedding !== null,
        needTags,
      });
    });
    return rows.map((row) => this.toCandidate(row));
  }

  async neighbours(
    seedIds: readonly string[],
    excludeIds: readonly string[],
    viewer: Viewer,
    agentId: string | null,
    probe: SimilarityProbe,
  ): Promise<RoutingCandidate[]> {
    if (seedIds.length === 0) return [];
    const rows = await this.executor.readOne(PAST_ROUTING_NEIGHBOURS, {
      ...this.common(viewerParams(viewer), probe.workflowId, probe.validAt),
      relevanceMarker: relevanceMarker(agentId),
      taskEmbedding: probe.taskEmbedding,
      needsEmbedding: probe.needsEmbedding ?? probe.taskEmbedding,
      hasNeeds: probe.needsEmbedding !== null,
      seedIds: [...seedIds],
      excludeIds: [...excludeIds],
    });
    return rows.map((row) => this.toCandidate(row));
  }

  async embeddings(ids: readonly string[]): Promise<Map<string, number[]>> {
    if (ids.length === 0) return new Map();
    const rows = await this.executor.readOne(PAST_EMBEDDINGS_BY_IDS, { ids: [...ids], asOf: int(this.point.seq) });
    return new Map(rows.map((row) => [String(row['id']), (row['embedding'] as number[] | null) ?? []]));
  }

  async edgesAmong(ids: readonly string[]): Promise<DependencyEdge[]> {
    if (ids.length < 2) return [];
    const rows = await this.executor.readOne(PAST_EDGES_AMONG, { ids: [...ids], asOf: int(this.point.seq) });
    return rows.map((row) => ({ from: String(row['from']), to: String(row['to']) }));
  }

  async search(query: SearchQuery): Promise<{ vector: RoutingCandidate[]; fulltext: RoutingCandidate[] }> {
    const common = this.common(viewerParams(query.viewer), query.workflowId, query.validAt);
    const luceneQuery = toLuceneQuery(query.searchTerms);
    // One read transaction: both lists see the same snapshot (as the current search does).
    return this.executor.read('searchContextsAsOf', async (tx) => {
      const vectorHits = await nearest(tx, common, query.embedding, query.k);
      const vector = await tx.run(PAST_SEARCH_VECTOR, { ...common, vectorHits });
      const fulltext = luceneQuery ? await tx.run(PAST_SEARCH_FULLTEXT, { ...common, ...this.fulltext(luceneQuery, query.k) }) : [];
      return { vector: vector.map((row) => this.toHit(row, 'vector')), fulltext: fulltext.map((row) => this.toHit(row, 'fulltext')) };
    });
  }

  /** The time of the point: expiry is judged there, and valid time unless the request chose one. */
  private time(): string {
    return this.point.at ?? new Date(0).toISOString();
  }

  private common(viewer: ReturnType<typeof viewerParams>, workflowId: string | null, validAt: string | null) {
    const now = this.time();
    return { ...viewer, asOf: int(this.point.seq), now, validAt: validAt ?? now, workflowId };
  }

  private fulltext(luceneQuery: string | null, k: number) {
    return {
      versionFulltextIndex: VERSION_FULLTEXT_INDEX,
      luceneQuery,
      k: int(k),
      fulltextLimit: int(Math.min(MAX_FULLTEXT_HITS, k * PAST_FULLTEXT_FACTOR)),
    };
  }

  /** Once per computation: the tags of the versions then (the topic branch needs the raw tags of its topic keys). */
  private tagsThen(): Promise<string[]> {
    this.tags ??= this.executor.readOne(PAST_TAGS, { asOf: int(this.point.seq) }).then(([row]) => strings(row?.['tags']));
    return this.tags;
  }

  private toCandidate(row: Row): RoutingCandidate {
    return toCandidate(row, pastContext(row, this.point));
  }

  private toHit(row: Row, source: 'vector' | 'fulltext'): RoutingCandidate {
    return toSearchHit(row, source, pastContext(row, this.point));
  }
}

/**
 * The `k` routable contexts nearest `embedding` as of the point (PAST_VECTOR_NEAREST), asking the index for more while
 * it falls short. `filter`: the point, the reader and the scope (PastRoutingReads `common`).
 */
async function nearest(tx: TxRunner, filter: Record<string, unknown>, embedding: readonly number[], k: number): Promise<VectorHit[]> {
  for (let probes = Math.min(MAX_VECTOR_PROBES, Math.max(k, k * PAST_VECTOR_FACTOR)); ; probes *= PAST_VECTOR_GROWTH) {
    const [row] = await tx.run(PAST_VECTOR_NEAREST, {
      ...filter,
      versionVectorIndex: VERSION_VECTOR_INDEX,
      probes: int(Math.min(probes, MAX_VECTOR_PROBES)),
      embedding,
      k: int(k),
    });
    const ids = strings(row?.['ids']);
    const scores = (row?.['scores'] as number[] | undefined) ?? [];
    const exhausted = Number(row?.['hits'] ?? 0) < probes || probes >= MAX_VECTOR_PROBES;
    if (ids.length >= k || exhausted) return ids.map((id, index) => ({ id, score: scores[index] ?? 0 }));
  }
}

/** The start of an agent's entry in a version's relevanceJson (see EXPLICIT_THEN); null without an agent. */
const relevanceMarker = (agentId: string | null) => (agentId === null ? null : `{"agentId":"${agentId}","score":`);
