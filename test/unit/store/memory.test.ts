/**
 * What only the memory store needs proving beyond the shared conformance suite: exact expiry with
 * an injected clock, and that expired keys are swept so memory does not grow.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMemoryStore, type MemoryStore } from '../../../src/store/memory.js';

describe('memory store expiry', () => {
  let now = 1_000_000;
  let store: MemoryStore | undefined;
  afterEach(async () => {
    await store?.close();
  });

  it('a key lives until its expiry instant inclusive (pttl 0) and is gone one millisecond later, as in Redis', async () => {
    store = createMemoryStore({ now: () => now });
    await store.setIfAbsent('k', 'v', 1_000);
    now += 400;
    expect(await store.pttl('k')).toBe(600);
    now += 600;
    expect(await store.pttl('k')).toBe(0);
    expect(await store.get('k')).toBe('v');
    now += 1;
    expect(await store.pttl('k')).toBe(-2);
    expect(await store.get('k')).toBeNull();
  });

  it('expired keys are swept without being read, so memory does not grow', async () => {
    // The sweep is an interval timer: fake timers run it at once instead of waiting for it.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      store = createMemoryStore({ now: () => now, sweepIntervalMs: 10 });
      for (let i = 0; i < 100; i++) await store.setIfAbsent(`nonce:${i}`, '1', 50);
      await store.exec([{ op: 'set', key: 'keep', value: 'v' }]);
      expect(store.keyCount()).toBe(101);
      now += 51;
      expect(store.keyCount()).toBe(101);
      vi.advanceTimersByTime(10);
      expect(store.keyCount()).toBe(1);
      expect(await store.get('keep')).toBe('v');
      await store.close();
    } finally {
      vi.useRealTimers();
    }
  });

  it('a collection with a TTL expires whole', async () => {
    store = createMemoryStore({ now: () => now });
    await store.exec([
      { op: 'hset', key: 'h', values: { a: '1' } },
      { op: 'pexpire', key: 'h', ttlMs: 10 },
    ]);
    now += 11;
    expect(await store.hgetall('h')).toEqual({});
    expect(await store.exec([{ op: 'sadd', key: 'h', members: ['now a set'] }])).toBeUndefined();
  });

  it('close stops the sweep timer (the process can exit) and refuses further calls', async () => {
    store = createMemoryStore();
    await store.close();
    await expect(store.get('k')).rejects.toMatchObject({ code: 'store_unavailable' });
  });
});
