import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authBody, startBridge, tenantBody, user, type Backend, type TestBridge } from '../support/bridge.js';

describe.each<Backend>(['redis', 'memory'])('tenantSync on %s', (backend) => {
  let bridge: TestBridge;
  beforeAll(async () => {
    bridge = await startBridge({ backend });
  });
  afterAll(() => bridge.close());

  it('an add stores the tenant and answers 000000 success', async () => {
    const answer = await bridge.sender.send('tenantSync', tenantBody());
    expect(answer).toMatchObject({ status: 200, resultCode: '000000', resultMsg: 'success' });
    const tenant = await bridge.directory.getTenant('acme');
    expect(tenant).toMatchObject({ tenantId: 'acme', tenantCode: 'acme', name: 'Acme Trading Co.', domainName: 'https://acme.idp.example.com', test: false });
  });

  it('a second add of the same tenant changes nothing and answers 000000', async () => {
    const before = await bridge.directory.getTenant('acme');
    const answer = await bridge.sender.send('tenantSync', tenantBody());
    expect(answer.resultCode).toBe('000000');
    expect(await bridge.directory.getTenant('acme')).toEqual(before);
  });

  it('a modify changes name and domain and keeps the rest', async () => {
    const answer = await bridge.sender.send('tenantSync', { tenantId: 'acme', name: 'Acme Group', domainName: 'https://login.acme.example.com/', flag: 2, testFlag: 0, instanceId: '', orderId: '' });
    expect(answer.resultCode).toBe('000000');
    expect(await bridge.directory.getTenant('acme')).toMatchObject({ name: 'Acme Group', domainName: 'https://login.acme.example.com', tenantCode: 'acme', instanceId: 'inst-acme-001' });
  });

  it('an add with empty instanceId and orderId (seller credential application) is accepted', async () => {
    const answer = await bridge.sender.send('tenantSync', tenantBody({ tenantId: 'seller-own', instanceId: '', orderId: '' }));
    expect(answer.resultCode).toBe('000000');
    expect(await bridge.directory.getTenant('seller-own')).toMatchObject({ instanceId: '', orderId: '' });
  });

  it('deleting a tenant removes its credentials, grants and departments, and emits tenant.removed', async () => {
    const events: unknown[] = [];
    const off = bridge.directory.events.on((e) => void events.push(e));
    await bridge.sender.send('tenantSync', tenantBody({ tenantId: 'doomed' }));
    await bridge.sender.send('authSync', authBody([user('zhang.san')], { tenantId: 'doomed' }));
    await bridge.sender.send('allOrgSync', { tenantId: 'doomed', instanceId: '', orgInfoList: [{ orgCode: 'sales', orgName: 'Sales', parentCode: '' }], testFlag: 0 });
    expect(await bridge.directory.getUser('doomed', 'zhang.san')).not.toBeNull();

    const answer = await bridge.sender.send('tenantSync', { tenantId: 'doomed', flag: 0, instanceId: 'inst-acme-001', testFlag: 0 });
    expect(answer.resultCode).toBe('000000');
    expect(await bridge.directory.findTenant('doomed')).toBeNull();
    expect(await bridge.directory.getUser('doomed', 'zhang.san')).toBeNull();
    expect(await bridge.directory.listOrgs('doomed')).toEqual([]);
    expect(events).toContainEqual({ type: 'tenant.removed', tenantId: 'doomed', reason: 'deleted' });
    off();
  });

  it('deleting twice, and deleting an unknown tenant, both succeed', async () => {
    expect((await bridge.sender.send('tenantSync', { tenantId: 'doomed', flag: 0 })).resultCode).toBe('000000');
    expect((await bridge.sender.send('tenantSync', { tenantId: 'never-seen', flag: 0 })).resultCode).toBe('000000');
  });

  it('an http domainName is refused with a message naming domainName and the development switch', async () => {
    const answer = await bridge.sender.send('tenantSync', tenantBody({ tenantId: 'insecure', domainName: 'http://acme.idp.example.com' }));
    expect(answer.resultCode).toBe('000002');
    expect(answer.resultMsg).toContain('domainName');
    expect(answer.resultMsg).toContain('KOO_ALLOW_INSECURE_IDP');
    expect(await bridge.directory.findTenant('insecure')).toBeNull();
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
