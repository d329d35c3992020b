/**
 * Instances gate logins, end to end: the simulator purchases and binds its tenants (newInstance,
 * then the kit syncs), a user signs in through KooGallery, and the basic interfaces freeze,
 * unfreeze and release the tenant's instance — ending the live bridge session and the OpenID
 * grant at once, as deprovisioning does.
 */
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simInstanceId } from '../../tools/simulator/sync.js';
import { TestBrowser } from '../support/browser.js';
import { startE2E, type E2E } from '../support/e2e.js';
import { startRp, type TestRp } from '../support/oidc-rp.js';
import { authorize, redeem } from './oidc-support.js';

describe('instances gate logins', () => {
  let rp: TestRp;
  let e2e: E2E;
  let web: client.Configuration;
  beforeAll(async () => {
    rp = await startRp();
    e2e = await startE2E({ bridge: { env: { OIDC_CLIENTS_FILE: rp.clientsFile } } });
    web = await rp.config('web-app', `${e2e.bridge.url}/oidc`);
  });
  afterAll(async () => {
    await e2e.close();
    await rp.close();
  });

  const signIn = async (tenant: string, userName: string) => {
    const browser = new TestBrowser();
    const page = await browser.go(`${e2e.bridge.url}/sso/callback?code=${e2e.sim.issueCode(tenant, userName)}&tenant=${tenant}`);
    return { browser, page };
  };
  const setStatus = (tenant: string, status: 'FREEZE' | 'UNFREEZE') => e2e.bridge.sender.sendBasic({ activity: 'updateInstanceStatus', instanceId: simInstanceId(tenant), status, testFlag: '0' });

  it('a purchased and bound tenant signs in; apps read its subscription from the session API and forward-auth', async () => {
    const { browser, page } = await signIn('acme', 'zhang.san');
    expect(page.status).toBe(200);
    const session = await browser.request(`${e2e.bridge.url}/api/session`);
    expect(await session.json()).toMatchObject({ tenant: { id: 'acme' }, subscription: { status: 'active' } });
    const check = await browser.request(`${e2e.bridge.url}/auth/check`);
    expect(check.status).toBe(200);
    expect(check.headers.get('x-koo-subscription')).toBe('active');
  });

  it('after the purchase the bridge fetches the order in the background and keeps what was bought on the instance', async () => {
    await e2e.bridge.outbox.drain();
    const admin = await e2e.bridge.admin('/tenants/acme');
    expect(admin.body.subscription).toMatchObject({ status: 'active', chargingMode: 'PERIOD', productId: 'OFFI-DEMO-000001' });
    expect(admin.body.subscription.orders[0].order).toMatchObject({ orderId: 'SIMORDER-acme', orderType: 'NEW' });
    expect(JSON.stringify(admin.body)).not.toContain('mobilePhone');
    const { browser } = await signIn('acme', 'li.si');
    expect(await (await browser.request(`${e2e.bridge.url}/api/session`)).json()).toMatchObject({ subscription: { status: 'active', chargingMode: 'PERIOD', productId: 'OFFI-DEMO-000001' } });
  });

  it('FREEZE ends the live session and the OpenID refresh token at once; the next login says the subscription is frozen; UNFREEZE lets people back in', async () => {
    const { browser } = await signIn('globex', 'zhao.liu');
    const tokens = await redeem(web, await authorize(browser, web, { redirectUri: `${rp.url}/callback`, simUrl: e2e.simUrl, params: { prompt: 'consent', tenant: 'globex' } }));
    expect((await browser.request(`${e2e.bridge.url}/api/session`)).status).toBe(200);

    expect((await setStatus('globex', 'FREEZE')).resultCode).toBe('000000');
    expect((await browser.request(`${e2e.bridge.url}/api/session`)).status).toBe(401);
    await expect(client.refreshTokenGrant(web, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });

    const refused = await signIn('globex', 'zhao.liu');
    expect(refused.page.status).toBe(403);
    expect(refused.page.text).toContain('subscription is not active');
    expect(refused.page.text).toContain('frozen');

    expect((await setStatus('globex', 'UNFREEZE')).resultCode).toBe('000000');
    expect((await signIn('globex', 'zhao.liu')).page.status).toBe(200);
  });

  it('after the release of its only instance a tenant cannot sign in, and is told its subscription has ended', async () => {
    const { browser } = await signIn('globex', 'li.si');
    expect((await e2e.bridge.sender.sendBasic({ activity: 'releaseInstance', instanceId: simInstanceId('globex'), testFlag: '0' })).resultCode).toBe('000000');
    expect((await browser.request(`${e2e.bridge.url}/api/session`)).status).toBe(401);
    const refused = await signIn('globex', 'li.si');
    expect(refused.page.status).toBe(403);
    expect(refused.page.text).toContain('has ended');
  });
});
