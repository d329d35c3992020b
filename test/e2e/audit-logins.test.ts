/**
 * The audit trail of real logins through the KooGallery simulator and the bridge test rig: every
 * way in (unified login page, tenant IdP, CAS, workbench, native app) reports its method, success
 * and refusal alike, with the error code; logout, deprovisioning and a session past its absolute
 * deadline report their session ends. No code, ticket or cookie reaches the trail or its log lines.
 */
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authBody } from '../support/bridge.js';
import { TestBrowser } from '../support/browser.js';
import { closeAll } from '../support/cleanup.js';
import { demoTenantAs, startE2E, type E2E } from '../support/e2e.js';
import { startRp, type TestRp } from '../support/oidc-rp.js';
import { steppingClock } from '../support/time.js';
import { DEMO_TENANTS } from '../../tools/simulator/demo-data.js';
import { KOOGALLERY_CODE_GRANT } from '../../src/oidc/grant-type-names.js';

const DEPROVISION = 'audit-deprovision';
const TIMEOUT = 'audit-timeout';
const NATIVE = 'audit-native';
const UNTIED = 'audit-untied';
const REFRESH = 'audit-refresh';

describe('audit trail of logins and session ends', () => {
  let e2e: E2E;
  let rp: TestRp;
  const clock = steppingClock();
  beforeAll(async () => {
    rp = await startRp();
    e2e = await startE2E({ bridge: { clock, env: { OIDC_CLIENTS_FILE: rp.clientsFile } }, tenants: [...DEMO_TENANTS, demoTenantAs(DEPROVISION), demoTenantAs(TIMEOUT), demoTenantAs(NATIVE), demoTenantAs(UNTIED), demoTenantAs(REFRESH)] });
  });
  afterAll(() => closeAll(() => e2e?.close(), () => rp?.close()));

  async function events(query: Record<string, string>): Promise<any[]> {
    await e2e.bridge.audit.flush();
    const res = await e2e.bridge.admin(`/audit?${new URLSearchParams(query)}`);
    expect(res.status).toBe(200);
    return res.body.events;
  }
  const latestLogin = async (tenant: string, user?: string) => (await events({ kind: 'login', tenant, ...(user ? { user } : {}) }))[0];
  const noSecretsIn = (secret: string) => {
    expect(e2e.bridge.logs.filter((l) => l.includes('"audit":')).join('\n')).not.toContain(secret);
  };

  it('unified login page: success, method unified, with source address and request id; the code is nowhere', async () => {
    const browser = new TestBrowser();
    const start = await browser.go(`${e2e.bridge.url}/sso/login`, { stopAt: (u) => u.startsWith(e2e.simUrl) });
    await browser.go(start.url);
    const landed = await browser.postForm(`${e2e.simUrl}/unified-login/submit`, { tenant: 'acme', userName: 'zhang.san', password: 'any' });
    expect(landed.status).toBe(200);
    const callback = landed.hops.find((h) => new URL(h.url).pathname === '/sso/callback')!;
    const code = new URL(callback.url).searchParams.get('code')!;
    const event = await latestLogin('acme', 'zhang.san');
    expect(event).toMatchObject({ kind: 'login', outcome: 'success', tenantId: 'acme', userName: 'zhang.san', sourceIp: expect.stringContaining('127.0.0.1'), requestId: expect.any(String), detail: { method: 'unified' } });
    expect(JSON.stringify(await events({ tenant: 'acme' }))).not.toContain(code);
    noSecretsIn(code);
  });

  it('tenant IdP login (state of ours): method tenant_idp', async () => {
    const browser = new TestBrowser();
    const toIdp = await browser.go(`${e2e.bridge.url}/sso/login?tenant=acme`, { stopAt: (u) => u.startsWith(e2e.simUrl) });
    await browser.postForm(toIdp.url, { userName: 'li.si', password: 'x' });
    expect(await latestLogin('acme', 'li.si')).toMatchObject({ outcome: 'success', detail: { method: 'tenant_idp' } });
  });

  it('CAS login: method cas, and the ticket is nowhere', async () => {
    const browser = new TestBrowser();
    const service = `${e2e.bridge.url}/sso/cas?tenant=acme`;
    const ticket = e2e.sim.issueTicket('acme', 'zhang.san', service);
    await browser.go(`${service}&ticket=${ticket}`);
    expect(await latestLogin('acme', 'zhang.san')).toMatchObject({ outcome: 'success', detail: { method: 'cas' } });
    noSecretsIn(ticket);
  });

  it('workbench login (a state the bridge never issued): method workbench', async () => {
    const browser = new TestBrowser();
    await browser.go(`${e2e.bridge.url}/sso/callback?code=${e2e.sim.issueCode('acme', 'li.si')}&tenant=acme&state=workbench-own-state-1`);
    expect(await latestLogin('acme', 'li.si')).toMatchObject({ outcome: 'success', detail: { method: 'workbench' } });
  });

  it('an untied code held for confirmation is audited when the user continues, not before', async () => {
    const browser = new TestBrowser();
    await browser.go(`${e2e.bridge.url}/sso/callback?code=${e2e.sim.issueCode('globex', 'zhao.liu')}&tenant=globex`);
    const asked = await browser.go(`${e2e.bridge.url}/sso/callback?code=${e2e.sim.issueCode(UNTIED, 'zhang.san')}&tenant=${UNTIED}`);
    expect(new URL(asked.url).pathname).toBe('/sso/confirm');
    expect(await latestLogin(UNTIED)).toBeUndefined();
    await browser.answerConfirmation(asked, 'continue');
    expect(await latestLogin(UNTIED)).toMatchObject({ outcome: 'success', userName: 'zhang.san', detail: { method: 'unified' } });
  });

  it('refusals are audited with their error code: a disabled user, an unknown tenant, a replayed code', async () => {
    const browser = new TestBrowser();
    const disabled = await browser.go(`${e2e.bridge.url}/sso/callback?code=${e2e.sim.issueCode('acme', 'wang.wu')}&tenant=acme`);
    expect(disabled.status).toBeGreaterThanOrEqual(400);
    expect(await latestLogin('acme', 'wang.wu')).toMatchObject({ outcome: 'refused', reason: 'login_user_not_authorized', detail: { method: 'unified' } });

    await browser.go(`${e2e.bridge.url}/sso/callback?code=whatever&tenant=no-such-tenant`);
    expect(await latestLogin('no-such-tenant')).toMatchObject({ outcome: 'refused', reason: 'login_tenant_unknown' });

    const code = e2e.sim.issueCode('acme', 'li.si');
    await new TestBrowser().go(`${e2e.bridge.url}/sso/callback?code=${code}&tenant=acme`);
    await new TestBrowser().go(`${e2e.bridge.url}/sso/callback?code=${code}&tenant=acme`);
    const [replayed] = await events({ kind: 'login', tenant: 'acme' });
    expect(replayed).toMatchObject({ outcome: 'refused', reason: 'login_replayed' });
    noSecretsIn(code);
  });

  it('logout ends the session: session_end with cause logout', async () => {
    const browser = new TestBrowser();
    await browser.go(`${e2e.bridge.url}/sso/callback?code=${e2e.sim.issueCode('globex', 'li.si')}&tenant=globex`);
    const out = await browser.go(`${e2e.bridge.url}/sso/logout`, { init: { method: 'POST' } });
    expect(new URL(out.url).pathname).toBe('/sso/logged-out');
    const [ended] = await events({ kind: 'session_end', tenant: 'globex' });
    expect(ended).toMatchObject({ outcome: 'logout', tenantId: 'globex', userName: 'li.si', sourceIp: expect.stringContaining('127.0.0.1'), detail: { count: 1 } });
  });

  it('deprovisioning through a signed authSync ends the sessions: session_end deprovisioned, reason the event', async () => {
    const browser = new TestBrowser();
    await browser.go(`${e2e.bridge.url}/sso/callback?code=${e2e.sim.issueCode(DEPROVISION, 'li.si')}&tenant=${DEPROVISION}`);
    const answer = await e2e.bridge.sender.send('authSync', authBody([{ userName: 'li.si' }], { tenantId: DEPROVISION, flag: 0, currentSyncTime: '20990101000000000' }));
    expect(answer.resultCode).toBe('000000');
    const [ended] = await events({ kind: 'session_end', tenant: DEPROVISION });
    expect(ended).toMatchObject({ outcome: 'deprovisioned', userName: 'li.si', reason: 'user.deprovisioned', detail: { count: 1 } });
    expect((await browser.request(`${e2e.bridge.url}/api/session`)).status).toBe(401);
  });

  it('native app: the WebView code exchange reports method native and the app, success and refusal', async () => {
    const desktop = await rp.config('desktop', `${e2e.bridge.url}/oidc`);
    const exchange = (params: Record<string, string>) => client.genericGrantRequest(desktop, KOOGALLERY_CODE_GRANT, params);
    const code = e2e.sim.issueCode(NATIVE, 'zhang.san');
    await exchange({ code, tenant: NATIVE });
    expect(await latestLogin(NATIVE, 'zhang.san')).toMatchObject({ outcome: 'success', clientId: 'desktop', detail: { method: 'native' } });
    await expect(exchange({ code, tenant: NATIVE })).rejects.toBeInstanceOf(client.ResponseBodyError);
    expect(await latestLogin(NATIVE)).toMatchObject({ outcome: 'refused', reason: 'login_replayed', clientId: 'desktop', detail: { method: 'native' } });
    noSecretsIn(code);
  });

  it('a session whose upstream refresh is refused ends as a timeout, with the IdP’s error code', async () => {
    const browser = new TestBrowser();
    await browser.go(`${e2e.bridge.url}/sso/callback?code=${e2e.sim.issueCode(REFRESH, 'li.si')}&tenant=${REFRESH}`);
    e2e.sim.revokeRefreshTokens(REFRESH);
    clock.advance(7200_000); // the 2 h upstream access token has expired
    expect((await browser.request(`${e2e.bridge.url}/api/session`)).status).toBe(401);
    const [ended] = await events({ kind: 'session_end', tenant: REFRESH });
    expect(ended).toMatchObject({ outcome: 'timeout', userName: 'li.si', reason: 'idp_invalid_grant', detail: { count: 1 } });
  });

  // Last: it moves the bridge's clock past every session's absolute deadline.
  it('a session used past its absolute deadline ends as a timeout', async () => {
    const browser = new TestBrowser();
    await browser.go(`${e2e.bridge.url}/sso/callback?code=${e2e.sim.issueCode(TIMEOUT, 'zhang.san')}&tenant=${TIMEOUT}`);
    expect((await browser.request(`${e2e.bridge.url}/api/session`)).status).toBe(200);
    clock.advance(e2e.bridge.config.session.absoluteTimeoutMs + 1_000);
    expect((await browser.request(`${e2e.bridge.url}/api/session`)).status).toBe(401);
    const [ended] = await events({ kind: 'session_end', tenant: TIMEOUT });
    expect(ended).toMatchObject({ outcome: 'timeout', userName: 'zhang.san', reason: 'absolute_timeout' });
  });
});
