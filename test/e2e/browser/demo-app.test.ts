/**
 * `npm run demo` in Debian's Chromium: the sample OpenID app's sign-in through the bridge and
 * KooGallery, and its sign-out (RP-initiated logout at the bridge), as a person clicks them.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { startDemo, type Demo } from '../../../examples/demo/demo.js';
import { launchChromium, pagePerTest, screenshot, type TestChromium } from '../../support/chromium.js';
import { freePort } from '../../support/redis-server.js';

// The run's 3072-bit pair (global-setup) stands in for the demo's fresh one, as in test/e2e/demo.test.ts.
vi.mock('../../../src/koogallery/rsa-keys.js', async (importOriginal) => {
  const { inject } = await import('vitest');
  return { ...(await importOriginal<object>()), generateRsaKeyPair: () => inject('testKeys').rsa3072 };
});

describe('the demo’s sample app in Chromium', () => {
  let chromium: TestChromium;
  let demo: Demo;
  let context: BrowserContext;
  let page: Page;
  beforeAll(async () => {
    [chromium, demo] = await Promise.all([
      launchChromium(),
      startDemo({ port: await freePort(), simPort: await freePort(), appPort: await freePort(), logLevel: 'silent' }),
    ]);
  }, 30_000);
  afterAll(async () => {
    await chromium?.close();
    await demo?.stop();
  });
  pagePerTest(
    () => chromium,
    (c, p) => {
      context = c;
      page = p;
    },
  );

  const heading = () => page.locator('h1').innerText();

  it('sign in with KooGallery → signed in as Zhang San of Acme; sign out → signed out at the app and the bridge', async () => {
    await page.goto(`${demo.appUrl}/`);
    expect(await page.locator('body').innerText()).toContain('You are signed out.');
    await screenshot(page, 'sample-app', '1-signed-out');
    await page.click('text=Sign in with KooGallery');
    await page.waitForURL((u) => u.href.startsWith(`${demo.simUrl}/unified-login/`));
    expect(await heading()).toContain('KooGallery unified login');
    await screenshot(page, 'sample-app', '2-koogallery-login');
    await page.selectOption('#tenant', 'acme');
    await page.selectOption('#userName', 'zhang.san');
    await page.fill('#password', 'any');
    await page.click('button[type=submit]');
    // A unified-login callback carries no state of ours: into a waiting app, the bridge asks first.
    await page.waitForURL((u) => u.pathname === '/sso/confirm');
    expect(await heading()).toBe('Continue as Zhang San?');
    await screenshot(page, 'sample-app', '3-confirm');
    await page.click('button[value=continue]');
    await page.waitForURL(`${demo.appUrl}/`);
    expect(await heading()).toBe('Signed in as Zhang San');
    expect(await page.locator('body').innerText()).toContain('of Acme Trading Co.');
    await screenshot(page, 'sample-app', '4-signed-in');

    await page.click('button:has-text("Sign out")');
    await page.waitForURL((u) => u.href.startsWith(`${demo.bridgeUrl}/oidc/session/end`));
    expect(await heading()).toMatch(/^Sign out of .+\?$/);
    await screenshot(page, 'sample-app', '5-bridge-sign-out');
    await page.click('text=Yes, sign me out everywhere');
    await page.waitForURL(`${demo.appUrl}/`);
    expect(await page.locator('body').innerText()).toContain('You are signed out.');
    await screenshot(page, 'sample-app', '6-signed-out-again');
    expect((await context.request.get(`${demo.bridgeUrl}/api/session`)).status()).toBe(401);
  });
});
