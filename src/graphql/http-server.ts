import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import express from 'express';
import type { GraphQLSchema, ValidationRule } from 'graphql';
import type { Logger } from 'pino';
import type { Authenticator } from '../app/auth.js';
import type { Viewer } from '../domain/types.js';
import type { Metrics } from '../observability/metrics.js';
import { createFormatError, edgeError } from './errors.js';
import { healthRoutes } from './health-routes.js';
import { metricsPlugin } from './metrics-plugin.js';
import { createRequestContext, type RequestContext, type Services } from './request-context.js';
import { attachSocketServer, type SocketServer } from './websocket-server.js';

export interface HttpServerOptions {
  schema: GraphQLSchema;
  services: Services;
  authenticator: Authenticator;
  logger: Logger;
  metrics: Metrics;
  /** Resolves when the database answers; drives /readyz. */
  checkReady: () => Promise<void>;
  limits: Limits;
  introspection: boolean;
  /** Subscriptions one socket may hold at once. Default 20. */
  maxSubscriptionsPerConnection?: number;
  /** How long a socket may take to send connection_init. Default 5000 ms. */
  connectionInitWaitTimeoutMs?: number;
  /**
   * How long `stop` lets in-flight HTTP requests finish and sockets close before it cuts them off.
   * Default 10000 ms (SHUTDOWN_TIMEOUT_MS).
   */
  shutdownGraceMs?: number;
}

export interface RunningHttpServer {
  url: string;
  port: number;
  /** Stops accepting, drains HTTP requests and WebSocket connections. */
  stop(): Promise<void>;
}

type Limits = { maxDepth: number; maxAliases: number; maxCost: number; maxTokens: number };
/** graphql-armor's protection, typed as Apollo's ESM build sees it. */
type Protection = { plugins: ApolloServerPlugin<RequestContext>[]; validationRules: ValidationRule[] };

const MAX_BODY = '2mb';
const DEFAULT_SHUTDOWN_GRACE_MS = 10_000;

/** Apollo Server (HTTP) and graphql-ws (WebSocket) on one port and path, under the same limits. */
export async function startHttpServer(options: HttpServerOptions, port: number, host: string): Promise<RunningHttpServer> {
  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);
  const protection = armorProtection(options.limits, options.introspection);
  const sockets = attachSocketServer(httpServer, {
    ...options,
    validationRules: protection.validationRules,
    maxTokens: options.limits.maxTokens,
    maxSubscriptions: options.maxSubscriptionsPerConnection ?? 20,
  });
  const apollo = createApollo(options, httpServer, protection, sockets);
  await apollo.start();

  app.use(healthRoutes(options));
  app.use('/graphql', express.json({ limit: MAX_BODY }), expressMiddleware(apollo, { context: httpContext(options) }));
  await listen(httpServer, port, host);

  const { port: boundPort } = httpServer.address() as AddressInfo;
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  let stopping: Promise<void> | null = null;
  return {
    port: boundPort,
    url: `http://${shownHost}:${boundPort}/graphql`,
    stop: () => (stopping ??= apollo.stop()),
  };
}

function armorProtection(limits: Limits, introspection: boolean): Protection {
  const armor = new ApolloArmor({
    maxDepth: { n: limits.maxDepth },
    maxAliases: { n: limits.maxAliases },
    costLimit: { maxCost: limits.maxCost },
    maxDirectives: { n: 50 },
    // Apollo's own parse limit answers a clean 400; armor's token plugin would answer 500.
    maxTokens: { enabled: false },
    blockFieldSuggestion: { enabled: !introspection },
  });
  // graphql-armor is typed against Apollo's CJS build; the plugin objects are the same at run time.
  return armor.protect() as unknown as Protection;
}

function createApollo(options: HttpServerOptions, httpServer: http.Server, protection: Protection, sockets: SocketServer) {
  const { logger } = options;
  const stopGracePeriodMillis = options.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS;
  const drainSockets: ApolloServerPlugin<RequestContext> = {
    async serverWillStart() {
      return { drainServer: () => sockets.drain(stopGracePeriodMillis) };
    },
  };
  return new ApolloServer<RequestContext>({
    schema: options.schema,
    introspection: options.introspection,
    formatError: createFormatError(logger),
    includeStacktraceInErrorResponses: false,
    parseOptions: { maxTokens: options.limits.maxTokens },
    validationRules: protection.validationRules,
    allowBatchedHttpRequests: false,
    logger: {
      debug: (m) => logger.debug(m),
      info: (m) => logger.info(m),
      warn: (m) => logger.warn(m),
      error: (m) => logger.error(m),
    },
    plugins: [
      ...protection.plugins,
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis }),
      metricsPlugin(options.metrics),
      drainSockets,
    ],
  });
}

/** The per-request context of an HTTP request: its bearer key decides the viewer. */
function httpContext({ authenticator, services }: HttpServerOptions) {
  return async ({ req }: { req: express.Request }): Promise<RequestContext> => {
    let viewer: Viewer;
    try {
      viewer = await authenticator.authenticate(req.headers.authorization);
    } catch (error) {
      throw edgeError(error);
    }
    return createRequestContext(viewer, services);
  };
}

function listen(httpServer: http.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(port, host, () => resolve());
  });
}
