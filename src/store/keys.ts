/**
 * Redis key naming, in one place.
 *
 * Everything that belongs to one tenant carries the hash tag `{t:<tenantId>}` so that a tenant's
 * keys live in one Redis Cluster slot and can be written in one MULTI or script. The few global
 * keys (the tenant index, nonces) are only ever touched on their own.
 */
export interface Keys {
  readonly prefix: string;
  /** Sorted set (score 0) of every tenant id the directory holds: listing and pagination. */
  tenantIndex(): string;
  /** Set of tenant ids that hold test data (testFlag 1); advisory, re-checked when purging. */
  testTenants(): string;
  /** Replay cache entry of one webhook nonce (hashed, so its length is bounded). */
  nonce(family: 'kit' | 'basic', nonceHash: string): string;
  tenant(tenantId: string): string;
  apps(tenantId: string): string;
  users(tenantId: string): string;
  userIndex(tenantId: string): string;
  userVersions(tenantId: string): string;
  orgs(tenantId: string): string;
  /** Every key of one tenant, for deletion. */
  allOfTenant(tenantId: string): string[];
}

export function createKeys(prefix = 'kb:'): Keys {
  const t = (tenantId: string, name: string) => `${prefix}{t:${tenantId}}:${name}`;
  const keys: Keys = {
    prefix,
    tenantIndex: () => `${prefix}tenants`,
    testTenants: () => `${prefix}test-tenants`,
    nonce: (family, nonceHash) => `${prefix}nonce:${family}:${nonceHash}`,
    tenant: (id) => t(id, 'tenant'),
    apps: (id) => t(id, 'apps'),
    users: (id) => t(id, 'users'),
    userIndex: (id) => t(id, 'user-index'),
    userVersions: (id) => t(id, 'user-versions'),
    orgs: (id) => t(id, 'orgs'),
    allOfTenant: (id) => [keys.tenant(id), keys.apps(id), keys.users(id), keys.userIndex(id), keys.userVersions(id), keys.orgs(id)],
  };
  return keys;
}
