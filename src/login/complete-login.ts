/**
 * The last step of every login, whatever the protocol: the IdP said who the user is; the
 * directory (authSync) says whether they may use the app; then a fresh session replaces any
 * session this browser had (no session fixation) and the browser goes on.
 */
import { KbError } from '../shared/errors.js';
import type { AppContext } from '../http/state.js';
import type { IdpUser } from '../connectors/idp-client.js';
import type { LoginMethod, UpstreamTokens } from '../sessions/types.js';
import { readCookie, setCookie } from '../http/cookies.js';
import type { LoginDeps } from './deps.js';

export interface CompletedLogin {
  tenantId: string;
  idpUser: IdpUser;
  method: LoginMethod;
  upstream: UpstreamTokens | null;
  returnTo: string | null;
}

export async function completeLogin(deps: LoginDeps, ctx: AppContext, login: CompletedLogin): Promise<void> {
  const { tenantId, idpUser } = login;
  if (idpUser.tenant !== null && idpUser.tenant !== tenantId) {
    throw new KbError('login_tenant_mismatch', 'the account you signed in with belongs to another organization than the one this sign-in was for');
  }
  const [user, tenant] = await Promise.all([deps.directory.getUser(tenantId, idpUser.userName), deps.directory.getTenant(tenantId)]);
  if (user === null) throw new KbError('login_user_not_authorized', 'your organization has not granted you access to this application; ask your administrator');
  if (user.status === 'cancelled') throw new KbError('login_user_not_authorized', 'your access to this application was withdrawn by your organization');
  if (user.enable !== true) throw new KbError('login_user_not_authorized', 'your account is disabled for this application; ask your administrator');

  const previous = readCookie(ctx, deps.cookies.session);
  const old = await deps.sessions.get(previous);
  if (old) await deps.sessions.destroy(old);

  const { sid, record } = await deps.sessions.create(
    {
      tenantId,
      tenantCode: tenant?.tenantCode || null,
      tenantName: tenant?.name || null,
      userName: user.userName,
      // The directory (what the buyer's admin granted) wins over userinfo; userinfo fills gaps.
      name: user.name ?? idpUser.name,
      role: user.role ?? idpUser.role,
      orgCode: user.orgCode ?? idpUser.orgCode,
      email: user.email ?? idpUser.email,
      mobile: user.mobile ?? idpUser.mobile,
    },
    login.method,
    login.upstream,
  );
  // A browser-session cookie: timeouts are enforced server-side.
  setCookie(ctx, deps.cookies, deps.cookies.session, sid, null);
  ctx.state.log.info({ tenantId, method: login.method, session: record.sidHash.slice(0, 8) }, 'login completed');
  ctx.redirect(login.returnTo ?? deps.config.login.landingUrl);
}

