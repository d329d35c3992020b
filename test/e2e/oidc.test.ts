import * as client from 'openid-client';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authBody, user } from '../support/bridge.js';
import { TestBrowser } from '../support/browser.js';
import { DEMO_TENANTS } from '../../tools/simulator/demo-data.js';
import { demoTenantAs, startE2E, type E2E } from '../support/e2e.js';
import { startRp, type TestRp } from '../support/oidc-rp.js';
import { closeAll } from '../support/cleanup.js';
import { authorize, redeem } from './oidc-support.js';

const RENAMED = 'oidc-renamed';

describe('OpenID provider with openid-client as the relying party', () => {
  let rp: TestRp;
  let e2e: E2E;
  let issuer: string;
  let web: client.Configuration;
  beforeAll(async () => {
    rp = await startRp();
    // RENAMED: a copy of globex for the test that renames its user, so no other test sees the change.
    e2e = await startE2E({ bridge: { env: { OIDC_CLIENTS_FILE: rp.clientsFile, OIDC_REFRESH_GRACE: '2s' } }, tenants: [...DEMO_TENANTS, demoTenantAs(RENAMED, DEMO_TENANTS[1])] });
    issuer = `${e2e.bridge.url}/oidc`;
    web = await rp.config('web-app', issuer);
  });
  afterAll(() => closeAll(() => e2e?.close(), () => rp?.close()));

  const login = (tenant: string, userName: string) => ({ tenant, userName });

  it('discovery advertises the issuer, ES256, PKCE S256, iss in responses and logout endpoints', () => {
    const meta = web.serverMetadata();
    expect(meta.issuer).toBe(issuer);
    expect(meta.id_token_signing_alg_values_supported).toContain('ES256');
    expect(meta.code_challenge_methods_supported).toEqual(['S256']);
    expect(meta.authorization_response_iss_parameter_supported).toBe(true);
    expect(meta.end_session_endpoint).toBe(`${issuer}/session/end`);
    expect(meta.backchannel_logout_supported).toBe(true);
    expect(meta.introspection_endpoint).toBeDefined();
    expect(meta.revocation_endpoint).toBeDefined();
    expect(meta.scopes_supported).toEqual(expect.arrayContaining(['openid', 'profile', 'email', 'phone', 'tenant', 'offline_access']));
  });

  it('full flow: authorization (PKCE) → KooGallery login → code → tokens → ID token → userinfo → refresh → RP logout → back-channel logout', async () => {
    const browser = new TestBrowser();
    // offline_access needs prompt=consent (OpenID Connect Core §11); first-party apps are not asked.
    const r = await authorize(browser, web, { redirectUri: `${rp.url}/callback`, simUrl: e2e.simUrl, login: login('acme', 'zhang.san'), params: { prompt: 'consent' } });
    expect(r.callbackUrl.searchParams.get('iss')).toBe(issuer);
    const tokens = await redeem(web, r);
    const claims = tokens.claims()!;
    expect(claims).toMatchObject({
      iss: issuer,
      aud: 'web-app',
      sub: expect.stringMatching(/^acme\./),
      tenant_id: 'acme',
      tenant_code: 'acme',
      tenant_name: 'Acme Trading Co.',
      preferred_username: 'zhang.san',
      name: 'Zhang San',
      role: 'admin',
      org_code: 'acme-it',
    });
    expect(tokens.refresh_token).toBeDefined();

    const info = await client.fetchUserInfo(web, tokens.access_token, claims.sub);
    expect(info).toMatchObject({ sub: claims.sub, email: 'zhang.san@acme.example.com', phone_number: '+86-100-0000-0001', role: 'admin', tenant_id: 'acme' });

    const refreshed = await client.refreshTokenGrant(web, tokens.refresh_token!);
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);

    const before = rp.logoutTokens.length;
    const end = client.buildEndSessionUrl(web, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: `${rp.url}/logged-out`, state: 'bye' });
    const confirm = await browser.go(end.href);
    expect(confirm.status).toBe(200);
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(confirm.text)![1]!;
    const action = /<form[^>]*action="([^"]+)"/.exec(confirm.text)![1]!;
    const out = await browser.postForm(new URL(action, e2e.bridge.url).href, { xsrf, logout: 'yes' }, { stopAt: (u) => u.startsWith(`${rp.url}/logged-out`) });
    // Through the tenant IdP's logout, then back to the app.
    expect(out.hops.map((h) => new URL(h.url).pathname)).toContain('/idp/acme/api/v1/logout');
    expect(new URL(out.url).searchParams.get('state')).toBe('bye');
    expect((await browser.request(`${e2e.bridge.url}/api/session`)).status).toBe(401);

    expect(rp.logoutTokens.length).toBe(before + 1);
    const jwks = createRemoteJWKSet(new URL(web.serverMetadata().jwks_uri!));
    const { payload, protectedHeader } = await jwtVerify(rp.logoutTokens.at(-1)!, jwks, { issuer, audience: 'web-app' });
    expect(protectedHeader.alg).toBe('ES256');
    expect(payload.sub).toBe(claims.sub);
    expect(payload.sid).toBe(claims.sid);
    expect(payload.events).toEqual({ 'http://schemas.openid.net/event/backchannel-logout': {} });
    // offline_access is access that outlives the login session (OpenID Connect Core §11): the app's
    // refresh token survives logout; deprovisioning, not logout, is what revokes it.
    expect((await client.refreshTokenGrant(web, refreshed.refresh_token!)).access_token).toBeDefined();
  });

  it('with a valid bridge session the authorization completes without a new upstream login', async () => {
    const browser = new TestBrowser();
    await browser.go(`${e2e.bridge.url}/sso/callback?code=${e2e.sim.issueCode('acme', 'li.si')}&tenant=acme`);
    const calls = e2e.sim.stats().tokenCalls;
    const r = await authorize(browser, web, { redirectUri: `${rp.url}/callback`, simUrl: e2e.simUrl });
    expect(e2e.sim.stats().tokenCalls).toBe(calls);
    expect((await redeem(web, r)).claims()).toMatchObject({ preferred_username: 'li.si', tenant_id: 'acme' });
  });

  it('prompt=login forces a new upstream login', async () => {
    const browser = new TestBrowser();
    await browser.go(`${e2e.bridge.url}/sso/callback?code=${e2e.sim.issueCode('acme', 'li.si')}&tenant=acme`);
    const calls = e2e.sim.stats().tokenCalls;
    const r = await authorize(browser, web, { redirectUri: `${rp.url}/callback`, simUrl: e2e.simUrl, params: { prompt: 'login', tenant: 'acme' }, login: login('acme', 'li.si') });
    expect(e2e.sim.stats().tokenCalls).toBeGreaterThan(calls);
    expect((await redeem(web, r)).claims()?.preferred_username).toBe('li.si');
  });

  it('a tenant hint (tenant=ID or login_hint=tenant:ID) goes straight to that tenant’s IdP', async () => {
    for (const params of [{ tenant: 'globex' }, { login_hint: 'tenant:globex' }] as Record<string, string>[]) {
      const browser = new TestBrowser();
      const r = await authorize(browser, web, { redirectUri: `${rp.url}/callback`, simUrl: e2e.simUrl, params, login: login('globex', 'zhao.liu') });
      expect((await redeem(web, r)).claims()).toMatchObject({ tenant_id: 'globex', preferred_username: 'zhao.liu' });
    }
  });

  it('sub is stable per (tenant, userName) and differs across tenants for the same userName', async () => {
    const subs: string[] = [];
    for (const tenant of ['acme', 'globex', 'acme']) {
      const browser = new TestBrowser();
      const r = await authorize(browser, web, { redirectUri: `${rp.url}/callback`, simUrl: e2e.simUrl, params: { tenant }, login: login(tenant, 'li.si') });
      subs.push((await redeem(web, r)).claims()!.sub);
    }
    expect(subs[0]).toBe(subs[2]);
    expect(subs[0]).not.toBe(subs[1]);
  });

  it('userinfo reflects the directory at the time of the call (a renamed user shows the new name)', async () => {
    const browser = new TestBrowser();
    const r = await authorize(browser, web, { redirectUri: `${rp.url}/callback`, simUrl: e2e.simUrl, params: { tenant: RENAMED }, login: login(RENAMED, 'zhao.liu') });
    const tokens = await redeem(web, r);
    expect((await client.fetchUserInfo(web, tokens.access_token, tokens.claims()!.sub)).name).toBe('Zhao Liu');
    const answer = await e2e.bridge.sender.send('authSync', authBody([user('zhao.liu', { name: 'Zhao Liu (Chief)', role: 'admin', orgCode: 'globex-root' })], { tenantId: RENAMED, flag: 2, currentSyncTime: '20991231000000000' }));
    expect(answer.resultCode).toBe('000000');
    expect((await client.fetchUserInfo(web, tokens.access_token, tokens.claims()!.sub)).name).toBe('Zhao Liu (Chief)');
  });

  it('prompt=none without a session answers login_required to the app', async () => {
    const browser = new TestBrowser();
    const state = client.randomState();
    const url = client.buildAuthorizationUrl(web, { redirect_uri: `${rp.url}/callback`, scope: 'openid', prompt: 'none', state, code_challenge: await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier()), code_challenge_method: 'S256' });
    const page = await browser.go(url.href, { stopAt: (u) => u.startsWith(`${rp.url}/callback`) });
    const answer = new URL(page.url).searchParams;
    expect(answer.get('error')).toBe('login_required');
    expect(answer.get('state')).toBe(state);
  });

  it('a tenant not allowed for the client gets access_denied', async () => {
    const globexOnly = await rp.config('globex-only', issuer);
    const browser = new TestBrowser();
    await browser.go(`${e2e.bridge.url}/sso/callback?code=${e2e.sim.issueCode('acme', 'li.si')}&tenant=acme`);
    const url = client.buildAuthorizationUrl(globexOnly, { redirect_uri: `${rp.url}/globex`, scope: 'openid', state: 's1' });
    const page = await browser.go(url.href, { stopAt: (u) => u.startsWith(`${rp.url}/globex`) });
    const answer = new URL(page.url).searchParams;
    expect(answer.get('error')).toBe('access_denied');
    expect(answer.get('error_description')).toContain('acme');
  });

  it('a client allowed one tenant only sends the user straight to that tenant’s IdP', async () => {
    const browser = new TestBrowser();
    const spa = await rp.config('spa', issuer);
    const r = await authorize(browser, spa, { redirectUri: `${rp.url}/spa`, simUrl: e2e.simUrl, login: login('acme', 'li.si') });
    expect(new URL(r.signInUrl!).pathname).toBe('/idp/acme/api/v1/oauth2/authorize');
    expect((await redeem(spa, r)).claims()?.tenant_id).toBe('acme');
  });

  it('an OpenID session made for one app does not carry a tenant into an app that does not allow it', async () => {
    const browser = new TestBrowser();
    await authorize(browser, web, { redirectUri: `${rp.url}/callback`, simUrl: e2e.simUrl, params: { tenant: 'acme' }, login: login('acme', 'li.si') });
    const globexOnly = await rp.config('globex-only', issuer);
    const url = client.buildAuthorizationUrl(globexOnly, { redirect_uri: `${rp.url}/globex`, scope: 'openid', state: 's2' });
    const page = await browser.go(url.href, { stopAt: (u) => u.startsWith(`${rp.url}/globex`) });
    expect(new URL(page.url).searchParams.get('error')).toBe('access_denied');
  });

  it('asking for another tenant than the OpenID session’s signs the user in at that tenant', async () => {
    const browser = new TestBrowser();
    await authorize(browser, web, { redirectUri: `${rp.url}/callback`, simUrl: e2e.simUrl, params: { tenant: 'acme' }, login: login('acme', 'li.si') });
    const r = await authorize(browser, web, { redirectUri: `${rp.url}/callback`, simUrl: e2e.simUrl, params: { tenant: 'globex' }, login: login('globex', 'zhao.liu') });
    expect(new URL(r.signInUrl!).pathname).toBe('/idp/globex/api/v1/oauth2/authorize');
    expect((await redeem(web, r)).claims()).toMatchObject({ tenant_id: 'globex', preferred_username: 'zhao.liu' });
    // The provider ended its previous session on the way; the bridge session of the new login stays.
    const me = await browser.request(`${e2e.bridge.url}/api/session`);
    expect(((await me.json()) as { userName: string }).userName).toBe('zhao.liu');
  });

  it('a third-party client shows a consent page; allowing it completes the flow', async () => {
    const third = await rp.config('third-party', issuer);
    const browser = new TestBrowser();
    await browser.go(`${e2e.bridge.url}/sso/callback?code=${e2e.sim.issueCode('acme', 'li.si')}&tenant=acme`);
    const verifier = client.randomPKCECodeVerifier();
    const url = client.buildAuthorizationUrl(third, { redirect_uri: `${rp.url}/third`, scope: 'openid profile', code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
    const consent = await browser.go(url.href, { stopAt: (u) => u.startsWith(`${rp.url}/third`) });
    expect(consent.text).toContain('Allow');
    const action = /<form method="post" action="([^"]+)"/.exec(consent.text)![1]!;
    const done = await browser.postForm(new URL(action, e2e.bridge.url).href, { decision: 'allow' }, { stopAt: (u) => u.startsWith(`${rp.url}/third`) });
    const tokens = await client.authorizationCodeGrant(third, new URL(done.url), { pkceCodeVerifier: verifier, idTokenExpected: true });
    expect(tokens.claims()?.preferred_username).toBe('li.si');
  });

  it('the consent page speaks Chinese to a Chinese browser, scopes in words, Deny styled apart from Allow', async () => {
    const third = await rp.config('third-party', issuer);
    const browser = new TestBrowser({ acceptLanguage: 'zh-CN,zh;q=0.9' });
    await browser.go(`${e2e.bridge.url}/sso/callback?code=${e2e.sim.issueCode('acme', 'li.si')}&tenant=acme`);
    const verifier = client.randomPKCECodeVerifier();
    const url = client.buildAuthorizationUrl(third, { redirect_uri: `${rp.url}/third`, scope: 'openid profile', code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
    const consent = await browser.go(url.href, { stopAt: (u) => u.startsWith(`${rp.url}/third`) });
    expect(consent.text).toContain('<html lang="zh-CN">');
    expect(consent.text).toContain('访问您的账号吗？');
    expect(consent.text).toContain('您的姓名、账号和角色');
    expect(consent.text).toContain('<button type="submit" name="decision" value="allow">允许</button>');
    expect(consent.text).toContain('<button class="secondary" type="submit" name="decision" value="deny">拒绝</button>');
    expect(consent.text).not.toContain('Allow');
  });
});
