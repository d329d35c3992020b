/**
 * Accounts of the OpenID provider: one per (tenant, userName).
 *
 * `sub` is `<tenantId>.<base64url(userName)>`: stable, unique per tenant and user, never reused
 * across tenants (the tenant id is part of it, and KooGallery tenant ids are unique), reversible
 * without a lookup table, and made only of URL-safe ASCII whatever characters the userName holds.
 * Claims are read from the directory at the time of each call, so userinfo reflects renames and
 * a deprovisioned user has no account any more.
 */
import type { Directory } from '../directory/directory.js';
import { isTenantId } from '../shared/identifiers.js';
import { isAuthorized, type UserRecord, type TenantRecord } from '../directory/records.js';
import { subscriptionView, type SubscriptionView } from '../directory/subscription.js';


export const accountIdOf = (tenantId: string, userName: string): string => `${tenantId}.${Buffer.from(userName, 'utf8').toString('base64url')}`;

export function parseAccountId(sub: string): { tenantId: string; userName: string } | null {
  const dot = sub.lastIndexOf('.');
  if (dot <= 0) return null;
  const tenantId = sub.slice(0, dot);
  const encoded = sub.slice(dot + 1);
  if (!isTenantId(tenantId) || !/^[A-Za-z0-9_-]+$/.test(encoded)) return null;
  const userName = Buffer.from(encoded, 'base64url').toString('utf8');
  // Only the canonical spelling maps back: no two subs for one account.
  return accountIdOf(tenantId, userName) === sub ? { tenantId, userName } : null;
}

/** Scopes and the claims they release (tenant: the KooGallery organization of the user). */
export const CLAIMS_BY_SCOPE = {
  openid: ['sub'],
  profile: ['name', 'preferred_username'],
  email: ['email'],
  phone: ['phone_number'],
  tenant: ['tenant_id', 'tenant_code', 'tenant_name', 'role', 'org_code', 'subscription'],
} as const;

export function claimsOf(sub: string, tenantId: string, tenant: TenantRecord | null, user: UserRecord, subscription: SubscriptionView | null = null): Record<string, unknown> {
  const claims: Record<string, unknown> = { sub, tenant_id: tenantId, preferred_username: user.userName };
  // What the tenant bought, read from the directory at the time of the call (no order or buyer data).
  if (subscription) claims.subscription = subscription;
  if (tenant?.tenantCode) claims.tenant_code = tenant.tenantCode;
  if (tenant?.name) claims.tenant_name = tenant.name;
  if (user.name) claims.name = user.name;
  if (user.role) claims.role = user.role;
  if (user.orgCode) claims.org_code = user.orgCode;
  // Only when KooGallery delivered them (the buyer granted the privacy fields).
  if (user.email) claims.email = user.email;
  if (user.mobile) claims.phone_number = user.mobile;
  return claims;
}

/** oidc-provider's findAccount: undefined when the user is no longer authorized by KooGallery. */
export function createFindAccount(directory: Directory) {
  return async (_ctx: unknown, sub: string) => {
    const parsed = parseAccountId(sub);
    if (!parsed) return undefined;
    const [user, tenant] = await Promise.all([directory.getUser(parsed.tenantId, parsed.userName), directory.getTenant(parsed.tenantId)]);
    if (!isAuthorized(user)) return undefined;
    return {
      accountId: sub,
      claims: async () => {
        const subscription = await directory.subscriptionOf(parsed.tenantId);
        return claimsOf(sub, parsed.tenantId, tenant, user, subscription === null ? null : subscriptionView(subscription));
      },
    };
  };
}
