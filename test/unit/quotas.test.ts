import { describe, expect, it } from 'vitest';
import { grantedBudget, quotaWindow, retryAfterSeconds } from '../../src/domain/quotas.js';

describe('token quota rules', () => {
  it('aligns periods to the epoch, so every replica agrees on the window', () => {
    const now = Date.parse('2026-12-04T17:42:10.500Z');
    expect(quotaWindow(now, 3600)).toEqual({ startMs: Date.parse('2026-12-04T17:00:00Z'), endMs: Date.parse('2026-12-04T18:00:00Z') });
    expect(quotaWindow(now, 86_400)).toEqual({ startMs: Date.parse('2026-12-04T00:00:00Z'), endMs: Date.parse('2026-12-05T00:00:00Z') });
    const edge = Date.parse('2026-12-04T18:00:00Z');
    expect(quotaWindow(edge, 3600).startMs).toBe(edge);
  });

  it('tells a client to retry when the window ends, never in 0 s', () => {
    const window = quotaWindow(Date.parse('2026-12-04T17:59:59.200Z'), 3600);
    expect(retryAfterSeconds(window, Date.parse('2026-12-04T17:59:59.200Z'))).toBe(1);
    expect(retryAfterSeconds(window, Date.parse('2026-12-04T17:00:00Z'))).toBe(3600);
    expect(retryAfterSeconds(window, window.endMs)).toBe(1);
  });

  it('grants the budget asked for, cut to what is left, and nothing below the smallest useful budget', () => {
    expect(grantedBudget(500, 1000, 0, 16)).toBe(500);
    expect(grantedBudget(500, 1000, 700, 16)).toBe(300);
    expect(grantedBudget(500, 1000, 990, 16)).toBe(0);
    expect(grantedBudget(500, 1000, 1200, 16)).toBe(0);
    expect(grantedBudget(10, 1000, 0, 16)).toBe(0);
    expect(grantedBudget(500, 1000, 500, 500)).toBe(500);
    expect(grantedBudget(500, 1000, 501, 500)).toBe(0);
  });
});
