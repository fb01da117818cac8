import type { AgentService } from '../app/agents.js';
import type { ContextService } from '../app/contexts.js';
import type { Broadcaster } from '../app/broadcast/broadcaster.js';
import type { ContextRouter } from '../app/routing/router.js';
import type { Viewer } from '../domain/types.js';
import type { Loaders } from './loaders.js';

/** Use-cases the resolvers may call. */
export interface Services {
  agents: AgentService;
  contexts: ContextService;
  router: ContextRouter;
  broadcasts: Broadcaster;
}

/** Per-request context: who asks, the use-cases, and this request's DataLoaders. */
export interface RequestContext {
  viewer: Viewer;
  services: Services;
  loaders: Loaders;
}
