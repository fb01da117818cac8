import { changedBy } from '../../domain/context-rules.js';
import type { ContextChanges, NewContext } from '../../domain/store-ports.js';
import type { DependencyEdge, Viewer } from '../../domain/types.js';
import { recordVersions } from './event-log.js';
import { int, type TxRunner } from './executor.js';
import {
  APPLY_CONTEXT_CHANGES,
  CLEAR_COMPUTED_RELEVANCE,
  CLEAR_EXPLICIT_RELEVANCE,
  CREATE_CONTEXTS,
  CREATE_DEPENDENCIES,
  REPLACE_DEPENDENCIES,
  REPLACE_TOPICS,
  SET_COMPUTED_RELEVANCE,
  SET_EXPLICIT_RELEVANCE,
  SUPERSEDE,
} from './statements/contexts.js';

/** The write steps of publish and update, run in the caller's transaction after its checks passed. */

/** A new context with the event seq of its publication. */
export interface NumberedContext {
  item: NewContext;
  seq: number;
}

type Scores = readonly { agentId: string; score: number }[];

const relevanceRows = (contextId: string, scores: Scores) => scores.map((r) => ({ contextId, agentId: r.agentId, score: r.score }));
const contentJson = (content: unknown) => (content === undefined || content === null ? null : JSON.stringify(content));

/** Creates the contexts (with their topics and producer edge) and the batch's dependency edges. */
export async function createContexts(
  tx: TxRunner,
  published: readonly NumberedContext[],
  edges: readonly DependencyEdge[],
  embeddingModel: string,
  now: string,
): Promise<void> {
  const items = published.map(({ item, seq }) => ({
    id: item.id,
    type: item.type,
    text: item.text,
    contentJson: contentJson(item.content),
    tags: item.tags,
    priority: item.priority,
    tokens: item.tokens,
    confidence: item.confidence,
    sourceAgentId: item.sourceAgentId,
    expiresAt: item.expiresAt,
    visibleTo: item.visibleTo,
    workflowId: item.workflowId,
    validFrom: item.validFrom,
    validUntil: item.validUntil,
    claim: item.claim,
    position: item.position,
    seq,
    embedding: item.embedding,
    topicKeys: item.topicKeys,
  }));
  await tx.run(CREATE_CONTEXTS, { now, embeddingModel, items });
  if (edges.length > 0) await tx.run(CREATE_DEPENDENCIES, { edges });
}

/** Declared relevance first; computed relevance then never overwrites it (see SET_COMPUTED_RELEVANCE). */
export async function writeRelevance(tx: TxRunner, items: readonly NewContext[], now: string): Promise<void> {
  const declared = items.flatMap((item) => relevanceRows(item.id, item.relevance));
  if (declared.length > 0) await tx.run(SET_EXPLICIT_RELEVANCE, { relevance: declared, now });
  const computed = items.flatMap((item) => relevanceRows(item.id, item.computedRelevance));
  if (computed.length > 0) await tx.run(SET_COMPUTED_RELEVANCE, { relevance: computed, now });
}

/** Marks the (already locked) superseded contexts SUPERSEDED by the new ones and records their versions. */
export async function supersede(
  tx: TxRunner,
  items: readonly NewContext[],
  superseded: readonly { contextId: string; seq: number }[],
  viewer: Viewer,
  now: string,
): Promise<void> {
  if (superseded.length === 0) return;
  const supersessions = items.flatMap((item) => item.supersedes.map((old) => ({ from: item.id, to: old })));
  await tx.run(SUPERSEDE, { supersessions, now });
  const by = changedBy(viewer);
  await recordVersions(
    tx,
    superseded.map(({ contextId, seq }) => ({ id: contextId, seq, by, kind: 'SUPERSEDED' as const })),
    now,
  );
}

/** Applies an update's changes to the (already locked) context. */
export async function applyChanges(tx: TxRunner, id: string, changes: ContextChanges, now: string): Promise<void> {
  await tx.run(APPLY_CONTEXT_CHANGES, { id, now, props: changedProperties(changes) });
  if (changes.dependencies) await tx.run(REPLACE_DEPENDENCIES, { id, dependencies: changes.dependencies });
  if (changes.tags) await tx.run(REPLACE_TOPICS, { id, topicKeys: changes.tags.topicKeys });
  // Declared first, then computed, as at publish: clearing declared scores after setting computed ones would
  // delete an agent's edge that the computed score had matched, leaving it with no relevance at all.
  if (changes.relevance) {
    await tx.run(CLEAR_EXPLICIT_RELEVANCE, { id });
    const declared = relevanceRows(id, changes.relevance);
    if (declared.length > 0) await tx.run(SET_EXPLICIT_RELEVANCE, { relevance: declared, now });
  }
  if (changes.computedRelevance) {
    await tx.run(CLEAR_COMPUTED_RELEVANCE, { id });
    const computed = relevanceRows(id, changes.computedRelevance);
    if (computed.length > 0) await tx.run(SET_COMPUTED_RELEVANCE, { relevance: computed, now });
  }
}

/** Allow-listed property map for `SET c += $props`; keys never come from input. */
function changedProperties(changes: ContextChanges): Record<string, unknown> {
  const props: Record<string, unknown> = {};
  if (changes.text) {
    props['text'] = changes.text.text;
    props['tokens'] = int(changes.text.tokens);
    props['embedding'] = changes.text.embedding;
  }
  if (changes.content !== undefined) props['contentJson'] = contentJson(changes.content);
  if (changes.tags) props['tags'] = changes.tags.tags;
  if (changes.priority) props['priority'] = changes.priority;
  if (changes.confidence !== undefined) props['confidence'] = changes.confidence;
  if (changes.expiresAt !== undefined) props['expiresAt'] = changes.expiresAt;
  if (changes.visibleTo !== undefined) props['visibleTo'] = changes.visibleTo;
  if (changes.validFrom !== undefined) props['validFrom'] = changes.validFrom;
  if (changes.validUntil !== undefined) props['validUntil'] = changes.validUntil;
  if (changes.claim !== undefined) props['claim'] = changes.claim;
  if (changes.position !== undefined) props['position'] = changes.position;
  return props;
}
