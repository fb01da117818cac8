import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ForbiddenError } from '../../domain/errors.js';
import type { Agent, Viewer } from '../../domain/types.js';
import type { PolicyStore, WorkflowStore } from '../../domain/workflows/ports.js';
import { appliesTo } from '../../domain/workflows/requirements.js';
import type { PolicyTarget, PolicyViolation, PublishingPolicy, StepTarget } from '../../domain/workflows/types.js';
import { idempotencyClaim } from '../idempotency.js';
import { entityId, idempotencyKey, parseInput, publishingPolicyInput, type PublishingPolicyInput } from '../validation.js';
import { MAX_POLICIES_READ, MAX_WORKFLOWS_LISTED } from './workflow-service.js';

export interface PolicyServiceDeps {
  store: PolicyStore;
  workflows: Pick<WorkflowStore, 'getMany'>;
  agents: { getMany(ids: readonly string[]): Promise<(Agent | null)[]> };
}

/** A recorded violation with its policy (null once the policy was removed). */
export interface ViolationView extends PolicyViolation {
  policy: PublishingPolicy | null;
}

const firstSchema = z.number().int().min(1, 'must be between 1 and 500').max(500, 'must be between 1 and 500');

function assertAdmin(viewer: Viewer, what: string): void {
  if (viewer.kind !== 'admin') throw new ForbiddenError(`Only an admin may ${what}`);
}

function targetOf(input: PublishingPolicyInput): PolicyTarget {
  if (input.agentId != null) return { kind: 'AGENT', agentId: input.agentId };
  if (input.role != null) return { kind: 'ROLE', role: input.role };
  return { kind: 'STEP', workflowId: input.workflowId ?? '', stepId: input.stepId ?? '' };
}

/** Mandatory publishing: policies per agent, role or workflow step (admin), listed for anyone; recorded violations. */
export class PolicyService {
  constructor(private readonly deps: PolicyServiceDeps) {}

  /** Admin only. Creates (id generated unless given) or replaces a policy. NOT_FOUND for an unknown agent or step. */
  async set(viewer: Viewer, rawInput: unknown, rawKey: unknown): Promise<PublishingPolicy> {
    assertAdmin(viewer, 'set publishing policies');
    const input = parseInput(publishingPolicyInput, rawInput, 'input');
    const key = parseInput(idempotencyKey, rawKey, 'idempotencyKey');
    const policy = { id: input.id ?? randomUUID(), target: targetOf(input), requires: input.requires, mode: input.mode, setBy: 'admin' };
    return this.deps.store.set(policy, idempotencyClaim(viewer, 'setPublishingPolicy', key, input));
  }

  /** Admin only. False when no policy had that id. */
  async remove(viewer: Viewer, rawId: unknown, rawKey: unknown): Promise<boolean> {
    assertAdmin(viewer, 'remove publishing policies');
    const id = parseInput(entityId, rawId, 'id');
    const key = parseInput(idempotencyKey, rawKey, 'idempotencyKey');
    return this.deps.store.remove(id, idempotencyClaim(viewer, `removePublishingPolicy:${id}`, key, { id }));
  }

  /**
   * Policies in id order. With `agentId`: those that apply to that agent (its own, its role's, those of the steps it
   * runs); with `workflowId`: those that apply to a step of that workflow; with both, both hold. Unknown ids match none.
   */
  async list(_viewer: Viewer, rawAgentId: unknown, rawWorkflowId: unknown): Promise<PublishingPolicy[]> {
    const agentId = parseInput(entityId.nullish(), rawAgentId, 'agentId') ?? null;
    const workflowId = parseInput(entityId.nullish(), rawWorkflowId, 'workflowId') ?? null;
    const policies = await this.deps.store.list(MAX_POLICIES_READ);
    if (agentId === null && workflowId === null) return policies;
    const targets = await this.targets(policies, agentId, workflowId);
    const agentOnly = agentId !== null && workflowId === null ? await this.agentTarget(agentId) : null;
    return policies.filter(
      (p) =>
        targets.some((t) => appliesTo(p.target, t)) || (agentOnly !== null && p.target.kind !== 'STEP' && appliesTo(p.target, agentOnly)),
    );
  }

  /** Newest first; any authenticated caller (what a step missed is part of where the workflow stands). */
  async violations(_viewer: Viewer, rawWorkflowId: unknown, rawAgentId: unknown, rawFirst: unknown): Promise<ViolationView[]> {
    const workflowId = parseInput(entityId.nullish(), rawWorkflowId, 'workflowId') ?? null;
    const agentId = parseInput(entityId.nullish(), rawAgentId, 'agentId') ?? null;
    const limit = parseInput(firstSchema, rawFirst ?? 100, 'first');
    const [violations, policies] = await Promise.all([
      this.deps.store.violations({ workflowId, agentId, limit }),
      this.deps.store.list(MAX_POLICIES_READ),
    ]);
    const byId = new Map(policies.map((p) => [p.id, p]));
    return violations.map((v) => ({ ...v, policy: byId.get(v.policyId) ?? null }));
  }

  /** The steps the filters are about (with their agents' roles): the workflow's, or those the agent runs. */
  private async targets(policies: readonly PublishingPolicy[], agentId: string | null, workflowId: string | null): Promise<StepTarget[]> {
    const workflows =
      workflowId !== null
        ? (await this.deps.workflows.getMany([workflowId])).flatMap((w) => (w ? [w] : []))
        : await this.workflowsOfStepPolicies(policies);
    const steps = workflows.flatMap((w) => w.steps).filter((s) => agentId === null || s.agentId === agentId);
    const agents = await this.deps.agents.getMany([...new Set(steps.map((s) => s.agentId))]);
    const roles = new Map(agents.flatMap((a) => (a ? [[a.id, a.role] as const] : [])));
    return steps.map((s) => ({ workflowId: s.workflowId, stepId: s.id, agentId: s.agentId, role: roles.get(s.agentId) ?? null }));
  }

  private async workflowsOfStepPolicies(policies: readonly PublishingPolicy[]) {
    const ids = [...new Set(policies.flatMap((p) => (p.target.kind === 'STEP' ? [p.target.workflowId] : [])))].slice(
      0,
      MAX_WORKFLOWS_LISTED,
    );
    return (await this.deps.workflows.getMany(ids)).flatMap((w) => (w ? [w] : []));
  }

  /** The agent as a target of agent and role policies, whether or not it runs a step. */
  private async agentTarget(agentId: string): Promise<StepTarget | null> {
    const [agent] = await this.deps.agents.getMany([agentId]);
    return agent ? { workflowId: '', stepId: '', agentId, role: agent.role } : null;
  }
}
