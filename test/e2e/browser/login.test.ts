/**
 * Browser logins in Debian's Chromium (playwright-core, no browser download) against the e2e rig:
 * what a person sees on each page, kept as test-artifacts/screenshots/<flow>-<step>.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as client from 'openid-client';
import type { BrowserContext, Page } from 'playwright-core';
import { launchChromium, pagePerTest, screenshot, type TestChromium } from '../../support/chromium.js';
import { startE2E, type E2E } from '../../support/e2e.js';
import { startBridge } from '../../support/bridge.js';
import { startRp, type TestRp } from '../../support/oidc-rp.js';

describe('logins in Chromium', () => {
  let chromium: TestChromium;
  let e2e: E2E;
  let rp: TestRp;
  let context: BrowserContext;
  let page: Page;
  beforeAll(async () => {
    rp = await startRp();
    [chromium, e2e] = await Promise.all([launchChromium(), startE2E({ bridge: { env: { OIDC_CLIENTS_FILE: rp.clientsFile } } })]);
  });
  afterAll(async () => {
    await chromium?.close();
    await e2e?.close();
    await rp?.close();
  });
  pagePerTest(
    () => chromium,
    (c, p) => {
      context = c;
      page = p;
    },
  );

  const heading = () => page.locator('h1').innerText();
  const sessionStatus = async () => (await context.request.get(`${e2e.bridge.url}/api/session`)).status();

  /** The simulator's own sign-in page of a tenant IdP (OAuth2 authorize or CAS login). */
  const signInAtTenant = async (flow: string, user: string) => {
    await screenshot(page, flow, 'tenant-idp');
    await page.selectOption('#userName', user);
    await page.fill('#password', 'any');
    await page.click('button[type=submit]');
  };

  it('unified login: KooGallery login page → signed in as Zhang San', async () => {
    await page.goto(`${e2e.bridge.url}/sso/login`);
    expect(page.url()).toBe(`${e2e.simUrl}/unified-login/?ind=UNOP&appId=app-koobridge-test`);
    expect(await heading()).toContain('KooGallery unified login');
    await screenshot(page, 'unified', '1-koogallery-login');
    await page.selectOption('#tenant', 'acme');
    await page.selectOption('#userName', 'zhang.san');
    await page.fill('#password', 'any');
    await page.click('button[type=submit]');
    await page.waitForURL(`${e2e.bridge.url}/sso/me`);
    expect(await page.locator('body').innerText()).toContain('Signed in as Zhang San');
    await screenshot(page, 'unified', '2-signed-in');
    expect(await sessionStatus()).toBe(200);
  });

  it('tenant IdP login (aPaaS OAuth2): the tenant’s sign-in page → signed in as Li Si', async () => {
    await page.goto(`${e2e.bridge.url}/sso/login?tenant=acme`);
    expect(new URL(page.url()).pathname).toBe('/idp/acme/api/v1/oauth2/authorize');
    expect(await heading()).toContain('Sign in to Acme Trading Co.');
    await signInAtTenant('tenant-idp', 'li.si');
    await page.waitForURL(`${e2e.bridge.url}/sso/me`);
    expect(await page.locator('body').innerText()).toContain('Signed in as Li Si');
    await screenshot(page, 'tenant-idp', 'signed-in');
  });

  it('CAS login: the tenant’s CAS page → signed in as Zhao Liu of Globex', async () => {
    await page.goto(`${e2e.bridge.url}/sso/login?tenant=globex&protocol=cas`);
    expect(new URL(page.url()).pathname).toBe('/idp/globex/api/v1/cas/login');
    expect(await heading()).toContain('Sign in to Globex Industries');
    await signInAtTenant('cas', 'zhao.liu');
    await page.waitForURL(`${e2e.bridge.url}/sso/me`);
    expect(await page.locator('body').innerText()).toContain('Signed in as Zhao Liu');
    await screenshot(page, 'cas', 'signed-in');
  });

  it('the bridge’s own sign-out: confirmation page → Sign out → signed out at the bridge and the IdP', async () => {
    await page.goto(`${e2e.bridge.url}/sso/login?tenant=acme`);
    await signInAtTenant('bridge-sign-out', 'li.si');
    await page.waitForURL(`${e2e.bridge.url}/sso/me`);
    await page.goto(`${e2e.bridge.url}/sso/logout`);
    expect(await heading()).toBe('Sign out?');
    expect(await page.locator('body').innerText()).toContain('You are signed in as Li Si (Acme Trading Co.)');
    await screenshot(page, 'bridge-sign-out', 'confirm');
    await page.click('button[type=submit]');
    await page.waitForURL(`${e2e.bridge.url}/sso/logged-out`);
    expect(await heading()).toBe('You are signed out');
    await screenshot(page, 'bridge-sign-out', 'signed-out');
    expect(await sessionStatus()).toBe(401);
    // Signed out at the IdP too: the next sign-in asks again.
    await page.goto(`${e2e.bridge.url}/sso/login?tenant=acme`);
    expect(await heading()).toContain('Sign in to Acme Trading Co.');
  });

  it('a sign-out form on another site is refused and the session stays', async () => {
    await page.goto(`${e2e.bridge.url}/sso/login?tenant=acme`);
    await signInAtTenant('cross-site-sign-out', 'li.si');
    await page.waitForURL(`${e2e.bridge.url}/sso/me`);
    // The RP listens on another port: another origin (same-site by the browser's rules), as an attacker's page.
    await page.route(`${rp.url}/attack`, (route) =>
      route.fulfill({ contentType: 'text/html', body: `<form method="post" action="${e2e.bridge.url}/sso/logout"><button type="submit">Win a prize</button></form>` }),
    );
    await page.goto(`${rp.url}/attack`);
    await page.click('button[type=submit]');
    await page.waitForURL(`${e2e.bridge.url}/sso/logout`);
    expect(await heading()).toBe('Request refused');
    await screenshot(page, 'cross-site-sign-out', 'refused');
    expect(await sessionStatus()).toBe(200);
  });

  it('a user disabled in the directory is refused with a readable page and no session', async () => {
    await page.goto(`${e2e.bridge.url}/sso/login`);
    await page.selectOption('#tenant', 'acme');
    await page.selectOption('#userName', 'wang.wu');
    await page.fill('#password', 'any');
    const [response] = await Promise.all([page.waitForResponse((r) => r.url().startsWith(`${e2e.bridge.url}/sso/callback`)), page.click('button[type=submit]')]);
    expect(response.status()).toBe(403);
    await page.waitForLoadState();
    const text = await page.locator('body').innerText();
    await screenshot(page, 'refused-user', 'refused');
    expect(text).not.toContain('Signed in');
    expect(text).toMatch(/disabled|not allowed|not authorized|refused/i);
    expect(await sessionStatus()).toBe(401);
  });

  it('an unknown tenant gets a page that says so', async () => {
    const response = await page.goto(`${e2e.bridge.url}/sso/login?tenant=no-such-tenant`);
    expect(response?.status()).toBe(404);
    expect(await heading()).toBe('Unknown organization');
    await screenshot(page, 'unknown-tenant', 'page');
  });

  it('a Chinese browser reads the pages in Simplified Chinese: a tenant-IdP login lands on 您已登录, an unknown tenant is 未知的组织', async () => {
    const zh = await chromium.browser.newContext({ locale: 'zh-CN' });
    try {
      zh.setDefaultTimeout(10_000);
      const zhPage = await zh.newPage();
      await zhPage.goto(`${e2e.bridge.url}/sso/login?tenant=acme`);
      await zhPage.selectOption('#userName', 'zhang.san');
      await zhPage.fill('#password', 'any');
      await zhPage.click('button[type=submit]');
      await zhPage.waitForURL(`${e2e.bridge.url}/sso/me`);
      expect(await zhPage.locator('h1').innerText()).toContain('您已登录');
      expect(await zhPage.locator('html').getAttribute('lang')).toBe('zh-CN');
      await screenshot(zhPage, 'zh-landing', 'signed-in');
      const unknown = await zhPage.goto(`${e2e.bridge.url}/sso/login?tenant=no-such-tenant`);
      expect(unknown?.status()).toBe(404);
      expect(await zhPage.locator('h1').innerText()).toBe('未知的组织');
      await screenshot(zhPage, 'zh-unknown-tenant', 'page');
    } finally {
      await zh.close();
    }
  });

  it('too many sign-ins from one address: a readable 429 page saying to wait, in English and in Chinese', async () => {
    const limited = await startBridge({ backend: 'memory', env: { RATE_LIMIT_LOGIN_IP: '1/1m' } });
    const zh = await chromium.browser.newContext({ locale: 'zh-CN' });
    try {
      expect((await page.goto(`${limited.url}/sso/login?tenant=no-such-tenant`))?.status()).toBe(404);
      const refused = await page.goto(`${limited.url}/sso/login?tenant=no-such-tenant`);
      expect(refused?.status()).toBe(429);
      expect(Number(await refused?.headerValue('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(await heading()).toBe('Too many requests');
      expect(await page.locator('body').innerText()).toContain('Please wait a minute or two and try again.');
      // No "Sign in again" button that would only meet the limit again.
      expect(await page.locator('a:has-text("Sign in again")').count()).toBe(0);
      await screenshot(page, 'rate-limited', 'page');
      const zhPage = await zh.newPage();
      expect((await zhPage.goto(`${limited.url}/sso/callback?tenant=no-such-tenant`))?.status()).toBe(429);
      expect(await zhPage.locator('h1').innerText()).toBe('请求过于频繁');
      expect(await zhPage.locator('body').innerText()).toContain('请稍等一两分钟再试');
      await screenshot(zhPage, 'zh-rate-limited', 'page');
    } finally {
      await zh.close();
      await limited.close();
    }
  });

  it('OpenID consent for a third-party app: the consent page → Allow → the app receives a code for Li Si', async () => {
    await page.goto(`${e2e.bridge.url}/sso/login?tenant=acme`);
    await signInAtTenant('consent', 'li.si');
    await page.waitForURL(`${e2e.bridge.url}/sso/me`);
    const third = await rp.config('third-party', `${e2e.bridge.url}/oidc`);
    const verifier = client.randomPKCECodeVerifier();
    const url = client.buildAuthorizationUrl(third, { redirect_uri: `${rp.url}/third`, scope: 'openid profile', state: 'browser-consent', code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' });
    await page.goto(url.href);
    expect(await heading()).toBe('Allow third-party to access your account?');
    await screenshot(page, 'consent', 'page');
    await page.click('button[value=allow]');
    await page.waitForURL((u) => u.href.startsWith(`${rp.url}/third`));
    const back = new URL(page.url());
    expect(back.searchParams.get('code')).toBeTruthy();
    const tokens = await client.authorizationCodeGrant(third, back, { pkceCodeVerifier: verifier, expectedState: 'browser-consent', idTokenExpected: true });
    expect(tokens.claims()?.preferred_username).toBe('li.si');
  });
});
