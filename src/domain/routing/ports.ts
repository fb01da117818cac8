import type { ContextRecord, DependencyEdge, Viewer } from '../types.js';
import type { AgentNeedsProfile } from './publish-relevance.js';

export type CandidateSource = 'vector' | 'needs_vector' | 'fulltext' | 'topic' | 'explicit' | 'own' | 'graph';

/** A context the router may consider, with what it needs to score it. Only ACTIVE, unexpired, visible ones. */
export interface RoutingCandidate {
  context: ContextRecord;
  /** Cosine similarity (-1..1) of the context's text to the task. */
  taskSimilarity: number;
  /** Cosine similarity to the agent's declared needs; null when it declared none. */
  needsSimilarity: number | null;
  /** RELEVANT_TO score the publisher declared for the routed agent. */
  explicitRelevance: number | null;
  sources: CandidateSource[];
  vectorScore: number | null;
  fulltextScore: number | null;
}

export interface CandidateQuery {
  /** The agent the context is for: visibility and explicit relevance are its own. */
  agentId: string;
  taskEmbedding: number[];
  needsEmbedding: number[] | null;
  /** Words to look up in the fulltext index (see searchTerms); the adapter builds its query syntax. */
  searchTerms: string[];
  needKeys: string[];
  workflowId: string | null;
  /** Only contexts valid at this time (valid time); null = now. */
  validAt: string | null;
  /** How many hits each index contributes. */
  k: number;
}

/** The vectors similarities are measured against. */
export interface SimilarityProbe {
  taskEmbedding: number[];
  needsEmbedding: number[] | null;
  /** Only contexts of this workflow are routable (progressive enrichment); null = all. */
  workflowId: string | null;
  /** Only contexts valid at this time are routable (valid time); null = now. */
  validAt: string | null;
}

export interface SearchQuery {
  viewer: Viewer;
  workflowId: string | null;
  embedding: number[];
  /** Words to look up in the fulltext index (see searchTerms); the adapter builds its query syntax. */
  searchTerms: string[];
  k: number;
  /** Only contexts valid at this time (valid time); null = now. */
  validAt: string | null;
}

export interface ContextChange {
  seq: number;
  kind: string;
  contextId: string;
}

export interface RoutingStore {
  candidates(query: CandidateQuery): Promise<RoutingCandidate[]>;
  /** Visible, active contexts one DEPENDS_ON hop (either way) from `seedIds`, not in `excludeIds`. */
  neighbours(
    seedIds: readonly string[],
    excludeIds: readonly string[],
    viewer: Viewer,
    agentId: string | null,
    probe: SimilarityProbe,
  ): Promise<RoutingCandidate[]>;
  /** The stored embeddings of `ids`. */
  embeddings(ids: readonly string[]): Promise<Map<string, number[]>>;
  search(query: SearchQuery): Promise<{ vector: RoutingCandidate[]; fulltext: RoutingCandidate[] }>;
  edgesAmong(ids: readonly string[]): Promise<DependencyEdge[]>;
  /** The current event position (seq of the last committed event). */
  position(): Promise<number>;
  /** The earliest `validFrom` after `time` of any active context: when a context not yet valid starts to be (null: none). */
  nextValidityStart(time: string): Promise<string | null>;
  /** The current event position and, when there are at most `max`, the changes after `sinceSeq`. */
  changesSince(sinceSeq: number, max: number): Promise<{ position: number; changes: ContextChange[] | null }>;
  /** Routing view of specific contexts for one agent (active, unexpired and visible only). */
  candidatesByIds(ids: readonly string[], agentId: string, probe: SimilarityProbe): Promise<RoutingCandidate[]>;
  agentNeedsProfiles(): Promise<AgentNeedsProfile[]>;
}
