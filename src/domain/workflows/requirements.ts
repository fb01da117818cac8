import { normalizeTopic } from '../context-map.js';
import type { PolicyMode, PolicyTarget, PublishedContext, PublishingPolicy, StepTarget } from './types.js';

/**
 * Mandatory publishing: which required types or tags a step's attempt has published. An entry is met by a context
 * (not retracted) whose type equals it case-insensitively, or one of whose tags has the same topic key
 * (`normalizeTopic`: `Key Findings` = `key_findings`).
 */

const RETRACTED = 'RETRACTED';

/** Whether `context` satisfies the required `entry`. */
export function satisfies(entry: string, context: Pick<PublishedContext, 'type' | 'tags' | 'status'>): boolean {
  if (context.status === RETRACTED) return false;
  const wanted = entry.trim();
  if (context.type.toLowerCase() === wanted.toLowerCase()) return true;
  const key = normalizeTopic(wanted);
  return context.tags.some((tag) => normalizeTopic(tag) === key);
}

/**
 * The entries no context satisfies: trimmed, one per topic key (the first spelling in sorted order), sorted.
 * `Key Findings` and `key_findings` are the same requirement and are reported once.
 */
export function unmetRequirements(entries: readonly string[], contexts: readonly PublishedContext[]): string[] {
  const byKey = new Map<string, string>();
  for (const entry of [...entries].map((e) => e.trim()).sort()) {
    if (entry === '' || byKey.has(normalizeTopic(entry))) continue;
    byKey.set(normalizeTopic(entry), entry);
  }
  return [...byKey.values()].filter((entry) => !contexts.some((context) => satisfies(entry, context))).sort();
}

/** The role a policy names, compared like a topic (trimmed, case-folded, spaces and hyphens as `_`). */
export const roleKey = (role: string): string => normalizeTopic(role);

/** Whether a policy applies to a step: its agent, that agent's role, or that very step. */
export function appliesTo(target: PolicyTarget, step: StepTarget): boolean {
  switch (target.kind) {
    case 'AGENT':
      return target.agentId === step.agentId;
    case 'ROLE':
      return step.role !== null && roleKey(step.role) === roleKey(target.role);
    case 'STEP':
      return target.workflowId === step.workflowId && target.stepId === step.stepId;
    default: {
      const unreachable: never = target;
      return unreachable;
    }
  }
}

export interface PolicyOutcome {
  policyId: string;
  mode: PolicyMode;
  missing: string[];
}

/** How a step's attempt stands against its requirements: the step's own (enforced) and each applicable policy's. */
export interface RequirementReport {
  /** Unmet entries of the step's own `requires` (always enforced). */
  stepMissing: string[];
  /** Every applicable policy, in id order, with what it still misses (empty when met). */
  policies: PolicyOutcome[];
  /** Unmet enforced entries (the step's and ENFORCE policies'), deduplicated by topic key and sorted. */
  enforcedMissing: string[];
  /** Ids of the ENFORCE policies with unmet entries, sorted. */
  enforcedPolicyIds: string[];
  /** WARN policies with unmet entries, in id order. */
  warnings: PolicyOutcome[];
  /** Every unmet entry (enforced or warned), deduplicated by topic key and sorted. */
  missing: string[];
}

/** Evaluates the requirements of one step's attempt; pure, never throws (see `decideCompletion` for the rule). */
export function evaluateRequirements(
  step: StepTarget & { requires: readonly string[] },
  policies: readonly PublishingPolicy[],
  contexts: readonly PublishedContext[],
): RequirementReport {
  const applicable = policies.filter((p) => appliesTo(p.target, step)).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const stepMissing = unmetRequirements(step.requires, contexts);
  const outcomes = applicable.map((p) => ({ policyId: p.id, mode: p.mode, missing: unmetRequirements(p.requires, contexts) }));
  const enforced = outcomes.filter((o) => o.mode === 'ENFORCE' && o.missing.length > 0);
  const warnings = outcomes.filter((o) => o.mode === 'WARN' && o.missing.length > 0);
  return {
    stepMissing,
    policies: outcomes,
    enforcedMissing: unmetRequirements([...stepMissing, ...enforced.flatMap((o) => o.missing)], []),
    enforcedPolicyIds: enforced.map((o) => o.policyId),
    warnings,
    missing: unmetRequirements([...stepMissing, ...outcomes.flatMap((o) => o.missing)], []),
  };
}

/** Identifies a set of warnings for one attempt, so a notice prepared outside the transaction can be checked inside it. */
export function warningsKey(attempt: number, warnings: readonly PolicyOutcome[]): string {
  return JSON.stringify([attempt, warnings.map((w) => [w.policyId, w.missing])]);
}

/**
 * The needs (one per topic key, sorted) that no readable context in the workflow provides, given the distinct types
 * and tags of those contexts: matched like requirements (type, or a tag with the same topic key).
 */
export function unavailableNeeds(needs: readonly string[], readable: { types: readonly string[]; tags: readonly string[] }): string[] {
  const contexts: PublishedContext[] = [
    ...readable.types.map((type) => ({ id: '', type, tags: [], status: 'ACTIVE' })),
    { id: '', type: '', tags: readable.tags, status: 'ACTIVE' },
  ];
  return unmetRequirements(needs, contexts);
}
