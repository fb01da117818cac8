/**
 * A push-to-pull queue for subscriptions: producers push, the GraphQL subscription pulls with
 * `for await`. `return()` (client completes or disconnects) runs the cleanup once.
 */
export class AsyncQueue<T> implements AsyncIterableIterator<T> {
  private readonly items: T[] = [];
  private waiting: ((result: IteratorResult<T>) => void) | null = null;
  private failed: unknown = null;
  private done = false;

  constructor(private readonly onClose: () => Promise<void> | void = () => undefined) {}

  push(item: T): void {
    if (this.done) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = null;
      resolve({ value: item, done: false });
    } else {
      this.items.push(item);
    }
  }

  /** Ends the stream with an error the client receives. */
  fail(error: unknown): void {
    this.failed = error;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = null;
      void this.return().then(() => resolve({ value: undefined, done: true }));
    }
  }

  async next(): Promise<IteratorResult<T>> {
    if (this.items.length > 0) return { value: this.items.shift() as T, done: false };
    if (this.failed !== null) {
      const error = this.failed;
      await this.return();
      throw error;
    }
    if (this.done) return { value: undefined, done: true };
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  async return(): Promise<IteratorResult<T>> {
    if (!this.done) {
      this.done = true;
      this.items.length = 0;
      await this.onClose();
      this.waiting?.({ value: undefined, done: true });
      this.waiting = null;
    }
    return { value: undefined, done: true };
  }

  async throw(error: unknown): Promise<IteratorResult<T>> {
    await this.return();
    throw error;
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }
}
