/** Where the time of a contextFor request went, in milliseconds (0.01 ms resolution). */
export interface RoutingTimings {
  embeddingMs: number;
  databaseMs: number;
  rankingMs: number;
  packingMs: number;
  totalMs: number;
}

export type RoutingPhase = 'embedding' | 'database' | 'ranking' | 'packing';

const toMs = (value: number) => Math.round(value * 100) / 100;

/**
 * Adds up the time spent in each phase of one request; a phase may be entered several times (every database
 * trip adds to `database`). The total runs from construction, so it includes what no phase claims.
 */
export class Stopwatch {
  private readonly startedAt: number;
  private readonly spent: Record<RoutingPhase, number> = { embedding: 0, database: 0, ranking: 0, packing: 0 };

  constructor(private readonly now: () => number = () => performance.now()) {
    this.startedAt = now();
  }

  /** Runs `work`, adding its time (until it settles, success or failure) to `phase`. */
  async time<T>(phase: RoutingPhase, work: () => Promise<T>): Promise<T> {
    const started = this.now();
    try {
      return await work();
    } finally {
      this.spent[phase] += this.now() - started;
    }
  }

  /** Like `time`, for synchronous work. */
  timeSync<T>(phase: RoutingPhase, work: () => T): T {
    const started = this.now();
    try {
      return work();
    } finally {
      this.spent[phase] += this.now() - started;
    }
  }

  timings(): RoutingTimings {
    return {
      embeddingMs: toMs(this.spent.embedding),
      databaseMs: toMs(this.spent.database),
      rankingMs: toMs(this.spent.ranking),
      packingMs: toMs(this.spent.packing),
      totalMs: toMs(this.now() - this.startedAt),
    };
  }
}
