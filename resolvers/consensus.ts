import { DEFAULT_AGENT_TRUST } from '../src/domain/consensus/agreement.js';
import type { ConflictEscalation } from '../src/domain/consensus/conflict.js';
import type { Agent, ContextRecord } from '../src/domain/types.js';
import type { RequestContext } from '../src/graphql/request-context.js';
import type { Resolvers } from './__generated__/types.js';

/** Consensus and conflicts (src/app/consensus/). Contexts are read as the caller: hidden inputs are left out. */

const contextsOf = async (ids: readonly string[], { loaders }: RequestContext) =>
  (await loaders.context.loadMany(ids)).filter((c): c is ContextRecord => c !== null && !(c instanceof Error));
const agentsOf = async (ids: readonly string[], { loaders }: RequestContext) =>
  (await loaders.agent.loadMany(ids)).filter((a): a is Agent => a !== null && !(a instanceof Error));

export const consensusResolvers = {
  Query: {
    conflicts: (_parent, { status, claim, first }, { viewer, services }) => services.escalations.conflicts(viewer, status, claim, first),
  },
  Mutation: {
    buildConsensus: (_parent, args, { viewer, services }) => services.consensus.build(viewer, args),
    resolveConflict: (_parent, { id, position, rationale, sourceAgentId }, { viewer, services }) =>
      services.consensus.resolve(viewer, id, position, rationale, sourceAgentId),
    setAgentTrust: (_parent, { agentId, trust }, { viewer, services }) => services.escalations.setAgentTrust(viewer, agentId, trust),
    setEscalation: (_parent, { claim, tag, agentIds }, { viewer, services }) =>
      services.escalations.setEscalation(viewer, claim, tag, agentIds),
  },
  Subscription: {
    conflictEscalated: {
      subscribe: (_parent, { agentId, afterSeq }, { viewer, services }) => services.escalations.stream(viewer, agentId, afterSeq),
      resolve: (item: ConflictEscalation) => item,
    },
  },
  Agent: {
    trust: (agent) => agent.trust ?? DEFAULT_AGENT_TRUST,
  },
  ConsensusResult: {
    inputs: (result, _args, ctx) => contextsOf(result.inputIds, ctx),
  },
  ConsensusPosition: {
    agents: (position, _args, ctx) => agentsOf(position.agentIds, ctx),
    contexts: (position, _args, ctx) => contextsOf(position.contextIds, ctx),
  },
  Conflict: {
    agents: (conflict, _args, ctx) => agentsOf(conflict.agentIds, ctx),
    inputs: (conflict, _args, ctx) => contextsOf(conflict.inputIds, ctx),
    escalatedTo: (conflict, _args, ctx) => agentsOf(conflict.escalatedTo, ctx),
  },
  ConflictResolution: {
    consensus: (resolution, _args, { loaders }) => loaders.context.load(resolution.consensusId),
  },
} satisfies Resolvers;
