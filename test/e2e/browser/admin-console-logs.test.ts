/**
 * The console's audit trail and sync log pages in Chromium, against the admin API's contract
 * (GET /admin/api/audit → {events, nextCursor}; GET /admin/api/sync-log → {entries, nextCursor}),
 * which the audit-trail work implements: the rig's tenants arrive by signed tenantSync calls (sync
 * log entries) and a person signs in (a `login` event), then the pages list and filter them.
 * Screenshots: test-artifacts/screenshots/admin-logs-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ADMIN_TOKEN } from '../../support/bridge.js';
import { launchChromium, pagePerTest, screenshot, type TestChromium } from '../../support/chromium.js';
import { startE2E, type E2E } from '../../support/e2e.js';

describe('the admin console’s audit trail and sync log in Chromium', () => {
  let chromium: TestChromium;
  let e2e: E2E;
  let page: Page;
  beforeAll(async () => {
    [chromium, e2e] = await Promise.all([launchChromium(), startE2E()]);
    // One person signs in (and is audited), in a browser of their own.
    const other = await chromium.browser.newContext();
    const p = await other.newPage();
    await p.goto(`${e2e.bridge.url}/sso/login?tenant=acme`);
    await p.selectOption('#userName', 'li.si');
    await p.fill('#password', 'any');
    await p.click('button[type=submit]');
    await p.waitForURL(`${e2e.bridge.url}/sso/me`);
    await other.close();
  });
  afterAll(async () => {
    await chromium?.close();
    await e2e?.close();
  });
  pagePerTest(
    () => chromium,
    (_c, p) => {
      page = p;
    },
  );

  async function signIn(): Promise<void> {
    await page.goto(`${e2e.bridge.url}/admin?lang=en`);
    await page.fill('#token', ADMIN_TOKEN);
    await page.click('button[type=submit]');
    await page.waitForSelector('#tenants');
  }
  const column = (table: string, n: number) => page.locator(`#${table} tbody tr td:nth-child(${n})`).allInnerTexts();

  it('the sync log lists the tenantSync calls and filters by tenant and interface', async () => {
    await signIn();
    await page.click('nav >> text=Sync log');
    await page.waitForSelector('#sync-log');
    expect(await column('sync-log', 2)).toEqual(expect.arrayContaining(['tenantSync', 'authSync']));
    await screenshot(page, 'admin-logs', '1-sync-log');
    await page.fill('#sync-log-filters input[name=tenant]', 'globex');
    await page.fill('#sync-log-filters input[name=interface]', 'tenantSync');
    await page.click('#sync-log-filters button[type=submit]');
    await page.waitForURL((u) => u.hash === '#/sync-log?tenant=globex&interface=tenantSync');
    // The unfiltered table stays on the page until the filtered answer replaces it: wait for that.
    await expect.poll(async () => [...new Set(await column('sync-log', 2))]).toEqual(['tenantSync']);
    expect(new Set(await column('sync-log', 6))).toEqual(new Set(['globex']));
    expect(new Set(await column('sync-log', 3))).toEqual(new Set(['000000']));
    await screenshot(page, 'admin-logs', '2-sync-log-filtered');
  });

  it('the audit trail shows the sign-in and the console’s own sign-in, and filters by kind', async () => {
    await signIn();
    await page.click('nav >> text=Audit trail');
    await page.waitForSelector('#audit');
    expect(await column('audit', 2)).toEqual(expect.arrayContaining(['login', 'admin_action']));
    await screenshot(page, 'admin-logs', '3-audit');
    await page.selectOption('#audit-filters select[name=kind]', 'login');
    await page.click('#audit-filters button[type=submit]');
    await page.waitForURL((u) => u.hash === '#/audit?kind=login');
    await expect.poll(async () => [...new Set(await column('audit', 2))]).toEqual(['login']);
    const row = page.locator('#audit tbody tr', { hasText: 'li.si' });
    expect(await row.count()).toBeGreaterThan(0);
    expect(await row.first().innerText()).toMatch(/success[\s\S]*acme[\s\S]*li\.si/);
    await screenshot(page, 'admin-logs', '4-audit-logins');
  });

  it('a tenant’s page links to its audit trail, filtered to that tenant', async () => {
    await signIn();
    await page.click('#tenants >> text=acme');
    await page.click('main >> text=Audit trail');
    await page.waitForURL((u) => u.hash === '#/audit?tenant=acme');
    await page.waitForSelector('#audit');
    expect(await page.locator('#audit-filters input[name=tenant]').inputValue()).toBe('acme');
    const tenants = await column('audit', 4);
    expect(tenants.length).toBeGreaterThan(0);
    expect(new Set(tenants)).toEqual(new Set(['acme']));
    await screenshot(page, 'admin-logs', '5-audit-tenant');
  });
});
