import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import neo4j from 'neo4j-driver';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startApp } from '../../src/container.js';
import { createLogger } from '../../src/observability/logger.js';
import { startTestServer } from '../support/harness.js';

/**
 * The vector index is created with the dimensions of the embedding model. Starting with a model of
 * another size must fail (rather than mix vectors of two models), say why, and leave the index alone.
 */
describe('start-up after an embedding-size change', () => {
  const connection = inject('neo4j');
  const driver = neo4j.driver(connection.uri, connection.password ? neo4j.auth.basic(connection.user, connection.password) : undefined, {
    logging: { level: 'error', logger: () => undefined },
  });
  let dataDir: string;

  const vectorIndex = async () => {
    const session = driver.session({ database: 'neo4j' });
    try {
      const result = await session.run(
        "SHOW VECTOR INDEXES YIELD name, state, options WHERE name = 'context_embedding' RETURN state, options.indexConfig['vector.dimensions'] AS dimensions",
      );
      const record = result.records[0];
      return record ? { state: String(record.get('state')), dimensions: Number(record.get('dimensions')) } : null;
    } finally {
      await session.close();
    }
  };

  beforeAll(async () => {
    // Whatever ran before, make sure the index exists as the default model (MiniLM, 384-d) creates it.
    const server = await startTestServer();
    await server.stop();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'context-mesh-dimensions-'));
  });
  afterAll(async () => {
    await driver.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('refuses to start with USE-lite (512-d) against a 384-d index, naming both sizes, and keeps the index', async () => {
    expect(await vectorIndex()).toEqual({ state: 'ONLINE', dimensions: 384 });
    const config = loadConfig({
      NEO4J_URI: connection.uri,
      NEO4J_USER: connection.user,
      NEO4J_PASSWORD: connection.password,
      PORT: '0',
      CONTEXT_MESH_DATA_DIR: dataDir,
      CONTEXT_MESH_ADMIN_KEY: `test-admin-${randomBytes(16).toString('hex')}`,
      LOG_LEVEL: 'silent',
      EXPIRY_SWEEP_MS: '0',
      EMBEDDINGS_LOCAL_MODEL: 'use-lite',
    });

    const started = startApp(config, createLogger(config.logLevel));
    // The message names the index's size and the model's, and what to do.
    await expect(started).rejects.toThrow(/\b384 dimensions\b.*\b512\b/);
    await expect(started).rejects.toThrow(/embedding model changed/i);

    expect(await vectorIndex()).toEqual({ state: 'ONLINE', dimensions: 384 });
  }, 120_000);
});
