import type { Resolvers } from './__generated__/types.js';
import { agentResolvers } from './agent.js';
import { contextMapResolvers } from './context-map.js';
import { contextResolvers } from './context.js';
import { decisionResolvers } from './decisions.js';
import { broadcastResolvers } from './broadcast.js';
import { routingResolvers } from './routing.js';
import { historyResolvers } from './history.js';
import { validTimeResolvers } from './valid-time.js';
import { driftResolvers } from './drift.js';
import { consensusResolvers } from './consensus.js';
import { workflowResolvers } from './workflows.js';
import { effectivenessResolvers } from './effectiveness.js';
import { quotaResolvers } from './quotas.js';
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
    ...historyResolvers.Query,
    ...decisionResolvers.Query,
    ...consensusResolvers.Query,
    ...workflowResolvers.Query,
    ...effectivenessResolvers.Query,
    ...quotaResolvers.Query,
  },
  Mutation: {
    ...agentResolvers.Mutation,
    ...contextResolvers.Mutation,
    ...broadcastResolvers.Mutation,
    ...historyResolvers.Mutation,
    ...decisionResolvers.Mutation,
    ...driftResolvers.Mutation,
    ...consensusResolvers.Mutation,
    ...workflowResolvers.Mutation,
    ...effectivenessResolvers.Mutation,
    ...quotaResolvers.Mutation,
  },
  Subscription: { ...broadcastResolvers.Subscription, ...consensusResolvers.Subscription },
  ContextEvent: broadcastResolvers.ContextEvent,
  Agent: { ...agentResolvers.Agent, ...consensusResolvers.Agent },
  ConsensusResult: consensusResolvers.ConsensusResult,
  ConsensusPosition: consensusResolvers.ConsensusPosition,
  Conflict: consensusResolvers.Conflict,
  ConflictResolution: consensusResolvers.ConflictResolution,
  Workflow: workflowResolvers.Workflow,
  WorkflowStep: workflowResolvers.WorkflowStep,
  PublishingPolicy: workflowResolvers.PublishingPolicy,
  PolicyViolation: workflowResolvers.PolicyViolation,
  TopicAgents: agentResolvers.TopicAgents,
  ...contextMapResolvers,
  ContextObject: { ...contextResolvers.ContextObject, ...driftResolvers.ContextObject },
  Staleness: driftResolvers.Staleness,
  ValidationReport: driftResolvers.ValidationReport,
  ContextMetadata: contextResolvers.ContextMetadata,
  AgentRelevance: contextResolvers.AgentRelevance,
  ContextVersion: contextResolvers.ContextVersion,
  ContextPackage: routingResolvers.ContextPackage,
  Delivery: decisionResolvers.Delivery,
  Decision: decisionResolvers.Decision,
  RankedContext: decisionResolvers.RankedContext,
  ContextConnection: validTimeResolvers.ContextConnection,
};
