import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyncRefusedError } from '../../../tools/simulator/sync.js';
import { ACCESS_KEY, APP_ID, startBridge, testKeyPair, type TestBridge } from '../../support/bridge.js';
import { closeAll } from '../../support/cleanup.js';
import { ACME, GLOBEX, startSim, type RunningSim } from './harness.js';

// The simulator's IdPs are http://127.0.0.1: the bridge accepts them only in development mode.
const DEV_ENV = { KOO_ALLOW_INSECURE_IDP: '1' };

describe('syncTo pushes the simulator tenants to a real bridge', () => {
  let s: RunningSim;
  let bridge: TestBridge;
  const target = () => ({ productionUrl: bridge.productionUrl, accessKey: ACCESS_KEY, publicKeyPem: testKeyPair().publicKeyPem, appId: APP_ID });

  beforeAll(async () => {
    s = await startSim();
    bridge = await startBridge({ env: DEV_ENV });
    await s.sim.syncTo(target());
  });
  afterAll(() => closeAll(() => s?.close(), () => bridge?.close()));

  it('tenantSync leaves every tenant in the directory with the simulator IdP as its domainName', async () => {
    expect(await bridge.directory.getTenant('acme')).toMatchObject({ tenantId: 'acme', tenantCode: 'acme', name: 'Acme Trading Co.', domainName: `${s.url}/idp/acme`, test: false });
    expect(await bridge.directory.getTenant('globex')).toMatchObject({ tenantCode: 'globex', domainName: s.sim.domainName('globex') });
  });

  it('applicationSync delivers each tenant’s credentials, the secret decrypting to the simulator’s', async () => {
    expect(await bridge.directory.getCredentials('acme', APP_ID)).toEqual({
      tenantId: 'acme',
      domainName: s.sim.domainName('acme'),
      appId: APP_ID,
      clientId: ACME.clientId,
      clientSecret: ACME.clientSecret,
    });
    expect((await bridge.directory.getCredentials('globex', APP_ID))?.clientSecret).toBe(GLOBEX.clientSecret);
  });

  it('authSync delivers every user, with enable false for a disabled one', async () => {
    const { users } = await bridge.directory.listUsers('acme', { limit: 100 });
    expect(users.map((u) => u.userName)).toEqual(['li.si', 'wang.wu', 'zhang.san']);
    expect(await bridge.directory.getUser('acme', 'zhang.san')).toMatchObject({
      name: 'Zhang San',
      role: 'admin',
      orgCode: 'acme-it',
      enable: true,
      status: 'active',
      email: 'zhang.san@acme.example.com',
      appId: APP_ID,
    });
    expect(await bridge.directory.getUser('acme', 'wang.wu')).toMatchObject({ enable: false, status: 'active' });
    expect((await bridge.directory.listUsers('globex', { limit: 100 })).users).toHaveLength(2);
  });

  it('allOrgSync delivers each tenant’s departments', async () => {
    const orgs = await bridge.directory.listOrgs('acme');
    expect(orgs.map((o) => [o.orgCode, o.orgName, o.parentCode]).sort()).toEqual([
      ['acme-hq', 'Headquarters', ''],
      ['acme-it', 'IT', 'acme-hq'],
      ['acme-sales', 'Sales', 'acme-hq'],
    ]);
  });

  it('a second sync is accepted (KooGallery calls are idempotent)', async () => {
    await expect(s.sim.syncTo(target())).resolves.toBeUndefined();
  });

  it('throws with the bridge’s resultMsg when a call is refused', async () => {
    const refused = s.sim.syncTo({ ...target(), appId: 'someone-else' });
    await expect(refused).rejects.toThrow(SyncRefusedError);
    await expect(refused).rejects.toThrow(/applicationSync of tenant acme was refused \(HTTP 200, 000002\): .*appId/);
    await expect(s.sim.syncTo({ ...target(), accessKey: 'wrong-key' })).rejects.toThrow(/newInstance of tenant acme was refused \(HTTP 200, 000001\)/);
  });
});

describe('syncTo against a bridge in production mode', () => {
  it('is refused at tenantSync: an http:// loopback IdP is not accepted without KOO_ALLOW_INSECURE_IDP', async () => {
    const s = await startSim();
    const bridge = await startBridge();
    try {
      const sync = s.sim.syncTo({ productionUrl: bridge.productionUrl, accessKey: ACCESS_KEY, publicKeyPem: testKeyPair().publicKeyPem, appId: APP_ID });
      await expect(sync).rejects.toThrow(/tenantSync of tenant acme was refused .*domainName/);
      expect(await bridge.directory.getTenant('acme')).toBeNull();
    } finally {
      await closeAll(() => s.close(), () => bridge.close());
    }
  });
});
