/**
 * Where a contextFor request spends its database time: publishes a generated scenario, then runs
 * sequential contextFor and searchContext requests and reports each Cypher statement's median time.
 *
 *   npx tsx bench/routing/profile.ts [--n 10000] [--requests 30]
 */
import { generateScenario } from './generate.js';
import { publishAll, registerAgents, startBenchServer } from './harness.js';

const arg = (name: string, fallback: number) => {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
};
const n = arg('n', 10_000);
const requests = arg('requests', 30);

const scenario = generateScenario({ n, seed: 7 });
const server = await startBenchServer({});
try {
  const keys = await registerAgents(server, scenario);
  await publishAll(server, scenario.contexts, {});
  const durations = new Map<string, number[]>();
  server.app.executor.onQuery(({ name, durationMs }) => {
    if (durationMs === undefined) return;
    durations.set(name, [...(durations.get(name) ?? []), durationMs]);
  });
  const totals: number[] = [];
  for (let i = 0; i < requests; i += 1) {
    const query = scenario.queries[i % scenario.queries.length];
    if (!query) break;
    const started = performance.now();
    const key = keys.get(query.agentId) ?? server.adminKey;
    const result = await server.gql(
      key,
      `query($a: ID!, $t: String!) { contextFor(agentId: $a, task: $t, budget: 4000) { tokens timings { databaseMs rankingMs packingMs totalMs } } }`,
      { a: query.agentId, t: `${query.task} #${i}` },
    );
    if (result.errors) throw new Error(JSON.stringify(result.errors));
    totals.push(performance.now() - started);
    await server.gql(key, `query($q: String!) { searchContext(query: $q, limit: 10) { score } }`, { q: `${query.task} #${i}` });
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
  console.log(`${n} contexts, ${requests} sequential requests; contextFor median ${median(totals).toFixed(1)} ms`);
  for (const [name, values] of [...durations.entries()].sort((a, b) => median(b[1]) - median(a[1]))) {
    console.log(
      `${name.padEnd(32)} n=${String(values.length).padStart(4)}  median ${median(values).toFixed(2).padStart(8)} ms  max ${Math.max(
        ...values,
      )
        .toFixed(2)
        .padStart(8)} ms`,
    );
  }
} finally {
  await server.stop();
}
