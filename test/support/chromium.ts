/**
 * Debian's Chromium for the browser suite (test/e2e/browser/), driven by playwright-core — never a
 * browser download. CHROMIUM_PATH overrides /usr/bin/chromium. When it is missing and we are root
 * with apt-get (CI containers), global-setup installs Debian's `chromium`; otherwise the browser
 * suite stops with one line saying how to get it.
 */
import { accessSync, constants, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterEach, beforeEach } from 'vitest';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_MISSING_MESSAGE = `chromium not found at ${CHROMIUM_PATH}: install it with "sudo apt-get install -y chromium" (Debian/Ubuntu) or set CHROMIUM_PATH`;

export function hasChromium(): boolean {
  try {
    accessSync(CHROMIUM_PATH, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

// What works on this project's machines: no GPU, no sandbox (root in containers), and no
// background connections (Google's hosts are unreachable from a closed network).
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface TestChromium {
  browser: Browser;
  close(): Promise<void>;
}

/** One Chromium per test file; playwright gives it a fresh temporary profile (--user-data-dir) of its own. */
export async function launchChromium(): Promise<TestChromium> {
  if (!hasChromium()) throw new Error(CHROMIUM_MISSING_MESSAGE);
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: FLAGS, timeout: 20_000 });
  return { browser, close: () => browser.close() };
}

export const SCREENSHOT_DIR = join(process.cwd(), 'test-artifacts', 'screenshots');

/** Keeps what a person sees as test-artifacts/screenshots/<flow>-<step>.png. */
export async function screenshot(page: Page, flow: string, step: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${flow}-${step}.png`), fullPage: true });
}

/**
 * A fresh browser context (cookies, storage) and page for every test of a file, closed after it, so
 * no test sees another's session. `use` receives them (the file keeps its own `context` and `page`).
 */
export function pagePerTest(chromium: () => TestChromium, use: (context: BrowserContext, page: Page) => void): void {
  let context: BrowserContext | undefined;
  beforeEach(async () => {
    context = await chromium().browser.newContext();
    context.setDefaultTimeout(10_000);
    use(context, await context.newPage());
  });
  afterEach(() => context?.close());
}
