/**
 * Conformance: sorted sets with numeric scores — the durable queue's building blocks (zaddScore,
 * zrangeByScore, the atomic claim and the lease-guarded write) behave alike on every backend.
 */
import { describe, expect, it } from 'vitest';
import type { ConformanceContext } from './store-conformance-context.js';

export function scoresSuite({ store, k }: ConformanceContext): void {
  const wrongType = { code: 'internal', message: expect.stringContaining('WRONGTYPE') };
  const scored = (entries: Record<string, number>) => Object.entries(entries).map(([member, score]) => ({ member, score }));

  describe('scored sorted sets (zaddScore, zrangeByScore)', () => {
    it('lists members with score <= max, lowest score first, equal scores in member byte order, at most limit', async () => {
      await store().exec([{ op: 'zaddScore', key: k('z'), members: scored({ late: 30, b: 10, a: 10, é: 10, early: 5, never: 99 }) }]);
      expect(await store().zrangeByScore(k('z'), { max: 30, limit: 10 })).toEqual(['early', 'a', 'b', 'é', 'late']);
      expect(await store().zrangeByScore(k('z'), { max: 10, limit: 2 })).toEqual(['early', 'a']);
      expect(await store().zrangeByScore(k('z'), { max: 4, limit: 10 })).toEqual([]);
      expect(await store().zrangeByScore(k('z'), { max: Infinity, limit: 10 })).toHaveLength(6);
    });

    it('re-adding a member moves it to its new score; zadd moves it back to 0', async () => {
      await store().exec([{ op: 'zaddScore', key: k('z'), members: scored({ a: 10, b: 20 }) }]);
      await store().exec([{ op: 'zaddScore', key: k('z'), members: scored({ a: 30 }) }]);
      expect(await store().zrangeByScore(k('z'), { max: Infinity, limit: 10 })).toEqual(['b', 'a']);
      expect(await store().zcard(k('z'))).toBe(2);
      await store().exec([{ op: 'zadd', key: k('z'), members: ['a'] }]);
      expect(await store().zrangeByScore(k('z'), { max: 0, limit: 10 })).toEqual(['a']);
    });

    it('scores keep full double precision: millisecond times, fractions, negatives and large values', async () => {
      const t = 1_767_225_600_123;
      await store().exec([{ op: 'zaddScore', key: k('z'), members: scored({ neg: -3, tenth: 0.1, half: 2.5, t, t1: t + 1, big: 1e21 }) }]);
      expect(await store().zrangeByScore(k('z'), { max: -3, limit: 10 })).toEqual(['neg']);
      expect(await store().zrangeByScore(k('z'), { max: 0.1, limit: 10 })).toEqual(['neg', 'tenth']);
      expect(await store().zrangeByScore(k('z'), { max: 0.09999999999999999, limit: 10 })).toEqual(['neg']);
      expect(await store().zrangeByScore(k('z'), { max: t + 0.5, limit: 10 })).toEqual(['neg', 'tenth', 'half', 't']);
      expect(await store().zrangeByScore(k('z'), { max: 1e21, limit: 10 })).toEqual(['neg', 'tenth', 'half', 't', 't1', 'big']);
      expect(await store().execIfScore({ key: k('z'), member: 'tenth', score: 0.1 }, [])).toBe(true);
      expect(await store().execIfScore({ key: k('z'), member: 'tenth', score: 0.1000000000000001 }, [])).toBe(false);
      expect(await store().execIfScore({ key: k('z'), member: 't', score: t }, [])).toBe(true);
    });

    it('a non-finite score or a malformed member fails the batch before anything is written', async () => {
      for (const bad of [Number.NaN, Infinity, -Infinity, '5' as unknown as number]) {
        await expect(
          store().exec([
            { op: 'set', key: k('a'), value: '1' },
            { op: 'zaddScore', key: k('z'), members: [{ member: 'm', score: bad }] },
          ]),
        ).rejects.toMatchObject({ code: 'internal' });
      }
      await expect(store().exec([{ op: 'zaddScore', key: k('z'), members: [{ member: 5 as unknown as string, score: 1 }] }])).rejects.toMatchObject({ code: 'internal' });
      expect(await store().get(k('a'))).toBeNull();
      expect(await store().zcard(k('z'))).toBe(0);
    });

    it('zaddScore on a key of another type fails the whole batch with the same WRONGTYPE text', async () => {
      await store().exec([{ op: 'hset', key: k('h'), values: { f: 'v' } }]);
      await expect(
        store().exec([
          { op: 'set', key: k('a'), value: '1' },
          { op: 'zaddScore', key: k('h'), members: scored({ m: 1 }) },
        ]),
      ).rejects.toMatchObject({ code: 'internal', message: `WRONGTYPE op #2 (zaddScore) needs a zset but ${k('h')} holds a hash` });
      expect(await store().get(k('a'))).toBeNull();
    });

    it('zaddScore of no members creates no key; removing the last member deletes the key', async () => {
      await store().exec([{ op: 'zaddScore', key: k('z'), members: [] }]);
      expect(await store().pttl(k('z'))).toBe(-2);
      await store().exec([{ op: 'zaddScore', key: k('z'), members: scored({ m: 1 }) }]);
      await store().exec([{ op: 'zrem', key: k('z'), members: ['m'] }]);
      expect(await store().pttl(k('z'))).toBe(-2);
    });

    it('zrangeByScore answers [] for a missing key and limit 0, refuses a negative limit or NaN max, and WRONGTYPE on a hash', async () => {
      await store().exec([
        { op: 'zaddScore', key: k('z'), members: scored({ m: 1 }) },
        { op: 'hset', key: k('h'), values: { f: 'v' } },
      ]);
      expect(await store().zrangeByScore(k('none'), { max: Infinity, limit: 10 })).toEqual([]);
      expect(await store().zrangeByScore(k('z'), { max: Infinity, limit: 0 })).toEqual([]);
      await expect(store().zrangeByScore(k('z'), { max: 1, limit: -1 })).rejects.toMatchObject({ code: 'internal' });
      await expect(store().zrangeByScore(k('z'), { max: Number.NaN, limit: 1 })).rejects.toMatchObject({ code: 'internal' });
      await expect(store().zrangeByScore(k('h'), { max: 1, limit: 1 })).rejects.toMatchObject(wrongType);
    });

    it('a large op applies whole: 3000 scored members in one zaddScore', async () => {
      const members = Array.from({ length: 3000 }, (_, i) => ({ member: `m${i}`, score: 3000 - i }));
      await store().exec([{ op: 'zaddScore', key: k('z'), members }]);
      expect(await store().zcard(k('z'))).toBe(3000);
      expect(await store().zrangeByScore(k('z'), { max: 2, limit: 10 })).toEqual(['m2999', 'm2998']);
    });
  });

  describe('claimByScore (the atomic claim of due members)', () => {
    it('moves the due members (score <= max, lowest first, at most limit) to the new score and answers them', async () => {
      await store().exec([{ op: 'zaddScore', key: k('q'), members: scored({ a: 10, b: 20, c: 30, d: 40 }) }]);
      expect(await store().claimByScore(k('q'), { max: 25, score: 100, limit: 10 })).toEqual(['a', 'b']);
      expect(await store().zrangeByScore(k('q'), { max: 99, limit: 10 })).toEqual(['c', 'd']);
      expect(await store().execIfScore({ key: k('q'), member: 'a', score: 100 }, [])).toBe(true);
      expect(await store().claimByScore(k('q'), { max: 100, score: 200, limit: 1 })).toEqual(['c']);
    });

    it('a claimed member cannot be claimed again until its new score (the lease) has passed; then it can', async () => {
      await store().exec([{ op: 'zaddScore', key: k('q'), members: scored({ job: 10 }) }]);
      expect(await store().claimByScore(k('q'), { max: 10, score: 100, limit: 10 })).toEqual(['job']);
      expect(await store().claimByScore(k('q'), { max: 99, score: 150, limit: 10 })).toEqual([]);
      expect(await store().claimByScore(k('q'), { max: 100, score: 200, limit: 10 })).toEqual(['job']);
      expect(await store().execIfScore({ key: k('q'), member: 'job', score: 100 }, [])).toBe(false);
    });

    it('answers [] for a missing key (creating nothing) and for limit 0', async () => {
      expect(await store().claimByScore(k('none'), { max: Infinity, score: 1, limit: 10 })).toEqual([]);
      expect(await store().pttl(k('none'))).toBe(-2);
      await store().exec([{ op: 'zaddScore', key: k('q'), members: scored({ a: 1 }) }]);
      expect(await store().claimByScore(k('q'), { max: Infinity, score: 5, limit: 0 })).toEqual([]);
      expect(await store().zrangeByScore(k('q'), { max: 1, limit: 10 })).toEqual(['a']);
    });

    it('refuses a NaN max, a non-finite new score and a negative limit; WRONGTYPE on a string key', async () => {
      await store().exec([
        { op: 'zaddScore', key: k('q'), members: scored({ a: 1 }) },
        { op: 'set', key: k('s'), value: 'v' },
      ]);
      await expect(store().claimByScore(k('q'), { max: Number.NaN, score: 5, limit: 1 })).rejects.toMatchObject({ code: 'internal' });
      await expect(store().claimByScore(k('q'), { max: 1, score: Infinity, limit: 1 })).rejects.toMatchObject({ code: 'internal' });
      await expect(store().claimByScore(k('q'), { max: 1, score: 5, limit: -1 })).rejects.toMatchObject({ code: 'internal' });
      await expect(store().claimByScore(k('s'), { max: 1, score: 5, limit: 1 })).rejects.toMatchObject(wrongType);
      expect(await store().zrangeByScore(k('q'), { max: 1, limit: 10 })).toEqual(['a']);
    });

    it('of 20 concurrent claims of one member each over 10 due members, every member is claimed exactly once', async () => {
      const members = Array.from({ length: 10 }, (_, i) => ({ member: `job${i}`, score: i }));
      await store().exec([{ op: 'zaddScore', key: k('q'), members }]);
      const claims = await Promise.all(Array.from({ length: 20 }, () => store().claimByScore(k('q'), { max: 100, score: 1_000, limit: 1 })));
      expect(claims.flat().sort()).toEqual(members.map((m) => m.member).sort());
      expect(claims.filter((c) => c.length === 0)).toHaveLength(10);
    });
  });

  describe('execIfScore (a write guarded by a lease)', () => {
    it('applies the ops atomically while the member holds exactly the score, and answers true', async () => {
      await store().exec([{ op: 'zaddScore', key: k('q'), members: scored({ job: 100 }) }, { op: 'hset', key: k('jobs'), values: { job: '{}' } }]);
      const acked = await store().execIfScore({ key: k('q'), member: 'job', score: 100 }, [
        { op: 'zrem', key: k('q'), members: ['job'] },
        { op: 'hdel', key: k('jobs'), fields: ['job'] },
      ]);
      expect(acked).toBe(true);
      expect(await store().pttl(k('q'))).toBe(-2);
      expect(await store().pttl(k('jobs'))).toBe(-2);
    });

    it('answers false and writes nothing when the score differs, the member is absent or the key is missing', async () => {
      await store().exec([{ op: 'zaddScore', key: k('q'), members: scored({ job: 100 }) }]);
      const write = [{ op: 'set' as const, key: k('written'), value: 'x' }];
      expect(await store().execIfScore({ key: k('q'), member: 'job', score: 99 }, write)).toBe(false);
      expect(await store().execIfScore({ key: k('q'), member: 'other', score: 100 }, write)).toBe(false);
      expect(await store().execIfScore({ key: k('none'), member: 'job', score: 100 }, write)).toBe(false);
      expect(await store().get(k('written'))).toBeNull();
    });

    it('with score null applies only while the member is absent: a second enqueue of the same id does nothing', async () => {
      const enqueue = (value: string) =>
        store().execIfScore({ key: k('q'), member: 'job', score: null }, [
          { op: 'hset', key: k('jobs'), values: { job: value } },
          { op: 'zaddScore', key: k('q'), members: scored({ job: 5 }) },
        ]);
      expect(await enqueue('first')).toBe(true);
      expect(await enqueue('second')).toBe(false);
      expect(await store().hget(k('jobs'), 'job')).toBe('first');
    });

    it('of 10 concurrent writes under the same guard that each remove the member, exactly one applies', async () => {
      await store().exec([{ op: 'zaddScore', key: k('q'), members: scored({ job: 7 }) }]);
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => store().execIfScore({ key: k('q'), member: 'job', score: 7 }, [{ op: 'zrem', key: k('q'), members: ['job'] }, { op: 'sadd', key: k('winners'), members: [`w${i}`] }])),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store().smembers(k('winners'))).toHaveLength(1);
    });

    it('an op on a key of the wrong type fails the batch with the exec WRONGTYPE text and writes nothing', async () => {
      await store().exec([{ op: 'zaddScore', key: k('q'), members: scored({ job: 1 }) }, { op: 'set', key: k('s'), value: 'v' }]);
      await expect(
        store().execIfScore({ key: k('q'), member: 'job', score: 1 }, [
          { op: 'zrem', key: k('q'), members: ['job'] },
          { op: 'hset', key: k('s'), values: { f: 'v' } },
        ]),
      ).rejects.toMatchObject({ code: 'internal', message: `WRONGTYPE op #2 (hset) needs a hash but ${k('s')} holds a string` });
      expect(await store().zcard(k('q'))).toBe(1);
    });

    it('a guard key of another type fails with WRONGTYPE; a malformed guard or op is refused before anything is written', async () => {
      await store().exec([{ op: 'hset', key: k('h'), values: { f: 'v' } }, { op: 'zaddScore', key: k('q'), members: scored({ job: 1 }) }]);
      await expect(store().execIfScore({ key: k('h'), member: 'f', score: 1 }, [])).rejects.toMatchObject(wrongType);
      await expect(store().execIfScore({ key: k('q'), member: 'job', score: Number.NaN }, [])).rejects.toMatchObject({ code: 'internal' });
      await expect(
        store().execIfScore({ key: k('q'), member: 'job', score: 1 }, [
          { op: 'set', key: k('a'), value: '1' },
          { op: 'pexpire', key: k('a'), ttlMs: 1.5 },
        ]),
      ).rejects.toMatchObject({ code: 'internal' });
      expect(await store().get(k('a'))).toBeNull();
    });
  });
}
