import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { Agent as AgentModel, ContextRecord as ContextRecordModel, ContextVersionRecord as ContextVersionModel, RelevanceEntry as RelevanceEntryModel } from '../../src/domain/types.js';
import type { ContextPage as ContextPageModel } from '../../src/app/contexts.js';
import type { TopicAgents as TopicAgentsModel, TopicUsage as TopicUsageModel, IsolatedAgent as IsolatedAgentModel, ContextFlow as ContextFlowModel, CriticalPath as CriticalPathModel, PathNode as CriticalPathNodeModel, StepFailure as StepFailureModel } from '../../src/domain/context-map.js';
import type { ContextMapView as ContextMapModel } from '../../src/app/context-map-service.js';
import type { DeliveredPackage as DeliveredPackageModel, SearchHit as SearchHitModel } from '../../src/app/routing/router.js';
import type { DeliveryView as DeliveryModel, DeliveredItemView as DeliveredItemModel, DecisionView as DecisionModel, UsedContextView as UsedContextModel } from '../../src/app/history/decisions.js';
import type { ScoredContext as ScoredContextModel } from '../../src/domain/routing/types.js';
import type { BroadcastItem as BroadcastItemModel, BroadcastPage as BroadcastPageModel, ContextEventItem as ContextEventModel } from '../../src/app/broadcast/broadcaster.js';
import type { StalenessView as StalenessModel } from '../../src/app/drift/staleness-view.js';
import type { ValidationReport as ValidationReportModel } from '../../src/app/drift/validation-pass.js';
import type { ConsensusResultView as ConsensusResultModel } from '../../src/app/consensus/consensus-service.js';
import type { RecordedPosition as RecordedPositionModel, ConflictRecord as ConflictModel, ConflictResolution as ConflictResolutionModel, ConflictEscalation as ConflictEscalationModel } from '../../src/domain/consensus/conflict.js';
import type { EscalationRule as EscalationRuleModel } from '../../src/domain/consensus/escalation.js';
import type { WorkflowView as WorkflowModel, StepView as WorkflowStepModel } from '../../src/app/workflows/workflow-service.js';
import type { PublishingPolicy as PublishingPolicyModel } from '../../src/domain/workflows/types.js';
import type { ViolationView as PolicyViolationModel } from '../../src/app/workflows/policy-service.js';
import type { RequestContext } from '../../src/graphql/request-context.js';
export type Maybe<T> = T | null;
export type InputMaybe<T> = T | null | undefined;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
export type Omit<T, K extends keyof T> = Pick<T, Exclude<keyof T, K>>;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** ISO-8601 date-time in UTC, e.g. 2026-11-25T08:30:00.000Z. */
  DateTime: { input: string; output: string; }
  /** Any JSON value. */
  JSON: { input: unknown; output: unknown; }
};

export type Acknowledgement = {
  __typename?: 'Acknowledgement';
  /** The agent's acknowledged position: contextBroadcast without afterSeq resumes after it. */
  ackSeq: Scalars['Int']['output'];
  agentId: Scalars['ID']['output'];
};

/** An agent of the multi-agent system: its entry in the Context Map. */
export type Agent = {
  __typename?: 'Agent';
  children: Array<Agent>;
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  /** Topics or tags this agent consumes. */
  needs: Array<Scalars['String']['output']>;
  parent: Maybe<Agent>;
  /** Topics or tags this agent emits. */
  produces: Array<Scalars['String']['output']>;
  /** Context scored below this (0..1) is not routed to the agent. */
  relevanceThreshold: Scalars['Float']['output'];
  role: Maybe<Scalars['String']['output']>;
  /** Default token budget of the agent's context packages. */
  tokenBudget: Scalars['Int']['output'];
  /** Its token quota (README "Token quotas"); null: none. */
  tokenQuota: Maybe<TokenQuota>;
  /** Trust (0..1) used by buildConsensus(weightBy: AGENT_TRUST); set by admins with setAgentTrust. Default 0.5. */
  trust: Scalars['Float']['output'];
};

export type AgentRelevance = {
  __typename?: 'AgentRelevance';
  agent: Agent;
  /** True when declared by the publisher, false when computed by the mesh. */
  explicit: Scalars['Boolean']['output'];
  score: Scalars['Float']['output'];
};

/** The numbers of one agent's packages. */
export type AgentStats = EffectivenessNumbers & {
  __typename?: 'AgentStats';
  agentId: Scalars['ID']['output'];
  belowThresholdDropped: Scalars['Int']['output'];
  cacheHitRate: Maybe<Scalars['Float']['output']>;
  coalescedRate: Maybe<Scalars['Float']['output']>;
  deliveries: Scalars['Int']['output'];
  duplicatesDropped: Scalars['Int']['output'];
  feedbackCount: Scalars['Int']['output'];
  itemsDelivered: Scalars['Int']['output'];
  itemsUsed: Scalars['Int']['output'];
  medianDeliveredAgeSeconds: Maybe<Scalars['Float']['output']>;
  poolMeasuredDeliveries: Scalars['Int']['output'];
  precision: Maybe<Scalars['Float']['output']>;
  prefetchHitRate: Maybe<Scalars['Float']['output']>;
  staleDeliveries: Scalars['Int']['output'];
  staleDropped: Scalars['Int']['output'];
  tokensDelivered: Scalars['Int']['output'];
  tokensSavedByCompression: Scalars['Int']['output'];
  tokensSavedByFiltering: Scalars['Int']['output'];
  tokensUsed: Scalars['Int']['output'];
  usefulCount: Scalars['Int']['output'];
};

/** A context delivered to an agent because it matters to it now (selective broadcasting). */
export type Broadcast = {
  __typename?: 'Broadcast';
  context: ContextObject;
  /** Seq of the agent's previous delivery (0 for the first): lets a client see it missed nothing. */
  prevSeq: Scalars['Int']['output'];
  /** Why it was sent, e.g. `CRITICAL: relevance 0.82 ≥ agent threshold 0.30`. */
  reason: Scalars['String']['output'];
  /** Event sequence number of the change that caused it; an agent's stream is ordered by it. */
  seq: Scalars['Int']['output'];
};

export type BroadcastPage = {
  __typename?: 'BroadcastPage';
  broadcasts: Array<Broadcast>;
  hasMore: Scalars['Boolean']['output'];
  /** Pass as afterSeq to continue. */
  lastSeq: Scalars['Int']['output'];
};

/** What did not fit the budget, summarised. */
export type CompressedContext = {
  __typename?: 'CompressedContext';
  /** Original tokens divided by summary tokens. */
  compressionRatio: Scalars['Float']['output'];
  method: CompressionMethod;
  originalContextIds: Array<Scalars['ID']['output']>;
  text: Scalars['String']['output'];
  tokens: Scalars['Int']['output'];
};

export type CompressionMethod =
  /** Ranked sentences, computed locally. */
  | 'EXTRACTIVE'
  /** A summary by the configured language model. */
  | 'LLM';

/** Findings on one question whose agreement was below the bar. */
export type Conflict = {
  __typename?: 'Conflict';
  /** The agents whose findings disagree. */
  agents: Array<Agent>;
  agreement: Scalars['Float']['output'];
  claim: Maybe<Scalars['String']['output']>;
  createdAt: Scalars['DateTime']['output'];
  /** Agents it was escalated to (setEscalation rules on its claim or its inputs' tags, else CONSENSUS_ESCALATION_AGENTS); admins always see every conflict. */
  escalatedTo: Array<Agent>;
  id: Scalars['ID']['output'];
  /** The inputs (only those the reader may read). */
  inputs: Array<ContextObject>;
  minimumAgreement: Scalars['Float']['output'];
  positions: Array<ConsensusPosition>;
  resolution: Maybe<ConflictResolution>;
  /** Event seq reserved when it was recorded; feeds are ordered by it. */
  seq: Scalars['Int']['output'];
  status: ConflictStatus;
  totalWeight: Scalars['Float']['output'];
  weightBy: WeightBy;
};

/** One entry of a conflict feed. */
export type ConflictEscalation = {
  __typename?: 'ConflictEscalation';
  conflict: Conflict;
  /** The feed's previous entry (0 for the first): lets a client see it missed nothing. */
  prevSeq: Scalars['Int']['output'];
  /** The conflict's seq: pass the last one received as afterSeq to resume. */
  seq: Scalars['Int']['output'];
};

export type ConflictResolution = {
  __typename?: 'ConflictResolution';
  /** The CONSENSUS context publishing the outcome (null until it is readable by the reader). */
  consensus: Maybe<ContextObject>;
  position: Scalars['String']['output'];
  rationale: Maybe<Scalars['String']['output']>;
  resolvedAt: Scalars['DateTime']['output'];
  /** Agent id, or `admin`. */
  resolvedBy: Scalars['ID']['output'];
};

export type ConflictStatus =
  | 'OPEN'
  | 'RESOLVED';

/** A group of inputs formed by similarity (or all inputs, for CLAIM and IDS). */
export type ConsensusGroup = {
  __typename?: 'ConsensusGroup';
  contextIds: Array<Scalars['ID']['output']>;
  /** The group the consensus was built on. */
  selected: Scalars['Boolean']['output'];
};

/** How buildConsensus chose its inputs. */
export type ConsensusGrouping =
  /** The caller's readable, active findings with the given claim. */
  | 'CLAIM'
  /** The given contextIds. */
  | 'IDS'
  /** Findings without a claim (the given contextIds, or all the caller may read), grouped by the similarity of their text; the largest group is weighed. */
  | 'SIMILARITY';

/** One position and what stands behind it. */
export type ConsensusPosition = {
  __typename?: 'ConsensusPosition';
  agents: Array<Agent>;
  /** The inputs holding it (only those the reader may read). */
  contexts: Array<ContextObject>;
  /** Normalised (trimmed, case-folded); for numbers agreeing within the tolerance, the heaviest input's. */
  position: Scalars['String']['output'];
  /** weight / total weight. */
  share: Scalars['Float']['output'];
  weight: Scalars['Float']['output'];
};

export type ConsensusResult = {
  __typename?: 'ConsensusResult';
  /** Weight behind the leading position / total weight (0..1). */
  agreement: Scalars['Float']['output'];
  /** The claim weighed (for IDS: the claim all inputs share, if any). */
  claim: Maybe<Scalars['String']['output']>;
  /** The conflict recorded and escalated, when not reached and escalateConflicts. */
  conflict: Maybe<Conflict>;
  /** The CONSENSUS context published (depends on every input; confidence = agreement), when reached. */
  consensus: Maybe<ContextObject>;
  groupedBy: ConsensusGrouping;
  groups: Array<ConsensusGroup>;
  inputs: Array<ContextObject>;
  minimumAgreement: Scalars['Float']['output'];
  /** The leading position. Ties are broken by more inputs, then the heaviest single input, then position text (ascending); `tied` says when that happened. */
  position: Maybe<Scalars['String']['output']>;
  /** Best first. */
  positions: Array<ConsensusPosition>;
  /** agreement >= minimumAgreement: a CONSENSUS context was published. */
  reached: Scalars['Boolean']['output'];
  tied: Scalars['Boolean']['output'];
  tolerance: Scalars['Float']['output'];
  totalWeight: Scalars['Float']['output'];
  weightBy: WeightBy;
};

export type ContextChange =
  /** A context this one depends on changed: it may be stale. */
  | 'DEPENDENCY_CHANGED'
  /** Its expiration passed: it is no longer offered to agents. */
  | 'EXPIRED'
  | 'PUBLISHED'
  | 'RETRACTED'
  /** It became stale: something it rests on (directly or through others) stopped holding, or its confidence decayed. See `context.staleness`. */
  | 'STALE'
  | 'SUPERSEDED'
  | 'UPDATED';

export type ContextConnection = {
  __typename?: 'ContextConnection';
  edges: Array<ContextEdge>;
  /** Contexts that matched the filter (any page) but were left out by status or valid time; computed only when selected. */
  leftOut: LeftOutCounts;
  pageInfo: PageInfo;
};

/** What changed between two points, each context as of `toSeq` (only versions the caller may read, by each version's own rule). */
export type ContextDiff = {
  __typename?: 'ContextDiff';
  /** No readable state at `fromSeq`. */
  added: Array<ContextObject>;
  /** Present at both points with a different version (and not in `retracted`). */
  changed: Array<ContextObject>;
  fromSeq: Scalars['Int']['output'];
  /** Not retracted at `fromSeq`, retracted at `toSeq`. */
  retracted: Array<ContextObject>;
  toSeq: Scalars['Int']['output'];
};

export type ContextEdge = {
  __typename?: 'ContextEdge';
  cursor: Scalars['String']['output'];
  node: ContextObject;
};

export type ContextEvent = {
  __typename?: 'ContextEvent';
  /** For DEPENDENCY_CHANGED: the dependency that changed; for STALE: the context that stopped holding (null if the reader may not see it). */
  cause: Maybe<ContextObject>;
  change: ContextChange;
  context: ContextObject;
  seq: Scalars['Int']['output'];
};

export type ContextEventFilter = {
  priorities?: InputMaybe<Array<Priority>>;
  sourceAgentIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** Contexts having any of these tags. */
  tags?: InputMaybe<Array<Scalars['String']['input']>>;
  types?: InputMaybe<Array<ContextType>>;
  workflowId?: InputMaybe<Scalars['ID']['input']>;
};

export type ContextFilter = {
  createdAfter?: InputMaybe<Scalars['DateTime']['input']>;
  createdBefore?: InputMaybe<Scalars['DateTime']['input']>;
  priorities?: InputMaybe<Array<Priority>>;
  sourceAgentIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** Default [ACTIVE]. */
  statuses?: InputMaybe<Array<ContextStatus>>;
  /** Contexts having any of these tags. */
  tags?: InputMaybe<Array<Scalars['String']['input']>>;
  types?: InputMaybe<Array<ContextType>>;
  workflowIds?: InputMaybe<Array<Scalars['ID']['input']>>;
};

/** Context that went from its publisher to another agent in the range. */
export type ContextFlow = {
  __typename?: 'ContextFlow';
  consumer: Maybe<Agent>;
  consumerId: Scalars['ID']['output'];
  /** Distinct contexts. */
  contexts: Scalars['Int']['output'];
  /** Contexts delivered (items and summarised originals, one per package and context). */
  deliveries: Scalars['Int']['output'];
  producer: Maybe<Agent>;
  producerId: Scalars['ID']['output'];
  /** Tokens of the delivered items (summarised originals count 0). */
  tokens: Scalars['Int']['output'];
};

/**
 * The Context Map: who needs and who produces what (declared: agents and, now, workflow steps), and what actually
 * flowed in [from, to) (README "The Context Map from real traffic"). The traffic fields read the recorded packages
 * (at most 5,000, newest first: `truncated`) only when asked for.
 */
export type ContextMap = {
  __typename?: 'ContextMap';
  /** Registered agents (of a workflow: its steps' agents). */
  agents: Array<Agent>;
  /** Per workflow, the DEPENDS_ON chains (up to 8 hops) its outputs published in the range rest on, longest first (at most 20 per workflow). */
  criticalPaths: Array<CriticalPath>;
  /** Context delivered from the agent that published it to another agent, most deliveries first (an agent's own contexts are not a flow). */
  flows: Array<ContextFlow>;
  from: Maybe<Scalars['DateTime']['output']>;
  /** Agents that published nothing in the range, or whose contexts reached no other agent in it (the mesh's own agent excepted). */
  isolatedAgents: Array<IsolatedAgent>;
  /** Per declared need: deliveries in the range of contexts matching it (type, or a tag with the same topic key) to the agents that need it. */
  needs: Array<TopicUsage>;
  /** Recorded packages read. */
  packagesRead: Scalars['Int']['output'];
  /** Per declared product: the matching contexts its producers published in the range, and how many reached another agent. */
  products: Array<TopicUsage>;
  /** Required context missing when a step ran, newest first (at most 1,000). */
  stepFailures: Array<StepFailure>;
  to: Maybe<Scalars['DateTime']['output']>;
  /** True when the range held more recorded packages (5,000) or published contexts (20,000) than one call reads. */
  truncated: Scalars['Boolean']['output'];
  /** Topics some agent (or step) produces that no agent (or step) needs. */
  unconsumedProducts: Array<TopicAgents>;
  /** Declared products none of whose contexts was delivered to another agent in the range. */
  undeliveredProducts: Array<TopicAgents>;
  /** Topics some agent (or step) needs that no agent (or step) produces. */
  unmetNeeds: Array<TopicAgents>;
  /** Declared needs that no delivery in the range served. */
  unservedNeeds: Array<TopicAgents>;
  /** The workflow the map is of (null: the whole mesh). */
  workflowId: Maybe<Scalars['ID']['output']>;
};

export type ContextMetadata = {
  __typename?: 'ContextMetadata';
  confidence: Scalars['Float']['output'];
  /** Ids of the contexts this one depends on (direct). */
  dependencies: Array<Scalars['ID']['output']>;
  expiration: Maybe<Scalars['DateTime']['output']>;
  sourceAgent: Agent;
  /** When the context was first published. */
  timestamp: Scalars['DateTime']['output'];
};

/** A shared piece of context: a finding, constraint, objective or output. */
export type ContextObject = {
  __typename?: 'ContextObject';
  /** The question it answers: a key, normalised like a tag (trimmed, lower case, spaces and hyphens as `_`). Findings with one claim are weighed by buildConsensus. */
  claim: Maybe<Scalars['String']['output']>;
  content: Maybe<Scalars['JSON']['output']>;
  /** Contexts this one depends on, up to `depth` hops (1..max dependency depth). */
  dependencies: Array<ContextObject>;
  /** Contexts that depend on this one, up to `depth` hops. */
  dependents: Array<ContextObject>;
  /** Every version, newest first. */
  history: Array<ContextVersion>;
  id: Scalars['ID']['output'];
  metadata: ContextMetadata;
  /** Its answer to `claim` (free text or a number; compared trimmed and case-folded, numbers within a tolerance). */
  position: Maybe<Scalars['String']['output']>;
  priority: Priority;
  relevance: Array<AgentRelevance>;
  retractionReason: Maybe<Scalars['String']['output']>;
  /** Event sequence number of the publication. */
  seq: Scalars['Int']['output'];
  /** True when it rests on something that stopped holding (or its confidence decayed). Cleared when it is updated or a rollback restores it. contextFor demotes or drops stale contexts (STALE_ROUTING). */
  stale: Scalars['Boolean']['output'];
  /** Why it is stale; null when it is not. Read with asOf: the current mark when it was set at or before that seq (a mark cleared since is not seen). */
  staleness: Maybe<Staleness>;
  status: ContextStatus;
  /** The context that replaced this one, if it was superseded. */
  supersededBy: Maybe<ContextObject>;
  /** Contexts this one replaced. */
  supersedes: Array<ContextObject>;
  tags: Array<Scalars['String']['output']>;
  text: Scalars['String']['output'];
  /** Tokens of `text` (o200k_base). */
  tokens: Scalars['Int']['output'];
  type: ContextType;
  updatedAt: Scalars['DateTime']['output'];
  /** Valid time: when the fact starts holding in the world (null: always has). Reads default to what is valid now (see `validAt`). */
  validFrom: Maybe<Scalars['DateTime']['output']>;
  /** When the fact stops holding (exclusive; null: still holds). */
  validUntil: Maybe<Scalars['DateTime']['output']>;
  version: Scalars['Int']['output'];
  /** Agents allowed to read it besides its source; null means every agent. */
  visibleTo: Maybe<Array<Scalars['ID']['output']>>;
  /** The workflow or task it belongs to. */
  workflowId: Maybe<Scalars['ID']['output']>;
};


/** A shared piece of context: a finding, constraint, objective or output. */
export type ContextObjectDependenciesArgs = {
  depth?: InputMaybe<Scalars['Int']['input']>;
};


/** A shared piece of context: a finding, constraint, objective or output. */
export type ContextObjectDependentsArgs = {
  depth?: InputMaybe<Scalars['Int']['input']>;
};

/** The context an agent should read now: relevant, explained, within its token budget. */
export type ContextPackage = {
  __typename?: 'ContextPackage';
  agent: Agent;
  /** Event sequence number the package was computed at. */
  asOf: Scalars['Int']['output'];
  budget: Scalars['Int']['output'];
  /** True when served from the cache (still valid at the current database position). */
  cached: Scalars['Boolean']['output'];
  /** True when this request shared the computation of an identical request in flight. */
  coalesced: Scalars['Boolean']['output'];
  compressed: Maybe<CompressedContext>;
  dropped: Array<DroppedContext>;
  /** Every answer is recorded as a delivery under this id (see `deliveries`). */
  id: Scalars['ID']['output'];
  /** Items in reading order: a dependency comes before what depends on it. */
  items: Array<RankedContext>;
  /** How an answer to `contextFor(asOf)` was obtained; null for a current answer. */
  pastRead: Maybe<PastRead>;
  /**
   * The agent's quota after this answer; null when it has none. Under a quota a request's budget is cut to what is
   * left of the period (`budget` says what was granted); with nothing left contextFor fails with QUOTA_EXCEEDED
   * (`extensions.retryAfterSeconds`, `periodEndsAt`, `quota`, `used`, `remaining`).
   */
  quota: Maybe<QuotaStanding>;
  /** Where the answer came from: computed for this request, or the routing cache (`cached`). */
  source: PackageSource;
  /** What stood in for the task when the request gave none (then `task` is the text routed); null when it gave one. */
  standIn: Maybe<TaskStandIn>;
  task: Scalars['String']['output'];
  timings: RoutingTimings;
  /** Tokens of the items plus the compressed summary; never above budget. */
  tokens: Scalars['Int']['output'];
};

/** Fields to change; absent fields keep their value, null clears optional ones. */
export type ContextPatch = {
  /** Null clears. Changing a CONSENSUS input marks the consensus stale (INPUT_CHANGED). */
  claim?: InputMaybe<Scalars['String']['input']>;
  confidence?: InputMaybe<Scalars['Float']['input']>;
  content?: InputMaybe<Scalars['JSON']['input']>;
  dependencies?: InputMaybe<Array<Scalars['ID']['input']>>;
  expiration?: InputMaybe<Scalars['DateTime']['input']>;
  /** Null clears. */
  position?: InputMaybe<Scalars['String']['input']>;
  priority?: InputMaybe<Priority>;
  relevance?: InputMaybe<Array<RelevanceInput>>;
  tags?: InputMaybe<Array<Scalars['String']['input']>>;
  text?: InputMaybe<Scalars['String']['input']>;
  /** Null clears (always valid from the start). */
  validFrom?: InputMaybe<Scalars['DateTime']['input']>;
  /** Null clears (valid with no end). The result must still end after `validFrom`. */
  validUntil?: InputMaybe<Scalars['DateTime']['input']>;
  visibleTo?: InputMaybe<Array<Scalars['ID']['input']>>;
};

export type ContextStatus =
  | 'ACTIVE'
  /** Past its expiration; derived at read time. */
  | 'EXPIRED'
  | 'RETRACTED'
  | 'SUPERSEDED';

export type ContextType =
  | 'CONSENSUS'
  | 'CONSTRAINT'
  | 'DECISION'
  | 'FINDING'
  | 'OBJECTIVE'
  | 'OUTPUT'
  /** Made by the mesh: a step completed without what a WARN publishing policy requires (sent to the step's agent only). */
  | 'POLICY_VIOLATION'
  | 'SUMMARY';

export type ContextVersion = {
  __typename?: 'ContextVersion';
  at: Scalars['DateTime']['output'];
  changedBy: Scalars['ID']['output'];
  /** Claim and position at this version (null for versions written before they were recorded). */
  claim: Maybe<Scalars['String']['output']>;
  confidence: Scalars['Float']['output'];
  content: Maybe<Scalars['JSON']['output']>;
  dependencies: Array<Scalars['ID']['output']>;
  expiration: Maybe<Scalars['DateTime']['output']>;
  position: Maybe<Scalars['String']['output']>;
  priority: Priority;
  /** Event sequence number of the change. */
  seq: Scalars['Int']['output'];
  status: ContextStatus;
  tags: Array<Scalars['String']['output']>;
  text: Scalars['String']['output'];
  tokens: Scalars['Int']['output'];
  version: Scalars['Int']['output'];
  /** Who could read this version (besides its source and admins); null means every agent. Each version is read by its own rule. */
  visibleTo: Maybe<Array<Scalars['ID']['output']>>;
};

/** A chain a workflow output rests on: the output first, then what it depends on (DEPENDS_ON), down to a root. */
export type CriticalPath = {
  __typename?: 'CriticalPath';
  /** Contexts on the chain (hidden ones included). */
  length: Scalars['Int']['output'];
  nodes: Array<CriticalPathNode>;
  workflowId: Scalars['ID']['output'];
};

/** One context on a critical path; one the caller may not read is a placeholder (`hidden`, every other field null). */
export type CriticalPathNode = {
  __typename?: 'CriticalPathNode';
  context: Maybe<ContextObject>;
  contextId: Maybe<Scalars['ID']['output']>;
  hidden: Scalars['Boolean']['output'];
  sourceAgentId: Maybe<Scalars['ID']['output']>;
  /** The workflow step it came from (its source agent's step, preferring one whose produces it matches). */
  stepId: Maybe<Scalars['ID']['output']>;
};

/** What an agent decided with a package it was given. */
export type Decision = {
  __typename?: 'Decision';
  agent: Agent;
  at: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  input: Maybe<Scalars['JSON']['output']>;
  output: Maybe<Scalars['JSON']['output']>;
  package: Delivery;
  /** The decision this one was made in place of (after a replay). */
  replayOf: Maybe<Decision>;
  used: Array<UsedContext>;
};

export type DefineWorkflowInput = {
  id: Scalars['ID']['input'];
  name: Scalars['String']['input'];
  /** 1 to 100 steps. */
  steps: Array<WorkflowStepInput>;
};

/** One item of a recorded package, exactly as it was delivered. */
export type DeliveredItem = {
  __typename?: 'DeliveredItem';
  /** True when a replay added it by name (placed first, score 1; see replayDecision). */
  addedByReplay: Scalars['Boolean']['output'];
  /** The context at the delivered version; null when the viewer may not read that version (each version's own visibility). */
  context: Maybe<ContextObject>;
  contextId: Scalars['ID']['output'];
  reasons: ScoreReasons;
  score: Scalars['Float']['output'];
  tokens: Scalars['Int']['output'];
  /** The version delivered. */
  version: Scalars['Int']['output'];
};

/** A recorded contextFor answer (or replayed package): what an agent was given, and why. */
export type Delivery = {
  __typename?: 'Delivery';
  agent: Agent;
  /** Event seq the package was computed at. */
  asOf: Scalars['Int']['output'];
  /** When the answer was given. */
  at: Scalars['DateTime']['output'];
  budget: Scalars['Int']['output'];
  /** True when it was served from the routing cache. */
  cached: Scalars['Boolean']['output'];
  coalesced: Scalars['Boolean']['output'];
  /** What did not fit the budget, summarised (text, original ids, method). */
  compressed: Maybe<CompressedContext>;
  /** What was left out, and why. */
  dropped: Array<DroppedContext>;
  /** The package id: the `id` the ContextPackage was returned with. */
  id: Scalars['ID']['output'];
  /** In reading order, with the versions and scores delivered. */
  items: Array<DeliveredItem>;
  /** For a package built by replayDecision: the decision it replays. */
  replayOf: Maybe<Decision>;
  task: Scalars['String']['output'];
  /** Tokens of the items plus the summary. */
  tokens: Scalars['Int']['output'];
  /** The valid time the package was asked for (`contextFor(validAt)`); null: the time it was given. */
  validAt: Maybe<Scalars['DateTime']['output']>;
  workflowId: Maybe<Scalars['ID']['output']>;
};

export type DependencyGraph = {
  __typename?: 'DependencyGraph';
  edges: Array<GraphEdge>;
  nodes: Array<ContextObject>;
};

export type Direction =
  | 'BOTH'
  /** What depends on the roots. */
  | 'INCOMING'
  /** What the roots depend on. */
  | 'OUTGOING';

export type DropReason =
  /** Scored below the agent's relevanceThreshold. */
  | 'BELOW_THRESHOLD'
  /** A near-duplicate of a more confident or newer context (see duplicateOf). */
  | 'DUPLICATE'
  /** Stale (see ContextObject.staleness) and the mesh runs with STALE_ROUTING=drop. */
  | 'STALE';

export type DroppedContext = {
  __typename?: 'DroppedContext';
  contextId: Scalars['ID']['output'];
  duplicateOf: Maybe<Scalars['ID']['output']>;
  reason: DropReason;
  score: Maybe<Scalars['Float']['output']>;
};

/**
 * Effectiveness numbers over a set of recorded packages (deliveries). Definitions:
 * - items are the package's delivered items (not the compressed summary);
 * - feedback counts every (package, context) that received feedback, items and summarised originals alike;
 * - rates are null when there is nothing to divide by.
 */
export type EffectivenessNumbers = {
  /** Candidates left out below the relevance threshold. */
  belowThresholdDropped: Scalars['Int']['output'];
  /** Cache hits ÷ deliveries. */
  cacheHitRate: Maybe<Scalars['Float']['output']>;
  /** Answers that joined an identical computation in flight ÷ deliveries. */
  coalescedRate: Maybe<Scalars['Float']['output']>;
  /** Packages handed out (contextFor answers, cache hits and replays included). */
  deliveries: Scalars['Int']['output'];
  /** Candidates left out as duplicates of a kept context. */
  duplicatesDropped: Scalars['Int']['output'];
  /** (package, context) pairs that received feedback. */
  feedbackCount: Scalars['Int']['output'];
  /** Items in those packages. */
  itemsDelivered: Scalars['Int']['output'];
  /** Of those, marked used. */
  itemsUsed: Scalars['Int']['output'];
  /** Median over delivered items of (delivery time − the delivered version's write time), in seconds; versions pruned by retention are left out. */
  medianDeliveredAgeSeconds: Maybe<Scalars['Float']['output']>;
  /** Packages whose pool was measured (those recorded before this was kept, or whose pool read failed, are not). */
  poolMeasuredDeliveries: Scalars['Int']['output'];
  /** itemsUsed ÷ feedbackCount: of what received feedback, the share that was used. Null without feedback. Items without feedback are not counted as unused. */
  precision: Maybe<Scalars['Float']['output']>;
  /** Answers served from a prefetched package (source PREFETCH) ÷ deliveries. */
  prefetchHitRate: Maybe<Scalars['Float']['output']>;
  /** Delivered items that were stale (drift) when delivered: STALE_ROUTING=demote lets them through, demoted. */
  staleDeliveries: Scalars['Int']['output'];
  /** Candidates left out because they were stale (STALE_ROUTING=drop). */
  staleDropped: Scalars['Int']['output'];
  /** The packages' tokens (items plus summary). */
  tokensDelivered: Scalars['Int']['output'];
  /** Tokens of the summarised originals minus the summary's tokens (summary tokens × compressionRatio − summary tokens, per package). */
  tokensSavedByCompression: Scalars['Int']['output'];
  /**
   * Tokens saved by filtering, against handing over the whole pool: per package, the tokens of every context the agent
   * could have been routed (readable, active, unexpired, valid, in the package's workflow; measured when the package was
   * logged, at most a minute old) minus the items' tokens and the summarised originals' tokens. Summed over the packages
   * whose pool was measured (`poolMeasuredDeliveries`). tokensSavedByCompression + tokensSavedByFiltering is what the
   * package saved against the whole pool.
   */
  tokensSavedByFiltering: Scalars['Int']['output'];
  /** Tokens of the delivered items marked used (a summarised original marked used counts 0: it has no tokens of its own in the package). */
  tokensUsed: Scalars['Int']['output'];
  /** Feedback with useful = true. */
  usefulCount: Scalars['Int']['output'];
};

/** The model that embeds texts (and queries) here: a client supplying `PublishContextInput.embedding` must use it. */
export type EmbeddingModel = {
  __typename?: 'EmbeddingModel';
  /** Numbers in each vector. */
  dimensions: Scalars['Int']['output'];
  /** Stable identifier of the model, e.g. the local MiniLM or an OpenAI-compatible model name. */
  id: Scalars['String']['output'];
};

/** Who a claim's or a tag's conflicts are escalated to. */
export type EscalationRule = {
  __typename?: 'EscalationRule';
  agentIds: Array<Scalars['ID']['output']>;
  claim: Maybe<Scalars['String']['output']>;
  tag: Maybe<Scalars['String']['output']>;
};

/** An agent's word on one context of a package it was given (one per package and context: giving it again replaces it). */
export type Feedback = {
  __typename?: 'Feedback';
  /** The package's agent (an admin may give feedback for it). */
  agentId: Scalars['ID']['output'];
  /** When feedback on this (package, context) was first given. */
  at: Scalars['DateTime']['output'];
  contextId: Scalars['ID']['output'];
  packageId: Scalars['ID']['output'];
  /** When it was last given (equals `at` until replaced: last write wins). */
  updatedAt: Scalars['DateTime']['output'];
  /** The agent read and relied on the context. */
  used: Scalars['Boolean']['output'];
  /** The agent found it useful; null when it did not say. */
  useful: Maybe<Scalars['Boolean']['output']>;
};

export type GraphEdge = {
  __typename?: 'GraphEdge';
  /** The dependent context. */
  from: Scalars['ID']['output'];
  /** The context it depends on. */
  to: Scalars['ID']['output'];
};

export type IsolatedAgent = {
  __typename?: 'IsolatedAgent';
  agent: Maybe<Agent>;
  agentId: Scalars['ID']['output'];
  /** Contexts it published in the range. */
  published: Scalars['Int']['output'];
  reason: IsolationReason;
};

export type IsolationReason =
  /** Published in the range, but no delivery in it gave any of its contexts to another agent. */
  | 'NEVER_CONSUMED'
  /** Published nothing in the range. */
  | 'NEVER_PUBLISHES';

/** What a `contexts` read left out, each context counted once under the first reason that applies (in this order): its status (when not asked for), then its valid time at `validAt`. */
export type LeftOutCounts = {
  __typename?: 'LeftOutCounts';
  expired: Scalars['Int']['output'];
  noLongerValid: Scalars['Int']['output'];
  notYetValid: Scalars['Int']['output'];
  retracted: Scalars['Int']['output'];
  superseded: Scalars['Int']['output'];
};

/** Effectiveness over the packages given in [from, to) (README "Effectiveness: feedback and meshStats"). */
export type MeshStats = EffectivenessNumbers & {
  __typename?: 'MeshStats';
  /** The agent the numbers are for; null: every agent (admin). */
  agentId: Maybe<Scalars['ID']['output']>;
  belowThresholdDropped: Scalars['Int']['output'];
  cacheHitRate: Maybe<Scalars['Float']['output']>;
  coalescedRate: Maybe<Scalars['Float']['output']>;
  /** Conflicts created in the range (of the agent: those it took a position in or was escalated); not filtered by workflow. */
  conflictsRaised: Scalars['Int']['output'];
  /** Conflicts resolved in the range (same scope as conflictsRaised). */
  conflictsResolved: Scalars['Int']['output'];
  deliveries: Scalars['Int']['output'];
  duplicatesDropped: Scalars['Int']['output'];
  feedbackCount: Scalars['Int']['output'];
  from: Maybe<Scalars['DateTime']['output']>;
  itemsDelivered: Scalars['Int']['output'];
  itemsUsed: Scalars['Int']['output'];
  medianDeliveredAgeSeconds: Maybe<Scalars['Float']['output']>;
  /** Packages read (before the workflowId filter). */
  packagesRead: Scalars['Int']['output'];
  /** Per agent, sorted by id. */
  perAgent: Array<AgentStats>;
  /** Per workflowId of the packages, sorted by id; packages outside a workflow last (workflowId null). */
  perWorkflow: Array<WorkflowStats>;
  poolMeasuredDeliveries: Scalars['Int']['output'];
  precision: Maybe<Scalars['Float']['output']>;
  prefetchHitRate: Maybe<Scalars['Float']['output']>;
  staleDeliveries: Scalars['Int']['output'];
  staleDropped: Scalars['Int']['output'];
  to: Maybe<Scalars['DateTime']['output']>;
  tokensDelivered: Scalars['Int']['output'];
  tokensSavedByCompression: Scalars['Int']['output'];
  tokensSavedByFiltering: Scalars['Int']['output'];
  tokensUsed: Scalars['Int']['output'];
  /** True when the range held more packages than one call reads (5000, newest first): the numbers cover the newest 5000. */
  truncated: Scalars['Boolean']['output'];
  usefulCount: Scalars['Int']['output'];
  workflowId: Maybe<Scalars['ID']['output']>;
};

export type Mutation = {
  __typename?: 'Mutation';
  /** Moves the agent's acknowledged position forward (never back). */
  acknowledge: Acknowledgement;
  /**
   * Weighs the positions of findings that answer one question: give `claim` (the caller's readable, active findings on
   * it), or `contextIds` (each must exist and be readable: NOT_FOUND otherwise; and active), or `groupBy: SIMILARITY`
   * for findings without a claim (`similarityThreshold`: cosine, default 0.8). At least 2 inputs. An input without a
   * position is weighed by its text. Numeric positions agree within `tolerance` (relative, default 0.05).
   * At or above `minimumAgreement` it publishes a CONSENSUS context sourced to the caller (with the admin key: to
   * `sourceAgentId`), depending on the inputs, with the claim, the leading position, confidence = agreement and the
   * positions and weights in `content`; it supersedes the earlier CONSENSUS contexts on the claim that its source
   * produced. Its `visibleTo` is null when every input is public, else the agents that may read every input.
   * Below it, with escalateConflicts, it records a Conflict and delivers it to its escalation agents (conflictEscalated).
   * Safe to retry: over unchanged inputs it returns the CONSENSUS context its source already holds (no new version, unless
   * that one went stale), and a split that an open conflict already records returns that conflict (escalated once).
   */
  buildConsensus: ConsensusResult;
  /**
   * The step's agent or an admin, on a RUNNING step (BAD_USER_INPUT otherwise). Checks the step's own `requires` and
   * every policy that applies to it: an unmet ENFORCE requirement fails with MISSING_REQUIRED_CONTEXT
   * (`extensions.missing`, `extensions.policies`) and nothing changes. Unmet WARN policies do not stop it: each is
   * recorded as a PolicyViolation and the mesh publishes a POLICY_VIOLATION context (IMPORTANT, visible to the step's
   * agent only, in the workflow) that is broadcast to the agent — all in the completion's transaction.
   */
  completeStep: WorkflowStep;
  /** Marks the current point of the event log under a label (optionally for one workflow). */
  createSnapshot: Snapshot;
  /**
   * Admin only. Creates the workflow, or replaces the definition of an existing id: steps keep their run state
   * (status, attempt, times) by id, steps no longer listed are removed. BAD_USER_INPUT (with paths such as
   * `["input", "steps", 1, "next", 0]`) for bad ids, repeated step ids, `next` naming no step of this workflow, no or
   * more than 100 steps, lists over 100 entries or empty strings; NOT_FOUND for an unknown agent. Cycles in `next` are allowed.
   */
  defineWorkflow: Workflow;
  /** Says whether a context delivered in a package was used (and useful). Only the package's agent, or the admin. NOT_FOUND for an unknown package; BAD_USER_INPUT when the context was neither an item nor a summarised original of it. Again on the same (package, context): replaces it. */
  feedback: Feedback;
  /**
   * Admin only. Deletes context versions older than `olderThan` (by when they stopped being current) and/or beyond
   * the newest `keepLast` per context, except versions a snapshot, a decision or a stored package still needs (and
   * current ones); with `packagesOlderThan`, also recorded packages from before it that no decision was made from.
   * Events are never deleted. At least one of `olderThan` / `keepLast` (else BAD_USER_INPUT).
   */
  pruneHistory: PruneReport;
  publishContext: ContextObject;
  /** All or nothing: one transaction for the whole batch (1..500 items). */
  publishContexts: Array<ContextObject>;
  /** Stores a decision with the exact context versions it used. */
  recordDecision: Decision;
  /** Admin only. Returns the agent and its API key, once. */
  registerAgent: RegisterAgentPayload;
  /** Admin only. False when there was no policy with that id. */
  removePublishingPolicy: Scalars['Boolean']['output'];
  /**
   * Settles an open conflict (admins, or an agent it was escalated to: FORBIDDEN otherwise; NOT_FOUND when the caller
   * may not read it) and publishes the outcome as a CONSENSUS context (confidence 1) depending on the inputs the caller
   * may read. Safe to retry: the same resolver with the same position gets the settled conflict back (its outcome
   * published if an earlier attempt stopped before); another position or resolver: CONFLICT_ALREADY_RESOLVED.
   */
  resolveConflict: Conflict;
  /** Marks it RETRACTED; its history is kept. */
  retractContext: ContextObject;
  /**
   * Admin only. Returns the mesh, or one workflow's contexts (the snapshot's own workflow when it has one), to the
   * snapshot's state by writing new versions and events; deletes nothing. Contexts created since are retracted.
   */
  rollback: Rollback;
  /** Admin only: an agent's trust (0..1) for weightBy: AGENT_TRUST. */
  setAgentTrust: Agent;
  /** Admin only: the agents conflicts on a claim, or on inputs with a tag, are escalated to (exactly one of claim and tag; no agents removes the rule). */
  setEscalation: EscalationRule;
  /** Admin only. Creates or replaces a policy (NOT_FOUND for an unknown agent or workflow step). */
  setPublishingPolicy: PublishingPolicy;
  /**
   * Admin only. Sets the agent's token quota (tokens null removes it). Replicas apply a change within 2 seconds (their
   * agent cache). Usage already counted in the current period is kept. BAD_USER_INPUT for tokens outside 1..1e9 or
   * periodSeconds outside 60..31,536,000; NOT_FOUND for an unknown agent.
   */
  setTokenQuota: Agent;
  /** A parent agent (with its own key) or an admin spawns a child agent that sees the parent's context as limited by its scope. Returns its API key, once. */
  spawnAgent: RegisterAgentPayload;
  /**
   * The step's agent or an admin (FORBIDDEN otherwise). On a PENDING or COMPLETED step it starts a new attempt
   * (attempt + 1, RUNNING, from the current event position); on a RUNNING step it returns it unchanged (a safe retry).
   */
  startStep: WorkflowStep;
  /** Fails with VERSION_CONFLICT unless `expectedVersion` is the current version. */
  updateContext: ContextObject;
  /** Admin only: runs the drift validation pass now (it also runs every VALIDATION_INTERVAL_MS) over the mesh, or one workflow's contexts: expiry, dependencies that no longer hold, confidence decay. */
  validateContexts: ValidationReport;
};


export type MutationAcknowledgeArgs = {
  agentId: Scalars['ID']['input'];
  seq: Scalars['Int']['input'];
};


export type MutationBuildConsensusArgs = {
  claim?: InputMaybe<Scalars['String']['input']>;
  contextIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  escalateConflicts?: InputMaybe<Scalars['Boolean']['input']>;
  groupBy?: InputMaybe<ConsensusGrouping>;
  minimumAgreement?: InputMaybe<Scalars['Float']['input']>;
  similarityThreshold?: InputMaybe<Scalars['Float']['input']>;
  sourceAgentId?: InputMaybe<Scalars['ID']['input']>;
  tolerance?: InputMaybe<Scalars['Float']['input']>;
  weightBy?: InputMaybe<WeightBy>;
  workflowId?: InputMaybe<Scalars['ID']['input']>;
};


export type MutationCompleteStepArgs = {
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  stepId: Scalars['ID']['input'];
  workflowId: Scalars['ID']['input'];
};


export type MutationCreateSnapshotArgs = {
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  label: Scalars['String']['input'];
  workflowId?: InputMaybe<Scalars['ID']['input']>;
};


export type MutationDefineWorkflowArgs = {
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  input: DefineWorkflowInput;
};


export type MutationFeedbackArgs = {
  contextId: Scalars['ID']['input'];
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  packageId: Scalars['ID']['input'];
  used: Scalars['Boolean']['input'];
  useful?: InputMaybe<Scalars['Boolean']['input']>;
};


export type MutationPruneHistoryArgs = {
  dryRun?: InputMaybe<Scalars['Boolean']['input']>;
  keepLast?: InputMaybe<Scalars['Int']['input']>;
  olderThan?: InputMaybe<Scalars['DateTime']['input']>;
  packagesOlderThan?: InputMaybe<Scalars['DateTime']['input']>;
};


export type MutationPublishContextArgs = {
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  input: PublishContextInput;
};


export type MutationPublishContextsArgs = {
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  inputs: Array<PublishContextInput>;
};


export type MutationRecordDecisionArgs = {
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  input: RecordDecisionInput;
};


export type MutationRegisterAgentArgs = {
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  input: RegisterAgentInput;
};


export type MutationRemovePublishingPolicyArgs = {
  id: Scalars['ID']['input'];
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
};


export type MutationResolveConflictArgs = {
  id: Scalars['ID']['input'];
  position: Scalars['String']['input'];
  rationale?: InputMaybe<Scalars['String']['input']>;
  sourceAgentId?: InputMaybe<Scalars['ID']['input']>;
};


export type MutationRetractContextArgs = {
  id: Scalars['ID']['input'];
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  reason: Scalars['String']['input'];
};


export type MutationRollbackArgs = {
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  snapshotId: Scalars['ID']['input'];
  workflowId?: InputMaybe<Scalars['ID']['input']>;
};


export type MutationSetAgentTrustArgs = {
  agentId: Scalars['ID']['input'];
  trust: Scalars['Float']['input'];
};


export type MutationSetEscalationArgs = {
  agentIds: Array<Scalars['ID']['input']>;
  claim?: InputMaybe<Scalars['String']['input']>;
  tag?: InputMaybe<Scalars['String']['input']>;
};


export type MutationSetPublishingPolicyArgs = {
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  input: PublishingPolicyInput;
};


export type MutationSetTokenQuotaArgs = {
  agentId: Scalars['ID']['input'];
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  periodSeconds?: InputMaybe<Scalars['Int']['input']>;
  tokens?: InputMaybe<Scalars['Int']['input']>;
};


export type MutationSpawnAgentArgs = {
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  input: SpawnAgentInput;
  parentId: Scalars['ID']['input'];
};


export type MutationStartStepArgs = {
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  stepId: Scalars['ID']['input'];
  workflowId: Scalars['ID']['input'];
};


export type MutationUpdateContextArgs = {
  expectedVersion: Scalars['Int']['input'];
  id: Scalars['ID']['input'];
  idempotencyKey?: InputMaybe<Scalars['String']['input']>;
  patch: ContextPatch;
};


export type MutationValidateContextsArgs = {
  workflowId?: InputMaybe<Scalars['ID']['input']>;
};

/** A spawned agent's override: its own context on `claim`, read in place of the parent's contexts with that claim. */
export type OverrideInput = {
  claim: Scalars['String']['input'];
  text: Scalars['String']['input'];
};

export type PackageSource =
  /** Served from the routing cache, still valid at the current position. */
  | 'CACHE'
  /** Computed for this request (or shared with an identical one in flight: `coalesced`). */
  | 'COMPUTED'
  /** Precomputed by the prefetcher before the agent asked (README "Prefetch"), served for the first time; later serves of the same package say CACHE. */
  | 'PREFETCH';

export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
};

/** How `contextFor(asOf)` answered. */
export type PastRead =
  /** Recomputed by the same stages over the mesh as of that point (see `contextFor`); not recorded as a delivery. */
  | 'RECOMPUTED'
  /** The answer the mesh recorded for the same request at that point (same id, items, scores, order): exact. */
  | 'RECORDED';

export type PolicyMode =
  /** completeStep fails with MISSING_REQUIRED_CONTEXT while a requirement is unmet (the default). */
  | 'ENFORCE'
  /** completeStep succeeds; the mesh records a PolicyViolation and tells the step's agent (a POLICY_VIOLATION context). */
  | 'WARN';

/** A WARN policy's requirement that a step's attempt left unmet when it completed. */
export type PolicyViolation = {
  __typename?: 'PolicyViolation';
  /** The step's agent. */
  agent: Agent;
  at: Scalars['DateTime']['output'];
  attempt: Scalars['Int']['output'];
  id: Scalars['ID']['output'];
  /** The policy's unmet types or tags, sorted. */
  missing: Array<Scalars['String']['output']>;
  /** The POLICY_VIOLATION context that told the step's agent (null for readers who may not read it: only that agent and admins). */
  notice: Maybe<ContextObject>;
  /** The policy (null once removed). */
  policy: Maybe<PublishingPolicy>;
  policyId: Scalars['ID']['output'];
  stepId: Scalars['ID']['output'];
  workflowId: Scalars['ID']['output'];
};

export type Priority =
  | 'CRITICAL'
  | 'IMPORTANT'
  | 'ROUTINE';

/** What `pruneHistory` deleted and kept. A dry run counts what it would delete and writes nothing. */
export type PruneReport = {
  __typename?: 'PruneReport';
  /** Versions that stopped being current before this were candidates; null: no age limit (only `keepLast`). */
  cutoff: Maybe<Scalars['DateTime']['output']>;
  dryRun: Scalars['Boolean']['output'];
  /** The pass's record (a `:Retention` node); null for a dry run. */
  id: Maybe<Scalars['ID']['output']>;
  keepLast: Maybe<Scalars['Int']['output']>;
  /** Recorded packages from before this, that no decision was made from, were deleted; null: packages kept. */
  packagesCutoff: Maybe<Scalars['DateTime']['output']>;
  /** Recorded packages deleted (dry run: that would be). */
  packagesDeleted: Scalars['Int']['output'];
  /** `asOf` (on `context`, `contexts`, `dependencyGraph`) below this seq answers HISTORY_PRUNED (dry run: would); 0: nothing pruned. */
  prunedBeforeSeq: Scalars['Int']['output'];
  /** Versions deleted (dry run: that would be). */
  versionsDeleted: Scalars['Int']['output'];
  versionsKept: VersionsKept;
};

export type PublishContextInput = {
  /** The question it answers (1..200 characters; stored normalised like a tag). See buildConsensus. */
  claim?: InputMaybe<Scalars['String']['input']>;
  /** 0..1, default 1. */
  confidence?: InputMaybe<Scalars['Float']['input']>;
  content?: InputMaybe<Scalars['JSON']['input']>;
  /** Ids of existing contexts (or of earlier items in the same batch). */
  dependencies?: InputMaybe<Array<Scalars['ID']['input']>>;
  /**
   * The text's vector, when the client computed it with the service's embedding model (the `embeddingModel` query names
   * it and its dimension): exactly that many numbers, finite, not all zero. Saves the service the embedding; a vector from
   * another model makes similarity meaningless, so only supply one from the same model. Absent: the service embeds `text`.
   */
  embedding?: InputMaybe<Array<Scalars['Float']['input']>>;
  /** When it stops being valid; must be in the future. */
  expiration?: InputMaybe<Scalars['DateTime']['input']>;
  /** Optional client id ([A-Za-z0-9_.-], 1-64 chars), so batch items can depend on each other; generated when absent. */
  id?: InputMaybe<Scalars['ID']['input']>;
  /** Its answer to `claim` (1..500 characters). */
  position?: InputMaybe<Scalars['String']['input']>;
  /** Default ROUTINE. */
  priority?: InputMaybe<Priority>;
  /** Explicit per-agent relevance. */
  relevance?: InputMaybe<Array<RelevanceInput>>;
  /** Admin only: the agent to source it to. Agents always publish as themselves. */
  sourceAgentId?: InputMaybe<Scalars['ID']['input']>;
  /** Contexts this one replaces (published by the same agent, or any with the admin key): they become SUPERSEDED, and routing stops offering them. */
  supersedes?: InputMaybe<Array<Scalars['ID']['input']>>;
  tags?: InputMaybe<Array<Scalars['String']['input']>>;
  /** The text agents read; embedded and token-counted. 1..100000 characters. */
  text: Scalars['String']['input'];
  type: ContextType;
  /** Valid time: when the fact starts holding in the world; may be in the past. Absent: always has. */
  validFrom?: InputMaybe<Scalars['DateTime']['input']>;
  /** When it stops holding (exclusive); must be after `validFrom`. May be in the past (recording what was once true): such a context is left out of reads at the current time. */
  validUntil?: InputMaybe<Scalars['DateTime']['input']>;
  /** Restrict reading to these agents (plus the source and admins). */
  visibleTo?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** The workflow or task it belongs to (progressive enrichment): routing and broadcasts can be limited to one. */
  workflowId?: InputMaybe<Scalars['ID']['input']>;
};

/**
 * Mandatory publishing: what a step must publish before it completes. It targets exactly one of an agent (`agentId`),
 * a role (`role`, compared trimmed and case-folded) or a workflow step (`workflowId` + `stepId`).
 */
export type PublishingPolicy = {
  __typename?: 'PublishingPolicy';
  agent: Maybe<Agent>;
  agentId: Maybe<Scalars['ID']['output']>;
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  mode: PolicyMode;
  /** Types or tags (matched like a step's `requires`). */
  requires: Array<Scalars['String']['output']>;
  role: Maybe<Scalars['String']['output']>;
  setBy: Scalars['String']['output'];
  stepId: Maybe<Scalars['ID']['output']>;
  updatedAt: Scalars['DateTime']['output'];
  workflowId: Maybe<Scalars['ID']['output']>;
};

export type PublishingPolicyInput = {
  agentId?: InputMaybe<Scalars['ID']['input']>;
  /** Replaces the policy with that id; generated when absent. */
  id?: InputMaybe<Scalars['ID']['input']>;
  mode?: InputMaybe<PolicyMode>;
  /** 1 to 100 types or tags. */
  requires: Array<Scalars['String']['input']>;
  role?: InputMaybe<Scalars['String']['input']>;
  stepId?: InputMaybe<Scalars['ID']['input']>;
  workflowId?: InputMaybe<Scalars['ID']['input']>;
};

export type Query = {
  __typename?: 'Query';
  agent: Maybe<Agent>;
  agents: Array<Agent>;
  /** Durable broadcasts for an agent after `afterSeq` (default: its acknowledged position), oldest first; for clients that poll. first 1..500. */
  broadcasts: BroadcastPage;
  /** Conflicts the caller may read, newest first: admins all; agents those escalated to them or whose every input they may read. first 1..200. */
  conflicts: Array<Conflict>;
  /** One context; with `asOf` (an event seq) the version current at that point, read by that version's own visibility. */
  context: Maybe<ContextObject>;
  /**
   * The package `agentId` should read for `task`, fitted to `budget` tokens (default: the agent's tokenBudget), optionally only from one workflow. Only contexts valid at `validAt` (default now). An agent may ask only for itself.
   * With `asOf` (an event seq, 0..current position, else BAD_USER_INPUT): what the same request answered at that point.
   * If it was asked then (same agent, task, budget, workflow and validAt, computed at a position with no change up to
   * `asOf`), the recorded answer (`pastRead: RECORDED`, its id); otherwise it is recomputed over the mesh as of `asOf`
   * (`RECOMPUTED`, `asOf` = that seq): versions, statuses, expiry, visibility (each version's own), dependency edges and
   * relevance of then, judged at the time of that seq (`validAt` too unless given). Limits of a recomputation: the
   * agent's own profile (needs, threshold, default budget) is today's, and fulltext only proposes candidates from an
   * index of version texts (scores do not enter the package). Past reads bypass the routing cache and are not recorded.
   * Without `task`, the agent's running workflow step stands in (its workflow, the step's and the agent's needs: the
   * package is limited to that workflow, and `standIn` says so); with `workflowId`, its running step in that workflow;
   * with no running step, its declared needs. BAD_USER_INPUT (path `task`) when it has neither, and with `asOf`.
   */
  contextFor: ContextPackage;
  /**
   * The Context Map, declared and observed. `workflowId` (NOT_FOUND when unknown): its steps' agents and the traffic of
   * its contexts; `from`/`to`: the range [from, to) of the observed part (default: everything; BAD_USER_INPUT when
   * `to` is not after `from`). Any authenticated caller; an agent sees counts of everything but ids only of contexts it may read.
   */
  contextMap: ContextMap;
  /**
   * Newest first. `first` is 1..100 (default 20). With `asOf` (an event seq, at most the current position):
   * the answer as it was at that point, each context at its version then (filters apply to that state).
   * `validAt` (default now): only contexts whose valid time covers it (independent of `asOf`; with both, the
   * record as of `asOf` is judged at `validAt`; with `asOf` alone, at the time of that seq, so the past answer is reproduced).
   */
  contexts: ContextConnection;
  /** The agent's recorded decisions, newest first. An agent sees only its own. */
  decisions: Array<Decision>;
  /** Packages handed to the agent (contextFor answers, cache hits included, and replays), newest first. `from` inclusive, `to` exclusive; first 1..200. An agent sees only its own. */
  deliveries: Array<Delivery>;
  /** With `asOf`: the graph as it was at that event seq (the dependency lists of the versions then). Nodes not valid at `validAt` (default now; with `asOf`, the time of that seq) are left out. */
  dependencyGraph: DependencyGraph;
  /** Contexts added, changed and retracted between two event seqs (`toSeq` default: now), optionally of one workflow. */
  diff: ContextDiff;
  /** The embedding model and its dimension (any authenticated caller). */
  embeddingModel: EmbeddingModel;
  /** Liveness of the API itself; use /readyz over HTTP for the database. */
  health: Scalars['String']['output'];
  /** The agent the request's key belongs to (null for the admin key). */
  me: Maybe<Agent>;
  /** Effectiveness over the packages given in [from, to) (default: all). An agent may ask for itself only (agentId defaults to the caller); an admin for any agent, or for all when agentId is omitted. Reads at most 5000 packages (see truncated). */
  meshStats: MeshStats;
  /** Violations of WARN policies recorded by completeStep, newest first. first 1..500. */
  policyViolations: Array<PolicyViolation>;
  /**
   * Publishing policies in id order. With `agentId`: those that apply to that agent (its own, its role's, those of the
   * steps it runs); with `workflowId`: those that apply to some step of that workflow; both: both hold.
   */
  publishingPolicies: Array<PublishingPolicy>;
  /** The package `decisionId` was made with (recorded items at their recorded versions, same order and scores), adjusted; the result is recorded as a new delivery. */
  replayDecision: ContextPackage;
  /**
   * Hybrid search: vector, fulltext and dependency-graph expansion fused into one ranked list. `agentId` defaults to the caller; limit 1..100. Only contexts valid at `validAt` (default now).
   * With `asOf` (an event seq, 0..current position, else BAD_USER_INPUT): the search over the mesh as it was then (each
   * context at its version then, by that version's visibility; `validAt` defaults to the time of that seq), recomputed.
   * Vector candidates come from a nearest-neighbour index over the versions' embeddings (approximate, as the current
   * index over today's texts is; scores are exact cosines) and graph parts are exact; fulltext scores come from an index
   * of version texts, whose Lucene statistics differ from the live index's, so `fulltextRank` and the fulltext part of
   * `score` may differ from what was answered then.
   */
  searchContext: Array<SearchHit>;
  /** The last event seq at or before `time` (0 before the first event): the `asOf` to read the mesh as it was then. */
  seqAt: Scalars['Int']['output'];
  /** Newest first; with `workflowId`, only that workflow's snapshots. `first` is 1..100. */
  snapshots: Array<Snapshot>;
  /** The agent itself or the admin. first: recorded periods returned, 1..100 (default 24). */
  tokenUsage: TokenUsage;
  /** Where a workflow's run stands (null when there is none with that id). Any authenticated caller. */
  workflow: Maybe<Workflow>;
  /** Every workflow, oldest first (at most 1,000). */
  workflows: Array<Workflow>;
};


export type QueryAgentArgs = {
  id: Scalars['ID']['input'];
};


export type QueryBroadcastsArgs = {
  afterSeq?: InputMaybe<Scalars['Int']['input']>;
  agentId: Scalars['ID']['input'];
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryConflictsArgs = {
  claim?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  status?: InputMaybe<ConflictStatus>;
};


export type QueryContextArgs = {
  asOf?: InputMaybe<Scalars['Int']['input']>;
  id: Scalars['ID']['input'];
};


export type QueryContextForArgs = {
  agentId: Scalars['ID']['input'];
  asOf?: InputMaybe<Scalars['Int']['input']>;
  budget?: InputMaybe<Scalars['Int']['input']>;
  task?: InputMaybe<Scalars['String']['input']>;
  validAt?: InputMaybe<Scalars['DateTime']['input']>;
  workflowId?: InputMaybe<Scalars['ID']['input']>;
};


export type QueryContextMapArgs = {
  from?: InputMaybe<Scalars['DateTime']['input']>;
  to?: InputMaybe<Scalars['DateTime']['input']>;
  workflowId?: InputMaybe<Scalars['ID']['input']>;
};


export type QueryContextsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  asOf?: InputMaybe<Scalars['Int']['input']>;
  filter?: InputMaybe<ContextFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  validAt?: InputMaybe<Scalars['DateTime']['input']>;
};


export type QueryDecisionsArgs = {
  agentId: Scalars['ID']['input'];
  first?: InputMaybe<Scalars['Int']['input']>;
  from?: InputMaybe<Scalars['DateTime']['input']>;
  to?: InputMaybe<Scalars['DateTime']['input']>;
};


export type QueryDeliveriesArgs = {
  agentId: Scalars['ID']['input'];
  first?: InputMaybe<Scalars['Int']['input']>;
  from?: InputMaybe<Scalars['DateTime']['input']>;
  to?: InputMaybe<Scalars['DateTime']['input']>;
};


export type QueryDependencyGraphArgs = {
  asOf?: InputMaybe<Scalars['Int']['input']>;
  depth?: InputMaybe<Scalars['Int']['input']>;
  direction?: InputMaybe<Direction>;
  rootIds: Array<Scalars['ID']['input']>;
  validAt?: InputMaybe<Scalars['DateTime']['input']>;
};


export type QueryDiffArgs = {
  fromSeq: Scalars['Int']['input'];
  toSeq?: InputMaybe<Scalars['Int']['input']>;
  workflowId?: InputMaybe<Scalars['ID']['input']>;
};


export type QueryMeshStatsArgs = {
  agentId?: InputMaybe<Scalars['ID']['input']>;
  from?: InputMaybe<Scalars['DateTime']['input']>;
  to?: InputMaybe<Scalars['DateTime']['input']>;
  workflowId?: InputMaybe<Scalars['ID']['input']>;
};


export type QueryPolicyViolationsArgs = {
  agentId?: InputMaybe<Scalars['ID']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  workflowId?: InputMaybe<Scalars['ID']['input']>;
};


export type QueryPublishingPoliciesArgs = {
  agentId?: InputMaybe<Scalars['ID']['input']>;
  workflowId?: InputMaybe<Scalars['ID']['input']>;
};


export type QueryReplayDecisionArgs = {
  adjust?: InputMaybe<ReplayAdjust>;
  decisionId: Scalars['ID']['input'];
};


export type QuerySearchContextArgs = {
  agentId?: InputMaybe<Scalars['ID']['input']>;
  asOf?: InputMaybe<Scalars['Int']['input']>;
  limit?: InputMaybe<Scalars['Int']['input']>;
  query: Scalars['String']['input'];
  validAt?: InputMaybe<Scalars['DateTime']['input']>;
};


export type QuerySeqAtArgs = {
  time: Scalars['DateTime']['input'];
};


export type QuerySnapshotsArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
  workflowId?: InputMaybe<Scalars['ID']['input']>;
};


export type QueryTokenUsageArgs = {
  agentId: Scalars['ID']['input'];
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryWorkflowArgs = {
  id: Scalars['ID']['input'];
};

/** Where an agent's quota stands in its current period. */
export type QuotaStanding = {
  __typename?: 'QuotaStanding';
  /** When the next period starts (the retry time once the quota is spent). */
  periodEnd: Scalars['DateTime']['output'];
  periodSeconds: Scalars['Int']['output'];
  periodStart: Scalars['DateTime']['output'];
  remaining: Scalars['Int']['output'];
  tokens: Scalars['Int']['output'];
  /** Tokens delivered this period (this answer included). */
  used: Scalars['Int']['output'];
};

export type RankedContext = {
  __typename?: 'RankedContext';
  /** True when replayDecision added it by name. */
  addedByReplay: Scalars['Boolean']['output'];
  context: ContextObject;
  reasons: ScoreReasons;
  /** Weighted relevance, 0..1. */
  score: Scalars['Float']['output'];
  /** Tokens of the context's text (o200k_base). */
  tokens: Scalars['Int']['output'];
};

export type RecordDecisionInput = {
  /** Agents record only their own decisions; an admin may record any agent's. */
  agentId: Scalars['ID']['input'];
  /** At most 256 KiB of JSON. */
  input?: InputMaybe<Scalars['JSON']['input']>;
  /** At most 256 KiB of JSON. */
  output?: InputMaybe<Scalars['JSON']['input']>;
  /** A ContextPackage.id delivered to that agent (contextFor or replayDecision). */
  packageId: Scalars['ID']['input'];
  /** The agent's earlier decision this one replaces (typically after replayDecision). */
  replayOf?: InputMaybe<Scalars['ID']['input']>;
  /** Contexts the decision relied on (readable by the agent): ids in the package are stored at their delivered version, any other id at its current version. */
  usedContextIds?: InputMaybe<Array<Scalars['ID']['input']>>;
};

export type RegisterAgentInput = {
  /** Optional stable id ([A-Za-z0-9_.-], 1-64 chars); generated when absent. */
  id?: InputMaybe<Scalars['ID']['input']>;
  name: Scalars['String']['input'];
  needs?: InputMaybe<Array<Scalars['String']['input']>>;
  parentId?: InputMaybe<Scalars['ID']['input']>;
  produces?: InputMaybe<Array<Scalars['String']['input']>>;
  /** Default 0.3. */
  relevanceThreshold?: InputMaybe<Scalars['Float']['input']>;
  role?: InputMaybe<Scalars['String']['input']>;
  /** Default 4000. */
  tokenBudget?: InputMaybe<Scalars['Int']['input']>;
};

export type RegisterAgentPayload = {
  __typename?: 'RegisterAgentPayload';
  agent: Agent;
  /** The agent's API key. Shown once: the server keeps only its hash. */
  apiKey: Scalars['String']['output'];
};

export type RelevanceInput = {
  agentId: Scalars['ID']['input'];
  /** 0..1 */
  score: Scalars['Float']['input'];
};

/** How replayDecision changes the recorded package (rules: src/domain/history/replay-adjust.ts). */
export type ReplayAdjust = {
  /** Contexts to add by name: placed first, score 1, read at the package's position (or now with refresh). */
  addContextIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** Re-read the same items as of this event seq: each at its version then, with its status then (scores and order as recorded); one that did not exist yet, or that the agent may not read in that version, is left out. */
  asOf?: InputMaybe<Scalars['Int']['input']>;
  /** Re-pack the items to this budget with the routing packer (what does not fit is summarised). */
  budget?: InputMaybe<Scalars['Int']['input']>;
  /** Re-route from now with the same task, as the agent (recorded as an ordinary delivery too). */
  refresh?: InputMaybe<Scalars['Boolean']['input']>;
  /** Items to leave out; a summary quoting one goes too. Each must be in the package. */
  removeContextIds?: InputMaybe<Array<Scalars['ID']['input']>>;
};

export type Rollback = {
  __typename?: 'Rollback';
  id: Scalars['ID']['output'];
  /** Contexts that got a new version restoring their state at the snapshot. */
  restored: Array<ContextObject>;
  /** Contexts created after the snapshot, now retracted. */
  retracted: Array<ContextObject>;
  /** The snapshot rolled back to. */
  snapshot: Snapshot;
  /** Taken just before the rollback: `rollback(snapshotId: undoSnapshot.id)` undoes it. */
  undoSnapshot: Snapshot;
  /** The scope restored; null = the whole mesh. */
  workflowId: Maybe<Scalars['ID']['output']>;
};

/** Where the time of a contextFor request went, in milliseconds. */
export type RoutingTimings = {
  __typename?: 'RoutingTimings';
  databaseMs: Scalars['Float']['output'];
  embeddingMs: Scalars['Float']['output'];
  packingMs: Scalars['Float']['output'];
  rankingMs: Scalars['Float']['output'];
  totalMs: Scalars['Float']['output'];
};

/** The parts of a relevance score, each 0..1 before weighting (weights are server configuration). */
export type ScoreReasons = {
  __typename?: 'ScoreReasons';
  /** The publisher's confidence. */
  confidence: Scalars['Float']['output'];
  /** Closeness in the dependency graph to the agent's own work and to the best matches. */
  dependency: Scalars['Float']['output'];
  /** Relevance the publisher declared for this agent. */
  explicit: Scalars['Float']['output'];
  /** Match of tags and text with the agent's declared needs. */
  needs: Scalars['Float']['output'];
  /** Freshness. */
  recency: Scalars['Float']['output'];
  /** Similarity of the context's text to the task (or the agent's needs). */
  semantic: Scalars['Float']['output'];
};

export type SearchHit = {
  __typename?: 'SearchHit';
  context: ContextObject;
  /** 1-based rank in the fulltext list, if present there. */
  fulltextRank: Maybe<Scalars['Int']['output']>;
  /** Hops from the nearest vector/fulltext hit, if reached through the dependency graph. */
  graphDistance: Maybe<Scalars['Int']['output']>;
  /** Fused score of the vector, fulltext and graph lists (SEARCH_FUSION: weighted sum of normalised scores by default, or reciprocal-rank fusion). */
  score: Scalars['Float']['output'];
  /** 1-based rank in the vector list, if present there. */
  vectorRank: Maybe<Scalars['Int']['output']>;
};

/** A named consistent point of the event log: every change up to `seq` had committed when it was taken. */
export type Snapshot = {
  __typename?: 'Snapshot';
  at: Scalars['DateTime']['output'];
  /** Agent id, or `admin`. */
  createdBy: Scalars['ID']['output'];
  id: Scalars['ID']['output'];
  kind: SnapshotKind;
  label: Scalars['String']['output'];
  /** Event seq of the point; use it as `asOf` or `fromSeq`. */
  seq: Scalars['Int']['output'];
  /** The workflow it was taken for; null = the whole mesh. */
  workflowId: Maybe<Scalars['ID']['output']>;
};

export type SnapshotKind =
  /** Taken by a rollback before it writes, so the rollback can be undone. */
  | 'AUTO'
  /** Taken by createSnapshot. */
  | 'MANUAL';

/** spawnAgent (README "Inheritance"). needs, produces, relevanceThreshold and tokenBudget default to the parent's. */
export type SpawnAgentInput = {
  /** Optional stable id ([A-Za-z0-9_.-], 1-64 chars); generated when absent. */
  id?: InputMaybe<Scalars['ID']['input']>;
  /** Tags or context types the child takes from what its parent may read (case-insensitive); empty or absent: all. */
  inherit?: InputMaybe<Array<Scalars['String']['input']>>;
  /** Tags or context types the child (and everything it spawns) never reads, even public ones (its own contexts excepted). */
  isolate?: InputMaybe<Array<Scalars['String']['input']>>;
  name: Scalars['String']['input'];
  needs?: InputMaybe<Array<Scalars['String']['input']>>;
  /** Claims whose parent contexts the child reads as its own override instead. */
  override?: InputMaybe<Array<OverrideInput>>;
  produces?: InputMaybe<Array<Scalars['String']['input']>>;
  relevanceThreshold?: InputMaybe<Scalars['Float']['input']>;
  role?: InputMaybe<Scalars['String']['input']>;
  tokenBudget?: InputMaybe<Scalars['Int']['input']>;
};

/** Why a context is stale: something it rests on stopped holding, or its own confidence decayed (see docs/drift.md). */
export type StaleReason =
  /** Its confidence, decayed with age (CONFIDENCE_HALF_LIFE_HOURS for its type), fell below CONFIDENCE_FLOOR. */
  | 'CONFIDENCE_DECAYED'
  /** A context it depends on expired. */
  | 'DEPENDENCY_EXPIRED'
  /** A context it depends on was retracted. */
  | 'DEPENDENCY_RETRACTED'
  /** A context it depends on was rolled back to an earlier state. */
  | 'DEPENDENCY_ROLLED_BACK'
  /** A context it depends on (directly or through others) was superseded. */
  | 'DEPENDENCY_SUPERSEDED'
  /** A CONSENSUS context (or what rests on one): one of its inputs was updated. Build the consensus again for a fresh one. */
  | 'INPUT_CHANGED'
  /** A CONSENSUS context (or what rests on one): a new finding on its claim arrived that it does not weigh. */
  | 'NEW_EVIDENCE';

export type Staleness = {
  __typename?: 'Staleness';
  /** The context that stopped holding (itself for CONFIDENCE_DECAYED); null when the reader may not see it. */
  cause: Maybe<ContextObject>;
  reason: StaleReason;
  /** Seq of the STALE event that marked it. */
  seq: Scalars['Int']['output'];
  since: Scalars['DateTime']['output'];
  /** The direct dependency it was reached through; null when the reader may not see it. */
  via: Maybe<ContextObject>;
};

export type StandInBasis =
  /** The agent's declared needs (it runs no step). */
  | 'NEEDS'
  /** The agent's running workflow step (the most recently started one, or its one in the workflow asked for). */
  | 'STEP';

/** Required context missing when a step ran. */
export type StepFailure = {
  __typename?: 'StepFailure';
  agent: Maybe<Agent>;
  agentId: Scalars['ID']['output'];
  at: Scalars['DateTime']['output'];
  attempt: Scalars['Int']['output'];
  id: Scalars['ID']['output'];
  kind: StepFailureKind;
  /** The unmet requirements or needs, sorted. */
  missing: Array<Scalars['String']['output']>;
  /** The WARN policy (POLICY_WARNING only). */
  policyId: Maybe<Scalars['ID']['output']>;
  stepId: Scalars['ID']['output'];
  workflowId: Scalars['ID']['output'];
};

export type StepFailureKind =
  /** completeStep failed with MISSING_REQUIRED_CONTEXT. */
  | 'MISSING_REQUIRED'
  /** When the step started, no context its agent may read in the workflow provided these needs. */
  | 'NEED_UNAVAILABLE_AT_START'
  /** A WARN policy's requirement was unmet at completion (a PolicyViolation). */
  | 'POLICY_WARNING';

/** Where a workflow step's run stands. */
export type StepStatus =
  /** Its current attempt completed; startStep begins a new one. */
  | 'COMPLETED'
  /** Never started (attempt 0). */
  | 'PENDING'
  /** Its current attempt is under way: what its agent publishes in the workflow counts for it. */
  | 'RUNNING';

export type Subscription = {
  __typename?: 'Subscription';
  /**
   * Conflict escalations: an agent's own (agentId, or the calling agent), or with the admin key and no agentId every
   * conflict. Replays the durable log after afterSeq (default 0: all of them), then continues live, in seq order,
   * with no gap or duplicate.
   */
  conflictEscalated: ConflictEscalation;
  /** Broadcasts for one agent: replays every delivery after afterSeq (default: its acknowledged position) from the durable log, then continues live, in seq order, without gaps or duplicates. An agent subscribes only to its own stream. */
  contextBroadcast: Broadcast;
  /**
   * Live changes. With `id`: of one context (updates, retraction, supersession, expiry, changes of what it depends on,
   * STALE). With `agentId` (the caller's own, or any for an admin): STALE for every context that agent produced or was
   * handed (by contextFor or a broadcast), read as that agent. Exactly one of the two.
   */
  contextChanged: ContextEvent;
  /** Live publications matching the filter that the caller may read (no replay). */
  contextPublished: ContextEvent;
};


export type SubscriptionConflictEscalatedArgs = {
  afterSeq?: InputMaybe<Scalars['Int']['input']>;
  agentId?: InputMaybe<Scalars['ID']['input']>;
};


export type SubscriptionContextBroadcastArgs = {
  afterSeq?: InputMaybe<Scalars['Int']['input']>;
  agentId: Scalars['ID']['input'];
  workflowId?: InputMaybe<Scalars['ID']['input']>;
};


export type SubscriptionContextChangedArgs = {
  agentId?: InputMaybe<Scalars['ID']['input']>;
  id?: InputMaybe<Scalars['ID']['input']>;
};


export type SubscriptionContextPublishedArgs = {
  filter?: InputMaybe<ContextEventFilter>;
};

/** What `contextFor` routed by when asked without a task. */
export type TaskStandIn = {
  __typename?: 'TaskStandIn';
  basis: StandInBasis;
  /** The running step that stood in (null for NEEDS). */
  stepId: Maybe<Scalars['ID']['output']>;
  /** The workflow the package was limited to (the step's, or the one asked for). */
  workflowId: Maybe<Scalars['ID']['output']>;
};

/**
 * A per-agent token quota: at most `tokens` delivered by contextFor per period. Periods are fixed windows aligned to
 * the Unix epoch (an hour-long period runs from hh:00:00 UTC), the same on every replica.
 */
export type TokenQuota = {
  __typename?: 'TokenQuota';
  /** Length of a period in seconds (60..31,536,000). */
  periodSeconds: Scalars['Int']['output'];
  /** Tokens contextFor may deliver per period (1..1,000,000,000). */
  tokens: Scalars['Int']['output'];
};

export type TokenUsage = {
  __typename?: 'TokenUsage';
  agentId: Scalars['ID']['output'];
  /** The current period; null without a quota. */
  current: Maybe<QuotaStanding>;
  /** Recorded periods, newest first. */
  periods: Array<TokenUsagePeriod>;
  /** Null: no quota (meshStats(agentId, from, to).tokensDelivered accounts for it over any range). */
  quota: Maybe<TokenQuota>;
};

/** Tokens delivered to an agent in one recorded period of its ledger (kept for periods in which it had a quota). */
export type TokenUsagePeriod = {
  __typename?: 'TokenUsagePeriod';
  periodEnd: Scalars['DateTime']['output'];
  periodStart: Scalars['DateTime']['output'];
  used: Scalars['Int']['output'];
};

export type TopicAgents = {
  __typename?: 'TopicAgents';
  agents: Array<Agent>;
  topic: Scalars['String']['output'];
};

/** Usage of one declared need or product. Context ids are only those the caller may read; the counts include all. */
export type TopicUsage = {
  __typename?: 'TopicUsage';
  /** Agents that declare it (their own needs/produces or a step of theirs). */
  agents: Array<Agent>;
  /** The ids of `contexts` the caller may read, sorted. */
  contextIds: Array<Scalars['ID']['output']>;
  /** Needs: distinct contexts delivered. Products: matching contexts the producers published in the range. */
  contexts: Scalars['Int']['output'];
  /** Of `contexts`, those that reached another agent (for a need, all of them). */
  deliveredContexts: Scalars['Int']['output'];
  /** Needs: deliveries of matching contexts to those agents. Products: deliveries of their matching contexts to other agents. */
  deliveries: Scalars['Int']['output'];
  /** How many of `contexts` the caller may not read. */
  hiddenContexts: Scalars['Int']['output'];
  topic: Scalars['String']['output'];
};

/** A context version a decision used. */
export type UsedContext = {
  __typename?: 'UsedContext';
  /** The context at that version; null when the viewer may not read it. */
  context: Maybe<ContextObject>;
  contextId: Scalars['ID']['output'];
  inPackage: Scalars['Boolean']['output'];
  /** The exact version: the delivered one when the context was in the package, otherwise its current version when the decision was recorded (inPackage false). */
  version: Scalars['Int']['output'];
};

export type ValidationEvent = {
  __typename?: 'ValidationEvent';
  /** For STALE: the context that stopped holding. */
  causeId: Maybe<Scalars['ID']['output']>;
  change: ContextChange;
  contextId: Scalars['ID']['output'];
  seq: Scalars['Int']['output'];
};

/** What one validation pass changed; every change is an event in the log and was announced on contextChanged. */
export type ValidationReport = {
  __typename?: 'ValidationReport';
  /** Contexts made stale because their confidence decayed below the floor. */
  decayed: Scalars['Int']['output'];
  /** The events the pass wrote, by seq. */
  events: Array<ValidationEvent>;
  /** Contexts found past their expiration (EXPIRED events). */
  expired: Scalars['Int']['output'];
  finishedAt: Scalars['DateTime']['output'];
  /** Contexts made stale because something they rest on does not hold (expiry included). */
  staleDependencies: Scalars['Int']['output'];
  startedAt: Scalars['DateTime']['output'];
};

/** Versions a retention pass kept, each counted under the first rule that keeps it (src/domain/history/retention.ts). */
export type VersionsKept = {
  __typename?: 'VersionsKept';
  /** The context's current version. */
  current: Scalars['Int']['output'];
  /** Used by a recorded decision. */
  decisions: Scalars['Int']['output'];
  /** An item of a recorded package still stored (deliveries and replays read it). */
  packages: Scalars['Int']['output'];
  /** Among the newest `keepLast`, still current at or after the cutoff, or superseded less than a minute ago. */
  recent: Scalars['Int']['output'];
  /** The version current at a snapshot's seq (mesh-wide, or of the context's workflow): a rollback restores it. */
  snapshots: Scalars['Int']['output'];
  total: Scalars['Int']['output'];
};

/** What each input's position is weighted by. */
export type WeightBy =
  /** The trust of the agent that produced it (setAgentTrust; default 0.5). */
  | 'AGENT_TRUST'
  /** The input's confidence (the default). */
  | 'CONFIDENCE'
  /** Every input counts 1. */
  | 'EQUAL';

/**
 * A coordinated run of steps, each performed by one agent (the article's researcher → writer → reviewer). Its id is the
 * `workflowId` its contexts carry.
 */
export type Workflow = {
  __typename?: 'Workflow';
  /** When it was first defined. */
  definedAt: Scalars['DateTime']['output'];
  /** `admin` (defining workflows is admin-only). */
  definedBy: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  /**
   * The steps that may start now: not RUNNING, and either never started with no step leading to them, or a step leading
   * to them (`next`) completed after they last started (a reviewer sending work back makes the writer ready again).
   */
  ready: Array<WorkflowStep>;
  /** The steps under way now. */
  running: Array<WorkflowStep>;
  status: WorkflowStatus;
  /** One step by id (null when the workflow has none with that id). */
  step: Maybe<WorkflowStep>;
  /** In definition order. */
  steps: Array<WorkflowStep>;
  /** When its definition last changed. */
  updatedAt: Scalars['DateTime']['output'];
};


/**
 * A coordinated run of steps, each performed by one agent (the article's researcher → writer → reviewer). Its id is the
 * `workflowId` its contexts carry.
 */
export type WorkflowStepArgs = {
  id: Scalars['ID']['input'];
};

/** The numbers of the packages asked within one workflow (workflowId null: outside any). */
export type WorkflowStats = EffectivenessNumbers & {
  __typename?: 'WorkflowStats';
  belowThresholdDropped: Scalars['Int']['output'];
  cacheHitRate: Maybe<Scalars['Float']['output']>;
  coalescedRate: Maybe<Scalars['Float']['output']>;
  deliveries: Scalars['Int']['output'];
  duplicatesDropped: Scalars['Int']['output'];
  feedbackCount: Scalars['Int']['output'];
  itemsDelivered: Scalars['Int']['output'];
  itemsUsed: Scalars['Int']['output'];
  medianDeliveredAgeSeconds: Maybe<Scalars['Float']['output']>;
  poolMeasuredDeliveries: Scalars['Int']['output'];
  precision: Maybe<Scalars['Float']['output']>;
  prefetchHitRate: Maybe<Scalars['Float']['output']>;
  staleDeliveries: Scalars['Int']['output'];
  staleDropped: Scalars['Int']['output'];
  tokensDelivered: Scalars['Int']['output'];
  tokensSavedByCompression: Scalars['Int']['output'];
  tokensSavedByFiltering: Scalars['Int']['output'];
  tokensUsed: Scalars['Int']['output'];
  usefulCount: Scalars['Int']['output'];
  workflowId: Maybe<Scalars['ID']['output']>;
};

export type WorkflowStatus =
  /** Every step is completed (its latest attempt). */
  | 'COMPLETED'
  /** Some step has started and not every step is completed. */
  | 'IN_PROGRESS'
  /** No step has started yet. */
  | 'NOT_STARTED';

export type WorkflowStep = {
  __typename?: 'WorkflowStep';
  /** The agent that performs it (only it, or an admin, may start and complete it). */
  agent: Agent;
  /** 0 until first started; every start from PENDING or COMPLETED adds one. */
  attempt: Scalars['Int']['output'];
  /** When the current attempt completed (null while PENDING or RUNNING). */
  completedAt: Maybe<Scalars['DateTime']['output']>;
  completedBy: Maybe<Scalars['String']['output']>;
  /** Event position at completion: the attempt covers contexts with seq in (startedSeq, completedSeq]. */
  completedSeq: Maybe<Scalars['Int']['output']>;
  id: Scalars['ID']['output'];
  /**
   * Required types or tags (its own `requires` and every applicable policy's, ENFORCE or WARN) that the current
   * attempt has not published, sorted; all of them before the first start. A requirement is met by a context whose type
   * equals it (case-insensitively) or one of whose tags has the same topic key (`Key Findings` = `key_findings`).
   */
  missing: Array<Scalars['String']['output']>;
  /** Tags or topics it consumes. */
  needs: Array<Scalars['String']['output']>;
  /** Ids of the steps that follow it (cycles allowed). */
  next: Array<Scalars['ID']['output']>;
  /** The steps that follow it. */
  nextSteps: Array<WorkflowStep>;
  /** The publishing policies that apply to it: for its agent, the agent's role, or this step. */
  policies: Array<PublishingPolicy>;
  /** Tags or topics it emits. */
  produces: Array<Scalars['String']['output']>;
  /**
   * What the step's agent published in the workflow during the current attempt (after it started; up to its completion
   * once COMPLETED), not retracted, that the reader may read; oldest first.
   */
  published: Array<ContextObject>;
  /** Types or tags it must publish in an attempt before it may complete (always enforced). */
  requires: Array<Scalars['String']['output']>;
  /** When the current attempt started. */
  startedAt: Maybe<Scalars['DateTime']['output']>;
  /** Agent id or `admin`. */
  startedBy: Maybe<Scalars['String']['output']>;
  /** Event position the attempt started at: it covers contexts published after it. */
  startedSeq: Maybe<Scalars['Int']['output']>;
  status: StepStatus;
  workflowId: Scalars['ID']['output'];
};

export type WorkflowStepInput = {
  /** An existing agent (NOT_FOUND otherwise). */
  agentId: Scalars['ID']['input'];
  /** Unique in the workflow (letters, digits, _ . : -; up to 64). */
  id: Scalars['ID']['input'];
  needs?: InputMaybe<Array<Scalars['String']['input']>>;
  /** Steps of this workflow that follow it; cycles are allowed (a reviewer can send work back to the writer). */
  next?: InputMaybe<Array<Scalars['ID']['input']>>;
  produces?: InputMaybe<Array<Scalars['String']['input']>>;
  /** Types or tags an attempt must publish before completeStep succeeds (at most 100). */
  requires?: InputMaybe<Array<Scalars['String']['input']>>;
};



export type ResolverTypeWrapper<T> = Promise<T> | T;


export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = Record<PropertyKey, never>, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;




/** Mapping of interface types */
export type ResolversInterfaceTypes<_RefType extends Record<string, unknown>> = {
  EffectivenessNumbers:
    | ( AgentStats )
    | ( MeshStats )
    | ( WorkflowStats )
  ;
};

/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = {
  Acknowledgement: ResolverTypeWrapper<Acknowledgement>;
  Agent: ResolverTypeWrapper<AgentModel>;
  AgentRelevance: ResolverTypeWrapper<RelevanceEntryModel>;
  AgentStats: ResolverTypeWrapper<AgentStats>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  Broadcast: ResolverTypeWrapper<BroadcastItemModel>;
  BroadcastPage: ResolverTypeWrapper<BroadcastPageModel>;
  CompressedContext: ResolverTypeWrapper<CompressedContext>;
  CompressionMethod: CompressionMethod;
  Conflict: ResolverTypeWrapper<ConflictModel>;
  ConflictEscalation: ResolverTypeWrapper<ConflictEscalationModel>;
  ConflictResolution: ResolverTypeWrapper<ConflictResolutionModel>;
  ConflictStatus: ConflictStatus;
  ConsensusGroup: ResolverTypeWrapper<ConsensusGroup>;
  ConsensusGrouping: ConsensusGrouping;
  ConsensusPosition: ResolverTypeWrapper<RecordedPositionModel>;
  ConsensusResult: ResolverTypeWrapper<ConsensusResultModel>;
  ContextChange: ContextChange;
  ContextConnection: ResolverTypeWrapper<ContextPageModel>;
  ContextDiff: ResolverTypeWrapper<Omit<ContextDiff, 'added' | 'changed' | 'retracted'> & { added: Array<ResolversTypes['ContextObject']>, changed: Array<ResolversTypes['ContextObject']>, retracted: Array<ResolversTypes['ContextObject']> }>;
  ContextEdge: ResolverTypeWrapper<Omit<ContextEdge, 'node'> & { node: ResolversTypes['ContextObject'] }>;
  ContextEvent: ResolverTypeWrapper<ContextEventModel>;
  ContextEventFilter: ContextEventFilter;
  ContextFilter: ContextFilter;
  ContextFlow: ResolverTypeWrapper<ContextFlowModel>;
  ContextMap: ResolverTypeWrapper<ContextMapModel>;
  ContextMetadata: ResolverTypeWrapper<ContextRecordModel>;
  ContextObject: ResolverTypeWrapper<ContextRecordModel>;
  ContextPackage: ResolverTypeWrapper<DeliveredPackageModel>;
  ContextPatch: ContextPatch;
  ContextStatus: ContextStatus;
  ContextType: ContextType;
  ContextVersion: ResolverTypeWrapper<ContextVersionModel>;
  CriticalPath: ResolverTypeWrapper<CriticalPathModel>;
  CriticalPathNode: ResolverTypeWrapper<CriticalPathNodeModel>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  Decision: ResolverTypeWrapper<DecisionModel>;
  DefineWorkflowInput: DefineWorkflowInput;
  DeliveredItem: ResolverTypeWrapper<DeliveredItemModel>;
  Delivery: ResolverTypeWrapper<DeliveryModel>;
  DependencyGraph: ResolverTypeWrapper<Omit<DependencyGraph, 'nodes'> & { nodes: Array<ResolversTypes['ContextObject']> }>;
  Direction: Direction;
  DropReason: DropReason;
  DroppedContext: ResolverTypeWrapper<DroppedContext>;
  EffectivenessNumbers: ResolverTypeWrapper<ResolversInterfaceTypes<ResolversTypes>['EffectivenessNumbers']>;
  EmbeddingModel: ResolverTypeWrapper<EmbeddingModel>;
  EscalationRule: ResolverTypeWrapper<EscalationRuleModel>;
  Feedback: ResolverTypeWrapper<Feedback>;
  Float: ResolverTypeWrapper<Scalars['Float']['output']>;
  GraphEdge: ResolverTypeWrapper<GraphEdge>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  IsolatedAgent: ResolverTypeWrapper<IsolatedAgentModel>;
  IsolationReason: IsolationReason;
  JSON: ResolverTypeWrapper<Scalars['JSON']['output']>;
  LeftOutCounts: ResolverTypeWrapper<LeftOutCounts>;
  MeshStats: ResolverTypeWrapper<MeshStats>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  OverrideInput: OverrideInput;
  PackageSource: PackageSource;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  PastRead: PastRead;
  PolicyMode: PolicyMode;
  PolicyViolation: ResolverTypeWrapper<PolicyViolationModel>;
  Priority: Priority;
  PruneReport: ResolverTypeWrapper<PruneReport>;
  PublishContextInput: PublishContextInput;
  PublishingPolicy: ResolverTypeWrapper<PublishingPolicyModel>;
  PublishingPolicyInput: PublishingPolicyInput;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  QuotaStanding: ResolverTypeWrapper<QuotaStanding>;
  RankedContext: ResolverTypeWrapper<ScoredContextModel>;
  RecordDecisionInput: RecordDecisionInput;
  RegisterAgentInput: RegisterAgentInput;
  RegisterAgentPayload: ResolverTypeWrapper<Omit<RegisterAgentPayload, 'agent'> & { agent: ResolversTypes['Agent'] }>;
  RelevanceInput: RelevanceInput;
  ReplayAdjust: ReplayAdjust;
  Rollback: ResolverTypeWrapper<Omit<Rollback, 'restored' | 'retracted'> & { restored: Array<ResolversTypes['ContextObject']>, retracted: Array<ResolversTypes['ContextObject']> }>;
  RoutingTimings: ResolverTypeWrapper<RoutingTimings>;
  ScoreReasons: ResolverTypeWrapper<ScoreReasons>;
  SearchHit: ResolverTypeWrapper<SearchHitModel>;
  Snapshot: ResolverTypeWrapper<Snapshot>;
  SnapshotKind: SnapshotKind;
  SpawnAgentInput: SpawnAgentInput;
  StaleReason: StaleReason;
  Staleness: ResolverTypeWrapper<StalenessModel>;
  StandInBasis: StandInBasis;
  StepFailure: ResolverTypeWrapper<StepFailureModel>;
  StepFailureKind: StepFailureKind;
  StepStatus: StepStatus;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  Subscription: ResolverTypeWrapper<Record<PropertyKey, never>>;
  TaskStandIn: ResolverTypeWrapper<TaskStandIn>;
  TokenQuota: ResolverTypeWrapper<TokenQuota>;
  TokenUsage: ResolverTypeWrapper<TokenUsage>;
  TokenUsagePeriod: ResolverTypeWrapper<TokenUsagePeriod>;
  TopicAgents: ResolverTypeWrapper<TopicAgentsModel>;
  TopicUsage: ResolverTypeWrapper<TopicUsageModel>;
  UsedContext: ResolverTypeWrapper<UsedContextModel>;
  ValidationEvent: ResolverTypeWrapper<ValidationEvent>;
  ValidationReport: ResolverTypeWrapper<ValidationReportModel>;
  VersionsKept: ResolverTypeWrapper<VersionsKept>;
  WeightBy: WeightBy;
  Workflow: ResolverTypeWrapper<WorkflowModel>;
  WorkflowStats: ResolverTypeWrapper<WorkflowStats>;
  WorkflowStatus: WorkflowStatus;
  WorkflowStep: ResolverTypeWrapper<WorkflowStepModel>;
  WorkflowStepInput: WorkflowStepInput;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  Acknowledgement: Acknowledgement;
  Agent: AgentModel;
  AgentRelevance: RelevanceEntryModel;
  AgentStats: AgentStats;
  Boolean: Scalars['Boolean']['output'];
  Broadcast: BroadcastItemModel;
  BroadcastPage: BroadcastPageModel;
  CompressedContext: CompressedContext;
  Conflict: ConflictModel;
  ConflictEscalation: ConflictEscalationModel;
  ConflictResolution: ConflictResolutionModel;
  ConsensusGroup: ConsensusGroup;
  ConsensusPosition: RecordedPositionModel;
  ConsensusResult: ConsensusResultModel;
  ContextConnection: ContextPageModel;
  ContextDiff: Omit<ContextDiff, 'added' | 'changed' | 'retracted'> & { added: Array<ResolversParentTypes['ContextObject']>, changed: Array<ResolversParentTypes['ContextObject']>, retracted: Array<ResolversParentTypes['ContextObject']> };
  ContextEdge: Omit<ContextEdge, 'node'> & { node: ResolversParentTypes['ContextObject'] };
  ContextEvent: ContextEventModel;
  ContextEventFilter: ContextEventFilter;
  ContextFilter: ContextFilter;
  ContextFlow: ContextFlowModel;
  ContextMap: ContextMapModel;
  ContextMetadata: ContextRecordModel;
  ContextObject: ContextRecordModel;
  ContextPackage: DeliveredPackageModel;
  ContextPatch: ContextPatch;
  ContextVersion: ContextVersionModel;
  CriticalPath: CriticalPathModel;
  CriticalPathNode: CriticalPathNodeModel;
  DateTime: Scalars['DateTime']['output'];
  Decision: DecisionModel;
  DefineWorkflowInput: DefineWorkflowInput;
  DeliveredItem: DeliveredItemModel;
  Delivery: DeliveryModel;
  DependencyGraph: Omit<DependencyGraph, 'nodes'> & { nodes: Array<ResolversParentTypes['ContextObject']> };
  DroppedContext: DroppedContext;
  EffectivenessNumbers: ResolversInterfaceTypes<ResolversParentTypes>['EffectivenessNumbers'];
  EmbeddingModel: EmbeddingModel;
  EscalationRule: EscalationRuleModel;
  Feedback: Feedback;
  Float: Scalars['Float']['output'];
  GraphEdge: GraphEdge;
  ID: Scalars['ID']['output'];
  Int: Scalars['Int']['output'];
  IsolatedAgent: IsolatedAgentModel;
  JSON: Scalars['JSON']['output'];
  LeftOutCounts: LeftOutCounts;
  MeshStats: MeshStats;
  Mutation: Record<PropertyKey, never>;
  OverrideInput: OverrideInput;
  PageInfo: PageInfo;
  PolicyViolation: PolicyViolationModel;
  PruneReport: PruneReport;
  PublishContextInput: PublishContextInput;
  PublishingPolicy: PublishingPolicyModel;
  PublishingPolicyInput: PublishingPolicyInput;
  Query: Record<PropertyKey, never>;
  QuotaStanding: QuotaStanding;
  RankedContext: ScoredContextModel;
  RecordDecisionInput: RecordDecisionInput;
  RegisterAgentInput: RegisterAgentInput;
  RegisterAgentPayload: Omit<RegisterAgentPayload, 'agent'> & { agent: ResolversParentTypes['Agent'] };
  RelevanceInput: RelevanceInput;
  ReplayAdjust: ReplayAdjust;
  Rollback: Omit<Rollback, 'restored' | 'retracted'> & { restored: Array<ResolversParentTypes['ContextObject']>, retracted: Array<ResolversParentTypes['ContextObject']> };
  RoutingTimings: RoutingTimings;
  ScoreReasons: ScoreReasons;
  SearchHit: SearchHitModel;
  Snapshot: Snapshot;
  SpawnAgentInput: SpawnAgentInput;
  Staleness: StalenessModel;
  StepFailure: StepFailureModel;
  String: Scalars['String']['output'];
  Subscription: Record<PropertyKey, never>;
  TaskStandIn: TaskStandIn;
  TokenQuota: TokenQuota;
  TokenUsage: TokenUsage;
  TokenUsagePeriod: TokenUsagePeriod;
  TopicAgents: TopicAgentsModel;
  TopicUsage: TopicUsageModel;
  UsedContext: UsedContextModel;
  ValidationEvent: ValidationEvent;
  ValidationReport: ValidationReportModel;
  VersionsKept: VersionsKept;
  Workflow: WorkflowModel;
  WorkflowStats: WorkflowStats;
  WorkflowStep: WorkflowStepModel;
  WorkflowStepInput: WorkflowStepInput;
};

export type AcknowledgementResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Acknowledgement'] = ResolversParentTypes['Acknowledgement']> = {
  ackSeq?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  agentId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
};

export type AgentResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Agent'] = ResolversParentTypes['Agent']> = {
  children?: Resolver<Array<ResolversTypes['Agent']>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  needs?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  parent?: Resolver<Maybe<ResolversTypes['Agent']>, ParentType, ContextType>;
  produces?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  relevanceThreshold?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  role?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  tokenBudget?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  tokenQuota?: Resolver<Maybe<ResolversTypes['TokenQuota']>, ParentType, ContextType>;
  trust?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
};

export type AgentRelevanceResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['AgentRelevance'] = ResolversParentTypes['AgentRelevance']> = {
  agent?: Resolver<ResolversTypes['Agent'], ParentType, ContextType>;
  explicit?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  score?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
};

export type AgentStatsResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['AgentStats'] = ResolversParentTypes['AgentStats']> = {
  agentId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  belowThresholdDropped?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  cacheHitRate?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  coalescedRate?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  deliveries?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  duplicatesDropped?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  feedbackCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  itemsDelivered?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  itemsUsed?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  medianDeliveredAgeSeconds?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  poolMeasuredDeliveries?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  precision?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  prefetchHitRate?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  staleDeliveries?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  staleDropped?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  tokensDelivered?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  tokensSavedByCompression?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  tokensSavedByFiltering?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  tokensUsed?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  usefulCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type BroadcastResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Broadcast'] = ResolversParentTypes['Broadcast']> = {
  context?: Resolver<ResolversTypes['ContextObject'], ParentType, ContextType>;
  prevSeq?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  reason?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  seq?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type BroadcastPageResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['BroadcastPage'] = ResolversParentTypes['BroadcastPage']> = {
  broadcasts?: Resolver<Array<ResolversTypes['Broadcast']>, ParentType, ContextType>;
  hasMore?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  lastSeq?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type CompressedContextResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['CompressedContext'] = ResolversParentTypes['CompressedContext']> = {
  compressionRatio?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  method?: Resolver<ResolversTypes['CompressionMethod'], ParentType, ContextType>;
  originalContextIds?: Resolver<Array<ResolversTypes['ID']>, ParentType, ContextType>;
  text?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  tokens?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type ConflictResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Conflict'] = ResolversParentTypes['Conflict']> = {
  agents?: Resolver<Array<ResolversTypes['Agent']>, ParentType, ContextType>;
  agreement?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  claim?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  escalatedTo?: Resolver<Array<ResolversTypes['Agent']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  inputs?: Resolver<Array<ResolversTypes['ContextObject']>, ParentType, ContextType>;
  minimumAgreement?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  positions?: Resolver<Array<ResolversTypes['ConsensusPosition']>, ParentType, ContextType>;
  resolution?: Resolver<Maybe<ResolversTypes['ConflictResolution']>, ParentType, ContextType>;
  seq?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['ConflictStatus'], ParentType, ContextType>;
  totalWeight?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  weightBy?: Resolver<ResolversTypes['WeightBy'], ParentType, ContextType>;
};

export type ConflictEscalationResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['ConflictEscalation'] = ResolversParentTypes['ConflictEscalation']> = {
  conflict?: Resolver<ResolversTypes['Conflict'], ParentType, ContextType>;
  prevSeq?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  seq?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type ConflictResolutionResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['ConflictResolution'] = ResolversParentTypes['ConflictResolution']> = {
  consensus?: Resolver<Maybe<ResolversTypes['ContextObject']>, ParentType, ContextType>;
  position?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  rationale?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  resolvedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  resolvedBy?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
};

export type ConsensusGroupResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['ConsensusGroup'] = ResolversParentTypes['ConsensusGroup']> = {
  contextIds?: Resolver<Array<ResolversTypes['ID']>, ParentType, ContextType>;
  selected?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
};

export type ConsensusPositionResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['ConsensusPosition'] = ResolversParentTypes['ConsensusPosition']> = {
  agents?: Resolver<Array<ResolversTypes['Agent']>, ParentType, ContextType>;
  contexts?: Resolver<Array<ResolversTypes['ContextObject']>, ParentType, ContextType>;
  position?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  share?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  weight?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
};

export type ConsensusResultResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['ConsensusResult'] = ResolversParentTypes['ConsensusResult']> = {
  agreement?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  claim?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  conflict?: Resolver<Maybe<ResolversTypes['Conflict']>, ParentType, ContextType>;
  consensus?: Resolver<Maybe<ResolversTypes['ContextObject']>, ParentType, ContextType>;
  groupedBy?: Resolver<ResolversTypes['ConsensusGrouping'], ParentType, ContextType>;
  groups?: Resolver<Array<ResolversTypes['ConsensusGroup']>, ParentType, ContextType>;
  inputs?: Resolver<Array<ResolversTypes['ContextObject']>, ParentType, ContextType>;
  minimumAgreement?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  position?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  positions?: Resolver<Array<ResolversTypes['ConsensusPosition']>, ParentType, ContextType>;
  reached?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  tied?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  tolerance?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  totalWeight?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  weightBy?: Resolver<ResolversTypes['WeightBy'], ParentType, ContextType>;
};

export type ContextConnectionResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['ContextConnection'] = ResolversParentTypes['ContextConnection']> = {
  edges?: Resolver<Array<ResolversTypes['ContextEdge']>, ParentType, ContextType>;
  leftOut?: Resolver<ResolversTypes['LeftOutCounts'], ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
};

export type ContextDiffResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['ContextDiff'] = ResolversParentTypes['ContextDiff']> = {
  added?: Resolver<Array<ResolversTypes['ContextObject']>, ParentType, ContextType>;
  changed?: Resolver<Array<ResolversTypes['ContextObject']>, ParentType, ContextType>;
  fromSeq?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  retracted?: Resolver<Array<ResolversTypes['ContextObject']>, ParentType, ContextType>;
  toSeq?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type ContextEdgeResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['ContextEdge'] = ResolversParentTypes['ContextEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['ContextObject'], ParentType, ContextType>;
};

export type ContextEventResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['ContextEvent'] = ResolversParentTypes['ContextEvent']> = {
  cause?: Resolver<Maybe<ResolversTypes['ContextObject']>, ParentType, ContextType>;
  change?: Resolver<ResolversTypes['ContextChange'], ParentType, ContextType>;
  context?: Resolver<ResolversTypes['ContextObject'], ParentType, ContextType>;
  seq?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type ContextFlowResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['ContextFlow'] = ResolversParentTypes['ContextFlow']> = {
  consumer?: Resolver<Maybe<ResolversTypes['Agent']>, ParentType, ContextType>;
  consumerId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  contexts?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  deliveries?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  producer?: Resolver<Maybe<ResolversTypes['Agent']>, ParentType, ContextType>;
  producerId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  tokens?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type ContextMapResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['ContextMap'] = ResolversParentTypes['ContextMap']> = {
  agents?: Resolver<Array<ResolversTypes['Agent']>, ParentType, ContextType>;
  criticalPaths?: Resolver<Array<ResolversTypes['CriticalPath']>, ParentType, ContextType>;
  flows?: Resolver<Array<ResolversTypes['ContextFlow']>, ParentType, ContextType>;
  from?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  isolatedAgents?: Resolver<Array<ResolversTypes['IsolatedAgent']>, ParentType, ContextType>;
  needs?: Resolver<Array<ResolversTypes['TopicUsage']>, ParentType, ContextType>;
  packagesRead?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  products?: Resolver<Array<ResolversTypes['TopicUsage']>, ParentType, ContextType>;
  stepFailures?: Resolver<Array<ResolversTypes['StepFailure']>, ParentType, ContextType>;
  to?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  truncated?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  unconsumedProducts?: Resolver<Array<ResolversTypes['TopicAgents']>, ParentType, ContextType>;
  undeliveredProducts?: Resolver<Array<ResolversTypes['TopicAgents']>, ParentType, ContextType>;
  unmetNeeds?: Resolver<Array<ResolversTypes['TopicAgents']>, ParentType, ContextType>;
  unservedNeeds?: Resolver<Array<ResolversTypes['TopicAgents']>, ParentType, ContextType>;
  workflowId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
};

export type ContextMetadataResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['ContextMetadata'] = ResolversParentTypes['ContextMetadata']> = {
  confidence?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  dependencies?: Resolver<Array<ResolversTypes['ID']>, ParentType, ContextType>;
  expiration?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  sourceAgent?: Resolver<ResolversTypes['Agent'], ParentType, ContextType>;
  timestamp?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
};

export type ContextObjectResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['ContextObject'] = ResolversParentTypes['ContextObject']> = {
  claim?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  content?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
  dependencies?: Resolver<Array<ResolversTypes['ContextObject']>, ParentType, ContextType, RequireFields<ContextObjectDependenciesArgs, 'depth'>>;
  dependents?: Resolver<Array<ResolversTypes['ContextObject']>, ParentType, ContextType, RequireFields<ContextObjectDependentsArgs, 'depth'>>;
  history?: Resolver<Array<ResolversTypes['ContextVersion']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  metadata?: Resolver<ResolversTypes['ContextMetadata'], ParentType, ContextType>;
  position?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  priority?: Resolver<ResolversTypes['Priority'], ParentType, ContextType>;
  relevance?: Resolver<Array<ResolversTypes['AgentRelevance']>, ParentType, ContextType>;
  retractionReason?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  seq?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  stale?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  staleness?: Resolver<Maybe<ResolversTypes['Staleness']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['ContextStatus'], ParentType, ContextType>;
  supersededBy?: Resolver<Maybe<ResolversTypes['ContextObject']>, ParentType, ContextType>;
  supersedes?: Resolver<Array<ResolversTypes['ContextObject']>, ParentType, ContextType>;
  tags?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  text?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  tokens?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  type?: Resolver<ResolversTypes['ContextType'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  validFrom?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  validUntil?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  version?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  visibleTo?: Resolver<Maybe<Array<ResolversTypes['ID']>>, ParentType, ContextType>;
  workflowId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
};

export type ContextPackageResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['ContextPackage'] = ResolversParentTypes['ContextPackage']> = {
  agent?: Resolver<ResolversTypes['Agent'], ParentType, ContextType>;
  asOf?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  budget?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  cached?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  coalesced?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  compressed?: Resolver<Maybe<ResolversTypes['CompressedContext']>, ParentType, ContextType>;
  dropped?: Resolver<Array<ResolversTypes['DroppedContext']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  items?: Resolver<Array<ResolversTypes['RankedContext']>, ParentType, ContextType>;
  pastRead?: Resolver<Maybe<ResolversTypes['PastRead']>, ParentType, ContextType>;
  quota?: Resolver<Maybe<ResolversTypes['QuotaStanding']>, ParentType, ContextType>;
  source?: Resolver<ResolversTypes['PackageSource'], ParentType, ContextType>;
  standIn?: Resolver<Maybe<ResolversTypes['TaskStandIn']>, ParentType, ContextType>;
  task?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  timings?: Resolver<ResolversTypes['RoutingTimings'], ParentType, ContextType>;
  tokens?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type ContextVersionResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['ContextVersion'] = ResolversParentTypes['ContextVersion']> = {
  at?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  changedBy?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  claim?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  confidence?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  content?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
  dependencies?: Resolver<Array<ResolversTypes['ID']>, ParentType, ContextType>;
  expiration?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  position?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  priority?: Resolver<ResolversTypes['Priority'], ParentType, ContextType>;
  seq?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['ContextStatus'], ParentType, ContextType>;
  tags?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  text?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  tokens?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  version?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  visibleTo?: Resolver<Maybe<Array<ResolversTypes['ID']>>, ParentType, ContextType>;
};

export type CriticalPathResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['CriticalPath'] = ResolversParentTypes['CriticalPath']> = {
  length?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  nodes?: Resolver<Array<ResolversTypes['CriticalPathNode']>, ParentType, ContextType>;
  workflowId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
};

export type CriticalPathNodeResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['CriticalPathNode'] = ResolversParentTypes['CriticalPathNode']> = {
  context?: Resolver<Maybe<ResolversTypes['ContextObject']>, ParentType, ContextType>;
  contextId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  hidden?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  sourceAgentId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  stepId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
};

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type DecisionResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Decision'] = ResolversParentTypes['Decision']> = {
  agent?: Resolver<ResolversTypes['Agent'], ParentType, ContextType>;
  at?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  input?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
  output?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
  package?: Resolver<ResolversTypes['Delivery'], ParentType, ContextType>;
  replayOf?: Resolver<Maybe<ResolversTypes['Decision']>, ParentType, ContextType>;
  used?: Resolver<Array<ResolversTypes['UsedContext']>, ParentType, ContextType>;
};

export type DeliveredItemResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['DeliveredItem'] = ResolversParentTypes['DeliveredItem']> = {
  addedByReplay?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  context?: Resolver<Maybe<ResolversTypes['ContextObject']>, ParentType, ContextType>;
  contextId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  reasons?: Resolver<ResolversTypes['ScoreReasons'], ParentType, ContextType>;
  score?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  tokens?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  version?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type DeliveryResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Delivery'] = ResolversParentTypes['Delivery']> = {
  agent?: Resolver<ResolversTypes['Agent'], ParentType, ContextType>;
  asOf?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  at?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  budget?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  cached?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  coalesced?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  compressed?: Resolver<Maybe<ResolversTypes['CompressedContext']>, ParentType, ContextType>;
  dropped?: Resolver<Array<ResolversTypes['DroppedContext']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  items?: Resolver<Array<ResolversTypes['DeliveredItem']>, ParentType, ContextType>;
  replayOf?: Resolver<Maybe<ResolversTypes['Decision']>, ParentType, ContextType>;
  task?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  tokens?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  validAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  workflowId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
};

export type DependencyGraphResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['DependencyGraph'] = ResolversParentTypes['DependencyGraph']> = {
  edges?: Resolver<Array<ResolversTypes['GraphEdge']>, ParentType, ContextType>;
  nodes?: Resolver<Array<ResolversTypes['ContextObject']>, ParentType, ContextType>;
};

export type DroppedContextResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['DroppedContext'] = ResolversParentTypes['DroppedContext']> = {
  contextId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  duplicateOf?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  reason?: Resolver<ResolversTypes['DropReason'], ParentType, ContextType>;
  score?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
};

export type EffectivenessNumbersResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['EffectivenessNumbers'] = ResolversParentTypes['EffectivenessNumbers']> = {
  __resolveType: TypeResolveFn<'AgentStats' | 'MeshStats' | 'WorkflowStats', ParentType, ContextType>;
};

export type EmbeddingModelResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['EmbeddingModel'] = ResolversParentTypes['EmbeddingModel']> = {
  dimensions?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type EscalationRuleResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['EscalationRule'] = ResolversParentTypes['EscalationRule']> = {
  agentIds?: Resolver<Array<ResolversTypes['ID']>, ParentType, ContextType>;
  claim?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  tag?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type FeedbackResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Feedback'] = ResolversParentTypes['Feedback']> = {
  agentId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  at?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  contextId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  packageId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  used?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  useful?: Resolver<Maybe<ResolversTypes['Boolean']>, ParentType, ContextType>;
};

export type GraphEdgeResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['GraphEdge'] = ResolversParentTypes['GraphEdge']> = {
  from?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  to?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
};

export type IsolatedAgentResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['IsolatedAgent'] = ResolversParentTypes['IsolatedAgent']> = {
  agent?: Resolver<Maybe<ResolversTypes['Agent']>, ParentType, ContextType>;
  agentId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  published?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  reason?: Resolver<ResolversTypes['IsolationReason'], ParentType, ContextType>;
};

export interface JsonScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['JSON'], any> {
  name: 'JSON';
}

export type LeftOutCountsResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['LeftOutCounts'] = ResolversParentTypes['LeftOutCounts']> = {
  expired?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  noLongerValid?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  notYetValid?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  retracted?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  superseded?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type MeshStatsResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['MeshStats'] = ResolversParentTypes['MeshStats']> = {
  agentId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  belowThresholdDropped?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  cacheHitRate?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  coalescedRate?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  conflictsRaised?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  conflictsResolved?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  deliveries?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  duplicatesDropped?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  feedbackCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  from?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  itemsDelivered?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  itemsUsed?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  medianDeliveredAgeSeconds?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  packagesRead?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  perAgent?: Resolver<Array<ResolversTypes['AgentStats']>, ParentType, ContextType>;
  perWorkflow?: Resolver<Array<ResolversTypes['WorkflowStats']>, ParentType, ContextType>;
  poolMeasuredDeliveries?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  precision?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  prefetchHitRate?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  staleDeliveries?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  staleDropped?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  to?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  tokensDelivered?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  tokensSavedByCompression?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  tokensSavedByFiltering?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  tokensUsed?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  truncated?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  usefulCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  workflowId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type MutationResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = {
  acknowledge?: Resolver<ResolversTypes['Acknowledgement'], ParentType, ContextType, RequireFields<MutationAcknowledgeArgs, 'agentId' | 'seq'>>;
  buildConsensus?: Resolver<ResolversTypes['ConsensusResult'], ParentType, ContextType, RequireFields<MutationBuildConsensusArgs, 'escalateConflicts' | 'minimumAgreement' | 'similarityThreshold' | 'tolerance' | 'weightBy'>>;
  completeStep?: Resolver<ResolversTypes['WorkflowStep'], ParentType, ContextType, RequireFields<MutationCompleteStepArgs, 'stepId' | 'workflowId'>>;
  createSnapshot?: Resolver<ResolversTypes['Snapshot'], ParentType, ContextType, RequireFields<MutationCreateSnapshotArgs, 'label'>>;
  defineWorkflow?: Resolver<ResolversTypes['Workflow'], ParentType, ContextType, RequireFields<MutationDefineWorkflowArgs, 'input'>>;
  feedback?: Resolver<ResolversTypes['Feedback'], ParentType, ContextType, RequireFields<MutationFeedbackArgs, 'contextId' | 'packageId' | 'used'>>;
  pruneHistory?: Resolver<ResolversTypes['PruneReport'], ParentType, ContextType, RequireFields<MutationPruneHistoryArgs, 'dryRun'>>;
  publishContext?: Resolver<ResolversTypes['ContextObject'], ParentType, ContextType, RequireFields<MutationPublishContextArgs, 'input'>>;
  publishContexts?: Resolver<Array<ResolversTypes['ContextObject']>, ParentType, ContextType, RequireFields<MutationPublishContextsArgs, 'inputs'>>;
  recordDecision?: Resolver<ResolversTypes['Decision'], ParentType, ContextType, RequireFields<MutationRecordDecisionArgs, 'input'>>;
  registerAgent?: Resolver<ResolversTypes['RegisterAgentPayload'], ParentType, ContextType, RequireFields<MutationRegisterAgentArgs, 'input'>>;
  removePublishingPolicy?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationRemovePublishingPolicyArgs, 'id'>>;
  resolveConflict?: Resolver<ResolversTypes['Conflict'], ParentType, ContextType, RequireFields<MutationResolveConflictArgs, 'id' | 'position'>>;
  retractContext?: Resolver<ResolversTypes['ContextObject'], ParentType, ContextType, RequireFields<MutationRetractContextArgs, 'id' | 'reason'>>;
  rollback?: Resolver<ResolversTypes['Rollback'], ParentType, ContextType, RequireFields<MutationRollbackArgs, 'snapshotId'>>;
  setAgentTrust?: Resolver<ResolversTypes['Agent'], ParentType, ContextType, RequireFields<MutationSetAgentTrustArgs, 'agentId' | 'trust'>>;
  setEscalation?: Resolver<ResolversTypes['EscalationRule'], ParentType, ContextType, RequireFields<MutationSetEscalationArgs, 'agentIds'>>;
  setPublishingPolicy?: Resolver<ResolversTypes['PublishingPolicy'], ParentType, ContextType, RequireFields<MutationSetPublishingPolicyArgs, 'input'>>;
  setTokenQuota?: Resolver<ResolversTypes['Agent'], ParentType, ContextType, RequireFields<MutationSetTokenQuotaArgs, 'agentId' | 'periodSeconds'>>;
  spawnAgent?: Resolver<ResolversTypes['RegisterAgentPayload'], ParentType, ContextType, RequireFields<MutationSpawnAgentArgs, 'input' | 'parentId'>>;
  startStep?: Resolver<ResolversTypes['WorkflowStep'], ParentType, ContextType, RequireFields<MutationStartStepArgs, 'stepId' | 'workflowId'>>;
  updateContext?: Resolver<ResolversTypes['ContextObject'], ParentType, ContextType, RequireFields<MutationUpdateContextArgs, 'expectedVersion' | 'id' | 'patch'>>;
  validateContexts?: Resolver<ResolversTypes['ValidationReport'], ParentType, ContextType, Partial<MutationValidateContextsArgs>>;
};

export type PageInfoResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = {
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
};

export type PolicyViolationResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['PolicyViolation'] = ResolversParentTypes['PolicyViolation']> = {
  agent?: Resolver<ResolversTypes['Agent'], ParentType, ContextType>;
  at?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  attempt?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  missing?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  notice?: Resolver<Maybe<ResolversTypes['ContextObject']>, ParentType, ContextType>;
  policy?: Resolver<Maybe<ResolversTypes['PublishingPolicy']>, ParentType, ContextType>;
  policyId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  stepId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  workflowId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
};

export type PruneReportResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['PruneReport'] = ResolversParentTypes['PruneReport']> = {
  cutoff?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  dryRun?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  id?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  keepLast?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  packagesCutoff?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  packagesDeleted?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  prunedBeforeSeq?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  versionsDeleted?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  versionsKept?: Resolver<ResolversTypes['VersionsKept'], ParentType, ContextType>;
};

export type PublishingPolicyResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['PublishingPolicy'] = ResolversParentTypes['PublishingPolicy']> = {
  agent?: Resolver<Maybe<ResolversTypes['Agent']>, ParentType, ContextType>;
  agentId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  mode?: Resolver<ResolversTypes['PolicyMode'], ParentType, ContextType>;
  requires?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  role?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  setBy?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  stepId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  workflowId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
};

export type QueryResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  agent?: Resolver<Maybe<ResolversTypes['Agent']>, ParentType, ContextType, RequireFields<QueryAgentArgs, 'id'>>;
  agents?: Resolver<Array<ResolversTypes['Agent']>, ParentType, ContextType>;
  broadcasts?: Resolver<ResolversTypes['BroadcastPage'], ParentType, ContextType, RequireFields<QueryBroadcastsArgs, 'agentId' | 'first'>>;
  conflicts?: Resolver<Array<ResolversTypes['Conflict']>, ParentType, ContextType, RequireFields<QueryConflictsArgs, 'first'>>;
  context?: Resolver<Maybe<ResolversTypes['ContextObject']>, ParentType, ContextType, RequireFields<QueryContextArgs, 'id'>>;
  contextFor?: Resolver<ResolversTypes['ContextPackage'], ParentType, ContextType, RequireFields<QueryContextForArgs, 'agentId'>>;
  contextMap?: Resolver<ResolversTypes['ContextMap'], ParentType, ContextType, Partial<QueryContextMapArgs>>;
  contexts?: Resolver<ResolversTypes['ContextConnection'], ParentType, ContextType, RequireFields<QueryContextsArgs, 'first'>>;
  decisions?: Resolver<Array<ResolversTypes['Decision']>, ParentType, ContextType, RequireFields<QueryDecisionsArgs, 'agentId' | 'first'>>;
  deliveries?: Resolver<Array<ResolversTypes['Delivery']>, ParentType, ContextType, RequireFields<QueryDeliveriesArgs, 'agentId' | 'first'>>;
  dependencyGraph?: Resolver<ResolversTypes['DependencyGraph'], ParentType, ContextType, RequireFields<QueryDependencyGraphArgs, 'depth' | 'direction' | 'rootIds'>>;
  diff?: Resolver<ResolversTypes['ContextDiff'], ParentType, ContextType, RequireFields<QueryDiffArgs, 'fromSeq'>>;
  embeddingModel?: Resolver<ResolversTypes['EmbeddingModel'], ParentType, ContextType>;
  health?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  me?: Resolver<Maybe<ResolversTypes['Agent']>, ParentType, ContextType>;
  meshStats?: Resolver<ResolversTypes['MeshStats'], ParentType, ContextType, Partial<QueryMeshStatsArgs>>;
  policyViolations?: Resolver<Array<ResolversTypes['PolicyViolation']>, ParentType, ContextType, RequireFields<QueryPolicyViolationsArgs, 'first'>>;
  publishingPolicies?: Resolver<Array<ResolversTypes['PublishingPolicy']>, ParentType, ContextType, Partial<QueryPublishingPoliciesArgs>>;
  replayDecision?: Resolver<ResolversTypes['ContextPackage'], ParentType, ContextType, RequireFields<QueryReplayDecisionArgs, 'decisionId'>>;
  searchContext?: Resolver<Array<ResolversTypes['SearchHit']>, ParentType, ContextType, RequireFields<QuerySearchContextArgs, 'limit' | 'query'>>;
  seqAt?: Resolver<ResolversTypes['Int'], ParentType, ContextType, RequireFields<QuerySeqAtArgs, 'time'>>;
  snapshots?: Resolver<Array<ResolversTypes['Snapshot']>, ParentType, ContextType, RequireFields<QuerySnapshotsArgs, 'first'>>;
  tokenUsage?: Resolver<ResolversTypes['TokenUsage'], ParentType, ContextType, RequireFields<QueryTokenUsageArgs, 'agentId' | 'first'>>;
  workflow?: Resolver<Maybe<ResolversTypes['Workflow']>, ParentType, ContextType, RequireFields<QueryWorkflowArgs, 'id'>>;
  workflows?: Resolver<Array<ResolversTypes['Workflow']>, ParentType, ContextType>;
};

export type QuotaStandingResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['QuotaStanding'] = ResolversParentTypes['QuotaStanding']> = {
  periodEnd?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  periodSeconds?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  periodStart?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  remaining?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  tokens?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  used?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type RankedContextResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['RankedContext'] = ResolversParentTypes['RankedContext']> = {
  addedByReplay?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  context?: Resolver<ResolversTypes['ContextObject'], ParentType, ContextType>;
  reasons?: Resolver<ResolversTypes['ScoreReasons'], ParentType, ContextType>;
  score?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  tokens?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type RegisterAgentPayloadResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['RegisterAgentPayload'] = ResolversParentTypes['RegisterAgentPayload']> = {
  agent?: Resolver<ResolversTypes['Agent'], ParentType, ContextType>;
  apiKey?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type RollbackResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Rollback'] = ResolversParentTypes['Rollback']> = {
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  restored?: Resolver<Array<ResolversTypes['ContextObject']>, ParentType, ContextType>;
  retracted?: Resolver<Array<ResolversTypes['ContextObject']>, ParentType, ContextType>;
  snapshot?: Resolver<ResolversTypes['Snapshot'], ParentType, ContextType>;
  undoSnapshot?: Resolver<ResolversTypes['Snapshot'], ParentType, ContextType>;
  workflowId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
};

export type RoutingTimingsResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['RoutingTimings'] = ResolversParentTypes['RoutingTimings']> = {
  databaseMs?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  embeddingMs?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  packingMs?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  rankingMs?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  totalMs?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
};

export type ScoreReasonsResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['ScoreReasons'] = ResolversParentTypes['ScoreReasons']> = {
  confidence?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  dependency?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  explicit?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  needs?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  recency?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  semantic?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
};

export type SearchHitResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['SearchHit'] = ResolversParentTypes['SearchHit']> = {
  context?: Resolver<ResolversTypes['ContextObject'], ParentType, ContextType>;
  fulltextRank?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  graphDistance?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  score?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  vectorRank?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
};

export type SnapshotResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Snapshot'] = ResolversParentTypes['Snapshot']> = {
  at?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  createdBy?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['SnapshotKind'], ParentType, ContextType>;
  label?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  seq?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  workflowId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
};

export type StalenessResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Staleness'] = ResolversParentTypes['Staleness']> = {
  cause?: Resolver<Maybe<ResolversTypes['ContextObject']>, ParentType, ContextType>;
  reason?: Resolver<ResolversTypes['StaleReason'], ParentType, ContextType>;
  seq?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  since?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  via?: Resolver<Maybe<ResolversTypes['ContextObject']>, ParentType, ContextType>;
};

export type StepFailureResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['StepFailure'] = ResolversParentTypes['StepFailure']> = {
  agent?: Resolver<Maybe<ResolversTypes['Agent']>, ParentType, ContextType>;
  agentId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  at?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  attempt?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['StepFailureKind'], ParentType, ContextType>;
  missing?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  policyId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  stepId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  workflowId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
};

export type SubscriptionResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Subscription'] = ResolversParentTypes['Subscription']> = {
  conflictEscalated?: SubscriptionResolver<ResolversTypes['ConflictEscalation'], "conflictEscalated", ParentType, ContextType, Partial<SubscriptionConflictEscalatedArgs>>;
  contextBroadcast?: SubscriptionResolver<ResolversTypes['Broadcast'], "contextBroadcast", ParentType, ContextType, RequireFields<SubscriptionContextBroadcastArgs, 'agentId'>>;
  contextChanged?: SubscriptionResolver<ResolversTypes['ContextEvent'], "contextChanged", ParentType, ContextType, Partial<SubscriptionContextChangedArgs>>;
  contextPublished?: SubscriptionResolver<ResolversTypes['ContextEvent'], "contextPublished", ParentType, ContextType, Partial<SubscriptionContextPublishedArgs>>;
};

export type TaskStandInResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['TaskStandIn'] = ResolversParentTypes['TaskStandIn']> = {
  basis?: Resolver<ResolversTypes['StandInBasis'], ParentType, ContextType>;
  stepId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  workflowId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
};

export type TokenQuotaResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['TokenQuota'] = ResolversParentTypes['TokenQuota']> = {
  periodSeconds?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  tokens?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type TokenUsageResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['TokenUsage'] = ResolversParentTypes['TokenUsage']> = {
  agentId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  current?: Resolver<Maybe<ResolversTypes['QuotaStanding']>, ParentType, ContextType>;
  periods?: Resolver<Array<ResolversTypes['TokenUsagePeriod']>, ParentType, ContextType>;
  quota?: Resolver<Maybe<ResolversTypes['TokenQuota']>, ParentType, ContextType>;
};

export type TokenUsagePeriodResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['TokenUsagePeriod'] = ResolversParentTypes['TokenUsagePeriod']> = {
  periodEnd?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  periodStart?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  used?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type TopicAgentsResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['TopicAgents'] = ResolversParentTypes['TopicAgents']> = {
  agents?: Resolver<Array<ResolversTypes['Agent']>, ParentType, ContextType>;
  topic?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type TopicUsageResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['TopicUsage'] = ResolversParentTypes['TopicUsage']> = {
  agents?: Resolver<Array<ResolversTypes['Agent']>, ParentType, ContextType>;
  contextIds?: Resolver<Array<ResolversTypes['ID']>, ParentType, ContextType>;
  contexts?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  deliveredContexts?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  deliveries?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  hiddenContexts?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  topic?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type UsedContextResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['UsedContext'] = ResolversParentTypes['UsedContext']> = {
  context?: Resolver<Maybe<ResolversTypes['ContextObject']>, ParentType, ContextType>;
  contextId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  inPackage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  version?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type ValidationEventResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['ValidationEvent'] = ResolversParentTypes['ValidationEvent']> = {
  causeId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  change?: Resolver<ResolversTypes['ContextChange'], ParentType, ContextType>;
  contextId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  seq?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type ValidationReportResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['ValidationReport'] = ResolversParentTypes['ValidationReport']> = {
  decayed?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  events?: Resolver<Array<ResolversTypes['ValidationEvent']>, ParentType, ContextType>;
  expired?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  finishedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  staleDependencies?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  startedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
};

export type VersionsKeptResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['VersionsKept'] = ResolversParentTypes['VersionsKept']> = {
  current?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  decisions?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  packages?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  recent?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  snapshots?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  total?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type WorkflowResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['Workflow'] = ResolversParentTypes['Workflow']> = {
  definedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  definedBy?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  ready?: Resolver<Array<ResolversTypes['WorkflowStep']>, ParentType, ContextType>;
  running?: Resolver<Array<ResolversTypes['WorkflowStep']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['WorkflowStatus'], ParentType, ContextType>;
  step?: Resolver<Maybe<ResolversTypes['WorkflowStep']>, ParentType, ContextType, RequireFields<WorkflowStepArgs, 'id'>>;
  steps?: Resolver<Array<ResolversTypes['WorkflowStep']>, ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
};

export type WorkflowStatsResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['WorkflowStats'] = ResolversParentTypes['WorkflowStats']> = {
  belowThresholdDropped?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  cacheHitRate?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  coalescedRate?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  deliveries?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  duplicatesDropped?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  feedbackCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  itemsDelivered?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  itemsUsed?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  medianDeliveredAgeSeconds?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  poolMeasuredDeliveries?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  precision?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  prefetchHitRate?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  staleDeliveries?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  staleDropped?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  tokensDelivered?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  tokensSavedByCompression?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  tokensSavedByFiltering?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  tokensUsed?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  usefulCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  workflowId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type WorkflowStepResolvers<ContextType = RequestContext, ParentType extends ResolversParentTypes['WorkflowStep'] = ResolversParentTypes['WorkflowStep']> = {
  agent?: Resolver<ResolversTypes['Agent'], ParentType, ContextType>;
  attempt?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  completedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  completedBy?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  completedSeq?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  missing?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  needs?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  next?: Resolver<Array<ResolversTypes['ID']>, ParentType, ContextType>;
  nextSteps?: Resolver<Array<ResolversTypes['WorkflowStep']>, ParentType, ContextType>;
  policies?: Resolver<Array<ResolversTypes['PublishingPolicy']>, ParentType, ContextType>;
  produces?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  published?: Resolver<Array<ResolversTypes['ContextObject']>, ParentType, ContextType>;
  requires?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  startedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  startedBy?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  startedSeq?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['StepStatus'], ParentType, ContextType>;
  workflowId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
};

export type Resolvers<ContextType = RequestContext> = {
  Acknowledgement?: AcknowledgementResolvers<ContextType>;
  Agent?: AgentResolvers<ContextType>;
  AgentRelevance?: AgentRelevanceResolvers<ContextType>;
  AgentStats?: AgentStatsResolvers<ContextType>;
  Broadcast?: BroadcastResolvers<ContextType>;
  BroadcastPage?: BroadcastPageResolvers<ContextType>;
  CompressedContext?: CompressedContextResolvers<ContextType>;
  Conflict?: ConflictResolvers<ContextType>;
  ConflictEscalation?: ConflictEscalationResolvers<ContextType>;
  ConflictResolution?: ConflictResolutionResolvers<ContextType>;
  ConsensusGroup?: ConsensusGroupResolvers<ContextType>;
  ConsensusPosition?: ConsensusPositionResolvers<ContextType>;
  ConsensusResult?: ConsensusResultResolvers<ContextType>;
  ContextConnection?: ContextConnectionResolvers<ContextType>;
  ContextDiff?: ContextDiffResolvers<ContextType>;
  ContextEdge?: ContextEdgeResolvers<ContextType>;
  ContextEvent?: ContextEventResolvers<ContextType>;
  ContextFlow?: ContextFlowResolvers<ContextType>;
  ContextMap?: ContextMapResolvers<ContextType>;
  ContextMetadata?: ContextMetadataResolvers<ContextType>;
  ContextObject?: ContextObjectResolvers<ContextType>;
  ContextPackage?: ContextPackageResolvers<ContextType>;
  ContextVersion?: ContextVersionResolvers<ContextType>;
  CriticalPath?: CriticalPathResolvers<ContextType>;
  CriticalPathNode?: CriticalPathNodeResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  Decision?: DecisionResolvers<ContextType>;
  DeliveredItem?: DeliveredItemResolvers<ContextType>;
  Delivery?: DeliveryResolvers<ContextType>;
  DependencyGraph?: DependencyGraphResolvers<ContextType>;
  DroppedContext?: DroppedContextResolvers<ContextType>;
  EffectivenessNumbers?: EffectivenessNumbersResolvers<ContextType>;
  EmbeddingModel?: EmbeddingModelResolvers<ContextType>;
  EscalationRule?: EscalationRuleResolvers<ContextType>;
  Feedback?: FeedbackResolvers<ContextType>;
  GraphEdge?: GraphEdgeResolvers<ContextType>;
  IsolatedAgent?: IsolatedAgentResolvers<ContextType>;
  JSON?: GraphQLScalarType;
  LeftOutCounts?: LeftOutCountsResolvers<ContextType>;
  MeshStats?: MeshStatsResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  PolicyViolation?: PolicyViolationResolvers<ContextType>;
  PruneReport?: PruneReportResolvers<ContextType>;
  PublishingPolicy?: PublishingPolicyResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  QuotaStanding?: QuotaStandingResolvers<ContextType>;
  RankedContext?: RankedContextResolvers<ContextType>;
  RegisterAgentPayload?: RegisterAgentPayloadResolvers<ContextType>;
  Rollback?: RollbackResolvers<ContextType>;
  RoutingTimings?: RoutingTimingsResolvers<ContextType>;
  ScoreReasons?: ScoreReasonsResolvers<ContextType>;
  SearchHit?: SearchHitResolvers<ContextType>;
  Snapshot?: SnapshotResolvers<ContextType>;
  Staleness?: StalenessResolvers<ContextType>;
  StepFailure?: StepFailureResolvers<ContextType>;
  Subscription?: SubscriptionResolvers<ContextType>;
  TaskStandIn?: TaskStandInResolvers<ContextType>;
  TokenQuota?: TokenQuotaResolvers<ContextType>;
  TokenUsage?: TokenUsageResolvers<ContextType>;
  TokenUsagePeriod?: TokenUsagePeriodResolvers<ContextType>;
  TopicAgents?: TopicAgentsResolvers<ContextType>;
  TopicUsage?: TopicUsageResolvers<ContextType>;
  UsedContext?: UsedContextResolvers<ContextType>;
  ValidationEvent?: ValidationEventResolvers<ContextType>;
  ValidationReport?: ValidationReportResolvers<ContextType>;
  VersionsKept?: VersionsKeptResolvers<ContextType>;
  Workflow?: WorkflowResolvers<ContextType>;
  WorkflowStats?: WorkflowStatsResolvers<ContextType>;
  WorkflowStep?: WorkflowStepResolvers<ContextType>;
};

