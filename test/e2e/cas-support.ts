import type { TestBrowser, Page } from '../support/browser.js';

/**
 * Runs `/cas/login?service=…` in the test browser until the browser is sent back to the service,
 * signing in at the simulator when asked (unified login page or the tenant IdP's form) and
 * answering the bridge's "Continue as …?" page. Answers the URL the browser came back to.
 */
export async function casSignIn(
  browser: TestBrowser,
  opts: { bridgeUrl: string; simUrl: string; service: string; params?: Record<string, string>; login?: { tenant: string; userName: string } },
): Promise<{ back: URL; page: Page; signedInAt: string | null }> {
  const atService = (u: string) => u.startsWith(opts.service.split('?')[0]!) && !u.startsWith(opts.bridgeUrl);
  const query = new URLSearchParams({ service: opts.service, ...opts.params });
  let page = await browser.go(`${opts.bridgeUrl}/cas/login?${query}`, { stopAt: (u) => atService(u) || u.startsWith(opts.simUrl) });
  const signedInAt = page.url.startsWith(opts.simUrl) ? page.url : null;
  if (signedInAt) {
    if (!opts.login) throw new Error(`the browser was sent to sign in at ${page.url} but the test gave no login`);
    page = new URL(page.url).pathname.startsWith('/unified-login')
      ? await browser.postForm(`${opts.simUrl}/unified-login/submit`, { tenant: opts.login.tenant, userName: opts.login.userName, password: 'x' }, { stopAt: atService })
      : await browser.postForm(page.url, { userName: opts.login.userName, password: 'x' }, { stopAt: atService });
  }
  if (new URL(page.url).pathname === '/sso/confirm' && !atService(page.url)) page = await browser.answerConfirmation(page, 'continue', { stopAt: atService });
  if (!atService(page.url)) throw new Error(`CAS login ended at ${page.url} (${page.status}): ${page.text.slice(0, 300)}`);
  return { back: new URL(page.url), page, signedInAt };
}

/** The answer of a validation endpoint, as text. */
export async function validate(bridgeUrl: string, path: string, params: Record<string, string>): Promise<{ status: number; type: string; text: string }> {
  const res = await fetch(`${bridgeUrl}${path}?${new URLSearchParams(params)}`);
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
}
