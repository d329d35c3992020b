/**
 * Unknown tenants cost store reads once: the directory remembers a miss for a short while (bounded
 * in size and time) and forgets it the moment a tenantSync makes the tenant, here and on every
 * other instance.
 */
import { describe, expect, it } from 'vitest';
import { createUnknownTenants, UNKNOWN_TENANT_TTL_MS } from '../../../src/directory/unknown-tenants.js';
import { createMemoryStore, type MemoryStore } from '../../../src/store/memory.js';
import type { Store } from '../../../src/store/types.js';
import { directoryFixture, tenantSync } from '../../support/directory.js';
import { fakeClock } from '../../support/time.js';

/** The memory store, counting every call that reads or writes data (pub/sub is not counted). */
function countingStore(inner: MemoryStore): { store: MemoryStore; calls: string[] } {
  const calls: string[] = [];
  const store = new Proxy(inner, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function' || prop === 'subscribe' || prop === 'publish') return value;
      return (...args: unknown[]) => {
        calls.push(`${String(prop)} ${String(args[0])}`);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store, calls };
}

function setup() {
  const clock = fakeClock();
  const { store, calls } = countingStore(createMemoryStore({ now: clock.now }));
  const d = directoryFixture({ store, clock });
  return { ...d, calls, clock };
}

describe('unknown tenants: a bounded negative cache', () => {
  it('a second lookup of an unknown tenant reads nothing from the store', async () => {
    const t = setup();
    expect(await t.directory.getLoginTarget('initech')).toBeNull();
    expect(t.calls.length).toBeGreaterThan(0);
    t.calls.length = 0;
    expect(await t.directory.getLoginTarget('initech')).toBeNull();
    expect(t.calls).toEqual([]);
  });

  it('a tenant made by tenantSync afterwards is found at once on the same instance', async () => {
    const t = setup();
    expect(await t.directory.getLoginTarget('acme')).toBeNull();
    await t.directory.applyTenantSync(tenantSync());
    expect((await t.directory.getLoginTarget('acme'))?.tenant.tenantId).toBe('acme');
  });

  it('a tenant made through another instance is found at once here (the store’s pub/sub)', async () => {
    const t = setup();
    const other = directoryFixture({ store: t.store, clock: t.clock });
    expect(await t.directory.getLoginTarget('acme')).toBeNull();
    await other.directory.applyTenantSync(tenantSync());
    expect((await t.directory.getLoginTarget('acme'))?.tenant.tenantId).toBe('acme');
  });

  it(`a miss is remembered for ${UNKNOWN_TENANT_TTL_MS / 1000} s, then the store is asked again`, async () => {
    const t = setup();
    await t.directory.getLoginTarget('initech');
    t.clock.advance(UNKNOWN_TENANT_TTL_MS - 1);
    t.calls.length = 0;
    await t.directory.getLoginTarget('initech');
    expect(t.calls).toEqual([]);
    t.clock.advance(1);
    await t.directory.getLoginTarget('initech');
    expect(t.calls.length).toBeGreaterThan(0);
  });

  it('is bounded in size: the oldest miss goes first', () => {
    const clock = fakeClock();
    const cache = createUnknownTenants({ store: createMemoryStore({ now: clock.now }), channel: 'c', now: clock.now, maxEntries: 2 });
    for (const id of ['a', 'b', 'c']) cache.remember(id, cache.generation());
    expect(['a', 'b', 'c'].map((id) => cache.has(id))).toEqual([false, true, true]);
  });

  it('a miss read while a tenant was being made is not remembered (the read may predate the creation)', () => {
    const clock = fakeClock();
    const cache = createUnknownTenants({ store: createMemoryStore({ now: clock.now }), channel: 'c', now: clock.now });
    const before = cache.generation();
    void cache.forget('acme');
    cache.remember('acme', before);
    expect(cache.has('acme')).toBe(false);
  });

  it('while the store’s subscription is down nothing is served from memory, and a reconnect starts empty', () => {
    const clock = fakeClock();
    let live = true;
    let reset = () => {};
    const store = { subscribe: (_c: string, _m: unknown, onReset: () => void) => ((reset = onReset), { get live() { return live; }, close: async () => {} }) } as unknown as Store;
    const cache = createUnknownTenants({ store, channel: 'c', now: clock.now });
    cache.remember('initech', cache.generation());
    live = false;
    expect(cache.has('initech')).toBe(false);
    live = true;
    expect(cache.has('initech')).toBe(true);
    reset();
    expect(cache.has('initech')).toBe(false);
  });
});
