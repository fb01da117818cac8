import type { Clock } from '../../domain/ports.js';
import type { ConfidenceDecayPolicy } from '../../domain/staleness.js';
import type { DriftChecks, StaleEvent } from '../../domain/store-ports.js';
import type { Neo4jExecutor } from './executor.js';
import { markDecayed, markOnInactiveDependencies } from './staleness-writes.js';

/** The validation pass's checks; each is one write transaction, and a pass that finds nothing writes nothing. */
export class Neo4jDriftChecks implements DriftChecks {
  constructor(
    private readonly executor: Neo4jExecutor,
    private readonly clock: Clock,
    /** Dependency hops staleness follows (STALENESS_MAX_DEPTH). */
    private readonly stalenessDepth: number,
  ) {}

  private options() {
    return { now: this.clock.now().toISOString(), by: 'system', maxDepth: this.stalenessDepth };
  }

  markOnInactiveDependencies(limit: number, workflowId: string | null): Promise<StaleEvent[]> {
    return this.executor.write('markOnInactiveDependencies', (tx) =>
      markOnInactiveDependencies(tx, null, limit, { ...this.options(), workflowId }),
    );
  }

  markDecayed(policy: ConfidenceDecayPolicy, limit: number, workflowId: string | null): Promise<StaleEvent[]> {
    return this.executor.write('markDecayed', (tx) => markDecayed(tx, policy, limit, { ...this.options(), workflowId }));
  }
}
