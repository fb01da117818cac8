import { assertMayChange, assertNotSupersedingOwnBatch, assertSupersedable } from '../../domain/context-rules.js';
import { findDependencyCycle } from '../../domain/dependency-cycles.js';
import { AlreadyExistsError, DependencyCycleError, NotFoundError } from '../../domain/errors.js';
import type { NewContext } from '../../domain/store-ports.js';
import type { ContextRecord, DependencyEdge, Viewer } from '../../domain/types.js';
import type { TxRunner } from './executor.js';
import { toContext } from './mapping.js';
import { AGENT_PRESENCE } from './statements/agents.js';
import { BUMP_VERSION, CONTEXT_PRESENCE, FIND_CYCLE } from './statements/contexts.js';
import { viewerParams } from './statements/fragments.js';

/** The checks a write runs inside its transaction before it writes anything; each throws to roll back. */

const unique = (values: Iterable<string>) => [...new Set(values)];

/** The batch's ids must be new; dependencies outside it must exist and be visible. */
export async function checkPresence(tx: TxRunner, items: readonly NewContext[], viewer: Viewer): Promise<void> {
  const batchIds = new Set(items.map((item) => item.id));
  const outsideDeps = unique(items.flatMap((item) => item.dependencies).filter((id) => !batchIds.has(id)));
  const presence = await tx.run(CONTEXT_PRESENCE, { ids: unique([...batchIds, ...outsideDeps]), ...viewerParams(viewer) });
  const taken = presence.filter((row) => batchIds.has(String(row['id'])) && row['exists'] === true).map((row) => String(row['id']));
  if (taken.length > 0) throw new AlreadyExistsError('Context', taken);
  // A dependency the viewer may not read is reported exactly like a missing one: no existence leak.
  const missing = presence.filter((row) => !batchIds.has(String(row['id'])) && row['visible'] !== true).map((row) => String(row['id']));
  if (missing.length > 0) throw new NotFoundError('Context', missing);
}

/** Every agent the items name (sources, declared relevance, readers). */
export const agentsNamedBy = (items: readonly NewContext[]): string[] => [
  ...items.map((item) => item.sourceAgentId),
  ...items.flatMap((item) => item.relevance.map((r) => r.agentId)),
  ...items.flatMap((item) => item.visibleTo ?? []),
];

export async function assertAgentsExist(tx: TxRunner, ids: readonly string[]): Promise<void> {
  const wanted = unique(ids);
  if (wanted.length === 0) return;
  const rows = await tx.run(AGENT_PRESENCE, { ids: wanted });
  const missing = rows.filter((row) => row['exists'] !== true).map((row) => String(row['id']));
  if (missing.length > 0) throw new NotFoundError('Agent', missing);
}

/** The batch's dependency edges, refused if they close a cycle. */
export function acyclicBatchEdges(items: readonly NewContext[]): DependencyEdge[] {
  const edges = items.flatMap((item) => item.dependencies.map((to) => ({ from: item.id, to })));
  // Existing contexts cannot depend on new ones, so a cycle can only run through the batch itself.
  const cycle = findDependencyCycle(edges);
  if (cycle) throw new DependencyCycleError(cycle);
  return edges;
}

/** Bumps the version (taking the node's write lock) and checks the viewer may change the context. */
export async function lockForChange(tx: TxRunner, id: string, viewer: Viewer): Promise<ContextRecord> {
  const [row] = await tx.run(BUMP_VERSION, { id, ...viewerParams(viewer) });
  if (!row || row['visible'] !== true) throw new NotFoundError('Context', [id]);
  const current = toContext(row['context']);
  assertMayChange(viewer, current);
  return current;
}

/** Locks every context the batch supersedes and checks each may be; returns their ids, before anything is written. */
export async function lockSuperseded(tx: TxRunner, items: readonly NewContext[], viewer: Viewer): Promise<string[]> {
  const superseded = unique(items.flatMap((item) => item.supersedes));
  assertNotSupersedingOwnBatch(new Set(items.map((item) => item.id)), superseded);
  for (const id of superseded) assertSupersedable(await lockForChange(tx, id, viewer));
  return superseded;
}

/** New dependencies of `id` must be visible and must not close a cycle. */
export async function checkNewDependencies(tx: TxRunner, id: string, dependencies: string[], viewer: Viewer): Promise<void> {
  if (dependencies.includes(id)) throw new DependencyCycleError([id, id]);
  const presence = await tx.run(CONTEXT_PRESENCE, { ids: dependencies, ...viewerParams(viewer) });
  const missing = presence.filter((row) => row['visible'] !== true).map((row) => String(row['id']));
  if (missing.length > 0) throw new NotFoundError('Context', missing);
  const [cycle] = await tx.run(FIND_CYCLE, { id, dependencies });
  if (cycle) throw new DependencyCycleError([id, ...(cycle['ids'] as unknown[]).map(String)]);
}
