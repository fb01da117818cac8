import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestServer, type TestServer } from '../support/harness.js';

/** graphql-ws over a real socket: authentication in connection_init and the same limits as HTTP. */
describe('graphql-ws endpoint', () => {
  let server: TestServer;
  const clients: Client[] = [];
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    for (const client of clients) await client.dispose();
    await server?.stop();
  });

  const connect = (authorization?: string) => {
    const client = createClient({
      url: server.wsUrl,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      lazy: false,
      // The tests read close codes through on('closed'); the default handler would print them.
      onNonLazyError: () => undefined,
      connectionParams: authorization ? { authorization } : {},
    });
    clients.push(client);
    return client;
  };

  const closeCode = (client: Client) =>
    new Promise<number>((resolve) => {
      client.on('closed', (event) => resolve((event as { code: number }).code));
    });

  const firstResult = (client: Client, query: string) =>
    new Promise<{ errors?: readonly { message: string }[] }>((resolve, reject) => {
      client.subscribe(
        { query },
        {
          next: (value) => resolve(value as never),
          error: (error) => resolve({ errors: error as never }),
          complete: () => reject(new Error('completed without a result')),
        },
      );
    });

  it('refuses a connection without credentials with 4403 Forbidden', async () => {
    expect(await closeCode(connect())).toBe(4403);
  });

  it('refuses an unknown key with 4403 Forbidden', async () => {
    expect(await closeCode(connect('Bearer cm_not-a-real-key'))).toBe(4403);
  });

  it('acknowledges a valid key and accepts only subscriptions over the socket', async () => {
    const client = connect(`Bearer ${server.adminKey}`);
    const connected = new Promise<void>((resolve) => client.on('connected', () => resolve()));
    await connected;
    const result = await firstResult(client, '{ health }');
    expect(JSON.stringify(result.errors)).toContain('Only subscriptions are accepted');
  });

  it('applies the HTTP depth limit on the socket too', async () => {
    const client = connect(`Bearer ${server.adminKey}`);
    let nested = 'id';
    for (let i = 0; i < 15; i += 1) nested = `dependencies { ${nested} }`;
    const result = await firstResult(client, `subscription { context(id: "x") { ${nested} } }`);
    expect(JSON.stringify(result.errors)).toMatch(/depth/i);
  });

  it('closes a socket that never sends connection_init (4408)', async () => {
    const socket = new WebSocket(server.wsUrl, 'graphql-transport-ws');
    const code = await new Promise<number>((resolve) => socket.on('close', (c) => resolve(c)));
    expect(code).toBe(4408);
  }, 20_000);
});
