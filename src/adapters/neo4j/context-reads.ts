import type { Clock } from '../../domain/ports.js';
import type { ContextFilter, ContextReads, LeftOutCounts, ReachedContext, Supersession } from '../../domain/store-ports.js';
import type { ContextRecord, ContextVersionRecord, DependencyEdge, Direction, RelevanceEntry, Viewer } from '../../domain/types.js';
import type { Neo4jExecutor } from './executor.js';
import { contextAtVersion, groupBy, parseContent, toContext, toVersion } from './mapping.js';
import {
  CONTENT_BY_IDS,
  CONTEXTS_BY_IDS,
  CONTEXT_AS_OF,
  DIRECT_DEPENDENCY_IDS,
  EDGES_AMONG,
  HISTORY_BY_CONTEXT_IDS,
  RELEVANCE_BY_CONTEXT_IDS,
  SUPERSESSIONS_BY_IDS,
  traversal,
} from './statements/contexts.js';
import { CONTEXTS_LEFT_OUT, CONTEXTS_PAGE, CONTEXTS_PAGE_IN_WORKFLOWS } from './statements/context-page.js';
import { viewerParams } from './statements/fragments.js';

/** Reads of context objects, each one statement, filtered by `VISIBLE` where a viewer is given. */
export class Neo4jContextReads implements ContextReads {
  constructor(
    protected readonly executor: Neo4jExecutor,
    protected readonly clock: Clock,
  ) {}

  async getMany(ids: readonly string[], viewer: Viewer): Promise<(ContextRecord | null)[]> {
    const rows = await this.executor.readOne(CONTEXTS_BY_IDS, { ids: [...ids], ...viewerParams(viewer) });
    const byId = new Map(rows.map((row) => [String((row['context'] as { id: string }).id), toContext(row['context'])]));
    return ids.map((id) => byId.get(id) ?? null);
  }

  async getAsOf(id: string, asOfSeq: number, viewer: Viewer): Promise<ContextRecord | null> {
    const [row] = await this.executor.readOne(CONTEXT_AS_OF, { id, asOf: asOfSeq, ...viewerParams(viewer) });
    return row ? contextAtVersion(toContext(row['context']), toVersion(row['version'])) : null;
  }

  async page(filter: ContextFilter, afterSeq: number | null, limit: number, viewer: Viewer, validAt: string): Promise<ContextRecord[]> {
    // A workflow filter walks its own index (see CONTEXTS_PAGE_IN_WORKFLOWS); both give the same page.
    const statement = filter.workflowIds === null ? CONTEXTS_PAGE : CONTEXTS_PAGE_IN_WORKFLOWS;
    const rows = await this.executor.readOne(statement, {
      ...viewerParams(viewer),
      now: this.clock.now().toISOString(),
      validAt,
      after: afterSeq,
      limit,
      ...filter,
    });
    return rows.map((row) => toContext(row['context']));
  }

  async leftOut(filter: ContextFilter, viewer: Viewer, validAt: string): Promise<LeftOutCounts> {
    const rows = await this.executor.readOne(CONTEXTS_LEFT_OUT, {
      ...viewerParams(viewer),
      now: this.clock.now().toISOString(),
      validAt,
      ...filter,
    });
    const counts: LeftOutCounts = { retracted: 0, superseded: 0, expired: 0, noLongerValid: 0, notYetValid: 0 };
    for (const row of rows) counts[String(row['reason']) as keyof LeftOutCounts] = Number(row['count']);
    return counts;
  }

  async directDependencyIds(ids: readonly string[], viewer: Viewer): Promise<string[][]> {
    const rows = await this.executor.readOne(DIRECT_DEPENDENCY_IDS, { ids: [...ids], ...viewerParams(viewer) });
    const byId = new Map(rows.map((row) => [String(row['id']), (row['dependencyIds'] as unknown[]).map(String)]));
    return ids.map((id) => byId.get(id) ?? []);
  }

  async reach(rootIds: readonly string[], direction: Direction, depth: number, viewer: Viewer): Promise<ReachedContext[]> {
    const rows = await this.executor.readOne(traversal(direction, depth), { ids: [...rootIds], ...viewerParams(viewer) });
    return rows.map((row) => ({ rootId: String(row['rootId']), context: toContext(row['context']), distance: Number(row['distance']) }));
  }

  async edgesAmong(ids: readonly string[]): Promise<DependencyEdge[]> {
    const rows = await this.executor.readOne(EDGES_AMONG, { ids: [...ids] });
    return rows.map((row) => ({ from: String(row['from']), to: String(row['to']) }));
  }

  async relevance(ids: readonly string[]): Promise<RelevanceEntry[][]> {
    const rows = await this.executor.readOne(RELEVANCE_BY_CONTEXT_IDS, { ids: [...ids] });
    return groupBy(
      ids,
      rows,
      (row) => String(row['id']),
      (row) => ({
        agentId: String(row['agentId']),
        score: Number(row['score']),
        explicit: row['explicit'] === true,
      }),
    );
  }

  async history(ids: readonly string[], viewer: Viewer): Promise<ContextVersionRecord[][]> {
    const rows = await this.executor.readOne(HISTORY_BY_CONTEXT_IDS, { ids: [...ids], ...viewerParams(viewer) });
    return groupBy(
      ids,
      rows,
      (row) => String(row['id']),
      (row) => toVersion(row['version']),
    );
  }

  async supersessions(ids: readonly string[], viewer: Viewer): Promise<Supersession[]> {
    const rows = await this.executor.readOne(SUPERSESSIONS_BY_IDS, { ids: [...ids], ...viewerParams(viewer) });
    const byId = new Map(
      rows.map((row) => [
        String(row['id']),
        {
          supersedes: ((row['supersedes'] as unknown[] | null) ?? []).map(toContext),
          supersededBy: row['supersededBy'] ? toContext(row['supersededBy']) : null,
        },
      ]),
    );
    return ids.map((id) => byId.get(id) ?? { supersedes: [], supersededBy: null });
  }

  async content(ids: readonly string[]): Promise<unknown[]> {
    const rows = await this.executor.readOne(CONTENT_BY_IDS, { ids: [...ids] });
    const byId = new Map(rows.map((row) => [String(row['id']), parseContent(row['contentJson'])]));
    return ids.map((id) => byId.get(id));
  }
}
