import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authBody } from '../support/bridge.js';
import { TestBrowser } from '../support/browser.js';
import { DEMO_TENANTS } from '../../tools/simulator/demo-data.js';
import { demoTenantAs, startE2E, type E2E } from '../support/e2e.js';
import { startRp, WEB_SECRET, type TestRp } from '../support/oidc-rp.js';
import { closeAll } from '../support/cleanup.js';
import { withDateNowAhead } from '../support/time.js';
import { authorize, expectInvalidToken, redeem } from './oidc-support.js';

const GRACE_S = 1;
// A copy of acme for the deprovisioning test, so the users of the other tests stay authorized.
const DEPROVISIONED = 'oidc-deprovisioned';

describe('OpenID provider refuses what it must', () => {
  let rp: TestRp;
  let e2e: E2E;
  let issuer: string;
  let web: client.Configuration;
  let spa: client.Configuration;
  beforeAll(async () => {
    rp = await startRp();
    e2e = await startE2E({ bridge: { env: { OIDC_CLIENTS_FILE: rp.clientsFile, OIDC_REFRESH_GRACE: `${GRACE_S}s` } }, tenants: [...DEMO_TENANTS, demoTenantAs(DEPROVISIONED)] });
    issuer = `${e2e.bridge.url}/oidc`;
    web = await rp.config('web-app', issuer);
    spa = await rp.config('spa', issuer);
  });
  afterAll(() => closeAll(() => e2e?.close(), () => rp?.close()));

  /** A browser with a bridge session, so authorizations complete without a login form. */
  async function signedIn(tenant = 'acme', userName = 'li.si'): Promise<TestBrowser> {
    const browser = new TestBrowser();
    await browser.go(`${e2e.bridge.url}/sso/callback?code=${e2e.sim.issueCode(tenant, userName)}&tenant=${tenant}`);
    return browser;
  }
  const codeFor = async (cfg = web, redirectUri = `${rp.url}/callback`, params: Record<string, string> = {}) =>
    authorize(await signedIn(), cfg, { redirectUri, simUrl: e2e.simUrl, params: { prompt: 'consent', ...params } });

  it.each([
    ['a trailing slash', '/callback/'],
    ['an extra query', '/callback?x=1'],
    ['another path', '/callbackx'],
    ['upper case', '/CALLBACK'],
  ])('a redirect URI with %s is refused with an error page, never redirected to', async (_, suffix) => {
    const browser = await signedIn();
    const url = client.buildAuthorizationUrl(web, { redirect_uri: `${rp.url}${suffix}`, scope: 'openid', code_challenge: await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier()), code_challenge_method: 'S256' });
    const page = await browser.go(url.href);
    expect(page.status).toBe(400);
    expect(page.text).toContain('redirect_uri');
    expect(page.hops.every((h) => !h.url.startsWith(rp.url))).toBe(true);
  });

  it('a public client without PKCE is refused', async () => {
    const browser = await signedIn();
    const url = client.buildAuthorizationUrl(spa, { redirect_uri: `${rp.url}/spa`, scope: 'openid' });
    const page = await browser.go(url.href, { stopAt: (u) => u.startsWith(`${rp.url}/spa`) });
    expect(new URL(page.url).searchParams.get('error')).toBe('invalid_request');
    expect(new URL(page.url).searchParams.get('error_description')).toMatch(/PKCE/);
  });

  it('PKCE method plain is refused', async () => {
    const browser = await signedIn();
    const url = client.buildAuthorizationUrl(spa, { redirect_uri: `${rp.url}/spa`, scope: 'openid', code_challenge: 'a'.repeat(43), code_challenge_method: 'plain' });
    const page = await browser.go(url.href, { stopAt: (u) => u.startsWith(`${rp.url}/spa`) });
    expect(new URL(page.url).searchParams.get('error')).toBe('invalid_request');
  });

  it('a wrong PKCE verifier is refused at the token endpoint', async () => {
    const r = await codeFor();
    await expect(redeem(web, { ...r, verifier: client.randomPKCECodeVerifier() })).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('a code is single-use: a second redemption fails', async () => {
    const r = await codeFor();
    await redeem(web, r);
    await expect(redeem(web, r)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('a code redeemed twice in parallel yields tokens exactly once', async () => {
    const r = await codeFor();
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => redeem(web, r)));
    expect(results.filter((x) => x.status === 'fulfilled')).toHaveLength(1);
    for (const x of results.filter((y) => y.status === 'rejected')) expect((x as PromiseRejectedResult).reason).toMatchObject({ error: 'invalid_grant' });
  });

  it('a code issued to one client cannot be redeemed by another', async () => {
    const r = await codeFor();
    const other = await rp.config('other-app', issuer);
    await expect(client.authorizationCodeGrant(other, r.callbackUrl, { pkceCodeVerifier: r.verifier, expectedState: r.state })).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('introspection tells active tokens from revoked ones, and revocation revokes', async () => {
    const tokens = await redeem(web, await codeFor());
    expect(await client.tokenIntrospection(web, tokens.access_token)).toMatchObject({ active: true, client_id: 'web-app', sub: tokens.claims()!.sub });
    await client.tokenRevocation(web, tokens.access_token);
    expect(await client.tokenIntrospection(web, tokens.access_token)).toMatchObject({ active: false });
    await expectInvalidToken(client.fetchUserInfo(web, tokens.access_token, tokens.claims()!.sub));
  });

  it('a wrong client secret is refused', async () => {
    const r = await codeFor();
    const wrong = await client.discovery(new URL(issuer), 'web-app', undefined, client.ClientSecretBasic(`${WEB_SECRET}-wrong`), { execute: [client.allowInsecureRequests] });
    await expect(redeem(wrong, r)).rejects.toMatchObject({ status: 401 });
  });

  it('two concurrent refreshes within the grace period both succeed (the user stays signed in)', async () => {
    const tokens = await redeem(web, await codeFor());
    const [a, b] = await Promise.all([client.refreshTokenGrant(web, tokens.refresh_token!), client.refreshTokenGrant(web, tokens.refresh_token!)]);
    expect(a.access_token).toBeDefined();
    expect(b.access_token).toBeDefined();
  });

  it('reusing a rotated refresh token after the grace period revokes the grant', async () => {
    const tokens = await redeem(web, await codeFor());
    const rotated = await client.refreshTokenGrant(web, tokens.refresh_token!);
    // The grace is measured by the store adapter on the wall clock, which oidc-provider reads too.
    await withDateNowAhead(GRACE_S * 1000 + 1, async () => {
      await expect(client.refreshTokenGrant(web, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
      // The replay revoked the whole grant: the legitimately rotated token is dead too.
      await expect(client.refreshTokenGrant(web, rotated.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    });
  });

  it('an unregistered post_logout_redirect_uri is refused with an error page', async () => {
    const browser = await signedIn();
    const r = await authorize(browser, web, { redirectUri: `${rp.url}/callback`, simUrl: e2e.simUrl });
    const tokens = await redeem(web, r);
    const end = client.buildEndSessionUrl(web, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: 'https://evil.example.com/' });
    const page = await browser.go(end.href);
    expect(page.status).toBe(400);
    expect(page.text).toContain('post_logout_redirect_uri');
  });

  it('a foreign or tampered id_token_hint is refused', async () => {
    const browser = await signedIn();
    const r = await authorize(browser, web, { redirectUri: `${rp.url}/callback`, simUrl: e2e.simUrl });
    const tokens = await redeem(web, r);
    const [h, p] = tokens.id_token!.split('.');
    const forged = `${h}.${p}.${Buffer.from('not a signature').toString('base64url')}`;
    const page = await browser.go(client.buildEndSessionUrl(web, { id_token_hint: forged }).href);
    expect(page.status).toBe(400);
    expect(page.text).toContain('id_token_hint');
  });

  it('an expired id_token_hint only leads to the confirmation page (RP-Initiated Logout §2: the OP should accept it)', async () => {
    const browser = await signedIn();
    const tokens = await redeem(web, await authorize(browser, web, { redirectUri: `${rp.url}/callback`, simUrl: e2e.simUrl }));
    // Past the 1 h ID token lifetime, for the provider in this process.
    await withDateNowAhead(2 * 3600_000, async () => {
      const page = await browser.go(client.buildEndSessionUrl(web, { id_token_hint: tokens.id_token! }).href);
      expect(page.status).toBe(200);
      expect(page.text).toContain('name="xsrf"');
    });
  });

  it('deprovisioning revokes the user’s refresh tokens before it answers, then sends back-channel logout to every client through the outbox, a slow one blocking neither the answer nor another client', async () => {
    const browser = await signedIn(DEPROVISIONED, 'zhang.san');
    const webTokens = await redeem(web, await authorize(browser, web, { redirectUri: `${rp.url}/callback`, simUrl: e2e.simUrl, params: { prompt: 'consent' } }));
    const other = await rp.config('other-app', issuer);
    await redeem(other, await authorize(browser, other, { redirectUri: `${rp.url}/other-callback`, simUrl: e2e.simUrl }));
    const before = rp.logoutTokens.length;
    rp.setSlow(1_500);
    try {
      const started = Date.now();
      const answer = await e2e.bridge.sender.send('authSync', authBody([{ userName: 'zhang.san' }], { tenantId: DEPROVISIONED, flag: 3, currentSyncTime: '20991231000000000' }));
      expect(answer.resultCode).toBe('000000');
      // The slow app (1.5 s) is not waited for: its notification goes out after the answer.
      expect(Date.now() - started).toBeLessThan(1_000);
      await expect(client.refreshTokenGrant(web, webTokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
      await expectInvalidToken(client.fetchUserInfo(web, webTokens.access_token, webTokens.claims()!.sub));
      await e2e.bridge.outbox.drain();
      expect(rp.logoutTokens.length).toBe(before + 2);
      expect(await e2e.bridge.outbox.pending()).toBe(0);
    } finally {
      rp.setSlow(0);
    }
  });
});
