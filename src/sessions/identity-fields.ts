/**
 * Which identity fields of a session come from where. The directory (what the buyer's admin granted
 * in authSync, what tenantSync named) wins; what the tenant IdP's userinfo said at login fills the
 * gaps. One rule for the login that makes a session and for every later directory change.
 */
import type { SessionIdentity } from './types.js';

/** The user's fields a session carries and the directory decides. */
export type UserFields = Pick<SessionIdentity, 'name' | 'role' | 'orgCode' | 'email' | 'mobile'>;
/** The tenant's fields a session carries (tenantSync, the instances it is bound to). */
export type TenantFields = Pick<SessionIdentity, 'tenantCode' | 'tenantName' | 'subscription'>;

/** The directory's value of each field, else the IdP's. */
export function mergeUserFields(directory: UserFields, idp: UserFields): UserFields {
  return {
    name: directory.name ?? idp.name,
    role: directory.role ?? idp.role,
    orgCode: directory.orgCode ?? idp.orgCode,
    email: directory.email ?? idp.email,
    mobile: directory.mobile ?? idp.mobile,
  };
}

export const pickUserFields = (from: UserFields): UserFields => ({ name: from.name, role: from.role, orgCode: from.orgCode, email: from.email, mobile: from.mobile });
