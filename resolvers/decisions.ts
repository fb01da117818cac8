import { asAgent } from '../src/graphql/request-context.js';
import type { Resolvers } from './__generated__/types.js';

/** Deliveries, decisions and replays (src/app/history). Contexts come resolved at their recorded versions, as the viewer. */
export const decisionResolvers = {
  Query: {
    deliveries: (_parent, { agentId, from, to, first }, { viewer, services }) =>
      services.decisions.deliveries(viewer, agentId, from, to, first),
    decisions: (_parent, { agentId, from, to, first }, { viewer, services }) =>
      services.decisions.decisions(viewer, agentId, from, to, first),
    // A replayed package is the agent's view, like contextFor: nested fields are read as that agent.
    replayDecision: async (_parent, { decisionId, adjust }, { viewer, services, readAs }) => {
      const pkg = await services.replays.replay(viewer, decisionId, adjust);
      const reader = asAgent(pkg.agentId);
      return { ...pkg, items: pkg.items.map((item) => ({ ...item, context: readAs(reader, item.context) })) };
    },
  },
  Mutation: {
    recordDecision: (_parent, { input, idempotencyKey }, { viewer, services }) =>
      services.decisions.recordDecision(viewer, input, idempotencyKey),
  },
  Delivery: {
    agent: async (delivery, _args, { loaders }) => {
      const agent = await loaders.agent.load(delivery.agentId);
      if (!agent) throw new Error(`agent ${delivery.agentId} is missing`);
      return agent;
    },
    replayOf: (delivery, _args, { viewer, services }) =>
      delivery.replayOf === null ? null : services.decisions.decisionView(viewer, delivery.replayOf),
  },
  Decision: {
    agent: async (decision, _args, { loaders }) => {
      const agent = await loaders.agent.load(decision.agentId);
      if (!agent) throw new Error(`agent ${decision.agentId} is missing`);
      return agent;
    },
    package: async (decision, _args, { viewer, services }) => {
      const delivery = await services.decisions.delivery(viewer, decision.packageId);
      if (!delivery) throw new Error(`package ${decision.packageId} of decision ${decision.id} is missing`);
      return delivery;
    },
    replayOf: (decision, _args, { viewer, services }) =>
      decision.replayOf === null ? null : services.decisions.decisionView(viewer, decision.replayOf),
  },
  RankedContext: {
    addedByReplay: (item) => 'addedByReplay' in item && item.addedByReplay === true,
  },
} satisfies Resolvers;
