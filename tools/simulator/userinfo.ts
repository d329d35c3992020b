/**
 * The userinfo document of a simulated tenant IdP (spec §7). Only `userName` is guaranteed by the
 * documentation; the simulator fills every documented field, and leaves email and mobile out when
 * the user has none, as KooGallery does when the buyer did not grant privacy fields.
 */
import { createHash } from 'node:crypto';
import { orgName } from './deps.js';
import type { SimTenant, SimUser } from './types.js';

/** A stable, opaque user id: the same user always gets the same id, across restarts too. */
export function simUserId(tenantId: string, userName: string): string {
  return createHash('sha256').update(`${tenantId}\0${userName}`).digest('hex').slice(0, 24);
}

export function userInfo(tenant: SimTenant, user: SimUser): Record<string, string> {
  const id = simUserId(tenant.tenantId, user.userName);
  return {
    id,
    userId: id,
    userName: user.userName,
    name: user.name,
    ...(user.email ? { email: user.email } : {}),
    ...(user.mobile ? { mobile: user.mobile } : {}),
    role: user.role,
    organizationCode: user.orgCode,
    organizationName: orgName(tenant, user.orgCode),
    tenant: tenantClaim(tenant),
    accName: user.userName,
    loginName: user.userName,
    projectName: tenant.name,
  };
}

/** The `tenant` a tenant IdP puts in userinfo and CAS attributes (see SimTenant.tenantClaim). */
export const tenantClaim = (tenant: SimTenant): string => (tenant.tenantClaim === 'code' ? tenant.tenantCode : tenant.tenantId);
