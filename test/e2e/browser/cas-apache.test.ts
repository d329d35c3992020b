/**
 * A real CAS client nobody here wrote — Debian's Apache with mod_auth_cas — protecting a page with
 * the bridge's CAS server, driven by Debian's Chromium: login through KooGallery (the simulator)
 * into the protected page with its attributes, a replayed ticket and a ticket presented for another
 * service refused, single logout received by Apache, and deprovisioning ending the Apache-side
 * session. Pages are kept as test-artifacts/screenshots/cas-apache-<step>.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { authBody } from '../../support/bridge.js';
import { startApacheCas, type RunningApache } from '../../support/apache.js';
import { writeCasServicesFile } from '../../support/cas-app.js';
import { launchChromium, pagePerTest, screenshot, type TestChromium } from '../../support/chromium.js';
import { demoTenantAs, startE2E, type E2E } from '../../support/e2e.js';
import { freePort } from '../../support/nginx.js';
import { DEMO_TENANTS } from '../../../tools/simulator/demo-data.js';

const sub = (tenantId: string, userName: string) => `${tenantId}.${Buffer.from(userName).toString('base64url')}`;

describe('Apache mod_auth_cas protected by the CAS server, in Chromium', () => {
  let chromium: TestChromium;
  let e2e: E2E;
  let apache: RunningApache;
  let context: BrowserContext;
  let page: Page;
  let protectedUrl: string;

  beforeAll(async () => {
    const port = await freePort();
    protectedUrl = `http://127.0.0.1:${port}/protected/page`;
    const servicesFile = writeCasServicesFile([{ id: 'apache', name: 'Apache sample', service_prefix: `http://127.0.0.1:${port}/protected/` }]);
    [chromium, e2e] = await Promise.all([
      launchChromium(),
      startE2E({ tenants: [...DEMO_TENANTS, demoTenantAs('casapache')], bridge: { env: { CAS_SERVICES_FILE: servicesFile }, outbox: { retry: { baseDelayMs: 200 } } } }),
    ]);
    apache = await startApacheCas({ port, casUrl: e2e.bridge.url });
  }, 120_000);
  afterAll(async () => {
    await apache?.close();
    await chromium?.close();
    await e2e?.close();
  });
  pagePerTest(
    () => chromium,
    (c, p) => {
      context = c;
      page = p;
    },
  );

  /** Opens the protected page and signs in at KooGallery's unified login page as the given user. */
  async function signIn(tenant: string, userName: string, flow: string): Promise<string[]> {
    const ticketUrls: string[] = [];
    page.on('request', (r) => {
      if (r.url().startsWith(protectedUrl) && r.url().includes('ticket=')) ticketUrls.push(r.url());
    });
    await page.goto(protectedUrl);
    await page.waitForURL((u) => u.href.startsWith(`${e2e.simUrl}/unified-login/`));
    await screenshot(page, flow, '1-koogallery-login');
    await page.selectOption('#tenant', tenant);
    await page.selectOption('#userName', userName);
    await page.fill('#password', 'any');
    await page.click('button[type=submit]');
    // A unified-login callback carries no state of ours: into a waiting app, the bridge asks first.
    await page.waitForURL((u) => u.pathname === '/sso/confirm');
    await screenshot(page, flow, '2-confirm');
    await page.click('button[value=continue]');
    // mod_auth_cas validates the ticket, sets its cookie and strips the ticket from the URL.
    await page.waitForURL(protectedUrl);
    return ticketUrls;
  }

  /** What Apache answers a request with the browser's cookies, without following its redirect. */
  const apacheStatus = async (url = protectedUrl) => (await context.request.get(url, { maxRedirects: 0 })).status();

  it('signs in through KooGallery into the Apache-protected page, which receives the user and the attributes', async () => {
    await signIn('acme', 'zhang.san', 'cas-apache');
    expect(await page.locator('h1').innerText()).toBe('Protected page');
    expect(await page.locator('#user').innerText()).toBe(sub('acme', 'zhang.san'));
    const body = await page.locator('body').innerText();
    for (const line of [/cas-tenant_id\s+acme/, /cas-tenant_name\s+Acme Trading Co\./, /cas-username\s+zhang\.san/, /cas-name\s+Zhang San/, /cas-role\s+admin/, /cas-org_code\s+acme-it/, /cas-email\s+zhang\.san@acme\.example\.com/, /cas-mobile\s+\+86-100-0000-0001/, /cas-isfromnewlogin\s+true/]) expect(body).toMatch(line);
    await screenshot(page, 'cas-apache', '3-protected-page');
    expect(await apacheStatus()).toBe(200);
  });

  it('a replayed ticket and a ticket presented for another service are refused by the bridge, so Apache refuses the request (401)', async () => {
    const [ticketUrl] = await signIn('acme', 'li.si', 'cas-apache-replay');
    expect(ticketUrl).toBeDefined();
    // Replayed from a browser without Apache's cookie: the bridge answers INVALID_TICKET, Apache refuses (401).
    const replay = await fetch(ticketUrl!, { redirect: 'manual' });
    expect(replay.status).toBe(401);

    // A fresh ticket for /protected/page, presented at /protected/other: INVALID_SERVICE, and spent.
    const issued = await context.request.get(`${e2e.bridge.url}/cas/login?service=${encodeURIComponent(protectedUrl)}`, { maxRedirects: 0 });
    const ticket = new URL(issued.headers().location!).searchParams.get('ticket')!;
    expect(ticket).toMatch(/^ST-/);
    const elsewhere = await fetch(`${protectedUrl.replace('/page', '/other')}?ticket=${ticket}`, { redirect: 'manual' });
    expect(elsewhere.status).toBe(401);
    const afterwards = await fetch(`${protectedUrl}?ticket=${ticket}`, { redirect: 'manual' });
    expect(afterwards.status).toBe(401);
    expect(apache.log()).toContain('INVALID_SERVICE');
    expect(apache.log()).toContain('INVALID_TICKET');
  });

  it('/cas/logout: Apache receives single logout and its session ends', async () => {
    await signIn('acme', 'zhang.san', 'cas-apache-logout');
    expect(await apacheStatus()).toBe(200);
    await page.goto(`${e2e.bridge.url}/cas/logout?service=${encodeURIComponent(protectedUrl)}`);
    // The logout POST reaches Apache from the outbox, after the browser has left.
    await expect.poll(() => apacheStatus(), { timeout: 10_000, interval: 100 }).toBe(302);
    expect(apache.log()).toContain('SAML Logout Request');
    expect((await context.request.get(`${e2e.bridge.url}/api/session`)).status()).toBe(401);
    await screenshot(page, 'cas-apache-logout', '3-after-logout');
  });

  it('deprovisioning the user ends the Apache-side session (single logout after KooGallery\'s call)', async () => {
    await signIn('casapache', 'li.si', 'cas-apache-deprovision');
    expect(await apacheStatus()).toBe(200);
    const answer = await e2e.bridge.sender.send('authSync', authBody([{ userName: 'li.si' }], { tenantId: 'casapache', flag: 3, currentSyncTime: '20991231000000000' }));
    expect(answer.resultCode).toBe('000000');
    await expect.poll(() => apacheStatus(), { timeout: 10_000, interval: 100 }).toBe(302);
    // Apache sends the browser to sign in again: its organization's IdP still knows li.si and
    // answers at once, and the bridge refuses the user KooGallery no longer authorizes.
    await page.goto(protectedUrl);
    expect(await page.locator('h1').innerText()).toBe('You are not authorized for this application');
    await screenshot(page, 'cas-apache-deprovision', '3-refused-after-deprovisioning');
  });
});
