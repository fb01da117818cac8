import { ForbiddenError } from './errors.js';
import type { Viewer } from './types.js';

/**
 * "Act only as yourself": an agent may route, search, read broadcasts and publish for itself only;
 * an admin may act for any agent. `action` completes the sentence "Agent A may not … B".
 */
export function assertMayActAs(viewer: Viewer, agentId: string, action: string): void {
  if (viewer.kind === 'agent' && viewer.agentId !== agentId) {
    throw new ForbiddenError(`Agent ${viewer.agentId} may not ${action} ${agentId}`);
  }
}
