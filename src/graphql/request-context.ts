import type { ContextMapService } from '../app/context-map-service.js';
import type { EffectivenessService } from '../app/effectiveness/effectiveness-service.js';
import type { AgentService } from '../app/agents.js';
import type { SpawnService } from '../app/spawn.js';
import type { ConsensusService } from '../app/consensus/consensus-service.js';
import type { Escalations } from '../app/consensus/escalations.js';
import type { ValidationPass } from '../app/drift/validation-pass.js';
import type { ContextService } from '../app/contexts.js';
import type { TimeTravelService } from '../app/history/time-travel.js';
import type { Broadcaster } from '../app/broadcast/broadcaster.js';
import type { ContextRouter } from '../app/routing/router.js';
import type { DecisionService } from '../app/history/decisions.js';
import type { PastRoutingService } from '../app/history/past-routing.js';
import type { ReplayService } from '../app/history/replay.js';
import type { RetentionService } from '../app/history/retention.js';
import type { RollbackService } from '../app/history/rollback.js';
import type { SnapshotService } from '../app/history/snapshots.js';
import type { TokenQuotas } from '../app/quotas/token-quotas.js';
import type { PolicyService } from '../app/workflows/policy-service.js';
import type { WorkflowService } from '../app/workflows/workflow-service.js';
import type { Viewer } from '../domain/types.js';
import { createLoaders, type Loaders } from './loaders.js';

/** Use-cases the resolvers may call. */
export interface Services {
  agents: AgentService;
  /** contextMap, declared and from traffic (src/app/context-map-service.ts). */
  contextMap: ContextMapService;
  /** spawnAgent (README "Inheritance"). */
  spawn: SpawnService;
  contexts: ContextService;
  /** Reads as of an event seq (`asOf`). */
  timeTravel: TimeTravelService;
  router: ContextRouter;
  /** contextFor and searchContext with `asOf`. */
  pastRouting: PastRoutingService;
  broadcasts: Broadcaster;
  decisions: DecisionService;
  replays: ReplayService;
  snapshots: SnapshotService;
  rollback: RollbackService;
  /** History retention (admin): `pruneHistory`. */
  retention: RetentionService;
  validation: ValidationPass;
  /** buildConsensus, resolveConflict (src/app/consensus/). */
  consensus: ConsensusService;
  /** conflicts, conflictEscalated, setAgentTrust, setEscalation. */
  escalations: Escalations;
  /** defineWorkflow, startStep, completeStep, workflow(s) (src/app/workflows/). */
  workflows: WorkflowService;
  /** Publishing policies and their violations. */
  policies: PolicyService;
  /** feedback and meshStats (src/app/effectiveness/). */
  effectiveness: EffectivenessService;
  /** Per-agent token quotas: setTokenQuota, tokenUsage, and the gate every contextFor passes (src/app/quotas/). */
  quotas: TokenQuotas;
}

/**
 * Per-request context: who asks, the use-cases, and this request's DataLoaders.
 *
 * An answer read "as agent B" (an admin calling contextFor, searchContext or broadcasts for B) must be B's view
 * all the way down, because orchestrators forward it to B. So records remember the viewer they were read as
 * (`readAs`), and nested fields resolve through that viewer's loaders (`loadersOf`), whose records are marked
 * the same way: the rule holds at any depth. Unmarked records are read as the request's viewer.
 */
export interface RequestContext {
  viewer: Viewer;
  services: Services;
  /** The loaders of the request's viewer. */
  loaders: Loaders;
  /** The loaders that read as `viewer`, one set per viewer per request (so one viewer's cache never serves another). */
  loadersFor(viewer: Viewer): Loaders;
  /** Marks `record` as read as `viewer` for the rest of the request; a record already read as another viewer is copied. */
  readAs<T extends object>(viewer: Viewer, record: T): T;
  /** The loaders of the viewer `record` was read as: the request's viewer unless marked. */
  loadersOf(record: object): Loaders;
}

const viewerKey = (viewer: Viewer) => (viewer.kind === 'admin' ? 'admin' : `agent:${viewer.agentId}`);

/** The viewer an answer is computed for when someone asks on behalf of `agentId`. */
export const asAgent = (agentId: string): Viewer => ({ kind: 'agent', agentId });

export function createRequestContext(viewer: Viewer, services: Services): RequestContext {
  const readers = new WeakMap<object, Viewer>();
  const loaderSets = new Map<string, Loaders>();

  const readAs = <T extends object>(reader: Viewer, record: T): T => {
    const known = readers.get(record);
    const marked = known && viewerKey(known) !== viewerKey(reader) ? { ...record } : record;
    readers.set(marked, reader);
    return marked;
  };
  const loadersFor = (reader: Viewer): Loaders => {
    const key = viewerKey(reader);
    let loaders = loaderSets.get(key);
    if (!loaders) {
      loaders = createLoaders(services, reader, (record) => readAs(reader, record));
      loaderSets.set(key, loaders);
    }
    return loaders;
  };

  return {
    viewer,
    services,
    loaders: loadersFor(viewer),
    loadersFor,
    readAs,
    loadersOf: (record) => loadersFor(readers.get(record) ?? viewer),
  };
}
