import { defineConfig } from 'vitest/config';

// Unit tests are pure and need no database; integration and e2e tests share one real
// Neo4j found or started by the global setup (NEO4J_URI, testcontainers, or embedded).
export default defineConfig({
  resolve: {
    // Vite would load graphql's .mjs build for our sources while externalised packages
    // (Apollo, graphql-ws) load its CommonJS main: two copies of graphql, "another realm".
    // Node itself resolves both to the main entry, so tests use that too.
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          testTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          globalSetup: ['test/setup/neo4j.global.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
