/**
 * Logout: GET shows a confirmation page whose form POSTs back (a link or an image must not be able
 * to sign someone out); POST ends the bridge session first — never depending on the IdP — and
 * then sends the browser to the tenant IdP's logout, which returns to /sso/logged-out.
 */
import { KbError } from '../shared/errors.js';
import type { AppContext } from '../http/state.js';
import { clearCookie, readCookie } from '../http/cookies.js';
import type { LoginDeps } from './deps.js';
import { anotherOrganization, loggedOutUrl } from './urls.js';
import { escapeHtml, linkButton, sendPage } from '../http/pages.js';
import { languageOf, t, th } from '../http/i18n.js';

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
      `<form method="post" action="/sso/logout"><p class="actions"><button type="submit">${th(lang, 'logout.confirm')}</button>${linkButton(deps.settings.landingUrl, t(lang, 'logout.cancel'), 'secondary')}</p></form>`,
  });
}

export async function logout(deps: LoginDeps, ctx: AppContext): Promise<void> {
  // SameSite=Lax already keeps the cookie off cross-site POSTs; refusing foreign origins outright
  // also stops a same-site page from signing users out.
  const origin = ctx.get('origin');
  if (origin && origin !== new URL(deps.settings.publicUrl).origin) throw new KbError('cross_origin_refused', 'sign-out must be submitted from this site');

  const session = await deps.sessions.get(readCookie(ctx, deps.cookies.session));
  clearCookie(ctx, deps.cookies, deps.cookies.session);
  if (!session) {
    ctx.redirect('/sso/logged-out');
    return;
  }
  await deps.sessions.destroy(session);
  ctx.state.log.info({ tenantId: session.tenantId, session: session.sidHash.slice(0, 8) }, 'logout');
  ctx.redirect((await deps.upstreamLogoutUrl(session, loggedOutUrl(deps.settings))) ?? '/sso/logged-out');
}

export function loggedOut(ctx: AppContext): void {
  const lang = languageOf(ctx);
  sendPage(ctx, { lang, title: t(lang, 'loggedOut.title'), html: `<h1>${th(lang, 'loggedOut.heading')}</h1><p class="actions">${linkButton('/sso/login', t(lang, 'page.signInAgain'))}</p>${anotherOrganization(lang)}` });
}
