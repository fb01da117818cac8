import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { assertMayActAs } from '../../domain/acting-as.js';
import { NotFoundError } from '../../domain/errors.js';
import {
  versionKey,
  type DecisionRecord,
  type DecisionStore,
  type DeliveredItem,
  type PackageRecord,
  type PackageRecordStore,
  type TimeRange,
  type UsedContext,
  type VersionRef,
} from '../../domain/history/package-records.js';
import type { Clock } from '../../domain/ports.js';
import type { Agent, ContextRecord, Viewer } from '../../domain/types.js';
import { idempotencyClaim } from '../idempotency.js';
import { agentId as agentIdSchema, entityId, idempotencyKey, parseInput } from '../validation.js';
import type { PackageLog } from './package-log.js';

/** A recorded item with its context at the delivered version (null when the viewer may not read that version). */
export interface DeliveredItemView extends DeliveredItem {
  context: ContextRecord | null;
}

/** A recorded package as `deliveries` answers it. */
export interface DeliveryView extends Omit<PackageRecord, 'body'>, Omit<PackageRecord['body'], 'items'> {
  items: DeliveredItemView[];
}

export interface UsedContextView extends UsedContext {
  context: ContextRecord | null;
}

export interface DecisionView extends Omit<DecisionRecord, 'used'> {
  used: UsedContextView[];
}

export interface DecisionServiceDeps {
  log: PackageLog;
  packages: PackageRecordStore;
  store: DecisionStore;
  loadAgent: (id: string) => Promise<Agent | null>;
  clock: Clock;
}

/** Bounds a decision's JSON like a context's `content`: one record cannot blow up memory or the row. */
const MAX_JSON_BYTES = 256 * 1024;
const boundedJson = z
  .unknown()
  .refine(
    (value) => value === undefined || value === null || Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8') <= MAX_JSON_BYTES,
    `must serialise to at most ${MAX_JSON_BYTES} bytes of JSON`,
  )
  .optional();
const dateTime = z.iso
  .datetime({ offset: true })
  .transform((value) => new Date(value).toISOString())
  .nullish()
  .transform((value) => value ?? null);
const firstSchema = z.number().int().min(1, 'must be between 1 and 200').max(200, 'must be between 1 and 200');
const recordDecisionInput = z.object({
  agentId: agentIdSchema,
  packageId: entityId,
  input: boundedJson,
  output: boundedJson,
  usedContextIds: z
    .array(entityId)
    .max(500, 'at most 500')
    .refine((ids) => new Set(ids).size === ids.length, 'must not repeat an id')
    .nullish()
    .transform((ids) => ids ?? []),
  replayOf: entityId.nullish().transform((id) => id ?? null),
});
const DEFAULT_PAGE = 50;

/** Deliveries (recorded contextFor answers) and decisions: who may read them, and what a decision used. */
export class DecisionService {
  constructor(private readonly deps: DecisionServiceDeps) {}

  async deliveries(viewer: Viewer, rawAgentId: unknown, rawFrom: unknown, rawTo: unknown, rawFirst: unknown): Promise<DeliveryView[]> {
    const { agentId, range, first } = await this.listArgs(viewer, rawAgentId, rawFrom, rawTo, rawFirst, 'read the deliveries of');
    await this.deps.log.flush();
    return this.deliveryViews(viewer, await this.deps.packages.packages(agentId, range, first));
  }

  /** One recorded package, for a viewer who may act as its agent; null when there is none. */
  async delivery(viewer: Viewer, id: string): Promise<DeliveryView | null> {
    const record = await this.package(id);
    if (!record) return null;
    assertMayActAs(viewer, record.agentId, 'read the deliveries of');
    const [view] = await this.deliveryViews(viewer, [record]);
    return view ?? null;
  }

  /** A recorded package by id, after the pending batch is written. */
  async package(id: string): Promise<PackageRecord | null> {
    await this.deps.log.flush();
    const [record] = await this.deps.packages.packagesByIds([id]);
    return record ?? null;
  }

  async decisions(viewer: Viewer, rawAgentId: unknown, rawFrom: unknown, rawTo: unknown, rawFirst: unknown): Promise<DecisionView[]> {
    const { agentId, range, first } = await this.listArgs(viewer, rawAgentId, rawFrom, rawTo, rawFirst, 'read the decisions of');
    return this.decisionViews(viewer, await this.deps.store.decisions(agentId, range, first));
  }

  /** A decision the viewer may read (FORBIDDEN for another agent's), or NOT_FOUND. */
  async decision(viewer: Viewer, rawId: unknown): Promise<DecisionRecord> {
    const id = parseInput(entityId, rawId, 'decisionId');
    const [decision] = await this.deps.store.decisionsByIds([id]);
    if (!decision) throw new NotFoundError('Decision', [id]);
    assertMayActAs(viewer, decision.agentId, 'read the decisions of');
    return decision;
  }

  async decisionView(viewer: Viewer, id: string): Promise<DecisionView> {
    const [view] = await this.decisionViews(viewer, [await this.decision(viewer, id)]);
    if (!view) throw new NotFoundError('Decision', [id]);
    return view;
  }

  async recordDecision(viewer: Viewer, rawInput: unknown, rawKey: unknown): Promise<DecisionView> {
    const input = parseInput(recordDecisionInput, rawInput, 'input');
    const key = parseInput(idempotencyKey, rawKey, 'idempotencyKey');
    assertMayActAs(viewer, input.agentId, 'record decisions for');
    await this.existingAgent(input.agentId);
    const pkg = await this.package(input.packageId);
    // Another agent's package is reported like a missing one: its existence is not the caller's business.
    if (!pkg || pkg.agentId !== input.agentId) throw new NotFoundError('Package', [input.packageId]);
    if (input.replayOf !== null) {
      const [earlier] = await this.deps.store.decisionsByIds([input.replayOf]);
      if (!earlier || earlier.agentId !== input.agentId) throw new NotFoundError('Decision', [input.replayOf]);
    }
    const used = await this.usedVersions(input.agentId, pkg, input.usedContextIds);
    const decision: DecisionRecord = {
      id: randomUUID(),
      agentId: input.agentId,
      at: this.deps.clock.now().toISOString(),
      input: input.input ?? null,
      output: input.output ?? null,
      used,
      packageId: pkg.id,
      replayOf: input.replayOf,
    };
    const stored = await this.deps.store.createDecision(decision, idempotencyClaim(viewer, 'recordDecision', key, input));
    const [view] = await this.decisionViews(viewer, [stored]);
    return view ?? { ...stored, used: stored.used.map((u) => ({ ...u, context: null })) };
  }

  /**
   * The exact versions used: an id in the package at its delivered version; any other id at its current
   * version. Each must be readable by the agent (an unreadable one is reported like a missing one).
   */
  private async usedVersions(agentId: string, pkg: PackageRecord, ids: readonly string[]): Promise<UsedContext[]> {
    const reader: Viewer = { kind: 'agent', agentId };
    const delivered = new Map(pkg.body.items.map((item) => [item.contextId, item.version]));
    const inPackage: VersionRef[] = ids.flatMap((id) => {
      const version = delivered.get(id);
      return version === undefined ? [] : [{ contextId: id, version }];
    });
    const others = ids.filter((id) => !delivered.has(id));
    const [readable, current] = await Promise.all([
      this.deps.store.contextsAtVersions(inPackage, reader),
      this.deps.store.currentVersions(others, reader),
    ]);
    const found = new Map<string, UsedContext>([
      ...readable.map((c): [string, UsedContext] => [c.id, { contextId: c.id, version: c.version, inPackage: true }]),
      ...current.map((r): [string, UsedContext] => [r.contextId, { ...r, inPackage: false }]),
    ]);
    const missing = ids.filter((id) => !found.has(id));
    if (missing.length > 0) throw new NotFoundError('Context', missing);
    return ids.map((id) => found.get(id) as UsedContext);
  }

  private async listArgs(viewer: Viewer, rawAgentId: unknown, rawFrom: unknown, rawTo: unknown, rawFirst: unknown, action: string) {
    const agentId = parseInput(agentIdSchema, rawAgentId, 'agentId');
    const range: TimeRange = { from: parseInput(dateTime, rawFrom, 'from'), to: parseInput(dateTime, rawTo, 'to') };
    const first = parseInput(firstSchema, rawFirst ?? DEFAULT_PAGE, 'first');
    assertMayActAs(viewer, agentId, action);
    await this.existingAgent(agentId);
    return { agentId, range, first };
  }

  private async existingAgent(agentId: string): Promise<void> {
    if (!(await this.deps.loadAgent(agentId))) throw new NotFoundError('Agent', [agentId]);
  }

  /** Resolves every item's context at its delivered version, in one read, as the viewer. */
  private async deliveryViews(viewer: Viewer, records: readonly PackageRecord[]): Promise<DeliveryView[]> {
    const contexts = await this.atVersions(
      viewer,
      records.flatMap((r) => r.body.items),
    );
    return records.map(({ body, ...record }) => ({
      ...record,
      ...body,
      validAt: body.validAt ?? null,
      items: body.items.map((item) => ({ ...item, context: contexts.get(versionKey(item)) ?? null })),
    }));
  }

  private async decisionViews(viewer: Viewer, decisions: readonly DecisionRecord[]): Promise<DecisionView[]> {
    const contexts = await this.atVersions(
      viewer,
      decisions.flatMap((d) => d.used),
    );
    return decisions.map((d) => ({ ...d, used: d.used.map((u) => ({ ...u, context: contexts.get(versionKey(u)) ?? null })) }));
  }

  private async atVersions(viewer: Viewer, refs: readonly VersionRef[]): Promise<Map<string, ContextRecord>> {
    const unique = [...new Map(refs.map((r) => [versionKey(r), { contextId: r.contextId, version: r.version }])).values()];
    const contexts = await this.deps.store.contextsAtVersions(unique, viewer);
    return new Map(contexts.map((c) => [versionKey({ contextId: c.id, version: c.version }), c]));
  }
}
