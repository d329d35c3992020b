/**
 * A code that cannot be tied to this browser (a unified-login or IdP-initiated callback: no state
 * we issued) is anyone's code. It must not silently switch a signed-in browser to another identity,
 * nor complete a sign-in waiting for an app: the bridge asks "Continue as …?" first. A returning
 * browser avoids the question by signing in at its tenant's IdP, with a state.
 */
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestBrowser, type Page } from '../support/browser.js';
import { closeAll } from '../support/cleanup.js';
import { demoTenantAs, startE2E, type E2E } from '../support/e2e.js';
import { startRp, type TestRp } from '../support/oidc-rp.js';
import { DEMO_TENANTS } from '../../tools/simulator/demo-data.js';
import { redeem } from './oidc-support.js';

// A tenant whose names need escaping, and a user with a Chinese name (as most KooGallery users have).
const CN = { ...demoTenantAs('acme-cn'), name: '艾克米贸易 <Acme & Co>', users: [{ userName: 'zhang.san', name: '张三', role: 'user' as const, orgCode: 'acme-it' }] };

describe('codes not tied to this browser ask before they switch identity or enter an app', () => {
  let e2e: E2E;
  let rp: TestRp;
  let web: client.Configuration;
  beforeAll(async () => {
    rp = await startRp();
    e2e = await startE2E({ bridge: { env: { OIDC_CLIENTS_FILE: rp.clientsFile } }, tenants: [...DEMO_TENANTS, CN] });
    web = await rp.config('web-app', `${e2e.bridge.url}/oidc`);
  });
  afterAll(() => closeAll(() => e2e?.close(), () => rp?.close()));

  const whoAmI = async (browser: TestBrowser) => {
    const res = await browser.request(`${e2e.bridge.url}/api/session`);
    return res.status === 200 ? ((await res.json()) as { userName: string; tenant: { id: string } }) : null;
  };
  const callback = (tenant: string, userName: string) => `${e2e.bridge.url}/sso/callback?code=${e2e.sim.issueCode(tenant, userName)}&tenant=${tenant}`;
  const path = (p: Page) => new URL(p.url).pathname;

  it('an attacker’s code opened in a signed-in browser does not switch it: the page names the attacker, the old session stays, Cancel keeps it', async () => {
    const browser = new TestBrowser();
    expect(path(await browser.go(callback('acme', 'zhang.san')))).toBe('/sso/me');
    const mine = browser.cookie(e2e.bridge.url, 'koobridge');

    const asked = await browser.go(callback('acme-cn', 'zhang.san'));
    expect(path(asked)).toBe('/sso/confirm');
    expect(asked.status).toBe(200);
    expect(asked.text).toContain('Continue as 张三?');
    expect(asked.text).toContain('<strong>张三</strong> (zhang.san) of <strong>艾克米贸易 &lt;Acme &amp; Co&gt;</strong>');
    expect(asked.text).toContain('This browser is signed in as <strong>Zhang San</strong> (zhang.san) of <strong>Acme Trading Co.</strong>');
    expect(asked.text).not.toContain('<Acme');
    expect(browser.cookie(e2e.bridge.url, 'koobridge')).toBe(mine);
    expect(await whoAmI(browser)).toMatchObject({ userName: 'zhang.san', tenant: { id: 'acme' } });

    const cancelled = await browser.answerConfirmation(asked, 'cancel');
    expect(path(cancelled)).toBe('/sso/me');
    expect(cancelled.text).toContain('Signed in as Zhang San');
    expect(await whoAmI(browser)).toMatchObject({ userName: 'zhang.san', tenant: { id: 'acme' } });
    // The held-back session is gone: the same form cannot be submitted again.
    expect((await browser.answerConfirmation(asked, 'continue')).status).toBe(403);
    expect(await whoAmI(browser)).toMatchObject({ tenant: { id: 'acme' } });
  });

  it('Continue switches: the previous session ends and the new identity is signed in', async () => {
    const browser = new TestBrowser();
    await browser.go(callback('acme', 'zhang.san'));
    const old = browser.cookie(e2e.bridge.url, 'koobridge')!;
    const asked = await browser.go(callback('globex', 'li.si'));
    expect(asked.text).toContain('Continue as Li Si (Globex)?');
    const done = await browser.answerConfirmation(asked, 'continue');
    expect(path(done)).toBe('/sso/me');
    expect(await whoAmI(browser)).toMatchObject({ userName: 'li.si', tenant: { id: 'globex' } });
    const stale = new TestBrowser();
    stale.setCookie(e2e.bridge.url, 'koobridge', old);
    expect(await whoAmI(stale)).toBeNull();
  });

  it('the confirmation is refused without its token or from another origin', async () => {
    const browser = new TestBrowser();
    await browser.go(callback('acme', 'zhang.san'));
    const asked = await browser.go(callback('globex', 'zhao.liu'));
    const bridge = e2e.bridge.url;
    const forged = await browser.postForm(`${bridge}/sso/confirm`, { decision: 'continue', token: 'A'.repeat(43) });
    expect(forged.status).toBe(403);
    const crossSite = await browser.postForm(`${bridge}/sso/confirm`, { decision: 'continue', token: /name="token" value="([^"]+)"/.exec(asked.text)![1]! }, { headers: { origin: 'https://evil.example.com' } });
    expect(crossSite.status).toBe(403);
    const getOnly = await browser.go(`${bridge}/sso/confirm?decision=continue`);
    expect(getOnly.status).toBe(200); // GET only shows the question
    expect(await whoAmI(browser)).toMatchObject({ userName: 'zhang.san', tenant: { id: 'acme' } });
  });

  it('Chromium’s Origin null (our no-referrer pages) confirms with the token; same-site Fetch Metadata is refused', async () => {
    const browser = new TestBrowser();
    await browser.go(callback('acme', 'zhang.san'));
    const asked = await browser.go(callback('globex', 'zhao.liu'));
    const token = /name="token" value="([^"]+)"/.exec(asked.text)![1]!;
    const bridge = e2e.bridge.url;
    const sameSite = await browser.postForm(`${bridge}/sso/confirm`, { decision: 'continue', token }, { headers: { origin: 'null', 'sec-fetch-site': 'same-site' } });
    expect(sameSite.status).toBe(403);
    expect(await whoAmI(browser)).toMatchObject({ userName: 'zhang.san' });
    const again = await browser.go(callback('globex', 'zhao.liu'));
    const fresh = /name="token" value="([^"]+)"/.exec(again.text)![1]!;
    const done = await browser.postForm(`${bridge}/sso/confirm`, { decision: 'continue', token: fresh }, { headers: { origin: 'null', 'sec-fetch-site': 'same-origin' } });
    expect(path(done)).toBe('/sso/me');
    expect(await whoAmI(browser)).toMatchObject({ userName: 'zhao.liu', tenant: { id: 'globex' } });
  });

  it('an OpenID sign-in waiting at the unified login is not completed by a foreign code: the app gets nothing until the user confirms', async () => {
    const browser = new TestBrowser();
    const redirectUri = `${rp.url}/callback`;
    const atApp = (u: string) => u.startsWith(redirectUri);
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const authUrl = client.buildAuthorizationUrl(web, { redirect_uri: redirectUri, scope: 'openid profile tenant', state, nonce, code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
    const waiting = await browser.go(authUrl.href, { stopAt: (u) => u.startsWith(e2e.simUrl) || atApp(u) });
    expect(new URL(waiting.url).pathname).toBe('/unified-login/');

    // The victim, waiting at KooGallery's page, opens the attacker's callback link instead.
    const asked = await browser.go(callback('globex', 'zhao.liu'), { stopAt: atApp });
    expect(atApp(asked.url)).toBe(false);
    expect(path(asked)).toBe('/sso/confirm');
    expect(asked.text).toContain('Continue as Zhao Liu?');
    expect(asked.text).toContain('The application waiting for this sign-in will receive this identity.');
    expect(await whoAmI(browser)).toBeNull();
    // Going back to the app's sign-in without confirming does not complete it either.
    const retried = await browser.go(authUrl.href, { stopAt: (u) => u.startsWith(e2e.simUrl) || atApp(u) });
    expect(atApp(retried.url)).toBe(false);

    // Only the user's own confirmation completes it (here: of the first, still pending, interaction).
    const asked2 = await browser.go(callback('globex', 'zhao.liu'), { stopAt: atApp });
    const done = await browser.answerConfirmation(asked2, 'continue', { stopAt: atApp });
    expect(atApp(done.url)).toBe(true);
    const tokens = await redeem(web, { callbackUrl: new URL(done.url), verifier, state, nonce, signInUrl: null });
    expect(tokens.claims()).toMatchObject({ tenant_id: 'globex', preferred_username: 'zhao.liu' });
  });

  it('a re-login of the identity the browser already has goes on without a page', async () => {
    const browser = new TestBrowser();
    await browser.go(callback('acme', 'li.si'));
    const again = await browser.go(callback('acme', 'li.si'));
    expect(again.hops.map((h) => new URL(h.url).pathname)).toEqual(['/sso/callback', '/sso/me']);
    expect(await whoAmI(browser)).toMatchObject({ userName: 'li.si', tenant: { id: 'acme' } });
  });

  it('a workbench (IdP-initiated) login into a browser with no session and no pending sign-in goes on without a page', async () => {
    const browser = new TestBrowser();
    const done = await browser.go(callback('globex', 'zhao.liu'));
    expect(done.hops.map((h) => new URL(h.url).pathname)).toEqual(['/sso/callback', '/sso/me']);
    expect(await whoAmI(browser)).toMatchObject({ userName: 'zhao.liu', tenant: { id: 'globex' } });
  });

  it('a returning browser signs in at its tenant’s IdP with a state (no question asked); unified=1 uses another organization', async () => {
    const browser = new TestBrowser();
    await browser.go(callback('acme', 'li.si'));
    const tenantCookie = browser.cookie(e2e.bridge.url, 'koobridge-tenant');
    expect(tenantCookie).toBe('acme');
    await browser.postForm(`${e2e.bridge.url}/sso/logout`, {}, { headers: { origin: e2e.bridge.url }, stopAt: (u) => u.startsWith(e2e.simUrl) });
    expect(await whoAmI(browser)).toBeNull();

    const toIdp = await browser.go(`${e2e.bridge.url}/sso/login`, { stopAt: (u) => u.startsWith(e2e.simUrl) });
    const authorize = new URL(toIdp.url);
    expect(authorize.pathname).toBe('/idp/acme/api/v1/oauth2/authorize');
    // Self-identifying: kb1.<random>.<MAC keyed from SECRET_KEYS> (login/callback/own-states.ts).
    expect(authorize.searchParams.get('state')).toMatch(/^kb1\.[A-Za-z0-9_-]{32}\.[A-Za-z0-9_-]{22}$/);
    const done = await browser.postForm(toIdp.url, { userName: 'li.si', password: 'x' });
    expect(path(done)).toBe('/sso/me');
    expect(await whoAmI(browser)).toMatchObject({ userName: 'li.si', tenant: { id: 'acme' } });

    const other = await browser.go(`${e2e.bridge.url}/sso/login?unified=1`, { stopAt: (u) => u.startsWith(e2e.simUrl) });
    expect(new URL(other.url).pathname).toBe('/unified-login/');
    const signedOut = await new TestBrowser().go(`${e2e.bridge.url}/sso/logged-out`);
    expect(signedOut.text).toContain('href="/sso/login?unified=1"');
  });

  it('a returning browser’s OpenID sign-in goes through its tenant’s IdP and reaches the app without a question', async () => {
    const browser = new TestBrowser();
    browser.setCookie(e2e.bridge.url, 'koobridge-tenant', 'globex');
    const redirectUri = `${rp.url}/callback`;
    const atApp = (u: string) => u.startsWith(redirectUri);
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const authUrl = client.buildAuthorizationUrl(web, { redirect_uri: redirectUri, scope: 'openid profile tenant', state, nonce, code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
    const toIdp = await browser.go(authUrl.href, { stopAt: (u) => u.startsWith(e2e.simUrl) });
    expect(new URL(toIdp.url).pathname).toBe('/idp/globex/api/v1/oauth2/authorize');
    const done = await browser.postForm(toIdp.url, { userName: 'zhao.liu', password: 'x' }, { stopAt: atApp });
    expect(done.hops.map((h) => new URL(h.url).pathname)).not.toContain('/sso/confirm');
    expect(atApp(done.url)).toBe(true);
    const tokens = await redeem(web, { callbackUrl: new URL(done.url), verifier, state, nonce, signInUrl: null });
    expect(tokens.claims()).toMatchObject({ tenant_id: 'globex', preferred_username: 'zhao.liu' });
  });
});
