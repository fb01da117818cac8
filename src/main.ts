import { ConfigError, loadConfig } from './config.js';
import { startApp, type RunningApp } from './container.js';
import { createLogger } from './observability/logger.js';

/** Entry point: `npm start`. Starts the mesh, and stops it cleanly on signals and on crashes. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  const started = Date.now();
  let app: RunningApp | null = null;
  let stopping = false;

  const shutdown = async (reason: string, exitCode: number) => {
    if (stopping) return;
    stopping = true;
    logger.info({ reason }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error('shutdown timed out; exiting');
      process.exit(exitCode || 1);
    }, config.shutdownTimeoutMs + 35_000);
    timer.unref();
    await app?.stop();
    logger.info('stopped');
    process.exit(exitCode);
  };
  process.on('SIGINT', () => void shutdown('SIGINT', 0));
  process.on('SIGTERM', () => void shutdown('SIGTERM', 0));
  // A crash still stops the embedded Neo4j (which also exits when our stdin pipe closes).
  process.on('uncaughtException', (error) => {
    logger.fatal({ err: error }, 'uncaught exception');
    void shutdown('uncaughtException', 1);
  });
  process.on('unhandledRejection', (error) => {
    logger.fatal({ err: error }, 'unhandled rejection');
    void shutdown('unhandledRejection', 1);
  });

  try {
    app = await startApp(config, logger);
  } catch (error) {
    logger.fatal({ err: error }, 'start-up failed');
    process.exit(1);
  }
  if (stopping) {
    await app.stop();
    return;
  }
  logger.info(
    {
      url: app.url,
      neo4j: app.neo4jUri,
      startupMs: Date.now() - started,
      ...(app.adminKeyFile ? { adminKeyFile: app.adminKeyFile } : {}),
    },
    `Context Mesh ready at ${app.url}`,
  );
}

void main();
