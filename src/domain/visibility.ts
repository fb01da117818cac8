import type { ContextRecord, Viewer } from './types.js';

/**
 * Whether a viewer may read a context: the same rule as `VISIBLE` in the store's Cypher, for records
 * already in memory (live events). Admins read everything; agents read contexts without `visibleTo`,
 * their own, and those naming them.
 */
export function canRead(viewer: Viewer, context: Pick<ContextRecord, 'visibleTo' | 'sourceAgentId'>): boolean {
  switch (viewer.kind) {
    case 'admin':
      return true;
    case 'agent':
      return context.visibleTo === null || context.sourceAgentId === viewer.agentId || context.visibleTo.includes(viewer.agentId);
    default: {
      const unreachable: never = viewer;
      return unreachable;
    }
  }
}
