/**
 * Who the app learns the user is: `<cas:user>` and the attributes a service is released, read from
 * the bridge session (which directory changes keep current), plus CAS 3.0's three protocol
 * attributes (§4.2.2 of the spec's appendix: authenticationDate, isFromNewLogin,
 * longTermAuthenticationRequestTokenUsed).
 */
import type { SessionRecord } from '../sessions/types.js';
import type { CasService, UserAttribute } from './services.js';

export interface Principal {
  user: string;
  /** In answer order; absent values are left out. */
  attributes: [string, string][];
}

/** The OpenID `sub` form: unique across tenants, stable, so apps can key their users on it alone. */
export const subOf = (tenantId: string, userName: string): string => `${tenantId}.${Buffer.from(userName, 'utf8').toString('base64url')}`;

const VALUES: Record<UserAttribute, (s: SessionRecord) => string | null> = {
  tenant_id: (s) => s.tenantId,
  tenant_code: (s) => s.tenantCode,
  tenant_name: (s) => s.tenantName,
  userName: (s) => s.userName,
  name: (s) => s.name,
  role: (s) => s.role,
  org_code: (s) => s.orgCode,
  email: (s) => s.email,
  mobile: (s) => s.mobile,
};

export function principalOf(session: SessionRecord, service: CasService, fromNewLogin: boolean): Principal {
  const attributes: [string, string][] = [
    ['authenticationDate', new Date(session.createdAt).toISOString()],
    ['isFromNewLogin', String(fromNewLogin)],
    // No "remember me" exists here: every session is an ordinary sign-in.
    ['longTermAuthenticationRequestTokenUsed', 'false'],
  ];
  for (const name of service.attributes) {
    const value = VALUES[name](session);
    if (value !== null && value !== '') attributes.push([name, value]);
  }
  return { user: service.user === 'userName' ? session.userName : subOf(session.tenantId, session.userName), attributes };
}
