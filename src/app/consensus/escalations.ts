import { z } from 'zod';
import { assertMayActAs } from '../../domain/acting-as.js';
import type { BusMessage, ConflictMessage, MessageBus } from '../../domain/broadcast/bus.js';
import { CONFLICT_STATUSES, type ConflictEscalation, type ConflictRecord } from '../../domain/consensus/conflict.js';
import type { EscalationRule } from '../../domain/consensus/escalation.js';
import type { ConsensusStore } from '../../domain/consensus/ports.js';
import { normalizeTopic } from '../../domain/context-map.js';
import { BadInputError, ForbiddenError, NotFoundError } from '../../domain/errors.js';
import type { Agent, Viewer } from '../../domain/types.js';
import { AsyncQueue } from '../broadcast/async-queue.js';
import { agentId as agentIdSchema, claimKey, parseInput, seq } from '../validation.js';

export interface EscalationDeps {
  store: ConsensusStore;
  bus: MessageBus;
  /** Agents by id (NOT_FOUND checks); `forget` drops a cached record after its trust changed. */
  agents: { getMany(ids: readonly string[]): Promise<(Agent | null)[]>; forget(id: string): void };
  onError?: (error: unknown, what: string) => void;
  /** Escalations read from the log per round trip while replaying. Default 200. */
  pageSize?: number;
}

const firstSchema = z.number().int().min(1, 'must be between 1 and 200').max(200, 'must be between 1 and 200');
const trustSchema = z.number().min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1');
const tagSchema = z.string().trim().min(1, 'must not be empty').max(100).transform(normalizeTopic);

function assertAdmin(viewer: Viewer, what: string): void {
  if (viewer.kind !== 'admin') throw new ForbiddenError(`Only an admin may ${what}`);
}

/** Conflicts: the list, the escalation feeds (replay then live), and the admin settings they depend on. */
export class Escalations {
  private readonly pageSize: number;

  constructor(private readonly deps: EscalationDeps) {
    this.pageSize = deps.pageSize ?? 200;
  }

  /** Conflicts the viewer may read (admins: all; agents: those escalated to them or whose every input they may read), newest first. */
  conflicts(viewer: Viewer, rawStatus: unknown, rawClaim: unknown, rawFirst: unknown): Promise<ConflictRecord[]> {
    const status = parseInput(z.enum(CONFLICT_STATUSES).nullish(), rawStatus, 'status') ?? null;
    const claim = parseInput(claimKey.nullish(), rawClaim, 'claim') ?? null;
    const first = parseInput(firstSchema, rawFirst ?? 50, 'first');
    return this.deps.store.conflicts(viewer, status, claim, first);
  }

  async setAgentTrust(viewer: Viewer, rawAgentId: unknown, rawTrust: unknown): Promise<Agent> {
    assertAdmin(viewer, 'set agent trust');
    const agentId = parseInput(agentIdSchema, rawAgentId, 'agentId');
    const trust = parseInput(trustSchema, rawTrust, 'trust');
    const agent = await this.deps.store.setAgentTrust(agentId, trust);
    if (!agent) throw new NotFoundError('Agent', [agentId]);
    this.deps.agents.forget(agentId);
    return agent;
  }

  /** Sets (or, with no agents, removes) the escalation agents of a claim or a tag; exactly one of the two. */
  async setEscalation(viewer: Viewer, rawClaim: unknown, rawTag: unknown, rawAgentIds: unknown): Promise<EscalationRule> {
    assertAdmin(viewer, 'set escalation rules');
    const claim = parseInput(claimKey.nullish(), rawClaim, 'claim') ?? null;
    const tag = parseInput(tagSchema.nullish(), rawTag, 'tag') ?? null;
    const agentIds = parseInput(z.array(agentIdSchema).max(100), rawAgentIds, 'agentIds');
    if ((claim === null) === (tag === null))
      throw new BadInputError('setEscalation takes exactly one of claim and tag', [{ path: ['claim'], message: 'give claim or tag' }]);
    const unique = [...new Set(agentIds)];
    const found = await this.deps.agents.getMany(unique);
    const missing = unique.filter((_, index) => !found[index]);
    if (missing.length > 0) throw new NotFoundError('Agent', missing);
    return this.deps.store.setEscalation({ claim, tag, agentIds: unique });
  }

  /**
   * conflictEscalated: an agent's own escalations (`agentId`; an agent's default), or with the admin key and no
   * agentId every conflict. Replays the durable log after `afterSeq` (default 0: everything), then continues live,
   * in seq order, with no gap or duplicate (each entry names the feed's previous one, as contextBroadcast does).
   */
  async stream(viewer: Viewer, rawAgentId: unknown, rawAfterSeq: unknown): Promise<AsyncIterableIterator<ConflictEscalation>> {
    const requested = parseInput(agentIdSchema.nullish(), rawAgentId, 'agentId') ?? null;
    const agentId = requested ?? (viewer.kind === 'agent' ? viewer.agentId : null);
    if (agentId !== null) {
      assertMayActAs(viewer, agentId, 'follow the escalations of');
      const [agent] = await this.deps.agents.getMany([agentId]);
      if (!agent) throw new NotFoundError('Agent', [agentId]);
    }
    let last = parseInput(seq.nullish(), rawAfterSeq, 'afterSeq') ?? 0;

    let unsubscribe: () => Promise<void> = async () => undefined;
    const queue = new AsyncQueue<ConflictEscalation>(() => unsubscribe());
    const readLog = async () => {
      for (;;) {
        const page = await this.deps.store.escalationsAfter(agentId, last, this.pageSize);
        for (const entry of page) {
          queue.push(entry);
          last = entry.seq;
        }
        if (page.length < this.pageSize) return;
      }
    };
    const onLive = async (message: ConflictMessage) => {
      if (message.seq <= last) return; // read from the log already (the seam) or a repeat
      if (message.prevSeq !== last) return readLog(); // a gap: the log has what the bus lost
      queue.push({ seq: message.seq, prevSeq: message.prevSeq, conflict: message.conflict });
      last = message.seq;
    };
    // Subscribe first (nothing committed meanwhile is missed), replay the log, then what arrived, in order.
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    let chain: Promise<void> = gate.then(readLog);
    const handle = (work: () => Promise<void>) => {
      chain = chain.then(work).catch((error: unknown) => {
        this.deps.onError?.(error, `conflict escalations of ${agentId ?? 'admins'}`);
        queue.fail(error);
      });
    };
    const topic = agentId === null ? ({ kind: 'conflicts' } as const) : ({ kind: 'agent', agentId } as const);
    unsubscribe = await this.deps.bus.subscribe(topic, (message: BusMessage) => {
      if (message.kind === 'conflict' && message.agentId === agentId) handle(() => onLive(message));
    });
    handle(async () => undefined);
    release();
    return queue;
  }
}
