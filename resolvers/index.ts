import type { Resolvers } from './__generated__/types.js';
import { agentResolvers } from './agent.js';
import { contextResolvers } from './context.js';
import { broadcastResolvers } from './broadcast.js';
import { routingResolvers } from './routing.js';
import { DateTime, JSON } from './scalars.js';

/** All resolvers, merged per type. */
export const resolvers: Resolvers = {
  DateTime,
  JSON,
  Query: {
    health: () => 'ok',
    ...agentResolvers.Query,
    ...contextResolvers.Query,
    ...routingResolvers.Query,
    ...broadcastResolvers.Query,
  },
  Mutation: {
    ...agentResolvers.Mutation,
    ...contextResolvers.Mutation,
    ...broadcastResolvers.Mutation,
  },
  Subscription: broadcastResolvers.Subscription,
  ContextEvent: broadcastResolvers.ContextEvent,
  Agent: agentResolvers.Agent,
  TopicAgents: agentResolvers.TopicAgents,
  ContextObject: contextResolvers.ContextObject,
  ContextMetadata: contextResolvers.ContextMetadata,
  AgentRelevance: contextResolvers.AgentRelevance,
  ContextVersion: contextResolvers.ContextVersion,
  ContextPackage: routingResolvers.ContextPackage,
};
