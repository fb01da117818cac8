import neo4j, { Neo4jError, type Driver, type ManagedTransaction } from 'neo4j-driver';
import { DatabaseUnavailableError, DomainError } from '../../domain/errors.js';

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
}

/**
 * Owns the driver: explicit database, transaction functions (the driver retries
 * transient failures, so writes must be idempotent), plain-value rows, and driver
 * errors turned into domain errors. Counts every statement sent, so tests and
 * metrics can see database round trips.
 */
export class Neo4jExecutor {
  private readonly listeners = new Set<(event: QueryEvent) => void>();

  private constructor(
    private readonly driver: Driver,
    readonly database: string,
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
    return new Neo4jExecutor(driver, connection.database);
  }

  /** Subscribes to every statement sent; returns the unsubscribe function. */
  onQuery(listener: (event: QueryEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
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

  /** One statement in an auto-routed read transaction. */
  async readOne(statement: Statement, params: Record<string, unknown> = {}): Promise<Row[]> {
    return this.read((tx) => tx.run(statement, params));
  }

  async read<T>(work: (tx: TxRunner) => Promise<T>): Promise<T> {
    return this.transaction('READ', work);
  }

  /**
   * A write transaction. `work` may run several statements; throwing (a DomainError
   * for a broken rule) rolls everything back. The driver may call `work` again after a
   * transient failure, so it must not have side effects outside the transaction.
   */
  async write<T>(work: (tx: TxRunner) => Promise<T>): Promise<T> {
    return this.transaction('WRITE', work);
  }

  async close(): Promise<void> {
    await this.driver.close();
  }

  private async transaction<T>(mode: 'READ' | 'WRITE', work: (tx: TxRunner) => Promise<T>): Promise<T> {
    const session = this.driver.session({
      database: this.database,
      defaultAccessMode: mode === 'READ' ? neo4j.session.READ : neo4j.session.WRITE,
    });
    try {
      const fn = (tx: ManagedTransaction) => work(this.runner(tx, mode));
      return mode === 'READ' ? await session.executeRead(fn) : await session.executeWrite(fn);
    } catch (error) {
      throw translateError(error);
    } finally {
      await session.close();
    }
  }

  private runner(tx: ManagedTransaction, mode: 'READ' | 'WRITE'): TxRunner {
    return {
      run: async (statement, params = {}) => {
        const started = performance.now();
        const result = await tx.run(statement.cypher, params);
        const rows = result.records.map((record) => record.toObject() as Row);
        const durationMs = performance.now() - started;
        for (const listener of this.listeners) listener({ name: statement.name, mode, durationMs });
        return rows;
      },
    };
  }
}

const UNAVAILABLE_CODES = new Set(['ServiceUnavailable', 'SessionExpired']);

/** Domain errors pass through; connectivity failures become DATABASE_UNAVAILABLE; the rest stay internal. */
export function translateError(error: unknown): unknown {
  if (error instanceof DomainError) return error;
  if (error instanceof Neo4jError && UNAVAILABLE_CODES.has(error.code)) {
    return new DatabaseUnavailableError('The database is unavailable; retry later');
  }
  return error;
}

/** Integers must cross Bolt as Neo4j integers, not floats (LIMIT, SKIP, counters, versions). */
export const int = (value: number) => neo4j.int(value);
