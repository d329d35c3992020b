/**
 * Redis key naming, in one place.
 *
 * Everything that belongs to one tenant carries the hash tag `{t:<tenantId>}` so that a tenant's
 * keys live in one Redis Cluster slot and can be written in one MULTI or script. An instance's
 * keys carry `{i:<instanceId>}` likewise. The few global keys (the tenant and instance indexes,
 * nonces, order lines) are only ever touched on their own.
 */
/** The durable outbox's keys (ops/outbox*.ts). */
export interface OutboxKeys {
  /** Hash: job id → job record (JSON) of every job not yet done or dead. */
  jobs: string;
  /** Sorted set: job id → when it may run next (due time while waiting, lease end while running). */
  schedule: string;
  /** Hash: job id → dead letter (JSON), kept for inspection, bounded in number and age. */
  dead: string;
  /** Sorted set: job id → when it was dead-lettered, to trim the oldest. */
  deadIndex: string;
}

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
  /** Set of the instance ids a tenant is bound to (tenantSync `instanceId`; several per tenant). */
  tenantInstances(tenantId: string): string;
  /** One instance (the basic interfaces, spec §6), as JSON, in its own slot. */
  instance(instanceId: string): string;
  /** Set of the tenant ids bound to one instance, in the instance's slot. */
  instanceTenants(instanceId: string): string;
  /** The instance id of an order line: newInstance's idempotency key (never expires). */
  instanceOfOrder(orderId: string, orderLineId: string): string;
  /** Sorted set (score 0) of every instance id, for listing; and the set of test instances. */
  instanceIndex(): string;
  testInstances(): string;
  /** Every key of one tenant's directory data, for deletion (session indexes are revoked apart). */
  allOfTenant(tenantId: string): string[];
  /** A bridge session, by the hash of its id (a dump of Redis does not reveal live cookies). */
  session(sidHash: string): string;
  /** Set of session-id hashes of one user, and of one tenant: revocation indexes. */
  userSessions(tenantId: string, userName: string): string;
  tenantSessions(tenantId: string): string;
  /**
   * Hash of the tenant's pending revocations: marker id → the deprovisioning event (JSON), written
   * in the same atomic step as the directory change and removed once its listeners ran.
   */
  revocations(tenantId: string): string;
  /** Pub/sub channel on which ended sessions are announced to every instance's cache. */
  sessionInvalidations(): string;
  /** Pub/sub channel on which tenants made by tenantSync are announced (the unknown-tenant caches). */
  tenantsCreated(): string;
  /** Lock held by the one instance refreshing a session's upstream tokens. */
  refreshLock(sidHash: string): string;
  /** One-time pre-login record binding a login we started to the browser. */
  prelogin(idHash: string): string;
  /** Marks a signed-out admin console session (its sealed cookie would otherwise open until it expires). */
  consoleSessionEnded(id: string): string;
  /** Marks an authorization code or CAS ticket as redeemed, so a replayed callback is refused. */
  redeemed(tenantId: string, kind: 'code' | 'ticket', hash: string): string;
  /**
   * One oidc-provider record (model name + hash of its id). The hash tag covers model and id so
   * the record and its consumed marker share a Cluster slot and are deleted in one exec.
   */
  oidc(model: string, idHash: string): string;
  /** Marker written once by `consume` (SET NX), so two parallel redemptions cannot both win. */
  oidcConsumed(model: string, idHash: string): string;
  /** Set of `<model>:<idHash>` members issued under one grant: what revokeByGrantId deletes. */
  oidcGrant(grantIdHash: string): string;
  /** Session id hash by session uid (oidc-provider looks sessions up by uid). */
  oidcUid(uidHash: string): string;
  /** Device code id hash by user code. */
  oidcUserCode(userCodeHash: string): string;
  /** The sealed ring of ID-token signing keys (one key: it is swapped whole, compare-and-set). */
  oidcSigningKeys(): string;
  /** Pub/sub channel on which a rewritten signing key ring is announced, so every instance re-reads it. */
  oidcSigningKeysChanged(): string;
  /** `<Model>:<id>` of the provider Sessions and Grants of one account, for deprovisioning. */
  oidcAccount(tenantId: string, accountId: string): string;
  /** Accounts of one tenant that used the provider, for tenant-wide revocation. */
  oidcTenantAccounts(tenantId: string): string;
  /** When an interaction sent the browser to log in (prompt=login needs a newer login). */
  oidcLoginStarted(uid: string): string;
  /** A CAS service ticket, by the SHA-256 of the ticket (a dump of Redis holds no usable ticket). */
  casTicket(ticketHash: string): string;
  /**
   * Hash of the CAS tickets issued to one user's sessions, for single logout: `<sidHash> <ticketHash>`
   * → the sealed record of the service that received it.
   */
  casLogouts(tenantId: string, userName: string): string;
  /** Set of the user names of a tenant with CAS tickets recorded, for tenant-wide single logout. */
  casLogoutUsers(tenantId: string): string;
  /** When /cas/login sent a browser to sign in (by the hash of the marker its return URL carries). */
  casLoginStarted(markerHash: string): string;
  /** Where a login held back for confirmation goes on to (by the held-back session's hash; /sso/confirm). */
  loginConfirmation(sidHash: string): string;
  /**
   * The outbox's four keys, all under the hash tag `{outbox}`: one Cluster slot, so enqueueing,
   * claiming, acknowledging and dead-lettering are each one atomic step.
   */
  outbox(): OutboxKeys;
  /**
   * Prefix of one rate limit's counters (`<prefix>rl:<limit>`; rate-limiter-flexible appends
   * `:<ip or tenant>`). Each counter is one key on its own, so no hash tag is needed on a Cluster.
   */
  rateLimit(limit: string): string;
  /** Stream of audit events (audit/), trimmed by age (AUDIT_RETENTION); one key, one slot. */
  auditLog(): string;
  /** Stream of answered KooGallery calls (audit/), trimmed by age (SYNC_LOG_RETENTION). */
  syncLog(): string;
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
    session: (sidHash) => `${prefix}session:${sidHash}`,
    userSessions: (id, userName) => t(id, `sessions:user:${userName}`),
    tenantSessions: (id) => t(id, 'sessions'),
    revocations: (id) => t(id, 'revocations'),
    sessionInvalidations: () => `${prefix}sessions:ended`,
    tenantsCreated: () => `${prefix}tenants:created`,
    refreshLock: (sidHash) => `${prefix}lock:refresh:${sidHash}`,
    prelogin: (idHash) => `${prefix}prelogin:${idHash}`,
    consoleSessionEnded: (id) => `${prefix}console:ended:${id}`,
    redeemed: (id, kind, hash) => t(id, `redeemed:${kind}:${hash}`),
    oidc: (model, idHash) => `${prefix}oidc:{${model}:${idHash}}`,
    oidcConsumed: (model, idHash) => `${prefix}oidc:{${model}:${idHash}}:consumed`,
    oidcGrant: (grantIdHash) => `${prefix}oidc:grant:${grantIdHash}`,
    oidcUid: (uidHash) => `${prefix}oidc:uid:${uidHash}`,
    oidcUserCode: (userCodeHash) => `${prefix}oidc:user-code:${userCodeHash}`,
    oidcSigningKeys: () => `${prefix}oidc:signing-keys`,
    oidcSigningKeysChanged: () => `${prefix}oidc:signing-keys:changed`,
    oidcAccount: (id, accountId) => t(id, `oidc-account:${accountId}`),
    oidcTenantAccounts: (id) => t(id, 'oidc-accounts'),
    oidcLoginStarted: (uid) => `${prefix}oidc:login-started:${uid}`,
    casTicket: (ticketHash) => `${prefix}cas:st:${ticketHash}`,
    casLogouts: (id, userName) => t(id, `cas-logouts:${userName}`),
    casLogoutUsers: (id) => t(id, 'cas-logout-users'),
    casLoginStarted: (markerHash) => `${prefix}cas:login-started:${markerHash}`,
    loginConfirmation: (sidHash) => `${prefix}login:confirm:${sidHash}`,
    outbox: () => ({
      jobs: `${prefix}{outbox}:jobs`,
      schedule: `${prefix}{outbox}:schedule`,
      dead: `${prefix}{outbox}:dead`,
      deadIndex: `${prefix}{outbox}:dead-index`,
    }),
    auditLog: () => `${prefix}audit`,
    syncLog: () => `${prefix}sync-log`,
    tenantInstances: (id) => t(id, 'instances'),
    instance: (id) => `${prefix}{i:${id}}:instance`,
    instanceTenants: (id) => `${prefix}{i:${id}}:tenants`,
    instanceOfOrder: (orderId, orderLineId) => `${prefix}order:${orderId}:${orderLineId}`,
    instanceIndex: () => `${prefix}instances`,
    testInstances: () => `${prefix}test-instances`,
    rateLimit: (limit) => `${prefix}rl:${limit}`,
    allOfTenant: (id) => [keys.tenant(id), keys.apps(id), keys.users(id), keys.userIndex(id), keys.userVersions(id), keys.orgs(id), keys.tenantInstances(id)],
  };
  return keys;
}
