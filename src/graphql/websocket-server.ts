import type http from 'node:http';
import { createFormatError } from './errors.js';
import { useServer } from 'graphql-ws/use/ws';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import type { Authenticator } from '../app/auth.js';
import type { Viewer } from '../domain/types.js';
import { createSocketOperationPreparer, type SocketOperationOptions } from './socket-operation.js';

export interface SocketServerOptions extends SocketOperationOptions {
  authenticator: Authenticator;
  logger: Logger;
  /** How long a socket may take to send connection_init. Default 5000 ms. */
  connectionInitWaitTimeoutMs?: number;
}

export interface SocketServer {
  /**
   * Asks every socket to close (1001), waits up to `graceMs` for the close handshakes, then
   * terminates the sockets still open.
   */
  drain(graceMs: number): Promise<void>;
}

interface SocketExtra extends Record<PropertyKey, unknown> {
  viewer?: Viewer;
}

const MAX_MESSAGE_BYTES = 1024 * 1024;

/** graphql-ws on `/graphql` of `httpServer`: the key is checked at connection_init, operations as on HTTP. */
export function attachSocketServer(httpServer: http.Server, options: SocketServerOptions): SocketServer {
  const { authenticator, logger } = options;
  const prepare = createSocketOperationPreparer(options);
  const formatError = createFormatError(logger);
  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql', maxPayload: MAX_MESSAGE_BYTES });
  const server = useServer<Record<string, unknown> | undefined, SocketExtra>(
    {
      schema: options.schema,
      connectionInitWaitTimeout: options.connectionInitWaitTimeoutMs ?? 5_000,
      onConnect: async (ctx) => {
        try {
          ctx.extra.viewer = await authenticator.authenticate(ctx.connectionParams?.['authorization']);
          return true;
        } catch (error) {
          logger.info({ reason: (error as Error).message }, 'websocket connection refused');
          return false; // graphql-ws closes with 4403 Forbidden
        }
      },
      onSubscribe: (ctx, _id, payload) =>
        prepare({ payload, viewer: ctx.extra.viewer, heldSubscriptions: Object.keys(ctx.subscriptions).length }),
      // Errors of a subscription (a refused subscribe, a failed resolve) carry the same codes as over HTTP.
      onNext: (_ctx, _id, _payload, _args, result) => {
        if (!result.errors) return undefined;
        const errors = result.errors.map((error) => formatError(error.toJSON(), error));
        return { ...(result.data === undefined ? {} : { data: result.data }), errors };
      },
    },
    wsServer,
  );

  return {
    drain: async (graceMs) => {
      for (const client of wsServer.clients) client.close(1001, 'Server shutting down');
      const deadline = setTimeout(() => {
        for (const client of wsServer.clients) client.terminate();
      }, graceMs);
      try {
        // Resolves once every socket has closed (ws' server 'close' waits for its clients).
        await server.dispose();
      } finally {
        clearTimeout(deadline);
      }
    },
  };
}
