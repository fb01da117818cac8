import type { Agent } from '../src/domain/types.js';
import type { PolicyTarget } from '../src/domain/workflows/types.js';
import type { Resolvers } from './__generated__/types.js';

/** Workflows and mandatory publishing (src/app/workflows/). A step's progress is read once per workflow, when selected. */

/** The policy's target when it is of that kind, else null (the flat fields of PublishingPolicy). */
const target = <K extends PolicyTarget['kind']>(policy: { target: PolicyTarget }, kind: K) =>
  policy.target.kind === kind ? (policy.target as Extract<PolicyTarget, { kind: K }>) : null;

const mustHaveAgent = (agent: Agent | null, id: string): Agent => {
  if (!agent) throw new Error(`agent ${id} is missing`);
  return agent;
};

export const workflowResolvers = {
  Query: {
    workflow: (_parent, { id }, { viewer, services }) => services.workflows.get(viewer, id),
    workflows: (_parent, _args, { viewer, services }) => services.workflows.list(viewer),
    publishingPolicies: (_parent, { agentId, workflowId }, { viewer, services }) => services.policies.list(viewer, agentId, workflowId),
    policyViolations: (_parent, { workflowId, agentId, first }, { viewer, services }) =>
      services.policies.violations(viewer, workflowId, agentId, first),
  },
  Mutation: {
    defineWorkflow: (_parent, { input, idempotencyKey }, { viewer, services }) => services.workflows.define(viewer, input, idempotencyKey),
    startStep: (_parent, { workflowId, stepId, idempotencyKey }, { viewer, services }) =>
      services.workflows.start(viewer, workflowId, stepId, idempotencyKey),
    completeStep: (_parent, { workflowId, stepId, idempotencyKey }, { viewer, services }) =>
      services.workflows.complete(viewer, workflowId, stepId, idempotencyKey),
    setPublishingPolicy: (_parent, { input, idempotencyKey }, { viewer, services }) => services.policies.set(viewer, input, idempotencyKey),
    removePublishingPolicy: (_parent, { id, idempotencyKey }, { viewer, services }) => services.policies.remove(viewer, id, idempotencyKey),
  },
  Workflow: {
    step: (workflow, { id }) => workflow.steps.find((s) => s.id === id) ?? null,
    running: (workflow) => workflow.steps.filter((s) => s.status === 'RUNNING'),
    ready: (workflow) => workflow.steps.filter((s) => workflow.ready.includes(s.id)),
  },
  WorkflowStep: {
    agent: async (step, _args, { loaders }) => mustHaveAgent(await loaders.agent.load(step.agentId), step.agentId),
    nextSteps: async (step, _args, { viewer, services }) => {
      const [workflow] = await services.workflows.getMany(viewer, [step.workflowId]);
      return (workflow?.steps ?? []).filter((s) => step.next.includes(s.id));
    },
    published: async (step) => (await step.progress()).published,
    missing: async (step) => (await step.progress()).missing,
    policies: async (step) => (await step.progress()).policies,
  },
  PublishingPolicy: {
    agentId: (policy) => target(policy, 'AGENT')?.agentId ?? null,
    agent: (policy, _args, { loaders }) => {
      const agentId = target(policy, 'AGENT')?.agentId;
      return agentId ? loaders.agent.load(agentId) : null;
    },
    role: (policy) => target(policy, 'ROLE')?.role ?? null,
    workflowId: (policy) => target(policy, 'STEP')?.workflowId ?? null,
    stepId: (policy) => target(policy, 'STEP')?.stepId ?? null,
  },
  PolicyViolation: {
    agent: async (violation, _args, { loaders }) => mustHaveAgent(await loaders.agent.load(violation.agentId), violation.agentId),
    notice: (violation, _args, { loaders }) => loaders.context.load(violation.contextId),
  },
} satisfies Resolvers;
