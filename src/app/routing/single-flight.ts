/**
 * Request coalescing: concurrent calls with the same key share one in-flight computation,
 * so a stampede of identical requests costs one computation and its database trips.
 */
export class SingleFlight<T> {
  private readonly inFlight = new Map<string, Promise<T>>();

  /** True while a computation for the key is in flight. */
  has(key: string): boolean {
    return this.inFlight.has(key);
  }

  run(key: string, compute: () => Promise<T>): Promise<T> {
    return this.join(key, compute).result;
  }

  /** Like `run`, and tells whether this call joined a computation another call had started. */
  join(key: string, compute: () => Promise<T>): { result: Promise<T>; joined: boolean } {
    const running = this.inFlight.get(key);
    if (running) return { result: running, joined: true };
    return { result: this.start(key, compute), joined: false };
  }

  private start(key: string, compute: () => Promise<T>): Promise<T> {
    const started = compute().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, started);
    return started;
  }
}
