/**
 * Whether a tenant may sign in, by what it bought: a tenant is bound to the instances its
 * tenantSync calls named (one enterprise may bind several orders of the product, spec §6), and may
 * sign in while at least one of them is usable (not frozen, not released).
 *
 * Calls arrive out of order: a tenant whose tenantSync named an instance the bridge has not seen yet
 * is kept whole ("pending"), and cannot sign in until its instance arrives — nothing is lost and
 * nobody is let in by mistake. A test tenant (testFlag 1) bound to no instance is the seller's own
 * debugging data and may sign in; a production tenant bound to none may not.
 */
import type { DirectoryDeps } from './deps.js';
import { getInstances } from './instances.js';
import type { InstanceRecord, TenantRecord } from './records.js';

export type SubscriptionState = 'active' | 'frozen' | 'ended' | 'pending' | 'none';

export interface Subscription {
  state: SubscriptionState;
  /** The bound instances the bridge knows, production ones first. */
  instances: InstanceRecord[];
  /** Bound instance ids the bridge has not received yet (calls out of order). */
  missing: string[];
}

/** The instance ids a tenant is bound to: its binding set, plus the tenant record's own. */
export async function boundInstanceIds(deps: DirectoryDeps, tenant: Pick<TenantRecord, 'tenantId' | 'instanceId'>): Promise<string[]> {
  const ids = new Set(await deps.store.smembers(deps.keys.tenantInstances(tenant.tenantId)));
  if (tenant.instanceId) ids.add(tenant.instanceId);
  return [...ids].sort();
}

export function evaluateSubscription(tenant: Pick<TenantRecord, 'test'>, ids: readonly string[], records: readonly (InstanceRecord | null)[]): Subscription {
  const instances = records.filter((r): r is InstanceRecord => r !== null).sort((a, b) => Number(a.test) - Number(b.test) || a.instanceId.localeCompare(b.instanceId));
  const missing = ids.filter((_, i) => records[i] === null);
  // Production instances decide for a production tenant; a test tenant may use its test instances.
  const relevant = tenant.test ? instances : instances.filter((i) => !i.test);
  let state: SubscriptionState;
  if (relevant.some((i) => i.status === 'active')) state = 'active';
  else if (relevant.some((i) => i.status === 'frozen')) state = 'frozen';
  else if (relevant.some((i) => i.status === 'released')) state = 'ended';
  else if (missing.length > 0) state = 'pending';
  else state = tenant.test ? 'active' : 'none';
  return { state, instances, missing };
}

export async function subscriptionOf(deps: DirectoryDeps, tenant: Pick<TenantRecord, 'tenantId' | 'instanceId' | 'test'>): Promise<Subscription> {
  const ids = await boundInstanceIds(deps, tenant);
  return evaluateSubscription(tenant, ids, await getInstances(deps, ids));
}

/** What the merchant's apps may read of a tenant's subscription: no order ids, no buyer data. */
export interface SubscriptionView {
  status: SubscriptionState;
  /** The latest end among the usable instances (ISO), null when none is known. */
  expiresAt: string | null;
  chargingMode: string | null;
  productId: string | null;
  instances: { instanceId: string; status: InstanceRecord['status']; expireTime: string | null; chargingMode: string | null; productId: string | null }[];
}

export function subscriptionView(sub: Subscription): SubscriptionView {
  const instances = sub.instances.map((i) => {
    // The order line the instance was bought with, else the order's first.
    const line = i.order?.orderLine.find((l) => l.orderLineId === i.orderLineId) ?? i.order?.orderLine[0];
    return {
      instanceId: i.instanceId,
      status: i.status,
      expireTime: i.expireTime,
      chargingMode: line?.chargingMode ?? null,
      productId: i.productId ?? line?.products[0]?.productId ?? null,
    };
  });
  const usable = instances.filter((i) => i.status === 'active');
  const latest = usable.filter((i) => i.expireTime !== null).sort((a, b) => b.expireTime!.localeCompare(a.expireTime!))[0] ?? usable[0] ?? null;
  return { status: sub.state, expiresAt: latest?.expireTime ?? null, chargingMode: latest?.chargingMode ?? null, productId: latest?.productId ?? null, instances };
}
