import DataLoader from 'dataloader';
import type { ReachedContext, Supersession } from '../domain/store-ports.js';
import type { Agent, AsOfPoint, ContextRecord, ContextVersionRecord, Direction, RelevanceEntry, Viewer } from '../domain/types.js';
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
  /** The same reads as of an event seq, for the nested fields of records read with `asOf` (keys: `pastKey`). */
  past: PastLoaders;
}

export interface PastLoaders {
  /** Key: `pastKey(point, id)`. */
  history: DataLoader<string, ContextVersionRecord[]>;
  supersession: DataLoader<string, Supersession>;
  /** Key: `pastKey(point, reachKey(direction, depth, id))`. */
  reach: DataLoader<string, ContextRecord[]>;
}

export const reachKey = (direction: Direction, depth: number, id: string) => `${direction}|${depth}|${id}`;

/** A key of the past loaders: the point (seq and its time, which the seq determines) and the rest. */
export const pastKey = (point: AsOfPoint, rest: string) => `${point.seq}@${point.at ?? ''}|${rest}`;

/** Splits past keys by point, so each batch runs one statement per point (usually one). */
function byPoint(keys: readonly string[]): { point: AsOfPoint; rests: string[] }[] {
  const groups = new Map<string, { point: AsOfPoint; rests: string[] }>();
  for (const key of keys) {
    const split = key.indexOf('|');
    const pointPart = key.slice(0, split);
    const [seq, at] = pointPart.split('@') as [string, string];
    const group = groups.get(pointPart) ?? { point: { seq: Number(seq), at: at === '' ? null : at }, rests: [] };
    group.rests.push(key.slice(split + 1));
    groups.set(pointPart, group);
  }
  return [...groups.values()];
}

/** Runs `load` once per point and answers the keys in order. */
function perPoint<V>(load: (point: AsOfPoint, rests: string[]) => Promise<V[]>) {
  return async (keys: readonly string[]): Promise<V[]> => {
    const answers = new Map<string, V>();
    await Promise.all(
      byPoint(keys).map(async ({ point, rests }) => {
        const values = await load(point, rests);
        rests.forEach((rest, index) => answers.set(pastKey(point, rest), values[index] as V));
      }),
    );
    return keys.map((key) => answers.get(key) as V);
  };
}

function createPastLoaders(services: Services, viewer: Viewer, readAs: ReadAs): PastLoaders {
  const timeTravel = services.timeTravel;
  return {
    history: new DataLoader(perPoint((point, ids) => timeTravel.history(ids, point, viewer))),
    supersession: new DataLoader(
      perPoint(async (point, ids) =>
        (await timeTravel.supersessions(ids, point, viewer)).map(({ supersedes, supersededBy }) => ({
          supersedes: supersedes.map(readAs),
          supersededBy: supersededBy && readAs(supersededBy),
        })),
      ),
    ),
    reach: new DataLoader(
      perPoint((point, rests) =>
        reachGrouped(rests, (ids, direction, depth) => timeTravel.reach(ids, direction, depth, point, viewer), readAs),
      ),
    ),
  };
}

/** Answers `reachKey`s with one read per (direction, depth) group in the batch (usually a single group). */
async function reachGrouped(
  keys: readonly string[],
  read: (ids: string[], direction: Direction, depth: number) => Promise<ReachedContext[]>,
  readAs: ReadAs,
  prime: (record: ContextRecord) => void = () => {},
): Promise<ContextRecord[][]> {
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
      for (const row of await read(ids, direction, depth)) {
        const key = reachKey(direction, depth, row.rootId);
        const reached = readAs(row.context);
        const list = found.get(key);
        if (list) list.push(reached);
        else found.set(key, [reached]);
        prime(reached);
      }
    }),
  );
  return keys.map((key) => found.get(key) ?? []);
}

/** Marks a record as read by the loaders' viewer, so its nested fields are resolved as that viewer too. */
export type ReadAs = <T extends object>(record: T) => T;

/** The loaders that read as `viewer`; every context record they return goes through `readAs`. */
export function createLoaders(services: Services, viewer: Viewer, readAs: ReadAs = (record) => record): Loaders {
  const context = new DataLoader<string, ContextRecord | null>(async (ids) =>
    (await services.contexts.getMany(ids, viewer)).map((record) => record && readAs(record)),
  );
  const reach = new DataLoader<string, ContextRecord[]>((keys) =>
    reachGrouped(
      keys,
      (ids, direction, depth) => services.contexts.reach(ids, direction, depth, viewer),
      readAs,
      (reached) => context.prime(reached.id, reached),
    ),
  );

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
    past: createPastLoaders(services, viewer, readAs),
  };
}
