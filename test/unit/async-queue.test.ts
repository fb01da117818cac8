import { describe, expect, it, vi } from 'vitest';
import { AsyncQueue } from '../../src/app/broadcast/async-queue.js';

describe('AsyncQueue', () => {
  it('buffers what is pushed before it is pulled, in order', async () => {
    const queue = new AsyncQueue<number>();
    queue.push(1);
    queue.push(2);
    expect(await queue.next()).toEqual({ value: 1, done: false });
    expect(await queue.next()).toEqual({ value: 2, done: false });
  });

  it('hands a push to a consumer already waiting', async () => {
    const queue = new AsyncQueue<string>();
    const next = queue.next();
    queue.push('a');
    expect(await next).toEqual({ value: 'a', done: false });
  });

  it('runs the cleanup once however often it is closed, and ends a waiting consumer', async () => {
    const cleanup = vi.fn();
    const queue = new AsyncQueue<number>(cleanup);
    const waiting = queue.next();
    await Promise.all([queue.return(), queue.return()]);
    await queue.throw(new Error('ignored')).catch(() => undefined);
    expect(await waiting).toEqual({ value: undefined, done: true });
    expect(cleanup).toHaveBeenCalledTimes(1);
    queue.push(1);
    expect(await queue.next()).toEqual({ value: undefined, done: true });
  });

  it('rejects a waiting consumer with the failure, not a normal end (issue 7)', async () => {
    const cleanup = vi.fn();
    const queue = new AsyncQueue<number>(cleanup);
    const waiting = queue.next();
    const failure = new Error('database unavailable');
    queue.fail(failure);
    await expect(waiting).rejects.toBe(failure);
    expect(cleanup).toHaveBeenCalledTimes(1);
    expect(await queue.next()).toEqual({ value: undefined, done: true });
  });

  it('delivers what was buffered before a failure, then the failure', async () => {
    const cleanup = vi.fn();
    const queue = new AsyncQueue<number>(cleanup);
    queue.push(1);
    queue.fail(new Error('lost the bus'));
    queue.push(2); // after the failure: dropped
    expect(await queue.next()).toEqual({ value: 1, done: false });
    await expect(queue.next()).rejects.toThrow('lost the bus');
    expect(cleanup).toHaveBeenCalledTimes(1);
  });

  it('ends a for-await loop with the failure', async () => {
    const queue = new AsyncQueue<number>();
    const seen: number[] = [];
    const loop = (async () => {
      for await (const item of queue) seen.push(item);
    })();
    queue.push(1);
    await new Promise((resolve) => setTimeout(resolve, 0));
    queue.fail(new Error('boom'));
    await expect(loop).rejects.toThrow('boom');
    expect(seen).toEqual([1]);
  });
});
