/**
 * The last step of every login: a fresh session replaces any session this browser had (no session
 * fixation), and the browser goes on to where the login was for.
 */
import { readCookie, setCookie } from '../../http/cookies.js';
import type { AppContext } from '../../http/state.js';
import type { SessionIdentity, SessionRecord } from '../../sessions/types.js';
import type { LoginDeps } from '../deps.js';
import { rememberTenant } from '../remembered-tenant.js';
import type { CallbackAttempt, CallbackCheck } from './attempt.js';
import { mergeUserFields, pickUserFields } from '../../sessions/identity-fields.js';
import { tenantFieldsOf, userFieldsOf } from '../session-identity.js';

/** This browser's session before the login (read once per attempt). */
export async function previousSession(deps: LoginDeps, ctx: AppContext, attempt: CallbackAttempt): Promise<SessionRecord | null> {
  if (attempt.previous === undefined) attempt.previous = await deps.sessions.get(readCookie(ctx, deps.cookies.session));
  return attempt.previous;
}

/** What the new session says about the user: the directory (what the buyer's admin granted) wins over userinfo. */
export function identityOf(attempt: CallbackAttempt): SessionIdentity {
  const { tenant, subscription } = attempt.target!;
  const user = attempt.user!;
  // userinfo fills gaps, now and whenever a directory change rewrites the session later.
  return { tenantId: tenant.tenantId, userName: user.userName, ...tenantFieldsOf(tenant, subscription), ...mergeUserFields(userFieldsOf(user), pickUserFields(attempt.result!.identity)) };
}

/** Creates the session record; the browser does not hold it yet (see enterSession). */
export const createSession = (deps: LoginDeps, attempt: CallbackAttempt) =>
  deps.sessions.create(identityOf(attempt), attempt.protocol, attempt.result!.upstream, pickUserFields(attempt.result!.identity));

/**
 * Gives the browser its new session: the previous one ends, the cookie is set, the tenant is
 * remembered for the next login (see remembered-tenant.ts).
 */
export async function enterSession(deps: LoginDeps, ctx: AppContext, sid: string, record: SessionRecord, previous: SessionRecord | null): Promise<void> {
  if (previous && previous.sidHash !== record.sidHash) await deps.sessions.destroy(previous);
  // A browser-session cookie: timeouts are enforced server-side.
  setCookie(ctx, deps.cookies, deps.cookies.session, sid, null);
  rememberTenant(deps, ctx, record.tenantId);
}

export const openSession: CallbackCheck = async (deps, ctx, attempt) => {
  const previous = await previousSession(deps, ctx, attempt);
  const { sid, record } = await createSession(deps, attempt);
  await enterSession(deps, ctx, sid, record, previous);
  ctx.state.log.info({ tenantId: record.tenantId, method: attempt.protocol, session: record.sidHash.slice(0, 8) }, 'login completed');
  ctx.redirect(attempt.returnTo ?? deps.settings.landingUrl);
};
