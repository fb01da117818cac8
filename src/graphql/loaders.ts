import DataLoader from 'dataloader';
import type { ReachedContext, Supersession } from '../domain/store-ports.js';
import type { Agent, ContextRecord, ContextVersionRecord, Direction, RelevanceEntry, Viewer } from '../domain/types.js';
import type { Services } from './request-context.js';

/**
 * Per-request DataLoaders over the batch-first store methods: a page of N contexts
 * asking for its dependencies and source agents costs one query per field, not N.
 * Built per viewer per request (see RequestContext.loadersFor) so one viewer's cache never serves another.
 */
export interface Loaders {
  agent: DataLoader<string, Agent | null>;
  children: DataLoader<string, Agent[]>;
  context: DataLoader<string, ContextRecord | null>;
  dependencyIds: DataLoader<string, string[]>;
  relevance: DataLoader<string, RelevanceEntry[]>;
  history: DataLoader<string, ContextVersionRecord[]>;
  /** `content` is heavy and loaded only when selected. */
  content: DataLoader<string, unknown>;
  supersession: DataLoader<string, Supersession>;
  /** Key: `${direction}|${depth}|${contextId}`. */
  reach: DataLoader<string, ContextRecord[]>;
}

export const reachKey = (direction: Direction, depth: number, id: string) => `${direction}|${depth}|${id}`;

/** Marks a record as read by the loaders' viewer, so its nested fields are resolved as that viewer too. */
export type ReadAs = <T extends object>(record: T) => T;

/** The loaders that read as `viewer`; every context record they return goes through `readAs`. */
export function createLoaders(services: Services, viewer: Viewer, readAs: ReadAs = (record) => record): Loaders {
  const context = new DataLoader<string, ContextRecord | null>(async (ids) =>
    (await services.contexts.getMany(ids, viewer)).map((record) => record && readAs(record)),
  );
  const reach = new DataLoader<string, ContextRecord[]>(async (keys) => {
    // One statement per (direction, depth) group in the batch; usually a single group.
    const groups = new Map<string, { direction: Direction; depth: number; ids: string[] }>();
    for (const key of keys) {
      const [direction, depth, id] = key.split('|') as [Direction, string, string];
      const groupKey = `${direction}|${depth}`;
      const group = groups.get(groupKey) ?? { direction, depth: Number(depth), ids: [] };
      group.ids.push(id);
      groups.set(groupKey, group);
    }
    const found = new Map<string, ContextRecord[]>();
    await Promise.all(
      [...groups.values()].map(async ({ direction, depth, ids }) => {
        const rows: ReachedContext[] = await services.contexts.reach(ids, direction, depth, viewer);
        for (const row of rows) {
          const key = reachKey(direction, depth, row.rootId);
          const list = found.get(key) ?? [];
          const reached = readAs(row.context);
          list.push(reached);
          found.set(key, list);
          context.prime(reached.id, reached);
        }
      }),
    );
    return keys.map((key) => found.get(key) ?? []);
  });

  return {
    agent: new DataLoader((ids) => services.agents.getMany(ids)),
    children: new DataLoader((ids) => services.agents.childrenOf(ids)),
    context,
    dependencyIds: new DataLoader((ids) => services.contexts.directDependencyIds(ids, viewer)),
    relevance: new DataLoader((ids) => services.contexts.relevance(ids)),
    history: new DataLoader((ids) => services.contexts.history(ids, viewer)),
    content: new DataLoader((ids) => services.contexts.content(ids)),
    supersession: new DataLoader(async (ids) =>
      (await services.contexts.supersessions(ids, viewer)).map(({ supersedes, supersededBy }) => ({
        supersedes: supersedes.map(readAs),
        supersededBy: supersededBy && readAs(supersededBy),
      })),
    ),
    reach,
  };
}
