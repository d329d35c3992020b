/**
 * Which app a login was for, in the audit trail: a login the bridge started for an OpenID client
 * (its interaction) or a CAS service (its /cas/login URL) carries that client's or service's id as
 * `clientId`, whether the callback was tied to the browser by state (tenant IdP) or confirmed
 * ("Continue as …?", unified login page); the admin API filters on it. A login started for no app
 * carries none.
 */
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestBrowser } from '../support/browser.js';
import { startCasApp, type CasTestApp } from '../support/cas-app.js';
import { closeAll } from '../support/cleanup.js';
import { demoTenantAs, startE2E, type E2E } from '../support/e2e.js';
import { startRp, type TestRp } from '../support/oidc-rp.js';
import { DEMO_TENANTS } from '../../tools/simulator/demo-data.js';
import { casSignIn } from './cas-support.js';
import { authorize } from './oidc-support.js';

const T = { oidcIdp: 'clid-oidc-idp', oidcUnified: 'clid-oidc-unified', casUnified: 'clid-cas-unified', casIdp: 'clid-cas-idp', oidcRefused: 'clid-oidc-refused', plain: 'clid-plain', edited: 'clid-edited' } as const;
const CAS_SERVICE_ID = 'audit-cas-app';

describe('the app a login was for, in the audit trail', () => {
  let e2e: E2E;
  let rp: TestRp;
  let casApp: CasTestApp;
  beforeAll(async () => {
    rp = await startRp();
    casApp = await startCasApp((url) => [{ id: CAS_SERVICE_ID, name: 'Audited CAS app', service_prefix: `${url}/app/` }]);
    e2e = await startE2E({
      bridge: { env: { OIDC_CLIENTS_FILE: rp.clientsFile, CAS_SERVICES_FILE: casApp.servicesFile } },
      tenants: [...DEMO_TENANTS, ...Object.values(T).map((t) => demoTenantAs(t))],
    });
  });
  afterAll(() => closeAll(() => e2e?.close(), () => rp?.close(), () => casApp?.close()));

  async function events(query: Record<string, string>): Promise<any[]> {
    await e2e.bridge.audit.flush();
    const res = await e2e.bridge.admin(`/audit?${new URLSearchParams(query)}`);
    expect(res.status).toBe(200);
    return res.body.events;
  }
  const loginsOf = (tenant: string) => events({ kind: 'login', tenant });
  const webApp = () => rp.config('web-app', `${e2e.bridge.url}/oidc`);
  const casLogin = (tenant: string, params: Record<string, string> = {}) =>
    casSignIn(new TestBrowser(), { bridgeUrl: e2e.bridge.url, simUrl: e2e.simUrl, service: `${casApp.url}/app/page`, login: { tenant, userName: 'zhang.san' }, params });

  it('an OpenID login at the tenant IdP (tied by state) names the client', async () => {
    const r = await authorize(new TestBrowser(), await webApp(), { redirectUri: `${rp.url}/callback`, simUrl: e2e.simUrl, login: { tenant: T.oidcIdp, userName: 'zhang.san' }, params: { tenant: T.oidcIdp } });
    expect(r.signInUrl).not.toContain('/unified-login');
    expect(await loginsOf(T.oidcIdp)).toEqual([expect.objectContaining({ outcome: 'success', clientId: 'web-app', detail: expect.objectContaining({ method: 'tenant_idp' }) })]);
  });

  it('an OpenID login through the unified login page, confirmed, names the client', async () => {
    const r = await authorize(new TestBrowser(), await webApp(), { redirectUri: `${rp.url}/callback`, simUrl: e2e.simUrl, login: { tenant: T.oidcUnified, userName: 'zhang.san' } });
    expect(r.signInUrl).toContain('/unified-login');
    expect(await loginsOf(T.oidcUnified)).toEqual([expect.objectContaining({ outcome: 'success', clientId: 'web-app', detail: expect.objectContaining({ method: 'unified' }) })]);
    // The admin API's filter finds it by the client.
    const byClient = await events({ kind: 'login', client: 'web-app' });
    expect(byClient.map((e) => e.tenantId)).toEqual(expect.arrayContaining([T.oidcIdp, T.oidcUnified]));
  });

  it('a CAS login through /cas/login names the service (unified login page, confirmed)', async () => {
    const { signedInAt } = await casLogin(T.casUnified);
    expect(signedInAt).toContain('/unified-login');
    expect(await loginsOf(T.casUnified)).toEqual([expect.objectContaining({ outcome: 'success', clientId: CAS_SERVICE_ID })]);
  });

  it('a confirmation form whose return_to a user edits changes neither where the login goes nor the app it names', async () => {
    const browser = new TestBrowser();
    const service = `${casApp.url}/app/page`;
    const atService = (u: string) => u.startsWith(service);
    const signIn = await browser.go(`${e2e.bridge.url}/cas/login?service=${encodeURIComponent(service)}`, { stopAt: (u) => u.startsWith(e2e.simUrl) });
    expect(signIn.url).toContain('/unified-login');
    const asked = await browser.postForm(`${e2e.simUrl}/unified-login/submit`, { tenant: T.edited, userName: 'zhang.san', password: 'x' }, { stopAt: atService });
    expect(new URL(asked.url).pathname).toBe('/sso/confirm');
    expect(asked.url).not.toContain('return_to');
    expect(asked.text).not.toContain('name="return_to"');
    const token = /name="token" value="([^"]+)"/.exec(asked.text)![1]!;
    // What an edited form would send: another allowed destination (the bridge's own page).
    const done = await browser.postForm(`${e2e.bridge.url}/sso/confirm`, { token, decision: 'continue', return_to: `${e2e.bridge.url}/sso/me` }, { headers: { origin: e2e.bridge.url }, stopAt: atService });
    expect(atService(done.url)).toBe(true);
    expect(new URL(done.url).searchParams.get('ticket')).toMatch(/^ST-/);
    expect(await loginsOf(T.edited)).toEqual([expect.objectContaining({ outcome: 'success', clientId: CAS_SERVICE_ID })]);
  });

  it('a CAS login through /cas/login with a tenant (tenant IdP, tied by state) names the service', async () => {
    const { signedInAt } = await casLogin(T.casIdp, { tenant: T.casIdp });
    expect(signedInAt).not.toContain('/unified-login');
    expect(await loginsOf(T.casIdp)).toEqual([expect.objectContaining({ outcome: 'success', clientId: CAS_SERVICE_ID, detail: expect.objectContaining({ method: 'tenant_idp' }) })]);
  });

  it('a refused OpenID login names the client too', async () => {
    const browser = new TestBrowser();
    const authUrl = client.buildAuthorizationUrl(await webApp(), { redirect_uri: `${rp.url}/callback`, scope: 'openid', tenant: T.oidcRefused, code_challenge: 'x'.repeat(43), code_challenge_method: 'S256' });
    const toIdp = await browser.go(authUrl.href, { stopAt: (u) => u.startsWith(e2e.simUrl) });
    const refused = await browser.postForm(toIdp.url, { userName: 'wang.wu', password: 'x' }); // disabled in the demo data
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(await loginsOf(T.oidcRefused)).toEqual([expect.objectContaining({ outcome: 'refused', reason: 'login_user_not_authorized', clientId: 'web-app' })]);
  });

  it('a plain /sso/login names no client', async () => {
    const browser = new TestBrowser();
    const toIdp = await browser.go(`${e2e.bridge.url}/sso/login?tenant=${T.plain}`, { stopAt: (u) => u.startsWith(e2e.simUrl) });
    await browser.postForm(toIdp.url, { userName: 'zhang.san', password: 'x' });
    const [login] = await loginsOf(T.plain);
    expect(login).toMatchObject({ outcome: 'success', detail: { method: 'tenant_idp' } });
    expect(login).not.toHaveProperty('clientId');
  });
});
