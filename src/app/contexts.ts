import { randomUUID } from 'node:crypto';
import { effectiveStatus } from '../domain/context-status.js';
import { normalizeTopic } from '../domain/context-map.js';
import { relevanceToAgents } from '../domain/routing/publish-relevance.js';
import { BadInputError, ForbiddenError, type InputIssue } from '../domain/errors.js';
import { decodeSeqCursor, encodeSeqCursor } from '../domain/pagination.js';
import type { Clock, EmbeddingProvider, TokenCounter } from '../domain/ports.js';
import { mergeRelevance } from '../domain/relevance.js';
import type { ContextChanges, ContextFilter, ContextStore, LeftOutCounts, NewContext, WriteResult } from '../domain/store-ports.js';
import { isEmptyInterval, isValidAt } from '../domain/valid-time.js';
import type { ContextRecord, ContextStatus, DependencyEdge, Direction, Viewer } from '../domain/types.js';
import type { AgentProfiles } from './agent-profiles.js';
import type { RecipientPlanner } from './broadcast/recipients.js';
import { idempotencyClaim } from './idempotency.js';
import {
  asOfSeq,
  contextFilter,
  contextId,
  contextPatch,
  expectedVersion as expectedVersionSchema,
  idempotencyKey,
  pageSize,
  parseInput,
  publishContextInput,
  publishContextsInput,
  retractionReason,
  type ContextPatchInput,
  type PublishContextInput,
  validAt as validAtSchema,
} from './validation.js';

export interface ContextServiceOptions {
  store: ContextStore;
  /** Agents' needs, for the relevance computed at publish time. */
  agentProfiles: AgentProfiles;
  embeddings: EmbeddingProvider;
  tokens: TokenCounter;
  clock: Clock;
  /** Deepest traversal allowed for `dependencies(depth)` and `dependencyGraph`. */
  maxDependencyDepth: number;
  /** Told after every committed write (the router's cache and the live bus listen). */
  onWrite?: (result: WriteResult) => void;
  /** Chooses broadcast recipients before the write, which stores their deliveries in its transaction. */
  recipients: Pick<RecipientPlanner, 'recipients'>;
}

/** A context to publish before embedding, counting and fan-out planning; `suppliedEmbedding`: the client's vector, checked. */
type DraftContext = Omit<NewContext, 'embedding' | 'tokens' | 'topicKeys' | 'computedRelevance' | 'recipients'> & {
  suppliedEmbedding: number[] | null;
};

export interface ContextPage {
  edges: { cursor: string; node: ContextRecord }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  /** The query behind the page, for `leftOut` (resolved only when selected). */
  leftOutOf: { filter: ContextFilter; validAt: string };
}

/** Publishing, changing and reading context objects. Validation happens here, storage in the store. */
export class ContextService {
  constructor(private readonly options: ContextServiceOptions) {}

  /** The model texts are embedded with here: a supplied `embedding` must come from it. */
  get embeddingModel(): { id: string; dimensions: number } {
    return { id: this.options.embeddings.modelId, dimensions: this.options.embeddings.dimensions };
  }

  async publish(viewer: Viewer, rawInput: unknown, rawKey: unknown): Promise<ContextRecord> {
    const input = parseInput(publishContextInput, rawInput, 'input');
    const [context] = await this.publishParsed(
      viewer,
      [input],
      'input',
      parseInput(idempotencyKey, rawKey, 'idempotencyKey'),
      'publishContext',
    );
    if (!context) throw new Error('publish returned no context');
    return context;
  }

  async publishMany(viewer: Viewer, rawInputs: unknown, rawKey: unknown): Promise<ContextRecord[]> {
    const inputs = parseInput(publishContextsInput, rawInputs, 'inputs');
    return this.publishParsed(viewer, inputs, 'inputs', parseInput(idempotencyKey, rawKey, 'idempotencyKey'), 'publishContexts');
  }

  /**
   * Contexts validated, embedded, counted and with their broadcast recipients planned, for a write another use-case
   * runs in its own transaction (the mesh's POLICY_VIOLATION notice, written by completeStep). Nothing is stored here.
   */
  async prepareForWrite(viewer: Viewer, rawInputs: unknown): Promise<NewContext[]> {
    const inputs = parseInput(publishContextsInput, rawInputs, 'inputs');
    return this.prepare(this.draft(viewer, inputs, 'inputs'));
  }

  async update(viewer: Viewer, rawId: unknown, rawExpected: unknown, rawPatch: unknown, rawKey: unknown): Promise<ContextRecord> {
    const id = parseInput(contextId, rawId, 'id');
    const expected = parseInput(expectedVersionSchema, rawExpected, 'expectedVersion');
    const patch = parseInput(contextPatch, rawPatch, 'patch');
    const key = parseInput(idempotencyKey, rawKey, 'idempotencyKey');
    if (patch.expiration) this.assertFuture(patch.expiration, ['patch', 'expiration']);

    const changes = await this.changesFrom(patch);
    const [current] = await this.options.store.getMany([id], viewer);
    // Not found (or not visible): the store reports it inside its transaction.
    if (current) {
      // Sound without a lock: the write commits only if `current` is still the expected version.
      assertNonEmptyValidity(current, changes);
      await this.planFanOut(current, changes);
    }
    const result = await this.options.store.update(
      id,
      expected,
      changes,
      viewer,
      idempotencyClaim(viewer, `updateContext:${id}`, key, { expected, patch }),
    );
    this.options.onWrite?.(result);
    return this.mustRead(id, viewer);
  }

  async retract(viewer: Viewer, rawId: unknown, rawReason: unknown, rawKey: unknown): Promise<ContextRecord> {
    const id = parseInput(contextId, rawId, 'id');
    const reason = parseInput(retractionReason, rawReason, 'reason');
    const key = parseInput(idempotencyKey, rawKey, 'idempotencyKey');
    const result = await this.options.store.retract(id, reason, viewer, idempotencyClaim(viewer, `retractContext:${id}`, key, { reason }));
    this.options.onWrite?.(result);
    return this.mustRead(id, viewer);
  }

  getMany(ids: readonly string[], viewer: Viewer) {
    return this.options.store.getMany(ids, viewer);
  }

  /** The store's form of a patch: new text embedded and counted, tags with their topic keys. */
  private async changesFrom(patch: ContextPatchInput): Promise<ContextChanges> {
    const changes: ContextChanges = {};
    if (patch.text !== undefined) {
      const [embedding] = await this.options.embeddings.embed([patch.text]);
      changes.text = { text: patch.text, tokens: this.options.tokens.count(patch.text), embedding: embedding ?? [] };
    }
    if (patch.content !== undefined) changes.content = patch.content;
    if (patch.tags !== undefined) changes.tags = { tags: patch.tags, topicKeys: topicKeys(patch.tags) };
    if (patch.priority !== undefined) changes.priority = patch.priority;
    if (patch.confidence !== undefined) changes.confidence = patch.confidence;
    if (patch.dependencies !== undefined) changes.dependencies = patch.dependencies;
    if (patch.expiration !== undefined) changes.expiresAt = patch.expiration;
    if (patch.relevance !== undefined) changes.relevance = patch.relevance;
    if (patch.visibleTo !== undefined) changes.visibleTo = patch.visibleTo;
    if (patch.validFrom !== undefined) changes.validFrom = patch.validFrom;
    if (patch.validUntil !== undefined) changes.validUntil = patch.validUntil;
    if (patch.claim !== undefined) changes.claim = patch.claim;
    if (patch.position !== undefined) changes.position = patch.position;
    return changes;
  }

  /** Adds to an update what it changes for others: recomputed relevance (after new text or tags) and recipients. */
  private async planFanOut(current: ContextRecord, changes: ContextChanges): Promise<void> {
    if (changes.text || changes.tags) {
      // Text or tags changed: the relevance computed at publish time is recomputed from the new version.
      const embedding = changes.text?.embedding ?? (await this.options.embeddings.embed([current.text]))[0] ?? [];
      changes.computedRelevance = relevanceToAgents(
        {
          text: changes.text?.text ?? current.text,
          tags: changes.tags?.tags ?? current.tags,
          embedding,
          sourceAgentId: current.sourceAgentId,
        },
        await this.options.agentProfiles.get(),
      );
    }
    const [stored] = await this.options.store.relevance([current.id]);
    const relevance = mergeRelevance(stored ?? [], changes.computedRelevance, changes.relevance);
    changes.recipients = await this.options.recipients.recipients(
      {
        priority: changes.priority ?? current.priority,
        sourceAgentId: current.sourceAgentId,
        visibleTo: changes.visibleTo !== undefined ? changes.visibleTo : current.visibleTo,
        tags: changes.tags?.tags ?? current.tags,
        type: current.type,
        claim: changes.claim !== undefined ? changes.claim : current.claim,
      },
      relevance,
    );
  }

  async get(viewer: Viewer, rawId: unknown, rawAsOf: unknown): Promise<ContextRecord | null> {
    const id = parseInput(contextId, rawId, 'id');
    const asOf = parseInput(asOfSeq, rawAsOf, 'asOf');
    if (asOf !== null && asOf !== undefined) return this.options.store.getAsOf(id, asOf, viewer);
    const [context] = await this.options.store.getMany([id], viewer);
    return context ?? null;
  }

  async page(viewer: Viewer, rawFilter: unknown, rawFirst: unknown, rawAfter: unknown, rawValidAt?: unknown): Promise<ContextPage> {
    const filter = parseInput(contextFilter, rawFilter, 'filter');
    const first = parseInput(pageSize, rawFirst ?? 20, 'first');
    const after = typeof rawAfter === 'string' ? decodeSeqCursor(rawAfter) : null;
    const at = this.validAt(rawValidAt);
    // One extra row tells whether another page exists without a count query.
    const rows = await this.options.store.page(filter, after, first + 1, viewer, at);
    const nodes = rows.slice(0, first);
    const edges = nodes.map((node) => ({ cursor: encodeSeqCursor(node.createdSeq), node }));
    return {
      edges,
      pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null },
      leftOutOf: { filter, validAt: at },
    };
  }

  /** What a page's filter left out by status or valid time; counted only when asked for (a separate statement). */
  leftOut(viewer: Viewer, query: ContextPage['leftOutOf']): Promise<LeftOutCounts> {
    return this.options.store.leftOut(query.filter, viewer, query.validAt);
  }

  /** The valid time a read is judged at: the one asked for, else now. */
  validAt(raw: unknown): string {
    return parseInput(validAtSchema, raw, 'validAt') ?? this.options.clock.now().toISOString();
  }

  /** Validates a traversal depth against the configured maximum. */
  depth(raw: unknown, argument = 'depth'): number {
    const max = this.options.maxDependencyDepth;
    if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 1 || raw > max) {
      throw new BadInputError(`${argument} must be an integer from 1 to ${max}`, [
        { path: [argument], message: `must be from 1 to ${max}` },
      ]);
    }
    return raw;
  }

  reach(rootIds: readonly string[], direction: Direction, depth: number, viewer: Viewer) {
    return this.options.store.reach(rootIds, direction, depth, viewer);
  }

  /** Nodes not valid at `validAt` (default now) are left out with their edges; the walk is not cut at them. */
  async dependencyGraph(viewer: Viewer, rawRootIds: unknown, rawDepth: unknown, direction: Direction, rawValidAt?: unknown) {
    const at = this.validAt(rawValidAt);
    const rootIds = parseInput(
      contextId.array().min(1, 'must name at least one context').max(100, 'at most 100 roots'),
      rawRootIds,
      'rootIds',
    );
    const depth = this.depth(rawDepth);
    const roots = (await this.options.store.getMany(rootIds, viewer)).filter((c): c is ContextRecord => c !== null);
    const reached = await this.options.store.reach(
      roots.map((r) => r.id),
      direction,
      depth,
      viewer,
    );
    const nodes = new Map<string, ContextRecord>(roots.map((root) => [root.id, root]));
    for (const { context } of reached) nodes.set(context.id, context);
    for (const [id, node] of nodes) if (!isValidAt(node, at)) nodes.delete(id);
    const edges: DependencyEdge[] = nodes.size > 1 ? await this.options.store.edgesAmong([...nodes.keys()]) : [];
    return { nodes: [...nodes.values()], edges };
  }

  directDependencyIds(ids: readonly string[], viewer: Viewer) {
    return this.options.store.directDependencyIds(ids, viewer);
  }

  relevance(ids: readonly string[]) {
    return this.options.store.relevance(ids);
  }

  supersessions(ids: readonly string[], viewer: Viewer) {
    return this.options.store.supersessions(ids, viewer);
  }

  content(ids: readonly string[]) {
    return this.options.store.content(ids);
  }

  history(ids: readonly string[], viewer: Viewer) {
    return this.options.store.history(ids, viewer);
  }

  /** Status as of the service clock (expiry is derived, never stored). */
  statusOf(context: ContextRecord): ContextStatus {
    return effectiveStatus(context, this.options.clock.now());
  }

  private async publishParsed(
    viewer: Viewer,
    inputs: PublishContextInput[],
    argument: string,
    key: string | null | undefined,
    operation: string,
  ) {
    const ready = await this.prepare(this.draft(viewer, inputs, argument));
    // The claim fingerprints the inputs as sent (generated ids excluded), so a retry matches.
    const result = await this.options.store.publish(ready, viewer, idempotencyClaim(viewer, operation, key, inputs));
    this.options.onWrite?.(result);
    const { ids } = result;
    const stored = await this.options.store.getMany(ids, viewer);
    return stored.map((context, index) => {
      if (!context) throw new Error(`published context ${ids[index]} could not be read back`);
      return context;
    });
  }

  /** Inputs as contexts to store (ids generated, source agent settled), refusing what the batch gets wrong as a whole. */
  private draft(viewer: Viewer, inputs: PublishContextInput[], argument: string): DraftContext[] {
    const issues: InputIssue[] = [];
    const items: DraftContext[] = inputs.map((input, index) => {
      const path = argument === 'input' ? [argument] : [argument, index];
      if (input.expiration) this.assertFuture(input.expiration, [...path, 'expiration']);
      return {
        id: input.id ?? randomUUID(),
        type: input.type,
        text: input.text,
        content: input.content ?? null,
        tags: input.tags,
        priority: input.priority,
        confidence: input.confidence,
        dependencies: input.dependencies,
        expiresAt: input.expiration ?? null,
        relevance: input.relevance,
        visibleTo: input.visibleTo ?? null,
        supersedes: input.supersedes,
        workflowId: input.workflowId ?? null,
        validFrom: input.validFrom ?? null,
        validUntil: input.validUntil ?? null,
        claim: input.claim ?? null,
        position: input.position ?? null,
        sourceAgentId: this.sourceAgent(viewer, input.sourceAgentId ?? null, [...path, 'sourceAgentId'], issues),
        suppliedEmbedding: this.suppliedEmbedding(input.embedding ?? null, [...path, 'embedding'], issues),
      };
    });
    if (issues.length > 0)
      throw new BadInputError(`Invalid input: ${issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, issues);
    const duplicateIds = items.map((item) => item.id).filter((id, index, all) => all.indexOf(id) !== index);
    if (duplicateIds.length > 0) {
      throw new BadInputError(`Batch repeats context ids: ${[...new Set(duplicateIds)].join(', ')}`, [
        { path: [argument], message: 'repeats an id' },
      ]);
    }
    return items;
  }

  /** A client's vector for the text: the model's dimension exactly (zod checked it is finite and not all zero). */
  private suppliedEmbedding(vector: number[] | null, path: (string | number)[], issues: InputIssue[]): number[] | null {
    const { dimensions, modelId } = this.options.embeddings;
    if (vector !== null && vector.length !== dimensions)
      issues.push({ path, message: `must have ${dimensions} numbers (the dimension of ${modelId}), got ${vector.length}` });
    return vector;
  }

  /**
   * Embeds what the client did not (before the transaction: the write itself calls no model), counts, computes
   * relevance and recipients.
   */
  private async prepare(items: DraftContext[]): Promise<NewContext[]> {
    const toEmbed = items.filter((item) => item.suppliedEmbedding === null);
    const [computed, profiles] = await Promise.all([
      toEmbed.length > 0 ? this.options.embeddings.embed(toEmbed.map((item) => item.text)) : Promise.resolve([]),
      this.options.agentProfiles.get(),
    ]);
    const embedded = new Map(toEmbed.map((item, index) => [item, computed[index] ?? []]));
    return Promise.all(
      items.map(async ({ suppliedEmbedding, ...item }, index) => {
        const embedding = suppliedEmbedding ?? embedded.get(items[index] as DraftContext) ?? [];
        const computedRelevance = relevanceToAgents({ ...item, embedding }, profiles);
        const relevance = mergeRelevance([], computedRelevance, item.relevance);
        return {
          ...item,
          tokens: this.options.tokens.count(item.text),
          embedding,
          topicKeys: topicKeys(item.tags),
          computedRelevance,
          recipients: await this.options.recipients.recipients(item, relevance),
        };
      }),
    );
  }

  private sourceAgent(viewer: Viewer, requested: string | null, path: (string | number)[], issues: InputIssue[]): string {
    switch (viewer.kind) {
      case 'agent':
        if (requested !== null && requested !== viewer.agentId) {
          throw new ForbiddenError(`An agent publishes as itself; ${viewer.agentId} may not publish as ${requested}`);
        }
        return viewer.agentId;
      case 'admin':
        if (requested === null) issues.push({ path, message: 'required when publishing with the admin key' });
        return requested ?? '';
      default: {
        const unreachable: never = viewer;
        return unreachable;
      }
    }
  }

  private assertFuture(iso: string, path: (string | number)[]) {
    if (iso <= this.options.clock.now().toISOString()) {
      throw new BadInputError(`${path.join('.')} must be in the future`, [{ path, message: 'must be in the future' }]);
    }
  }

  private async mustRead(id: string, viewer: Viewer): Promise<ContextRecord> {
    const [context] = await this.options.store.getMany([id], viewer);
    if (!context) throw new Error(`context ${id} vanished after a write`);
    return context;
  }
}

/** An update may not leave an empty valid-time interval, whichever end it changes. */
function assertNonEmptyValidity(current: ContextRecord, changes: ContextChanges): void {
  if (changes.validFrom === undefined && changes.validUntil === undefined) return;
  const interval = {
    validFrom: changes.validFrom !== undefined ? changes.validFrom : current.validFrom,
    validUntil: changes.validUntil !== undefined ? changes.validUntil : current.validUntil,
  };
  if (!isEmptyInterval(interval)) return;
  const path = ['patch', changes.validUntil !== undefined ? 'validUntil' : 'validFrom'];
  const message = changes.validUntil !== undefined ? 'must be after validFrom' : 'must be before validUntil';
  throw new BadInputError(`${path.join('.')} ${message}`, [{ path, message }]);
}

const topicKeys = (tags: readonly string[]) => [...new Set(tags.map(normalizeTopic))];
