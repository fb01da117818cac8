import type { MappedContext, StepFailure } from './context-map.js';
import type { PackageRecord, TimeRange } from './history/package-records.js';
import type { Viewer } from './types.js';

/** A step failure to record (`id` deterministic where a retry must not record it twice; `at` null: the store's now). */
export type NewStepFailure = Omit<StepFailure, 'policyId' | 'at'> & { at: string | null };

/** What a step's agent may read in a workflow: the types and tags of its readable, not retracted contexts. */
export interface ReadableTopics {
  types: string[];
  tags: string[];
}

/** The reads of the Context Map from traffic (src/adapters/neo4j/context-map-store.ts); every context read applies `viewer`. */
export interface ContextMapStore {
  /** Every package given in the range, newest first, at most `first`. */
  packagesInRange(range: TimeRange, first: number): Promise<PackageRecord[]>;
  /** The contexts with these ids, each with whether `viewer` may read it (absent ids are left out). */
  contextsByIds(ids: readonly string[], viewer: Viewer): Promise<MappedContext[]>;
  /** Contexts created in the range (in the workflow when given), newest first, at most `first`. */
  publishedInRange(workflowId: string | null, range: TimeRange, first: number, viewer: Viewer): Promise<MappedContext[]>;
  /** Contexts within `depth` DEPENDS_ON hops of the roots (roots included), at most `first`, and the edges among them. */
  dependencyClosure(
    rootIds: readonly string[],
    depth: number,
    first: number,
    viewer: Viewer,
  ): Promise<{ nodes: MappedContext[]; edges: { from: string; to: string }[] }>;
  /** Recorded step failures and WARN policy violations in the range (of the workflow when given), newest first. */
  stepFailures(workflowId: string | null, range: TimeRange, first: number): Promise<StepFailure[]>;
}

/** Where the workflow use-cases record failures, each in its own small write (never inside the failing transaction). */
export interface StepFailureRecorder {
  /** Records it once per id (a repeated id is ignored). */
  record(failure: NewStepFailure): Promise<void>;
  /** Types and tags of the contexts in the workflow `agentId` may read (not retracted). */
  readableTopics(workflowId: string, agentId: string): Promise<ReadableTopics>;
}
