/**
 * The directory's side of a session's identity, for the login that makes a session and for the
 * sessions room, which rewrites live sessions on directory changes (sessions/identity-refresh.ts)
 * without knowing the directory.
 */
import type { Directory } from '../directory/directory.js';
import { isAuthorized, type TenantRecord, type UserRecord } from '../directory/records.js';
import { subscriptionView, type Subscription } from '../directory/subscription.js';
import type { TenantFields, UserFields } from '../sessions/identity-fields.js';
import type { IdentitySource } from '../sessions/identity-refresh.js';

export const userFieldsOf = (user: UserRecord): UserFields => ({
  name: user.name,
  role: user.role,
  orgCode: user.orgCode,
  email: user.email ?? null,
  mobile: user.mobile ?? null,
});

export function tenantFieldsOf(tenant: TenantRecord, subscription: Subscription): TenantFields {
  const { status, expiresAt, chargingMode, productId } = subscriptionView(subscription);
  return { tenantCode: tenant.tenantCode || null, tenantName: tenant.name || null, subscription: { status, expiresAt, chargingMode, productId } };
}

export function createIdentitySource(directory: Directory): IdentitySource {
  return {
    async user(tenantId, userName) {
      const user = await directory.getUser(tenantId, userName);
      return isAuthorized(user) ? userFieldsOf(user) : null;
    },
    async tenant(tenantId) {
      const [tenant, subscription] = await Promise.all([directory.getTenant(tenantId), directory.subscriptionOf(tenantId)]);
      return tenant === null || subscription === null ? null : tenantFieldsOf(tenant, subscription);
    },
  };
}
