/**
 * RP-initiated logout reaches the whole chain: once oidc-provider has ended its session (the user
 * confirmed "sign me out" at /oidc/session/end), the bridge session ends too, and the browser is
 * sent through the tenant IdP's logout on its way to where the provider was sending it.
 * The bridge session ends before any IdP is involved: local logout never depends on the IdP.
 */
import type { KoaContextWithOIDC } from 'oidc-provider';
import { originOf, type AppMiddleware } from '../http/state.js';
import { clearCookie, readCookie, type CookieNames } from '../http/cookies.js';
import type { SessionStore } from '../sessions/session-store.js';
import type { UpstreamLogoutUrl } from '../sessions/types.js';
import { NO_OBSERVATIONS, type Observations } from '../shared/observations.js';

export interface RpLogoutDeps {
  sessions: SessionStore;
  cookies: CookieNames;
  upstreamLogoutUrl: UpstreamLogoutUrl;
  publicUrl: string;
  /** The ended session is reported (session_end, cause logout) like every other sign-out. */
  observations?: Observations;
}

export function endBridgeSessionOnRpLogout(deps: RpLogoutDeps): AppMiddleware {
  const observations = deps.observations ?? NO_OBSERVATIONS;
  return async (ctx, next) => {
    await next();
    if (ctx.method !== 'POST' || ctx.path !== '/oidc/session/end/confirm') return;
    const params = (ctx as unknown as Partial<KoaContextWithOIDC>).oidc?.params;
    if (!params?.logout || ctx.status < 300 || ctx.status >= 400) return;
    // oidc-provider also ends its session itself when a login switches to another account, and
    // then goes back to the authorization (/oidc/auth/…): that is no sign-out of the bridge.
    if (new URL(ctx.response.get('location'), deps.publicUrl).pathname.startsWith('/oidc/auth/')) return;
    const session = await deps.sessions.get(readCookie(ctx, deps.cookies.session));
    if (!session) return;
    await deps.sessions.destroy(session);
    observations.emit({ kind: 'session_end', cause: 'logout', tenantId: session.tenantId, userName: session.userName, count: 1, reason: 'rp-initiated logout', ...originOf(ctx) });
    clearCookie(ctx, deps.cookies, deps.cookies.session);
    ctx.state.log.info({ tenantId: session.tenantId }, 'bridge session ended by RP-initiated logout');
    const onward = new URL(ctx.response.get('location'), deps.publicUrl).toString();
    const upstream = await deps.upstreamLogoutUrl(session, onward);
    if (upstream !== null) ctx.redirect(upstream);
  };
}
