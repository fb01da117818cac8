import type { ReachedContext } from '../../domain/store-ports.js';
import type { ContextRecord } from '../../domain/types.js';

/** The neighbours of each of `ids` one hop away, as records read as of the same point. */
export type Neighbours = (ids: readonly string[]) => Promise<Map<string, ContextRecord[]>>;

interface Walk {
  root: string;
  distances: Map<string, number>;
  frontier: string[];
}

/**
 * Breadth-first walk from each root up to `depth` hops, one `neighbours` call per hop for all roots together.
 * Distances are the shortest, and every hop lands on a record the viewer could read (the neighbours are
 * filtered so): the same answer as the current traversal's `ANY SHORTEST` paths through visible contexts.
 */
export async function walk(rootIds: readonly string[], depth: number, neighbours: Neighbours): Promise<ReachedContext[]> {
  const walks: Walk[] = rootIds.map((root) => ({ root, distances: new Map([[root, 0]]), frontier: [root] }));
  const records = new Map<string, ContextRecord>();
  for (let hop = 1; hop <= depth; hop++) {
    const ids = [...new Set(walks.flatMap((w) => w.frontier))];
    if (ids.length === 0) break;
    const next = await neighbours(ids);
    for (const w of walks) {
      const frontier: string[] = [];
      for (const id of w.frontier) {
        for (const record of next.get(id) ?? []) {
          records.set(record.id, record);
          if (w.distances.has(record.id)) continue;
          w.distances.set(record.id, hop);
          frontier.push(record.id);
        }
      }
      w.frontier = frontier;
    }
  }
  return walks.flatMap((w) =>
    [...w.distances].flatMap(([id, distance]) => {
      const context = records.get(id);
      return id === w.root || !context ? [] : [{ rootId: w.root, context, distance }];
    }),
  );
}

/** BOTH is the union of the two directions, each context at its shortest distance (as the current traversal). */
export function unionByShortest(outgoing: ReachedContext[], incoming: ReachedContext[]): ReachedContext[] {
  const best = new Map<string, ReachedContext>();
  for (const reached of [...outgoing, ...incoming]) {
    const key = reached.rootId + '|' + reached.context.id;
    const known = best.get(key);
    if (!known || reached.distance < known.distance) best.set(key, reached);
  }
  return [...best.values()];
}

/** The current traversal's order: by root id, then distance, then publication. */
export function inTraversalOrder(reached: ReachedContext[]): ReachedContext[] {
  return [...reached].sort(
    (a, b) =>
      (a.rootId < b.rootId ? -1 : a.rootId > b.rootId ? 1 : 0) || a.distance - b.distance || a.context.createdSeq - b.context.createdSeq,
  );
}
