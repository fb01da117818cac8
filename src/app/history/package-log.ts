import { createHash } from 'node:crypto';
import {
  packageBody,
  type PackageRecordStore,
  type PackageRecordToWrite,
  type ReceivedPair,
} from '../../domain/history/package-records.js';
import type { Clock } from '../../domain/ports.js';
import type { ContextPackage } from '../../domain/routing/types.js';
import type { PoolTokens } from './pool-tokens.js';

export interface PackageLogSettings {
  /** Longest an answer waits in the buffer before its batch is written (ms). Default 50. */
  flushMs: number;
  /** A batch is written at once when it reaches this many answers. Default 200. */
  maxBatch: number;
}

/** Bound on the pairs the log remembers having written; past it, it forgets and writes (MERGE) them again. */
const MAX_REMEMBERED_PAIRS = 100_000;

export const DEFAULT_PACKAGE_LOG_SETTINGS: PackageLogSettings = { flushMs: 50, maxBatch: 200 };

export interface PackageAnswer {
  id: string;
  agentId: string;
  pkg: ContextPackage;
  workflowId: string | null;
  validAt?: string | null;
  cached: boolean;
  coalesced: boolean;
  /** Served from a prefetched package (its first serve). */
  prefetched?: boolean;
  replayOf?: string | null;
  /** Ids a replay added by name. */
  addedIds?: ReadonlySet<string>;
}

/**
 * Records every package handed to an agent, **write-behind**: `record` only buffers (the answer goes back
 * at once, with its id), and the buffer is written in one transaction per batch, every `flushMs` or every
 * `maxBatch` answers. A cache hit therefore costs no write of its own, only a row in the next batch, and
 * identical bodies (every hit of one computation) are stored once under their content hash.
 *
 * The trade: a hard crash (SIGKILL, power loss) loses the answers of the last unflushed batch, at most
 * `flushMs` worth. A clean stop flushes (`close`), and every read that needs the log (`deliveries`,
 * `recordDecision`, `replayDecision`) waits for `flush` first, so within one process nothing recorded is
 * ever missing from a read. Another API process sees an answer once its batch is written (≤ `flushMs`).
 */
export class PackageLog {
  private pending: PackageRecordToWrite[] = [];
  private pendingReceived: ReceivedPair[] = [];
  /** The workflow of each pending answer, by id: the pool it is measured against. */
  private pendingWorkflows = new Map<string, string | null>();
  /** Agent–context pairs already written (RECEIVED), so cache hits add no writes; forgotten when it grows large. */
  private readonly received = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();
  /** Pools measured after their batch was written (flush). */
  private measuring: Promise<void> = Promise.resolve();
  private ordinal = 0;
  /** Serialised bodies by the items array they came from: cache hits share it, so they serialise once. */
  private readonly bodies = new WeakMap<object, { hash: string; json: string }>();

  constructor(
    private readonly store: PackageRecordStore,
    private readonly clock: Clock,
    private readonly settings: PackageLogSettings,
    private readonly onError: (error: unknown) => void,
    /** Hears of every answer as it is recorded (the delivered-tokens counter). */
    private readonly onRecorded: (answer: PackageAnswer) => void = () => {},
    /** Measures the pool each answer was chosen from (meshStats `tokensSavedByFiltering`), when the batch is written. */
    private readonly pools: PoolTokens | null = null,
  ) {}

  /** Buffers one answer; written with the next batch. */
  record(answer: PackageAnswer): void {
    const { hash, json } = this.serialisedBody(answer);
    this.ordinal += 1;
    this.noteReceived(answer);
    this.onRecorded(answer);
    this.pending.push({
      id: answer.id,
      agentId: answer.agentId,
      at: this.clock.now().toISOString(),
      cached: answer.cached,
      coalesced: answer.coalesced,
      prefetched: answer.prefetched ?? false,
      replayOf: answer.replayOf ?? null,
      bodyHash: hash,
      bodyJson: json,
      ordinal: this.ordinal,
    });
    this.pendingWorkflows.set(answer.id, answer.workflowId);
    if (this.pending.length >= this.settings.maxBatch) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.settings.flushMs);
  }

  /**
   * Writes what is buffered; resolves when everything recorded before the call is stored, its pools included (or its
   * write failed and was reported). A pool not measured yet does not hold the write back: the records are written at
   * once (other processes and the prefetcher read them), and the pool is set by a second statement once measured.
   */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.pending;
    const received = this.pendingReceived;
    const workflows = this.pendingWorkflows;
    this.pending = [];
    this.pendingReceived = [];
    this.pendingWorkflows = new Map();
    if (batch.length > 0) {
      const unmeasured = this.setKnownPools(batch, workflows);
      const written = this.writing.then(() => this.store.writePackages(batch, received));
      this.writing = written.then(
        () => undefined,
        (error: unknown) => this.onError(error),
      );
      if (unmeasured.length > 0) {
        // A batch whose write failed was reported once (above) and has no records to set.
        const measured = written.then(
          () => this.measurePools(unmeasured, workflows),
          () => undefined,
        );
        this.measuring = Promise.all([this.measuring, measured]).then(
          () => undefined,
          (error: unknown) => this.onError(error),
        );
      }
    }
    return Promise.all([this.writing, this.measuring]).then(() => undefined);
  }

  /** Sets the pools measured within the last minute (PoolTokens caches them); returns the records still without one. */
  private setKnownPools(batch: PackageRecordToWrite[], workflows: ReadonlyMap<string, string | null>): PackageRecordToWrite[] {
    const pools = this.pools;
    if (!pools) return [];
    return batch.filter((record) => {
      const tokens = pools.known(record.agentId, workflows.get(record.id) ?? null);
      if (tokens !== undefined) record.poolTokens = tokens;
      return tokens === undefined;
    });
  }

  /** Measures the pools not known at flush (one read per agent and workflow: PoolTokens coalesces) and sets them. */
  private async measurePools(records: PackageRecordToWrite[], workflows: ReadonlyMap<string, string | null>): Promise<void> {
    const pools = this.pools;
    if (!pools) return;
    const measured = await Promise.all(
      records.map(async (record) => ({ id: record.id, poolTokens: await pools.of(record.agentId, workflows.get(record.id) ?? null) })),
    );
    await this.store.setPoolTokens(measured.filter((m): m is { id: string; poolTokens: number } => m.poolTokens !== null));
  }

  close(): Promise<void> {
    return this.flush();
  }

  /** Who was handed which contexts: drift tells them when one goes stale (RECEIVED edges). */
  private noteReceived(answer: PackageAnswer): void {
    if (this.received.size > MAX_REMEMBERED_PAIRS) this.received.clear();
    const at = this.clock.now().toISOString();
    for (const item of answer.pkg.items) {
      const key = `${answer.agentId}\u0000${item.context.id}`;
      if (this.received.has(key)) continue;
      this.received.add(key);
      this.pendingReceived.push({ agentId: answer.agentId, contextId: item.context.id, at });
    }
  }

  private serialisedBody(answer: PackageAnswer): { hash: string; json: string } {
    const key = answer.pkg.items;
    const known = answer.addedIds ? undefined : this.bodies.get(key);
    if (known) return known;
    const json = JSON.stringify(packageBody(answer.pkg, answer.workflowId, answer.addedIds, answer.validAt ?? null));
    const body = { hash: createHash('sha256').update(json).digest('hex'), json };
    if (!answer.addedIds) this.bodies.set(key, body);
    return body;
  }
}
