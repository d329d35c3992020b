/**
 * The browser-facing addresses of a tenant IdP (spec §7): authorize, logout, CAS login and logout,
 * and the server-side endpoint paths. Pure string building; `domainName` is the tenant's IdP base
 * URL as tenantSync delivered and schemas-url.ts normalized it (scheme included, no trailing slash).
 */

/** The documented scope that grants the userinfo call. */
export const DEFAULT_SCOPE = 'get_user_info';

export const IDP_PATHS = {
  authorize: '/api/v1/oauth2/authorize',
  token: '/api/v1/oauth2/token',
  userinfo: '/api/v1/oauth2/userinfo',
  logout: '/api/v1/logout',
  casLogin: '/api/v1/cas/login',
  casLogout: '/api/v1/cas/logout',
  casValidate: '/api/v1/cas/p3/serviceValidate',
} as const;

/** `{domainName}{path}?{query}`; a stray trailing slash on the base must not double the slash. */
export function idpUrl(domainName: string, path: string, query?: Record<string, string | undefined>): string {
  const base = domainName.replace(/\/+$/, '');
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined) params.append(key, value);
  const search = params.toString();
  return `${base}${path}${search === '' ? '' : `?${search}`}`;
}

export function authorizeUrl(
  domainName: string,
  p: { clientId: string; redirectUri: string; state?: string; scope?: string },
): string {
  return idpUrl(domainName, IDP_PATHS.authorize, {
    client_id: p.clientId,
    redirect_uri: p.redirectUri,
    response_type: 'code',
    scope: p.scope ?? DEFAULT_SCOPE,
    state: p.state,
  });
}

export const logoutUrl = (domainName: string, redirectUrl: string): string =>
  idpUrl(domainName, IDP_PATHS.logout, { redirect_url: redirectUrl });

export const casLoginUrl = (domainName: string, service: string): string =>
  idpUrl(domainName, IDP_PATHS.casLogin, { service });

export const casLogoutUrl = (domainName: string, service: string): string =>
  idpUrl(domainName, IDP_PATHS.casLogout, { service });
