/**
 * Seeded, deterministic generator of the routing benchmark's scenario: a content pipeline (researcher,
 * analyst, product manager, writer, reviewer, legal, marketing, SEO, designer) sharing N context objects
 * about 10 products over 15 topics, plus (agent, task) queries with graded relevance judgments.
 *
 *   npx tsx bench/routing/generate.ts [--n 3000] [--seed 42] [--queries-per-template 2] [--out path.json]
 *
 * ## The world
 * Every context is about one facet: (topic, aspect, product), e.g. (competitor-analysis,
 * competitor-pricing, Aurora); constraint-like topics (brand-guidelines, regulations, data-privacy,
 * accessibility) also have general items (product = null) that apply to every product. Its text is
 * one of two paraphrases of a claim of that aspect, with slots (competitor, segment, region, numbers…)
 * filled at random, an opener by type and sometimes a trailing sentence; so items of one facet share
 * meaning, not strings. Besides, the stream holds:
 *   - dependency chains on one product (finding → analysis → draft → review, see CHAIN_TEMPLATES), and
 *     drafts that also depend on a brand/regulation constraint of their product;
 *   - near-duplicates (~8%): the other paraphrase of an earlier live item's claim with the same slot
 *     values, republished later by another agent, with different tags (independent items can also
 *     state the same proposition when a claim has few slots: they are grouped the same way);
 *   - retracted items (~3%, retracted after publishing) and expiring items (~4%, published last with a
 *     short expiry, expired before queries run); neither has dependents;
 *   - low-confidence items (~8%, confidence 0.15–0.34, text starts "Unconfirmed rumour:" or similar);
 *   - restricted items (~3% of regulations/data-privacy/pricing singles, `visibleTo` one other agent);
 *   - tags: the topic tag 70% of the time, the product name 50%, a wrong topic 15%, noise tags 30%;
 *   - explicit relevance for 1–2 agents needing the topic (15%) and, as noise, for an agent that does
 *     not need it (3%).
 *
 * ## Relevance rules (graded, per query; a query is (agent, task about product P, answer facets A,
 * needed facets K) from TASK_TEMPLATES; K = constraints the work must respect and earlier drafts or
 * feedback on the same deliverable)
 *   0  by default; always 0 when the item is retracted, expired, or not visible to the agent.
 *   3  directly answers: its (topic, aspect) ∈ A and its product is P.
 *   2  needed: (a) (topic, aspect) ∈ A and it applies to every product; (b) (topic, aspect) ∈ K and
 *      its product is P or every product (a constraint to respect, or earlier work to build on);
 *      (c) a live, visible transitive dependency of a grade-3 item (what an answer builds on).
 *   1  related: its topic is a topic of A or K (other aspect or product), or its product is P and its
 *      topic is one the agent needs.
 *   A low-confidence item loses one grade (an unverified rumour is worth less than a fact).
 * Items stating the same proposition (same facet, claim and slot values: near-duplicates and
 * coincidental restatements) form a group (`truth.group`): metrics count a group once, and a second
 * member in a ranking earns nothing (see metrics.ts), so de-duplication is rewarded, not punished. Judgments come only
 * from this generator's knowledge of facets, lifecycles and edges, never from a model.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  AGENTS,
  type AgentSpec,
  CHAIN_TEMPLATES,
  type ContextType,
  GENERIC_PRODUCT_PHRASES,
  LOW_CONFIDENCE_OPENERS,
  MISC_TAGS,
  OPENERS,
  PRODUCTS,
  SLOT_VALUES,
  TASK_TEMPLATES,
  TOPICS,
  type Topic,
  TRAILERS,
} from './vocabulary.js';

export type Priority = 'ROUTINE' | 'IMPORTANT' | 'CRITICAL';
export type Lifecycle = 'live' | 'retracted' | 'expiring';

export interface ContextTruth {
  topic: string;
  aspect: string;
  /** Product name, or null for items that apply to every product. */
  product: string | null;
  /** Group of items stating the same proposition (same facet, claim and slot values): its first item's id. */
  group: string;
  duplicateOf: string | null;
  /** `expiring` items are published last with a short expiry and are expired when queries run. */
  lifecycle: Lifecycle;
  lowConfidence: boolean;
  /** Index of the dependency chain it belongs to, if any. */
  chain: number | null;
}

export interface ScenarioContext {
  id: string;
  /** Publish order (1-based); dependencies always come earlier. */
  seq: number;
  type: ContextType;
  text: string;
  tags: string[];
  priority: Priority;
  confidence: number;
  dependencies: string[];
  sourceAgentId: string;
  visibleTo: string[] | null;
  relevance: { agentId: string; score: number }[];
  truth: ContextTruth;
}

export interface ScenarioQuery {
  id: string;
  agentId: string;
  task: string;
  product: string;
  answer: string[];
  /** Constraints to respect and earlier work on the same deliverable. */
  needed: string[];
  /** Context id → grade (1..3); absent means 0. */
  judgments: Record<string, number>;
}

export interface Scenario {
  seed: number;
  n: number;
  agents: AgentSpec[];
  contexts: ScenarioContext[];
  queries: ScenarioQuery[];
}

export interface GenerateOptions {
  n?: number;
  seed?: number;
  queriesPerTemplate?: number;
}

/** mulberry32: small, fast, good enough for test data, and the same on every platform. */
export function createRng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => {
    if (items.length === 0) throw new Error('pick from empty list');
    return items[Math.floor(next() * items.length)] as T;
  };
  const weighted = <T>(items: readonly (readonly [T, number])[]): T => {
    const total = items.reduce((sum, [, w]) => sum + w, 0);
    let r = next() * total;
    for (const [item, w] of items) {
      r -= w;
      if (r < 0) return item;
    }
    return (items[items.length - 1] as readonly [T, number])[0];
  };
  const chance = (p: number) => next() < p;
  return { next, int, pick, weighted, chance };
}
type Rng = ReturnType<typeof createRng>;

const TOPIC_BY_ID = new Map(TOPICS.map((t) => [t.id, t]));
const PRODUCT_BY_NAME = new Map(PRODUCTS.map((p) => [p.name, p]));
/** Zipf-like product popularity: the first products get more context than the last. */
const PRODUCT_WEIGHTS: [string, number][] = PRODUCTS.map((p, i) => [p.name, 1 / Math.pow(i + 1, 0.7)]);
const TOPIC_WEIGHTS: [Topic, number][] = TOPICS.map((t) => [t, t.weight]);

export const facetKey = (topic: string, aspect: string) => `${topic}/${aspect}`;

interface Draft {
  topic: Topic;
  aspect: string;
  product: string | null;
  claim: string[];
  form: number;
  slots: Record<string, string>;
  type: ContextType;
  lifecycle: Lifecycle;
  lowConfidence: boolean;
  chain: number | null;
  /** Earlier drafts this one depends on. */
  deps: Draft[];
  duplicateOf: Draft | null;
  /** Publish position in [0, 1) (expiring items 1 + x: published last). */
  position: number;
  restricted: boolean;
  id?: string;
}

function fillSlots(rng: Rng): Record<string, string> {
  return {
    C: rng.pick(SLOT_VALUES.C),
    seg: rng.pick(SLOT_VALUES.seg),
    role: rng.pick(SLOT_VALUES.role),
    reg: rng.pick(SLOT_VALUES.reg),
    ch: rng.pick(SLOT_VALUES.ch),
    q: rng.pick(SLOT_VALUES.q),
    n: String(rng.int(2, 40)),
    pct: String(rng.int(5, 60)),
    price: String(rng.int(9, 99)),
  };
}

function productPhrase(rng: Rng, product: string | null): { P: string; name: string; cat: string; kw: string } {
  if (product === null) return { P: rng.pick(GENERIC_PRODUCT_PHRASES), name: 'the product', cat: 'product', kw: 'business software' };
  const p = PRODUCT_BY_NAME.get(product);
  if (!p) throw new Error(`unknown product ${product}`);
  return { P: rng.chance(0.5) ? p.name : `the ${p.name} ${p.category}`, name: p.name, cat: p.category, kw: p.keyword };
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function render(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`no value for {${key}} in "${template}"`);
    return value;
  });
}

function renderText(rng: Rng, draft: Draft): string {
  const values = { ...draft.slots, ...productPhrase(rng, draft.product) };
  const claim = capitalise(render(draft.claim[draft.form] as string, values));
  const opener = draft.lowConfidence ? rng.pick(LOW_CONFIDENCE_OPENERS) : rng.pick(OPENERS[draft.type]);
  const trailer = rng.chance(0.4) ? ` ${render(rng.pick(TRAILERS[draft.type]), values)}` : '';
  return `${opener}${claim}${trailer}`;
}

function newDraft(rng: Rng, topic: Topic, aspectId: string | null, product: string | null | undefined): Draft {
  const aspect = aspectId ? topic.aspects.find((a) => a.id === aspectId) : rng.pick(topic.aspects);
  if (!aspect) throw new Error(`unknown aspect ${aspectId} of ${topic.id}`);
  const resolvedProduct =
    product !== undefined ? product : topic.generalShare > 0 && rng.chance(topic.generalShare) ? null : rng.weighted(PRODUCT_WEIGHTS);
  const claim = rng.pick(aspect.claims);
  return {
    topic,
    aspect: aspect.id,
    product: resolvedProduct,
    claim,
    form: rng.int(0, claim.length - 1),
    slots: fillSlots(rng),
    type: rng.weighted(topic.types),
    lifecycle: 'live',
    lowConfidence: false,
    chain: null,
    deps: [],
    duplicateOf: null,
    position: rng.next(),
    restricted: false,
  };
}

function producersOf(topic: string): AgentSpec[] {
  return AGENTS.filter((a) => a.produces.includes(topic));
}

export function generateScenario(options: GenerateOptions = {}): Scenario {
  const n = options.n ?? 3000;
  const seed = options.seed ?? 42;
  const queriesPerTemplate = options.queriesPerTemplate ?? 2;
  const rng = createRng(seed);

  const nDuplicates = Math.round(n * 0.08);
  const nExpiring = Math.round(n * 0.04);
  const nRetracted = Math.round(n * 0.03);
  const chainTarget = Math.round(n * 0.2);

  const drafts: Draft[] = [];
  // Chains: one product, each step depends on the previous; positions increase along the chain.
  let chainIndex = 0;
  let chainItems = 0;
  while (chainItems < chainTarget) {
    const template = rng.pick(CHAIN_TEMPLATES);
    const product = rng.weighted(PRODUCT_WEIGHTS);
    const positions = template.map(() => rng.next()).sort((a, b) => a - b);
    let previous: Draft | null = null;
    template.forEach((facet, i) => {
      const [topicId, aspectId] = facet.split('/') as [string, string];
      const topic = TOPIC_BY_ID.get(topicId);
      if (!topic) throw new Error(`unknown topic ${topicId}`);
      const draft = newDraft(rng, topic, aspectId, product);
      draft.chain = chainIndex;
      draft.position = positions[i] as number;
      if (i > 0) draft.type = topicId === 'draft-content' ? 'OUTPUT' : rng.chance(0.5) ? 'SUMMARY' : draft.type;
      if (previous) draft.deps.push(previous);
      drafts.push(draft);
      previous = draft;
    });
    chainIndex += 1;
    chainItems += template.length;
  }

  // Singles (some retracted, some low-confidence, some restricted).
  const nSingles = n - drafts.length - nDuplicates - nExpiring;
  const singles: Draft[] = [];
  for (let i = 0; i < nSingles; i += 1) {
    const draft = newDraft(rng, rng.weighted(TOPIC_WEIGHTS), null, undefined);
    if (rng.chance(0.08)) draft.lowConfidence = true;
    if (['regulations', 'data-privacy', 'pricing'].includes(draft.topic.id) && rng.chance(0.1)) draft.restricted = true;
    singles.push(draft);
  }
  // Singles are in random order already, so the first ones are as good a sample as any.
  for (let i = 0; i < nRetracted && i < singles.length; i += 1) (singles[i] as Draft).lifecycle = 'retracted';
  drafts.push(...singles);
  for (const d of drafts) if (d.chain !== null && rng.chance(0.08)) d.lowConfidence = true;

  // Near-duplicates: the other paraphrase of a live, unrestricted item's claim, same slots, published later.
  const originals = drafts.filter((d) => d.lifecycle === 'live' && !d.restricted && d.claim.length > 1);
  for (let i = 0; i < nDuplicates; i += 1) {
    const original = rng.pick(originals);
    drafts.push({
      ...original,
      form: (original.form + 1) % original.claim.length,
      deps: [],
      chain: null,
      duplicateOf: original,
      position: original.position + rng.next() * (1 - original.position),
      lowConfidence: original.lowConfidence,
    });
  }

  // Expiring items: published last (position ≥ 1), no dependents.
  for (let i = 0; i < nExpiring; i += 1) {
    const draft = newDraft(rng, rng.weighted(TOPIC_WEIGHTS), null, undefined);
    draft.lifecycle = 'expiring';
    draft.position = 1 + rng.next();
    drafts.push(draft);
  }

  drafts.sort((a, b) => a.position - b.position);
  drafts.forEach((d, i) => {
    d.id = `ctx-${String(i + 1).padStart(6, '0')}`;
  });

  // Drafts also depend on a brand or advertising constraint of their product published before them.
  const latestConstraint = new Map<string, Draft>();
  for (const d of drafts) {
    if (d.lifecycle !== 'live' || d.restricted || d.product === null) continue;
    if (d.topic.id === 'brand-guidelines' || d.topic.id === 'regulations') latestConstraint.set(d.product, d);
    if (d.topic.id === 'draft-content' && d.chain !== null && d.duplicateOf === null && rng.chance(0.5)) {
      const constraint = latestConstraint.get(d.product);
      if (constraint) d.deps.push(constraint);
    }
  }

  // Items stating the same proposition (facet, claim, slot values) form one group, whether or not they
  // were generated as near-duplicates: the first published one names the group.
  const groups = new Map<string, string>();
  const groupOfDraft = new Map<Draft, string>();
  for (const d of drafts) {
    const claimIndex = (d.topic.aspects.find((a) => a.id === d.aspect)?.claims ?? []).indexOf(d.claim);
    const used = [...new Set(d.claim.flatMap((form) => [...form.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string)))]
      .filter((slot) => slot in d.slots)
      .sort();
    const key = [d.topic.id, d.aspect, d.product ?? '*', claimIndex, ...used.map((slot) => d.slots[slot])].join('|');
    if (!groups.has(key)) groups.set(key, d.id as string);
    groupOfDraft.set(d, groups.get(key) as string);
  }
  const contexts: ScenarioContext[] = drafts.map((d, i) => buildContext(rng, d, i + 1, groupOfDraft.get(d) as string));
  const queries = buildQueries(rng, contexts, queriesPerTemplate);
  return { seed, n, agents: AGENTS, contexts, queries };
}

function buildContext(rng: Rng, d: Draft, seq: number, group: string): ScenarioContext {
  const id = d.id as string;
  const producers = producersOf(d.topic.id);
  const source = d.duplicateOf ? rng.pick(AGENTS).id : (rng.pick(producers.length > 0 ? producers : AGENTS) as AgentSpec).id;
  const tags = new Set<string>();
  if (rng.chance(0.7)) tags.add(d.topic.id);
  if (d.product && rng.chance(0.5)) tags.add(d.product.toLowerCase());
  if (rng.chance(0.15)) tags.add(rng.pick(TOPICS).id);
  if (rng.chance(0.3)) tags.add(rng.pick(MISC_TAGS));

  const constraintLike = d.type === 'CONSTRAINT';
  const priority: Priority = rng.weighted<Priority>(
    constraintLike
      ? [
          ['CRITICAL', 0.15],
          ['IMPORTANT', 0.4],
          ['ROUTINE', 0.45],
        ]
      : [
          ['CRITICAL', 0.03],
          ['IMPORTANT', 0.2],
          ['ROUTINE', 0.77],
        ],
  );
  const confidence = d.lowConfidence ? 0.15 + rng.next() * 0.19 : 0.6 + rng.next() * 0.4;

  const needing = AGENTS.filter((a) => a.needs.includes(d.topic.id) && a.id !== source);
  const relevance: { agentId: string; score: number }[] = [];
  if (needing.length > 0 && rng.chance(0.15)) {
    const first = rng.pick(needing);
    relevance.push({ agentId: first.id, score: round(0.6 + rng.next() * 0.35) });
    const second = rng.pick(needing);
    if (second.id !== first.id && rng.chance(0.5)) relevance.push({ agentId: second.id, score: round(0.6 + rng.next() * 0.35) });
  }
  if (rng.chance(0.03)) {
    const unrelated = AGENTS.filter((a) => !a.needs.includes(d.topic.id) && a.id !== source && !relevance.some((r) => r.agentId === a.id));
    if (unrelated.length > 0) relevance.push({ agentId: rng.pick(unrelated).id, score: 0.9 });
  }

  let visibleTo: string[] | null = null;
  if (d.restricted) {
    const reader = needing.length > 0 ? rng.pick(needing) : rng.pick(AGENTS.filter((a) => a.id !== source));
    visibleTo = [reader.id];
  }

  return {
    id,
    seq,
    type: d.type,
    text: renderText(rng, d),
    tags: [...tags],
    priority,
    confidence: round(confidence),
    dependencies: d.deps.map((dep) => dep.id as string),
    sourceAgentId: source,
    visibleTo,
    relevance,
    truth: {
      topic: d.topic.id,
      aspect: d.aspect,
      product: d.product,
      group,
      duplicateOf: d.duplicateOf ? (d.duplicateOf.id as string) : null,
      lifecycle: d.lifecycle,
      lowConfidence: d.lowConfidence,
      chain: d.chain,
    },
  };
}

const round = (x: number) => Math.round(x * 1000) / 1000;

export function isVisibleTo(c: ScenarioContext, agentId: string): boolean {
  return c.visibleTo === null || c.sourceAgentId === agentId || c.visibleTo.includes(agentId);
}

/** Applies the relevance rules in the header to every context for one query. */
export function judge(
  contexts: readonly ScenarioContext[],
  query: Pick<ScenarioQuery, 'agentId' | 'product' | 'answer' | 'needed'>,
): Record<string, number> {
  const agent = AGENTS.find((a) => a.id === query.agentId);
  if (!agent) throw new Error(`unknown agent ${query.agentId}`);
  const answer = new Set(query.answer);
  const needed = new Set(query.needed);
  const topics = new Set([...query.answer, ...query.needed].map((f) => f.split('/')[0] as string));
  const byId = new Map(contexts.map((c) => [c.id, c]));
  const eligible = (c: ScenarioContext) => c.truth.lifecycle === 'live' && isVisibleTo(c, query.agentId);

  const raw = new Map<string, number>();
  for (const c of contexts) {
    if (!eligible(c)) continue;
    const facet = facetKey(c.truth.topic, c.truth.aspect);
    const p = c.truth.product;
    let grade = 0;
    if (answer.has(facet) && p === query.product) grade = 3;
    else if (answer.has(facet) && p === null) grade = 2;
    else if (needed.has(facet) && (p === query.product || p === null)) grade = 2;
    else if (topics.has(c.truth.topic) || (p === query.product && agent.needs.includes(c.truth.topic))) grade = 1;
    if (grade > 0) raw.set(c.id, grade);
  }
  // (c) transitive dependencies of direct answers are needed.
  const answers = [...raw].filter(([, g]) => g === 3).map(([id]) => id);
  const seen = new Set<string>();
  const stack = answers.flatMap((id) => byId.get(id)?.dependencies ?? []);
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (seen.has(id)) continue;
    seen.add(id);
    const c = byId.get(id);
    if (!c) continue;
    if (eligible(c)) raw.set(id, Math.max(raw.get(id) ?? 0, 2));
    stack.push(...c.dependencies);
  }
  const judgments: Record<string, number> = {};
  for (const [id, grade] of raw) {
    const c = byId.get(id) as ScenarioContext;
    const final = c.truth.lowConfidence ? grade - 1 : grade;
    if (final > 0) judgments[id] = final;
  }
  return judgments;
}

function buildQueries(rng: Rng, contexts: readonly ScenarioContext[], perTemplate: number): ScenarioQuery[] {
  const queries: ScenarioQuery[] = [];
  TASK_TEMPLATES.forEach((template, t) => {
    const used = new Set<string>();
    for (let attempt = 0; used.size < perTemplate && attempt < 50; attempt += 1) {
      const product = rng.weighted(PRODUCT_WEIGHTS);
      if (used.has(product)) continue;
      const base = { agentId: template.agentId, product, answer: template.answer, needed: template.needed };
      const judgments = judge(contexts, base);
      // A query needs something to find: at least 3 direct answers.
      if (Object.values(judgments).filter((g) => g === 3).length < 3) continue;
      used.add(product);
      const p = PRODUCT_BY_NAME.get(product) as (typeof PRODUCTS)[number];
      const task = capitalise(
        render(template.text, { P: rng.chance(0.5) ? p.name : `the ${p.name} ${p.category}`, name: p.name, cat: p.category }),
      );
      queries.push({ id: `q${String(t + 1).padStart(2, '0')}-${product.toLowerCase()}`, ...base, task, judgments });
    }
  });
  return queries;
}

export function scenarioStats(s: Scenario) {
  const count = (f: (c: ScenarioContext) => boolean) => s.contexts.filter(f).length;
  const perQuery = s.queries.map((q) => Object.values(q.judgments));
  const mean = (xs: number[]) => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);
  return {
    contexts: s.contexts.length,
    agents: s.agents.length,
    queries: s.queries.length,
    live: count((c) => c.truth.lifecycle === 'live'),
    retracted: count((c) => c.truth.lifecycle === 'retracted'),
    expiring: count((c) => c.truth.lifecycle === 'expiring'),
    duplicates: count((c) => c.truth.duplicateOf !== null),
    groups: new Set(s.contexts.map((c) => c.truth.group)).size,
    lowConfidence: count((c) => c.truth.lowConfidence),
    restricted: count((c) => c.visibleTo !== null),
    withDependencies: count((c) => c.dependencies.length > 0),
    meanGrade3PerQuery: round(mean(perQuery.map((g) => g.filter((x) => x === 3).length))),
    meanGrade2PerQuery: round(mean(perQuery.map((g) => g.filter((x) => x === 2).length))),
    meanGrade1PerQuery: round(mean(perQuery.map((g) => g.filter((x) => x === 1).length))),
  };
}

export function parseArgs(argv: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] as string;
    if (!arg.startsWith('--')) continue;
    const [key, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    if (inline !== undefined) out[key] = inline;
    else if (i + 1 < argv.length && !(argv[i + 1] as string).startsWith('--')) out[key] = argv[++i] as string;
    else out[key] = 'true';
  }
  return out;
}

const here = path.dirname(fileURLToPath(import.meta.url));
export const defaultScenarioPath = (n: number, seed: number) => path.join(here, 'out', `scenario-${n}-s${seed}.json`);

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = parseArgs(process.argv.slice(2));
  const n = Number(args['n'] ?? 3000);
  const seed = Number(args['seed'] ?? 42);
  const started = Date.now();
  const scenario = generateScenario({ n, seed, queriesPerTemplate: Number(args['queries-per-template'] ?? 2) });
  const out = args['out'] ?? defaultScenarioPath(n, seed);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(scenario, null, 1));
  console.log(`wrote ${out} in ${Date.now() - started} ms`);
  console.log(scenarioStats(scenario));
  for (const c of scenario.contexts.slice(0, 8)) console.log(`  ${c.id} [${c.type}] ${c.text}`);
  for (const q of scenario.queries.slice(0, 5)) console.log(`  ${q.id} (${q.agentId}) ${q.task}`);
}
