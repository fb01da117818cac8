/**
 * Effectiveness of the mesh over a set of recorded packages (README "Effectiveness: feedback and meshStats"):
 * what was delivered, what the agents said they used, and what routing saved them. Pure: the store reads the
 * packages, their feedback and the delivered versions' times; this adds them up.
 */
import type { PackageRecord } from '../history/package-records.js';

/** An agent's word on one context of one package; a later word on the same pair replaces it. */
export interface FeedbackRecord {
  packageId: string;
  contextId: string;
  agentId: string;
  used: boolean;
  /** Null when the agent did not say. */
  useful: boolean | null;
  /** When feedback on the pair was first given. */
  at: string;
  /** When it was last given (equals `at` until replaced). */
  updatedAt: string;
}

/** The numbers of one slice (everything, one agent, one workflow); definitions in schema/effectiveness.graphql. */
export interface EffectivenessNumbers {
  deliveries: number;
  itemsDelivered: number;
  tokensDelivered: number;
  feedbackCount: number;
  itemsUsed: number;
  tokensUsed: number;
  usefulCount: number;
  precision: number | null;
  tokensSavedByCompression: number;
  /** Pool tokens minus the tokens of the items and of the summarised originals, over packages whose pool was measured. */
  tokensSavedByFiltering: number;
  /** Packages whose pool was measured (the base of tokensSavedByFiltering). */
  poolMeasuredDeliveries: number;
  /** Delivered items that were stale (drift) when delivered (STALE_ROUTING=demote lets them through, demoted). */
  staleDeliveries: number;
  duplicatesDropped: number;
  belowThresholdDropped: number;
  staleDropped: number;
  cacheHitRate: number | null;
  coalescedRate: number | null;
  /** Answers served from a prefetched package ÷ deliveries. */
  prefetchHitRate: number | null;
  medianDeliveredAgeSeconds: number | null;
}

export interface AgentNumbers extends EffectivenessNumbers {
  agentId: string;
}

export interface WorkflowNumbers extends EffectivenessNumbers {
  /** Null: packages asked outside any workflow. */
  workflowId: string | null;
}

export interface MeshNumbers extends EffectivenessNumbers {
  perAgent: AgentNumbers[];
  perWorkflow: WorkflowNumbers[];
}

export interface MeshStatsInput {
  packages: readonly PackageRecord[];
  /** Feedback on those packages (feedback on other packages is ignored). */
  feedback: readonly FeedbackRecord[];
  /** When each delivered version was written, by `versionKey` (`contextId@version`); a missing one is left out of the age. */
  versionTimes: ReadonlyMap<string, string>;
}

const ratio = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);

/** The middle value (mean of the two middle ones for an even count); null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] ?? 0;
  return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] ?? 0) + upper) / 2;
}

/**
 * Tokens the summary saved: the originals' tokens minus the summary's. The body records the summary's tokens
 * and the ratio originals ÷ summary, so the originals' tokens are `round(tokens × ratio)`.
 */
export function compressionSavings(compressed: PackageRecord['body']['compressed']): number {
  if (!compressed) return 0;
  return Math.max(0, Math.round(compressed.tokens * compressed.compressionRatio) - compressed.tokens);
}

/**
 * Tokens filtering saved against handing over the whole pool: what the package left out entirely (neither an item
 * nor summarised). Handing over everything would cost `poolTokens`; the package costs its items plus the summary, and
 * the summary's share of the saving is `compressionSavings`, so filtering saved pool − items − originals. Never below 0
 * (the pool is measured when the package is logged, and may have shrunk since the package was computed).
 */
export function filteringSavings(poolTokens: number, body: PackageRecord['body']): number {
  const items = body.items.reduce((sum, item) => sum + item.tokens, 0);
  const originals = body.compressed ? body.compressed.tokens + compressionSavings(body.compressed) : 0;
  return Math.max(0, poolTokens - items - originals);
}

/** Zero counts and null rates: the numbers of a slice before its packages are added. */
function emptyNumbers(deliveries: number): EffectivenessNumbers {
  return {
    deliveries,
    itemsDelivered: 0,
    tokensDelivered: 0,
    feedbackCount: 0,
    itemsUsed: 0,
    tokensUsed: 0,
    usefulCount: 0,
    precision: null,
    tokensSavedByCompression: 0,
    tokensSavedByFiltering: 0,
    poolMeasuredDeliveries: 0,
    staleDeliveries: 0,
    duplicatesDropped: 0,
    belowThresholdDropped: 0,
    staleDropped: 0,
    cacheHitRate: null,
    coalescedRate: null,
    prefetchHitRate: null,
    medianDeliveredAgeSeconds: null,
  };
}

/** The numbers of one slice of packages. */
export function effectivenessOf(
  packages: readonly PackageRecord[],
  feedback: ReadonlyMap<string, readonly FeedbackRecord[]>,
  versionTimes: ReadonlyMap<string, string>,
): EffectivenessNumbers {
  const n = emptyNumbers(packages.length);
  const ages: number[] = [];
  let cached = 0;
  let coalesced = 0;
  let prefetched = 0;
  for (const pkg of packages) {
    const { body } = pkg;
    if (pkg.cached) cached += 1;
    if (pkg.coalesced) coalesced += 1;
    if (pkg.prefetched) prefetched += 1;
    n.itemsDelivered += body.items.length;
    n.tokensDelivered += body.tokens;
    n.tokensSavedByCompression += compressionSavings(body.compressed);
    if (pkg.poolTokens !== null && pkg.poolTokens !== undefined) {
      n.poolMeasuredDeliveries += 1;
      n.tokensSavedByFiltering += filteringSavings(pkg.poolTokens, body);
    }
    n.staleDeliveries += body.items.filter((item) => item.stale === true).length;
    for (const dropped of body.dropped) {
      if (dropped.reason === 'DUPLICATE') n.duplicatesDropped += 1;
      else if (dropped.reason === 'BELOW_THRESHOLD') n.belowThresholdDropped += 1;
      else n.staleDropped += 1;
    }
    const deliveredAt = Date.parse(pkg.at);
    const itemTokens = new Map<string, number>();
    for (const item of body.items) {
      itemTokens.set(item.contextId, item.tokens);
      const written = versionTimes.get(`${item.contextId}@${item.version}`);
      if (written !== undefined) ages.push(Math.max(0, (deliveredAt - Date.parse(written)) / 1000));
    }
    for (const word of feedback.get(pkg.id) ?? []) {
      n.feedbackCount += 1;
      if (word.useful === true) n.usefulCount += 1;
      if (!word.used) continue;
      n.itemsUsed += 1;
      // A summarised original has no tokens of its own in the package: it counts as used, with 0 tokens.
      n.tokensUsed += itemTokens.get(word.contextId) ?? 0;
    }
  }
  n.precision = ratio(n.itemsUsed, n.feedbackCount);
  n.cacheHitRate = ratio(cached, packages.length);
  n.coalescedRate = ratio(coalesced, packages.length);
  n.prefetchHitRate = ratio(prefetched, packages.length);
  n.medianDeliveredAgeSeconds = median(ages);
  return n;
}

function groupBy<K>(packages: readonly PackageRecord[], key: (pkg: PackageRecord) => K): Map<K, PackageRecord[]> {
  const groups = new Map<K, PackageRecord[]>();
  for (const pkg of packages) {
    const k = key(pkg);
    const group = groups.get(k);
    if (group) group.push(pkg);
    else groups.set(k, [pkg]);
  }
  return groups;
}

const byKey = (a: string | null, b: string | null) => (a ?? '').localeCompare(b ?? '');

/** Totals, and the same numbers per agent and per workflow (each sorted by id; packages outside a workflow last). */
export function meshStats({ packages, feedback, versionTimes }: MeshStatsInput): MeshNumbers {
  const ids = new Set(packages.map((pkg) => pkg.id));
  const byPackage = new Map<string, FeedbackRecord[]>();
  for (const word of feedback) {
    if (!ids.has(word.packageId)) continue;
    const list = byPackage.get(word.packageId);
    if (list) list.push(word);
    else byPackage.set(word.packageId, [word]);
  }
  const perAgent = [...groupBy(packages, (pkg) => pkg.agentId)]
    .sort(([a], [b]) => byKey(a, b))
    .map(([agentId, group]) => ({ agentId, ...effectivenessOf(group, byPackage, versionTimes) }));
  const perWorkflow = [...groupBy(packages, (pkg) => pkg.body.workflowId ?? null)]
    .sort(([a], [b]) => (a === null ? 1 : b === null ? -1 : byKey(a, b)))
    .map(([workflowId, group]) => ({ workflowId, ...effectivenessOf(group, byPackage, versionTimes) }));
  return { ...effectivenessOf(packages, byPackage, versionTimes), perAgent, perWorkflow };
}
