import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import express from 'express';
import { GraphQLError, parse, specifiedRules, validate, type ExecutionArgs, type GraphQLSchema, type ValidationRule } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import type { Authenticator } from '../app/auth.js';
import type { Viewer } from '../domain/types.js';
import type { Metrics } from '../observability/metrics.js';
import { createFormatError, edgeError } from './errors.js';
import { createLoaders } from './loaders.js';
import type { RequestContext, Services } from './request-context.js';

export interface HttpServerOptions {
  schema: GraphQLSchema;
  services: Services;
  authenticator: Authenticator;
  logger: Logger;
  metrics: Metrics;
  /** Resolves when the database answers; drives /readyz. */
  checkReady: () => Promise<void>;
  limits: { maxDepth: number; maxAliases: number; maxCost: number; maxTokens: number };
  introspection: boolean;
  /** Subscriptions one socket may hold at once. */
  maxSubscriptionsPerConnection?: number;
  /** How long a socket may take to send connection_init. */
  connectionInitWaitTimeoutMs?: number;
}

export interface RunningHttpServer {
  url: string;
  port: number;
  /** Stops accepting, drains HTTP requests and WebSocket connections. */
  stop(): Promise<void>;
}

interface SocketExtra extends Record<PropertyKey, unknown> {
  viewer?: Viewer;
}

/** Apollo Server (HTTP) and graphql-ws (WebSocket) on one port and path, under the same limits. */
export async function startHttpServer(options: HttpServerOptions, port: number, host: string): Promise<RunningHttpServer> {
  const { schema, services, authenticator, logger, metrics, limits } = options;
  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);

  const armor = new ApolloArmor({
    maxDepth: { n: limits.maxDepth },
    maxAliases: { n: limits.maxAliases },
    costLimit: { maxCost: limits.maxCost },
    maxDirectives: { n: 50 },
    // Apollo's own parse limit answers a clean 400; armor's token plugin would answer 500.
    maxTokens: { enabled: false },
    blockFieldSuggestion: { enabled: !options.introspection },
  });
  const protection = armor.protect();

  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql', maxPayload: 1024 * 1024 });
  const wsCleanup = useServer<Record<string, unknown> | undefined, SocketExtra>(
    {
      schema,
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
      onSubscribe: (ctx, _id, payload): ExecutionArgs | readonly GraphQLError[] => {
        const max = options.maxSubscriptionsPerConnection ?? 20;
        if (Object.keys(ctx.subscriptions).length > max) {
          return [new GraphQLError(`At most ${max} subscriptions per connection`, { extensions: { code: 'QUERY_TOO_COMPLEX' } })];
        }
        let document;
        try {
          document = parse(payload.query, { maxTokens: limits.maxTokens });
        } catch (error) {
          return [new GraphQLError((error as Error).message, { extensions: { code: 'GRAPHQL_PARSE_FAILED' } })];
        }
        // The socket path gets the same rules as HTTP: a bare useServer would skip them.
        const errors = validate(schema, document, [...specifiedRules, ...(protection.validationRules as ValidationRule[])]);
        if (errors.length > 0) return errors;
        const operations = document.definitions.filter((d) => d.kind === 'OperationDefinition');
        if (operations.some((op) => op.operation !== 'subscription')) {
          return [
            new GraphQLError('Only subscriptions are accepted over WebSocket; send queries and mutations over HTTP', {
              extensions: { code: 'BAD_REQUEST' },
            }),
          ];
        }
        const viewer = ctx.extra.viewer;
        if (!viewer) return [new GraphQLError('Not authenticated', { extensions: { code: 'UNAUTHENTICATED' } })];
        const contextValue: RequestContext = { viewer, services, loaders: createLoaders(services, viewer) };
        return {
          schema,
          document,
          variableValues: payload.variables ?? null,
          operationName: payload.operationName ?? null,
          contextValue,
        };
      },
    },
    wsServer,
  );

  const metricsPlugin: ApolloServerPlugin<RequestContext> = {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse({ operationName, errors }) {
          const operation = operationName ?? 'anonymous';
          metrics.graphqlRequests.inc({ operation, outcome: errors && errors.length > 0 ? 'error' : 'ok' });
          metrics.graphqlDuration.observe({ operation }, Number(process.hrtime.bigint() - started) / 1e9);
        },
      };
    },
  };

  const apollo = new ApolloServer<RequestContext>({
    schema,
    introspection: options.introspection,
    formatError: createFormatError(logger),
    includeStacktraceInErrorResponses: false,
    parseOptions: { maxTokens: limits.maxTokens },
    validationRules: protection.validationRules,
    allowBatchedHttpRequests: false,
    logger: {
      debug: (m) => logger.debug(m),
      info: (m) => logger.info(m),
      warn: (m) => logger.warn(m),
      error: (m) => logger.error(m),
    },
    plugins: [
      // graphql-armor is typed against Apollo's CJS build; the plugin objects are the same at run time.
      ...(protection.plugins as unknown as ApolloServerPlugin<RequestContext>[]),
      ApolloServerPluginDrainHttpServer({ httpServer }),
      metricsPlugin,
      {
        async serverWillStart() {
          return {
            async drainServer() {
              await wsCleanup.dispose();
            },
          };
        },
      },
    ],
  });
  await apollo.start();

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      await options.checkReady();
      res.json({ status: 'ready' });
    } catch {
      res.status(503).json({ status: 'unavailable', reason: 'database unreachable' });
    }
  });
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  app.use(
    '/graphql',
    express.json({ limit: '2mb' }),
    expressMiddleware(apollo, {
      context: async ({ req }): Promise<RequestContext> => {
        let viewer: Viewer;
        try {
          viewer = await authenticator.authenticate(req.headers.authorization);
        } catch (error) {
          throw edgeError(error);
        }
        return { viewer, services, loaders: createLoaders(services, viewer) };
      },
    }),
  );

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(port, host, () => resolve());
  });
  const address = httpServer.address() as AddressInfo;
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  let stopping: Promise<void> | null = null;
  return {
    port: address.port,
    url: `http://${shownHost}:${address.port}/graphql`,
    stop: () => {
      stopping ??= (async () => {
        for (const client of wsServer.clients) client.close(1001, 'Server shutting down');
        await apollo.stop();
      })();
      return stopping;
    },
  };
}

export { CloseCode };
