import * as client from 'openid-client';
import { expect } from 'vitest';
import type { TestBrowser } from '../support/browser.js';

export interface AuthorizeResult {
  callbackUrl: URL;
  verifier: string;
  state: string;
  nonce: string;
  /** Where the browser was sent to sign in at KooGallery, if it was. */
  signInUrl: string | null;
}

/**
 * Runs an authorization request in the test browser up to the app's redirect URI, signing in at
 * the simulator when asked to (unified login page, or the tenant IdP's form).
 */
export async function authorize(
  browser: TestBrowser,
  cfg: client.Configuration,
  opts: { redirectUri: string; simUrl: string; login?: { tenant: string; userName: string }; params?: Record<string, string>; pkce?: boolean },
): Promise<AuthorizeResult> {
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const params: Record<string, string> = {
    redirect_uri: opts.redirectUri,
    scope: 'openid profile email phone tenant offline_access',
    state,
    nonce,
    ...(opts.pkce === false ? {} : { code_challenge: await client.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256' }),
    ...opts.params,
  };
  const atApp = (u: string) => u.startsWith(opts.redirectUri);
  let page = await browser.go(client.buildAuthorizationUrl(cfg, params).href, { stopAt: (u) => atApp(u) || u.startsWith(opts.simUrl) });
  const signInUrl = page.url.startsWith(opts.simUrl) ? page.url : null;
  if (page.url.startsWith(opts.simUrl)) {
    if (!opts.login) throw new Error(`the browser was sent to sign in at ${page.url} but the test gave no login`);
    const target = new URL(page.url);
    page = target.pathname.startsWith('/unified-login')
      ? await browser.postForm(`${opts.simUrl}/unified-login/submit`, { tenant: opts.login.tenant, userName: opts.login.userName, password: 'x' }, { stopAt: atApp })
      : await browser.postForm(page.url, { userName: opts.login.userName, password: 'x' }, { stopAt: atApp });
  }
  // A unified-login code is not tied to this browser: the bridge asks "Continue as …?" before the
  // app receives the identity (a login at the tenant IdP, with state, is not asked).
  if (new URL(page.url).pathname === '/sso/confirm' && !atApp(page.url)) page = await browser.answerConfirmation(page, 'continue', { stopAt: atApp });
  // oidc-provider's auto-submitting form (an account switch ends the previous provider session
  // first); a browser posts it by itself.
  for (let i = 0; i < 3 && !atApp(page.url) && page.text.includes('document.forms[0].submit()'); i++) {
    const action = /<form method="post" action="([^"]+)"/.exec(page.text)![1]!.replace(/&amp;/g, '&');
    const fields = Object.fromEntries([...page.text.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\/>/g)].map((m) => [m[1]!, m[2]!]));
    page = await browser.postForm(new URL(action, page.url).href, fields, { stopAt: atApp });
  }
  if (!atApp(page.url)) throw new Error(`authorization ended at ${page.url} (${page.status}): ${page.text.slice(0, 300)}`);
  return { callbackUrl: new URL(page.url), verifier, state, nonce, signInUrl };
}

/** A bearer call refused as RFC 6750 says: 401 with a WWW-Authenticate challenge error=invalid_token. */
export async function expectInvalidToken(call: Promise<unknown>): Promise<void> {
  await expect(call).rejects.toBeInstanceOf(client.WWWAuthenticateChallengeError);
  await expect(call).rejects.toMatchObject({ status: 401, cause: [expect.objectContaining({ parameters: expect.objectContaining({ error: 'invalid_token' }) })] });
}

export const redeem = (cfg: client.Configuration, r: AuthorizeResult) =>
  client.authorizationCodeGrant(cfg, r.callbackUrl, { pkceCodeVerifier: r.verifier, expectedState: r.state, expectedNonce: r.nonce });
