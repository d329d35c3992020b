import { describe, expect, it } from 'vitest';
import { createLimit } from '../../../src/ratelimit/limit.js';
import { KbError } from '../../../src/shared/errors.js';
import { createObservations, type ObservationOf } from '../../../src/shared/observations.js';
import { createMemoryStore } from '../../../src/store/memory.js';
import { createWindowCounter, type WindowCounter } from '../../../src/store/rate-counter.js';

function rig(counter: WindowCounter) {
  const observations = createObservations();
  const seen: ObservationOf<'rate_limited'>[] = [];
  observations.on((o) => void (o.kind === 'rate_limited' && seen.push(o)));
  const warnings: Array<{ obj: object; msg: string }> = [];
  let now = 1_000_000;
  const deps = { observations, logger: { warn: (obj: object, msg: string) => void warnings.push({ obj, msg }) }, now: () => now };
  return { seen, warnings, advance: (ms: number) => (now += ms), deps };
}

const origin = { sourceIp: '203.0.113.9', requestId: 'req-1' };

describe('a rate limit', () => {
  it('lets `points` hits through, refuses the next with the seconds left, and observes the refusal', async () => {
    const counter = createWindowCounter(createMemoryStore(), { keyPrefix: 'kb:rl:test', points: 2, windowMs: 60_000 });
    const { seen, deps } = rig(counter);
    const limit = createLimit('login_ip', 'ip', counter, deps);
    expect(await limit.hit('203.0.113.9', origin)).toBeNull();
    expect(await limit.hit('203.0.113.9', origin)).toBeNull();
    const refusal = await limit.hit('203.0.113.9', origin);
    expect(refusal).toMatchObject({ limit: 'login_ip', scope: 'ip' });
    expect(refusal!.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(refusal!.retryAfterSeconds).toBeLessThanOrEqual(60);
    expect(seen).toEqual([{ kind: 'rate_limited', limit: 'login_ip', scope: 'ip', retryAfterSeconds: refusal!.retryAfterSeconds, sourceIp: '203.0.113.9', requestId: 'req-1' }]);
    // Another subject has its own count.
    expect(await limit.hit('203.0.113.10', origin)).toBeNull();
  });

  it('names the tenant of a per-tenant refusal', async () => {
    const counter = createWindowCounter(createMemoryStore(), { keyPrefix: 'kb:rl:test', points: 1, windowMs: 1_000 });
    const { seen, deps } = rig(counter);
    const limit = createLimit('login_tenant', 'tenant', counter, deps);
    await limit.hit('acme', origin);
    expect(await limit.hit('acme', origin)).toMatchObject({ scope: 'tenant', tenantId: 'acme' });
    expect(seen[0]).toMatchObject({ scope: 'tenant', tenantId: 'acme' });
  });

  it('check refuses once the window is used up, without counting', async () => {
    const counter = createWindowCounter(createMemoryStore(), { keyPrefix: 'kb:rl:test', points: 2, windowMs: 600_000 });
    const { deps } = rig(counter);
    const limit = createLimit('admin_failures_ip', 'ip', counter, deps);
    for (let i = 0; i < 5; i++) expect(await limit.check('192.0.2.1', origin)).toBeNull();
    await limit.hit('192.0.2.1', origin);
    expect(await limit.check('192.0.2.1', origin)).toBeNull();
    await limit.hit('192.0.2.1', origin);
    expect(await limit.check('192.0.2.1', origin)).toMatchObject({ limit: 'admin_failures_ip' });
    expect((await counter.peek('192.0.2.1')).count).toBe(2);
  });

  it('fails open when the store cannot count, warning once a minute', async () => {
    const down: WindowCounter = {
      hit: () => Promise.reject(new KbError('store_unavailable', 'store unavailable: not connected')),
      peek: () => Promise.reject(new KbError('store_unavailable', 'store unavailable: not connected')),
    };
    const { seen, warnings, advance, deps } = rig(down);
    const limit = createLimit('oidc_token_ip', 'ip', down, deps);
    for (let i = 0; i < 3; i++) expect(await limit.hit('203.0.113.9', origin)).toBeNull();
    expect(await limit.check('203.0.113.9', origin)).toBeNull();
    expect(warnings).toEqual([{ obj: { limit: 'oidc_token_ip', reason: 'store unavailable: not connected' }, msg: 'rate limit not checked (store unavailable): requests are served without it' }]);
    advance(59_999);
    await limit.hit('203.0.113.9', origin);
    expect(warnings).toHaveLength(1);
    advance(1);
    await limit.hit('203.0.113.9', origin);
    expect(warnings).toHaveLength(2);
    expect(seen).toEqual([]);
  });
});

describe('the window counter', () => {
  it('counts hits, says what is left, and peeks without counting', async () => {
    const counter = createWindowCounter(createMemoryStore(), { keyPrefix: 'kb:rl:x', points: 2, windowMs: 10_000 });
    expect(await counter.peek('k')).toEqual({ count: 0, over: false, remaining: 2, msLeft: 0 });
    expect(await counter.hit('k')).toMatchObject({ count: 1, over: false, remaining: 1 });
    expect(await counter.peek('k')).toMatchObject({ count: 1, remaining: 1 });
    expect(await counter.hit('k')).toMatchObject({ count: 2, over: false, remaining: 0 });
    const over = await counter.hit('k');
    expect(over).toMatchObject({ count: 3, over: true, remaining: 0 });
    expect(over.msLeft).toBeGreaterThan(0);
    expect(over.msLeft).toBeLessThanOrEqual(10_000);
  });

  it('refuses settings it cannot count with', () => {
    const store = createMemoryStore();
    expect(() => createWindowCounter(store, { keyPrefix: 'p', points: 0, windowMs: 1_000 })).toThrow(/points/);
    expect(() => createWindowCounter(store, { keyPrefix: 'p', points: 1, windowMs: 1_500 })).toThrow(/whole number of seconds/);
    expect(() => createWindowCounter(store, { keyPrefix: 'p', points: 1, windowMs: 500 })).toThrow(/at least 1 s/);
  });
});
