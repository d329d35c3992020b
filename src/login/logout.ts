/**
 * Logout: GET shows a confirmation page whose form POSTs back (a link or an image must not be able
 * to sign someone out); POST ends the bridge session first — never depending on the IdP — and
 * then sends the browser to the tenant IdP's logout, which returns to /sso/logged-out.
 */
import { KbError } from '../shared/errors.js';
import type { AppContext } from '../http/state.js';
import { clearCookie, readCookie } from '../http/cookies.js';
import type { LoginDeps } from './deps.js';
import { ANOTHER_ORGANIZATION, loggedOutUrl } from './urls.js';
import { escapeHtml, sendPage } from '../http/pages.js';

export async function logoutConfirm(deps: LoginDeps, ctx: AppContext): Promise<void> {
  const session = await deps.sessions.get(readCookie(ctx, deps.cookies.session));
  if (!session) {
    ctx.redirect('/sso/logged-out');
    return;
  }
  sendPage(ctx, {
    title: 'Sign out',
    html: `<h1>Sign out?</h1><p>You are signed in as <strong>${escapeHtml(session.name ?? session.userName)}</strong> (${escapeHtml(session.tenantName ?? session.tenantId)}).</p><form method="post" action="/sso/logout"><button type="submit">Sign out</button></form>`,
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
  sendPage(ctx, { title: 'Signed out', html: `<h1>You are signed out</h1><p><a class="button" href="/sso/login">Sign in again</a></p>${ANOTHER_ORGANIZATION}` });
}
