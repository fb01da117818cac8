import { MeshClient, MeshError } from './client.js';
import { detail, heading, pct, preview, say } from './narrator.js';
import type { DraftWriter } from './draft-writer.js';

/**
 * The article's research → writing → review workflow, played by scripted agents through the public GraphQL API only:
 * every call here is one an agent or an orchestrator would make. Each scene checks what it shows and throws when
 * the mesh does not behave as told, so `npm run demo` doubles as an end-to-end check.
 */

const AGENT = `agent { id } apiKey`;
const PUBLISH = `mutation($input: PublishContextInput!) { publishContext(input: $input) { id version tokens } }`;
const START = `mutation($w: ID!, $s: ID!) { startStep(workflowId: $w, stepId: $s) { id status attempt } }`;
const COMPLETE = `mutation($w: ID!, $s: ID!) { completeStep(workflowId: $w, stepId: $s) { id status missing } }`;
const PACKAGE_FIELDS = `id source task tokens budget standIn { basis stepId }
  items { context { id type text tags metadata { sourceAgent { id } } } score tokens }
  compressed { originalContextIds tokens compressionRatio method }
  timings { totalMs }`;
const CONTEXT_FOR = `query($agentId: ID!, $task: String, $workflowId: ID) {
  contextFor(agentId: $agentId, task: $task, workflowId: $workflowId) { ${PACKAGE_FIELDS} } }`;

export interface Package {
  id: string;
  source: string;
  task: string;
  tokens: number;
  budget: number;
  standIn: { basis: string; stepId: string | null } | null;
  items: {
    context: { id: string; type: string; text: string; tags: string[]; metadata: { sourceAgent: { id: string } } };
    score: number;
    tokens: number;
  }[];
  compressed: { originalContextIds: string[]; tokens: number; compressionRatio: number; method: string } | null;
  timings: { totalMs: number };
}

interface Cast {
  researcher: MeshClient;
  analyst: MeshClient;
  writer: MeshClient;
  reviewer: MeshClient;
}

export interface StoryOptions {
  url: string;
  adminKey: string;
  /** Appended to every id, so the story can run against a mesh that already holds an earlier run. */
  suffix: string;
  draftWriter: DraftWriter;
}

/** Every context a package hands over, in full or summarised. */
const handedOver = (pkg: Package) => [...pkg.items.map((i) => i.context.id), ...(pkg.compressed?.originalContextIds ?? [])];

function expect(condition: boolean, what: string): void {
  if (!condition) throw new Error(`demo: expected ${what}`);
}

export async function playStory({ url, adminKey, suffix, draftWriter }: StoryOptions): Promise<void> {
  const admin = new MeshClient(url, adminKey);
  const id = (name: string) => `${name}${suffix}`;
  const workflowId = id('aurora-launch');
  const clients: MeshClient[] = [admin];
  try {
    const cast = await registerCast(admin, id, clients);
    await defineTheWorkflow(admin, id, workflowId);
    const stopWatching = watch(cast, id, workflowId);
    const research = await researchStep(cast, id, workflowId);
    const prefetched = await writerGetsPrefetch(cast, id, workflowId, url);
    const agreement = await consensusAndConflict(admin, cast, id, workflowId);
    const writing = await writingStep(admin, cast, id, workflowId, draftWriter, [...research, agreement]);
    await reviewRollbackReplay(admin, cast, id, workflowId, writing);
    await effectiveness(admin, cast, id, workflowId, [prefetched, writing.pkg]);
    await contextMap(admin, workflowId);
    stopWatching();
  } finally {
    await Promise.all(clients.map((client) => client.close()));
  }
}

async function registerCast(admin: MeshClient, id: (name: string) => string, clients: MeshClient[]): Promise<Cast> {
  heading('The team registers (admin): a researcher, an analyst, a writer and a reviewer');
  const register = async (input: Record<string, unknown>) => {
    const data = await admin.request<{ registerAgent: { agent: { id: string }; apiKey: string } }>(
      `mutation($input: RegisterAgentInput!) { registerAgent(input: $input) { ${AGENT} } }`,
      { input },
    );
    const client = new MeshClient(admin.url, data.registerAgent.apiKey);
    clients.push(client);
    detail(
      `${data.registerAgent.agent.id}: needs [${(input['needs'] as string[]).join(', ')}], produces [${(input['produces'] as string[]).join(', ')}]`,
    );
    return client;
  };
  const needs = ['competitor_strengths', 'competitor_weaknesses', 'positioning', 'differentiation'];
  return {
    researcher: await register({
      id: id('researcher'),
      name: 'Research agent',
      role: 'researcher',
      needs: ['task_objective'],
      produces: [...needs, 'key_findings', 'confidence_scores'],
    }),
    analyst: await register({ id: id('analyst'), name: 'Pricing analyst', role: 'analyst', needs: ['pricing'], produces: ['pricing'] }),
    writer: await register({ id: id('writer'), name: 'Writing agent', role: 'writer', needs, produces: ['draft'], tokenBudget: 115 }),
    reviewer: await register({
      id: id('reviewer'),
      name: 'Review agent',
      role: 'reviewer',
      needs: ['draft', 'brand_guidelines'],
      produces: ['review'],
    }),
  };
}

async function defineTheWorkflow(admin: MeshClient, id: (name: string) => string, workflowId: string): Promise<void> {
  heading('The workflow and its rules (admin)');
  const needs = ['competitor_strengths', 'competitor_weaknesses', 'positioning', 'differentiation'];
  await admin.request(`mutation($input: DefineWorkflowInput!) { defineWorkflow(input: $input) { id } }`, {
    input: {
      id: workflowId,
      name: 'Aurora grinder launch',
      steps: [
        { id: 'research', agentId: id('researcher'), needs: ['task_objective'], produces: [...needs, 'key_findings'], next: ['write'] },
        { id: 'write', agentId: id('writer'), needs, produces: ['draft'], next: ['review'] },
        { id: 'review', agentId: id('reviewer'), needs: ['draft'], produces: ['review'], next: ['write'] },
      ],
    },
  });
  say(`${workflowId}: research → write → review (a review can send the work back to write)`);
  await admin.request(`mutation($input: PublishingPolicyInput!) { setPublishingPolicy(input: $input) { id } }`, {
    input: { agentId: id('researcher'), requires: ['key_findings', 'confidence_scores'], mode: 'ENFORCE' },
  });
  say('Mandatory publishing: the researcher must publish key_findings and confidence_scores before its step completes');
  await admin.request(`mutation($agents: [ID!]!) { setEscalation(claim: "competitor_price", agentIds: $agents) { claim } }`, {
    agents: [id('reviewer')],
  });
  say('Conflicts on the claim competitor_price are escalated to the reviewer');
}

/** Live pushes the agents receive over graphql-ws while the story runs. */
function watch(cast: Cast, id: (name: string) => string, workflowId: string): () => void {
  const stops = [
    cast.writer.subscribe<{ contextBroadcast: { seq: number; reason: string; context: { id: string; text: string } } }>(
      `subscription($agentId: ID!, $w: ID) { contextBroadcast(agentId: $agentId, workflowId: $w) { seq reason context { id text } } }`,
      { agentId: id('writer'), w: workflowId },
      ({ contextBroadcast: b }) => say(`[push to the writer, seq ${b.seq}] ${b.reason}: "${preview(b.context.text, 70)}"`),
    ),
    cast.reviewer.subscribe<{ conflictEscalated: { seq: number; conflict: { id: string; claim: string; agreement: number } } }>(
      `subscription($agentId: ID) { conflictEscalated(agentId: $agentId) { seq conflict { id claim agreement } } }`,
      { agentId: id('reviewer') },
      ({ conflictEscalated: e }) =>
        say(`[push to the reviewer] conflict on "${e.conflict.claim}" escalated (agreement ${pct(e.conflict.agreement)})`),
    ),
  ];
  return () => stops.forEach((stop) => stop());
}

const FINDINGS: { tag: string; text: string; confidence: number }[] = [
  {
    tag: 'competitor_strengths',
    confidence: 0.9,
    text: 'Brewtech, the market leader, is strong in retail: its grinders sit in 4,000 stores, and reviewers praise their build quality and the quiet motor.',
  },
  {
    tag: 'competitor_weaknesses',
    confidence: 0.85,
    text: 'Brewtech grinders retain up to 1.2 g of old grounds between doses, and owners complain about clumping with light roasts; its app has a 2.1 star rating.',
  },
  {
    tag: 'positioning',
    confidence: 0.8,
    text: 'Home baristas who upgrade from a blade grinder want cafe results without a learning curve; they compare prices online and read long reviews before buying.',
  },
  {
    tag: 'differentiation',
    confidence: 0.8,
    text: 'Aurora retains under 0.1 g of grounds and ships with light-roast presets, so the single-dose, no-clumping story is where it beats Brewtech.',
  },
  {
    tag: 'competitor_strengths',
    confidence: 0.7,
    text: 'Brewtech runs a trade-in programme worth 40 euros and bundles a year of beans with its premium model, which keeps its customers loyal.',
  },
];

async function researchStep(cast: Cast, id: (name: string) => string, workflowId: string): Promise<string[]> {
  heading('Research: the researcher runs its step and publishes its findings');
  await cast.researcher.request(START, { w: workflowId, s: 'research' });
  const ids: string[] = [];
  for (const finding of FINDINGS) {
    const { publishContext } = await cast.researcher.request<{ publishContext: { id: string; tokens: number } }>(PUBLISH, {
      input: { type: 'FINDING', text: finding.text, tags: [finding.tag, 'key_findings'], confidence: finding.confidence, workflowId },
    });
    ids.push(publishContext.id);
    detail(`[${finding.tag}] ${preview(finding.text, 80)} (${publishContext.tokens} tokens)`);
  }

  say('It tries to complete the step without publishing its confidence scores:');
  try {
    await cast.researcher.request(COMPLETE, { w: workflowId, s: 'research' });
    throw new Error('demo: expected completeStep to fail with MISSING_REQUIRED_CONTEXT');
  } catch (error) {
    if (!(error instanceof MeshError)) throw error;
    expect(error.code === 'MISSING_REQUIRED_CONTEXT', `MISSING_REQUIRED_CONTEXT, got ${error.code}`);
    say(`✗ ${error.code}: ${error.message}`);
    detail(`extensions.missing = ${JSON.stringify(error.extensions['missing'])}`);
  }
  const { publishContext: scores } = await cast.researcher.request<{ publishContext: { id: string } }>(PUBLISH, {
    input: {
      type: 'FINDING',
      text: 'Confidence scores: retail strength 0.9 (store locator, three reviews), retention 0.85 (two lab tests), positioning 0.8 (survey of 400 buyers).',
      tags: ['confidence_scores'],
      confidence: 0.9,
      workflowId,
    },
  });
  ids.push(scores.id);
  const { completeStep } = await cast.researcher.request<{ completeStep: { status: string } }>(COMPLETE, { w: workflowId, s: 'research' });
  say(`The fix: it publishes confidence_scores, and completeStep succeeds (${completeStep.status})`);
  return ids;
}

/** The prefetcher's backlog from /metrics: 0 once every prediction is computed. */
async function prefetchBacklog(graphqlUrl: string): Promise<{ backlog: number; computed: number } | null> {
  const response = await fetch(new URL('/metrics', graphqlUrl));
  if (!response.ok) return null;
  const text = await response.text();
  const value = (pattern: RegExp) => Number(pattern.exec(text)?.[1] ?? NaN);
  return {
    backlog: value(/^context_mesh_prefetch_backlog (\S+)$/m),
    computed: value(/^context_mesh_prefetches_total\{event="computed"\} (\S+)$/m) || 0,
  };
}

async function writerGetsPrefetch(cast: Cast, id: (name: string) => string, workflowId: string, url: string): Promise<Package> {
  heading('Prefetch: the writer’s package is ready before the writer asks');
  say('When the research step started and as it published, the mesh predicted what the next step (write) will ask');
  say('for, and computed that package in the background at low priority.');
  // Wait for the background work to settle (bounded): a real writer simply arrives later.
  for (let i = 0; i < 50; i++) {
    const state = await prefetchBacklog(url);
    if (!state || (state.backlog === 0 && state.computed > 0)) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await cast.writer.request(START, { w: workflowId, s: 'write' });
  const { contextFor: pkg } = await cast.writer.request<{ contextFor: Package }>(CONTEXT_FOR, { agentId: id('writer') });
  say(`The writer starts its step and asks contextFor with no task: source ${pkg.source}, ${pkg.timings.totalMs.toFixed(1)} ms`);
  detail(`stood in for the task: ${pkg.standIn?.basis} (step ${pkg.standIn?.stepId}): "${preview(pkg.task, 80)}"`);
  for (const item of pkg.items) detail(`${item.score.toFixed(2)} [${item.context.tags.join(', ')}] ${preview(item.context.text, 70)}`);
  if (pkg.compressed) {
    detail(`+ ${pkg.compressed.originalContextIds.length} more summarised (${pkg.compressed.method}, ${pkg.compressed.tokens} tokens)`);
  }
  say(`${pkg.tokens} of ${pkg.budget} tokens`);
  if (pkg.source !== 'PREFETCH') say('(prefetch is off or was invalidated: PREFETCH=off, or a write since changed the package)');
  // The same question computed afresh, for comparison: another budget is another package.
  const { contextFor: fresh } = await cast.writer.request<{ contextFor: Package }>(
    `query($agentId: ID!, $budget: Int) { contextFor(agentId: $agentId, budget: $budget) { ${PACKAGE_FIELDS} } }`,
    { agentId: id('writer'), budget: 116 },
  );
  say(`Computed on demand instead (the same question at another budget): ${fresh.source}, ${fresh.timings.totalMs.toFixed(1)} ms`);
  return pkg;
}

async function consensusAndConflict(admin: MeshClient, cast: Cast, id: (name: string) => string, workflowId: string): Promise<string> {
  heading('Consensus: findings that agree are merged, findings that conflict are escalated');
  const claimed = (client: MeshClient, claim: string, position: string, text: string, confidence: number) =>
    client.request<{ publishContext: { id: string } }>(PUBLISH, {
      input: { type: 'FINDING', text, claim, position, confidence, tags: ['pricing', 'key_findings'], workflowId },
    });
  await claimed(cast.researcher, 'market_growth', '12%', 'The home espresso grinder market grows 12% a year (industry report 2026).', 0.8);
  await claimed(cast.analyst, 'market_growth', '12.4%', 'Our sales panel shows 12.4% yearly growth for home grinders.', 0.7);
  const CONSENSUS = `mutation($claim: String!, $source: ID!) {
    buildConsensus(claim: $claim, sourceAgentId: $source) {
      reached agreement position consensus { id text } conflict { id escalatedTo { id } } positions { position share } } }`;
  type Result = {
    buildConsensus: {
      reached: boolean;
      agreement: number;
      position: string | null;
      consensus: { id: string; text: string } | null;
      conflict: { id: string; escalatedTo: { id: string }[] } | null;
      positions: { position: string; share: number }[];
    };
  };
  const growth = (await admin.request<Result>(CONSENSUS, { claim: 'market_growth', source: id('writer') })).buildConsensus;
  expect(growth.reached && growth.consensus !== null, 'consensus on market_growth');
  say(`market_growth: 12% and 12.4% agree within 5%: consensus reached (agreement ${pct(growth.agreement)}), position ${growth.position}`);

  await claimed(cast.researcher, 'competitor_price', '349 EUR', 'Brewtech’s grinder sells for 349 euros (its web shop, today).', 0.75);
  await claimed(cast.analyst, 'competitor_price', '499 EUR', 'Brewtech’s grinder lists at 499 euros in retail chains.', 0.75);
  const price = (await admin.request<Result>(CONSENSUS, { claim: 'competitor_price', source: id('writer') })).buildConsensus;
  expect(!price.reached && price.conflict !== null, 'a conflict on competitor_price');
  say(`competitor_price: ${price.positions.map((p) => `${p.position} (${pct(p.share)})`).join(' vs ')}: no consensus,`);
  say(`a conflict is recorded and escalated to ${price.conflict?.escalatedTo.map((a) => a.id).join(', ')}`);
  await new Promise((resolve) => setTimeout(resolve, 300));
  const { resolveConflict } = await cast.reviewer.request<{ resolveConflict: { resolution: { consensus: { id: string } | null } } }>(
    `mutation($id: ID!) { resolveConflict(id: $id, position: "349 EUR", rationale: "Web shop price; retail lists the old model") {
      resolution { consensus { id } } } }`,
    { id: price.conflict?.id },
  );
  say('The reviewer settles it: 349 EUR (the web shop price; retail lists the old model), published as a CONSENSUS context');
  return resolveConflict.resolution.consensus?.id ?? growth.consensus?.id ?? '';
}

interface Writing {
  pkg: Package;
  decisionId: string;
  draftId: string;
  snapshotId: string;
}

async function writingStep(
  admin: MeshClient,
  cast: Cast,
  id: (name: string) => string,
  workflowId: string,
  draftWriter: DraftWriter,
  usedIds: string[],
): Promise<Writing> {
  heading('Writing: a bad finding slips in and the writer uses it');
  const { createSnapshot } = await admin.request<{ createSnapshot: { id: string; seq: number } }>(
    `mutation($w: ID!) { createSnapshot(label: "before the draft", workflowId: $w) { id seq } }`,
    { w: workflowId },
  );
  say(`Snapshot "before the draft" at seq ${createSnapshot.seq}`);
  const { publishContext: rumour } = await cast.analyst.request<{ publishContext: { id: string } }>(PUBLISH, {
    input: {
      type: 'FINDING',
      text: 'Breaking: Brewtech is discontinuing its home grinder line this spring, leaving the premium segment open.',
      tags: ['competitor_weaknesses', 'positioning'],
      priority: 'CRITICAL',
      confidence: 0.6,
      workflowId,
    },
  });
  say('The analyst publishes a CRITICAL finding: "Brewtech is discontinuing its home grinder line" (it is false)');
  await new Promise((resolve) => setTimeout(resolve, 300));
  const task = 'Write the launch post for the Aurora grinder: how it beats Brewtech';
  const { contextFor: pkg } = await cast.writer.request<{ contextFor: Package }>(CONTEXT_FOR, { agentId: id('writer'), task, workflowId });
  expect(handedOver(pkg).includes(rumour.id), 'the rumour in the writer’s package');
  const draft = await draftWriter.write(task, pkg);
  say(`The writer asks for "${task}" and drafts${draftWriter.model ? ` (with ${draftWriter.model})` : ''}:`);
  detail(preview(draft, 200));
  const { publishContext: published } = await cast.writer.request<{ publishContext: { id: string } }>(PUBLISH, {
    input: {
      type: 'OUTPUT',
      text: draft,
      tags: ['draft'],
      dependencies: [...new Set([rumour.id, ...pkg.items.map((i) => i.context.id)])],
      workflowId,
    },
  });
  const { recordDecision } = await cast.writer.request<{ recordDecision: { id: string } }>(
    `mutation($input: RecordDecisionInput!) { recordDecision(input: $input) { id } }`,
    {
      input: {
        agentId: id('writer'),
        packageId: pkg.id,
        input: { task },
        output: { draftId: published.id },
        usedContextIds: [...new Set([rumour.id, ...usedIds.filter(Boolean)])],
      },
    },
  );
  await cast.writer.request(COMPLETE, { w: workflowId, s: 'write' });
  say(`Draft ${published.id} published (depends on what it used), decision ${recordDecision.id} recorded, step completed`);
  return { pkg, decisionId: recordDecision.id, draftId: published.id, snapshotId: createSnapshot.id };
}

async function reviewRollbackReplay(admin: MeshClient, cast: Cast, id: (name: string) => string, workflowId: string, writing: Writing) {
  heading('Review: the reviewer catches it; the workflow is rolled back and the writer’s decision replayed');
  await cast.reviewer.request(START, { w: workflowId, s: 'review' });
  const { contextFor: review } = await cast.reviewer.request<{ contextFor: Package }>(CONTEXT_FOR, { agentId: id('reviewer') });
  expect(handedOver(review).includes(writing.draftId), 'the draft in the reviewer’s package');
  say(`The reviewer's package (no task: its step stands in) holds the draft; Brewtech announced a new model yesterday.`);
  const { rollback } = await admin.request<{ rollback: { retracted: { id: string; text: string }[]; undoSnapshot: { id: string } } }>(
    `mutation($id: ID!) { rollback(snapshotId: $id) { retracted { id text } undoSnapshot { id } } }`,
    { id: writing.snapshotId },
  );
  say(`Rollback to "before the draft": ${rollback.retracted.length} contexts retracted (undo: rollback to ${rollback.undoSnapshot.id})`);
  for (const c of rollback.retracted) detail(preview(c.text, 80));
  const { publishContext: fix } = await cast.reviewer.request<{ publishContext: { id: string } }>(PUBLISH, {
    input: {
      type: 'CONSTRAINT',
      text: 'Brewtech is not leaving the market: it announced the Brewtech Pro 2 yesterday. Compare Aurora with the Pro 2, never claim Brewtech is exiting.',
      tags: ['competitor_weaknesses', 'positioning', 'brand_guidelines'],
      priority: 'IMPORTANT',
      workflowId,
    },
  });
  await cast.reviewer.request(COMPLETE, { w: workflowId, s: 'review' });
  say('It publishes the correction as a CONSTRAINT and completes its step; the workflow sends the work back to write');
  const { replayDecision: replay } = await cast.writer.request<{ replayDecision: Package }>(
    `query($d: ID!) { replayDecision(decisionId: $d, adjust: { refresh: true }) { ${PACKAGE_FIELDS} } }`,
    { d: writing.decisionId },
  );
  const before = new Set(handedOver(writing.pkg));
  const after = new Set(handedOver(replay));
  expect(
    after.has(fix.id) && !after.has(writing.pkg.items.find((i) => i.context.text.includes('discontinuing'))?.context.id ?? '-'),
    'the replay',
  );
  say(
    `Replaying the writer's decision from now: ${[...after].filter((c) => !before.has(c)).length} contexts in, ` +
      `${[...before].filter((c) => !after.has(c)).length} out; the correction is in, the false finding is not`,
  );
  for (const item of replay.items.slice(0, 3)) detail(`${item.score.toFixed(2)} ${item.context.type} ${preview(item.context.text, 70)}`);
  const { workflow } = await admin.request<{ workflow: { status: string; ready: { id: string }[] } }>(
    `query($w: ID!) { workflow(id: $w) { status ready { id } } }`,
    { w: workflowId },
  );
  say(`Workflow ${workflow.status}; ready to run: ${workflow.ready.map((s) => s.id).join(', ')}`);
}

interface Stats {
  deliveries: number;
  tokensDelivered: number;
  itemsUsed: number;
  feedbackCount: number;
  precision: number | null;
  tokensSavedByCompression: number;
  tokensSavedByFiltering: number;
  cacheHitRate: number | null;
  prefetchHitRate: number | null;
  conflictsRaised: number;
  conflictsResolved: number;
  medianDeliveredAgeSeconds: number | null;
  staleDeliveries: number;
}

async function effectiveness(admin: MeshClient, cast: Cast, id: (name: string) => string, workflowId: string, packages: Package[]) {
  heading('Effectiveness: the agents say what they used; the mesh adds it up');
  let words = 0;
  for (const pkg of packages) {
    for (const [index, item] of pkg.items.entries()) {
      const used = index < 3;
      await cast.writer.request(
        `mutation($p: ID!, $c: ID!, $used: Boolean!, $useful: Boolean) { feedback(packageId: $p, contextId: $c, used: $used, useful: $useful) { at } }`,
        { p: pkg.id, c: item.context.id, used, useful: used && !item.context.text.includes('discontinuing') },
      );
      words += 1;
    }
  }
  say(`The writer gave feedback on ${words} delivered items`);
  const { meshStats: s } = await admin.request<{ meshStats: Stats }>(
    `query($w: ID) { meshStats(workflowId: $w) { deliveries tokensDelivered itemsUsed feedbackCount precision tokensSavedByCompression
      tokensSavedByFiltering cacheHitRate prefetchHitRate conflictsRaised conflictsResolved medianDeliveredAgeSeconds staleDeliveries } }`,
    { w: workflowId },
  );
  detail(`deliveries: ${s.deliveries}, tokens delivered: ${s.tokensDelivered}`);
  detail(`precision (used ÷ items with feedback): ${pct(s.precision)} (${s.itemsUsed} of ${s.feedbackCount})`);
  detail(
    `tokens saved against handing over the whole pool: ${s.tokensSavedByFiltering} by filtering, ${s.tokensSavedByCompression} by compression`,
  );
  detail(`cache hit rate: ${pct(s.cacheHitRate)}, prefetch hit rate: ${pct(s.prefetchHitRate)}`);
  detail(`conflicts raised: ${s.conflictsRaised}, resolved: ${s.conflictsResolved}; stale deliveries: ${s.staleDeliveries}`);
  detail(`median age of what was delivered: ${s.medianDeliveredAgeSeconds?.toFixed(1) ?? 'n/a'} s`);
  void id;
}

interface LiveMap {
  flows: { producerId: string; consumerId: string; deliveries: number; tokens: number }[];
  isolatedAgents: { agentId: string; reason: string }[];
  unservedNeeds: { topic: string; agents: { id: string }[] }[];
  criticalPaths: { length: number; nodes: { stepId: string | null; sourceAgentId: string | null }[] }[];
  stepFailures: { kind: string; stepId: string; missing: string[] }[];
}

/** The article's context map (Phase 1), made live: what actually flowed between the agents of this run. */
async function contextMap(admin: MeshClient, workflowId: string) {
  heading('The context map of this run, from real traffic');
  const { contextMap: map } = await admin.request<{ contextMap: LiveMap }>(
    `query($w: ID) { contextMap(workflowId: $w) {
      flows { producerId consumerId deliveries tokens } isolatedAgents { agentId reason } unservedNeeds { topic agents { id } }
      criticalPaths { length nodes { stepId sourceAgentId } } stepFailures { kind stepId missing } } }`,
    { w: workflowId },
  );
  for (const flow of map.flows) detail(`${flow.producerId} → ${flow.consumerId}: ${flow.deliveries} deliveries, ${flow.tokens} tokens`);
  for (const agent of map.isolatedAgents) detail(`isolated: ${agent.agentId} (${agent.reason})`);
  for (const need of map.unservedNeeds) detail(`unserved need: ${need.topic} (${need.agents.map((a) => a.id).join(', ')})`);
  const [longest] = map.criticalPaths;
  if (longest) {
    const steps = longest.nodes.map((node) => node.stepId ?? node.sourceAgentId ?? '?');
    detail(`longest critical path (${longest.length} contexts): ${steps.join(' ← ')}`);
  }
  for (const failure of map.stepFailures) detail(`step failure: ${failure.stepId} ${failure.kind} [${failure.missing.join(', ')}]`);
}
