/**
 * What the login room knows about a session's upstream side, handed to the rooms that need it
 * without knowing connectors: whether a session may be renewed and with what (sessions/), and where
 * the tenant IdP signs the browser out (logout here and RP-initiated logout in oidc/).
 */
import type { Connectors } from '../connectors/connector.js';
import type { Directory } from '../directory/directory.js';
import { isAuthorized } from '../directory/records.js';
import type { RenewUpstream } from '../sessions/upstream-refresh.js';
import type { UpstreamLogoutUrl } from '../sessions/types.js';
import { casServiceUrl } from './urls.js';

export function createUpstreamRenewal(deps: { directory: Directory; connectors: Connectors }): RenewUpstream {
  return async (session, refreshToken) => {
    // A deprovisioning event missed (a crash between commit and listener) is caught here.
    if (!isAuthorized(await deps.directory.getUser(session.tenantId, session.userName))) return { end: 'user no longer authorized' };
    const target = await deps.directory.getLoginTarget(session.tenantId);
    if (target === null || target.credentials === null || !target.tenant.domainName) return { end: 'tenant credentials removed' };
    const connector = deps.connectors[session.method];
    if (!connector.refresh) return { end: `${session.method} sessions cannot be renewed` };
    return { tokens: await connector.refresh({ domainName: target.tenant.domainName, credentials: target.credentials }, refreshToken) };
  };
}

/**
 * CAS logout sends the browser back to the app's registered CAS service (OneAccess accepts only the
 * configured CAS callback as `service`, spec §7 "Login details found later"), never to another page;
 * that service URL without a ticket then starts a login again (see callback/checks.ts requireProof).
 */
export function createUpstreamLogoutUrl(deps: { directory: Directory; connectors: Connectors; publicUrl: string }): UpstreamLogoutUrl {
  return async (session, returnUrl) => {
    // Local logout never depends on the directory answering.
    const tenant = await deps.directory.getTenant(session.tenantId).catch(() => null);
    if (!tenant?.domainName) return null;
    const back = session.method === 'cas' ? casServiceUrl(deps, session.tenantId) : returnUrl;
    return deps.connectors[session.method].logoutUrl(tenant.domainName, back);
  };
}
