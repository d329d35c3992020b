/**
 * The operators' console (/admin) in Debian's Chromium against the e2e rig: sign-in with the admin
 * token (a wrong one refused in words), browsing tenants → users → departments → sessions, revoking
 * a signed-in user's session (whose cookie then no longer works), the language switch, sign-out
 * (the old cookie is dead too), the CSP on every console response with no violation reported by the
 * page, and a cross-site POST refused. Every page is kept as test-artifacts/screenshots/admin-*.png.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { ADMIN_TOKEN } from '../../support/bridge.js';
import { launchChromium, pagePerTest, screenshot, type TestChromium } from '../../support/chromium.js';
import { startE2E, type E2E } from '../../support/e2e.js';
import { startRp, type TestRp } from '../../support/oidc-rp.js';

const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

describe('the admin console in Chromium', () => {
  let chromium: TestChromium;
  let e2e: E2E;
  let rp: TestRp;
  let context: BrowserContext;
  let page: Page;
  /** Console errors and uncaught exceptions of the page: a CSP violation is reported as one. */
  let problems: string[];
  /** Statuses a test expects a page of its own to answer (Chromium logs each as a failed load). */
  let expectedStatuses: Set<number>;
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
  beforeEach(() => {
    problems = [];
    expectedStatuses = new Set();
    page.on('console', (m) => {
      const status = /^Failed to load resource: the server responded with a status of (\d+)/.exec(m.text())?.[1];
      if (status && expectedStatuses.has(Number(status))) return;
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
    page.on('dialog', (d) => void d.accept());
  });
  afterEach(() => {
    expect(problems).toEqual([]);
  });

  const url = () => e2e.bridge.url;
  const heading = () => page.locator('main h1').innerText();

  async function signIn(): Promise<void> {
    await page.goto(`${url()}/admin?lang=en`);
    await page.fill('#token', ADMIN_TOKEN);
    await page.click('button[type=submit]');
    await page.waitForSelector('#tenants');
  }

  /** A person signed in to the bridge in a browser of their own; answers that browser. */
  async function userSignsIn(tenant: string, user: string): Promise<BrowserContext> {
    const other = await chromium.browser.newContext();
    const p = await other.newPage();
    await p.goto(`${url()}/sso/login?tenant=${tenant}`);
    await p.selectOption('#userName', user);
    await p.fill('#password', 'any');
    await p.click('button[type=submit]');
    await p.waitForURL(`${url()}/sso/me`);
    return other;
  }
  const sessionStatus = async (c: BrowserContext) => (await c.request.get(`${url()}/api/session`)).status();

  it('a wrong token is refused with a readable message; the right one opens the tenants', async () => {
    const first = await page.goto(`${url()}/admin`);
    expect(new URL(page.url()).pathname).toBe('/admin/sign-in');
    expect(first!.headers()['content-security-policy']).toBe(CSP);
    expect(await page.locator('h1').innerText()).toBe('Sign in to the admin console');
    await screenshot(page, 'admin', '1-sign-in');
    expectedStatuses.add(401);
    await page.fill('#token', 'not-the-admin-token-at-all-0000');
    const [refused] = await Promise.all([page.waitForResponse((r) => r.url().startsWith(`${url()}/admin/sign-in`) && r.request().method() === 'POST'), page.click('button[type=submit]')]);
    expect(refused.status()).toBe(401);
    expect(await page.locator('[role=alert]').innerText()).toBe('That token is not right. Check it and try again.');
    await screenshot(page, 'admin', '2-wrong-token');
    expect((await context.cookies()).filter((c) => c.name.startsWith('koobridge-admin'))).toEqual([]);

    await page.fill('#token', ADMIN_TOKEN);
    await page.click('button[type=submit]');
    await page.waitForSelector('#tenants');
    expect(await heading()).toBe('Tenants');
    expect(await page.locator('#tenants tbody tr').allInnerTexts()).toEqual([expect.stringContaining('acme'), expect.stringContaining('globex')]);
    await screenshot(page, 'admin', '3-tenants');
    const cookie = (await context.cookies()).find((c) => c.name === 'koobridge-admin')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(cookie.value).not.toContain(ADMIN_TOKEN);
  });

  it('tenants → tenant → users → departments → sessions; revoking a session ends it for its browser', async () => {
    const user = await userSignsIn('acme', 'li.si');
    expect(await sessionStatus(user)).toBe(200);
    await signIn();
    await page.click('#tenants >> text=acme');
    await page.waitForSelector('#instances');
    expect(await heading()).toBe('Tenant Acme Trading Co. (acme)');
    expect(await page.locator('dl.facts').innerText()).toContain('can sign in');
    await screenshot(page, 'admin', '4-tenant');

    await page.click('main >> text=Users');
    await page.waitForSelector('#users');
    expect(await page.locator('#users tbody tr td:first-child').allInnerTexts()).toEqual(['li.si', 'wang.wu', 'zhang.san']);
    await screenshot(page, 'admin', '5-users');

    await page.click('.crumbs >> text=acme');
    await page.click('main >> text=Departments');
    await page.waitForSelector('#orgs');
    expect(await page.locator('#orgs').innerText()).toMatch(/Headquarters acme-hq\s+IT acme-it\s+Sales acme-sales/);
    await screenshot(page, 'admin', '6-departments');

    await page.click('.crumbs >> text=acme');
    await page.click('main >> text=Active sessions');
    await page.waitForSelector('#sessions');
    const row = page.locator('#sessions tbody tr', { hasText: 'li.si' });
    expect(await row.count()).toBe(1);
    expect(await row.innerText()).toContain('oauth2');
    await screenshot(page, 'admin', '7-sessions');
    await row.locator('button', { hasText: 'Revoke' }).click();
    await page.waitForSelector('text=Session revoked.');
    expect(await page.locator('#sessions tbody tr', { hasText: 'li.si' }).count()).toBe(0);
    await screenshot(page, 'admin', '8-session-revoked');
    expect(await sessionStatus(user)).toBe(401);
    await user.close();
  });

  it('a user’s page lists their sessions and revokes them all', async () => {
    const [one, two] = [await userSignsIn('globex', 'zhao.liu'), await userSignsIn('globex', 'zhao.liu')];
    await signIn();
    await page.goto(`${url()}/admin?lang=en#/tenants/globex/users/zhao.liu`);
    await page.waitForSelector('#sessions');
    expect(await page.locator('#sessions tbody tr').count()).toBe(2);
    await screenshot(page, 'admin', '9-user-sessions');
    await page.click('#revoke-all');
    await page.waitForSelector('text=Sessions revoked: 2.');
    expect([await sessionStatus(one), await sessionStatus(two)]).toEqual([401, 401]);
    await Promise.all([one.close(), two.close()]);
  });

  it('switches language, keeping the page; OpenID clients and signing keys', async () => {
    await signIn();
    await page.click('nav >> text=OpenID clients');
    await page.waitForSelector('#clients');
    expect(await page.locator('#clients tbody').innerText()).toContain('web-app');
    expect(await page.locator('body').innerText()).not.toContain('secret-for-tests-only');
    await screenshot(page, 'admin', '10-clients');
    await page.click('nav >> text=Signing keys');
    await page.waitForSelector('#keys');
    expect(await page.locator('#keys tbody').innerText()).toMatch(/ES256\s+signing/);
    await screenshot(page, 'admin', '11-keys');

    await page.click('#languages >> text=中文');
    await page.waitForSelector('#keys');
    expect(new URL(page.url()).hash).toBe('#/keys');
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    expect(await heading()).toBe('签名密钥');
    expect(await page.locator('#sign-out').innerText()).toBe('退出');
    await screenshot(page, 'admin', '12-keys-zh');
    await page.click('nav >> text=租户');
    await page.waitForSelector('#tenants');
    expect(await heading()).toBe('租户');
    await screenshot(page, 'admin', '13-tenants-zh');
    await page.click('nav >> text=实例');
    await page.waitForSelector('#instances');
    expect(await page.locator('#instances tbody').innerText()).toMatch(/sim-inst-acme\s+正常/);
    await screenshot(page, 'admin', '13b-instances-zh');
    await page.click('#languages >> text=English');
    await page.waitForSelector('#instances');
    expect(await heading()).toBe('Instances');
  });

  it('signs out: back at the sign-in page, and the old cookie no longer opens the API', async () => {
    await signIn();
    const cookie = (await context.cookies()).find((c) => c.name === 'koobridge-admin')!;
    await page.click('#sign-out');
    await page.waitForURL((u) => u.pathname === '/admin/sign-in');
    expect(await page.locator('[role=status]').innerText()).toBe('You are signed out of the admin console.');
    await screenshot(page, 'admin', '14-signed-out');
    await page.click('text=中文');
    expect(await page.locator('h1').innerText()).toBe('登录管理控制台');
    await screenshot(page, 'admin', '14b-sign-in-zh');
    expect((await context.request.get(`${url()}/admin/api/tenants`)).status()).toBe(401);
    // A copy of the cookie taken before signing out is refused as well.
    const replay = await fetch(`${url()}/admin/api/tenants`, { headers: { cookie: `${cookie.name}=${cookie.value}` } });
    expect(replay.status).toBe(401);
  });

  it('every console response carries the strict CSP, and its files are our own', async () => {
    await signIn();
    // main.js and the admin API's contract the console compiles from the server's own file.
    for (const path of ['/admin', '/admin/sign-in', '/admin/assets/console.css', '/admin/assets/console/src/main.js', '/admin/assets/src/shared/audit-log.js']) {
      const res = await context.request.get(`${url()}${path}`, { maxRedirects: 0 });
      expect([path, res.headers()['content-security-policy']]).toEqual([path, CSP]);
    }
    for (const path of ['/admin', '/admin/sign-in?m=expired']) {
      // The frame with this context's cookie; the sign-in page as a browser without one sees it.
      const html = path === '/admin' ? await (await context.request.get(`${url()}${path}`)).text() : await (await fetch(`${url()}${path}`)).text();
      expect(html).toContain('/admin/assets/console.css');
      expect(html).not.toMatch(/<script(?![^>]*\bsrc=)|<style|\sstyle=|\son[a-z]+=/i);
    }
    expect((await context.request.get(`${url()}/admin/assets/..%2Fpackage.json`)).status()).toBe(404);
  });

  it('a POST from another site is refused and the console stays signed in', async () => {
    await signIn();
    // The RP listens on another port: another origin (same-site for the browser, so SameSite=Strict
    // alone would let the cookie through), as an attacker's page.
    await page.route(`${rp.url}/attack`, (route) =>
      route.fulfill({ contentType: 'text/html', body: `<form method="post" action="${url()}/admin/sign-out"><button type="submit">Win a prize</button></form>` }),
    );
    await page.goto(`${rp.url}/attack`);
    expectedStatuses.add(403);
    const [refused] = await Promise.all([page.waitForResponse((r) => r.url() === `${url()}/admin/sign-out`), page.click('button[type=submit]')]);
    expect(refused.status()).toBe(403);
    expect(await page.locator('[role=alert]').innerText()).toBe('Request refused: it did not come from this console.');
    await screenshot(page, 'admin', '15-cross-site-refused');
    expect((await context.request.get(`${url()}/admin/api/tenants`)).status()).toBe(200);
  });
});
