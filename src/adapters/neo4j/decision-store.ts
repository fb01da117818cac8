import type {
  DecisionRecord,
  DecisionStore,
  PackageBody,
  PackageRecord,
  PackageRecordStore,
  PackageRecordToWrite,
  ReceivedPair,
  TimeRange,
  UsedContext,
  VersionRef,
} from '../../domain/history/package-records.js';
import type { IdempotencyClaim } from '../../domain/store-ports.js';
import type { ContextRecord, Viewer } from '../../domain/types.js';
import { int, type Neo4jExecutor, type Row } from './executor.js';
import { claimIdempotency, completeIdempotency } from './idempotency.js';
import { contextAtVersion, parseContent, strOrNull, toContext, toVersion } from './mapping.js';
import {
  CONTEXTS_AS_OF_SEQ,
  CONTEXTS_AT_VERSIONS,
  CREATE_DECISION,
  CURRENT_VERSIONS,
  DECISIONS_BY_AGENT,
  DECISIONS_BY_IDS,
  MERGE_PACKAGE_BODIES,
  MERGE_ROUTED_PACKAGES,
  SET_POOL_TOKENS,
  PACKAGES_BY_AGENT,
  PACKAGES_BY_IDS,
} from './statements/decisions.js';
import { viewerParams } from './statements/fragments.js';
import { MERGE_RECEIVED } from './statements/staleness.js';

/** Recorded packages and decisions in Neo4j (statements/decisions.ts). */
export class Neo4jDecisionStore implements PackageRecordStore, DecisionStore {
  private ordinal = 0;

  constructor(private readonly executor: Neo4jExecutor) {}

  /** One write transaction per batch: the distinct bodies first, then the records that point at them. */
  async writePackages(records: readonly PackageRecordToWrite[], received: readonly ReceivedPair[] = []): Promise<void> {
    if (records.length === 0) return;
    const bodies = [...new Map(records.map((r) => [r.bodyHash, { hash: r.bodyHash, json: r.bodyJson }])).values()];
    const packages = records.map(({ bodyJson: _json, ...record }) => record);
    await this.executor.write('recordPackages', async (tx) => {
      await tx.run(MERGE_PACKAGE_BODIES, { bodies });
      await tx.run(MERGE_ROUTED_PACKAGES, { packages });
      if (received.length > 0) await tx.run(MERGE_RECEIVED, { pairs: received });
    });
  }

  async setPoolTokens(pools: readonly { id: string; poolTokens: number }[]): Promise<void> {
    if (pools.length === 0) return;
    await this.executor.write(SET_POOL_TOKENS.name, async (tx) => {
      await tx.run(SET_POOL_TOKENS, { pools });
    });
  }

  async packages(agentId: string, range: TimeRange, first: number): Promise<PackageRecord[]> {
    const rows = await this.executor.readOne(PACKAGES_BY_AGENT, { agentId, ...range, first: int(first) });
    return rows.map(toPackageRecord);
  }

  async packagesByIds(ids: readonly string[]): Promise<PackageRecord[]> {
    if (ids.length === 0) return [];
    return (await this.executor.readOne(PACKAGES_BY_IDS, { ids })).map(toPackageRecord);
  }

  async createDecision(decision: DecisionRecord, claim: IdempotencyClaim | null): Promise<DecisionRecord> {
    // Decisions recorded in the same millisecond keep their order (newest first) through the ordinal.
    this.ordinal += 1;
    const ordinal = Date.now() * 1000 + (this.ordinal % 1000);
    return this.executor.write(CREATE_DECISION.name, async (tx) => {
      const earlier = await claimIdempotency(tx, claim, decision.at);
      if (earlier !== null) return JSON.parse(earlier) as DecisionRecord;
      await tx.run(CREATE_DECISION, {
        decision: {
          ...decision,
          inputJson: JSON.stringify(decision.input ?? null),
          outputJson: JSON.stringify(decision.output ?? null),
          usedJson: JSON.stringify(decision.used),
        },
        used: decision.used.map((u) => ({ contextId: u.contextId, version: int(u.version) })),
        ordinal,
      });
      await completeIdempotency(tx, claim, JSON.stringify(decision));
      return decision;
    });
  }

  async decisions(agentId: string, range: TimeRange, first: number): Promise<DecisionRecord[]> {
    const rows = await this.executor.readOne(DECISIONS_BY_AGENT, { agentId, ...range, first: int(first) });
    return rows.map(toDecisionRecord);
  }

  async decisionsByIds(ids: readonly string[]): Promise<DecisionRecord[]> {
    if (ids.length === 0) return [];
    return (await this.executor.readOne(DECISIONS_BY_IDS, { ids })).map(toDecisionRecord);
  }

  async contextsAtVersions(refs: readonly VersionRef[], viewer: Viewer): Promise<ContextRecord[]> {
    if (refs.length === 0) return [];
    const params = { refs: refs.map((r) => ({ contextId: r.contextId, version: int(r.version) })), ...viewerParams(viewer) };
    return (await this.executor.readOne(CONTEXTS_AT_VERSIONS, params)).map(toContextAtVersion);
  }

  async contextsAsOf(ids: readonly string[], seq: number, viewer: Viewer): Promise<ContextRecord[]> {
    if (ids.length === 0) return [];
    const rows = await this.executor.readOne(CONTEXTS_AS_OF_SEQ, { ids, asOf: int(seq), ...viewerParams(viewer) });
    return rows.map(toContextAtVersion);
  }

  async currentVersions(ids: readonly string[], viewer: Viewer): Promise<VersionRef[]> {
    if (ids.length === 0) return [];
    const rows = await this.executor.readOne(CURRENT_VERSIONS, { ids, ...viewerParams(viewer) });
    return rows.map((row) => ({ contextId: String(row['contextId']), version: Number(row['version']) }));
  }
}

const toContextAtVersion = (row: Row) => contextAtVersion(toContext(row['context']), toVersion(row['version']));

export function toPackageRecord(row: Row): PackageRecord {
  const p = row['package'] as Row;
  return {
    id: String(p['id']),
    agentId: String(p['agentId']),
    at: String(p['at']),
    cached: p['cached'] === true,
    coalesced: p['coalesced'] === true,
    prefetched: p['prefetched'] === true,
    poolTokens: p['poolTokens'] === null || p['poolTokens'] === undefined ? null : Number(p['poolTokens']),
    replayOf: p['replayOf'] === null || p['replayOf'] === undefined ? null : String(p['replayOf']),
    body: JSON.parse(String(row['body'])) as PackageBody,
  };
}

function toDecisionRecord(row: Row): DecisionRecord {
  const d = row['decision'] as Row;
  return {
    id: String(d['id']),
    agentId: String(d['agentId']),
    at: String(d['at']),
    input: parseContent(d['inputJson']),
    output: parseContent(d['outputJson']),
    used: JSON.parse(String(d['usedJson'])) as UsedContext[],
    packageId: String(d['packageId']),
    replayOf: strOrNull(d['replayOf']),
  };
}
