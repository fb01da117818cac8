import type { Logger } from 'pino';
import { ConfigError, loadConfig, type Config } from './config.js';
import { startApp, type RunningApp } from './container.js';
import { createLogger } from './observability/logger.js';
import { watchParent } from './parent-watch.js';

/** Beyond the drain grace: closing the driver and stopping the embedded Neo4j (up to 30 s) and a margin. */
const HARD_EXIT_AFTER_GRACE_MS = 35_000;

/** Entry point: `npm start`. Starts the mesh, and stops it cleanly on signals, on crashes and when its parent goes. */
async function main(): Promise<void> {
  const config = loadConfigOrExit();
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
    }, config.shutdownTimeoutMs + HARD_EXIT_AFTER_GRACE_MS);
    timer.unref();
    await app?.stop();
    logger.info('stopped');
    process.exit(exitCode);
  };
  installStopHandlers(config, logger, shutdown);

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

function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

function installStopHandlers(config: Config, logger: Logger, shutdown: (reason: string, exitCode: number) => Promise<void>) {
  process.on('SIGINT', () => void shutdown('SIGINT', 0));
  process.on('SIGTERM', () => void shutdown('SIGTERM', 0));
  // Under `npm start`, a signal to npm alone reaches its shell, which dies without passing it on.
  if (config.exitWithParent) watchParent(() => void shutdown('parent process exited', 0));
  // A crash still stops the embedded Neo4j (which also exits when our stdin pipe closes).
  process.on('uncaughtException', (error) => {
    logger.fatal({ err: error }, 'uncaught exception');
    void shutdown('uncaughtException', 1);
  });
  process.on('unhandledRejection', (error) => {
    logger.fatal({ err: error }, 'unhandled rejection');
    void shutdown('unhandledRejection', 1);
  });
}

void main();
