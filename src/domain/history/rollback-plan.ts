import type { ContextStatus, ContextVersionRecord, Priority, RelevanceEntry } from '../types.js';

/** Which contexts a rollback changes, and how: pure, so the same plan is computed before and inside the write. */

type StoredStatus = Exclude<ContextStatus, 'EXPIRED'>;

/** A context's current state, in the fields a version records. */
export interface CurrentState {
  id: string;
  version: number;
  text: string;
  content: unknown;
  tags: string[];
  priority: Priority;
  status: StoredStatus;
  confidence: number;
  dependencies: string[];
  expiresAt: string | null;
  visibleTo: string[] | null;
  relevance: RelevanceEntry[];
  validFrom: string | null;
  validUntil: string | null;
  claim: string | null;
  position: string | null;
}

/** A context with its version at the snapshot (null: created after it). */
export interface RollbackTarget {
  current: CurrentState;
  then: ContextVersionRecord | null;
}

/** The fields to write back; absent = already as at the snapshot. */
export interface RestoreChanges {
  text?: string;
  content?: unknown;
  tags?: string[];
  priority?: Priority;
  status?: StoredStatus;
  confidence?: number;
  dependencies?: string[];
  expiresAt?: string | null;
  visibleTo?: string[] | null;
  relevance?: RelevanceEntry[];
  validFrom?: string | null;
  validUntil?: string | null;
  claim?: string | null;
  position?: string | null;
}

/** `version` is the current version, checked again under the context's lock. */
export type RollbackStep =
  { kind: 'retract'; id: string; version: number } | { kind: 'restore'; id: string; version: number; changes: RestoreChanges };

const json = (value: unknown) => JSON.stringify(value ?? null);
const sameList = (a: readonly string[] | null, b: readonly string[] | null) => json(a) === json(b);
const sameSet = (a: readonly string[], b: readonly string[]) => json([...a].sort()) === json([...b].sort());
const relevanceKey = (entries: readonly RelevanceEntry[]) =>
  json(
    [...entries].sort((x, y) => (x.agentId < y.agentId ? -1 : x.agentId > y.agentId ? 1 : 0)).map((r) => [r.agentId, r.score, r.explicit]),
  );

/**
 * What differs between now and the version at the snapshot. Versions written before they recorded their
 * whole state (no `visibilityRecorded`) restore only what they have: visibility, relevance and valid time
 * then keep their current values.
 */
export function restoreChanges(current: CurrentState, then: ContextVersionRecord): RestoreChanges {
  const changes: RestoreChanges = {};
  if (current.text !== then.text) changes.text = then.text;
  if (json(current.content) !== json(then.content)) changes.content = then.content;
  if (!sameList(current.tags, then.tags)) changes.tags = then.tags;
  if (current.priority !== then.priority) changes.priority = then.priority;
  if (current.status !== then.status) changes.status = then.status;
  if (current.confidence !== then.confidence) changes.confidence = then.confidence;
  if (!sameSet(current.dependencies, then.dependencies)) changes.dependencies = then.dependencies;
  if (current.expiresAt !== then.expiresAt) changes.expiresAt = then.expiresAt;
  // Claims came after versions recorded their state, so a version without one had none: a claim added later is undone.
  if (current.claim !== (then.claim ?? null)) changes.claim = then.claim ?? null;
  if (current.position !== (then.position ?? null)) changes.position = then.position ?? null;
  if (!then.visibilityRecorded) return changes;
  if (!sameList(current.visibleTo, then.visibleTo)) changes.visibleTo = then.visibleTo;
  if (then.relevance !== null && relevanceKey(current.relevance) !== relevanceKey(then.relevance)) changes.relevance = then.relevance;
  if (current.validFrom !== then.validFrom) changes.validFrom = then.validFrom;
  if (current.validUntil !== then.validUntil) changes.validUntil = then.validUntil;
  return changes;
}

/** Contexts created after the snapshot are retracted (unless they already are); the others get back what differs. */
export function planRollback(targets: readonly RollbackTarget[]): RollbackStep[] {
  const steps: RollbackStep[] = [];
  for (const { current, then } of targets) {
    if (then === null) {
      if (current.status !== 'RETRACTED') steps.push({ kind: 'retract', id: current.id, version: current.version });
      continue;
    }
    const changes = restoreChanges(current, then);
    if (Object.keys(changes).length > 0) steps.push({ kind: 'restore', id: current.id, version: current.version, changes });
  }
  return steps;
}

/** The texts a plan writes back (they must be embedded and counted before the write). */
export const restoredTexts = (steps: readonly RollbackStep[]): string[] => [
  ...new Set(steps.flatMap((step) => (step.kind === 'restore' && step.changes.text !== undefined ? [step.changes.text] : []))),
];
