/**
 * The last step of every login: a fresh session replaces any session this browser had (no session
 * fixation), and the browser goes on to where the login was for.
 */
import { readCookie, setCookie } from '../../http/cookies.js';
import { mergeUserFields, pickUserFields } from '../../sessions/identity-fields.js';
import { tenantFieldsOf, userFieldsOf } from '../session-identity.js';
import type { CallbackCheck } from './attempt.js';

export const openSession: CallbackCheck = async (deps, ctx, attempt) => {
  const { tenant } = attempt.target!;
  const { identity, upstream } = attempt.result!;
  const user = attempt.user!;
  const old = await deps.sessions.get(readCookie(ctx, deps.cookies.session));
  if (old) await deps.sessions.destroy(old);

  // The directory (what the buyer's admin granted) wins over userinfo; userinfo fills gaps, now and
  // whenever a directory change rewrites the session later.
  const idp = pickUserFields(identity);
  const { sid, record } = await deps.sessions.create(
    { tenantId: tenant.tenantId, userName: user.userName, ...tenantFieldsOf(tenant, attempt.target!.subscription), ...mergeUserFields(userFieldsOf(user), idp) },
    attempt.protocol,
    upstream,
    idp,
  );
  // A browser-session cookie: timeouts are enforced server-side.
  setCookie(ctx, deps.cookies, deps.cookies.session, sid, null);
  ctx.state.log.info({ tenantId: tenant.tenantId, method: attempt.protocol, session: record.sidHash.slice(0, 8) }, 'login completed');
  ctx.redirect(attempt.returnTo ?? deps.settings.landingUrl);
};
