/**
 * Everything a login needs from the directory in one call: the tenant (its IdP address, code and
 * name), whether its subscription lets it sign in, and this bridge's app credentials for it. The login reads it once and passes it down, so a
 * login costs one round of store reads whatever protocol it speaks.
 */
import { KbError } from '../shared/errors.js';
import { openSecret } from './apps.js';
import type { DirectoryDeps } from './deps.js';
import { parseRecord, type AppRecord, type TenantRecord } from './records.js';
import { subscriptionOf, type Subscription } from './subscription.js';
import { getTenant } from './tenants.js';

export interface LoginTarget {
  tenant: TenantRecord;
  /** What the tenant bought: whether it may sign in now. */
  subscription: Subscription;
  /** This bridge's app credentials for the tenant, opened; null until applicationSync delivered them. */
  credentials: { appId: string; clientId: string; clientSecret: string } | null;
}

/**
 * Null when the tenant is unknown. Without KOO_APP_ID (development only) the tenant's first app
 * credential (by appId) is used, whichever appId it has.
 */
export async function getLoginTarget(deps: DirectoryDeps, tenantId: string): Promise<LoginTarget | null> {
  const [tenant, apps] = await Promise.all([getTenant(deps, tenantId), deps.store.hgetall(deps.keys.apps(tenantId))]);
  if (tenant === null) return null;
  const subscription = await subscriptionOf(deps, tenant);
  const records = Object.values(apps)
    .map((raw) => parseRecord<AppRecord>(raw))
    .filter((r): r is AppRecord => r !== null)
    .sort((a, b) => a.appId.localeCompare(b.appId));
  const record = deps.appId === null ? records[0] : records.find((r) => r.appId === deps.appId);
  if (record === undefined) return { tenant, subscription, credentials: null };
  const clientSecret = openSecret(deps, tenantId, record);
  if (clientSecret === null) throw new KbError('internal', `stored clientSecret of tenant ${tenantId} cannot be decrypted with SECRET_KEYS`);
  return { tenant, subscription, credentials: { appId: record.appId, clientId: record.clientId, clientSecret } };
}
