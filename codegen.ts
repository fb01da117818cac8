import type { CodegenConfig } from '@graphql-codegen/cli';

// The SDL in schema/ is the source of truth; resolvers are typed from it and
// receive domain objects (mappers), so resolvers never see driver types.
const config: CodegenConfig = {
  schema: 'schema/*.graphql',
  generates: {
    'resolvers/__generated__/types.ts': {
      plugins: ['typescript', 'typescript-resolvers'],
      config: {
        useTypeImports: true,
        contextType: '../../src/graphql/request-context.js#RequestContext',
        mappers: {
          Agent: '../../src/domain/types.js#Agent as AgentModel',
          ContextObject: '../../src/domain/types.js#ContextRecord as ContextRecordModel',
          ContextVersion: '../../src/domain/types.js#ContextVersionRecord as ContextVersionModel',
          ContextConnection: '../../src/app/contexts.js#ContextPage as ContextPageModel',
          AgentRelevance: '../../src/domain/types.js#RelevanceEntry as RelevanceEntryModel',
          ContextMetadata: '../../src/domain/types.js#ContextRecord as ContextRecordModel',
          TopicAgents: '../../src/domain/context-map.js#TopicAgents as TopicAgentsModel',
          ContextMap: '../../src/app/context-map-service.js#ContextMapView as ContextMapModel',
          TopicUsage: '../../src/domain/context-map.js#TopicUsage as TopicUsageModel',
          IsolatedAgent: '../../src/domain/context-map.js#IsolatedAgent as IsolatedAgentModel',
          ContextFlow: '../../src/domain/context-map.js#ContextFlow as ContextFlowModel',
          CriticalPath: '../../src/domain/context-map.js#CriticalPath as CriticalPathModel',
          CriticalPathNode: '../../src/domain/context-map.js#PathNode as CriticalPathNodeModel',
          StepFailure: '../../src/domain/context-map.js#StepFailure as StepFailureModel',
          ContextPackage: '../../src/app/routing/router.js#DeliveredPackage as DeliveredPackageModel',
          Delivery: '../../src/app/history/decisions.js#DeliveryView as DeliveryModel',
          DeliveredItem: '../../src/app/history/decisions.js#DeliveredItemView as DeliveredItemModel',
          Decision: '../../src/app/history/decisions.js#DecisionView as DecisionModel',
          UsedContext: '../../src/app/history/decisions.js#UsedContextView as UsedContextModel',
          RankedContext: '../../src/domain/routing/types.js#ScoredContext as ScoredContextModel',
          SearchHit: '../../src/app/routing/router.js#SearchHit as SearchHitModel',
          Broadcast: '../../src/app/broadcast/broadcaster.js#BroadcastItem as BroadcastItemModel',
          BroadcastPage: '../../src/app/broadcast/broadcaster.js#BroadcastPage as BroadcastPageModel',
          ContextEvent: '../../src/app/broadcast/broadcaster.js#ContextEventItem as ContextEventModel',
          Staleness: '../../src/app/drift/staleness-view.js#StalenessView as StalenessModel',
          ValidationReport: '../../src/app/drift/validation-pass.js#ValidationReport as ValidationReportModel',
          ConsensusResult: '../../src/app/consensus/consensus-service.js#ConsensusResultView as ConsensusResultModel',
          ConsensusPosition: '../../src/domain/consensus/conflict.js#RecordedPosition as RecordedPositionModel',
          Conflict: '../../src/domain/consensus/conflict.js#ConflictRecord as ConflictModel',
          ConflictResolution: '../../src/domain/consensus/conflict.js#ConflictResolution as ConflictResolutionModel',
          ConflictEscalation: '../../src/domain/consensus/conflict.js#ConflictEscalation as ConflictEscalationModel',
          EscalationRule: '../../src/domain/consensus/escalation.js#EscalationRule as EscalationRuleModel',
          Workflow: '../../src/app/workflows/workflow-service.js#WorkflowView as WorkflowModel',
          WorkflowStep: '../../src/app/workflows/workflow-service.js#StepView as WorkflowStepModel',
          PublishingPolicy: '../../src/domain/workflows/types.js#PublishingPolicy as PublishingPolicyModel',
          PolicyViolation: '../../src/app/workflows/policy-service.js#ViolationView as PolicyViolationModel',
        },
        scalars: { DateTime: 'string', JSON: 'unknown' },
        enumsAsTypes: true,
        avoidOptionals: { field: true, inputValue: false, object: false, defaultValue: false },
        maybeValue: 'T | null',
        inputMaybeValue: 'T | null | undefined',
        immutableTypes: false,
      },
    },
  },
};

export default config;
