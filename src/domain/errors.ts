/**
 * Typed errors raised by the domain and use-cases. Each carries a literal `code`
 * that the GraphQL edge copies to `extensions.code`; anything else is masked there.
 */

export const ERROR_CODES = [
  'BAD_USER_INPUT',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'VERSION_CONFLICT',
  'DEPENDENCY_CYCLE',
  'BUDGET_TOO_SMALL',
  'HISTORY_PRUNED',
  'CONFLICT_ALREADY_RESOLVED',
  'MISSING_REQUIRED_CONTEXT',
  'QUOTA_EXCEEDED',
  'QUERY_TOO_COMPLEX',
  'DATABASE_UNAVAILABLE',
  'INTERNAL_SERVER_ERROR',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface InputIssue {
  /** Path of the failing field from the operation argument, e.g. `["inputs", 2, "confidence"]`. */
  path: (string | number)[];
  message: string;
}

export abstract class DomainError extends Error {
  abstract readonly code: ErrorCode;
  /** Extra, client-safe details copied into `extensions`. */
  readonly details: Record<string, unknown>;
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = new.target.name;
    this.details = details;
  }
}

export class BadInputError extends DomainError {
  readonly code = 'BAD_USER_INPUT' as const;
  constructor(
    message: string,
    readonly issues: InputIssue[] = [],
  ) {
    super(message, { issues });
  }
}

export class UnauthenticatedError extends DomainError {
  readonly code = 'UNAUTHENTICATED' as const;
}

export class ForbiddenError extends DomainError {
  readonly code = 'FORBIDDEN' as const;
}

export class NotFoundError extends DomainError {
  readonly code = 'NOT_FOUND' as const;
  constructor(
    readonly kind:
      'Agent' | 'Context' | 'Package' | 'Decision' | 'Snapshot' | 'Conflict' | 'Workflow' | 'WorkflowStep' | 'PublishingPolicy',
    readonly ids: string[],
  ) {
    super(`${kind} not found: ${ids.join(', ')}`, { kind, ids });
  }
}

export class AlreadyExistsError extends DomainError {
  readonly code = 'ALREADY_EXISTS' as const;
  constructor(
    readonly kind: 'Agent' | 'Context',
    readonly ids: string[],
  ) {
    super(`${kind} already exists: ${ids.join(', ')}`, { kind, ids });
  }
}

export class VersionConflictError extends DomainError {
  readonly code = 'VERSION_CONFLICT' as const;
  constructor(
    readonly contextId: string,
    readonly expectedVersion: number,
    readonly actualVersion: number,
  ) {
    super(`Context ${contextId} is at version ${actualVersion}, not ${expectedVersion}; re-read it and retry`, {
      contextId,
      expectedVersion,
      actualVersion,
    });
  }
}

export class DependencyCycleError extends DomainError {
  readonly code = 'DEPENDENCY_CYCLE' as const;
  constructor(readonly cycle: string[]) {
    super(`Dependency cycle: ${cycle.join(' -> ')}`, { cycle });
  }
}

export class BudgetTooSmallError extends DomainError {
  readonly code = 'BUDGET_TOO_SMALL' as const;
}

/** An `asOf` below the pruned horizon: some version current then was deleted by retention, so no exact answer exists. */
export class HistoryPrunedError extends DomainError {
  readonly code = 'HISTORY_PRUNED' as const;
  constructor(
    readonly asOf: number,
    readonly prunedBeforeSeq: number,
  ) {
    super(`History before seq ${prunedBeforeSeq} was pruned: asOf ${asOf} cannot be answered exactly (use ${prunedBeforeSeq} or later)`, {
      asOf,
      prunedBeforeSeq,
    });
  }
}

export class DatabaseUnavailableError extends DomainError {
  readonly code = 'DATABASE_UNAVAILABLE' as const;
}

/** resolveConflict on a conflict that was already settled (`extensions.resolvedBy`, `consensusId`). */
export class ConflictAlreadyResolvedError extends DomainError {
  readonly code = 'CONFLICT_ALREADY_RESOLVED' as const;
  constructor(conflictId: string, resolvedBy: string | null, consensusId: string | null) {
    super(`Conflict ${conflictId} is already resolved`, { conflictId, resolvedBy, consensusId });
  }
}

/**
 * completeStep while an enforced requirement is unmet (`extensions.missing`: the unmet types or tags, sorted;
 * `policies`: the ENFORCE policies concerned; the step's own `requires` name no policy). The step stays RUNNING.
 */
export class MissingRequiredContextError extends DomainError {
  readonly code = 'MISSING_REQUIRED_CONTEXT' as const;
  constructor(workflowId: string, stepId: string, attempt: number, missing: string[], policies: string[]) {
    super(
      `Step ${stepId} of workflow ${workflowId} cannot complete: attempt ${attempt} has not published ${missing.join(', ')}` +
        (policies.length > 0 ? ` (required by policy ${policies.join(', ')})` : ''),
      { workflowId, stepId, attempt, missing, policies },
    );
  }
}

/**
 * contextFor when the agent's token quota for the current period is spent (`extensions.retryAfterSeconds`: when the
 * next period starts; `quota`, `used`, `remaining`, `periodSeconds`, `periodEndsAt`).
 */
export class QuotaExceededError extends DomainError {
  readonly code = 'QUOTA_EXCEEDED' as const;
  constructor(
    agentId: string,
    details: { quota: number; used: number; remaining: number; periodSeconds: number; periodEndsAt: string; retryAfterSeconds: number },
    reason = `has ${details.remaining} of its ${details.quota} tokens left this period`,
  ) {
    super(`Token quota exceeded: agent ${agentId} ${reason}; retry after ${details.retryAfterSeconds} s (${details.periodEndsAt})`, {
      agentId,
      ...details,
    });
  }
}
