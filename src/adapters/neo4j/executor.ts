import neo4j, { Neo4jError, type Driver, type ManagedTransaction } from 'neo4j-driver';
import { AlreadyExistsError, DatabaseUnavailableError, DomainError } from '../../domain/errors.js';

/** A row as plain JS values (integers as numbers: the driver runs with `disableLosslessIntegers`). */
export type Row = Record<string, unknown>;

/** Named, parameterised statement: every Cypher string in the store goes through one of these. */
export interface Statement {
  readonly name: string;
  readonly cypher: string;
}

export interface QueryEvent {
  name: string;
  mode: 'READ' | 'WRITE';
  /** Time from sending the statement to having all its rows (ms); absent when it failed. */
  durationMs?: number;
}

/** Runs statements inside one transaction (see `Neo4jExecutor.write` / `read`). */
export interface TxRunner {
  run(statement: Statement, params?: Record<string, unknown>): Promise<Row[]>;
}

export interface Neo4jConnection {
  uri: string;
  user: string;
  password: string;
  database: string;
  /** Retry window for transient failures; the driver's default is 30 s. */
  maxRetryMs?: number;
  /** Longest one transaction may run before the server aborts it (ms). Default 30 000. */
  txTimeoutMs?: number;
}

export interface TxOptions {
  /** Overrides the connection's transaction timeout (ms), for work known to be slow (schema migrations). */
  timeoutMs?: number;
}

type Work<T> = (tx: TxRunner) => Promise<T>;

/**
 * Completes a statement's parameters before it is sent, inside the same transaction (`run` sends without the hook):
 * how the viewer's scope reaches every statement that names a `viewerId` (see agent-scopes.ts).
 */
export type ParamsHook = (
  params: Record<string, unknown>,
  run: (statement: Statement, params: Record<string, unknown>) => Promise<Row[]>,
) => Promise<Record<string, unknown>>;

/**
 * Owns the driver: explicit database, transaction functions (the driver retries
 * transient failures, so writes must be idempotent), plain-value rows, and driver
 * errors turned into domain errors. Counts every statement sent, so tests and
 * metrics can see database round trips.
 */
export class Neo4jExecutor {
  private readonly listeners = new Set<(event: QueryEvent) => void>();
  private paramsHook: ParamsHook | null = null;

  private constructor(
    private readonly driver: Driver,
    readonly database: string,
    private readonly txTimeoutMs: number,
  ) {}

  static create(connection: Neo4jConnection): Neo4jExecutor {
    const auth = connection.password ? neo4j.auth.basic(connection.user, connection.password) : undefined;
    const driver = neo4j.driver(connection.uri, auth, {
      disableLosslessIntegers: true,
      maxConnectionPoolSize: 50,
      connectionAcquisitionTimeout: 20_000,
      maxTransactionRetryTime: connection.maxRetryMs ?? 30_000,
      // Our own pino logger reports failures; the driver's console logging would be noise.
      logging: { level: 'error', logger: () => undefined },
    });
    return new Neo4jExecutor(driver, connection.database, connection.txTimeoutMs ?? 30_000);
  }

  /** Subscribes to every statement sent; returns the unsubscribe function. */
  onQuery(listener: (event: QueryEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Installs the one parameter hook (the viewer's scope); statements sent after this go through it. */
  useParamsHook(hook: ParamsHook): void {
    this.paramsHook = hook;
  }

  async verifyConnectivity(): Promise<void> {
    try {
      await this.driver.verifyConnectivity({ database: this.database });
    } catch (error) {
      throw translateError(error);
    }
  }

  /** Waits until the server answers, polling; used at start-up right after launching a server. */
  async waitUntilReachable(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        await this.driver.verifyConnectivity({ database: this.database });
        return;
      } catch (error) {
        if (Date.now() > deadline) throw translateError(error);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  }

  /** One statement in a read transaction named after it. */
  async readOne(statement: Statement, params: Record<string, unknown> = {}): Promise<Row[]> {
    return this.read(statement.name, (tx) => tx.run(statement, params));
  }

  /** A read transaction; `name` (the operation) travels as transaction metadata, visible in `SHOW TRANSACTIONS` and query logs. */
  async read<T>(name: string, work: Work<T>, options: TxOptions = {}): Promise<T> {
    return this.transaction('READ', name, work, options);
  }

  /**
   * A write transaction, named like `read`. `work` may run several statements; throwing (a DomainError
   * for a broken rule) rolls everything back. The driver may call `work` again after a
   * transient failure, so it must not have side effects outside the transaction.
   */
  async write<T>(name: string, work: Work<T>, options: TxOptions = {}): Promise<T> {
    return this.transaction('WRITE', name, work, options);
  }

  async close(): Promise<void> {
    await this.driver.close();
  }

  private async transaction<T>(mode: 'READ' | 'WRITE', name: string, work: Work<T>, options: TxOptions): Promise<T> {
    const session = this.driver.session({
      database: this.database,
      defaultAccessMode: mode === 'READ' ? neo4j.session.READ : neo4j.session.WRITE,
    });
    const config = { metadata: { operation: name }, timeout: options.timeoutMs ?? this.txTimeoutMs };
    try {
      const fn = (tx: ManagedTransaction) => work(this.runner(tx, mode));
      return mode === 'READ' ? await session.executeRead(fn, config) : await session.executeWrite(fn, config);
    } catch (error) {
      throw translateError(error);
    } finally {
      await session.close();
    }
  }

  private runner(tx: ManagedTransaction, mode: 'READ' | 'WRITE'): TxRunner {
    const send = async (statement: Statement, params: Record<string, unknown>) => {
      const started = performance.now();
      const result = await tx.run(statement.cypher, params);
      const rows = result.records.map((record) => record.toObject() as Row);
      const durationMs = performance.now() - started;
      for (const listener of this.listeners) listener({ name: statement.name, mode, durationMs });
      return rows;
    };
    return {
      run: async (statement, params = {}) => send(statement, this.paramsHook ? await this.paramsHook(params, send) : params),
    };
  }
}

const UNAVAILABLE_CODES = new Set(['ServiceUnavailable', 'SessionExpired']);
const CONSTRAINT_FAILED = 'Neo.ClientError.Schema.ConstraintValidationFailed';

/**
 * The one place driver errors become domain errors. Domain errors pass through; connectivity failures
 * become DATABASE_UNAVAILABLE; a unique-id clash (a concurrent write of the same id won the race)
 * becomes ALREADY_EXISTS naming that id; the rest stay internal.
 */
export function translateError(error: unknown): unknown {
  if (error instanceof DomainError) return error;
  if (!(error instanceof Neo4jError)) return error;
  if (UNAVAILABLE_CODES.has(error.code)) return new DatabaseUnavailableError('The database is unavailable; retry later');
  if (error.code === CONSTRAINT_FAILED) return idClash(error.message) ?? error;
  return error;
}

const ID_KINDS = new Set(['Context', 'Agent']);

/**
 * Reads the clashing node from Neo4j's message, e.g. "Node(12) already exists with label `Context` and
 * property `id` = 'x'". Only our id constraints count (not, say, the API-key hash's); when the value
 * cannot be read, the error still says which kind clashed, without ids.
 */
function idClash(message: string): AlreadyExistsError | null {
  const label = /with label `(\w+)`/.exec(message)?.[1];
  if (label === undefined || !ID_KINDS.has(label)) return null;
  const property = /property `(\w+)` = (?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")?/.exec(message);
  if (property && property[1] !== 'id') return null;
  const value = property?.[2] ?? property?.[3];
  return new AlreadyExistsError(label as 'Context' | 'Agent', value === undefined ? [] : [value]);
}

/** Integers must cross Bolt as Neo4j integers, not floats (LIMIT, SKIP, counters, versions). */
export const int = (value: number) => neo4j.int(value);
