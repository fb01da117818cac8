/**
 * Batched publish throughput (issue 11): `publishContexts` in batches, with vectors the client supplies
 * (`PublishContextInput.embedding`, random unit vectors of the model's dimension) and with the service's local model.
 * Sequential batches from one client, then `--clients` concurrent clients.
 *
 *   npx tsx bench/routing/publish-rate.ts [--contexts 5000] [--batch 200] [--clients 1,4] [--out bench/routing/results-publish-rate.json]
 *
 * Starts its own embedded Neo4j and app (harness.ts) on temp folders. A batch of 200 with 384-number vectors is
 * ~1.6 MB of JSON, under the 2 MB request limit.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createRng, parseArgs } from './generate.js';
import { startBenchServer, stopOnSignal, type BenchServer } from './harness.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = parseArgs(process.argv.slice(2));
const total = Number(args['contexts'] ?? 5000);
const batchSize = Number(args['batch'] ?? 200);
const clientCounts = (args['clients'] ?? '1,4').split(',').map(Number);
const outFile = args['out'] ?? path.join(here, 'results-publish-rate.json');
const log = (message: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`);
const random = createRng(7).next;

const PUBLISH_MANY = `mutation($inputs: [PublishContextInput!]!) { publishContexts(inputs: $inputs) { id } }`;
const REGISTER = `mutation($input: RegisterAgentInput!) { registerAgent(input: $input) { apiKey } }`;

function unitVector(dimensions: number): number[] {
  const v = Array.from({ length: dimensions }, () => random() * 2 - 1);
  const norm = Math.hypot(...v);
  return v.map((x) => Math.round((x / norm) * 1e6) / 1e6);
}

/** Publishes `total` contexts in batches from `clients` concurrent clients; contexts per second of wall time. */
async function rate(server: BenchServer, keys: string[], label: string, dimensions: number | null): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    keys.map(async (key) => {
      for (;;) {
        const start = next;
        if (start >= total) return;
        next += batchSize;
        const inputs = Array.from({ length: Math.min(batchSize, total - start) }, (_, i) => ({
          type: 'FINDING',
          text: `${label} finding ${start + i}: the supplier in Milan shipped batch ${Math.floor(random() * 1e6)}`,
          tags: ['supply'],
          ...(dimensions === null ? {} : { embedding: unitVector(dimensions) }),
        }));
        await server.call(key, PUBLISH_MANY, { inputs });
      }
    }),
  );
  return Math.round(total / ((performance.now() - started) / 1000));
}

/** Seconds spent per statement so far, from the service's own histogram (context_mesh_db_statement_duration_seconds). */
async function statementSeconds(server: BenchServer): Promise<Map<string, number>> {
  const text = await (await fetch(new URL('/metrics', server.url))).text();
  const sums = new Map<string, number>();
  for (const match of text.matchAll(/^context_mesh_db_statement_duration_seconds_sum\{statement="([^"]+)"\} (\S+)$/gm))
    sums.set(match[1] ?? '', Number(match[2]));
  return sums;
}

/** Where the database time of one run went: the five statements that took the most, in seconds. */
function topStatements(before: Map<string, number>, after: Map<string, number>): Record<string, number> {
  const spent = [...after].map(([name, sum]) => [name, Math.round((sum - (before.get(name) ?? 0)) * 100) / 100] as const);
  return Object.fromEntries(spent.sort((a, b) => b[1] - a[1]).slice(0, 5));
}

async function main() {
  const server = await startBenchServer({ log, env: { LOG_LEVEL: 'warn' } });
  stopOnSignal(() => server.stop());
  try {
    const { embeddingModel } = await server.call<{ embeddingModel: { id: string; dimensions: number } }>(
      server.adminKey,
      `{ embeddingModel { id dimensions } }`,
    );
    const keys: string[] = [];
    for (let i = 0; i < Math.max(...clientCounts); i += 1) {
      keys.push(
        (
          await server.call<{ registerAgent: { apiKey: string } }>(server.adminKey, REGISTER, {
            input: { id: `publisher-${i}`, name: `p${i}` },
          })
        ).registerAgent.apiKey,
      );
    }
    const rows: Record<string, unknown>[] = [];
    for (const clients of clientCounts) {
      const t0 = await statementSeconds(server);
      const supplied = await rate(server, keys.slice(0, clients), `supplied-${clients}`, embeddingModel.dimensions);
      const t1 = await statementSeconds(server);
      const local = await rate(server, keys.slice(0, clients), `local-${clients}`, null);
      const t2 = await statementSeconds(server);
      const row = {
        clients,
        batch: batchSize,
        contexts: total,
        suppliedVectorsPerSecond: supplied,
        localModelPerSecond: local,
        databaseSeconds: { supplied: topStatements(t0, t1), local: topStatements(t1, t2) },
      };
      log(JSON.stringify(row));
      rows.push(row);
    }
    const report = {
      bench: 'routing/publish-rate',
      machine: { cpus: os.cpus().length, node: process.version },
      model: embeddingModel,
      rows,
    };
    writeFileSync(outFile, `${JSON.stringify(report, null, 2)}\n`);
    console.log(JSON.stringify(report));
  } finally {
    await server.stop();
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
