/**
 * Conformance: exec is all or nothing, in order, with the same refusals on every backend.
 */
import { describe, expect, it } from 'vitest';
import type { WriteOp } from '../../src/store/types.js';
import type { ConformanceContext } from './store-conformance-context.js';

export function execSuite({ store, k }: ConformanceContext): void {
  const wrongType = { code: 'internal', message: expect.stringContaining('WRONGTYPE') };

  describe('exec', () => {
    it('applies every op of a batch', async () => {
      await store().exec([
        { op: 'set', key: k('s'), value: 'v' },
        { op: 'hset', key: k('h'), values: { a: '1' } },
        { op: 'sadd', key: k('set'), members: ['m'] },
        { op: 'zadd', key: k('z'), members: ['m'] },
      ]);
      expect(await store().get(k('s'))).toBe('v');
      expect(await store().hgetall(k('h'))).toEqual({ a: '1' });
      expect(await store().smembers(k('set'))).toEqual(['m']);
      expect(await store().zrangeByLex(k('z'), { limit: 10 })).toEqual(['m']);
    });

    it('an empty batch does nothing and succeeds', async () => {
      await expect(store().exec([])).resolves.toBeUndefined();
    });

    it('applies ops in order: set then del leaves nothing, del then set leaves the value', async () => {
      await store().exec([
        { op: 'set', key: k('a'), value: '1' },
        { op: 'del', key: k('a') },
        { op: 'del', key: k('b') },
        { op: 'set', key: k('b'), value: '2' },
      ]);
      expect(await store().get(k('a'))).toBeNull();
      expect(await store().get(k('b'))).toBe('2');
    });

    it('a batch with an op on a key of the wrong type fails and leaves earlier ops unapplied', async () => {
      await store().exec([{ op: 'set', key: k('str'), value: 'keep' }]);
      const batch: WriteOp[] = [
        { op: 'set', key: k('a'), value: '1' },
        { op: 'hset', key: k('h'), values: { f: 'v' } },
        { op: 'zadd', key: k('z'), members: ['m'] },
        { op: 'del', key: k('other') },
        { op: 'hset', key: k('str'), values: { f: 'v' } },
        { op: 'sadd', key: k('after'), members: ['m'] },
      ];
      // Same text from both backends (the Redis one comes from the Lua script).
      await expect(store().exec(batch)).rejects.toMatchObject({
        code: 'internal',
        message: `WRONGTYPE op #5 (hset) needs a hash but ${k('str')} holds a string`,
      });
      expect(await store().get(k('a'))).toBeNull();
      expect(await store().hlen(k('h'))).toBe(0);
      expect(await store().zcard(k('z'))).toBe(0);
      expect(await store().smembers(k('after'))).toEqual([]);
      expect(await store().get(k('str'))).toBe('keep');
    });

    it('the type check follows the batch: a key set to a string earlier in the batch cannot take hset', async () => {
      await expect(
        store().exec([
          { op: 'set', key: k('x'), value: 'v' },
          { op: 'hset', key: k('x'), values: { f: 'v' } },
        ]),
      ).rejects.toMatchObject(wrongType);
      expect(await store().pttl(k('x'))).toBe(-2);
    });

    it('the type check follows the batch: del then hset turns a string into a hash', async () => {
      await store().exec([{ op: 'set', key: k('x'), value: 'v' }]);
      await store().exec([
        { op: 'del', key: k('x') },
        { op: 'hset', key: k('x'), values: { f: 'v' } },
      ]);
      expect(await store().hgetall(k('x'))).toEqual({ f: 'v' });
    });

    it('set replaces a key of any type, as Redis SET does', async () => {
      await store().exec([{ op: 'sadd', key: k('x'), members: ['m'] }]);
      await store().exec([{ op: 'set', key: k('x'), value: 'v' }]);
      expect(await store().get(k('x'))).toBe('v');
    });

    it('a malformed op (fractional TTL) fails the batch before anything is written', async () => {
      await expect(
        store().exec([
          { op: 'set', key: k('a'), value: '1' },
          { op: 'pexpire', key: k('a'), ttlMs: 1.5 },
        ]),
      ).rejects.toMatchObject({ code: 'internal' });
      expect(await store().get(k('a'))).toBeNull();
    });

    it('set with ttlMs sets an expiry and a later pexpire replaces it', async () => {
      await store().exec([{ op: 'set', key: k('a'), value: '1', ttlMs: 60_000 }]);
      expect(await store().pttl(k('a'))).toBeGreaterThan(59_000);
      await store().exec([{ op: 'pexpire', key: k('a'), ttlMs: 5_000 }]);
      const ttl = await store().pttl(k('a'));
      expect(ttl).toBeLessThanOrEqual(5_000);
      expect(ttl).toBeGreaterThan(4_000);
    });

    it('hset, sadd and zadd with nothing to add create no key', async () => {
      await store().exec([
        { op: 'hset', key: k('h'), values: {} },
        { op: 'sadd', key: k('s'), members: [] },
        { op: 'zadd', key: k('z'), members: [] },
        { op: 'hdel', key: k('h'), fields: [] },
      ]);
      for (const key of ['h', 's', 'z']) expect(await store().pttl(k(key))).toBe(-2);
    });

    it('large ops apply whole: a hash of 5000 fields and a sorted set of 5000 members', async () => {
      const fields = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`f${i}`, `v${i}`]));
      const members = Array.from({ length: 5000 }, (_, i) => `m${String(i).padStart(5, '0')}`);
      await store().exec([
        { op: 'hset', key: k('h'), values: fields },
        { op: 'zadd', key: k('z'), members },
      ]);
      expect(await store().hlen(k('h'))).toBe(5000);
      expect(await store().zcard(k('z'))).toBe(5000);
      expect(await store().zrangeByLex(k('z'), { after: 'm04997', limit: 10 })).toEqual(['m04998', 'm04999']);
    });
  });
}
