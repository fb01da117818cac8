import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

/** A GraphQL error as the mesh returns it: a message and `extensions.code` with its details. */
export class MeshError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly extensions: Record<string, unknown>,
  ) {
    super(message);
  }
}

interface Response<T> {
  data?: T | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

/** One agent's (or the admin's) connection to the mesh: HTTP for queries and mutations, graphql-ws for subscriptions. */
export class MeshClient {
  private socket: Client | null = null;

  constructor(
    readonly url: string,
    private readonly key: string,
  ) {}

  /** The data, or a MeshError carrying the first error's code. */
  async request<T = Record<string, unknown>>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const response = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.key}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as Response<T>;
    const [first] = body.errors ?? [];
    if (first) {
      const extensions = first.extensions ?? {};
      throw new MeshError(first.message, String(extensions['code'] ?? 'UNKNOWN'), extensions);
    }
    if (!body.data) throw new MeshError(`HTTP ${response.status} without data`, 'UNKNOWN', {});
    return body.data;
  }

  /** Calls `onData` for every event until the returned function is called. */
  subscribe<T>(query: string, variables: Record<string, unknown>, onData: (data: T) => void): () => void {
    this.socket ??= createClient({
      url: this.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${this.key}` },
      retryAttempts: 0,
    });
    return this.socket.subscribe<T>(
      { query, variables },
      {
        next: (value) => {
          if (value.data) onData(value.data as T);
        },
        error: () => undefined,
        complete: () => undefined,
      },
    );
  }

  async close(): Promise<void> {
    await this.socket?.dispose();
  }
}
