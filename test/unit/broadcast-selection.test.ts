import { describe, expect, it } from 'vitest';
import { selectRecipients, type RecipientCandidate } from '../../src/domain/broadcast/selection.js';

const agent = (agentId: string, relevance: RecipientCandidate['relevance'], relevanceThreshold = 0.3): RecipientCandidate => ({
  agentId,
  relevanceThreshold,
  relevance,
});

const policy = { importantBar: 0.6 };

const agents = [
  agent('source', { score: 0.9, explicit: false }),
  agent('legal', { score: 0.82, explicit: false }),
  agent('marketing', { score: 0.45, explicit: false }),
  agent('picky', { score: 0.45, explicit: false }, 0.5),
  agent('named', { score: 0.1, explicit: true }),
  agent('unrelated', null),
];

describe('selective broadcasting', () => {
  it('sends CRITICAL to every agent whose relevance clears its own threshold, and to named agents', () => {
    const recipients = selectRecipients({ priority: 'CRITICAL', sourceAgentId: 'source', visibleTo: null }, agents, policy);
    expect(recipients.map((r) => r.agentId)).toEqual(['legal', 'marketing', 'named']);
    expect(recipients.find((r) => r.agentId === 'legal')?.reason).toBe('CRITICAL: relevance 0.82 ≥ agent threshold 0.30');
    expect(recipients.find((r) => r.agentId === 'named')?.reason).toBe('CRITICAL: named by the publisher (relevance 0.10)');
  });

  it('sends IMPORTANT only above the broadcast bar (or to named agents)', () => {
    const recipients = selectRecipients({ priority: 'IMPORTANT', sourceAgentId: 'source', visibleTo: null }, agents, { importantBar: 0.6 });
    expect(recipients.map((r) => r.agentId)).toEqual(['legal', 'named']);
    expect(recipients[0]?.reason).toBe('IMPORTANT: relevance 0.82 ≥ broadcast bar 0.60');
  });

  it('keeps ROUTINE contexts for asking, never broadcast', () => {
    expect(selectRecipients({ priority: 'ROUTINE', sourceAgentId: 'source', visibleTo: null }, agents, policy)).toEqual([]);
  });

  it('never sends to the source or to an agent that may not read it', () => {
    const recipients = selectRecipients({ priority: 'CRITICAL', sourceAgentId: 'source', visibleTo: ['legal'] }, agents, policy);
    expect(recipients.map((r) => r.agentId)).toEqual(['legal']);
  });
});
