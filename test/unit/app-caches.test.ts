import { describe, expect, it, vi } from 'vitest';
import { AgentDirectory } from '../../src/app/agent-directory.js';
import { AgentProfiles } from '../../src/app/agent-profiles.js';
import { Authenticator, hashApiKey } from '../../src/app/auth.js';
import type { AgentStore } from '../../src/domain/store-ports.js';
import type { Agent } from '../../src/domain/types.js';

const agent = (id: string) => ({ id }) as Agent;
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('AgentDirectory', () => {
  it('loads the ids of one tick in one query, shares it, and keeps the result for the TTL', async () => {
    let now = 5_000; // lru-cache treats a start time of 0 as none
    const getMany = vi.fn(async (ids: readonly string[]) => ids.map((id) => (id === 'ghost' ? null : agent(id))));
    const directory = new AgentDirectory({ getMany } as unknown as AgentStore, 1_000, () => now);
    const [first, second] = await Promise.all([directory.getMany(['a', 'ghost']), directory.get('a')]);
    expect(first).toEqual([agent('a'), null]);
    expect(second).toEqual(agent('a'));
    expect(getMany).toHaveBeenCalledTimes(1);
    await directory.getMany(['a', 'ghost']);
    expect(getMany).toHaveBeenCalledTimes(1);
    now += 1_001;
    await directory.get('a');
    expect(getMany).toHaveBeenCalledTimes(2);
  });

  it('reads an id again once forgotten, and answers callers waiting while it is forgotten', async () => {
    let release = () => {};
    const getMany = vi.fn(async (ids: readonly string[]) => {
      await new Promise<void>((resolve) => (release = resolve));
      return ids.map(agent);
    });
    const directory = new AgentDirectory({ getMany } as unknown as AgentStore);
    const waiting = directory.get('a');
    await settle();
    directory.forget('a');
    release();
    expect(await waiting).toEqual(agent('a'));
    const again = directory.get('a');
    await settle();
    release();
    await again;
    expect(getMany).toHaveBeenCalledTimes(2);
  });

  it('does not keep a failed read', async () => {
    const getMany = vi
      .fn()
      .mockRejectedValueOnce(new Error('down'))
      .mockResolvedValue([agent('a')]);
    const directory = new AgentDirectory({ getMany } as unknown as AgentStore);
    await expect(directory.get('a')).rejects.toThrow('down');
    expect(await directory.get('a')).toEqual(agent('a'));
  });
});

describe('AgentProfiles', () => {
  it('shares one read between concurrent callers, forgets a failure, and re-reads after invalidate', async () => {
    const load = vi.fn().mockRejectedValueOnce(new Error('down')).mockResolvedValue([]);
    const profiles = new AgentProfiles(load);
    await expect(profiles.get()).rejects.toThrow('down');
    await Promise.all([profiles.get(), profiles.get()]);
    expect(load).toHaveBeenCalledTimes(2);
    profiles.invalidate();
    await profiles.get();
    expect(load).toHaveBeenCalledTimes(3);
  });
});

describe('Authenticator', () => {
  const key = 'cm_agent-key';
  const adminKey = 'admin-key-that-is-long-enough';

  it('coalesces concurrent lookups of one key and remembers a known key for the TTL', async () => {
    let now = 5_000; // lru-cache treats a start time of 0 as none
    const findByKeyHash = vi.fn(async (hash: string) => (hash === hashApiKey(key) ? agent('a') : null));
    const auth = new Authenticator({ adminKey, agents: { findByKeyHash } as unknown as AgentStore, cacheTtlMs: 100, now: () => now });
    const viewers = await Promise.all([auth.authenticate(`Bearer ${key}`), auth.authenticate(`Bearer ${key}`)]);
    expect(viewers).toEqual([
      { kind: 'agent', agentId: 'a' },
      { kind: 'agent', agentId: 'a' },
    ]);
    expect(findByKeyHash).toHaveBeenCalledTimes(1);
    now += 101;
    await auth.authenticate(`Bearer ${key}`);
    expect(findByKeyHash).toHaveBeenCalledTimes(2);
    expect(await auth.authenticate(`Bearer ${adminKey}`)).toEqual({ kind: 'admin' });
  });

  it('does not remember unknown keys', async () => {
    const findByKeyHash = vi.fn(async () => null);
    const auth = new Authenticator({ adminKey, agents: { findByKeyHash } as unknown as AgentStore });
    await expect(auth.authenticate('Bearer cm_nobody')).rejects.toThrow('Unknown API key');
    await expect(auth.authenticate('Bearer cm_nobody')).rejects.toThrow('Unknown API key');
    expect(findByKeyHash).toHaveBeenCalledTimes(2);
  });
});
