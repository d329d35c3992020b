/**
 * Conformance: streams (xadd with trimming by age, xrevrange newest first with an exclusive cursor
 * and a time window), the audit trail's and sync log's building blocks, alike on every backend.
 */
import { describe, expect, it } from 'vitest';
import type { ConformanceContext } from './store-conformance-context.js';

const msOf = (id: string) => Number(id.split('-')[0]);
const ID = /^\d+-\d+$/;

export function streamsSuite({ store, k, elapse }: ConformanceContext): void {
  const wrongType = { code: 'internal', message: expect.stringContaining('WRONGTYPE') };
  const ids = async (key: string, range: Parameters<ReturnType<typeof store>['xrevrange']>[1]) => (await store().xrevrange(key, range)).map((e) => e.id);

  describe('streams (xadd, xrevrange)', () => {
    it('xadd assigns increasing ids; xrevrange gives the entries newest first with their fields', async () => {
      const added: string[] = [];
      for (let i = 0; i < 5; i++) added.push(await store().xadd(k('s'), { n: String(i), text: 'zhang.san é 中', empty: '' }));
      for (const id of added) expect(id).toMatch(ID);
      expect(new Set(added).size).toBe(5);
      const read = await store().xrevrange(k('s'), { count: 10 });
      expect(read.map((e) => e.id)).toEqual([...added].reverse());
      expect(read[0]!.fields).toEqual({ n: '4', text: 'zhang.san é 中', empty: '' });
      expect(read.map((e) => e.fields.n)).toEqual(['4', '3', '2', '1', '0']);
    });

    it('a field named __proto__ stays a plain field', async () => {
      await store().xadd(k('s'), JSON.parse('{"__proto__":"x","a":"1"}'));
      const [entry] = await store().xrevrange(k('s'), { count: 1 });
      expect(Object.keys(entry!.fields).sort()).toEqual(['__proto__', 'a']);
      expect(Object.getPrototypeOf(entry!.fields)).toBe(Object.prototype);
    });

    it('count bounds a page and `before` continues strictly after the cursor: every entry once, none skipped', async () => {
      const added: string[] = [];
      for (let i = 0; i < 7; i++) added.push(await store().xadd(k('s'), { n: String(i) }));
      const seen: string[] = [];
      let before: string | undefined;
      for (;;) {
        const page = await ids(k('s'), { count: 3, ...(before ? { before } : {}) });
        expect(page.length).toBeLessThanOrEqual(3);
        if (page.length === 0) break;
        seen.push(...page);
        before = page.at(-1);
      }
      expect(seen).toEqual([...added].reverse());
    });

    it('maxMs and minMs bound the time window inclusively; the tighter of before and maxMs wins', async () => {
      const a = await store().xadd(k('s'), { n: 'a' });
      await elapse(5);
      const b = await store().xadd(k('s'), { n: 'b' });
      await elapse(5);
      const c = await store().xadd(k('s'), { n: 'c' });
      expect(msOf(a)).toBeLessThan(msOf(b));
      expect(msOf(b)).toBeLessThan(msOf(c));
      expect(await ids(k('s'), { maxMs: msOf(b), count: 10 })).toEqual([b, a]);
      expect(await ids(k('s'), { minMs: msOf(b), count: 10 })).toEqual([c, b]);
      expect(await ids(k('s'), { minMs: msOf(b), maxMs: msOf(b), count: 10 })).toEqual([b]);
      expect(await ids(k('s'), { before: c, maxMs: msOf(a), count: 10 })).toEqual([a]);
      expect(await ids(k('s'), { before: b, maxMs: msOf(c), count: 10 })).toEqual([a]);
      expect(await ids(k('s'), { before: c, minMs: msOf(b), count: 10 })).toEqual([b]);
      expect(await ids(k('s'), { minMs: msOf(c) + 1, count: 10 })).toEqual([]);
      expect(await ids(k('s'), { minMs: msOf(c), maxMs: msOf(a), count: 10 })).toEqual([]);
    });

    it('a missing key reads as empty, and count 0 reads nothing', async () => {
      expect(await store().xrevrange(k('none'), { count: 10 })).toEqual([]);
      await store().xadd(k('s'), { n: '1' });
      expect(await store().xrevrange(k('s'), { count: 0 })).toEqual([]);
    });

    it('minIdMs trims entries older than it (whole nodes at least, as MINID ~) and never one at or after it', async () => {
      for (let i = 0; i < 250; i++) await store().xadd(k('s'), { n: `old-${i}` });
      await elapse(3);
      const keep1 = await store().xadd(k('s'), { n: 'keep-1' });
      const keep2 = await store().xadd(k('s'), { n: 'keep-2' });
      const newest = await store().xadd(k('s'), { n: 'newest' }, { minIdMs: msOf(keep1) });
      const left = await store().xrevrange(k('s'), { count: 1000 });
      expect(left.slice(0, 3).map((e) => e.id)).toEqual([newest, keep2, keep1]);
      const old = left.filter((e) => e.fields.n!.startsWith('old-'));
      // Redis keeps at most the last node (≤ 100 entries by default); the memory store trims exactly.
      expect(old.length).toBeLessThanOrEqual(100);
      // What is left is the newest of the old ones, in order: trimming cuts from the oldest end.
      expect(old.map((e) => e.fields.n)).toEqual(Array.from({ length: old.length }, (_, i) => `old-${249 - i}`));
    });

    it('refuses malformed arguments before touching the store', async () => {
      await expect(store().xadd(k('s'), {})).rejects.toMatchObject({ code: 'internal' });
      await expect(store().xadd(k('s'), { n: 1 as unknown as string })).rejects.toMatchObject({ code: 'internal' });
      await expect(store().xadd(k('s'), { n: '1' }, { minIdMs: -1 })).rejects.toMatchObject({ code: 'internal' });
      await expect(store().xrevrange(k('s'), { count: -1 })).rejects.toMatchObject({ code: 'internal' });
      await expect(store().xrevrange(k('s'), { count: 1, before: '12' })).rejects.toMatchObject({ code: 'internal' });
      await expect(store().xrevrange(k('s'), { count: 1, before: 'x-1' })).rejects.toMatchObject({ code: 'internal' });
      await expect(store().xrevrange(k('s'), { count: 1, maxMs: 1.5 })).rejects.toMatchObject({ code: 'internal' });
      expect(await store().pttl(k('s'))).toBe(-2);
    });

    it('a stream and the other types refuse each other with WRONGTYPE; del removes a stream', async () => {
      await store().exec([{ op: 'hset', key: k('h'), values: { f: 'v' } }]);
      await expect(store().xadd(k('h'), { n: '1' })).rejects.toMatchObject(wrongType);
      await expect(store().xrevrange(k('h'), { count: 1 })).rejects.toMatchObject(wrongType);
      await store().xadd(k('s'), { n: '1' });
      await expect(store().exec([{ op: 'hset', key: k('s'), values: { f: 'v' } }])).rejects.toMatchObject(wrongType);
      await expect(store().get(k('s'))).rejects.toMatchObject(wrongType);
      await store().exec([{ op: 'del', key: k('s') }]);
      expect(await store().xrevrange(k('s'), { count: 1 })).toEqual([]);
    });
  });
}
