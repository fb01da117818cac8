import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import neo4j from 'neo4j-driver';
import type { Driver } from 'neo4j-driver';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { startLocalNeo4j } from '../../src/adapters/neo4j-local/launcher.js';

const projectDir = fileURLToPath(new URL('../..', import.meta.url));
// Own label namespace so this file never touches other tests' data in a shared database.
const NS = `T_neo4jLocal_${process.pid}_${Date.now()}`;

function connect(uri: string, user: string, password: string): Driver {
  return neo4j.driver(uri, neo4j.auth.basic(user, password), { disableLosslessIntegers: true });
}

describe('provided Neo4j (global setup)', () => {
  const { uri, user, password } = inject('neo4j');
  let driver: Driver;

  beforeAll(() => {
    driver = connect(uri, user, password);
  });
  afterAll(async () => {
    await driver.executeQuery('MATCH (n:Probe {ns: $ns}) DETACH DELETE n', { ns: NS });
    await driver.close();
  });

  it('answers RETURN 1', async () => {
    const { records } = await driver.executeQuery('RETURN 1 AS one', {}, { database: 'neo4j' });
    expect(records[0]?.get('one')).toBe(1);
  });

  it('writes and reads back a node', async () => {
    await driver.executeQuery('CREATE (:Probe {ns: $ns, name: $name})', { ns: NS, name: 'hello' }, { database: 'neo4j' });
    const { records } = await driver.executeQuery('MATCH (p:Probe {ns: $ns}) RETURN p.name AS name', { ns: NS }, { database: 'neo4j' });
    expect(records.map((r) => r.get('name'))).toEqual(['hello']);
  });

  it('is Neo4j Community 5.26', async () => {
    const { records } = await driver.executeQuery('CALL dbms.components() YIELD name, versions, edition RETURN name, versions, edition');
    const kernel = records.find((r) => r.get('name') === 'Neo4j Kernel');
    expect(kernel?.get('edition')).toBe('community');
    expect((kernel?.get('versions') as string[])[0]).toMatch(/^5\.26\./);
  });
});

describe('startLocalNeo4j', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'context-mesh-neo4j-restart-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('restarts on the same data dir and keeps the data', async () => {
    const opts = { projectDir, dataDir, port: 0, heapMb: 512, pageCacheMb: 64 } as const;

    const first = await startLocalNeo4j(opts);
    try {
      expect(first.uri).toMatch(/^bolt:\/\/127\.0\.0\.1:\d+$/);
      const driver = connect(first.uri, 'neo4j', 'unused');
      try {
        await driver.executeQuery('CREATE (:Probe {ns: $ns, name: "persisted"})', { ns: NS });
      } finally {
        await driver.close();
      }
    } finally {
      await first.stop();
    }
    await first.stop(); // idempotent

    const second = await startLocalNeo4j(opts);
    try {
      const driver = connect(second.uri, 'neo4j', 'unused');
      try {
        const { records } = await driver.executeQuery('MATCH (p:Probe {ns: $ns}) RETURN p.name AS name', { ns: NS });
        expect(records.map((r) => r.get('name'))).toEqual(['persisted']);
      } finally {
        await driver.close();
      }
    } finally {
      await second.stop();
    }
  });
});
