/**
 * Every field the bridge hands to apps follows the directory without a new login: a demotion, a
 * rename or a new department reaches forward-auth, the session API, OpenID userinfo and new ID
 * tokens at the next request, on every instance. Each test has a tenant of its own (a copy of acme).
 */
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TENANTS } from '../../tools/simulator/demo-data.js';
import { authBody, user, type TestBridge } from '../support/bridge.js';
import { TestBrowser } from '../support/browser.js';
import { closeAll } from '../support/cleanup.js';
import { demoTenantAs, startE2E, type E2E } from '../support/e2e.js';
import { startRp, type TestRp } from '../support/oidc-rp.js';
import { authorize, redeem } from './oidc-support.js';

const T = { demote: 'fresh-demote', rename: 'fresh-rename-tenant' } as const;

describe('live sessions follow the directory', () => {
  let rp: TestRp;
  let e2e: E2E;
  let second: TestBridge;
  let web: client.Configuration;
  beforeAll(async () => {
    rp = await startRp();
    e2e = await startE2E({ bridge: { env: { OIDC_CLIENTS_FILE: rp.clientsFile } }, tenants: [...DEMO_TENANTS, ...Object.values(T).map((id) => demoTenantAs(id))] });
    second = await e2e.startSecondBridge();
    web = await rp.config('web-app', `${e2e.bridge.url}/oidc`);
  });
  afterAll(() => closeAll(() => e2e?.close(), () => rp?.close()));

  const check = async (browser: TestBrowser, url: string) => {
    const res = await browser.request(`${url}/auth/check`);
    expect(res.status).toBe(200);
    return { role: res.headers.get('x-koo-role'), name: decodeURIComponent(res.headers.get('x-koo-name') ?? '') };
  };
  const me = async (browser: TestBrowser, url: string) => {
    const res = await browser.request(`${url}/api/session`);
    expect(res.status).toBe(200);
    return (await res.json()) as Record<string, unknown>;
  };

  it('a demoted admin is `user` at the next request on every instance: forward-auth, /api/session, userinfo, new ID tokens', async () => {
    const browser = new TestBrowser();
    const redirectUri = `${rp.url}/callback`;
    const r = await authorize(browser, web, { redirectUri, simUrl: e2e.simUrl, params: { tenant: T.demote, prompt: 'consent' }, login: { tenant: T.demote, userName: 'zhang.san' } });
    const tokens = await redeem(web, r);
    expect(tokens.claims()).toMatchObject({ role: 'admin', name: 'Zhang San' });
    // The same browser session behind a load balancer: both instances answer it (and cache it).
    browser.setCookie(second.url, 'koobridge', browser.cookie(e2e.bridge.url, 'koobridge')!);
    for (const url of [e2e.bridge.url, second.url]) expect(await check(browser, url)).toEqual({ role: 'admin', name: 'Zhang San' });

    const demoted = { name: 'Zhang San (former admin)', role: 'user', orgCode: 'acme-sales', email: 'zs@acme.example.com', mobile: '+86-100-0000-0009' };
    const answer = await e2e.bridge.sender.send('authSync', authBody([user('zhang.san', demoted)], { tenantId: T.demote, flag: 2, currentSyncTime: '20990101000000000' }));
    expect(answer.resultCode).toBe('000000');

    for (const url of [e2e.bridge.url, second.url]) {
      expect(await check(browser, url)).toEqual({ role: 'user', name: demoted.name });
      expect(await me(browser, url)).toMatchObject({ userName: 'zhang.san', ...demoted });
    }
    const sub = tokens.claims()!.sub;
    expect(await client.fetchUserInfo(web, tokens.access_token, sub)).toMatchObject({ role: 'user', name: demoted.name, org_code: 'acme-sales', email: demoted.email, phone_number: demoted.mobile });
    // A new authorization rides on the bridge session (no upstream login) and its ID token says `user`.
    const again = await authorize(browser, web, { redirectUri, simUrl: e2e.simUrl, params: { tenant: T.demote } });
    expect((await redeem(web, again)).claims()).toMatchObject({ sub, role: 'user', name: demoted.name, org_code: 'acme-sales' });
    // So does the ID token of a refresh.
    expect((await client.refreshTokenGrant(web, tokens.refresh_token!)).claims()).toMatchObject({ sub, role: 'user' });
  });

  it('a tenant renamed by tenantSync shows its new name and code in live sessions', async () => {
    const browser = new TestBrowser();
    await browser.go(`${e2e.bridge.url}/sso/callback?code=${e2e.sim.issueCode(T.rename, 'li.si')}&tenant=${T.rename}`);
    expect((await me(browser, e2e.bridge.url)).tenant).toEqual({ id: T.rename, code: T.rename, name: 'Acme Trading Co.' });
    const { domainName, instanceId, orderId } = (await e2e.bridge.directory.getTenant(T.rename))!;
    // Sent to the other instance: its event rewrites the session, this instance drops its cached copy.
    const answer = await second.sender.send('tenantSync', { tenantId: T.rename, tenantCode: 'acme-renamed', name: 'Acme Holding', domainName, instanceId, orderId, flag: 2, testFlag: 0, timeStamp: '20990101000000000' });
    expect(answer.resultCode).toBe('000000');
    expect((await me(browser, e2e.bridge.url)).tenant).toEqual({ id: T.rename, code: 'acme-renamed', name: 'Acme Holding' });
  });
});
