/**
 * How the merchant's apps consume a bridge session without any marketplace code:
 *  - GET /api/session: the identity as JSON, or 401;
 *  - GET /auth/check: forward-auth for nginx `auth_request` / Traefik ForwardAuth: 200 with
 *    X-Koo-* headers, or 401 with `X-Koo-Login`, the sign-in address that returns to the page asked
 *    for (a 302 there with `?redirect=1`, for Traefik, which hands the answer to the browser);
 *  - GET /sso/me: the landing page, showing who is signed in.
 * Each use of a session may renew its upstream token (see sessions/upstream-refresh.ts).
 */
import { jsonErrorBody } from '../http/error-report.js';
import { HTTP_STATUS } from '../http/status.js';
import { KbError } from '../shared/errors.js';
import type { AppContext } from '../http/state.js';
import type { SessionRecord } from '../sessions/types.js';
import { readCookie } from '../http/cookies.js';
import type { LoginDeps } from './deps.js';
import { definitionList, escapeHtml, linkButton, sendPage } from '../http/pages.js';
import { formatTime, languageOf, t, th } from '../http/i18n.js';
import { anotherOrganization, allowedReturnTo } from './urls.js';
import { originalUrl } from './original-url.js';

async function currentSession(deps: LoginDeps, ctx: AppContext): Promise<SessionRecord | null> {
  const session = await deps.sessions.get(readCookie(ctx, deps.cookies.session));
  return session === null ? null : deps.refresh.ensureFresh(session);
}

const noSession = () => new KbError('unauthenticated', 'no valid session');

export function sessionView(session: SessionRecord, idleTimeoutMs: number) {
  return {
    tenant: { id: session.tenantId, code: session.tenantCode, name: session.tenantName },
    userName: session.userName,
    name: session.name,
    role: session.role,
    orgCode: session.orgCode,
    ...(session.email ? { email: session.email } : {}),
    ...(session.mobile ? { mobile: session.mobile } : {}),
    subscription: session.subscription ?? null,
    loginMethod: session.method,
    createdAt: new Date(session.createdAt).toISOString(),
    expiresAt: new Date(session.absoluteExpiresAt).toISOString(),
    idleTimeoutSeconds: Math.round(idleTimeoutMs / 1000),
  };
}

export async function sessionJson(deps: LoginDeps, ctx: AppContext): Promise<void> {
  const session = await currentSession(deps, ctx);
  if (!session) throw noSession();
  ctx.body = sessionView(session, deps.settings.idleTimeoutMs);
}

/** Why a forward-auth check was refused: logged (at info), never the cookie itself. */
export type ForwardAuthRefusal = 'no session cookie' | 'no live session for the cookie';

/**
 * Where a browser refused by /auth/check signs in: /sso/login, returning to the page it asked for
 * when the proxy said which (TRUST_PROXY=1) and that page is allowed (a deep link).
 */
export function loginUrlFor(deps: Pick<LoginDeps, 'settings' | 'isExtraReturnAllowed'>, ctx: AppContext): string {
  const returnTo = allowedReturnTo(deps.settings, originalUrl(ctx, deps.settings.trustProxy), deps.isExtraReturnAllowed);
  return `${deps.settings.publicUrl}/sso/login${returnTo ? `?return_to=${encodeURIComponent(returnTo)}` : ''}`;
}

/** Answers the check; a refusal is returned (and answered 401, or 302 with `redirect=1`). */
export async function forwardAuth(deps: LoginDeps, ctx: AppContext): Promise<ForwardAuthRefusal | null> {
  const cookie = readCookie(ctx, deps.cookies.session);
  const session = cookie ? await currentSession(deps, ctx) : null;
  if (!session) {
    const login = loginUrlFor(deps, ctx);
    if (ctx.query.redirect === '1') {
      ctx.redirect(login);
    } else {
      ctx.status = HTTP_STATUS.unauthenticated;
      ctx.set('X-Koo-Login', login);
      ctx.body = jsonErrorBody(noSession());
    }
    return cookie ? 'no live session for the cookie' : 'no session cookie';
  }
  ctx.set('X-Koo-Tenant', session.tenantId);
  ctx.set('X-Koo-User', encodeURIComponent(session.userName));
  ctx.set('X-Koo-Role', session.role ?? '');
  // Header values are Latin-1: names (often Chinese) travel URL-encoded.
  ctx.set('X-Koo-Name', encodeURIComponent(session.name ?? ''));
  const sub = session.subscription;
  if (sub) {
    ctx.set('X-Koo-Subscription', sub.status);
    if (sub.expiresAt) ctx.set('X-Koo-Subscription-Expires', sub.expiresAt);
    if (sub.chargingMode) ctx.set('X-Koo-Charging-Mode', sub.chargingMode);
    if (sub.productId) ctx.set('X-Koo-Product', encodeURIComponent(sub.productId));
  }
  ctx.status = 200;
  ctx.body = '';
  return null;
}

export async function landingPage(deps: LoginDeps, ctx: AppContext): Promise<void> {
  const session = await currentSession(deps, ctx);
  const lang = languageOf(ctx);
  if (!session) {
    sendPage(ctx, { lang, title: t(lang, 'landing.notSignedIn.title'), html: `<h1>${th(lang, 'landing.notSignedIn.heading')}</h1><p class="actions">${linkButton('/sso/login', t(lang, 'landing.signIn'))}</p>${anotherOrganization(lang)}` });
    return;
  }
  sendPage(ctx, {
    lang,
    title: t(lang, 'landing.title'),
    html: `<h1>${th(lang, 'landing.heading', { name: escapeHtml(session.name ?? session.userName) })}</h1>${definitionList([
      [t(lang, 'landing.organization'), session.tenantName ? `${session.tenantName} (${session.tenantId})` : session.tenantId],
      [t(lang, 'landing.account'), session.userName],
      [t(lang, 'landing.role'), session.role],
      [t(lang, 'landing.department'), session.orgCode],
      [t(lang, 'landing.email'), session.email],
      [t(lang, 'landing.mobile'), session.mobile],
      [t(lang, 'landing.method'), session.method === 'cas' ? 'CAS 3.0' : 'OAuth 2.0'],
      [t(lang, 'landing.sessionEnds'), formatTime(lang, session.absoluteExpiresAt)],
    ])}<p class="actions">${linkButton('/sso/logout', t(lang, 'landing.signOut'), 'secondary')}</p>`,
  });
}
