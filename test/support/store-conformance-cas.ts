/**
 * Conformance: compareAndSet, the optimistic write of records that must never expire.
 */
import { describe, expect, it } from 'vitest';
import type { ConformanceContext } from './store-conformance-context.js';

export function compareAndSetSuite({ store, k }: ConformanceContext): void {
  describe('compareAndSet', () => {
    it('with expected null, creates a missing key without expiry', async () => {
      expect(await store().compareAndSet(k('ring'), null, 'v1')).toBe(true);
      expect(await store().get(k('ring'))).toBe('v1');
      expect(await store().pttl(k('ring'))).toBe(-1);
    });

    it('with expected null, leaves an existing key (even an empty string) untouched', async () => {
      await store().exec([{ op: 'set', key: k('ring'), value: '' }]);
      expect(await store().compareAndSet(k('ring'), null, 'v1')).toBe(false);
      expect(await store().get(k('ring'))).toBe('');
    });

    it('replaces a key that holds the expected value, and drops its TTL', async () => {
      await store().exec([{ op: 'set', key: k('ring'), value: 'v1', ttlMs: 60_000 }]);
      expect(await store().compareAndSet(k('ring'), 'v1', 'v2')).toBe(true);
      expect(await store().get(k('ring'))).toBe('v2');
      expect(await store().pttl(k('ring'))).toBe(-1);
    });

    it('leaves a key that holds another value untouched', async () => {
      await store().exec([{ op: 'set', key: k('ring'), value: 'v2' }]);
      expect(await store().compareAndSet(k('ring'), 'v1', 'v3')).toBe(false);
      expect(await store().get(k('ring'))).toBe('v2');
    });

    it('answers false, and creates nothing, when the expected key is missing', async () => {
      expect(await store().compareAndSet(k('ring'), 'v1', 'v2')).toBe(false);
      expect(await store().pttl(k('ring'))).toBe(-2);
    });

    it('answers false when the key holds another type, whatever is expected', async () => {
      await store().exec([{ op: 'sadd', key: k('set'), members: ['v1'] }]);
      expect(await store().compareAndSet(k('set'), null, 'x')).toBe(false);
      expect(await store().compareAndSet(k('set'), 'v1', 'x')).toBe(false);
      expect(await store().smembers(k('set'))).toEqual(['v1']);
    });

    it('of 10 concurrent writers expecting the same value, exactly one wins', async () => {
      await store().exec([{ op: 'set', key: k('ring'), value: 'base' }]);
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => store().compareAndSet(k('ring'), 'base', `w${i}`)));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store().get(k('ring'))).toBe(`w${results.indexOf(true)}`);
    });
  });
}
