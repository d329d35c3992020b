/**
 * The last step of every login: a fresh session replaces any session this browser had (no session
 * fixation), and the browser goes on to where the login was for.
 */
import { subscriptionView } from '../../directory/subscription.js';
import { readCookie, setCookie } from '../../http/cookies.js';
import type { CallbackCheck } from './attempt.js';

export const openSession: CallbackCheck = async (deps, ctx, attempt) => {
  const { tenant } = attempt.target!;
  const { identity, upstream } = attempt.result!;
  const user = attempt.user!;
  const old = await deps.sessions.get(readCookie(ctx, deps.cookies.session));
  if (old) await deps.sessions.destroy(old);

  const { sid, record } = await deps.sessions.create(
    {
      tenantId: tenant.tenantId,
      tenantCode: tenant.tenantCode || null,
      tenantName: tenant.name || null,
      userName: user.userName,
      // The directory (what the buyer's admin granted) wins over userinfo; userinfo fills gaps.
      name: user.name ?? identity.name,
      role: user.role ?? identity.role,
      orgCode: user.orgCode ?? identity.orgCode,
      email: user.email ?? identity.email,
      mobile: user.mobile ?? identity.mobile,
      subscription: (({ status, expiresAt, chargingMode, productId }) => ({ status, expiresAt, chargingMode, productId }))(subscriptionView(attempt.target!.subscription)),
    },
    attempt.protocol,
    upstream,
  );
  // A browser-session cookie: timeouts are enforced server-side.
  setCookie(ctx, deps.cookies, deps.cookies.session, sid, null);
  ctx.state.log.info({ tenantId: tenant.tenantId, method: attempt.protocol, session: record.sidHash.slice(0, 8) }, 'login completed');
  ctx.redirect(attempt.returnTo ?? deps.settings.landingUrl);
};
