import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Finds or starts a real Neo4j once per run (NEO4J_URI, testcontainers, or embedded neo4j-local).
    globalSetup: ['test/setup/neo4j.global.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
