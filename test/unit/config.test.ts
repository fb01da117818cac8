import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('loadConfig', () => {
  it('needs nothing: embedded Neo4j, local embeddings, port 4000 on loopback', () => {
    const config = loadConfig({}, '/srv/mesh');
    expect(config).toMatchObject({
      port: 4000,
      host: '127.0.0.1',
      dataDir: '/srv/mesh/.data',
      neo4j: { mode: 'embedded', port: 0 },
      embeddings: { provider: 'local' },
    });
  });

  it('uses an external Neo4j when NEO4J_URI is set', () => {
    const config = loadConfig({ NEO4J_URI: 'neo4j+s://abc.databases.neo4j.io', NEO4J_PASSWORD: 'pw' });
    expect(config.neo4j).toMatchObject({ mode: 'external', uri: 'neo4j+s://abc.databases.neo4j.io', user: 'neo4j', password: 'pw' });
  });

  it('stops with a message naming each bad variable', () => {
    let message = '';
    try {
      loadConfig({ PORT: 'eighty', NEO4J_URI: 'http://x', CONTEXT_MESH_ADMIN_KEY: 'short', EMBEDDINGS_PROVIDER: 'openai' });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    for (const name of ['PORT', 'NEO4J_URI', 'CONTEXT_MESH_ADMIN_KEY', 'EMBEDDINGS_BASE_URL', 'EMBEDDINGS_MODEL'])
      expect(message).toContain(name);
  });

  it('exits with its parent when npm started it, unless told otherwise', () => {
    expect(loadConfig({}).exitWithParent).toBe(false);
    expect(loadConfig({ npm_lifecycle_event: 'start' }).exitWithParent).toBe(true);
    expect(loadConfig({ npm_lifecycle_event: 'start', EXIT_WITH_PARENT: 'false' }).exitWithParent).toBe(false);
    expect(loadConfig({ EXIT_WITH_PARENT: 'true' }).exitWithParent).toBe(true);
  });

  it('never echoes a secret value in its error', () => {
    try {
      loadConfig({ CONTEXT_MESH_ADMIN_KEY: 'tiny-secret' });
      throw new Error('expected ConfigError');
    } catch (error) {
      expect((error as Error).message).not.toContain('tiny-secret');
    }
  });
});
