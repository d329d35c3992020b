/**
 * Conformance: strings, TTLs, locks, hashes, sets, sorted-set pagination and type errors.
 */
import { describe, expect, it } from 'vitest';
import { byteOrder, type ConformanceContext } from './store-conformance-context.js';

// Expiry tests on a real Redis wait out a TTL: tens of milliseconds keep that short, and twice the
// TTL leaves a margin that needs no precise timer (Redis measures TTLs from command execution).
const SHORT_TTL_MS = 20;

export function readsSuite({ store, k, elapse }: ConformanceContext): void {
  describe('strings, TTL and locks', () => {
    it('get answers null for a key that does not exist', async () => {
      expect(await store().get(k('nothing'))).toBeNull();
    });

    it('take answers a string key\'s value and deletes the key; null when absent', async () => {
      await store().exec([{ op: 'set', key: k('ticket'), value: 'payload', ttlMs: 10_000 }]);
      expect(await store().take(k('ticket'))).toBe('payload');
      expect(await store().pttl(k('ticket'))).toBe(-2);
      expect(await store().take(k('ticket'))).toBeNull();
      expect(await store().take(k('never'))).toBeNull();
    });

    it('take: of 10 concurrent takers of one key exactly one receives the value', async () => {
      await store().exec([{ op: 'set', key: k('ticket'), value: 'once' }]);
      const results = await Promise.all(Array.from({ length: 10 }, () => store().take(k('ticket'))));
      expect(results.filter((r) => r === 'once')).toHaveLength(1);
      expect(results.filter((r) => r === null)).toHaveLength(9);
    });

    it('take of an expired key answers null', async () => {
      await store().exec([{ op: 'set', key: k('ticket'), value: 'v', ttlMs: SHORT_TTL_MS }]);
      await elapse(SHORT_TTL_MS * 2);
      expect(await store().take(k('ticket'))).toBeNull();
    });

    it('setIfAbsent creates a missing key and answers true', async () => {
      expect(await store().setIfAbsent(k('lock'), 'owner-1', 10_000)).toBe(true);
      expect(await store().get(k('lock'))).toBe('owner-1');
    });

    it('setIfAbsent leaves an existing key untouched and answers false', async () => {
      await store().setIfAbsent(k('lock'), 'owner-1', 10_000);
      expect(await store().setIfAbsent(k('lock'), 'owner-2', 10_000)).toBe(false);
      expect(await store().get(k('lock'))).toBe('owner-1');
    });

    it('setIfAbsent answers false when the key holds another type', async () => {
      await store().exec([{ op: 'hset', key: k('h'), values: { a: '1' } }]);
      expect(await store().setIfAbsent(k('h'), 'x', 10_000)).toBe(false);
      expect(await store().hgetall(k('h'))).toEqual({ a: '1' });
    });

    it('setIfAbsent sets the TTL: pttl is at most ttlMs and close to it', async () => {
      await store().setIfAbsent(k('nonce'), '1', 10_000);
      const ttl = await store().pttl(k('nonce'));
      expect(ttl).toBeLessThanOrEqual(10_000);
      expect(ttl).toBeGreaterThan(9_000);
    });

    it('a key whose TTL has passed is gone: get null, pttl -2, setIfAbsent succeeds again', async () => {
      await store().setIfAbsent(k('nonce'), '1', SHORT_TTL_MS);
      await elapse(2 * SHORT_TTL_MS);
      expect(await store().get(k('nonce'))).toBeNull();
      expect(await store().pttl(k('nonce'))).toBe(-2);
      expect(await store().setIfAbsent(k('nonce'), '2', 10_000)).toBe(true);
    });

    it('replaceIfExists answers false and creates nothing when the key is missing', async () => {
      expect(await store().replaceIfExists(k('gone'), 'v', 10_000)).toBe(false);
      expect(await store().get(k('gone'))).toBeNull();
    });

    it('replaceIfExists replaces an existing value and resets its TTL', async () => {
      await store().exec([{ op: 'set', key: k('sess'), value: 'old', ttlMs: 1_000 }]);
      expect(await store().replaceIfExists(k('sess'), 'new', 60_000)).toBe(true);
      expect(await store().get(k('sess'))).toBe('new');
      expect(await store().pttl(k('sess'))).toBeGreaterThan(50_000);
    });

    it('replaceIfExists after an expiry answers false (an expired key does not come back)', async () => {
      await store().exec([{ op: 'set', key: k('sess'), value: 'old', ttlMs: SHORT_TTL_MS }]);
      await elapse(2 * SHORT_TTL_MS);
      expect(await store().replaceIfExists(k('sess'), 'new', 60_000)).toBe(false);
      expect(await store().get(k('sess'))).toBeNull();
    });

    it('pexpire of a missing key creates nothing', async () => {
      await store().exec([{ op: 'pexpire', key: k('missing'), ttlMs: 10_000 }]);
      expect(await store().pttl(k('missing'))).toBe(-2);
    });

    it('setIfAbsent refuses a TTL that is not a whole number of milliseconds >= 1', async () => {
      for (const ttl of [0, -5, 1.5, Number.NaN]) {
        await expect(store().setIfAbsent(k('bad'), 'x', ttl)).rejects.toMatchObject({ code: 'internal' });
      }
      expect(await store().get(k('bad'))).toBeNull();
    });

    it('pttl answers -2 for a missing key and -1 for a key without expiry', async () => {
      expect(await store().pttl(k('missing'))).toBe(-2);
      await store().exec([{ op: 'set', key: k('forever'), value: 'v' }]);
      expect(await store().pttl(k('forever'))).toBe(-1);
    });

    it('set without ttlMs removes an earlier TTL, as Redis SET does', async () => {
      await store().exec([{ op: 'set', key: k('s'), value: '1', ttlMs: 10_000 }]);
      await store().exec([{ op: 'set', key: k('s'), value: '2' }]);
      expect(await store().pttl(k('s'))).toBe(-1);
      expect(await store().get(k('s'))).toBe('2');
    });

    it('pexpire gives an existing key a TTL and does not create a missing one', async () => {
      await store().exec([
        { op: 'hset', key: k('h'), values: { a: '1' } },
        { op: 'pexpire', key: k('h'), ttlMs: 5_000 },
        { op: 'pexpire', key: k('missing'), ttlMs: 5_000 },
      ]);
      expect(await store().pttl(k('h'))).toBeGreaterThan(4_000);
      expect(await store().pttl(k('missing'))).toBe(-2);
    });

    it('adding to a hash, set or sorted set keeps its TTL', async () => {
      await store().exec([
        { op: 'hset', key: k('h'), values: { a: '1' } },
        { op: 'sadd', key: k('s'), members: ['a'] },
        { op: 'zadd', key: k('z'), members: ['a'] },
        { op: 'pexpire', key: k('h'), ttlMs: 5_000 },
        { op: 'pexpire', key: k('s'), ttlMs: 5_000 },
        { op: 'pexpire', key: k('z'), ttlMs: 5_000 },
      ]);
      await store().exec([
        { op: 'hset', key: k('h'), values: { b: '2' } },
        { op: 'sadd', key: k('s'), members: ['b'] },
        { op: 'zadd', key: k('z'), members: ['b'] },
      ]);
      for (const key of ['h', 's', 'z']) expect(await store().pttl(k(key))).toBeGreaterThan(4_000);
    });

    it('delIfEquals deletes the key when it still holds the value', async () => {
      await store().setIfAbsent(k('lock'), 'me', 10_000);
      expect(await store().delIfEquals(k('lock'), 'me')).toBe(true);
      expect(await store().get(k('lock'))).toBeNull();
    });

    it('delIfEquals keeps a key that holds another value (a lock taken over by someone else)', async () => {
      await store().setIfAbsent(k('lock'), 'someone-else', 10_000);
      expect(await store().delIfEquals(k('lock'), 'me')).toBe(false);
      expect(await store().get(k('lock'))).toBe('someone-else');
    });

    it('delIfEquals answers false for a missing key and for a key of another type', async () => {
      expect(await store().delIfEquals(k('missing'), 'me')).toBe(false);
      await store().exec([{ op: 'sadd', key: k('set'), members: ['me'] }]);
      expect(await store().delIfEquals(k('set'), 'me')).toBe(false);
      expect(await store().smembers(k('set'))).toEqual(['me']);
    });
  });

  describe('hashes and sets', () => {
    it('hset adds and overwrites fields; hget, hmget, hgetall and hlen read them', async () => {
      await store().exec([{ op: 'hset', key: k('h'), values: { a: '1', b: '2' } }]);
      await store().exec([{ op: 'hset', key: k('h'), values: { b: '3', c: '4' } }]);
      expect(await store().hget(k('h'), 'b')).toBe('3');
      expect(await store().hget(k('h'), 'zz')).toBeNull();
      expect(await store().hmget(k('h'), ['c', 'zz', 'a'])).toEqual(['4', null, '1']);
      expect(await store().hgetall(k('h'))).toEqual({ a: '1', b: '3', c: '4' });
      expect(await store().hlen(k('h'))).toBe(3);
    });

    it('a missing hash reads as empty: hget null, hmget nulls, hgetall {}, hlen 0; hmget of no fields is []', async () => {
      expect(await store().hget(k('none'), 'a')).toBeNull();
      expect(await store().hmget(k('none'), ['a', 'b'])).toEqual([null, null]);
      expect(await store().hmget(k('none'), [])).toEqual([]);
      expect(await store().hgetall(k('none'))).toEqual({});
      expect(await store().hlen(k('none'))).toBe(0);
    });

    it('hdel of the last field deletes the hash (pttl -2)', async () => {
      await store().exec([{ op: 'hset', key: k('h'), values: { a: '1', b: '2' } }]);
      await store().exec([{ op: 'hdel', key: k('h'), fields: ['a', 'b', 'not-there'] }]);
      expect(await store().pttl(k('h'))).toBe(-2);
    });

    it('fields and values keep unicode, spaces, empty strings and names like "__proto__"', async () => {
      const values = { '': 'empty name', 'with space': '', 'é日本😀': 'ünï\ncode', __proto__x: 'x', constructor: 'c' };
      const odd = Object.fromEntries([...Object.entries(values), ['__proto__', 'proto']]);
      await store().exec([{ op: 'hset', key: k('h'), values: odd }]);
      const read = await store().hgetall(k('h'));
      expect(Object.entries(read).sort()).toEqual(Object.entries(odd).sort());
      expect(await store().hget(k('h'), '__proto__')).toBe('proto');
    });

    it('results are copies: changing them, or the ops passed in, changes nothing stored', async () => {
      const values: Record<string, string> = { a: '1' };
      const members = ['m1'];
      await store().exec([
        { op: 'hset', key: k('h'), values },
        { op: 'sadd', key: k('s'), members },
      ]);
      values.a = 'changed';
      members.push('m2');
      const read = await store().hgetall(k('h'));
      read.a = 'mutated';
      (await store().smembers(k('s'))).push('mutated');
      expect(await store().hgetall(k('h'))).toEqual({ a: '1' });
      expect(await store().smembers(k('s'))).toEqual(['m1']);
    });

    it('sadd adds members once, srem removes them, and removing the last deletes the set', async () => {
      await store().exec([{ op: 'sadd', key: k('s'), members: ['a', 'b', 'a', 'ü'] }]);
      expect((await store().smembers(k('s'))).sort()).toEqual(['a', 'b', 'ü']);
      await store().exec([{ op: 'srem', key: k('s'), members: ['a', 'zz'] }]);
      expect((await store().smembers(k('s'))).sort()).toEqual(['b', 'ü']);
      await store().exec([{ op: 'srem', key: k('s'), members: ['b', 'ü'] }]);
      expect(await store().smembers(k('s'))).toEqual([]);
      expect(await store().pttl(k('s'))).toBe(-2);
    });

    it('scard counts the members of a set without reading them, 0 when absent', async () => {
      expect(await store().scard(k('s'))).toBe(0);
      await store().exec([{ op: 'sadd', key: k('s'), members: ['a', 'b', 'a'] }]);
      expect(await store().scard(k('s'))).toBe(2);
      await store().exec([{ op: 'srem', key: k('s'), members: ['a'] }]);
      expect(await store().scard(k('s'))).toBe(1);
    });
  });

  describe('sorted-set index (zrangeByLex)', () => {
    const members = ['b', 'a', 'A', 'a b', 'a-b', '[x', '(y', '-', '+', '', 'é', 'e\u0301', '日本', '😀', '\uffff', 'z', 'tenant:acme', 'a{b}'];
    const sorted = [...new Set(members)].sort(byteOrder);

    it('lists members in UTF-8 byte order, including unicode and the characters Redis uses as range markers', async () => {
      await store().exec([{ op: 'zadd', key: k('z'), members }]);
      expect(await store().zrangeByLex(k('z'), { limit: 100 })).toEqual(sorted);
    });

    it('pages with after/limit: the pages joined equal the whole list, without repeats', async () => {
      await store().exec([{ op: 'zadd', key: k('z'), members }]);
      const pages: string[][] = [];
      let after: string | undefined;
      for (;;) {
        const page = await store().zrangeByLex(k('z'), { ...(after === undefined ? {} : { after }), limit: 4 });
        if (page.length === 0) break;
        pages.push(page);
        after = page.at(-1);
      }
      expect(pages.every((p) => p.length <= 4)).toBe(true);
      expect(pages.flat()).toEqual(sorted);
    });

    it('after is exclusive and need not be a member: the page starts at the next greater member', async () => {
      await store().exec([{ op: 'zadd', key: k('z'), members: ['apple', 'banana', 'cherry'] }]);
      expect(await store().zrangeByLex(k('z'), { after: 'apple', limit: 10 })).toEqual(['banana', 'cherry']);
      expect(await store().zrangeByLex(k('z'), { after: 'b', limit: 1 })).toEqual(['banana']);
      expect(await store().zrangeByLex(k('z'), { after: 'cherry', limit: 10 })).toEqual([]);
      expect(await store().zrangeByLex(k('z'), { after: '', limit: 10 })).toEqual(['apple', 'banana', 'cherry']);
    });

    it('answers [] for limit 0 and for a missing key, and refuses a negative limit', async () => {
      await store().exec([{ op: 'zadd', key: k('z'), members: ['a'] }]);
      expect(await store().zrangeByLex(k('z'), { limit: 0 })).toEqual([]);
      expect(await store().zrangeByLex(k('none'), { limit: 10 })).toEqual([]);
      await expect(store().zrangeByLex(k('z'), { limit: -1 })).rejects.toMatchObject({ code: 'internal' });
    });

    it('zcard counts members; re-adding a member changes nothing; removing the last deletes the key', async () => {
      await store().exec([{ op: 'zadd', key: k('z'), members: ['a', 'b'] }]);
      await store().exec([{ op: 'zadd', key: k('z'), members: ['a'] }]);
      expect(await store().zcard(k('z'))).toBe(2);
      expect(await store().zcard(k('none'))).toBe(0);
      await store().exec([{ op: 'zrem', key: k('z'), members: ['a', 'b'] }]);
      expect(await store().pttl(k('z'))).toBe(-2);
    });
  });

  describe('type errors on reads', () => {
    it('reading a key as the wrong type fails with WRONGTYPE (code internal)', async () => {
      await store().exec([
        { op: 'set', key: k('str'), value: 'v' },
        { op: 'hset', key: k('hash'), values: { a: '1' } },
        { op: 'sadd', key: k('set'), members: ['a'] },
        { op: 'zadd', key: k('zset'), members: ['a'] },
      ]);
      const wrongType = { code: 'internal', message: expect.stringContaining('WRONGTYPE') };
      await expect(store().get(k('hash'))).rejects.toMatchObject(wrongType);
      await expect(store().take(k('set'))).rejects.toMatchObject(wrongType);
      await expect(store().hget(k('str'), 'a')).rejects.toMatchObject(wrongType);
      await expect(store().hgetall(k('set'))).rejects.toMatchObject(wrongType);
      await expect(store().smembers(k('zset'))).rejects.toMatchObject(wrongType);
      await expect(store().zrangeByLex(k('set'), { limit: 10 })).rejects.toMatchObject(wrongType);
      await expect(store().zcard(k('hash'))).rejects.toMatchObject(wrongType);
    });
  });
}
