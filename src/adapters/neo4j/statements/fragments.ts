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

/**
 * The parameters `VISIBLE` reads: `$isAdmin` and `$viewerId`. The executor adds the viewer's scope to every statement
 * given `viewerId` (`$scopeRoot`, `$scopeLevels`: see agent-scopes.ts and `readableInScope` in src/domain/visibility.ts).
 */
export const viewerParams = (viewer: Viewer) =>
  viewer.kind === 'admin' ? { isAdmin: true, viewerId: null } : { isAdmin: false, viewerId: viewer.agentId };

/**
 * The scope rule over a record's `visibleTo`, `sourceAgentId`, `tags`, `type` and `claim`, from the root of the viewer's
 * spawn chain down to the viewer (`readableInScope`): the root reads what `base` allows; each spawned level its own
 * contexts and, unless isolated or shadowed, those shared with it and what the level above reads that `inherit` admits.
 */
const SCOPED = (r: Cypher, base: Cypher, sharedWith: (level: Cypher) => Cypher) => {
  const named = (list: Cypher) =>
    cypher`any(scopeName IN ${list} WHERE scopeName = toLower(${r}.type) OR any(scopeTag IN coalesce(${r}.tags, []) WHERE toLower(scopeTag) = scopeName))`;
  return cypher`reduce(scopeOk = ${base}, scopeLevel IN $scopeLevels |
    ${r}.sourceAgentId = scopeLevel.agentId OR (NOT ${named(cypher`scopeLevel.isolate`)}
      AND NOT coalesce(${r}.claim IN scopeLevel.shadowedClaims, false)
      AND (${sharedWith(cypher`scopeLevel.agentId`)} OR (scopeOk AND (size(scopeLevel.inherit) = 0 OR ${named(cypher`scopeLevel.inherit`)})))))`;
};

/**
 * The one visibility rule of the read paths: admins see all; agents see public contexts, their own, and those shared
 * with them — and a spawned agent what its scope allows (README "Inheritance").
 */
export const VISIBLE = (name: Alias) => {
  const a = alias(name);
  const base = cypher`coalesce(${a}.visibleTo IS NULL OR ${a}.sourceAgentId = $scopeRoot OR $scopeRoot IN ${a}.visibleTo, false)`;
  return cypher`($isAdmin OR ${SCOPED(a, base, (id) => cypher`coalesce(${id} IN ${a}.visibleTo, false)`)})`;
};

/**
 * The visibility rule of past state: a version is read by **its own** rule, recorded with it, never by the
 * context's current one (widening a context later must not expose what was written while it was restricted).
 * Versions from before the rule was recorded (no `visibilityRecorded`) fail closed: source and admins only.
 * A spawned viewer's scope applies to each version's own tags, type and claim.
 */
export const VISIBLE_VERSION = (name: Alias) => {
  const v = alias(name);
  const base = cypher`coalesce(${v}.sourceAgentId = $scopeRoot
    OR (${v}.visibilityRecorded = true AND (${v}.visibleTo IS NULL OR $scopeRoot IN ${v}.visibleTo)), false)`;
  return cypher`($isAdmin OR ${SCOPED(v, base, (id) => cypher`(coalesce(${v}.visibilityRecorded, false) AND coalesce(${id} IN ${v}.visibleTo, false))`)})`;
};

export const AGENT_FIELDS = cypher`{ .id, .name, .role, .needs, .produces, .relevanceThreshold, .tokenBudget, .parentId, .createdAt, .trust,
  .tokenQuota, .tokenQuotaPeriodSeconds }`;

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
