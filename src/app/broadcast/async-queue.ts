/**
 * A push-to-pull queue for subscriptions: producers push, the GraphQL subscription pulls with
 * `for await`. What is pushed before it is pulled is buffered; `return()` (client completes or
 * disconnects) runs the cleanup once; `fail()` ends the stream with an error the client receives.
 *
 * Kept over `@repeaterjs/repeater` (throws after 1024 pushes a slow consumer has not pulled,
 * which a long log replay reaches) and `events.on` (needs an emitter in between and has no
 * cleanup hook of its own).
 */
export class AsyncQueue<T> implements AsyncIterableIterator<T> {
  private readonly items: T[] = [];
  private waiting: { resolve: (result: IteratorResult<T>) => void; reject: (error: unknown) => void } | null = null;
  /** Boxed so that any value, even `undefined`, can be the failure. */
  private failure: { error: unknown } | null = null;
  private done = false;

  constructor(private readonly onClose: () => Promise<void> | void = () => undefined) {}

  push(item: T): void {
    if (this.done || this.failure) return;
    if (this.waiting) {
      const { resolve } = this.waiting;
      this.waiting = null;
      resolve({ value: item, done: false });
    } else {
      this.items.push(item);
    }
  }

  /** Ends the stream with an error the client receives, after the items already buffered. */
  fail(error: unknown): void {
    if (this.done || this.failure) return;
    this.failure = { error };
    if (this.waiting) {
      // Waiting means nothing is buffered: the failure is the consumer's next result.
      const { reject } = this.waiting;
      this.waiting = null;
      void this.return().then(() => reject(error), reject);
    }
  }

  async next(): Promise<IteratorResult<T>> {
    if (this.items.length > 0) return { value: this.items.shift() as T, done: false };
    if (this.failure && !this.done) {
      const { error } = this.failure;
      await this.return();
      throw error;
    }
    if (this.done) return { value: undefined, done: true };
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
    });
  }

  async return(): Promise<IteratorResult<T>> {
    if (!this.done) {
      this.done = true;
      this.items.length = 0;
      await this.onClose();
      this.waiting?.resolve({ value: undefined, done: true });
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
