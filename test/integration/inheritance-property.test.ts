import fc from 'fast-check';
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type GraphQLResponse, type TestServer } from '../support/harness.js';
import { Collector, connectClient, subscribeTo } from '../support/ws-collector.js';
import {
  inheritsFromRootModel,
  isolationSparesPublicModel,
  visibilityModel,
  type Agents,
  type ModelAgent,
  type ModelContext,
  type VisibilityModel,
} from '../support/visibility-model.js';

/**
 * Inheritance (issue 9) as a property: fast-check generates random worlds — a registered root with up to five spawned
 * agents up to three levels deep (random inherit / isolate / override from a small vocabulary, so names and claims
 * collide), two unrelated flat agents, and 8–15 contexts (type, tags, visibleTo, claim, source, dependencies on
 * earlier ones, valid time, priority; some later updated with other tags or visibility, some retracted). Each run
 * writes its world through the API under its own id prefix and workflow, then compares, for every agent, every read
 * path with the plain model (test/support/visibility-model.ts): `context` and `context(asOf)` with `metadata
 * { dependencies }`, `dependencies` / `dependents`, `history`; `contexts` and `contexts(asOf)` with cursor paging
 * and `leftOut`; `dependencyGraph` (and `asOf`) from every root; `contextFor` (items, summary ids and text,
 * `dropped`); `searchContext`; `broadcasts`; NOT_FOUND answers (publish dependencies, updateContext, contextChanged)
 * shaped exactly like those for a missing id; and, over graphql-ws, `contextBroadcast`, `contextPublished` and
 * `contextChanged`. The same property run against deliberately wrong models must fail.
 * Replay with INHERITANCE_SEED=<seed> (INHERITANCE_RUNS=<n>); INHERITANCE_SHRINK=1 shrinks a failure (slow: every
 * step writes a whole world).
 */
const SEED = Number(process.env['INHERITANCE_SEED'] ?? 20_260_609);
const RUNS = Number(process.env['INHERITANCE_RUNS'] ?? 14);
const SHRINK = process.env['INHERITANCE_SHRINK'] === '1';

// A small vocabulary, so that scopes and contexts collide: case differs between them (names compare
// case-insensitively), and 'brand guidelines' / 'brand_guidelines' must not match (no space folding).
const TAGS = ['alpha', 'Beta', 'gamma', 'brand guidelines', 'brand_guidelines'];
const SCOPE_NAMES = ['ALPHA', 'beta', 'Gamma', 'brand_guidelines', 'finding', 'Constraint', 'override'];
const TYPES = ['FINDING', 'CONSTRAINT', 'OBJECTIVE', 'OUTPUT'] as const;
const CLAIMS = ['audience', 'Audience', 'tone of voice', 'Tone-of voice'];
const OVERRIDE_CLAIMS = ['AUDIENCE', 'tone_of_voice', 'budget'];
const SENTENCES = [
  'The alpha budget for the launch grows by a sixth.',
  'Brand guidelines ask for the blue palette.',
  'The audience of the post is technical experts.',
  'The tone of voice stays friendly and direct.',
  'Every number in the post cites its source.',
  'The gamma release ships on Friday.',
  'Beta testers find onboarding slow.',
];
const TASK = 'What do the brand guidelines say about the audience, the tone of voice and the budget?';
const QUERY = 'brand guidelines audience tone of voice budget';
/** The budget under which `contextFor` must summarise (a probe of `compressed`); the other one fits everything. */
const SMALL_BUDGET = 60;
const WAIT_MS = 10_000;

type Validity = 'always' | 'past' | 'future';
interface SpawnSpec {
  /** Index of the parent among the spawned agents; -1: the root. */
  parent: number;
  inherit: string[];
  isolate: string[];
  override: string[];
}
interface Change {
  tags: string[] | 'keep';
  /** Agent indexes, null (public) or 'keep'. */
  visibleTo: number[] | null | 'keep';
  retract: boolean;
}
interface ContextSpec {
  type: (typeof TYPES)[number];
  tags: string[];
  /** Agent indexes (0 root, 1..n spawned, then flat0, flat1, herald), or null: public. */
  visibleTo: number[] | null;
  claim: string | null;
  source: number;
  /** Indexes of earlier contexts. */
  deps: number[];
  critical: boolean;
  validity: Validity;
  sentence: number;
  change: Change | null;
}
interface World {
  spawned: SpawnSpec[];
  contexts: ContextSpec[];
  pageSize: number;
  depth: number;
}

const nameList = (emptyWeight: number) =>
  fc.oneof(
    { weight: emptyWeight, arbitrary: fc.constant<string[]>([]) },
    { weight: 3, arbitrary: fc.subarray(SCOPE_NAMES, { minLength: 1, maxLength: 2 }) },
  );
const agentPicks = fc.uniqueArray(fc.nat({ max: 11 }), { maxLength: 3 });
const visibleToArb = fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 2, arbitrary: agentPicks });
const changeArb = fc.record({
  tags: fc.oneof(fc.constant<'keep'>('keep'), fc.subarray(TAGS, { maxLength: 2 })),
  visibleTo: fc.oneof(fc.constant<'keep'>('keep'), visibleToArb),
  retract: fc.boolean(),
});

const rawWorld = fc.record({
  spawned: fc.array(
    fc.record({
      parentPick: fc.nat({ max: 11 }),
      inherit: nameList(3),
      isolate: nameList(1),
      override: fc.subarray(OVERRIDE_CLAIMS, { maxLength: 1 }),
    }),
    { minLength: 1, maxLength: 5 },
  ),
  contexts: fc.array(
    fc.record({
      type: fc.constantFrom(...TYPES),
      tags: fc.subarray(TAGS, { maxLength: 2 }),
      visibleTo: visibleToArb,
      claim: fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 2, arbitrary: fc.constantFrom(...CLAIMS) }),
      source: fc.nat({ max: 11 }),
      deps: fc.uniqueArray(fc.nat({ max: 14 }), { maxLength: 2 }),
      critical: fc.boolean(),
      validity: fc.constantFrom<Validity>('always', 'always', 'always', 'always', 'always', 'past', 'future'),
      sentence: fc.nat({ max: SENTENCES.length - 1 }),
      change: fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: changeArb }),
    }),
    { minLength: 8, maxLength: 15 },
  ),
  pageSize: fc.constantFrom(2, 3, 5),
  depth: fc.integer({ min: 1, max: 3 }),
});

/** Picks resolved to valid indexes: parents at most 3 levels deep, dependencies on earlier contexts, at most 4 changed. */
const worldArb: fc.Arbitrary<World> = rawWorld.map((raw) => {
  const levels: number[] = [];
  const spawned = raw.spawned.map((s): SpawnSpec => {
    const candidates = [-1, ...levels.flatMap((level, index) => (level < 3 ? [index] : []))];
    const parent = candidates[s.parentPick % candidates.length] ?? -1;
    levels.push(parent === -1 ? 1 : (levels[parent] ?? 0) + 1);
    return { parent, inherit: s.inherit, isolate: s.isolate, override: s.override };
  });
  const agentCount = spawned.length + 4;
  const agentsOf = (picks: number[] | null) => (picks === null ? null : [...new Set(picks.map((p) => p % agentCount))]);
  let changed = 0;
  const contexts = raw.contexts.map((c, index): ContextSpec => {
    const change = c.change !== null && changed < 4 ? c.change : null;
    if (change) changed += 1;
    return {
      ...c,
      visibleTo: agentsOf(c.visibleTo),
      source: c.source % agentCount,
      deps: index === 0 ? [] : [...new Set(c.deps.map((d) => d % index))],
      change: change && { ...change, visibleTo: change.visibleTo === 'keep' ? 'keep' : agentsOf(change.visibleTo) },
    };
  });
  return { spawned, contexts, pageSize: raw.pageSize, depth: raw.depth };
});

/** Claims as the mesh stores them (trimmed, lower case, spaces and hyphens as `_`). */
const claimKey = (claim: string) =>
  claim
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');

/** The world's agents for the model: root, spawned (in order), flat0, flat1, herald. */
function agentNodes(world: World, prefix: string): ModelAgent[] {
  const root: ModelAgent = { id: `${prefix}-root`, parentId: null, inherit: [], isolate: [], overrideClaims: [] };
  const spawned = world.spawned.map((s, index): ModelAgent => ({
    id: `${prefix}-s${index}`,
    parentId: s.parent === -1 ? root.id : `${prefix}-s${s.parent}`,
    inherit: s.inherit,
    isolate: s.isolate,
    overrideClaims: s.override.map(claimKey),
  }));
  const flat = ['flat0', 'flat1', 'herald'].map((name): ModelAgent => ({ ...root, id: `${prefix}-${name}` }));
  return [root, ...spawned, ...flat];
}

/** Each main context's state when published and, if it is changed, after the change. */
function mainStates(world: World, agents: readonly ModelAgent[]): { published: ModelContext; changed: ModelContext | null }[] {
  const ids = (picks: number[] | null) => (picks === null ? null : picks.map((p) => agents[p]?.id ?? 'unknown'));
  return world.contexts.map((c) => {
    const published: ModelContext = {
      sourceAgentId: agents[c.source]?.id ?? 'unknown',
      visibleTo: ids(c.visibleTo),
      tags: c.tags,
      type: c.type,
      claim: c.claim === null ? null : claimKey(c.claim),
    };
    const change = c.change;
    const changed = change && {
      ...published,
      tags: change.tags === 'keep' ? published.tags : change.tags,
      visibleTo: change.visibleTo === 'keep' ? published.visibleTo : ids(change.visibleTo),
    };
    return { published, changed };
  });
}

const overrideState = (agent: ModelAgent, claim: string): ModelContext => ({
  sourceAgentId: agent.id,
  visibleTo: [agent.id],
  tags: ['override'],
  type: 'CONSTRAINT',
  claim,
});

/** A world without a server: whether `wrong` disagrees with the model on some agent and some version of a context. */
function modelsDisagree(world: World, wrong: VisibilityModel): boolean {
  const nodes = agentNodes(world, 'w');
  const agents: Agents = new Map(nodes.map((a) => [a.id, a]));
  const states = [
    ...mainStates(world, nodes).flatMap((s) => (s.changed ? [s.published, s.changed] : [s.published])),
    ...nodes.flatMap((a) => a.overrideClaims.map((claim) => overrideState(a, claim))),
  ];
  return nodes.some((a) => states.some((s) => visibilityModel(agents, a.id, s) !== wrong(agents, a.id, s)));
}

// ---------------------------------------------------------------------------------------------------------------
// A world written through the API

type Status = 'ACTIVE' | 'RETRACTED';
type WriteKind = 'publish' | 'touch' | 'update' | 'retract';
interface Version {
  version: number;
  state: ModelContext;
  status: Status;
  kind: WriteKind;
}
interface RunContext {
  id: string;
  kind: 'main' | 'override' | 'ping' | 'sentinel';
  workflowId: string | null;
  deps: string[];
  validity: Validity;
  critical: boolean;
  createdSeq: number;
  /** Published at or before the run's `asOf` point (then its state there is its first version). */
  atAsOf: boolean;
  versions: Version[];
}
interface RunAgent {
  id: string;
  key: string;
  node: ModelAgent;
}
interface BroadcastItem {
  seq: number;
  context: { id: string; version: number };
}
interface EventItem {
  change: string;
  context: { id: string; version: number };
  cause?: { id: string; version: number } | null;
}
interface Watcher {
  agent: RunAgent;
  client: Client;
  broadcast: Collector<BroadcastItem>;
  published: Collector<EventItem>;
  changed: Map<string, Collector<EventItem>>;
}
interface Run {
  prefix: string;
  workflowId: string;
  agents: RunAgent[];
  model: Agents;
  contexts: RunContext[];
  byId: Map<string, RunContext>;
  /** The event seq right after the main batch: every `asOf` read is as of it. */
  asOf: number;
  missing: string;
  /** Contexts changed after publication, watched with contextChanged. */
  watched: string[];
  watchers: Watcher[];
  /**
   * The admin's view of the same streams: it hears every change, so waiting for it after each write makes the writes
   * deterministic (a change is announced with the record read after its commit; the next write waits until then).
   */
  observer: { published: Collector<EventItem>; changed: Map<string, Collector<EventItem>> };
  clients: Client[];
  world: World;
}

/** A difference between the mesh and the model: the property's failure (anything else is a broken test run). */
class Mismatch extends Error {
  override readonly name = 'Mismatch';
}

/** Every context written by any run of this file (other runs' public contexts may turn up in a search). */
const registry = new Map<string, RunContext>();

const sortedIds = (ids: Iterable<string>) => [...ids].sort();
const current = (c: RunContext) => c.versions.at(-1) as Version;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitUntil(condition: () => boolean, timeoutMs = WAIT_MS): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await sleep(25);
  }
  return true;
}

const SPAWN = `mutation($parentId: ID!, $input: SpawnAgentInput!) {
  spawnAgent(parentId: $parentId, input: $input) { agent { id } apiKey } }`;
const PUBLISH_MANY = `mutation($inputs: [PublishContextInput!]!) { publishContexts(inputs: $inputs) { id version seq } }`;
const UPDATE = `mutation($id: ID!, $v: Int!, $patch: ContextPatch!) { updateContext(id: $id, expectedVersion: $v, patch: $patch) { id version } }`;
const RETRACT = `mutation($id: ID!) { retractContext(id: $id, reason: "retracted by the property test") { id version } }`;
const OVERRIDES = `query($sources: [ID!]) { contexts(filter: { sourceAgentIds: $sources }, first: 100) {
  edges { node { id version seq type tags claim visibleTo metadata { sourceAgent { id } } } } } }`;

const BROADCAST_SUB = `subscription($agent: ID!) { contextBroadcast(agentId: $agent, afterSeq: 0) { seq context { id version } } }`;
const PUBLISHED_SUB = `subscription($wf: ID!) { contextPublished(filter: { workflowId: $wf }) { change context { id version } } }`;
const CHANGED_SUB = `subscription($id: ID!) { contextChanged(id: $id) { change context { id version } cause { id version } } }`;

describe(`inheritance property: every read path agrees with the plain model (seed ${SEED}, ${RUNS} runs)`, () => {
  let server: TestServer;
  let runCount = 0;
  /** Evidence the paths that can only be checked for leaks (search, the summary) were exercised at all. */
  const exercised = { searchHits: 0, summarised: 0, hiddenSeen: 0, changedEvents: 0, refusedSubscriptions: 0 };
  /** Seconds each run took (write, read, compare), for the summary line. */
  const runSeconds: number[] = [];
  const phases: Record<string, number> = {};
  async function timed<T>(phase: string, work: () => Promise<T>): Promise<T> {
    const started = Date.now();
    try {
      return await work();
    } finally {
      phases[phase] = (phases[phase] ?? 0) + (Date.now() - started) / 1000;
    }
  }

  beforeAll(async () => {
    server = await startTestServer({
      env: {
        // One request per agent reads every path for every context: room for its aliases and nested lists.
        GRAPHQL_MAX_ALIASES: '1000',
        GRAPHQL_MAX_COST: '1000000',
        GRAPHQL_MAX_TOKENS: '100000',
        WS_MAX_SUBSCRIPTIONS: '50',
      },
    });
  });
  afterAll(async () => {
    await server?.stop();
  });

  async function gqlOk<T>(key: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const response: GraphQLResponse<T> = await server.gql<T>(key, query, variables);
    if (response.errors || !response.data) throw new Error(`request failed: ${JSON.stringify(response.errors)}\n${query.slice(0, 300)}`);
    return response.data;
  }

  // -------------------------------------------------------------------------------------------------------------
  // Writing a world

  async function publish(run: Run, inputs: Record<string, unknown>[]): Promise<{ id: string; version: number; seq: number }[]> {
    return (await gqlOk<{ publishContexts: { id: string; version: number; seq: number }[] }>(server.adminKey, PUBLISH_MANY, { inputs }))
      .publishContexts;
  }

  /** A CRITICAL context shared with every agent of the run, from the herald: marks a point in every stream. */
  async function publishMarker(run: Run, kind: 'ping' | 'sentinel', name: string): Promise<RunContext> {
    const herald = run.agents.at(-1) as RunAgent;
    const id = `${run.prefix}-${name}`;
    const state: ModelContext = {
      sourceAgentId: herald.id,
      visibleTo: run.agents.map((a) => a.id),
      tags: ['marker'],
      type: 'DECISION',
      claim: null,
    };
    const [written] = await publish(run, [
      {
        id,
        type: 'DECISION',
        text: `Marker ${name} (${id})`,
        tags: state.tags,
        priority: 'CRITICAL',
        visibleTo: state.visibleTo,
        sourceAgentId: herald.id,
        workflowId: run.workflowId,
        relevance: run.agents.map((a) => ({ agentId: a.id, score: 1 })),
      },
    ]);
    const context: RunContext = {
      id,
      kind,
      workflowId: run.workflowId,
      deps: [],
      validity: 'always',
      critical: true,
      createdSeq: written?.seq ?? 0,
      // Pings come before the main batch, the sentinel after everything.
      atAsOf: kind === 'ping',
      versions: [{ version: 1, state, status: 'ACTIVE', kind: 'publish' }],
    };
    addContext(run, context);
    return context;
  }

  function addContext(run: Run, context: RunContext) {
    run.contexts.push(context);
    run.byId.set(context.id, context);
    registry.set(context.id, context);
  }

  /** Until the admin heard `id` change to its current version (its announcement read that version, not a later one). */
  async function announced(run: Run, id: string) {
    const version = current(run.byId.get(id) as RunContext).version;
    const heard = run.observer.changed.get(id) as Collector<EventItem>;
    const done = () => heard.items.some((e) => e.context.id === id && e.context.version === version && e.change !== 'DEPENDENCY_CHANGED');
    if (!(await waitUntil(done))) throw new Error(`the change of ${id} to version ${version} was never announced`);
  }

  async function change(run: Run, id: string, kind: 'touch' | 'update' | 'retract', next?: ModelContext) {
    const context = run.byId.get(id) as RunContext;
    const last = current(context);
    if (kind === 'retract') {
      const { retractContext } = await gqlOk<{ retractContext: { version: number } }>(server.adminKey, RETRACT, { id });
      context.versions.push({ version: retractContext.version, state: last.state, status: 'RETRACTED', kind });
      return;
    }
    const state = next ?? last.state;
    const patch = kind === 'touch' ? { confidence: 0.5 + context.versions.length / 100 } : { tags: state.tags, visibleTo: state.visibleTo };
    const { updateContext } = await gqlOk<{ updateContext: { version: number } }>(server.adminKey, UPDATE, {
      id,
      v: last.version,
      patch,
    });
    context.versions.push({ version: updateContext.version, state, status: last.status, kind });
  }

  function watch(run: Run, agent: RunAgent): Watcher {
    const client = connectClient(server.wsUrl, agent.key);
    run.clients.push(client);
    return {
      agent,
      client,
      broadcast: subscribeTo(client, BROADCAST_SUB, { agent: agent.id }, (d) => d['contextBroadcast'] as BroadcastItem),
      published: subscribeTo(client, PUBLISHED_SUB, { wf: run.workflowId }, (d) => d['contextPublished'] as EventItem),
      changed: new Map(),
    };
  }

  async function materialise(world: World): Promise<Run> {
    runCount += 1;
    let lapStart = Date.now();
    const lap = (name: string) => {
      phases[`write.${name}`] = (phases[`write.${name}`] ?? 0) + (Date.now() - lapStart) / 1000;
      lapStart = Date.now();
    };
    const prefix = `${server.ns}-r${runCount}`;
    const nodes = agentNodes(world, prefix);
    const run: Run = {
      prefix,
      workflowId: `${prefix}-wf`,
      agents: [],
      model: new Map(nodes.map((a) => [a.id, a])),
      contexts: [],
      byId: new Map(),
      asOf: 0,
      missing: `${prefix}-missing`,
      watched: [],
      watchers: [],
      observer: { published: new Collector<EventItem>(), changed: new Map() },
      clients: [],
      world,
    };
    const registered = [nodes[0], ...nodes.slice(-3)] as ModelAgent[];
    const keys = new Map<string, string>();
    for (const agent of await Promise.all(registered.map((a) => server.registerAgent({ id: a.id, relevanceThreshold: 0 })))) {
      keys.set(agent.id, agent.apiKey);
    }
    for (const [index, spec] of world.spawned.entries()) {
      const node = nodes[index + 1] as ModelAgent;
      const { spawnAgent } = await gqlOk<{ spawnAgent: { apiKey: string } }>(server.adminKey, SPAWN, {
        parentId: node.parentId,
        input: {
          id: node.id,
          name: node.id,
          inherit: spec.inherit,
          isolate: spec.isolate,
          override: spec.override.map((claim) => ({ claim, text: `The ${claimKey(claim)} is what ${node.id} was told.` })),
        },
      });
      keys.set(node.id, spawnAgent.apiKey);
    }
    run.agents = nodes.map((node) => ({ id: node.id, key: keys.get(node.id) ?? '', node }));

    lap('agents');
    // The override contexts spawnAgent wrote, checked against their documented shape.
    const spawnedIds = nodes.slice(1, -3).map((a) => a.id);
    const written = (
      await gqlOk<{
        contexts: {
          edges: {
            node: {
              id: string;
              version: number;
              seq: number;
              type: string;
              tags: string[];
              claim: string | null;
              visibleTo: string[] | null;
              metadata: { sourceAgent: { id: string } };
            };
          }[];
        };
      }>(server.adminKey, OVERRIDES, { sources: spawnedIds })
    ).contexts.edges.map((e) => e.node);
    const expectedOverrides = nodes.flatMap((a) => a.overrideClaims.map((claim) => overrideState(a, claim)));
    expect(
      sortedIds(written.map((w) => JSON.stringify([w.metadata.sourceAgent.id, w.visibleTo, w.tags, w.type, w.claim]))),
      'override contexts as documented',
    ).toEqual(sortedIds(expectedOverrides.map((s) => JSON.stringify([s.sourceAgentId, s.visibleTo, s.tags, s.type, s.claim]))));
    for (const w of written) {
      const state = overrideState(run.model.get(w.metadata.sourceAgent.id) as ModelAgent, w.claim ?? '');
      addContext(run, {
        id: w.id,
        kind: 'override',
        workflowId: null,
        deps: [],
        validity: 'always',
        critical: false,
        createdSeq: w.seq,
        atAsOf: true,
        versions: [{ version: w.version, state, status: 'ACTIVE', kind: 'publish' }],
      });
    }

    // Live streams first (the herald only writes), proven live by markers before anything else is written.
    run.watchers = run.agents.slice(0, -1).map((agent) => watch(run, agent));
    const adminClient = connectClient(server.wsUrl, server.adminKey);
    run.clients.push(adminClient);
    run.observer.published = subscribeTo(adminClient, PUBLISHED_SUB, { wf: run.workflowId }, (d) => d['contextPublished'] as EventItem);
    const isMarker = (item: { context: { id: string } }) => run.byId.get(item.context.id)?.kind === 'ping';
    for (let attempt = 0; ; attempt += 1) {
      await publishMarker(run, 'ping', `ping${attempt}`);
      const live = () =>
        run.observer.published.items.some(isMarker) &&
        run.watchers.every((w) => w.broadcast.items.some(isMarker) && w.published.items.some(isMarker));
      if (await waitUntil(live, 3_000)) break;
      const errors = run.watchers.flatMap((w) => [...w.broadcast.errors, ...w.published.errors]);
      if (attempt >= 4 || errors.length > 0) throw new Error(`subscriptions did not start: ${JSON.stringify(errors)}`);
    }

    lap('streams');
    // The main batch, as the admin on behalf of each source.
    const states = mainStates(world, nodes);
    const now = Date.now();
    const day = 86_400_000;
    const validity: Record<Validity, Record<string, string>> = {
      always: {},
      past: { validFrom: new Date(now - 2 * day).toISOString(), validUntil: new Date(now - day).toISOString() },
      future: { validFrom: new Date(now + day).toISOString() },
    };
    const mainIds = world.contexts.map((_, index) => `${prefix}-c${index}`);
    const inputs = world.contexts.map((c, index) => {
      const state = states[index]?.published as ModelContext;
      const id = mainIds[index] as string;
      return {
        id,
        type: c.type,
        text: `${SENTENCES[c.sentence]} (${id})`,
        tags: c.tags,
        visibleTo: state.visibleTo,
        ...(c.claim === null ? {} : { claim: c.claim, position: 'yes' }),
        dependencies: c.deps.map((d) => mainIds[d]),
        priority: c.critical ? 'CRITICAL' : 'ROUTINE',
        sourceAgentId: state.sourceAgentId,
        workflowId: run.workflowId,
        relevance: run.agents.map((a) => ({ agentId: a.id, score: 1 })),
        ...validity[c.validity],
      };
    });
    const published = await publish(run, inputs);
    run.asOf = Math.max(...published.map((p) => p.seq));
    world.contexts.forEach((c, index) => {
      const state = states[index]?.published as ModelContext;
      addContext(run, {
        id: mainIds[index] as string,
        kind: 'main',
        workflowId: run.workflowId,
        deps: c.deps.map((d) => mainIds[d] as string),
        validity: c.validity,
        critical: c.critical,
        createdSeq: published[index]?.seq ?? 0,
        atAsOf: true,
        versions: [{ version: published[index]?.version ?? 1, state, status: 'ACTIVE', kind: 'publish' }],
      });
    });
    const batchAnnounced = () => mainIds.every((id) => run.observer.published.items.some((e) => e.context.id === id));
    if (!(await waitUntil(batchAnnounced))) throw new Error('the main batch was never announced');

    lap('batch');
    // contextChanged on what will change (and on a missing id), proven live by touching each (same visibility).
    run.watched = mainIds.filter((_, index) => world.contexts[index]?.change);
    for (const id of run.watched) {
      run.observer.changed.set(
        id,
        subscribeTo(adminClient, CHANGED_SUB, { id }, (d) => d['contextChanged'] as EventItem),
      );
    }
    for (const watcher of run.watchers) {
      for (const id of [...run.watched, run.missing]) {
        watcher.changed.set(
          id,
          subscribeTo(watcher.client, CHANGED_SUB, { id }, (d) => d['contextChanged'] as EventItem),
        );
      }
    }
    const settled = (w: Watcher, id: string) => {
      const collector = w.changed.get(id) as Collector<EventItem>;
      return collector.errors.length > 0 || collector.items.some((e) => e.change === 'UPDATED' && e.context.id === id);
    };
    for (let attempt = 0; ; attempt += 1) {
      for (const id of run.watched) await change(run, id, 'touch');
      const heard = (id: string) => (run.observer.changed.get(id) as Collector<EventItem>).items.some((e) => e.change === 'UPDATED');
      const all = () => run.watched.every(heard) && run.watchers.every((w) => [...run.watched, run.missing].every((id) => settled(w, id)));
      if (await waitUntil(all, 3_000)) break;
      if (attempt >= 4) {
        const pending = run.watchers.flatMap((w) =>
          [...run.watched, run.missing].filter((id) => !settled(w, id)).map((id) => `${w.agent.id}:${id}`),
        );
        throw new Mismatch(`contextChanged neither refused nor delivered a touch: ${pending.join(', ')}`);
      }
    }

    for (const id of run.watched) await announced(run, id);
    lap('touches');

    // The changes themselves: other tags or visibility, then retraction, each announced before the next.
    for (const [index, c] of world.contexts.entries()) {
      if (!c.change) continue;
      const id = mainIds[index] as string;
      if (c.change.tags !== 'keep' || c.change.visibleTo !== 'keep') {
        await change(run, id, 'update', states[index]?.changed ?? undefined);
        await announced(run, id);
      }
      if (c.change.retract) {
        await change(run, id, 'retract');
        await announced(run, id);
      }
    }
    lap('changes');
    const sentinel = await publishMarker(run, 'sentinel', 'sentinel');
    const arrived = (w: Watcher) =>
      w.broadcast.items.some((i) => i.context.id === sentinel.id) && w.published.items.some((i) => i.context.id === sentinel.id);
    if (!(await waitUntil(() => run.watchers.every(arrived)))) {
      throw new Mismatch(`the sentinel did not reach ${run.watchers.filter((w) => !arrived(w)).map((w) => w.agent.id)}`);
    }
    lap('sentinel');
    return run;
  }

  async function dispose(run: Run) {
    await Promise.all(run.clients.map((client) => client.dispose()));
  }

  // -------------------------------------------------------------------------------------------------------------
  // What the model says each path answers

  function expectations(run: Run, agentId: string, model: VisibilityModel) {
    const reads = (state: ModelContext) => model(run.model, agentId, state);
    const visibleNow = (id: string) => {
      const c = run.byId.get(id);
      return c !== undefined && reads(current(c).state);
    };
    const visibleAsOf = (id: string) => {
      const c = run.byId.get(id);
      return c !== undefined && c.atAsOf && reads((c.versions[0] as Version).state);
    };
    const dependentsOf = (id: string, asOf: boolean) =>
      run.contexts.filter((c) => (!asOf || c.atAsOf) && c.deps.includes(id)).map((c) => c.id);
    const depsOf = (id: string) => run.byId.get(id)?.deps ?? [];
    /** Breadth-first, every hop landing on a context the agent may read (no path runs through a hidden one). */
    const reach = (start: string, depth: number, next: (id: string) => string[], visible: (id: string) => boolean) => {
      const seen = new Set([start]);
      let frontier = [start];
      for (let hop = 0; hop < depth; hop += 1) {
        const reached: string[] = [];
        for (const id of frontier) {
          for (const n of next(id)) {
            if (seen.has(n) || !visible(n)) continue;
            seen.add(n);
            reached.push(n);
          }
        }
        frontier = reached;
      }
      seen.delete(start);
      return sortedIds(seen);
    };
    const depth = run.world.depth;
    const record = (id: string, asOf: boolean) => {
      const c = run.byId.get(id);
      const visible = asOf ? visibleAsOf : visibleNow;
      if (!c || !visible(id)) return null;
      const versions = asOf ? c.versions.slice(0, 1) : c.versions;
      const version = asOf ? (c.versions[0] as Version) : current(c);
      const deps = sortedIds(c.deps.filter(visible));
      return {
        id,
        version: version.version,
        status: version.status,
        metadata: { dependencies: deps },
        dependencies: reach(id, depth, depsOf, visible),
        dependents: reach(id, depth, (x) => dependentsOf(x, asOf), visible),
        history: versions
          .filter((v) => reads(v.state))
          .reverse()
          .map((v) => ({ version: v.version, dependencies: deps })),
      };
    };
    const graph = (id: string, asOf: boolean) => {
      const visible = asOf ? visibleAsOf : visibleNow;
      if (!visible(id)) return { nodes: [], edges: [] };
      const reached = [id, ...reach(id, depth, depsOf, visible), ...reach(id, depth, (x) => dependentsOf(x, asOf), visible)];
      const nodes = new Set(reached.filter((n) => run.byId.get(n)?.validity === 'always'));
      const edges = [...nodes].flatMap((n) =>
        depsOf(n)
          .filter((d) => nodes.has(d))
          .map((d) => `${n}>${d}`),
      );
      return { nodes: sortedIds(nodes), edges: sortedIds(edges) };
    };
    const newestFirst = (cs: RunContext[]) => [...cs].sort((a, b) => b.createdSeq - a.createdSeq).map((c) => c.id);
    const listed = (asOf: boolean, inScope: (c: RunContext) => boolean) => {
      const visible = asOf ? visibleAsOf : visibleNow;
      const matching = run.contexts.filter((c) => inScope(c) && visible(c.id));
      const statusOf = (c: RunContext) => (asOf ? (c.versions[0] as Version).status : current(c).status);
      const kept = matching.filter((c) => statusOf(c) === 'ACTIVE' && c.validity === 'always');
      const active = matching.filter((c) => statusOf(c) === 'ACTIVE');
      return {
        ids: newestFirst(kept),
        leftOut: {
          retracted: matching.length - active.length,
          superseded: 0,
          expired: 0,
          noLongerValid: active.filter((c) => c.validity === 'past').length,
          notYetValid: active.filter((c) => c.validity === 'future').length,
        },
      };
    };
    const inWorkflow = (c: RunContext) => c.workflowId === run.workflowId;
    const sources = new Set(run.agents.map((a) => a.id));
    const deliveries = run.contexts.flatMap((c) =>
      c.critical
        ? c.versions
            .filter((v) => v.kind !== 'retract' && v.state.sourceAgentId !== agentId && reads(v.state))
            .map((v) => ({ context: c, version: v.version }))
        : [],
    );
    /** Routable now: readable, active and valid (what contextFor and searchContext may offer). */
    const routable = (c: RunContext) => reads(current(c).state) && current(c).status === 'ACTIVE' && c.validity === 'always';
    return {
      reads,
      visibleNow,
      record,
      graph,
      list: listed(false, inWorkflow),
      listAsOf: listed(true, inWorkflow),
      bySource: listed(false, (c) => sources.has(current(c).state.sourceAgentId)).ids,
      bySourceAsOf: listed(true, (c) => sources.has(current(c).state.sourceAgentId)).ids,
      routed: sortedIds(run.contexts.filter((c) => inWorkflow(c) && routable(c)).map((c) => c.id)),
      routable,
      broadcastsLive: sortedIds(deliveries.map((d) => `${d.context.id}@${d.version}`)),
      broadcastsNow: sortedIds(
        deliveries.filter((d) => visibleNow(d.context.id)).map((d) => `${d.context.id}@${current(d.context).version}`),
      ),
      publishedLive: sortedIds(
        run.contexts
          .filter((c) => (c.kind === 'main' || c.kind === 'sentinel') && reads((c.versions[0] as Version).state))
          .map((c) => `${c.id}@${(c.versions[0] as Version).version}`),
      ),
    };
  }

  // -------------------------------------------------------------------------------------------------------------
  // Reading every path as every agent

  interface ReadContext {
    id: string;
    version: number;
    status: string;
    metadata: { dependencies: string[] };
    dependencies: { id: string }[];
    dependents: { id: string }[];
    history: { version: number; dependencies: string[] }[];
  }
  interface Page {
    edges: { cursor: string; node: { id: string } }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    leftOut?: Record<string, number>;
  }
  interface Pkg {
    items: { context: { id: string } }[];
    compressed: { originalContextIds: string[]; text: string } | null;
    dropped: { contextId: string; reason: string; duplicateOf: string | null }[];
  }
  type Reads = Record<string, unknown> & {
    list: Page;
    listAsOf: Page;
    bySource: Page;
    bySourceAsOf: Page;
    routed: Pkg;
    squeezed: Pkg;
    found: { context: { id: string } }[];
    broadcasts: { broadcasts: BroadcastItem[]; hasMore: boolean };
  };

  const readDocument = (ids: readonly string[]) => `query($depth: Int!, $asOf: Int!, $wf: ID!, $sources: [ID!]!, $first: Int!,
      $agent: ID!, $task: String!, $query: String!) {
    ${ids
      .map((id, i) => {
        const literal = JSON.stringify(id);
        return `c${i}: context(id: ${literal}) { ...F }
    a${i}: context(id: ${literal}, asOf: $asOf) { ...F }
    g${i}: dependencyGraph(rootIds: [${literal}], depth: $depth, direction: BOTH) { ...G }
    h${i}: dependencyGraph(rootIds: [${literal}], depth: $depth, direction: BOTH, asOf: $asOf) { ...G }`;
      })
      .join('\n    ')}
    list: contexts(filter: { workflowIds: [$wf] }, first: $first) { ...L leftOut { ...O } }
    listAsOf: contexts(filter: { workflowIds: [$wf] }, first: $first, asOf: $asOf) { ...L leftOut { ...O } }
    bySource: contexts(filter: { sourceAgentIds: $sources }, first: 100) { ...L }
    bySourceAsOf: contexts(filter: { sourceAgentIds: $sources }, first: 100, asOf: $asOf) { ...L }
    routed: contextFor(agentId: $agent, task: $task, budget: 100000, workflowId: $wf) { ...P }
    squeezed: contextFor(agentId: $agent, task: $task, budget: ${SMALL_BUDGET}, workflowId: $wf) { ...P }
    found: searchContext(query: $query, agentId: $agent, limit: 50) { context { id } }
    broadcasts(agentId: $agent, afterSeq: 0, first: 500) { broadcasts { seq context { id version } } hasMore }
  }
  fragment F on ContextObject { id version status metadata { dependencies } dependencies(depth: $depth) { id }
    dependents(depth: $depth) { id } history { version dependencies } }
  fragment G on DependencyGraph { nodes { id } edges { from to } }
  fragment L on ContextConnection { edges { cursor node { id } } pageInfo { hasNextPage endCursor } }
  fragment O on LeftOutCounts { retracted superseded expired noLongerValid notYetValid }
  fragment P on ContextPackage { items { context { id } } compressed { originalContextIds text } dropped { contextId reason duplicateOf } }`;

  const PAGE = `query($filter: ContextFilter, $first: Int, $after: String, $asOf: Int) {
    contexts(filter: $filter, first: $first, after: $after, asOf: $asOf) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }`;

  /** The ids of every page, following cursors from `first` (cursors must move on and the last page must say so). */
  async function allPages(key: string, first: Page, variables: Record<string, unknown>): Promise<string[]> {
    const ids = first.edges.map((e) => e.node.id);
    let page = first;
    for (let count = 0; page.pageInfo.hasNextPage; count += 1) {
      if (count > 50 || !page.pageInfo.endCursor) throw new Mismatch(`paging does not end: ${JSON.stringify(page.pageInfo)}`);
      page = (await gqlOk<{ contexts: Page }>(key, PAGE, { ...variables, after: page.pageInfo.endCursor })).contexts;
      if (page.edges.length === 0) throw new Mismatch('an empty page claimed to have a next page before it');
      ids.push(...page.edges.map((e) => e.node.id));
    }
    return ids;
  }

  function checker(run: Run, agent: RunAgent) {
    return (what: string, actual: unknown, expected: unknown) => {
      if (JSON.stringify(actual) === JSON.stringify(expected)) return;
      throw new Mismatch(
        `seed ${SEED}, run ${run.prefix}, agent ${agent.id} (${JSON.stringify(agent.node)}): ${what}\n` +
          `  expected ${JSON.stringify(expected)}\n  actual   ${JSON.stringify(actual)}`,
      );
    };
  }

  async function checkReads(run: Run, agent: RunAgent, model: VisibilityModel) {
    const same = checker(run, agent);
    const expected = expectations(run, agent.id, model);
    const ids = [...run.contexts.map((c) => c.id), run.missing];
    const variables = {
      depth: run.world.depth,
      asOf: run.asOf,
      wf: run.workflowId,
      sources: run.agents.map((a) => a.id),
      first: run.world.pageSize,
      agent: agent.id,
      task: TASK,
      query: QUERY,
    };
    const data = await timed('read.document', () => gqlOk<Reads>(agent.key, readDocument(ids), variables));
    const shapeOf = (c: ReadContext | null) =>
      c && {
        id: c.id,
        version: c.version,
        status: c.status,
        metadata: { dependencies: sortedIds(c.metadata.dependencies) },
        dependencies: sortedIds(c.dependencies.map((d) => d.id)),
        dependents: sortedIds(c.dependents.map((d) => d.id)),
        history: c.history.map((h) => ({ version: h.version, dependencies: sortedIds(h.dependencies) })),
      };
    const graphOf = (g: { nodes: { id: string }[]; edges: { from: string; to: string }[] }) => ({
      nodes: sortedIds(g.nodes.map((n) => n.id)),
      edges: sortedIds(g.edges.map((e) => `${e.from}>${e.to}`)),
    });
    ids.forEach((id, i) => {
      same(`context(${id})`, shapeOf(data[`c${i}`] as ReadContext | null), expected.record(id, false));
      same(`context(${id}, asOf: ${run.asOf})`, shapeOf(data[`a${i}`] as ReadContext | null), expected.record(id, true));
      same(`dependencyGraph([${id}])`, graphOf(data[`g${i}`] as never), expected.graph(id, false));
      same(`dependencyGraph([${id}], asOf)`, graphOf(data[`h${i}`] as never), expected.graph(id, true));
      if (run.byId.has(id) && !expected.visibleNow(id)) exercised.hiddenSeen += 1;
    });

    const filter = { workflowIds: [run.workflowId] };
    same('contexts(workflow)', await allPages(agent.key, data.list, { filter, first: run.world.pageSize }), expected.list.ids);
    same('contexts(workflow).leftOut', data.list.leftOut, expected.list.leftOut);
    same(
      'contexts(workflow, asOf)',
      await allPages(agent.key, data.listAsOf, { filter, first: run.world.pageSize, asOf: run.asOf }),
      expected.listAsOf.ids,
    );
    same('contexts(workflow, asOf).leftOut', data.listAsOf.leftOut, expected.listAsOf.leftOut);
    same('contexts(sources)', await allPages(agent.key, data.bySource, {}), expected.bySource);
    same('contexts(sources, asOf)', await allPages(agent.key, data.bySourceAsOf, {}), expected.bySourceAsOf);

    // contextFor: with room for everything, exactly what the agent may read in the workflow; squeezed, a part of it.
    const offered = (p: Pkg) => [
      ...p.items.map((i) => i.context.id),
      ...(p.compressed?.originalContextIds ?? []),
      ...p.dropped.flatMap((d) => [d.contextId, ...(d.duplicateOf ? [d.duplicateOf] : [])]),
    ];
    same('contextFor(budget 100000): items, summary and dropped', sortedIds(new Set(offered(data.routed))), expected.routed);
    const squeezed = sortedIds(new Set(offered(data.squeezed)));
    same(
      `contextFor(budget ${SMALL_BUDGET}) offers only readable contexts`,
      squeezed.filter((id) => !expected.routed.includes(id)),
      [],
    );
    if (data.squeezed.compressed) exercised.summarised += 1;
    const summary = [data.squeezed.compressed?.text ?? '', data.routed.compressed?.text ?? ''].join('\n');
    const quoted = [...registry.keys()].filter((id) => summary.includes(`(${id})`) || summary.includes(`[${id}]`));
    same(
      'contextFor summaries quote only readable contexts',
      quoted.filter((id) => !expected.routed.includes(id)),
      [],
    );

    // Search ranks the whole mesh: every hit this file wrote must be readable now (other runs' public ones included).
    const hits = data.found.map((h) => h.context.id).filter((id) => id.startsWith(server.ns));
    exercised.searchHits += hits.length;
    const unreadable = hits.filter((id) => {
      const c = registry.get(id);
      return (
        !c ||
        !(run.byId.has(id)
          ? expected.routable(c)
          : model(run.model, agent.id, current(c).state) && current(c).status === 'ACTIVE' && c.validity === 'always')
      );
    });
    same('searchContext hits the agent may not read', unreadable, []);

    same(
      'broadcasts(afterSeq: 0)',
      sortedIds(data.broadcasts.broadcasts.map((b) => `${b.context.id}@${b.context.version}`)),
      expected.broadcastsNow,
    );
    same('broadcasts hasMore', data.broadcasts.hasMore, false);
    await timed('read.refusals', () => checkRefusals(run, agent, model));
  }

  /** A hidden id is refused exactly as a missing one: the same code, message and extensions, the id aside. */
  async function checkRefusals(run: Run, agent: RunAgent, model: VisibilityModel) {
    const same = checker(run, agent);
    const expected = expectations(run, agent.id, model);
    const probeInput = (dependencies: string[]) => ({
      inputs: [{ type: 'FINDING', text: 'A probe that must not be written', dependencies }],
    });
    const firstError = (response: GraphQLResponse<unknown>) => {
      const [error] = response.errors ?? [];
      if (!error) throw new Mismatch(`expected a refusal, got ${JSON.stringify(response.data)}`);
      return { message: error.message, extensions: error.extensions ?? {} };
    };
    const ids = run.contexts.map((c) => c.id);
    const [m1, m2] = [`${run.missing}-1`, `${run.missing}-2`];
    const missingPair = firstError(await server.gql(agent.key, PUBLISH_MANY, probeInput([m1, m2])));
    const [head = '', rest = ''] = missingPair.message.split(m1);
    const [separator = '', tail = ''] = rest.split(m2);
    const refused = [...ids.filter((id) => !expected.visibleNow(id)), run.missing];
    const deps = firstError(await server.gql(agent.key, PUBLISH_MANY, probeInput([...ids, run.missing])));
    same('publishContexts(dependencies: all) refusal', deps, {
      message: `${head}${refused.join(separator)}${tail}`,
      extensions: { ...missingPair.extensions, ids: refused },
    });

    // updateContext: hidden ids as missing; readable ones are FORBIDDEN (others') or a VERSION_CONFLICT (own).
    const update = async (id: string) => firstError(await server.gql(agent.key, UPDATE, { id, v: 999_999, patch: { confidence: 0.5 } }));
    const asMissing = (id: string, refusal: { message: string; extensions: Record<string, unknown> }) =>
      JSON.parse(JSON.stringify(refusal).split(id).join('<id>')) as unknown;
    const missing = asMissing(run.missing, await update(run.missing));
    const hidden = ids.filter((id) => !expected.visibleNow(id)).slice(0, 2);
    const readable = ids.filter((id) => expected.visibleNow(id));
    const own = readable.find((id) => current(run.byId.get(id) as RunContext).state.sourceAgentId === agent.id);
    const others = readable.find((id) => current(run.byId.get(id) as RunContext).state.sourceAgentId !== agent.id);
    for (const id of hidden) same(`updateContext(${id}) refusal`, asMissing(id, await update(id)), missing);
    if (own) same(`updateContext(${own}) code`, (await update(own)).extensions['code'], 'VERSION_CONFLICT');
    if (others) same(`updateContext(${others}) code`, (await update(others)).extensions['code'], 'FORBIDDEN');
  }

  async function checkStreams(run: Run, watcher: Watcher, model: VisibilityModel) {
    const { agent } = watcher;
    const same = checker(run, agent);
    const expected = expectations(run, agent.id, model);
    same(
      'contextBroadcast (live)',
      sortedIds(watcher.broadcast.items.map((b) => `${b.context.id}@${b.context.version}`)),
      expected.broadcastsLive,
    );
    const seqs = watcher.broadcast.items.map((b) => b.seq);
    same(
      'contextBroadcast in seq order',
      seqs,
      [...seqs].sort((a, b) => a - b),
    );
    same(
      'contextPublished (live, markers aside)',
      sortedIds(
        watcher.published.items
          .filter((e) => run.byId.get(e.context.id)?.kind !== 'ping')
          .map((e) => `${e.context.id}@${e.context.version}`),
      ),
      expected.publishedLive,
    );

    const versionReadable = (ref: { id: string; version: number }) => {
      const version = registry.get(ref.id)?.versions.find((v) => v.version === ref.version);
      return version !== undefined && model(run.model, agent.id, version.state);
    };
    const missingRefusal = (watcher.changed.get(run.missing) as Collector<EventItem>).errors;
    for (const id of run.watched) {
      const collector = watcher.changed.get(id) as Collector<EventItem>;
      const context = run.byId.get(id) as RunContext;
      const subscribed = expected.reads((context.versions[0] as Version).state);
      if (!subscribed) {
        exercised.refusedSubscriptions += 1;
        same(
          `contextChanged(${id}) refusal`,
          JSON.stringify(collector.errors).split(id).join('<id>'),
          JSON.stringify(missingRefusal).split(run.missing).join('<id>'),
        );
        same(`contextChanged(${id}) events`, collector.items, []);
        continue;
      }
      same(`contextChanged(${id}) errors`, collector.errors, []);
      const exact = context.versions.filter((v) => v.kind === 'update' || v.kind === 'retract');
      const wanted = sortedIds(
        // Which changes reach the agent, by kind: the live UPDATED event of an update followed at once by a retraction
        // can carry the retracted version (a race in the event's payload, docs/decisions.md), so versions are not compared.
        exact.filter((v) => expected.reads(v.state)).map((v) => (v.kind === 'retract' ? 'RETRACTED' : 'UPDATED')),
      );
      const got = () =>
        sortedIds(
          collector.items
            .filter(
              (e) =>
                e.context.id === id && exact.some((v) => v.version === e.context.version) && ['UPDATED', 'RETRACTED'].includes(e.change),
            )
            .map((e) => e.change),
        );
      await waitUntil(() => got().length >= wanted.length);
      same(`contextChanged(${id}) updates and retraction`, got(), wanted);
      exercised.changedEvents += collector.items.length;
      for (const event of collector.items) {
        same(`contextChanged(${id}) ${event.change} context readable`, versionReadable(event.context), true);
        if (event.cause) same(`contextChanged(${id}) ${event.change} cause readable`, versionReadable(event.cause), true);
      }
    }
  }

  const property = (model: VisibilityModel) =>
    fc.asyncProperty(worldArb, async (world) => {
      const started = Date.now();
      const run = await timed('write', () => materialise(world));
      try {
        // One agent at a time: each read fans out into many statements (the driver's pool has 50 connections).
        for (const agent of run.agents) await timed('read', () => checkReads(run, agent, model));
        for (const watcher of run.watchers) await timed('streams', () => checkStreams(run, watcher, model));
      } finally {
        await dispose(run);
        runSeconds.push((Date.now() - started) / 1000);
      }
    });

  it('finds no leak and no difference on any read path', { timeout: 420_000 }, async () => {
    await fc.assert(property(visibilityModel), { seed: SEED, numRuns: RUNS, endOnFailure: !SHRINK });
    const total = runSeconds.reduce((a, b) => a + b, 0);
    console.info(
      `inheritance property: ${runSeconds.length} runs in ${total.toFixed(1)} s (max ${Math.max(...runSeconds).toFixed(1)} s), ` +
        JSON.stringify(exercised) +
        ' ' +
        JSON.stringify(phases),
    );
    // The checks that can only look for leaks looked at something.
    expect(exercised.hiddenSeen).toBeGreaterThan(0);
    expect(exercised.searchHits).toBeGreaterThan(0);
    expect(exercised.summarised).toBeGreaterThan(0);
    expect(exercised.changedEvents).toBeGreaterThan(0);
    expect(exercised.refusedSubscriptions).toBeGreaterThan(0);
  });

  /** The same property against a wrong model must fail with a real counterexample (a Mismatch, not a broken run). */
  async function catches(wrong: VisibilityModel) {
    // Without a server first: the generators make this model's difference likely.
    const worlds = fc.sample(worldArb, { seed: SEED, numRuns: RUNS });
    expect(worlds.filter((world) => modelsDisagree(world, wrong)).length).toBeGreaterThan(RUNS / 3);
    const result = await fc.check(property(wrong), { seed: SEED, numRuns: RUNS, endOnFailure: true });
    expect(result.failed).toBe(true);
    expect(result.errorInstance).toBeInstanceOf(Mismatch);
  }

  it('catches a broken rule: isolation that spares public contexts', { timeout: 240_000 }, () => catches(isolationSparesPublicModel));
  it('catches a broken rule: inheriting from the root instead of the parent', { timeout: 240_000 }, () => catches(inheritsFromRootModel));
});
