import { z } from 'zod';
import { WEIGHT_BY, weightOf, DEFAULT_MINIMUM_AGREEMENT, DEFAULT_TOLERANCE, type WeightBy } from '../../domain/consensus/agreement.js';
import { DEFAULT_SIMILARITY_THRESHOLD, groupBySimilarity, selectGroup } from '../../domain/consensus/grouping.js';
import type { ConsensusStore, InputRecord } from '../../domain/consensus/ports.js';
import { effectiveStatus } from '../../domain/context-status.js';
import { BadInputError, NotFoundError } from '../../domain/errors.js';
import type { Viewer } from '../../domain/types.js';
import { claimKey, contextId, MAX_CONSENSUS_INPUTS, parseInput, workflowId as workflowIdSchema } from '../validation.js';

/** buildConsensus's arguments, validated, and the inputs they select (only what the caller may read). */

export const GROUPINGS = ['CLAIM', 'IDS', 'SIMILARITY'] as const;
export type Grouping = (typeof GROUPINGS)[number];

const unit = z.number().min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1');
const ids = z
  .array(contextId)
  .max(MAX_CONSENSUS_INPUTS, `at most ${MAX_CONSENSUS_INPUTS}`)
  .refine((list) => new Set(list).size === list.length, 'must not repeat an id');

export interface ConsensusArgs {
  claim: string | null;
  contextIds: string[] | null;
  groupBy: Grouping;
  similarityThreshold: number;
  weightBy: WeightBy;
  minimumAgreement: number;
  tolerance: number;
  escalateConflicts: boolean;
  sourceAgentId: string | null;
  workflowId: string | null;
}

/** Parses each argument at its own path; defaults as in the schema. */
export function parseConsensusArgs(raw: Record<string, unknown>): ConsensusArgs {
  const claim = parseInput(claimKey.nullish(), raw['claim'], 'claim') ?? null;
  const contextIds = parseInput(ids.nullish(), raw['contextIds'], 'contextIds') ?? null;
  const explicit = parseInput(z.enum(GROUPINGS).nullish(), raw['groupBy'], 'groupBy') ?? null;
  const groupBy: Grouping = explicit ?? (claim !== null ? 'CLAIM' : 'IDS');
  const args: ConsensusArgs = {
    claim,
    contextIds,
    groupBy,
    similarityThreshold: parseInput(unit.nullish(), raw['similarityThreshold'], 'similarityThreshold') ?? DEFAULT_SIMILARITY_THRESHOLD,
    weightBy: parseInput(z.enum(WEIGHT_BY).nullish(), raw['weightBy'], 'weightBy') ?? 'CONFIDENCE',
    minimumAgreement: parseInput(unit.nullish(), raw['minimumAgreement'], 'minimumAgreement') ?? DEFAULT_MINIMUM_AGREEMENT,
    tolerance: parseInput(unit.nullish(), raw['tolerance'], 'tolerance') ?? DEFAULT_TOLERANCE,
    escalateConflicts: parseInput(z.boolean().nullish(), raw['escalateConflicts'], 'escalateConflicts') ?? true,
    sourceAgentId: parseInput(contextId.nullish(), raw['sourceAgentId'], 'sourceAgentId') ?? null,
    workflowId: parseInput(workflowIdSchema, raw['workflowId'], 'workflowId') ?? null,
  };
  assertCoherent(args);
  return args;
}

function assertCoherent(args: ConsensusArgs): void {
  const refuse = (path: string, message: string) => {
    throw new BadInputError(`${path}: ${message}`, [{ path: [path], message }]);
  };
  if (args.groupBy === 'CLAIM' && args.claim === null) refuse('claim', 'required when grouping by CLAIM');
  if (args.groupBy !== 'CLAIM' && args.claim !== null) refuse('claim', `not taken when grouping by ${args.groupBy}`);
  if (args.groupBy === 'CLAIM' && args.contextIds !== null) refuse('contextIds', 'give either claim or contextIds');
  if (args.groupBy === 'IDS' && args.contextIds === null) refuse('contextIds', 'give claim or contextIds (or groupBy: SIMILARITY)');
}

export interface Selection {
  inputs: InputRecord[];
  /** The similarity groups (every input considered, by group), or one group of all inputs. */
  groups: { contextIds: string[]; selected: boolean }[];
}

export interface SelectionDeps {
  store: ConsensusStore;
  now: () => Date;
}

/** The inputs a consensus is built on, as `viewer` may read them. At least two, or BAD_USER_INPUT. */
export async function selectInputs(deps: SelectionDeps, viewer: Viewer, args: ConsensusArgs): Promise<Selection> {
  const query = { viewer, now: deps.now().toISOString(), limit: MAX_CONSENSUS_INPUTS, withEmbedding: args.groupBy === 'SIMILARITY' };
  let inputs: InputRecord[];
  if (args.groupBy === 'CLAIM') inputs = await deps.store.inputsByClaim(args.claim ?? '', query);
  else if (args.contextIds !== null) inputs = await named(deps, args.contextIds, query);
  else inputs = await deps.store.claimlessFindings(args.workflowId, query);
  if (args.groupBy === 'SIMILARITY') return bySimilarity(inputs, args);
  if (args.groupBy === 'CLAIM') assertEnough(inputs.length, `findings on claim ${args.claim ?? ''} the caller may read`, 'claim');
  else assertEnough(inputs.length, 'contexts', 'contextIds');
  return { inputs, groups: [{ contextIds: inputs.map((i) => i.context.id), selected: true }] };
}

/** Named inputs: each must exist and be readable (NOT_FOUND, a hidden one like a missing one) and be active. */
async function named(deps: SelectionDeps, wanted: string[], query: Parameters<ConsensusStore['inputsByIds']>[1]) {
  const found = await deps.store.inputsByIds(wanted, query);
  const byId = new Map(found.map((input) => [input.context.id, input]));
  const missing = wanted.filter((id) => !byId.has(id));
  if (missing.length > 0) throw new NotFoundError('Context', missing);
  const now = deps.now();
  const issues = wanted.flatMap((id, index) => {
    const input = byId.get(id);
    return input && effectiveStatus(input.context, now) !== 'ACTIVE' ? [{ path: ['contextIds', index], message: 'is not active' }] : [];
  });
  if (issues.length > 0)
    throw new BadInputError(`Inputs of a consensus must be active: ${issues.map((i) => i.path[1]).join(', ')}`, issues);
  return wanted.map((id) => byId.get(id)).filter((input): input is InputRecord => input !== undefined);
}

function bySimilarity(inputs: InputRecord[], args: ConsensusArgs): Selection {
  const weight = (input: InputRecord) => weightOf({ confidence: input.context.confidence, trust: input.trust }, args.weightBy);
  const ordered = [...inputs]
    .sort((a, b) => weight(b) - weight(a) || a.context.createdSeq - b.context.createdSeq)
    .map((input) => ({ id: input.context.id, embedding: input.embedding ?? [], input }));
  const clusters = groupBySimilarity(ordered, args.similarityThreshold);
  const chosen = selectGroup(clusters, (item) => weight(item.input));
  if (chosen === null) {
    throw new BadInputError(`No two of the ${inputs.length} findings are at least ${args.similarityThreshold} similar`, [
      { path: ['similarityThreshold'], message: 'no two findings are this similar' },
    ]);
  }
  return {
    inputs: (clusters[chosen] ?? []).map((item) => item.input),
    groups: clusters.map((cluster, index) => ({ contextIds: cluster.map((item) => item.id), selected: index === chosen })),
  };
}

function assertEnough(count: number, what: string, path: string): void {
  if (count >= 2) return;
  throw new BadInputError(`A consensus needs at least 2 inputs; found ${count} ${what}`, [
    { path: [path], message: 'needs at least 2 inputs' },
  ]);
}
