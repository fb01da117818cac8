import type { Viewer } from '../../../domain/types.js';
import { alias, cypher, type Alias, type Cypher } from '../cypher.js';
import type { Statement } from '../executor.js';

/**
 * What every statement file shares: the `statement` helper and the Cypher fragments read paths reuse.
 * Every statement is named so logs, metrics and tests can refer to it. Values are always parameters;
 * text is assembled only from `Cypher` fragments (see cypher.ts): our own constants, allow-listed
 * aliases, and one checked integer path bound, which Cypher cannot take as a parameter.
 */
export const statement = (name: string, text: Cypher): Statement => ({ name, cypher: text });

/** The parameters `VISIBLE` reads: `$isAdmin` and `$viewerId`. */
export const viewerParams = (viewer: Viewer) =>
  viewer.kind === 'admin' ? { isAdmin: true, viewerId: null } : { isAdmin: false, viewerId: viewer.agentId };

/** The one visibility rule of the read paths: admins see all; agents see public contexts, their own, and those shared with them. */
export const VISIBLE = (name: Alias) => {
  const a = alias(name);
  return cypher`($isAdmin OR ${a}.visibleTo IS NULL OR ${a}.sourceAgentId = $viewerId OR $viewerId IN ${a}.visibleTo)`;
};

/**
 * The visibility rule of past state: a version is read by **its own** rule, recorded with it, never by the
 * context's current one (widening a context later must not expose what was written while it was restricted).
 * Versions from before the rule was recorded (no `visibilityRecorded`) fail closed: source and admins only.
 */
export const VISIBLE_VERSION = (name: Alias) => {
  const v = alias(name);
  return cypher`($isAdmin OR ${v}.sourceAgentId = $viewerId
    OR (${v}.visibilityRecorded = true AND (${v}.visibleTo IS NULL OR $viewerId IN ${v}.visibleTo)))`;
};

export const AGENT_FIELDS = cypher`{ .id, .name, .role, .needs, .produces, .relevanceThreshold, .tokenBudget, .parentId, .createdAt, .trust }`;

export const CONTEXT_FIELDS = cypher`{ .id, .type, .text, .tags, .priority, .status, .version, .tokens, .confidence,
  .sourceAgentId, .createdAt, .updatedAt, .expiresAt, .visibleTo, .createdSeq, .retractionReason, .workflowId, .validFrom, .validUntil,
  .staleReason, .staleCauseId, .staleViaId, .staleSince, .staleSeq, .claim, .position }`;

/**
 * A version snapshot as a viewer may see it: dependency ids of contexts the viewer cannot read are
 * dropped, exactly as the live `dependencies` hide them. Callers filter the version itself with VISIBLE_VERSION.
 */
export const VISIBLE_VERSION_FIELDS = (name: Alias) => cypher`{ .contextId, .version, .seq, .at, .changedBy, .text, .contentJson, .tags,
  .priority, .status, .confidence, .expiresAt, .tokens, .type, .sourceAgentId, .workflowId, .visibleTo, .visibilityRecorded,
  .validFrom, .validUntil, .relevanceJson, .claim, .position,
  dependencies: [d IN ${alias(name)}.dependencies WHERE EXISTS { MATCH (x:Context { id: d }) WHERE ${VISIBLE('x')} }] }`;
