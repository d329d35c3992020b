/**
 * Tenants (tenantSync, spec §5.1): add and modify are upserts, delete removes the tenant with
 * everything it holds (credentials, grants, departments) in one atomic step.
 */
import type { TenantSync } from '../koogallery/schemas.js';
import type { DirectoryDeps } from './deps.js';
import { indexTenant, isoNow } from './deps.js';
import { tenantFromHash, tenantToHash, type TenantRecord } from './records.js';

export interface TenantSyncResult {
  change: 'created' | 'updated' | 'unchanged' | 'deleted' | 'absent';
}

export async function applyTenantSync(deps: DirectoryDeps, msg: TenantSync): Promise<TenantSyncResult> {
  if (msg.flag === 0) return { change: (await deleteTenant(deps, msg.tenantId, 'deleted')) ? 'deleted' : 'absent' };

  const { store, keys } = deps;
  const previous = tenantFromHash(await store.hgetall(keys.tenant(msg.tenantId)));
  const now = isoNow(deps.clock);
  const next: TenantRecord = {
    tenantId: msg.tenantId,
    // A modify carries name and domain only; keep what we have for anything it leaves out.
    tenantCode: msg.tenantCode ?? previous?.tenantCode ?? '',
    name: msg.name ?? previous?.name ?? '',
    domainName: msg.domainName ?? previous?.domainName ?? '',
    instanceId: msg.instanceId || previous?.instanceId || '',
    orderId: msg.orderId || previous?.orderId || '',
    test: msg.testFlag === 1,
    createdAt: previous?.createdAt || now,
    updatedAt: now,
  };
  if (previous && sameTenant(previous, next)) return { change: 'unchanged' };

  await indexTenant(deps, msg.tenantId, next.test);
  await store.exec([{ op: 'hset', key: keys.tenant(msg.tenantId), values: tenantToHash(next) }]);
  if (previous) await deps.events.emit([{ type: 'tenant.updated', tenantId: msg.tenantId }]);
  return { change: previous ? 'updated' : 'created' };
}

function sameTenant(a: TenantRecord, b: TenantRecord): boolean {
  return (
    a.tenantCode === b.tenantCode &&
    a.name === b.name &&
    a.domainName === b.domainName &&
    a.instanceId === b.instanceId &&
    a.orderId === b.orderId &&
    a.test === b.test
  );
}

/** Removes every key of the tenant at once; true when there was anything to remove. */
export async function deleteTenant(deps: DirectoryDeps, tenantId: string, reason: 'deleted' | 'purged'): Promise<boolean> {
  const { store, keys } = deps;
  const existed = await tenantHoldsData(deps, tenantId);
  await store.exec(keys.allOfTenant(tenantId).map((key) => ({ op: 'del' as const, key })));
  await store.exec([{ op: 'zrem', key: keys.tenantIndex(), members: [tenantId] }]);
  await store.exec([{ op: 'srem', key: keys.testTenants(), members: [tenantId] }]);
  if (existed) await deps.events.emit([{ type: 'tenant.removed', tenantId, reason }]);
  return existed;
}

export async function getTenant(deps: DirectoryDeps, tenantId: string): Promise<TenantRecord | null> {
  return tenantFromHash(await deps.store.hgetall(deps.keys.tenant(tenantId)));
}

export async function tenantHoldsData(deps: DirectoryDeps, tenantId: string): Promise<boolean> {
  const { store, keys } = deps;
  const counts = await Promise.all([
    store.hlen(keys.tenant(tenantId)),
    store.hlen(keys.apps(tenantId)),
    store.zcard(keys.userIndex(tenantId)),
    store.hlen(keys.orgs(tenantId)),
  ]);
  return counts.some((n) => n > 0);
}

export interface TenantSummary {
  tenantId: string;
  /** False while KooGallery has sent data for the tenant but not (yet) its tenantSync. */
  synced: boolean;
  tenant: TenantRecord | null;
}

/**
 * One page of the tenant index, in tenant-id order. An id that holds nothing (a write that failed
 * after indexing) is skipped but left in the index: removing it here could race with a sync that
 * indexed the tenant and is about to write its data.
 */
export async function listTenants(
  deps: DirectoryDeps,
  opts: { after?: string; limit: number },
): Promise<{ tenants: TenantSummary[]; next: string | null }> {
  const { store, keys } = deps;
  const ids = await store.zrangeByLex(keys.tenantIndex(), opts);
  const tenants: TenantSummary[] = [];
  for (const tenantId of ids) {
    const found = await findTenant(deps, tenantId);
    if (found) tenants.push(found);
  }
  return { tenants, next: ids.length === opts.limit ? ids[ids.length - 1]! : null };
}

/** The tenant, or a pending summary when only other data arrived so far, or null when it holds nothing. */
export async function findTenant(deps: DirectoryDeps, tenantId: string): Promise<TenantSummary | null> {
  const tenant = await getTenant(deps, tenantId);
  if (tenant) return { tenantId, synced: true, tenant };
  return (await tenantHoldsData(deps, tenantId)) ? { tenantId, synced: false, tenant: null } : null;
}
