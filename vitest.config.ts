import { defineConfig } from 'vitest/config';

// Dates must not depend on the machine: pin UTC before any worker starts (workers inherit the
// environment), and again through `test.env` for runners that start workers differently.
process.env['TZ'] = 'UTC';

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
    env: { TZ: 'UTC' },
    // Fails a test on console output from the code under test (and checks the time zone).
    setupFiles: ['test/setup/console-guard.ts'],
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
