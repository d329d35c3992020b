/**
 * A login naming an unknown tenant, asked again, costs no store reads (bounded negative cache,
 * directory/unknown-tenants.ts), and a tenant that tenantSync makes afterwards can sign in at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src/store/memory.js';
import type { Store } from '../../src/store/types.js';
import { startBridge, tenantBody, uniqueTenantId, type TestBridge } from '../support/bridge.js';

describe('unknown tenants at /sso/login', () => {
  const inner = createMemoryStore();
  const calls: string[] = [];
  // Every data call of the bridge, recorded (pub/sub aside).
  const store = new Proxy(inner, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function' || prop === 'subscribe' || prop === 'publish') return value;
      return (...args: unknown[]) => {
        calls.push(`${String(prop)} ${JSON.stringify(args[0])}`);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  }) as Store;
  let bridge: TestBridge;
  beforeAll(async () => {
    bridge = await startBridge({ backend: 'memory', store });
  });
  afterAll(async () => {
    await bridge?.close();
    await inner.close();
  });

  const login = (tenantId: string) => fetch(`${bridge.url}/sso/login?tenant=${tenantId}&protocol=cas`, { redirect: 'manual' });

  it('a second login for an unknown tenant reads nothing from the store; once tenantSync makes it, the next login goes to its IdP', async () => {
    const tenantId = uniqueTenantId('initech');
    expect((await login(tenantId)).status).toBe(404);
    expect(calls.some((c) => c.includes(tenantId))).toBe(true);
    calls.length = 0;
    expect((await login(tenantId)).status).toBe(404);
    expect(calls).toEqual([]);

    // A test tenant bound to no instance may sign in (subscription.ts); CAS needs no app credentials.
    const answer = await bridge.sender.send('tenantSync', tenantBody({ tenantId, tenantCode: tenantId, instanceId: '', orderId: '', testFlag: 1 }));
    expect(answer.resultCode).toBe('000000');
    const res = await login(tenantId);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toMatch(/^https:\/\/acme\.idp\.example\.com\//);
  });
});
