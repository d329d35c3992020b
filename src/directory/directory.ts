/**
 * The directory: what KooGallery has told us about tenants, app credentials, authorized users and
 * departments. Sync rules live in the files next to this one; this file only binds them to their
 * collaborators so callers hold one object.
 */
import type { AllOrgSync, AuthSync, SingleOrgSync, TenantSync } from '../koogallery/schemas.js';
import { applyApplicationSync, getCredentials, listApps, type DecryptedApplicationSync } from './apps.js';
import type { DirectoryDeps } from './deps.js';
import { refreshInstance, releaseInstance, setInstanceFrozen, upgradeInstance, type RefreshInput } from './instance-lifecycle.js';
import { applyNewInstance, getInstance, getInstances, listInstances, updateInstance, type NewInstance } from './instances.js';
import { getLoginTarget } from './login-target.js';
import type { InstanceRecord, OrderFacts } from './records.js';
import { subscriptionOf } from './subscription.js';
import { applyAllOrgSync, applySingleOrgSync, buildOrgTree, listOrgs } from './orgs.js';
import { purgeTestData } from './test-data.js';
import { applyTenantSync, findTenant, getTenant, listTenants } from './tenants.js';
import { createUnknownTenants } from './unknown-tenants.js';
import { applyAuthSync, getUser, listUsers } from './users.js';
import { revocationJob, settleFor, settleRevocations } from './revocations.js';

export function createDirectory(deps: DirectoryDeps) {
  const unknownTenants = createUnknownTenants({ store: deps.store, channel: deps.keys.tenantsCreated(), now: () => deps.clock.now() });
  return {
    events: deps.events,
    applyTenantSync: async (msg: TenantSync) => {
      const result = await applyTenantSync(deps, msg);
      // Any add or modify, even 'unchanged': it may be KooGallery's retry of a create whose announcement failed.
      if (msg.flag !== 0) await unknownTenants.forget(msg.tenantId);
      return result;
    },
    applyApplicationSync: (msg: DecryptedApplicationSync) => applyApplicationSync(deps, msg),
    applyAuthSync: (msg: AuthSync) => applyAuthSync(deps, msg),
    applySingleOrgSync: (msg: SingleOrgSync) => applySingleOrgSync(deps, msg),
    applyAllOrgSync: (msg: AllOrgSync) => applyAllOrgSync(deps, msg),

    applyNewInstance: (input: NewInstance) => applyNewInstance(deps, input),
    refreshInstance: (input: RefreshInput) => refreshInstance(deps, input),
    setInstanceFrozen: (instanceId: string, frozen: boolean) => setInstanceFrozen(deps, instanceId, frozen),
    releaseInstance: (instanceId: string) => releaseInstance(deps, instanceId),
    upgradeInstance: (input: { instanceId: string; orderId: string; productId: string | null }) => upgradeInstance(deps, input),
    /** Keeps what the order query answered on the instance (background, after purchase, upgrade, renewal). */
    recordOrder: (instanceId: string, order: OrderFacts) => updateInstance(deps, instanceId, (current: InstanceRecord) => ({ ...current, order })),
    getInstance: (instanceId: string) => getInstance(deps, instanceId),
    getInstances: (ids: readonly string[]) => getInstances(deps, ids),
    listInstances: (opts: { after?: string; limit: number }) => listInstances(deps, opts),
    /** The instances a tenant is bound to and whether they let it sign in. */
    subscriptionOf: async (tenantId: string) => {
      const tenant = await getTenant(deps, tenantId);
      return tenant === null ? null : subscriptionOf(deps, tenant);
    },

    getTenant: (tenantId: string) => getTenant(deps, tenantId),
    findTenant: (tenantId: string) => findTenant(deps, tenantId),
    listTenants: (opts: { after?: string; limit: number }) => listTenants(deps, opts),
    listApps: (tenantId: string) => listApps(deps, tenantId),
    /** Credentials of the app this bridge serves (KOO_APP_ID) for one tenant. */
    getCredentials: (tenantId: string, appId: string) => getCredentials(deps, tenantId, appId),
    /**
     * Tenant and this app's credentials in one call: what a login or an upstream refresh needs. An
     * unknown tenant is remembered for a short while (unknown-tenants.ts): asked again, it costs no read.
     */
    getLoginTarget: async (tenantId: string) => {
      if (unknownTenants.has(tenantId)) return null;
      const generation = unknownTenants.generation();
      const target = await getLoginTarget(deps, tenantId);
      if (target === null) unknownTenants.remember(tenantId, generation);
      return target;
    },
    getUser: (tenantId: string, userName: string) => getUser(deps, tenantId, userName),
    listUsers: (tenantId: string, opts: { after?: string; limit: number }) => listUsers(deps, tenantId, opts),
    listOrgs: (tenantId: string) => listOrgs(deps, tenantId),
    getOrgTree: async (tenantId: string) => buildOrgTree(await listOrgs(deps, tenantId)),
    purgeTestData: () => purgeTestData(deps),
    /**
     * For the session read path: completes the tenant's pending revocations when one concerns this
     * user; true when it did. Throws when they could not be completed (the session is not honoured).
     */
    settleRevocationsFor: (tenantId: string, userName: string) => settleFor(deps, tenantId, userName),
    /** Completes every pending revocation of the tenant; answers how many ran. */
    settleRevocations: (tenantId: string) => settleRevocations(deps, tenantId),
    /** The outbox handler of the revocation sweep (`REVOCATION_JOB`). */
    revocationJob: () => revocationJob(deps),
  };
}

export type Directory = ReturnType<typeof createDirectory>;
