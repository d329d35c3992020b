import { describe, expect, it } from 'vitest';
import { ExpiringMap, SWEEP_ABOVE } from '../../../tools/simulator/grants.js';

describe('the simulator\'s expiring maps', () => {
  it('an expired entry is gone when read', () => {
    let now = 0;
    const map = new ExpiringMap<{ expiresAt: number }>(() => now);
    map.set('code', { expiresAt: 10 });
    expect(map.get('code')).toBeDefined();
    now = 10;
    expect(map.get('code')).toBeUndefined();
  });

  it('sweeps expired entries once the map is large, then waits until it has doubled (long-lived entries do not make every write sweep)', () => {
    let now = 0;
    const map = new ExpiringMap<{ expiresAt: number }>(() => now);
    for (let i = 0; i < SWEEP_ABOVE; i++) map.set(`refresh-${i}`, { expiresAt: Number.MAX_SAFE_INTEGER });
    map.set('one-more', { expiresAt: 5 }); // sweeps: nothing has expired, the next sweep waits for twice the size
    now = 10; // 'one-more' has expired
    for (let i = 0; i < 100; i++) map.set(`code-${i}`, { expiresAt: 20 });
    // No sweep per write: the expired entry is still held (swept per write, the size would be 10,100).
    expect(map.size).toBe(SWEEP_ABOVE + 101);
    for (let i = 100; map.size < 2 * SWEEP_ABOVE; i++) map.set(`code-${i}`, { expiresAt: 20 });
    now = 30;
    // At twice the size the next write sweeps every expired entry: memory stays bounded.
    map.set('last', { expiresAt: 40 });
    expect(map.size).toBe(SWEEP_ABOVE + 1);
  });
});
