import { describe, expect, it } from 'vitest';
import type { BusMessage, ContextEventMessage, DeliveryMessage } from '../../src/domain/broadcast/bus.js';
import type { ContextRecord } from '../../src/domain/types.js';
import { InProcessBus } from '../../src/adapters/pubsub/in-process-bus.js';

const record = (id: string): ContextRecord => ({
  id,
  type: 'FINDING',
  text: `context ${id}`,
  content: null,
  tags: [],
  priority: 'ROUTINE',
  status: 'ACTIVE',
  version: 1,
  tokens: 3,
  confidence: 1,
  sourceAgentId: 'source',
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-01T00:00:00.000Z',
  expiresAt: null,
  visibleTo: null,
  createdSeq: 1,
  retractionReason: null,
  workflowId: null,
  validFrom: null,
  validUntil: null,
  staleness: null,
  asOf: null,
});

const delivery = (agentId: string, seq: number): DeliveryMessage => ({
  kind: 'delivery',
  agentId,
  seq,
  prevSeq: seq - 1,
  contextId: `c${seq}`,
  reason: 'test',
  context: record(`c${seq}`),
});

const contextEvent = (seq: number): ContextEventMessage => ({
  kind: 'context',
  seq,
  change: 'PUBLISHED',
  contextId: `c${seq}`,
  context: record(`c${seq}`),
  causeId: null,
});

describe('InProcessBus', () => {
  it('delivers every message to every listener of the topic, in publication order', async () => {
    const bus = new InProcessBus();
    const first: BusMessage[] = [];
    const second: BusMessage[] = [];
    await bus.subscribe({ kind: 'agent', agentId: 'a' }, (m) => first.push(m));
    await bus.subscribe({ kind: 'agent', agentId: 'a' }, (m) => second.push(m));

    const sent = Array.from({ length: 100 }, (_, i) => delivery('a', i + 1));
    await bus.publish({ kind: 'agent', agentId: 'a' }, sent.slice(0, 50));
    for (const message of sent.slice(50)) await bus.publish({ kind: 'agent', agentId: 'a' }, [message]);

    expect(first).toEqual(sent);
    expect(second).toEqual(sent);
    await bus.close();
  });

  it('stops calling a listener once it unsubscribed, and keeps calling the others', async () => {
    const bus = new InProcessBus();
    const kept: BusMessage[] = [];
    const dropped: BusMessage[] = [];
    await bus.subscribe({ kind: 'contexts' }, (m) => kept.push(m));
    const unsubscribe = await bus.subscribe({ kind: 'contexts' }, (m) => dropped.push(m));

    await bus.publish({ kind: 'contexts' }, [contextEvent(1)]);
    await unsubscribe();
    await unsubscribe(); // idempotent: the other listener stays
    await bus.publish({ kind: 'contexts' }, [contextEvent(2)]);

    expect(kept.map((m) => m.seq)).toEqual([1, 2]);
    expect(dropped.map((m) => m.seq)).toEqual([1]);
    await bus.close();
  });

  it('keeps topics apart: agents from each other and from the contexts topic', async () => {
    const bus = new InProcessBus();
    const seen: Record<string, BusMessage[]> = { a: [], b: [], contexts: [] };
    await bus.subscribe({ kind: 'agent', agentId: 'a' }, (m) => seen['a']?.push(m));
    await bus.subscribe({ kind: 'agent', agentId: 'b' }, (m) => seen['b']?.push(m));
    await bus.subscribe({ kind: 'contexts' }, (m) => seen['contexts']?.push(m));

    await bus.publish({ kind: 'agent', agentId: 'a' }, [delivery('a', 1)]);
    await bus.publish({ kind: 'contexts' }, [contextEvent(2)]);
    await bus.publish({ kind: 'agent', agentId: 'nobody' }, [delivery('nobody', 3)]);

    expect(seen['a']?.map((m) => m.seq)).toEqual([1]);
    expect(seen['b']).toEqual([]);
    expect(seen['contexts']?.map((m) => m.seq)).toEqual([2]);
    await bus.close();
  });

  it('delivers nothing after close', async () => {
    const bus = new InProcessBus();
    const seen: BusMessage[] = [];
    await bus.subscribe({ kind: 'contexts' }, (m) => seen.push(m));
    await bus.close();
    await bus.publish({ kind: 'contexts' }, [contextEvent(1)]);
    expect(seen).toEqual([]);
  });
});
