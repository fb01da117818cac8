import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { MessageBus } from '../../domain/broadcast/bus.js';
import { computeConsensus, normalizePosition, type ConsensusOutcome, type WeightBy } from '../../domain/consensus/agreement.js';
import { maySettle, type ConflictRecord, type ConflictResolution, type RecordedPosition } from '../../domain/consensus/conflict.js';
import { consensusReaders, escalationTargets } from '../../domain/consensus/escalation.js';
import type { ConsensusStore, InputRecord } from '../../domain/consensus/ports.js';
import { normalizeTopic } from '../../domain/context-map.js';
import { changedBy } from '../../domain/context-rules.js';
import { AlreadyExistsError, BadInputError, ConflictAlreadyResolvedError, ForbiddenError, NotFoundError } from '../../domain/errors.js';
import type { Clock } from '../../domain/ports.js';
import type { ContextRecord, Viewer } from '../../domain/types.js';
import type { ContextService } from '../contexts.js';
import { contextId, parseInput, positionText } from '../validation.js';
import { parseConsensusArgs, selectInputs, type ConsensusArgs, type Grouping } from './inputs.js';

export interface ConsensusResultView {
  claim: string | null;
  groupedBy: Grouping;
  groups: { contextIds: string[]; selected: boolean }[];
  weightBy: WeightBy;
  tolerance: number;
  minimumAgreement: number;
  agreement: number;
  position: string | null;
  totalWeight: number;
  tied: boolean;
  reached: boolean;
  positions: RecordedPosition[];
  inputIds: string[];
  consensus: ContextRecord | null;
  conflict: ConflictRecord | null;
}

export interface ConsensusServiceDeps {
  store: ConsensusStore;
  contexts: Pick<ContextService, 'publish'>;
  bus: MessageBus;
  clock: Clock;
  /** CONSENSUS_ESCALATION_AGENTS: where a conflict goes when no rule matches (empty: admins only). */
  defaultEscalationAgents: readonly string[];
  onError?: (error: unknown, what: string) => void;
}

const rationaleSchema = z.string().trim().min(1, 'must not be empty').max(2000).nullish();
const unique = <T>(values: Iterable<T>) => [...new Set(values)];
const positionsOf = (outcome: ConsensusOutcome): RecordedPosition[] =>
  outcome.groups.map(({ position, weight, share, agentIds, contextIds }) => ({ position, weight, share, agentIds, contextIds }));

/**
 * buildConsensus and resolveConflict: weigh the positions of findings that answer one question; at or above
 * the bar publish a CONSENSUS context (the ordinary publish path) that depends on its inputs; below it record a
 * Conflict, escalated durably to its agents and announced live (src/app/consensus/README in the main README).
 */
export class ConsensusService {
  constructor(private readonly deps: ConsensusServiceDeps) {}

  async build(viewer: Viewer, raw: Record<string, unknown>): Promise<ConsensusResultView> {
    const args = parseConsensusArgs(raw);
    const source = this.sourceOf(viewer, args.sourceAgentId);
    const { inputs, groups } = await selectInputs({ store: this.deps.store, now: () => this.deps.clock.now() }, viewer, args);
    const outcome = computeConsensus(
      inputs.map((i) => ({
        contextId: i.context.id,
        agentId: i.context.sourceAgentId,
        position: i.context.position ?? i.context.text,
        confidence: i.context.confidence,
        trust: i.trust,
      })),
      args.weightBy,
      args.tolerance,
    );
    const claim = args.groupBy === 'CLAIM' ? args.claim : args.groupBy === 'IDS' ? commonClaim(inputs) : null;
    const reached = outcome.position !== null && outcome.agreement >= args.minimumAgreement;
    const view: ConsensusResultView = {
      claim,
      groupedBy: args.groupBy,
      groups,
      weightBy: args.weightBy,
      tolerance: args.tolerance,
      minimumAgreement: args.minimumAgreement,
      agreement: outcome.agreement,
      position: outcome.position,
      totalWeight: outcome.totalWeight,
      tied: outcome.tied,
      reached,
      positions: positionsOf(outcome),
      inputIds: inputs.map((i) => i.context.id),
      consensus: null,
      conflict: null,
    };
    if (reached) view.consensus = await this.publishConsensus(viewer, source, view, inputs, args);
    else if (args.escalateConflicts) view.conflict = await this.recordConflict(viewer, view, inputs);
    return view;
  }

  /** Who a CONSENSUS context is sourced to: the calling agent; with the admin key, `sourceAgentId` (as publishContext). */
  private sourceOf(viewer: Viewer, requested: string | null): string | null {
    if (viewer.kind === 'agent') {
      if (requested !== null && requested !== viewer.agentId) {
        throw new ForbiddenError(`An agent publishes as itself; ${viewer.agentId} may not publish as ${requested}`);
      }
      return viewer.agentId;
    }
    return requested;
  }

  private requireSource(source: string | null): string {
    if (source !== null) return source;
    throw new BadInputError('sourceAgentId is required with the admin key (the agent the CONSENSUS context is sourced to)', [
      { path: ['sourceAgentId'], message: 'required when publishing with the admin key' },
    ]);
  }

  private async publishConsensus(
    viewer: Viewer,
    rawSource: string | null,
    view: ConsensusResultView,
    inputs: InputRecord[],
    args: Pick<ConsensusArgs, 'tolerance'>,
    settlement?: { conflictId: string; rationale: string | null; settledBy: string; id: string },
  ): Promise<ContextRecord> {
    const source = this.requireSource(rawSource);
    const position = view.position ?? '';
    const previous = view.claim ? await this.deps.store.currentConsensus(view.claim) : [];
    const inputIds = new Set(inputs.map((i) => i.context.id));
    const supersedes = previous
      .filter((c) => !inputIds.has(c.id) && (viewer.kind === 'admin' || c.sourceAgentId === source))
      .map((c) => c.id);
    const workflows = unique(inputs.map((i) => i.context.workflowId));
    const percent = (view.agreement * 100).toFixed(1);
    const text = settlement
      ? `Consensus${view.claim ? ` on ${view.claim}` : ''}: ${position} (settled by ${settlement.settledBy}${settlement.rationale ? `: ${settlement.rationale}` : ''})`
      : `Consensus${view.claim ? ` on ${view.claim}` : ''}: ${position} (agreement ${percent}% weighted by ${view.weightBy}, ${inputs.length} inputs)`;
    const content = consensusContent(view, [...inputIds], args.tolerance, settlement);
    const unchanged = settlement ? null : await this.unchanged(viewer, source, previous, content);
    if (unchanged) return unchanged;
    const input = {
      ...(settlement ? { id: settlement.id } : {}),
      type: 'CONSENSUS',
      text,
      content,
      tags: unique(inputs.flatMap((i) => i.context.tags)).slice(0, 100),
      confidence: settlement ? 1 : view.agreement,
      dependencies: [...inputIds],
      visibleTo: consensusReaders(inputs.map((i) => i.context)),
      workflowId: workflows.length === 1 ? workflows[0] : null,
      claim: view.claim,
      position,
      supersedes,
      ...(viewer.kind === 'admin' ? { sourceAgentId: source } : {}),
    };
    return this.deps.contexts.publish(viewer, input, null);
  }

  /**
   * A rebuild that would publish what its source already holds (same inputs, weights and outcome, not stale since)
   * returns that context: re-running or retrying buildConsensus adds no version.
   */
  private async unchanged(
    viewer: Viewer,
    source: string,
    previous: Awaited<ReturnType<ConsensusStore['currentConsensus']>>,
    content: Record<string, unknown>,
  ): Promise<ContextRecord | null> {
    const same = previous.find((c) => c.sourceAgentId === source && !c.stale && canonicalJson(c.content) === canonicalJson(content));
    if (!same) return null;
    const [kept] = await this.deps.store.inputsByIds([same.id], {
      viewer,
      now: this.deps.clock.now().toISOString(),
      limit: 1,
      withEmbedding: false,
    });
    return kept?.context ?? null;
  }

  private async recordConflict(viewer: Viewer, view: ConsensusResultView, inputs: InputRecord[]): Promise<ConflictRecord> {
    const tags = unique(inputs.flatMap((i) => i.context.tags.map(normalizeTopic)));
    const rules = await this.deps.store.escalationRules(view.claim, tags);
    const fingerprint = conflictFingerprint(view);
    const { recorded, conflict, deliveries, adminFeed } = await this.deps.store.recordConflict(
      {
        id: randomUUID(),
        claim: view.claim,
        positions: view.positions,
        agreement: view.agreement,
        totalWeight: view.totalWeight,
        weightBy: view.weightBy,
        tolerance: view.tolerance,
        minimumAgreement: view.minimumAgreement,
        agentIds: unique(inputs.map((i) => i.context.sourceAgentId)),
        inputIds: view.inputIds,
        escalatedTo: escalationTargets(rules, view.claim, tags, this.deps.defaultEscalationAgents),
        createdAt: this.deps.clock.now().toISOString(),
        createdBy: changedBy(viewer),
      },
      fingerprint,
    );
    if (!recorded || !adminFeed) return conflict;
    // After commit: live to each escalation agent and to the admins' feed (the log has it if this is lost).
    const message = (agentId: string | null, seq: number, prevSeq: number) => ({
      kind: 'conflict' as const,
      agentId,
      seq,
      prevSeq,
      conflictId: conflict.id,
      conflict,
    });
    try {
      await Promise.all([
        ...deliveries.map((d) => this.deps.bus.publish({ kind: 'agent', agentId: d.agentId }, [message(d.agentId, d.seq, d.prevSeq)])),
        this.deps.bus.publish({ kind: 'conflicts' }, [message(null, adminFeed.seq, adminFeed.prevSeq)]),
      ]);
    } catch (error) {
      this.deps.onError?.(error, 'announcing a conflict');
    }
    return conflict;
  }

  /** Settles a conflict (an admin, or an agent it was escalated to) and publishes the outcome as a CONSENSUS context. */
  async resolve(viewer: Viewer, rawId: unknown, rawPosition: unknown, rawRationale: unknown, rawSource: unknown): Promise<ConflictRecord> {
    const id = parseInput(z.string().min(1).max(100), rawId, 'id');
    const position = normalizePosition(parseInput(positionText, rawPosition, 'position'));
    const rationale = parseInput(rationaleSchema, rawRationale, 'rationale') ?? null;
    const source = this.requireSource(this.sourceOf(viewer, parseInput(contextId.nullish(), rawSource, 'sourceAgentId') ?? null));
    const conflict = await this.deps.store.conflict(viewer, id);
    if (!conflict) throw new NotFoundError('Conflict', [id]);
    if (!maySettle(viewer, conflict))
      throw new ForbiddenError(`Agent ${source} may not resolve conflict ${id}: it was not escalated to it`);
    const by = changedBy(viewer);
    if (conflict.resolution) return this.resolvedAgain(viewer, source, conflict, conflict.resolution, position, by);
    const consensusId = randomUUID();
    const now = this.deps.clock.now().toISOString();
    const settled = await this.deps.store.resolve(id, { position, rationale, by, consensusId, now });
    if (!settled) throw new NotFoundError('Conflict', [id]);
    const resolution = settled.conflict.resolution;
    if (!settled.settled && resolution) return this.resolvedAgain(viewer, source, settled.conflict, resolution, position, by);
    if (!settled.settled) throw new ConflictAlreadyResolvedError(id, null, null);
    try {
      await this.publishSettlement(viewer, source, conflict, position, { conflictId: id, rationale, settledBy: by, id: consensusId });
    } catch (error) {
      await this.deps.store.reopen(id, consensusId);
      throw error;
    }
    return settled.conflict;
  }

  /**
   * A conflict already settled: the same resolver with the same position is a retry (a lost response, or a crash
   * before the outcome was published), answered with the settled conflict after making sure its outcome exists;
   * anything else is CONFLICT_ALREADY_RESOLVED.
   */
  private async resolvedAgain(
    viewer: Viewer,
    source: string,
    conflict: ConflictRecord,
    resolution: ConflictResolution,
    position: string,
    by: string,
  ): Promise<ConflictRecord> {
    if (resolution.resolvedBy !== by || resolution.position !== position) {
      throw new ConflictAlreadyResolvedError(conflict.id, resolution.resolvedBy, resolution.consensusId);
    }
    const settlement = { conflictId: conflict.id, rationale: resolution.rationale, settledBy: by, id: resolution.consensusId };
    await this.publishSettlement(viewer, source, conflict, position, settlement);
    return conflict;
  }

  /** Publishes a settlement's CONSENSUS context under its recorded id; already published (by a retry or the first call) is done. */
  private async publishSettlement(
    viewer: Viewer,
    source: string,
    conflict: ConflictRecord,
    position: string,
    settlement: { conflictId: string; rationale: string | null; settledBy: string; id: string },
  ): Promise<void> {
    const inputs = await this.deps.store.inputsByIds(conflict.inputIds, {
      viewer,
      now: this.deps.clock.now().toISOString(),
      limit: conflict.inputIds.length,
      withEmbedding: false,
    });
    try {
      await this.publishConsensus(viewer, source, this.settledView(conflict, position), inputs, conflict, settlement);
    } catch (error) {
      if (error instanceof AlreadyExistsError && error.ids.includes(settlement.id)) return;
      throw error;
    }
  }

  private settledView(conflict: ConflictRecord, position: string): ConsensusResultView {
    const chosen = conflict.positions.find((p) => p.position === position);
    return {
      claim: conflict.claim,
      groupedBy: conflict.claim ? 'CLAIM' : 'IDS',
      groups: [{ contextIds: conflict.inputIds, selected: true }],
      weightBy: conflict.weightBy,
      tolerance: conflict.tolerance,
      minimumAgreement: conflict.minimumAgreement,
      agreement: chosen?.share ?? 0,
      position,
      totalWeight: conflict.totalWeight,
      tied: false,
      reached: true,
      positions: conflict.positions,
      inputIds: conflict.inputIds,
      consensus: null,
      conflict,
    };
  }
}

/** What makes two conflicts the same: the question, the inputs, how they were weighed and what they said. */
function conflictFingerprint(view: ConsensusResultView): string {
  const positions = view.positions.map((p) => ({ ...p, agentIds: [...p.agentIds].sort(), contextIds: [...p.contextIds].sort() }));
  const key = canonicalJson({
    claim: view.claim,
    inputs: [...view.inputIds].sort(),
    positions: positions.sort((a, b) => (a.position < b.position ? -1 : a.position > b.position ? 1 : 0)),
    weightBy: view.weightBy,
    tolerance: view.tolerance,
    minimumAgreement: view.minimumAgreement,
  });
  return createHash('sha256').update(key).digest('hex');
}

/** JSON with sorted keys and sorted arrays: equal for the same content in any order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).sort().join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** The `content` of a CONSENSUS context: the outcome, how it was weighed, and (settled) who settled it. */
function consensusContent(
  view: ConsensusResultView,
  inputIds: string[],
  tolerance: number,
  settlement?: { conflictId: string; rationale: string | null; settledBy: string },
): Record<string, unknown> {
  return {
    kind: settlement ? 'settled' : 'consensus',
    claim: view.claim,
    position: view.position ?? '',
    agreement: view.agreement,
    weightBy: view.weightBy,
    tolerance,
    minimumAgreement: view.minimumAgreement,
    totalWeight: view.totalWeight,
    groupedBy: view.groupedBy,
    positions: view.positions,
    inputs: inputIds,
    ...(settlement ? { conflictId: settlement.conflictId, rationale: settlement.rationale, settledBy: settlement.settledBy } : {}),
  };
}

/** The claim every input shares, or null. */
function commonClaim(inputs: readonly InputRecord[]): string | null {
  const claims = unique(inputs.map((i) => i.context.claim ?? null));
  return claims.length === 1 ? (claims[0] ?? null) : null;
}
