import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exited, gqlAt, startServiceProcess } from '../support/service-process.js';

/**
 * The service as users run it (`npm start`): no configuration, embedded Neo4j, data under
 * the data folder. Proves start-up, clean shutdown, restart durability and crash cleanup.
 */
function childEnv(dataDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CONTEXT_MESH_DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'info' };
  // This test is about the zero-configuration path: never inherit a test-run database.
  delete env['NEO4J_URI'];
  delete env['CONTEXT_MESH_ADMIN_KEY'];
  return env;
}

const startService = (dataDir: string) => startServiceProcess(childEnv(dataDir));

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The embedded Neo4j of a data folder: the java process running neo4j-local.jar on it (found via /proc). */
async function neo4jPid(dataDir: string): Promise<number> {
  const { readdir } = await import('node:fs/promises');
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = (await readFile(`/proc/${entry}/cmdline`, 'utf8')).split('\0');
      if (cmdline.some((arg) => arg.endsWith('neo4j-local.jar')) && cmdline.some((arg) => arg.startsWith(dataDir))) return Number(entry);
    } catch {
      // the process ended while we looked
    }
  }
  return 0;
}

const gql = (url: string, key: string, query: string, variables?: Record<string, unknown>) =>
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response shapes vary per query
  gqlAt<Record<string, any>>(url, key, query, variables);

describe('npm start with no configuration', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'context-mesh-process-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('serves /graphql on an embedded Neo4j, keeps data across a restart, and cleans up after a crash', async () => {
    // First start: generates the admin key and the store.
    const first = await startService(dataDir);
    const adminKey = (await readFile(path.join(dataDir, 'admin-key'), 'utf8')).trim();
    expect(first.output.join('')).not.toContain(adminKey);
    const health = await fetch(first.url.replace('/graphql', '/readyz'));
    expect(health.status).toBe(200);

    const registered = await gql(
      first.url,
      adminKey,
      'mutation { registerAgent(input: { id: "proc-researcher", name: "Researcher" }) { apiKey } }',
    );
    const agentKey = registered.data?.['registerAgent']?.apiKey as string;
    expect(agentKey).toMatch(/^cm_/);
    const published = await gql(
      first.url,
      agentKey,
      `mutation { a: publishContext(input: { id: "proc-a", type: FINDING, text: "Regulation X takes effect in March" }) { id }
                  b: publishContext(input: { id: "proc-b", type: OUTPUT, text: "Plan adjusted for regulation X", dependencies: ["proc-a"] }) { id } }`,
    );
    expect(published.errors).toBeUndefined();

    // Clean shutdown: exit code 0 and the embedded Neo4j goes with it.
    const firstNeo4j = await neo4jPid(dataDir);
    expect(firstNeo4j).toBeGreaterThan(0);
    first.child.kill('SIGTERM');
    expect(await exited(first.child)).toBe(0);
    expect(isAlive(firstNeo4j)).toBe(false);

    // Restart on the same data folder: same admin key, same agent key, same graph.
    const second = await startService(dataDir);
    const readBack = await gql(second.url, agentKey, '{ context(id: "proc-b") { text dependencies { id text } } }');
    expect(readBack.data?.['context']).toEqual({
      text: 'Plan adjusted for regulation X',
      dependencies: [{ id: 'proc-a', text: 'Regulation X takes effect in March' }],
    });

    // An acknowledged write survives a crash of the service, and the crash does not leave Neo4j behind.
    const acknowledged = await gql(
      second.url,
      agentKey,
      'mutation { publishContext(input: { id: "proc-c", type: FINDING, text: "Written just before a crash" }) { id } }',
    );
    expect(acknowledged.data?.['publishContext']).toEqual({ id: 'proc-c' });
    const secondNeo4j = await neo4jPid(dataDir);
    second.child.kill('SIGKILL');
    await exited(second.child);
    const deadline = Date.now() + 60_000;
    while (isAlive(secondNeo4j) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(isAlive(secondNeo4j)).toBe(false);

    const third = await startService(dataDir);
    try {
      const afterCrash = await gql(third.url, agentKey, '{ context(id: "proc-c") { id text } }');
      expect(afterCrash.data?.['context']).toEqual({ id: 'proc-c', text: 'Written just before a crash' });
    } finally {
      third.child.kill('SIGTERM');
      await exited(third.child);
    }
  }, 400_000);
});
