import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, expect } from 'vitest';

/**
 * Runs in every test worker (vitest `setupFiles`). Two guarantees:
 *
 * - the tests run in UTC (vitest.config.ts pins TZ; this fails loudly if a runner overrides it);
 * - console output from code under test fails the test that caused it, so warnings cannot slip by.
 *   Lines written by a test file itself (measurements a test prints on purpose) are let through:
 *   the caller is told apart by the first stack frame outside this file.
 *
 * Output outside any test (in beforeAll/afterAll) fails the file's afterAll hook.
 */

const METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
type Method = (typeof METHODS)[number];

/** Where tests may print from on purpose: test code, not the code under test. */
const TEST_DIR = fileURLToPath(new URL('..', import.meta.url));
const THIS_FILE = fileURLToPath(import.meta.url);

/**
 * Known output we accept, each with the reason. Keep it short: prefer fixing the source.
 * A pattern is matched against the formatted message.
 */
const ALLOWED: readonly { pattern: RegExp; reason: string }[] = [];

/** Installed once per worker process: setup files re-run for every test file of a reused worker. */
const GUARD = Symbol.for('context-mesh.console-guard');
const globals = globalThis as typeof globalThis & { [GUARD]?: string[] };
const installed = globals[GUARD] !== undefined;
const unexpected: string[] = (globals[GUARD] ??= []);

function callerFile(stack: string | undefined): string | null {
  for (const line of (stack ?? '').split('\n').slice(1)) {
    const match = /\((?:file:\/\/)?([^():]+):\d+:\d+\)$/.exec(line) ?? /at (?:file:\/\/)?([^():\s]+):\d+:\d+$/.exec(line);
    const file = match?.[1];
    if (file === undefined || file === THIS_FILE || file.startsWith('node:')) continue;
    return path.resolve(file);
  }
  return null;
}

const format = (args: unknown[]) =>
  args.map((arg) => (typeof arg === 'string' ? arg : arg instanceof Error ? (arg.stack ?? arg.message) : safeJson(arg))).join(' ');

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function guard(method: Method): void {
  if ((console[method] as { [GUARD]?: true })[GUARD]) return;
  const original = console[method].bind(console);
  const guarded = (...args: unknown[]) => {
    original(...args);
    const caller = callerFile(new Error().stack);
    const fromTestCode = caller !== null && caller.startsWith(TEST_DIR) && !caller.includes(`${path.sep}node_modules${path.sep}`);
    if (fromTestCode) return;
    const message = format(args);
    if (ALLOWED.some((entry) => entry.pattern.test(message))) return;
    unexpected.push(`console.${method} from ${caller ?? 'unknown'}: ${message.slice(0, 500)}`);
  };
  console[method] = Object.assign(guarded, { [GUARD]: true as const });
}

for (const method of METHODS) guard(method);
if (!installed) {
  // Node's own warnings (deprecations, MaxListenersExceeded, …) count as unexpected output too.
  process.on('warning', (warning) => {
    if (ALLOWED.some((entry) => entry.pattern.test(warning.message))) return;
    unexpected.push(`process warning ${warning.name}: ${warning.message}`);
  });
}

const failOnOutput = (where: string) => {
  if (unexpected.length === 0) return;
  const lines = unexpected.splice(0);
  expect.fail(
    `unexpected console output ${where} (fix it, or allow it with a reason in test/setup/console-guard.ts):\n${lines.join('\n')}`,
  );
};

afterEach(() => failOnOutput('during this test'));
afterAll(() => failOnOutput('outside a test (hooks or background work)'));

if (new Date(0).getTimezoneOffset() !== 0 || Intl.DateTimeFormat().resolvedOptions().timeZone !== 'UTC') {
  throw new Error(`tests must run with TZ=UTC (got ${process.env['TZ'] ?? 'unset'}); see vitest.config.ts`);
}
