import { describe, expect, it } from 'vitest';
import { forEachLimited } from '../../../src/shared/concurrency.js';

describe('forEachLimited', () => {
  it('runs every item, never more than the limit at once', async () => {
    let running = 0;
    let most = 0;
    const done: number[] = [];
    await forEachLimited([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      running += 1;
      most = Math.max(most, running);
      await new Promise<void>((resolve) => queueMicrotask(resolve));
      done.push(n);
      running -= 1;
    });
    expect(done.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(most).toBe(3);
  });

  it('finishes every item before passing on the first failure', async () => {
    const done: number[] = [];
    const run = forEachLimited([1, 2, 3, 4], 2, async (n) => {
      if (n === 2) throw new Error('item 2 failed');
      done.push(n);
    });
    await expect(run).rejects.toThrow('item 2 failed');
    expect(done.sort()).toEqual([1, 3, 4]);
  });

  it('does nothing for no items', async () => {
    await expect(forEachLimited([], 4, async () => Promise.reject(new Error('never')))).resolves.toBeUndefined();
  });
});
