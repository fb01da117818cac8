import type { StoreHealth } from '../../domain/store-ports.js';
import type { Neo4jExecutor } from './executor.js';

/** Readiness: the database answers on the configured database. */
export class Neo4jStoreHealth implements StoreHealth {
  constructor(private readonly executor: Neo4jExecutor) {}

  async ping(): Promise<void> {
    await this.executor.verifyConnectivity();
  }
}
