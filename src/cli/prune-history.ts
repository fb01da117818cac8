import { pathToFileURL } from 'node:url';
import { pino } from 'pino';
import type { PruneRequest } from '../app/history/retention.js';
import { ConfigError, loadConfig } from '../config.js';
import { openRetention } from '../container.js';
import { DomainError } from '../domain/errors.js';
import { createLogger } from '../observability/logger.js';

/**
 * `npm run history:prune -- --older-than 30d --keep-last 5 [--packages-older-than 90d] [--dry-run]`: one retention
 * pass (src/app/history/retention.ts) against the configured Neo4j (NEO4J_URI etc., or the embedded one on the data
 * folder — stop the service first, or call the `pruneHistory` mutation instead). Prints the report as JSON on
 * stdout; logs go to stderr. Exit codes: 0 done, 2 bad arguments (BAD_USER_INPUT), 1 anything else.
 */

export const USAGE = `Usage: npm run history:prune -- [--older-than <age|date-time>] [--keep-last <n>] [--packages-older-than <age|date-time>] [--dry-run]
  --older-than            prune versions that stopped being current before this (30d, 12h, 90m, 2w, or ISO-8601)
  --keep-last             keep at least the newest n versions of every context
  --packages-older-than   also delete recorded packages older than this that no decision was made from
  --dry-run               count what would be deleted; write nothing
At least one of --older-than / --keep-last is required.`;

export class UsageError extends Error {}

export interface PruneArgs extends PruneRequest {
  help: boolean;
}

const VALUE_FLAGS = { '--older-than': 'olderThan', '--keep-last': 'keepLast', '--packages-older-than': 'packagesOlderThan' } as const;

/** Parses the command line (after `--`); values are validated by the service, like the mutation's arguments. */
export function parsePruneArgs(argv: readonly string[]): PruneArgs {
  const args: PruneArgs = { help: false, dryRun: false };
  for (let i = 0; i < argv.length; i += 1) {
    const [flag, inline] = (argv[i] as string).split(/=(.*)/s, 2) as [string, string | undefined];
    if (flag === '--help' || flag === '-h') args.help = true;
    else if (flag === '--dry-run') args.dryRun = true;
    else if (flag in VALUE_FLAGS) {
      const value = inline ?? argv[(i += 1)];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`${flag} needs a value`);
      const key = VALUE_FLAGS[flag as keyof typeof VALUE_FLAGS];
      args[key] = key === 'keepLast' && /^\d+$/.test(value) ? Number(value) : value;
    } else throw new UsageError(`unknown argument: ${flag}`);
  }
  return args;
}

/** Runs one pass; returns the exit code. */
export async function runPruneCommand(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let args: PruneArgs;
  try {
    args = parsePruneArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const config = loadConfig(env);
  const logger = createLogger(config.logLevel, pino.destination({ fd: 2, sync: true }));
  const { retention, stop } = await openRetention(config, logger);
  try {
    const { help: _help, ...request } = args;
    const report = await retention.prune({ kind: 'admin' }, request, 'cli');
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    process.stderr.write(`${error.code}: ${error.message}\n`);
    return error.code === 'BAD_USER_INPUT' ? 2 : 1;
  } finally {
    await stop();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runPruneCommand(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${error instanceof ConfigError ? error.message : String((error as Error)?.stack ?? error)}\n`);
      process.exit(1);
    },
  );
}
