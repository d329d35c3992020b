/**
 * Logout: GET shows a confirmation page whose form POSTs back (a link or an image must not be able
 * to sign someone out); POST ends the bridge session first — never depending on the IdP — and
 * then sends the browser to the tenant IdP's logout, which returns to /sso/logged-out.
 *
 * Cross-site sign-out (CSRF) is refused by three checks, first match wins (`logoutAllowed`):
 * 1. Fetch Metadata: `Sec-Fetch-Site: same-origin` is accepted; `cross-site` and `same-site` are
 *    refused. Chromium, Firefox and Safari send it; a page cannot forge it.
 * 2. Origin: our own origin (PUBLIC_URL's) is accepted, any other is refused. Our pages send
 *    `Referrer-Policy: no-referrer`, so a browser may send `Origin: null` on our own form.
 * 3. `Origin: null` is accepted only with the confirmation page's form token: a hash of the
 *    session id, which lives in an HttpOnly cookie no other site can read. A wrong token is refused.
 * A POST with neither Origin nor Fetch Metadata nor token is no browser's (browsers send Origin on
 * every POST): a client holding its own cookie, accepted as before.
 */
import { KbError } from '../shared/errors.js';
import { originOf, type AppContext } from '../http/state.js';
import { clearCookie, readCookie } from '../http/cookies.js';
import type { LoginDeps } from './deps.js';
import { anotherOrganization, loggedOutUrl } from './urls.js';
import { escapeHtml, linkButton, sendPage } from '../http/pages.js';
import { languageOf, t, th } from '../http/i18n.js';
import { readSmallForm } from '../http/raw-body.js';
import { postSource } from '../http/fetch-site.js';
import { sameSecret, sha256Base64url } from '../shared/hash.js';

/** The confirmation form's token: only a page that read the HttpOnly session cookie (ours, server-side) knows it. */
export const logoutTokenOf = (sid: string): string => sha256Base64url(`koobridge logout ${sid}`);

const refused = () => new KbError('cross_origin_refused', 'sign-out must be submitted from this site');

export async function logoutConfirm(deps: LoginDeps, ctx: AppContext): Promise<void> {
  const session = await deps.sessions.get(readCookie(ctx, deps.cookies.session));
  if (!session) {
    ctx.redirect('/sso/logged-out');
    return;
  }
  const lang = languageOf(ctx);
  sendPage(ctx, {
    lang,
    title: t(lang, 'logout.title'),
    html:
      `<h1>${th(lang, 'logout.heading')}</h1><p>${th(lang, 'logout.signedInAs', { name: `<strong>${escapeHtml(session.name ?? session.userName)}</strong>`, organization: escapeHtml(session.tenantName ?? session.tenantId) })}</p>` +
      `<form method="post" action="/sso/logout"><input type="hidden" name="token" value="${escapeHtml(logoutTokenOf(readCookie(ctx, deps.cookies.session)!))}"><p class="actions"><button type="submit">${th(lang, 'logout.confirm')}</button>${linkButton(deps.settings.landingUrl, t(lang, 'logout.cancel'), 'secondary')}</p></form>`,
  });
}

export async function logout(deps: LoginDeps, ctx: AppContext): Promise<void> {
  // SameSite=Lax already keeps the cookie off cross-site POSTs; these checks also stop a same-site
  // page (another port or subdomain) from signing users out.
  const sid = readCookie(ctx, deps.cookies.session);
  if (!(await logoutAllowed(deps, ctx, sid))) throw refused();

  const session = await deps.sessions.get(sid);
  clearCookie(ctx, deps.cookies, deps.cookies.session);
  if (!session) {
    ctx.redirect('/sso/logged-out');
    return;
  }
  await deps.sessions.destroy(session);
  ctx.state.log.info({ tenantId: session.tenantId, session: session.sidHash.slice(0, 8) }, 'logout');
  deps.observations?.emit({ kind: 'session_end', cause: 'logout', tenantId: session.tenantId, userName: session.userName, count: 1, ...originOf(ctx) });
  ctx.redirect((await deps.upstreamLogoutUrl(session, loggedOutUrl(deps.settings))) ?? '/sso/logged-out');
}

export function loggedOut(ctx: AppContext): void {
  const lang = languageOf(ctx);
  sendPage(ctx, { lang, title: t(lang, 'loggedOut.title'), html: `<h1>${th(lang, 'loggedOut.heading')}</h1><p class="actions">${linkButton('/sso/login', t(lang, 'page.signInAgain'))}</p>${anotherOrganization(lang)}` });
}

/** See the header: Fetch Metadata, then Origin, then the form token. */
async function logoutAllowed(deps: LoginDeps, ctx: AppContext, sid: string | undefined): Promise<boolean> {
  const source = postSource(ctx, deps.settings.publicUrl);
  if (source !== 'unknown') return source === 'this-site';
  const token = (await readSmallForm(ctx.req)).get('token');
  // Without Origin and Fetch Metadata it is no browser's form: a client holding its own cookie.
  if (!ctx.get('origin') && !ctx.get('sec-fetch-site') && token === null) return true;
  return !!sid && !!token && sameSecret(token, logoutTokenOf(sid));
}
