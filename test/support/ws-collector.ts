import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

/** A graphql-ws subscription whose items tests can wait for (real client, real socket). */
export class Collector<T> {
  readonly items: T[] = [];
  readonly errors: unknown[] = [];

  push(item: T) {
    this.items.push(item);
  }

  async until(predicate: (items: T[]) => boolean, timeoutMs = 15_000): Promise<T[]> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.items)) {
      if (this.errors.length > 0) throw new Error(`subscription failed: ${JSON.stringify(this.errors)}`);
      if (Date.now() > deadline) throw new Error(`timed out; got ${JSON.stringify(this.items)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return this.items;
  }
}

export function connectClient(wsUrl: string, key: string): Client {
  return createClient({ url: wsUrl, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${key}` }, retryAttempts: 0 });
}

export function subscribeTo<T>(
  client: Client,
  query: string,
  variables: Record<string, unknown>,
  pick: (data: Record<string, unknown>) => T,
) {
  const collector = new Collector<T>();
  client.subscribe<Record<string, unknown>>(
    { query, variables },
    {
      next: (value) => {
        if (value.errors) collector.errors.push(value.errors);
        else if (value.data) collector.push(pick(value.data));
      },
      error: (error) => collector.errors.push(error),
      complete: () => undefined,
    },
  );
  return collector;
}
