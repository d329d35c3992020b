import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encryptClientSecret } from '../../tools/simulator/webhook-sender.js';
import { APP_ID, authBody, recordEvents, startBridge, tenantBody, testKeyPair, user, type Backend, type TestBridge } from '../support/bridge.js';

/** A production tenant (acme) with a test user, departments and credentials, and a test tenant (sandbox). */
async function seed(bridge: TestBridge): Promise<void> {
  const s = bridge.sender;
  const answers = [
    await s.send('tenantSync', tenantBody()),
    await s.send('applicationSync', { tenantId: 'acme', appId: APP_ID, clientId: 'acme-client', clientSecret: encryptClientSecret('acme-secret-value', testKeyPair().publicKeyPem), flag: 1, testFlag: 0 }),
    await s.send('authSync', authBody(Array.from({ length: 7 }, (_, i) => user(`user.${i}`)))),
    await s.send('authSync', authBody([user('tester', { enable: 'false' })], { testFlag: 1 })),
    await s.send('allOrgSync', { tenantId: 'acme', orgInfoList: [{ orgCode: 'hq', orgName: 'HQ' }, { orgCode: 'sales', orgName: 'Sales', parentCode: 'hq' }] }),
    await s.send('tenantSync', tenantBody({ tenantId: 'sandbox', tenantCode: 'sandbox', name: 'Seller test tenant', testFlag: 1 })),
    await s.send('authSync', authBody([user('zhang.san')], { tenantId: 'sandbox', testFlag: 1 })),
  ];
  expect(answers.map((a) => a.resultCode)).toEqual(Array(answers.length).fill('000000'));
}

// These tests only read the seeded bridge; the one that purges has a bridge of its own below.
describe.each<Backend>(['redis', 'memory'])('admin API on %s', (backend) => {
  let bridge: TestBridge;
  beforeAll(async () => {
    bridge = await startBridge({ backend });
    await seed(bridge);
  });
  afterAll(() => bridge?.close());

  it('answers 401 with a JSON error without a token, with a wrong one, and with another scheme', async () => {
    for (const init of [{ token: null }, { token: 'wrong-token-wrong-token-wrong' }, { token: null, headers: { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` } }]) {
      const res = await bridge.admin('/tenants', init);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
    }
  });

  it('lists production tenants and test tenants apart', async () => {
    const res = await bridge.admin('/tenants');
    expect(res.status).toBe(200);
    expect(res.body.tenants.map((t: any) => t.tenantId)).toEqual(['acme']);
    expect(res.body.testTenants.map((t: any) => t.tenantId)).toEqual(['sandbox']);
    expect(res.body.nextCursor).toBeNull();
  });

  it('shows one tenant with whether credentials are present, never the secret', async () => {
    const res = await bridge.admin('/tenants/acme');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ tenantId: 'acme', name: 'Acme Trading Co.', credentialsPresent: true, apps: [{ appId: APP_ID, clientId: 'acme-client', current: true, secretReadable: true }] });
    const text = JSON.stringify(res.body);
    expect(text).not.toContain('acme-secret-value');
    expect(text).not.toContain('clientSecret');
  });

  it('answers 404 not_found for an unknown tenant', async () => {
    const res = await bridge.admin('/tenants/nobody');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });

  it('pages through users with an opaque cursor', async () => {
    const names: string[] = [];
    let cursor = '';
    let pages = 0;
    do {
      const res = await bridge.admin(`/tenants/acme/users?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      names.push(...res.body.users.map((u: any) => u.userName));
      cursor = res.body.nextCursor ?? '';
      pages += 1;
    } while (cursor);
    expect(names).toEqual(['tester', ...Array.from({ length: 7 }, (_, i) => `user.${i}`)]);
    expect(pages).toBe(3);
  });

  it('marks test users and whether each user may sign in', async () => {
    const res = await bridge.admin('/tenants/acme/users?limit=1');
    expect(res.body.users[0]).toMatchObject({ userName: 'tester', test: true, authorized: false });
  });

  it('refuses a bad limit or a forged cursor with invalid_parameter', async () => {
    expect((await bridge.admin('/tenants/acme/users?limit=0')).body.error.code).toBe('invalid_parameter');
    expect((await bridge.admin('/tenants/acme/users?limit=abc')).status).toBe(400);
    expect((await bridge.admin('/tenants/acme/users?cursor=%%%')).body.error).toMatchObject({ code: 'invalid_parameter', details: { field: 'cursor' } });
  });

  it('returns departments as a tree', async () => {
    const res = await bridge.admin('/tenants/acme/orgs');
    expect(res.body).toMatchObject({ count: 2, tree: [{ orgCode: 'hq', children: [{ orgCode: 'sales', children: [] }] }] });
  });

  it('answers unknown admin routes with a JSON 404', async () => {
    const res = await bridge.admin('/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });
});

describe.each<Backend>(['redis', 'memory'])('admin API test-data purge on %s', (backend) => {
  it('DELETE /test-data removes test tenants whole and test records of production tenants only', async () => {
    const bridge = await startBridge({ backend });
    const recorder = recordEvents(bridge);
    try {
      await seed(bridge);
      const res = await bridge.admin('/test-data', { method: 'DELETE' });
      expect(res.status).toBe(200);
      expect(res.body.purged).toEqual({ instances: 0, tenants: 1, users: 1, apps: 0, orgs: 0 });
      expect(await bridge.directory.findTenant('sandbox')).toBeNull();
      expect(await bridge.directory.getUser('acme', 'tester')).toBeNull();
      expect(await bridge.directory.getUser('acme', 'user.0')).not.toBeNull();
      expect(recorder.events).toContainEqual({ type: 'tenant.removed', tenantId: 'sandbox', reason: 'purged' });
      expect(recorder.events).toContainEqual({ type: 'user.deprovisioned', tenantId: 'acme', userName: 'tester', reason: 'purged' });
      const again = await bridge.admin('/test-data', { method: 'DELETE' });
      expect(again.body.purged).toEqual({ instances: 0, tenants: 0, users: 0, apps: 0, orgs: 0 });
    } finally {
      recorder.stop();
      await bridge.close();
    }
  });
});

describe('admin API without ADMIN_TOKEN', () => {
  it('is disabled (503 admin_disabled) rather than open', async () => {
    const bridge = await startBridge({ backend: 'memory', env: { ADMIN_TOKEN: '' } });
    try {
      const res = await bridge.admin('/tenants', { token: 'anything-anything-anything' });
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('admin_disabled');
    } finally {
      await bridge.close();
    }
  });
});
