import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import type { TestProject } from 'vitest/node';

import { startLocalNeo4j } from '../../src/adapters/neo4j-local/launcher.js';

/** Connection details handed to tests via `inject('neo4j')`. */
export interface ProvidedNeo4j {
  uri: string;
  user: string;
  password: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    neo4j: ProvidedNeo4j;
  }
}

const projectDir = fileURLToPath(new URL('../..', import.meta.url));
const log = (msg: string): void => {
  if (process.env['NEO4J_SETUP_DEBUG'] !== undefined) console.error(`[neo4j setup] ${msg}`);
};

/**
 * A container runtime counts only if it answers quickly: on machines without a Docker engine,
 * testcontainers' own discovery would otherwise spend a long time probing strategies.
 */
async function dockerAvailable(timeoutMs = 5_000): Promise<boolean> {
  const hasHint =
    (process.env['DOCKER_HOST'] ?? '') !== '' ||
    existsSync('/var/run/docker.sock') ||
    existsSync(path.join(os.homedir(), '.docker', 'run', 'docker.sock'));
  if (!hasHint) return false;
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
    });
    try {
      await Promise.race([getContainerRuntimeClient(), timeout]);
    } finally {
      clearTimeout(timer);
    }
    return true;
  } catch {
    return false;
  }
}

/**
 * Finds a real Neo4j for the test run, in order: `NEO4J_URI` (+ `NEO4J_USER`/`NEO4J_PASSWORD`),
 * a testcontainers `neo4j:5.26-community` when a Docker engine answers, else the embedded
 * `neo4j-local` JVM on a fresh temp data dir. Returns the teardown that undoes what it started.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const envUri = process.env['NEO4J_URI'];
  if (envUri !== undefined && envUri !== '') {
    log(`using NEO4J_URI=${envUri}`);
    project.provide('neo4j', {
      uri: envUri,
      user: process.env['NEO4J_USER'] ?? 'neo4j',
      password: process.env['NEO4J_PASSWORD'] ?? '',
    });
    return async () => {};
  }

  if (await dockerAvailable()) {
    const { Neo4jContainer } = await import('@testcontainers/neo4j');
    log('starting testcontainers neo4j:5.26-community');
    const container = await new Neo4jContainer('neo4j:5.26-community').withPassword('test-password').start();
    project.provide('neo4j', {
      uri: container.getBoltUri(),
      user: container.getUsername(),
      password: container.getPassword(),
    });
    return async () => {
      await container.stop();
    };
  }

  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'context-mesh-neo4j-'));
  try {
    const server = await startLocalNeo4j({ projectDir, dataDir, port: 0, heapMb: 1024, pageCacheMb: 256, log });
    // Embedded server runs with auth disabled: any credentials are accepted.
    project.provide('neo4j', { uri: server.uri, user: 'neo4j', password: 'neo4j-local' });
    return async () => {
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    };
  } catch (err) {
    await rm(dataDir, { recursive: true, force: true });
    throw err;
  }
}
