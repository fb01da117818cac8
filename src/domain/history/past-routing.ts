/**
 * `contextFor` and `searchContext` as of an event seq (time travel of the router). Two ways to answer:
 *
 * - **Recorded**: the package log holds the answer to the same request computed at a position p with no event
 *   in (p, seq] (the mesh had not changed since): that answer is returned as it was, exact by construction.
 * - **Recomputed**: the router's own pipeline over the mesh as of the seq (`RoutingReads` bound to the point):
 *   each context at its version then, judged at the time of that event.
 *
 * Plain data, ports and the matching rules; the use-case is src/app/history/past-routing.ts.
 */
import type { RoutingStore } from '../routing/ports.js';
import type { ContextRecord, AsOfPoint } from '../types.js';
import type { PackageBody, PackageRecord } from './package-records.js';

/**
 * The reads one routing computation makes: the current store (and clock), or the mesh as of a seq. The router
 * runs the same stages over either, so a past answer is ranked, packed and compressed by the same code.
 */
export interface RoutingReads extends Pick<
  RoutingStore,
  'position' | 'candidates' | 'neighbours' | 'embeddings' | 'edgesAmong' | 'search'
> {
  /** The time the answer is judged at: recency of the scores (the reads judge expiry at the same time). */
  now(): Date;
}

/** The log around a seq: the last event at or before it, and the time of the first event after it. */
export interface LogAround {
  /** Null before the first event. */
  lastSeq: number | null;
  lastAt: string | null;
  nextAt: string | null;
}

/** Recorded contextFor answers worth checking for one request (a prefilter: `answersRequest` decides). */
export interface RecordedAnswerQuery {
  agentId: string;
  task: string;
  /** Positions the answer may have been computed at. */
  positions: readonly number[];
  /** Recorded at or after `from`, before `to` (null: unbounded). */
  from: string | null;
  to: string | null;
  limit: number;
}

export interface PastRoutingStore {
  /**
   * The routing reads of the mesh as it was at `point`: contexts at their versions then (by each version's own
   * visibility), statuses and expiry judged at the time of the point, valid time there unless asked, similarity
   * to each version's text.
   */
  asOf(point: AsOfPoint): RoutingReads;
  logAround(seq: number): Promise<LogAround>;
  /** Newest first; replays are never included (their packages were adjusted, not routed). */
  recordedAnswers(query: RecordedAnswerQuery): Promise<PackageRecord[]>;
}

/** What makes two contextFor requests the same question (the agent's id aside). */
export interface RouteQuestion {
  task: string;
  /** As resolved: the requested budget, or the agent's default. */
  budget: number;
  workflowId: string | null;
  /** The valid time asked for; null: the time of the answer. */
  validAt: string | null;
}

/** Positions looked at, at most: a run of seqs without events is short (seqs are reserved by committed writes). */
export const MAX_UNCHANGED_POSITIONS = 20;

/**
 * The positions p <= `seq` with no event in (p, seq]: from the last event at or before `seq` (0 before any) up
 * to `seq`, newest first. An answer computed at any of them answered the state at `seq`.
 */
export function unchangedPositions(lastEventSeq: number | null, seq: number): number[] {
  const from = Math.max(lastEventSeq ?? 0, seq - MAX_UNCHANGED_POSITIONS + 1, 0);
  const positions: number[] = [];
  for (let p = seq; p >= from; p -= 1) positions.push(p);
  return positions;
}

/** An answer at position p is recorded after event p (its clock, give or take this) ... */
export const RECORD_CLOCK_SKEW_MS = 60_000;
/** ... and before the next event plus the longest a computation may take (LLM compression included). */
export const RECORD_AFTER_NEXT_EVENT_MS = 5 * 60_000;

/**
 * When an answer computed at one of the positions can have been recorded: after the last event (less the skew
 * between two processes' clocks), before the next one (plus the computation's length). Only bounds the search.
 */
export function recordWindow(around: LogAround): { from: string | null; to: string | null } {
  const shift = (at: string | null, ms: number) => (at === null ? null : new Date(Date.parse(at) + ms).toISOString());
  return { from: shift(around.lastAt, -RECORD_CLOCK_SKEW_MS), to: shift(around.nextAt, RECORD_AFTER_NEXT_EVENT_MS) };
}

/** True when `record` answered `question` for `agentId` at one of `positions` (and is no replay). */
export function answersRequest(record: PackageRecord, agentId: string, question: RouteQuestion, positions: readonly number[]): boolean {
  const body = record.body;
  return (
    record.agentId === agentId &&
    record.replayOf === null &&
    body.task === question.task &&
    body.budget === question.budget &&
    body.workflowId === question.workflowId &&
    (body.validAt ?? null) === question.validAt &&
    positions.includes(body.asOf)
  );
}

/** Every context a package names: items, what it summarised, what it dropped and what those duplicated. */
export function mentionedIds(body: PackageBody): string[] {
  const ids = [
    ...body.items.map((item) => item.contextId),
    ...(body.compressed?.originalContextIds ?? []),
    ...body.dropped.flatMap((d) => (d.duplicateOf === null ? [d.contextId] : [d.contextId, d.duplicateOf])),
  ];
  return [...new Set(ids)];
}

/**
 * Whether a recorded package is an answer about the state at the point: every item at the version the agent
 * could read then, every other context it names readable then. A package whose computation raced a write
 * (its position read before the write, its data after) fails this and is recomputed instead.
 */
export function holdsAt(body: PackageBody, asOfPoint: ReadonlyMap<string, ContextRecord>): boolean {
  const items = new Set(body.items.map((item) => item.contextId));
  return (
    body.items.every((item) => asOfPoint.get(item.contextId)?.version === item.version) &&
    mentionedIds(body).every((id) => items.has(id) || asOfPoint.has(id))
  );
}
