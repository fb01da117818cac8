import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { Authenticator } from '../../src/app/auth.js';
import type { Services } from '../../src/graphql/request-context.js';
import { buildSchema } from '../../src/graphql/schema.js';
import { attachSocketServer } from '../../src/graphql/websocket-server.js';

/** A WebSocket client that completes the upgrade and then never answers: it ignores the close handshake. */
async function deafClient(port: number): Promise<net.Socket> {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.write(
    [
      'GET /graphql HTTP/1.1',
      `Host: 127.0.0.1:${port}`,
      'Upgrade: websocket',
      'Connection: Upgrade',
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
      'Sec-WebSocket-Version: 13',
      'Sec-WebSocket-Protocol: graphql-transport-ws',
      '',
      '',
    ].join('\r\n'),
  );
  await new Promise<void>((resolve) => socket.once('data', (chunk: Buffer) => chunk.toString().startsWith('HTTP/1.1 101') && resolve()));
  return socket;
}

describe('draining the WebSocket server', () => {
  const servers: http.Server[] = [];
  afterEach(() => {
    for (const server of servers.splice(0)) server.close();
  });

  it('cuts off sockets still open after the grace period (SHUTDOWN_TIMEOUT_MS)', async () => {
    const httpServer = http.createServer();
    servers.push(httpServer);
    const sockets = attachSocketServer(httpServer, {
      schema: buildSchema(),
      services: {} as Services,
      authenticator: {} as Authenticator,
      logger: pino({ level: 'silent' }),
      validationRules: [],
      maxTokens: 1000,
      maxSubscriptions: 1,
      connectionInitWaitTimeoutMs: 60_000,
    });
    await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
    const client = await deafClient((httpServer.address() as AddressInfo).port);
    const closed = new Promise((resolve) => client.once('close', resolve));

    const started = Date.now();
    await sockets.drain(300);
    await closed;
    // ws alone would wait 30 s for the client's close frame.
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
