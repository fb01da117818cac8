/**
 * Consensus maths (pure): positions normalised and grouped, weights, agreement.
 *
 * - A position is normalised by trimming, collapsing inner whitespace and case-folding.
 * - Two numeric positions agree when they differ by at most `tolerance` relative to the larger magnitude
 *   (`|a - b| <= tolerance * max(|a|, |b|)`; two zeros agree). Numbers may carry a trailing `%` or a unit word
 *   after them is not allowed: `0.15`, `15%`, `-3`, `1e3` are numeric; `15 dollars` is text.
 * - Groups are formed heaviest input first: an input joins the first group whose anchor (its heaviest member)
 *   agrees with it, else it starts a group. Text positions agree only when equal after normalisation.
 * - Agreement = weight of the leading group / total weight (0 when the total is 0).
 * - Ties: groups are ordered by weight, then by number of inputs, then by the heaviest single input, then by
 *   position text (ascending), so the leader is always the same for the same inputs. `tied` says when the
 *   leader's weight equals the runner-up's: that leader then won only on the later rules.
 */

export const WEIGHT_BY = ['CONFIDENCE', 'EQUAL', 'AGENT_TRUST'] as const;
export type WeightBy = (typeof WEIGHT_BY)[number];

/** Trust an agent has until an admin sets one (setAgentTrust). */
export const DEFAULT_AGENT_TRUST = 0.5;
export const DEFAULT_TOLERANCE = 0.05;
export const DEFAULT_MINIMUM_AGREEMENT = 0.7;

/** One input of a consensus: a context, who produced it, its position and what it may be weighted by. */
export interface ConsensusInput {
  contextId: string;
  agentId: string;
  position: string;
  confidence: number;
  /** The producing agent's trust (0..1). */
  trust: number;
}

export interface PositionGroup {
  /** The normalised position of the group's heaviest input. */
  position: string;
  /** Numeric value of `position`, null for text. */
  value: number | null;
  weight: number;
  /** weight / total weight. */
  share: number;
  agentIds: string[];
  contextIds: string[];
}

export interface ConsensusOutcome {
  /** Best first (see the tie rules above). */
  groups: PositionGroup[];
  totalWeight: number;
  agreement: number;
  /** The leading position; null only when there are no inputs. */
  position: string | null;
  /** The leader's weight equals the runner-up's. */
  tied: boolean;
}

export function normalizePosition(position: string): string {
  return position.trim().replace(/\s+/g, ' ').toLowerCase();
}

const NUMERIC = /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?%?$/;

/** The number a normalised position states, or null when it is text. `15%` is 0.15. */
export function numericValue(normalised: string): number | null {
  const compact = normalised.replace(/,/g, '').replace(/ %$/, '%');
  if (!NUMERIC.test(compact)) return null;
  const percent = compact.endsWith('%');
  const value = Number(percent ? compact.slice(0, -1) : compact);
  if (!Number.isFinite(value)) return null;
  return percent ? value / 100 : value;
}

/** Numeric agreement within a relative tolerance. */
export function withinTolerance(a: number, b: number, tolerance: number): boolean {
  const scale = Math.max(Math.abs(a), Math.abs(b));
  if (scale === 0) return true;
  return Math.abs(a - b) <= tolerance * scale + Number.EPSILON * scale;
}

export function weightOf(input: Pick<ConsensusInput, 'confidence' | 'trust'>, weightBy: WeightBy): number {
  switch (weightBy) {
    case 'CONFIDENCE':
      return input.confidence;
    case 'EQUAL':
      return 1;
    case 'AGENT_TRUST':
      return input.trust;
    default: {
      const unreachable: never = weightBy;
      return unreachable;
    }
  }
}

interface Building {
  position: string;
  value: number | null;
  weight: number;
  heaviest: number;
  agentIds: string[];
  contextIds: string[];
}

const agrees = (group: Building, position: string, value: number | null, tolerance: number) =>
  group.value !== null && value !== null ? withinTolerance(group.value, value, tolerance) : group.position === position;

/** Groups the inputs by position and measures agreement. */
export function computeConsensus(inputs: readonly ConsensusInput[], weightBy: WeightBy, tolerance = DEFAULT_TOLERANCE): ConsensusOutcome {
  const weighted = inputs
    .map((input) => {
      const position = normalizePosition(input.position);
      return { input, position, value: numericValue(position), weight: Math.max(0, weightOf(input, weightBy)) };
    })
    // Heaviest first; equal weights in a stable order (position, then context id).
    .sort((a, b) => b.weight - a.weight || a.position.localeCompare(b.position) || a.input.contextId.localeCompare(b.input.contextId));
  const groups: Building[] = [];
  for (const item of weighted) {
    let group = groups.find((g) => agrees(g, item.position, item.value, tolerance));
    if (!group) {
      group = { position: item.position, value: item.value, weight: 0, heaviest: item.weight, agentIds: [], contextIds: [] };
      groups.push(group);
    }
    group.weight += item.weight;
    group.contextIds.push(item.input.contextId);
    if (!group.agentIds.includes(item.input.agentId)) group.agentIds.push(item.input.agentId);
  }
  const totalWeight = groups.reduce((sum, g) => sum + g.weight, 0);
  groups.sort(
    (a, b) =>
      b.weight - a.weight || b.contextIds.length - a.contextIds.length || b.heaviest - a.heaviest || a.position.localeCompare(b.position),
  );
  const [first, second] = groups;
  return {
    groups: groups.map(({ heaviest: _heaviest, ...g }) => ({ ...g, share: totalWeight > 0 ? g.weight / totalWeight : 0 })),
    totalWeight,
    agreement: first && totalWeight > 0 ? first.weight / totalWeight : 0,
    position: first?.position ?? null,
    tied: first !== undefined && second !== undefined && second.weight === first.weight,
  };
}
