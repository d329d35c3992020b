/**
 * Conformance: applyVersioned, the stale-update guard of user sync.
 */
import { describe, expect, it } from 'vitest';
import type { VersionedEntry, VersionedWrite, WriteOp } from '../../src/store/types.js';
import type { ConformanceContext } from './store-conformance-context.js';

export function versionedSuite({ store, k }: ConformanceContext): void {
  const write = (...entries: VersionedEntry[]): VersionedWrite => ({
    dataKey: k('users'),
    indexKey: k('user-index'),
    versionKey: k('user-versions'),
    entries,
  });
  const add = (field: string, version: string, value = `${field}@${version}`): VersionedEntry => ({ field, version, value });
  const remove = (field: string, version: string): VersionedEntry => ({ field, version, value: null });
  const state = async () => ({
    data: await store().hgetall(k('users')),
    index: await store().zrangeByLex(k('user-index'), { limit: 1000 }),
    versions: await store().hgetall(k('user-versions')),
  });

  describe('applyVersioned', () => {
    it('a first or newer version applies: value, index entry and version are written', async () => {
      expect(await store().applyVersioned(write(add('alice', '20260101000000000')))).toEqual([true]);
      expect(await store().applyVersioned(write(add('alice', '20260102000000000')))).toEqual([true]);
      expect(await state()).toEqual({
        data: { alice: 'alice@20260102000000000' },
        index: ['alice'],
        versions: { alice: '20260102000000000' },
      });
    });

    it('an equal version applies again (a retried webhook is accepted)', async () => {
      await store().applyVersioned(write(add('alice', '20260101000000000', 'first')));
      expect(await store().applyVersioned(write(add('alice', '20260101000000000', 'second')))).toEqual([true]);
      expect(await store().hget(k('users'), 'alice')).toBe('second');
    });

    it('an older version is skipped and changes nothing', async () => {
      await store().applyVersioned(write(add('alice', '20260102000000000')));
      const before = await state();
      expect(await store().applyVersioned(write(add('alice', '20260101000000000')))).toEqual([false]);
      expect(await state()).toEqual(before);
    });

    it('a delete removes the value and the index entry but keeps the version as a tombstone', async () => {
      await store().applyVersioned(write(add('alice', '20260101000000000'), add('bob', '20260101000000000')));
      expect(await store().applyVersioned(write(remove('alice', '20260102000000000')))).toEqual([true]);
      expect(await state()).toEqual({
        data: { bob: 'bob@20260101000000000' },
        index: ['bob'],
        versions: { alice: '20260102000000000', bob: '20260101000000000' },
      });
    });

    it('after a delete, an add that arrives late with an older version stays ignored', async () => {
      await store().applyVersioned(write(add('alice', '20260101000000000')));
      await store().applyVersioned(write(remove('alice', '20260103000000000')));
      expect(await store().applyVersioned(write(add('alice', '20260102000000000')))).toEqual([false]);
      expect(await store().hget(k('users'), 'alice')).toBeNull();
      expect(await store().zcard(k('user-index'))).toBe(0);
    });

    it('deleting the last user removes the data and index keys, the versions stay', async () => {
      await store().applyVersioned(write(add('alice', '1')));
      await store().applyVersioned(write(remove('alice', '2')));
      expect(await store().pttl(k('users'))).toBe(-2);
      expect(await store().pttl(k('user-index'))).toBe(-2);
      expect(await store().hgetall(k('user-versions'))).toEqual({ alice: '2' });
    });

    it('versions compare as strings, byte by byte: "10" is older than "9"', async () => {
      await store().applyVersioned(write(add('alice', '9')));
      expect(await store().applyVersioned(write(add('alice', '10')))).toEqual([false]);
      expect(await store().applyVersioned(write(add('alice', '90')))).toEqual([true]);
    });

    it('entries of one call apply in order: a later entry for the same field sees the earlier one', async () => {
      const result = await store().applyVersioned(write(add('alice', '2', 'new'), add('alice', '1', 'old'), add('bob', '1')));
      expect(result).toEqual([true, false, true]);
      expect(await store().hget(k('users'), 'alice')).toBe('new');
    });

    it('extra ops apply only when at least one entry applied', async () => {
      const extra: WriteOp[] = [
        { op: 'sadd', key: k('touched'), members: ['yes'] },
        { op: 'set', key: k('last-sync'), value: 'now' },
      ];
      await store().applyVersioned(write(add('alice', '2')));
      expect(await store().applyVersioned(write(add('alice', '1')), extra)).toEqual([false]);
      expect(await store().smembers(k('touched'))).toEqual([]);
      expect(await store().get(k('last-sync'))).toBeNull();
      expect(await store().applyVersioned(write(add('alice', '1'), add('bob', '1')), extra)).toEqual([false, true]);
      expect(await store().smembers(k('touched'))).toEqual(['yes']);
      expect(await store().get(k('last-sync'))).toBe('now');
    });

    it('no entries: answers [] and applies no extra op', async () => {
      expect(await store().applyVersioned(write(), [{ op: 'set', key: k('x'), value: '1' }])).toEqual([]);
      expect(await store().get(k('x'))).toBeNull();
    });

    it('a key of the wrong type fails the whole call before any entry or extra op is written', async () => {
      await store().exec([{ op: 'set', key: k('user-index'), value: 'not a zset' }]);
      await expect(store().applyVersioned(write(add('alice', '1')))).rejects.toMatchObject({
        code: 'internal',
        message: expect.stringContaining('WRONGTYPE'),
      });
      expect(await store().hlen(k('users'))).toBe(0);
      expect(await store().hlen(k('user-versions'))).toBe(0);
    });

    it('an extra op on a key of the wrong type fails the whole call before anything is written', async () => {
      await store().exec([{ op: 'hset', key: k('tenant'), values: { name: 'acme' } }]);
      const extra: WriteOp[] = [
        { op: 'set', key: k('marker'), value: '1' },
        { op: 'sadd', key: k('tenant'), members: ['x'] },
      ];
      await expect(store().applyVersioned(write(add('alice', '1')), extra)).rejects.toMatchObject({ code: 'internal' });
      expect(await store().hlen(k('users'))).toBe(0);
      expect(await store().get(k('marker'))).toBeNull();
    });

    it('500 entries of ~400 bytes apply in one call, quickly, and a stale replay of them applies none', async () => {
      const value = (i: number) => JSON.stringify({ userName: `user-${i}`, name: `Ünïcode ${i}`, pad: 'x'.repeat(340) });
      const entries = Array.from({ length: 500 }, (_, i) => add(`user-${String(i).padStart(4, '0')}`, '20260102000000000', value(i)));
      expect(value(0).length).toBeGreaterThan(380);
      const started = performance.now();
      const result = await store().applyVersioned(write(...entries));
      const elapsedMs = performance.now() - started;
      expect(result).toHaveLength(500);
      expect(result.every(Boolean)).toBe(true);
      expect(elapsedMs).toBeLessThan(1_000);
      expect(await store().hlen(k('users'))).toBe(500);
      expect(await store().zcard(k('user-index'))).toBe(500);
      expect(await store().hget(k('users'), 'user-0499')).toBe(value(499));
      const stale = entries.map((e) => ({ ...e, version: '20260101000000000' }));
      expect((await store().applyVersioned(write(...stale))).some(Boolean)).toBe(false);
    });
  });
}
