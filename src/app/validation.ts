import { z } from 'zod';
import { BadInputError, type InputIssue } from '../domain/errors.js';
import { isEmptyInterval } from '../domain/valid-time.js';
import { CONTEXT_STATUSES, CONTEXT_TYPES, PRIORITIES } from '../domain/types.js';
import { MESH_AGENT_ID, POLICY_MODES } from '../domain/workflows/types.js';

/** Input rules for every operation, in one place. Messages name the rule; paths name the field. */

export const MAX_TEXT_CHARS = 100_000;
const MAX_OVERRIDE_CHARS = 10_000;

export const ID_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;
const id = z.string().regex(ID_PATTERN, 'must be 1-64 characters of letters, digits, _ . : -');
const topic = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters');
const tag = topic;
/** A claim is a key, normalised like a tag's topic key (trimmed, lower case, spaces and hyphens as `_`). */
const claim = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters')
  .transform((value) => value.toLowerCase().replace(/[\s-]+/g, '_'));
const position = z.string().trim().min(1, 'must not be empty').max(500, 'must be at most 500 characters');
export const claimKey = claim;
export const positionText = position;
const isoDateTime = z.iso.datetime({ offset: true }).transform((value) => new Date(value).toISOString());
const score = z.number().min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1');
const uniqueIds = (max: number) =>
  z
    .array(id)
    .max(max, `at most ${max}`)
    .refine((ids) => new Set(ids).size === ids.length, 'must not repeat an id');

/** Bounds the stored JSON so one context cannot blow up memory or the database row. */
const MAX_CONTENT_BYTES = 256 * 1024;
const content = z
  .unknown()
  .refine(
    (value) => value === undefined || value === null || Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8') <= MAX_CONTENT_BYTES,
    `must serialise to at most ${MAX_CONTENT_BYTES} bytes of JSON`,
  )
  .optional();

const relevance = z
  .array(z.object({ agentId: id, score }))
  .max(1000)
  .refine((items) => new Set(items.map((r) => r.agentId)).size === items.length, 'must not name an agent twice');

/** An id an agent may be registered (or spawned) with: not the mesh's own. */
const newAgentId = id.refine((value) => value !== MESH_AGENT_ID, `is reserved for the mesh's own agent`);

export const registerAgentInput = z.object({
  id: newAgentId.optional(),
  name: z.string().trim().min(1, 'must not be empty').max(200),
  role: z.string().trim().max(200).nullish(),
  needs: z.array(topic).max(200).default([]),
  produces: z.array(topic).max(200).default([]),
  relevanceThreshold: score.default(0.3),
  tokenBudget: z.number().int().min(1, 'must be at least 1').max(2_000_000).default(4000),
  parentId: id.nullish(),
});
export type RegisterAgentInput = z.infer<typeof registerAgentInput>;

/** A tag or type a spawned agent inherits or isolates: compared case-insensitively (README "Inheritance"). */
const scopeNames = z
  .array(topic.transform((value) => value.toLowerCase()))
  .max(100, 'at most 100')
  .default([])
  .transform((names) => [...new Set(names)]);

/** spawnAgent: needs/produces default to the parent's (null here = not given). */
export const spawnAgentInput = z.object({
  id: newAgentId.optional(),
  name: z.string().trim().min(1, 'must not be empty').max(200),
  role: z.string().trim().max(200).nullish(),
  needs: z.array(topic).max(200).nullish(),
  produces: z.array(topic).max(200).nullish(),
  relevanceThreshold: score.optional(),
  tokenBudget: z.number().int().min(1, 'must be at least 1').max(2_000_000).optional(),
  inherit: scopeNames,
  isolate: scopeNames,
  override: z
    .array(z.object({ claim, text: z.string().trim().min(1, 'must not be empty').max(MAX_OVERRIDE_CHARS) }))
    .max(50, 'at most 50')
    .default([])
    .refine((items) => new Set(items.map((o) => o.claim)).size === items.length, 'must not name a claim twice'),
});
export type SpawnAgentInput = z.infer<typeof spawnAgentInput>;

/** `validUntil` must be after `validFrom` when both are given (the interval is half-open, see src/domain/valid-time.ts). */
function refuseEmptyInterval(
  value: { validFrom?: string | null | undefined; validUntil?: string | null | undefined },
  ctx: z.RefinementCtx,
) {
  if (isEmptyInterval({ validFrom: value.validFrom ?? null, validUntil: value.validUntil ?? null })) {
    ctx.addIssue({ code: 'custom', path: ['validUntil'], message: 'must be after validFrom' });
  }
}

/** A CONSENSUS context depends on every input of its consensus; other contexts on at most MAX_DEPENDENCIES. */
export const MAX_DEPENDENCIES = 200;
export const MAX_CONSENSUS_INPUTS = 2000;
function refuseTooManyDependencies(value: { type: string; dependencies: string[] }, ctx: z.RefinementCtx) {
  if (value.type !== 'CONSENSUS' && value.dependencies.length > MAX_DEPENDENCIES) {
    ctx.addIssue({ code: 'custom', path: ['dependencies'], message: `at most ${MAX_DEPENDENCIES}` });
  }
}

/** A client-computed vector (its dimension is the provider's, checked by the service); the widest models stay under 4,096. */
export const MAX_EMBEDDING_DIMENSIONS = 4096;
const embeddingVector = z
  .array(z.number().finite('must be a finite number'))
  .min(1, 'must not be empty')
  .max(MAX_EMBEDDING_DIMENSIONS, `at most ${MAX_EMBEDDING_DIMENSIONS} numbers`)
  .refine((vector) => vector.some((x) => x !== 0), 'must not be all zeros (it has no direction to compare)');

export const publishContextInput = z
  .object({
    id: id.optional(),
    type: z.enum(CONTEXT_TYPES),
    text: z.string().trim().min(1, 'must not be empty').max(MAX_TEXT_CHARS, `must be at most ${MAX_TEXT_CHARS} characters`),
    content,
    tags: z.array(tag).max(100).default([]),
    priority: z.enum(PRIORITIES).default('ROUTINE'),
    confidence: score.default(1),
    dependencies: uniqueIds(MAX_CONSENSUS_INPUTS).default([]),
    expiration: isoDateTime.nullish(),
    relevance: relevance.default([]),
    visibleTo: uniqueIds(1000).nullish(),
    sourceAgentId: id.nullish(),
    supersedes: uniqueIds(50).default([]),
    workflowId: id.nullish(),
    // Valid time may lie in the past (a fact that held, or still holds, since then) and may end in the past too
    // (recording what was true once); only an empty interval is refused.
    validFrom: isoDateTime.nullish(),
    validUntil: isoDateTime.nullish(),
    claim: claim.nullish(),
    position: position.nullish(),
    embedding: embeddingVector.nullish(),
  })
  .superRefine(refuseEmptyInterval)
  .superRefine(refuseTooManyDependencies);
export type PublishContextInput = z.infer<typeof publishContextInput>;

export const MAX_BATCH = 500;
export const publishContextsInput = z
  .array(publishContextInput)
  .min(1, 'must hold at least one context')
  .max(MAX_BATCH, `at most ${MAX_BATCH} per batch`);

export const contextPatch = z
  .object({
    text: z.string().trim().min(1, 'must not be empty').max(MAX_TEXT_CHARS).optional(),
    content,
    tags: z.array(tag).max(100).optional(),
    priority: z.enum(PRIORITIES).optional(),
    confidence: score.optional(),
    dependencies: uniqueIds(200).optional(),
    expiration: isoDateTime.nullish(),
    relevance: relevance.optional(),
    visibleTo: uniqueIds(1000).nullish(),
    validFrom: isoDateTime.nullish(),
    validUntil: isoDateTime.nullish(),
    claim: claim.nullish(),
    position: position.nullish(),
  })
  .superRefine(refuseEmptyInterval)
  .refine((patch) => Object.values(patch).some((value) => value !== undefined), 'must change at least one field');
export type ContextPatchInput = z.infer<typeof contextPatch>;

/** An absent criterion is null ("no filter"), so the store gets one shape. */
const criterion = <S extends z.ZodType>(schema: S) => schema.nullish().transform((value) => value ?? null);
/** `contexts(filter)`: every criterion optional; no status asked for means ACTIVE only. */
export const contextFilter = z.preprocess(
  (filter) => filter ?? {},
  z.object({
    types: criterion(z.array(z.enum(CONTEXT_TYPES)).max(20)),
    workflowIds: criterion(z.array(id).max(100)),
    tags: criterion(z.array(tag).max(100)),
    sourceAgentIds: criterion(z.array(id).max(1000)),
    statuses: z
      .array(z.enum(CONTEXT_STATUSES))
      .max(10)
      .nullish()
      .transform((statuses) => (statuses && statuses.length > 0 ? statuses : ['ACTIVE' as const])),
    priorities: criterion(z.array(z.enum(PRIORITIES)).max(10)),
    createdAfter: criterion(isoDateTime),
    createdBefore: criterion(isoDateTime),
  }),
);

/** A required type or tag (workflow steps, publishing policies), and the lists of them: at most 100, repeats dropped. */
const requirementEntry = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters');
const entryList = z
  .array(requirementEntry)
  .max(100, 'at most 100')
  .nullish()
  .transform((entries) => [...new Set(entries ?? [])]);
const MAX_STEPS = 100;

const workflowStepInput = z.object({
  id,
  agentId: id,
  needs: entryList,
  produces: entryList,
  requires: entryList,
  next: z
    .array(id)
    .max(MAX_STEPS, `at most ${MAX_STEPS}`)
    .refine((ids) => new Set(ids).size === ids.length, 'must not repeat an id')
    .nullish()
    .transform((ids) => ids ?? []),
});

/** Step ids are unique, and `next` names steps of the same workflow (cycles are allowed: a reviewer sends work back). */
function checkStepGraph(value: { steps: { id: string; next: string[] }[] }, ctx: z.RefinementCtx) {
  const ids = new Set<string>();
  value.steps.forEach((step, index) => {
    if (ids.has(step.id)) ctx.addIssue({ code: 'custom', path: ['steps', index, 'id'], message: `repeats step id ${step.id}` });
    ids.add(step.id);
  });
  value.steps.forEach((step, index) =>
    step.next.forEach((next, position) => {
      if (!ids.has(next)) {
        ctx.addIssue({ code: 'custom', path: ['steps', index, 'next', position], message: `names no step of this workflow (${next})` });
      }
    }),
  );
}

export const defineWorkflowInput = z
  .object({
    id,
    name: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters'),
    steps: z.array(workflowStepInput).min(1, 'must hold at least one step').max(MAX_STEPS, `at most ${MAX_STEPS} steps`),
  })
  .superRefine(checkStepGraph);
export type DefineWorkflowInput = z.infer<typeof defineWorkflowInput>;

/** Exactly one target: an agent, a role, or a workflow step (workflowId and stepId together). */
function checkPolicyTarget(
  value: { [K in 'agentId' | 'role' | 'workflowId' | 'stepId']?: string | null | undefined },
  ctx: z.RefinementCtx,
) {
  if ((value.workflowId == null) !== (value.stepId == null)) {
    const missing = value.workflowId == null ? 'workflowId' : 'stepId';
    ctx.addIssue({ code: 'custom', path: [missing], message: 'a step policy needs both workflowId and stepId' });
    return;
  }
  const targets = [value.agentId != null, value.role != null, value.workflowId != null].filter(Boolean).length;
  if (targets !== 1) {
    ctx.addIssue({
      code: 'custom',
      path: [],
      message: targets === 0 ? 'name a target: agentId, role, or workflowId with stepId' : 'name exactly one target',
    });
  }
}

export const publishingPolicyInput = z
  .object({
    id: id.nullish(),
    agentId: id.nullish(),
    role: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters').nullish(),
    workflowId: id.nullish(),
    stepId: id.nullish(),
    requires: z
      .array(requirementEntry)
      .min(1, 'must name at least one type or tag')
      .max(100, 'at most 100')
      .transform((entries) => [...new Set(entries)]),
    mode: z
      .enum(POLICY_MODES)
      .nullish()
      .transform((mode) => mode ?? 'ENFORCE'),
  })
  .superRefine(checkPolicyTarget);
export type PublishingPolicyInput = z.infer<typeof publishingPolicyInput>;

export const idempotencyKey = z.string().min(1).max(200).nullish();
/** The one id rule: contexts, agents and workflows alike. */
export const entityId = id;
export const contextId = id;
export const agentId = id;
export const workflowId = id.nullish();
export const seq = z.number().int().min(0, 'must be 0 or more');
export const expectedVersion = z.number().int().min(1, 'versions start at 1');
export const retractionReason = z.string().trim().min(1, 'must not be empty').max(2000);
export const pageSize = z.number().int().min(1, 'must be between 1 and 100').max(100, 'must be between 1 and 100');
export const asOfSeq = z.number().int().min(0).nullish();
/** The valid time a read is judged at; absent means now. */
export const validAt = isoDateTime.nullish();

/** feedback(packageId, contextId, used, useful). */
export const feedbackInput = z.object({
  packageId: id,
  contextId: id,
  used: z.boolean(),
  useful: z
    .boolean()
    .nullish()
    .transform((value) => value ?? null),
});
export type FeedbackInput = z.infer<typeof feedbackInput>;

/** meshStats(agentId, workflowId, from, to): `from` inclusive, `to` exclusive, from before to. */
export const meshStatsInput = z
  .object({
    agentId: id.nullish().transform((value) => value ?? null),
    workflowId: id.nullish().transform((value) => value ?? null),
    from: isoDateTime.nullish().transform((value) => value ?? null),
    to: isoDateTime.nullish().transform((value) => value ?? null),
  })
  .refine((input) => input.from === null || input.to === null || input.from < input.to, { message: 'must be after from', path: ['to'] });
export type MeshStatsInput = z.infer<typeof meshStatsInput>;

/** contextMap(workflowId, from, to): the range [from, to), default everything. */
export const contextMapInput = z
  .object({
    workflowId: id.nullish().transform((value) => value ?? null),
    from: isoDateTime.nullish().transform((value) => value ?? null),
    to: isoDateTime.nullish().transform((value) => value ?? null),
  })
  .refine((input) => input.from === null || input.to === null || input.from < input.to, { message: 'must be after from', path: ['to'] });

/** Parses `value` or throws BAD_USER_INPUT whose issue paths start at the argument name. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, argument: string): z.output<S> {
  return parseWithPath(schema, value, [argument]);
}

/** Parses an operation's arguments as one object; issue paths start at each argument's own name. */
export function parseArgs<S extends z.ZodType>(schema: S, args: Record<string, unknown>): z.output<S> {
  return parseWithPath(schema, args, []);
}

function parseWithPath<S extends z.ZodType>(schema: S, value: unknown, prefix: (string | number)[]): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues: InputIssue[] = result.error.issues.map((issue) => ({
    path: [...prefix, ...issue.path.map((part) => (typeof part === 'symbol' ? String(part) : part))],
    message: issue.message,
  }));
  const summary = issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
  throw new BadInputError(`Invalid input: ${summary}`, issues);
}
