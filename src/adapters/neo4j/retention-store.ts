import type {
  ContextVersions,
  DeletedVersions,
  ItemRef,
  PrunableVersion,
  RetentionRecord,
  RetentionStore,
  SnapshotPoint,
} from '../../domain/history/retention.js';
import { int, type Neo4jExecutor, type Row } from './executor.js';
import { strOrNull } from './mapping.js';
import {
  PRUNED_HORIZON,
  RAISE_PRUNED_HORIZON,
  RECORD_RETENTION,
  RETENTION_AGENT_IDS,
  RETENTION_CONTEXTS_PAGE,
  RETENTION_COUNT_PACKAGES,
  RETENTION_DELETE_PACKAGES,
  RETENTION_DELETE_VERSIONS,
  RETENTION_PACKAGE_BODIES,
  RETENTION_SNAPSHOT_POINTS,
} from './statements/retention.js';

/** History retention in Neo4j (statements/retention.ts): paged reads, deletes in bounded transactions. */
export class Neo4jRetentionStore implements RetentionStore {
  constructor(private readonly executor: Neo4jExecutor) {}

  async contextsPage(afterId: string, limit: number): Promise<ContextVersions[]> {
    const rows = await this.executor.readOne(RETENTION_CONTEXTS_PAGE, { after: afterId, limit: int(limit) });
    return rows.map((row) => ({
      contextId: String(row['contextId']),
      workflowId: strOrNull(row['workflowId']),
      currentVersion: Number(row['currentVersion']),
      versions: (row['versions'] as Row[]).map((v) => ({
        version: Number(v['version']),
        seq: Number(v['seq']),
        at: String(v['at']),
        usedByDecision: v['usedByDecision'] === true,
      })),
    }));
  }

  async snapshotPoints(): Promise<SnapshotPoint[]> {
    const rows = await this.executor.readOne(RETENTION_SNAPSHOT_POINTS);
    return rows.map((row) => ({ seq: Number(row['seq']), workflowId: strOrNull(row['workflowId']) }));
  }

  async packageItems(afterHash: string, limit: number, packagesCutoff: string | null) {
    const rows = await this.executor.readOne(RETENTION_PACKAGE_BODIES, { after: afterHash, limit: int(limit), cutoff: packagesCutoff });
    const refs: ItemRef[] = rows.flatMap((row) => (typeof row['json'] === 'string' ? itemsOf(row['json']) : []));
    return { lastHash: rows.length === 0 ? null : String(rows.at(-1)?.['hash']), refs };
  }

  async agentIds(afterId: string, limit: number): Promise<string[]> {
    const rows = await this.executor.readOne(RETENTION_AGENT_IDS, { after: afterId, limit: int(limit) });
    return rows.map((row) => String(row['id']));
  }

  async countPrunablePackages(agentIds: readonly string[], cutoff: string): Promise<number> {
    const [row] = await this.executor.readOne(RETENTION_COUNT_PACKAGES, { agentIds: [...agentIds], cutoff });
    return Number(row?.['n'] ?? 0);
  }

  async deletePackages(agentIds: readonly string[], cutoff: string, limit: number): Promise<number> {
    const [row] = await this.executor.write(RETENTION_DELETE_PACKAGES.name, (tx) =>
      tx.run(RETENTION_DELETE_PACKAGES, { agentIds: [...agentIds], cutoff, limit: int(limit) }),
    );
    return Number(row?.['deleted'] ?? 0);
  }

  async deleteVersions(versions: readonly PrunableVersion[]): Promise<DeletedVersions> {
    if (versions.length === 0) return { deleted: 0, kept: {} };
    const params = {
      versions: versions.map((v) => ({ contextId: v.contextId, version: int(v.version), nextSeq: int(v.nextSeq) })),
    };
    return this.executor.write(RETENTION_DELETE_VERSIONS.name, async (tx) => {
      const [row] = await tx.run(RETENTION_DELETE_VERSIONS, params);
      const deleted = Number(row?.['deleted'] ?? 0);
      // The horizon moves in the deleting transaction: no reader sees a gap without the horizon that marks it.
      if (deleted > 0) await tx.run(RAISE_PRUNED_HORIZON, { horizon: int(Number(row?.['horizon'] ?? 0)) });
      return {
        deleted,
        kept: {
          current: Number(row?.['keptCurrent'] ?? 0),
          snapshots: Number(row?.['keptSnapshots'] ?? 0),
          decisions: Number(row?.['keptDecisions'] ?? 0),
        },
      };
    });
  }

  async horizon(): Promise<number> {
    const [row] = await this.executor.readOne(PRUNED_HORIZON);
    return Number(row?.['horizon'] ?? 0);
  }

  async record(record: RetentionRecord): Promise<void> {
    const r = {
      ...record,
      keepLast: record.keepLast === null ? null : int(record.keepLast),
      versionsDeleted: int(record.versionsDeleted),
      packagesDeleted: int(record.packagesDeleted),
      prunedBeforeSeq: int(record.prunedBeforeSeq),
    };
    await this.executor.write(RECORD_RETENTION.name, (tx) => tx.run(RECORD_RETENTION, { r }));
  }
}

/** The (contextId, version) items of a stored package body (`PackageBody` JSON, see package-records.ts). */
function itemsOf(json: string): ItemRef[] {
  const body = JSON.parse(json) as { items?: { contextId?: unknown; version?: unknown }[] };
  return (body.items ?? []).flatMap((item) =>
    typeof item.contextId === 'string' && typeof item.version === 'number' ? [{ contextId: item.contextId, version: item.version }] : [],
  );
}
