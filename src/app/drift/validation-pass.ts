import type { ConfidenceDecayPolicy } from '../../domain/staleness.js';
import type { DriftChecks, StaleEvent, WrittenEvent } from '../../domain/store-ports.js';
import { ForbiddenError } from '../../domain/errors.js';
import type { Viewer } from '../../domain/types.js';
import type { Broadcaster } from '../broadcast/broadcaster.js';
import { parseInput, workflowId as workflowIdSchema } from '../validation.js';

/** What one pass changed: every change is an event in the log (EXPIRED, STALE), announced on contextChanged. */
export interface ValidationReport {
  expired: number;
  /** Marked stale because something they rest on does not hold (expiry included). */
  staleDependencies: number;
  /** Marked stale because their confidence decayed below the floor. */
  decayed: number;
  events: WrittenEvent[];
  startedAt: string;
  finishedAt: string;
}

export interface ValidationPassDeps {
  checks: DriftChecks;
  broadcaster: Pick<Broadcaster, 'sweepExpired' | 'publishCommitted'>;
  decay: ConfidenceDecayPolicy;
  now: () => Date;
  onError?: (error: unknown, what: string) => void;
  /** Contexts marked per check and transaction; the rest wait for the next pass. Default 1,000. */
  batch?: number;
}

/**
 * Drift's periodic re-check of active contexts: expiry (claimed and announced, with what depends on it made
 * stale), dependencies that no longer hold, and confidence decay by type. Writes already mark dependents stale
 * when a context is superseded, retracted or rolled back; the pass catches what time alone changed.
 */
export class ValidationPass {
  private running: Promise<ValidationReport> | null = null;

  constructor(private readonly deps: ValidationPassDeps) {}

  /** validateContexts: admins only. */
  runFor(viewer: Viewer, rawWorkflowId: unknown): Promise<ValidationReport> {
    if (viewer.kind !== 'admin') throw new ForbiddenError('Only an admin may run the validation pass');
    return this.run(parseInput(workflowIdSchema, rawWorkflowId, 'workflowId') ?? null);
  }

  /** One pass over the mesh (a call while one runs joins it), or over one workflow's contexts. */
  run(workflowId: string | null = null): Promise<ValidationReport> {
    if (workflowId !== null) return this.pass(workflowId);
    this.running ??= this.pass(null).finally(() => (this.running = null));
    return this.running;
  }

  start(intervalMs: number): () => void {
    const timer = setInterval(() => {
      if (this.running) return;
      this.run().catch((error: unknown) => this.deps.onError?.(error, 'validation pass'));
    }, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  private async pass(workflowId: string | null): Promise<ValidationReport> {
    const startedAt = this.deps.now().toISOString();
    const batch = this.deps.batch ?? 1_000;
    const sweep = await this.deps.broadcaster.sweepExpired(workflowId);
    const dependencies = await this.deps.checks.markOnInactiveDependencies(batch, workflowId);
    const decayed = await this.deps.checks.markDecayed(this.deps.decay, batch, workflowId);
    const marked: StaleEvent[] = [...dependencies, ...decayed];
    if (marked.length > 0) await this.deps.broadcaster.publishCommitted({ replayed: false, events: marked, deliveries: [] });
    return {
      expired: sweep.expired,
      staleDependencies: sweep.stale + dependencies.length,
      decayed: decayed.length,
      events: [...sweep.events, ...marked].sort((a, b) => a.seq - b.seq),
      startedAt,
      finishedAt: this.deps.now().toISOString(),
    };
  }
}
