/**
 * Signing in at a tenant IdP: the SSO cookie that makes a workbench user "already signed in", and
 * the login form that starts it. The cookie's path is the tenant's IdP path, so a browser sends
 * each tenant's cookie only to that tenant's endpoints, as it would to separate IdP hosts.
 */
import type { SimContext, SimDeps } from './deps.js';
import { findUser } from './deps.js';
import type { Login } from './grants.js';
import { sendHtml, tenantLoginPage } from './html.js';
import { BodyError, readForm } from './read-body.js';
import type { SimTenant } from './types.js';

export const SSO_COOKIE = 'koosim_sso';

const cookiePath = (tenantId: string): string => `/idp/${encodeURIComponent(tenantId)}`;

/** Starts an SSO session for the user and hands the browser its cookie. */
export function startSso(deps: SimDeps, ctx: Pick<SimContext, 'cookies'>, tenantId: string, userName: string): Login {
  const { id, session } = deps.grants.startSession(tenantId, userName);
  // Session cookie (no expiry), HttpOnly, Lax so the top-level redirects of a login still carry it.
  ctx.cookies.set(SSO_COOKIE, id, { path: cookiePath(tenantId), httpOnly: true, sameSite: 'lax', overwrite: true });
  return { tenantId, userName, authTime: session.authTime, newLogin: true };
}

/** The signed-in user of this tenant, if the browser holds a live SSO cookie for it. */
export function currentLogin(deps: SimDeps, ctx: SimContext, tenant: SimTenant): Login | undefined {
  const session = deps.grants.session(ctx.cookies.get(SSO_COOKIE), tenant.tenantId);
  if (!session || !findUser(tenant, session.userName)) return undefined;
  return { tenantId: tenant.tenantId, userName: session.userName, authTime: session.authTime, newLogin: false };
}

export function endSso(deps: SimDeps, ctx: SimContext, tenantId: string): void {
  deps.grants.endSession(ctx.cookies.get(SSO_COOKIE));
  ctx.cookies.set(SSO_COOKIE, null, { path: cookiePath(tenantId), httpOnly: true, sameSite: 'lax', overwrite: true });
}

/** The tenant's login page; it posts back to the very URL (query included) that showed it. */
export function showLoginForm(ctx: SimContext, tenant: SimTenant, status = 200, error?: string, userName?: string): void {
  sendHtml(ctx, status, tenantLoginPage({ tenant, action: ctx.url, ...(error ? { error } : {}), ...(userName ? { userName } : {}) }));
}

/**
 * Handles the login form's POST. On success the browser is signed in and the Login is returned;
 * otherwise the form is shown again with a readable error (400) and undefined is returned.
 */
export async function signInFromForm(deps: SimDeps, ctx: SimContext): Promise<Login | undefined> {
  const tenant = ctx.state.tenant;
  let form: URLSearchParams;
  try {
    form = await readForm(ctx.req);
  } catch (err) {
    showLoginForm(ctx, tenant, err instanceof BodyError ? err.status : 400, (err as Error).message);
    return undefined;
  }
  const userName = form.get('userName') ?? '';
  if (!findUser(tenant, userName)) {
    showLoginForm(ctx, tenant, 400, `There is no user ${JSON.stringify(userName)} in ${tenant.name}.`);
    return undefined;
  }
  if (!form.get('password')) {
    showLoginForm(ctx, tenant, 400, 'Please type a password (any non-empty password is accepted).', userName);
    return undefined;
  }
  return startSso(deps, ctx, tenant.tenantId, userName);
}
