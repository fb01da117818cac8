import { chainDeliveries } from '../../domain/broadcast/delivery.js';
import { DEFAULT_AGENT_TRUST, type WeightBy } from '../../domain/consensus/agreement.js';
import type { ConflictEscalation, ConflictRecord, ConflictStatus, NewConflict, RecordedPosition } from '../../domain/consensus/conflict.js';
import type { EscalationRule } from '../../domain/consensus/escalation.js';
import type { ConsensusStore, InputQuery, InputRecord } from '../../domain/consensus/ports.js';
import type { Clock } from '../../domain/ports.js';
import type { Viewer } from '../../domain/types.js';
import { reserveSeqs } from './event-log.js';
import type { Neo4jExecutor, Row, TxRunner } from './executor.js';
import { strOrNull, strings, toAgent, toContext, parseContent } from './mapping.js';
import {
  ADVANCE_CONFLICT_CHAIN,
  CLAIMLESS_FINDINGS,
  CONFLICTS,
  CONFLICTS_AFTER,
  CONFLICT_BY_ID,
  CONFLICT_DELIVERY_POSITIONS,
  CREATE_CONFLICT,
  OPEN_CONFLICT_BY_FINGERPRINT,
  CREATE_CONFLICT_DELIVERIES,
  CURRENT_CONSENSUS,
  DELETE_ESCALATION,
  ESCALATIONS_AFTER,
  ESCALATION_RULES,
  INPUTS_BY_CLAIM,
  INPUTS_BY_IDS,
  REOPEN_CONFLICT,
  RESOLVE_CONFLICT,
  SET_AGENT_TRUST,
  SET_ESCALATION,
} from './statements/consensus.js';
import { viewerParams } from './statements/fragments.js';

const toInput = (row: Row): InputRecord => ({
  context: toContext(row['context']),
  trust: Number(row['trust']),
  embedding: Array.isArray(row['embedding']) ? (row['embedding'] as unknown[]).map(Number) : null,
});

const toRule = (row: Row): EscalationRule => ({
  claim: strOrNull(row['claim']),
  tag: strOrNull(row['tag']),
  agentIds: strings(row['agentIds']),
});

export function toConflict(value: unknown): ConflictRecord {
  const x = value as Row;
  const consensusId = strOrNull(x['consensusId']);
  return {
    id: String(x['id']),
    claim: strOrNull(x['claim']),
    status: String(x['status']) as ConflictStatus,
    positions: JSON.parse(String(x['positionsJson'])) as RecordedPosition[],
    agreement: Number(x['agreement']),
    totalWeight: Number(x['totalWeight']),
    weightBy: String(x['weightBy']) as WeightBy,
    tolerance: Number(x['tolerance']),
    minimumAgreement: Number(x['minimumAgreement']),
    agentIds: strings(x['agentIds']),
    inputIds: strings(x['inputIds']),
    escalatedTo: strings(x['escalatedTo']),
    createdAt: String(x['createdAt']),
    createdBy: String(x['createdBy']),
    seq: Number(x['seq']),
    prevSeq: Number(x['prevSeq']),
    resolution:
      consensusId === null
        ? null
        : {
            position: String(x['resolvedPosition']),
            rationale: strOrNull(x['rationale']),
            resolvedBy: String(x['resolvedBy']),
            resolvedAt: String(x['resolvedAt']),
            consensusId,
          },
  };
}

const toEscalation = (row: Row): ConflictEscalation => ({
  seq: Number(row['seq']),
  prevSeq: Number(row['prevSeq']),
  conflict: toConflict(row['conflict']),
});

/** Consensus inputs, agent trust, escalation rules, conflicts and the escalation feeds. */
export class Neo4jConsensusStore implements ConsensusStore {
  constructor(
    private readonly executor: Neo4jExecutor,
    private readonly clock: Clock,
  ) {}

  private params(query: InputQuery) {
    return {
      ...viewerParams(query.viewer),
      now: query.now,
      limit: query.limit,
      withEmbedding: query.withEmbedding,
      defaultTrust: DEFAULT_AGENT_TRUST,
    };
  }

  async inputsByClaim(claim: string, query: InputQuery): Promise<InputRecord[]> {
    return (await this.executor.readOne(INPUTS_BY_CLAIM, { ...this.params(query), claim })).map(toInput);
  }

  async inputsByIds(ids: readonly string[], query: InputQuery): Promise<InputRecord[]> {
    return (await this.executor.readOne(INPUTS_BY_IDS, { ...this.params(query), ids })).map(toInput);
  }

  async claimlessFindings(workflowId: string | null, query: InputQuery): Promise<InputRecord[]> {
    return (await this.executor.readOne(CLAIMLESS_FINDINGS, { ...this.params(query), workflowId })).map(toInput);
  }

  async currentConsensus(claim: string) {
    const rows = await this.executor.readOne(CURRENT_CONSENSUS, { claim });
    return rows.map((row) => ({
      id: String(row['id']),
      sourceAgentId: String(row['sourceAgentId']),
      content: parseContent(row['contentJson']),
      stale: row['stale'] === true,
    }));
  }

  async setAgentTrust(agentId: string, trust: number) {
    const [row] = await this.executor.write(SET_AGENT_TRUST.name, (tx) => tx.run(SET_AGENT_TRUST, { agentId, trust }));
    return row ? { ...toAgent(row['agent']), trust: Number(row['trust']) } : null;
  }

  async escalationRules(claim: string | null, tags: readonly string[]) {
    return (await this.executor.readOne(ESCALATION_RULES, { claim, tags })).map(toRule);
  }

  async setEscalation(rule: EscalationRule): Promise<EscalationRule> {
    const key = rule.claim !== null ? `claim:${rule.claim}` : `tag:${rule.tag ?? ''}`;
    if (rule.agentIds.length === 0) {
      await this.executor.write(DELETE_ESCALATION.name, (tx) => tx.run(DELETE_ESCALATION, { key }));
      return rule;
    }
    const now = this.clock.now().toISOString();
    const [row] = await this.executor.write(SET_ESCALATION.name, (tx) => tx.run(SET_ESCALATION, { key, ...rule, now }));
    return row ? toRule(row) : rule;
  }

  async recordConflict(conflict: NewConflict, fingerprint: string) {
    const now = this.clock.now().toISOString();
    return this.executor.write('recordConflict', async (tx) => {
      const seq = await reserveSeqs(tx, 1);
      // Under the counter's lock, so two identical requests cannot both record (the reserved seq is left unused).
      const [open] = await tx.run(OPEN_CONFLICT_BY_FINGERPRINT, { fingerprint });
      if (open) return { recorded: false, conflict: toConflict(open['conflict']), deliveries: [], adminFeed: null };
      const [chain] = await tx.run(ADVANCE_CONFLICT_CHAIN, { seq });
      const prevSeq = Number(chain?.['prevSeq'] ?? 0);
      // Chained after each agent's previous escalation, read after the event counter's lock (no fork).
      const deliveries = await this.chain(tx, conflict.id, conflict.escalatedTo, seq);
      const recorded: ConflictRecord = {
        ...conflict,
        escalatedTo: deliveries.map((d) => d.agentId).sort(),
        status: 'OPEN',
        seq,
        prevSeq,
        resolution: null,
      };
      const { positions, resolution: _none, ...fields } = recorded;
      await tx.run(CREATE_CONFLICT, { c: { ...fields, positionsJson: JSON.stringify(positions) }, fingerprint });
      if (deliveries.length > 0) await tx.run(CREATE_CONFLICT_DELIVERIES, { deliveries, now });
      return {
        recorded: true,
        conflict: recorded,
        deliveries: deliveries.map((d) => ({ agentId: d.agentId, seq: d.seq, prevSeq: d.prevSeq, conflict: recorded })),
        adminFeed: { seq, prevSeq, conflict: recorded },
      };
    });
  }

  /** Each existing escalation agent's delivery of conflict `id`, linked to its previous one. */
  private async chain(tx: TxRunner, id: string, agentIds: readonly string[], seq: number) {
    if (agentIds.length === 0) return [];
    const positions = await tx.run(CONFLICT_DELIVERY_POSITIONS, { agentIds });
    const planned = positions.map((row) => ({ agentId: String(row['agentId']), contextId: id, seq, reason: 'CONFLICT' }));
    return chainDeliveries(planned, new Map(positions.map((row) => [String(row['agentId']), Number(row['lastSeq'])])));
  }

  async conflicts(viewer: Viewer, status: ConflictStatus | null, claim: string | null, limit: number) {
    const rows = await this.executor.readOne(CONFLICTS, { ...viewerParams(viewer), status, claim, limit });
    return rows.map((row) => toConflict(row['conflict']));
  }

  async conflict(viewer: Viewer, id: string) {
    const [row] = await this.executor.readOne(CONFLICT_BY_ID, { ...viewerParams(viewer), id });
    return row ? toConflict(row['conflict']) : null;
  }

  async resolve(id: string, r: { position: string; rationale: string | null; by: string; consensusId: string; now: string }) {
    const [row] = await this.executor.write(RESOLVE_CONFLICT.name, (tx) =>
      tx.run(RESOLVE_CONFLICT, { id, position: r.position, rationale: r.rationale, by: r.by, consensusId: r.consensusId, now: r.now }),
    );
    return row ? { settled: row['open'] === true, conflict: toConflict(row['conflict']) } : null;
  }

  async reopen(id: string, consensusId: string) {
    await this.executor.write(REOPEN_CONFLICT.name, (tx) => tx.run(REOPEN_CONFLICT, { id, consensusId }));
  }

  async escalationsAfter(agentId: string | null, afterSeq: number, limit: number) {
    const rows =
      agentId === null
        ? await this.executor.readOne(CONFLICTS_AFTER, { after: afterSeq, limit })
        : await this.executor.readOne(ESCALATIONS_AFTER, { agentId, after: afterSeq, limit });
    return rows.map(toEscalation);
  }
}
