/**
 * The facts the connectors and the OpenID provider report on the observation bus, produced by real
 * flows: the simulator's tenant IdPs (OAuth2 and CAS), openid-client as the app, the outbox
 * delivering back-channel logouts. And the same facts as Prometheus series on /metrics, served on
 * the main port behind METRICS_TOKEN.
 */
import { decodeJwt } from 'jose';
import * as client from 'openid-client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Observation, ObservationOf } from '../../src/shared/observations.js';
import { DEMO_TENANTS } from '../../tools/simulator/demo-data.js';
import { authBody, tenantBody } from '../support/bridge.js';
import { TestBrowser } from '../support/browser.js';
import { closeAll } from '../support/cleanup.js';
import { demoTenantAs, startE2E, type E2E } from '../support/e2e.js';
import { startRp, type TestRp } from '../support/oidc-rp.js';
import { authorize, redeem } from './oidc-support.js';

const METRICS_TOKEN = 'metrics-token-for-tests-0123456789';
const T = { oidc: 'obs-oidc', outbox: 'obs-outbox' } as const;

describe('observations emitted by the connectors and the OpenID provider', () => {
  let rp: TestRp;
  let e2e: E2E;
  let issuer: string;
  let seen: Observation[] = [];
  beforeAll(async () => {
    rp = await startRp();
    e2e = await startE2E({
      tenants: [...DEMO_TENANTS, demoTenantAs(T.oidc), demoTenantAs(T.outbox)],
      // Upstream tokens of 60 s are always within the 5 minutes before expiry: every session read renews them.
      sim: { accessTokenTtlS: 60 },
      bridge: { env: { OIDC_CLIENTS_FILE: rp.clientsFile, METRICS_TOKEN, RATE_LIMIT_ADMIN_FAILURES_IP: '2/10m' }, outbox: { retry: { baseDelayMs: 300 } } },
    });
    issuer = `${e2e.bridge.url}/oidc`;
    e2e.bridge.observations.on((o) => void seen.push(o));
  });
  afterAll(() => closeAll(() => e2e?.close(), () => rp?.close()));
  beforeEach(() => {
    seen = [];
  });

  const of = <K extends Observation['kind']>(kind: K) => seen.filter((o): o is ObservationOf<K> => o.kind === kind);
  const idpCalls = () => of('idp_call').map((o) => `${o.call}:${o.outcome}`);

  it('a login at the tenant IdP reports its token and userinfo calls; a session read with the upstream token due reports the refresh', async () => {
    const browser = new TestBrowser();
    // Stopped before the landing page, which reads the session (and so would renew it already).
    await browser.go(`${e2e.bridge.url}/sso/callback?code=${e2e.sim.issueCode('acme', 'zhang.san')}&tenant=acme`, { stopAt: (u) => new URL(u).pathname === '/sso/me' });
    expect(idpCalls()).toEqual(['token:ok', 'userinfo:ok']);
    expect((await browser.request(`${e2e.bridge.url}/api/session`)).status).toBe(200);
    expect(idpCalls()).toEqual(['token:ok', 'userinfo:ok', 'refresh:ok']);
    for (const o of of('idp_call')) expect(o.durationMs).toBeGreaterThan(0);
  });

  it('a CAS login reports its ticket validation; a ticket the IdP never issued is reported refused', async () => {
    const service = `${e2e.bridge.url}/sso/cas?tenant=globex`;
    const ticket = e2e.sim.issueTicket('globex', 'li.si', service);
    await new TestBrowser().go(`${service}&ticket=${ticket}`);
    await new TestBrowser().go(`${service}&ticket=ST-1-${'x'.repeat(20)}`);
    expect(idpCalls()).toEqual(['cas_validate:ok', 'cas_validate:refused']);
  });

  it('an app\'s tokens: issued at the code redemption, refreshed, refused for a bad refresh token, revoked at the revocation endpoint; the RP logout\'s back-channel delivery', async () => {
    const web = await rp.config('web-app', issuer);
    const browser = new TestBrowser();
    const r = await authorize(browser, web, { redirectUri: `${rp.url}/callback`, simUrl: e2e.simUrl, login: { tenant: T.oidc, userName: 'zhang.san' }, params: { tenant: T.oidc, prompt: 'consent' } });
    const tokens = await redeem(web, r);
    const refreshed = await client.refreshTokenGrant(web, tokens.refresh_token!);
    await expect(client.refreshTokenGrant(web, 'not-a-refresh-token')).rejects.toMatchObject({ error: 'invalid_grant' });
    await client.tokenRevocation(web, refreshed.refresh_token!);
    const person = { tenantId: T.oidc, userName: 'zhang.san' };
    expect(of('token').map((o) => ({ action: o.action, clientId: o.clientId, tokenType: o.tokenType, tenantId: o.tenantId, userName: o.userName, reason: o.reason }))).toEqual([
      { action: 'issued', clientId: 'web-app', tokenType: 'access_token', ...person, reason: undefined },
      { action: 'refreshed', clientId: 'web-app', tokenType: 'access_token', ...person, reason: undefined },
      { action: 'refused', clientId: 'web-app', tokenType: undefined, tenantId: undefined, userName: undefined, reason: 'invalid_grant' },
      { action: 'revoked', clientId: 'web-app', tokenType: 'refresh_token', ...person, reason: undefined },
    ]);
    for (const o of of('token')) expect(o.protocol).toBe('oidc');
    expect(JSON.stringify(seen)).not.toContain(tokens.access_token);

    // RP-initiated logout: the provider delivers the back-channel logout itself.
    const again = await redeem(web, await authorize(browser, web, { redirectUri: `${rp.url}/callback`, simUrl: e2e.simUrl, params: { tenant: T.oidc } }));
    const end = client.buildEndSessionUrl(web, { id_token_hint: again.id_token!, post_logout_redirect_uri: `${rp.url}/logged-out` });
    const confirm = await browser.go(end.href);
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(confirm.text)![1]!;
    const action = /<form[^>]*action="([^"]+)"/.exec(confirm.text)![1]!;
    await browser.postForm(new URL(action, e2e.bridge.url).href, { xsrf, logout: 'yes' }, { stopAt: (u) => u.startsWith(`${rp.url}/logged-out`) });
    expect(of('backchannel')).toEqual([{ kind: 'backchannel', protocol: 'oidc', clientId: 'web-app', outcome: 'delivered', ...person }]);
    // The bridge session ends with the provider's, reported as a sign-out.
    expect(of('session_end')).toEqual([expect.objectContaining({ cause: 'logout', reason: 'rp-initiated logout', count: 1, ...person })]);
  });

  it('back-channel logouts after a deprovisioning go through the outbox: delivered, or retrying while the app does not answer', { timeout: 30_000 }, async () => {
    const browser = new TestBrowser();
    const web = await rp.config('web-app', issuer);
    const other = await rp.config('other-app', issuer);
    await redeem(web, await authorize(browser, web, { redirectUri: `${rp.url}/callback`, simUrl: e2e.simUrl, login: { tenant: T.outbox, userName: 'zhang.san' }, params: { tenant: T.outbox } }));
    await redeem(other, await authorize(browser, other, { redirectUri: `${rp.url}/other-callback`, simUrl: e2e.simUrl, params: { tenant: T.outbox } }));
    rp.hangFor(3_500); // longer than oidc-provider's 2.5 s: other-app's first try fails
    const answer = await e2e.bridge.sender.send('authSync', authBody([{ userName: 'zhang.san' }], { tenantId: T.outbox, flag: 3, currentSyncTime: '20991231000000000' }));
    expect(answer.resultCode).toBe('000000');
    const outcomes = () => of('backchannel').map((o) => `${o.clientId}:${o.outcome}`);
    await expect.poll(outcomes, { timeout: 20_000, interval: 100 }).toEqual(expect.arrayContaining(['web-app:delivered', 'other-app:retrying', 'other-app:delivered']));
    expect(outcomes().indexOf('other-app:retrying')).toBeLessThan(outcomes().indexOf('other-app:delivered'));
    for (const o of of('backchannel')) expect(o).toMatchObject({ protocol: 'oidc', tenantId: T.outbox, userName: 'zhang.san' });
    expect(rp.logoutTokens.map((t) => decodeJwt(t).aud)).toEqual(expect.arrayContaining(['web-app', 'other-app']));
  });

  it('the same facts are Prometheus series on /metrics, on the main port only with METRICS_TOKEN', async () => {
    expect((await fetch(`${e2e.bridge.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${e2e.bridge.url}/metrics`, { headers: { authorization: 'Bearer wrong-token-wrong-token-wrong' } })).status).toBe(401);
    const res = await fetch(`${e2e.bridge.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toMatch(/^koobridge_tokens_total\{protocol="oidc",client="web-app",action="issued",reason=""\} [1-9]/m);
    expect(text).toMatch(/^koobridge_idp_calls_total\{call="cas_validate",outcome="ok"\} [1-9]/m);
    expect(text).toMatch(/^koobridge_backchannel_logouts_total\{protocol="oidc",client="other-app",outcome="retrying"\} [1-9]/m);
    expect(text).toMatch(/^koobridge_store_command_duration_seconds_count\{command="get"\} [1-9]/m);
    expect(text).toMatch(/^koobridge_store_up 1$/m);
    expect(text).toMatch(/^koobridge_sessions_active [0-9]+$/m);
    expect(text).not.toMatch(/zhang\.san|li\.si/);
  });

  it('what the other rooms report is counted too: a KooGallery call, a login and its logout, an admin action, a rate-limited request', async () => {
    const scrape = async () => (await fetch(`${e2e.bridge.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
    const value = (text: string, series: string) => Number(new RegExp(`^${series.replace(/[{}()|.*+?^$[\]\\]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
    const SERIES = {
      webhook: 'koobridge_webhook_requests_total{interface="tenantSync",result_code="000000"}',
      login: 'koobridge_logins_total{method="unified",outcome="success",reason=""}',
      logout: 'koobridge_session_ends_total{cause="logout"}',
      adminRefused: 'koobridge_admin_actions_total{action="authenticate",outcome="refused"}',
      limited: 'koobridge_rate_limited_total{limit="admin_failures_ip",scope="ip"}',
    };
    const before = await scrape();

    expect((await e2e.bridge.sender.send('tenantSync', tenantBody({ tenantId: 'obs-webhook' }))).resultCode).toBe('000000');
    const browser = new TestBrowser();
    await browser.go(`${e2e.bridge.url}/sso/callback?code=${e2e.sim.issueCode('acme', 'li.si')}&tenant=acme`);
    expect((await browser.request(`${e2e.bridge.url}/api/session`)).status).toBe(200);
    await browser.postForm(`${e2e.bridge.url}/sso/logout`, {}, { headers: { origin: e2e.bridge.url }, stopAt: (u) => u.startsWith(e2e.simUrl) });
    expect((await browser.request(`${e2e.bridge.url}/api/session`)).status).toBe(401);
    // RATE_LIMIT_ADMIN_FAILURES_IP is 2 here: two wrong tokens, then the address is refused.
    for (const expected of [401, 401, 429]) expect((await e2e.bridge.admin('/tenants', { token: 'a-guessed-token-0123456789abcdef' })).status).toBe(expected);

    const after = await scrape();
    for (const [what, series] of Object.entries(SERIES)) expect(value(after, series) - value(before, series), `${what}: ${series}`).toBeGreaterThan(0);
    expect(value(after, 'koobridge_webhook_duration_seconds_count{interface="tenantSync"}')).toBeGreaterThan(value(before, 'koobridge_webhook_duration_seconds_count{interface="tenantSync"}'));
  });
});
