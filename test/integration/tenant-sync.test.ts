/**
 * tenantSync end to end through the signed webhook, on Redis and on the memory store. The bridge is
 * shared; every test has a tenant of its own, so each stands alone and in any order.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { authBody, recordEvents, startBridge, tenantBody, uniqueTenantId, user, type Backend, type TestBridge } from '../support/bridge.js';

describe.each<Backend>(['redis', 'memory'])('tenantSync on %s', (backend) => {
  let bridge: TestBridge;
  let tenantId: string;
  beforeAll(async () => {
    bridge = await startBridge({ backend });
  });
  afterAll(() => bridge?.close());
  beforeEach(() => {
    tenantId = uniqueTenantId('acme');
  });

  const add = async (over: Record<string, unknown> = {}) => {
    const answer = await bridge.sender.send('tenantSync', tenantBody({ tenantId, tenantCode: tenantId, ...over }));
    expect(answer.resultCode).toBe('000000');
  };

  it('an add stores the tenant and answers 000000 success', async () => {
    const answer = await bridge.sender.send('tenantSync', tenantBody({ tenantId, tenantCode: 'acme' }));
    expect(answer).toMatchObject({ status: 200, resultCode: '000000', resultMsg: 'success' });
    const tenant = await bridge.directory.getTenant(tenantId);
    expect(tenant).toMatchObject({ tenantId, tenantCode: 'acme', name: 'Acme Trading Co.', domainName: 'https://acme.idp.example.com', test: false });
  });

  it('a second add of the same tenant changes nothing and answers 000000', async () => {
    await add();
    const before = await bridge.directory.getTenant(tenantId);
    await add();
    expect(await bridge.directory.getTenant(tenantId)).toEqual(before);
  });

  it('a modify changes name and domain and keeps the rest', async () => {
    await add();
    const answer = await bridge.sender.send('tenantSync', { tenantId, name: 'Acme Group', domainName: 'https://login.acme.example.com/', flag: 2, testFlag: 0, instanceId: '', orderId: '' });
    expect(answer.resultCode).toBe('000000');
    expect(await bridge.directory.getTenant(tenantId)).toMatchObject({ name: 'Acme Group', domainName: 'https://login.acme.example.com', tenantCode: tenantId, instanceId: 'inst-acme-001' });
  });

  it('an add with empty instanceId and orderId (seller credential application) is accepted', async () => {
    await add({ instanceId: '', orderId: '' });
    expect(await bridge.directory.getTenant(tenantId)).toMatchObject({ instanceId: '', orderId: '' });
  });

  it('deleting a tenant removes its credentials, grants and departments, and emits tenant.removed', async () => {
    const recorder = recordEvents(bridge);
    try {
      await add();
      await bridge.sender.send('authSync', authBody([user('zhang.san')], { tenantId }));
      await bridge.sender.send('allOrgSync', { tenantId, instanceId: '', orgInfoList: [{ orgCode: 'sales', orgName: 'Sales', parentCode: '' }], testFlag: 0 });
      expect(await bridge.directory.getUser(tenantId, 'zhang.san')).not.toBeNull();

      const answer = await bridge.sender.send('tenantSync', { tenantId, flag: 0, instanceId: 'inst-acme-001', testFlag: 0 });
      expect(answer.resultCode).toBe('000000');
      expect(await bridge.directory.findTenant(tenantId)).toBeNull();
      expect(await bridge.directory.getUser(tenantId, 'zhang.san')).toBeNull();
      expect(await bridge.directory.listOrgs(tenantId)).toEqual([]);
      expect(recorder.events).toContainEqual({ type: 'tenant.removed', tenantId, reason: 'deleted' });
    } finally {
      recorder.stop();
    }
  });

  it('deleting twice, and deleting an unknown tenant, both succeed', async () => {
    await add();
    expect((await bridge.sender.send('tenantSync', { tenantId, flag: 0 })).resultCode).toBe('000000');
    expect((await bridge.sender.send('tenantSync', { tenantId, flag: 0 })).resultCode).toBe('000000');
    expect((await bridge.sender.send('tenantSync', { tenantId: uniqueTenantId('never-seen'), flag: 0 })).resultCode).toBe('000000');
  });

  it('an http domainName is refused with a message naming domainName and the development switch', async () => {
    const answer = await bridge.sender.send('tenantSync', tenantBody({ tenantId, domainName: 'http://acme.idp.example.com' }));
    expect(answer.resultCode).toBe('000002');
    expect(answer.resultMsg).toContain('domainName');
    expect(answer.resultMsg).toContain('KOO_ALLOW_INSECURE_IDP');
    expect(await bridge.directory.findTenant(tenantId)).toBeNull();
  });
});

describe('tenantSync with KOO_ALLOW_INSECURE_IDP=1', () => {
  it('accepts an http loopback domainName (simulator and tests only)', async () => {
    const bridge = await startBridge({ env: { KOO_ALLOW_INSECURE_IDP: '1' } });
    try {
      const answer = await bridge.sender.send('tenantSync', tenantBody({ domainName: 'http://127.0.0.1:4000/idp/acme' }));
      expect(answer.resultCode).toBe('000000');
      expect((await bridge.directory.getTenant('acme'))?.domainName).toBe('http://127.0.0.1:4000/idp/acme');
    } finally {
      await bridge.close();
    }
  });
});
