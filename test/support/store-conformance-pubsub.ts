/** Conformance: pub/sub, which the session cache relies on to drop ended sessions everywhere. */
import { describe, expect, it } from 'vitest';
import type { ConformanceContext } from './store-conformance-context.js';

export function pubsubSuite({ store, k }: ConformanceContext): void {
  describe('pub/sub', () => {
    it('a subscriber receives what is published on its channel, and nothing of other channels', async () => {
      const got: string[] = [];
      const sub = store().subscribe(k('chan'), (m) => void got.push(m), () => undefined);
      try {
        await expect.poll(() => sub.live, { timeout: 5_000 }).toBe(true);
        await store().publish(k('other'), 'not for us');
        await store().publish(k('chan'), 'a,b');
        await expect.poll(() => got, { timeout: 5_000 }).toEqual(['a,b']);
      } finally {
        await sub.close();
      }
    });

    it('a closed subscription is not live and receives nothing more', async () => {
      const got: string[] = [];
      const sub = store().subscribe(k('chan'), (m) => void got.push(m), () => undefined);
      // A second subscriber on the channel shows when a message has been delivered, instead of a wait.
      const witnessed: string[] = [];
      const witness = store().subscribe(k('chan'), (m) => void witnessed.push(m), () => undefined);
      try {
        await expect.poll(() => sub.live && witness.live, { timeout: 5_000 }).toBe(true);
        await sub.close();
        expect(sub.live).toBe(false);
        await store().publish(k('chan'), 'late');
        await expect.poll(() => witnessed, { timeout: 5_000 }).toEqual(['late']);
        expect(got).toEqual([]);
      } finally {
        await Promise.all([sub.close(), witness.close()]);
      }
    });
  });
}
