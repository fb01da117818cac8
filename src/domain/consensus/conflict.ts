import type { WeightBy } from './agreement.js';

/** A recorded disagreement (buildConsensus below `minimumAgreement` with escalation on) and its resolution. */

export const CONFLICT_STATUSES = ['OPEN', 'RESOLVED'] as const;
export type ConflictStatus = (typeof CONFLICT_STATUSES)[number];

export interface RecordedPosition {
  position: string;
  weight: number;
  share: number;
  agentIds: string[];
  contextIds: string[];
}

export interface ConflictRecord {
  id: string;
  claim: string | null;
  status: ConflictStatus;
  positions: RecordedPosition[];
  agreement: number;
  totalWeight: number;
  weightBy: WeightBy;
  tolerance: number;
  minimumAgreement: number;
  agentIds: string[];
  inputIds: string[];
  /** Agents it was delivered to (setEscalation rules, else CONSENSUS_ESCALATION_AGENTS); admins always see it. */
  escalatedTo: string[];
  createdAt: string;
  createdBy: string;
  /** Event seq reserved when it was recorded: every feed of conflicts is ordered by it. */
  seq: number;
  /** Seq of the conflict recorded before it (0 for the first): the admins' feed of all conflicts chains by it. */
  prevSeq: number;
  resolution: ConflictResolution | null;
}

export interface ConflictResolution {
  position: string;
  rationale: string | null;
  resolvedBy: string;
  resolvedAt: string;
  consensusId: string;
}

/** A conflict to record, before it gets its seq. */
export type NewConflict = Omit<ConflictRecord, 'seq' | 'prevSeq' | 'resolution' | 'status'>;

/** One escalation in a feed: an agent's (prevSeq: its previous escalation) or the admins' feed of all conflicts. */
export interface ConflictEscalation {
  seq: number;
  prevSeq: number;
  conflict: ConflictRecord;
}

/** Who may settle a conflict: an admin, or an agent it was escalated to. */
export function maySettle(viewer: { kind: 'admin' } | { kind: 'agent'; agentId: string }, conflict: ConflictRecord): boolean {
  return viewer.kind === 'admin' || conflict.escalatedTo.includes(viewer.agentId);
}
