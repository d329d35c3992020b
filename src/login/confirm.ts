/**
 * GET/POST /sso/confirm — "Continue as 张三 (zhang.san) of Acme Trading Co.?" for a login whose
 * callback could not be tied to this browser (see callback/confirm-untied.ts).
 *
 * The held-back session exists in the store (so deprovisioning ends it like any other) but the
 * browser holds its id only in a short-lived HttpOnly cookie apart from the session cookie; it
 * becomes the session only by a POST from this site carrying a token derived from that id (which
 * no other site can read or compute), within CONFIRM_TTL_MS of the login. Continue ends the
 * previous session and goes on; Cancel ends the held-back one and keeps the previous session.
 *
 * Where it goes on to (the login's allowed return_to, and with it the app the audit trail names)
 * is kept server-side beside the held-back session, not in the page's URL or form: those are the
 * user's to edit, and an edited one named another configured app as the one signed in to.
 */
import { z } from 'zod';
import { clearCookie, readCookie, setCookie } from '../http/cookies.js';
import { validate } from '../http/guard.js';
import { escapeHtml, sendPage } from '../http/pages.js';
import type { AppContext } from '../http/state.js';
import { readSmallForm } from '../http/raw-body.js';
import { postSource } from '../http/fetch-site.js';
import { KbError } from '../shared/errors.js';
import { sameSecret, sha256Base64url } from '../shared/hash.js';
import type { SessionRecord } from '../sessions/types.js';
import { enterSession } from './callback/open-session.js';
import type { LoginDeps } from './deps.js';
import { clientOfReturnTo, reportLogin } from './login-report.js';
import { anotherOrganization, allowedReturnTo } from './urls.js';
import { languageOf, t, th, type Lang } from '../http/i18n.js';

// Long enough to read one sentence and press a button; a confirmation is not a place to linger.
export const CONFIRM_TTL_MS = 5 * 60_000;

const confirmCookie = (deps: Pick<LoginDeps, 'cookies'>) => `${deps.cookies.session}-confirm`;
/** The form token: only a page that could read the HttpOnly cookie's id (ours, server-side) knows it. */
const tokenOf = (sid: string) => sha256Base64url(`koobridge confirm ${sid}`);

export const CONFIRM_PATH = '/sso/confirm';

// Unknown fields (a return_to from a page rendered before it was kept server-side) are dropped.
const confirmForm = z.object({
  token: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'is not a confirmation token'),
  decision: z.enum(['continue', 'cancel']),
});

/** What the held-back login goes on to, kept for CONFIRM_TTL_MS under the held-back session's hash. */
interface Continuation {
  returnTo: string | null;
}

/**
 * Hands the browser the held-back session's id (never the session cookie) and keeps where the
 * login goes on to; ends an earlier held-back session still held.
 */
export async function holdForConfirmation(deps: LoginDeps, ctx: AppContext, held: { sid: string; record: SessionRecord }, returnTo: string | null): Promise<void> {
  const earlier = await deps.sessions.get(readCookie(ctx, confirmCookie(deps)));
  if (earlier) await endHeldBack(deps, earlier);
  const continuation: Continuation = { returnTo };
  await deps.store.exec([{ op: 'set', key: deps.keys.loginConfirmation(held.record.sidHash), value: JSON.stringify(continuation), ttlMs: CONFIRM_TTL_MS }]);
  setCookie(ctx, deps.cookies, confirmCookie(deps), held.sid, CONFIRM_TTL_MS);
}

async function endHeldBack(deps: LoginDeps, record: SessionRecord): Promise<void> {
  await deps.sessions.destroy(record);
  await forgetContinuation(deps, record);
}

const forgetContinuation = (deps: LoginDeps, record: SessionRecord) => deps.store.exec([{ op: 'del', key: deps.keys.loginConfirmation(record.sidHash) }]);

/** Where the confirmed login goes: the kept return_to, checked again against today's allow-list; null → the landing page. */
async function continuationOf(deps: LoginDeps, record: SessionRecord): Promise<string | null> {
  const raw = await deps.store.get(deps.keys.loginConfirmation(record.sidHash));
  // None: held back by a version that kept it in the page; the landing page is the safe default.
  const kept = raw === null ? null : (JSON.parse(raw) as Continuation).returnTo;
  return allowedReturnTo(deps.settings, kept ?? undefined, deps.isExtraReturnAllowed);
}

const expired = () => new KbError('login_state_invalid', 'this sign-in was not confirmed in time, or was already confirmed or cancelled; please sign in again');

/** The held-back session of this browser, within its time; null when none. */
async function heldBack(deps: LoginDeps, ctx: AppContext): Promise<{ sid: string; record: SessionRecord } | null> {
  const sid = readCookie(ctx, confirmCookie(deps));
  const record = await deps.sessions.get(sid);
  if (!sid || !record) return null;
  if (deps.clock.now() - record.createdAt > CONFIRM_TTL_MS) {
    await endHeldBack(deps, record);
    return null;
  }
  return { sid, record };
}

const who = (lang: Lang, s: Pick<SessionRecord, 'name' | 'userName' | 'tenantName' | 'tenantId'>) =>
  th(lang, 'confirm.who', { name: `<strong>${escapeHtml(s.name ?? s.userName)}</strong>`, account: escapeHtml(s.userName), organization: `<strong>${escapeHtml(s.tenantName ?? s.tenantId)}</strong>` });

export async function confirmPage(deps: LoginDeps, ctx: AppContext): Promise<void> {
  const held = await heldBack(deps, ctx);
  if (!held) throw expired();
  const returnTo = await continuationOf(deps, held.record);
  const previous = await deps.sessions.get(readCookie(ctx, deps.cookies.session));
  const { record } = held;
  const name = record.name ?? record.userName;
  const lang = languageOf(ctx);
  sendPage(ctx, {
    lang,
    title: t(lang, 'confirm.title'),
    html:
      `<h1>${th(lang, 'confirm.heading', { name: escapeHtml(name) })}</h1>` +
      `<p>${th(lang, 'confirm.signingInAs', { who: who(lang, record) })}</p>` +
      (previous ? `<p>${th(lang, 'confirm.previous', { who: who(lang, previous) })}</p>` : '') +
      (returnTo ? `<p>${th(lang, 'confirm.app')}</p>` : '') +
      `<p>${th(lang, 'confirm.notYou')}</p>` +
      `<form method="post" action="${CONFIRM_PATH}"><input type="hidden" name="token" value="${escapeHtml(tokenOf(held.sid))}">` +
      `<p class="actions"><button type="submit" name="decision" value="continue">${th(lang, 'confirm.continue', { name: escapeHtml(name) })}</button>` +
      `<button class="secondary" type="submit" name="decision" value="cancel">${th(lang, 'confirm.cancel')}</button></p></form>` +
      anotherOrganization(lang),
  });
}

export async function confirmSubmit(deps: LoginDeps, ctx: AppContext): Promise<void> {
  // SameSite=Lax keeps the cookies off cross-site POSTs; the token and this check stop the rest.
  // `Origin: null` (Chromium, under our no-referrer policy) is left to the token, always required.
  if (postSource(ctx, deps.settings.publicUrl) === 'other-site') throw new KbError('cross_origin_refused', 'the sign-in must be confirmed on this site');
  const form = validate(confirmForm, Object.fromEntries(await readSmallForm(ctx.req)));
  const sid = readCookie(ctx, confirmCookie(deps));
  if (!sid || !sameSecret(form.token, tokenOf(sid))) throw new KbError('cross_origin_refused', 'the sign-in must be confirmed on this site');
  const held = await heldBack(deps, ctx);
  clearCookie(ctx, deps.cookies, confirmCookie(deps));
  if (!held) throw expired();
  const { record } = held;

  if (form.decision === 'cancel') {
    await endHeldBack(deps, record);
    ctx.state.log.info({ tenantId: record.tenantId, session: record.sidHash.slice(0, 8) }, 'login cancelled at confirmation');
    ctx.redirect(deps.settings.landingUrl);
    return;
  }
  const returnTo = await continuationOf(deps, record);
  await forgetContinuation(deps, record);
  const previous = await deps.sessions.get(readCookie(ctx, deps.cookies.session));
  await enterSession(deps, ctx, held.sid, record, previous);
  ctx.state.log.info({ tenantId: record.tenantId, method: record.method, session: record.sidHash.slice(0, 8) }, 'login completed (confirmed)');
  // The app is the one the browser now goes on to: the pre-login record was used up by the callback,
  // and the kept return_to names the same interaction or CAS service (only configured ones count).
  const clientId = await clientOfReturnTo(deps, returnTo);
  // An untied OAuth2 code came without a state of ours: the unified login page's (a workbench code held for confirmation is counted there too).
  reportLogin(deps, ctx, { method: record.method === 'cas' ? 'cas' : 'unified', tenantId: record.tenantId, userName: record.userName, clientId });
  ctx.redirect(returnTo ?? deps.settings.landingUrl);
}

