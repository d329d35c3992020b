/**
 * The life of an instance after its purchase (spec §6): renewals and expiry changes, freeze and
 * unfreeze, release, upgrade. Every call is idempotent under KooGallery's retries. When a change
 * leaves a bound tenant without a usable instance, the tenant is suspended: one event, on which
 * its sessions and OpenID grants end at once, exactly as on deprovisioning. Data is kept (a frozen
 * instance may be unfrozen within 15 days; a released one's tenant data goes with tenantSync delete).
 */
import { forEachLimited, REVOCATION_CONCURRENCY } from '../shared/concurrency.js';
import type { DirectoryDeps } from './deps.js';
import { updateInstance } from './instances.js';
import type { InstanceRecord } from './records.js';
import { subscriptionOf } from './subscription.js';
import { getTenant } from './tenants.js';
import { revokeNow } from './revocations.js';

export type InstanceChange = 'changed' | 'unchanged';

export interface RefreshInput {
  instanceId: string;
  scene: string;
  /** ISO time (UTC). */
  expireTime: string;
  productId: string | null;
}

export async function refreshInstance(deps: DirectoryDeps, input: RefreshInput): Promise<{ change: InstanceChange; instance: InstanceRecord }> {
  const { after, changed } = await updateInstance(deps, input.instanceId, (current) => {
    const next = { ...current, expireTime: input.expireTime, lastScene: input.scene, productId: input.productId ?? current.productId };
    return next.expireTime === current.expireTime && next.lastScene === current.lastScene && next.productId === current.productId ? null : next;
  });
  return { change: changed ? 'changed' : 'unchanged', instance: after };
}

/**
 * FREEZE / UNFREEZE. A released instance stays released: a late UNFREEZE must not bring a finished
 * subscription back (it is answered as applied, and logged by the caller as unchanged).
 */
export async function setInstanceFrozen(deps: DirectoryDeps, instanceId: string, frozen: boolean): Promise<{ change: InstanceChange }> {
  const { changed, after } = await updateInstance(deps, instanceId, (current) => {
    if (current.status === 'released') return null;
    const status = frozen ? 'frozen' : 'active';
    return current.status === status ? null : { ...current, status };
  });
  // Also when unchanged: a repeated FREEZE (after a 000005 whose write landed anyway) ends what is left.
  if (frozen && after.status === 'frozen') await suspendTenantsOf(deps, instanceId, 'frozen');
  return { change: changed ? 'changed' : 'unchanged' };
}

/** Release; repeated releases, and releases of instances never seen, succeed (spec §6). */
export async function releaseInstance(deps: DirectoryDeps, instanceId: string): Promise<{ change: InstanceChange | 'unknown' }> {
  try {
    const { changed } = await updateInstance(deps, instanceId, (current) => (current.status === 'released' ? null : { ...current, status: 'released' }));
    // Also when unchanged: a repeated release (after a 000005 whose write landed anyway) ends what is left.
    await suspendTenantsOf(deps, instanceId, 'released');
    return { change: changed ? 'changed' : 'unchanged' };
  } catch (err) {
    if ((err as { code?: string }).code === 'instance_unknown') return { change: 'unknown' };
    throw err;
  }
}

/** Upgrade to the spec of another order; never applied twice for one orderId (spec §6). */
export async function upgradeInstance(
  deps: DirectoryDeps,
  input: { instanceId: string; orderId: string; productId: string | null },
): Promise<{ change: InstanceChange; instance: InstanceRecord }> {
  const { after, changed } = await updateInstance(deps, input.instanceId, (current) =>
    current.upgradeOrderIds.includes(input.orderId)
      ? null
      : { ...current, upgradeOrderIds: [...current.upgradeOrderIds, input.orderId], productId: input.productId ?? current.productId },
  );
  return { change: changed ? 'changed' : 'unchanged', instance: after };
}

/**
 * Ends the sessions of every tenant of the instance that has no usable instance left. The instance
 * lives in another slot than its tenants, so the pending revocation is written just after the
 * instance's change, not with it (revocations.ts); failing, the call answers 000005 and its repeat
 * comes back here.
 */
async function suspendTenantsOf(deps: DirectoryDeps, instanceId: string, reason: 'frozen' | 'released'): Promise<void> {
  const suspended: string[] = [];
  for (const tenantId of await deps.store.smembers(deps.keys.instanceTenants(instanceId))) {
    const tenant = await getTenant(deps, tenantId);
    if (tenant === null) continue;
    const { state } = await subscriptionOf(deps, tenant);
    if (state !== 'active') suspended.push(tenantId);
  }
  await forEachLimited(suspended, REVOCATION_CONCURRENCY, (tenantId) => revokeNow(deps, tenantId, [{ type: 'tenant.suspended', tenantId, reason }]));
}
