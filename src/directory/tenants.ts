/**
 * Tenants (tenantSync, spec §5.1): add and modify are upserts that also bind the tenant to the
 * instance they name; delete removes the tenant with everything it holds (credentials, grants,
 * departments) in one atomic step — unless it names one instance while another instance still
 * binds the tenant: then only that binding goes (spec §6, several instances per tenant).
 */
import type { TenantSync } from '../koogallery/schemas.js';
import type { DirectoryDeps } from './deps.js';
import { indexTenant, isoNow } from './deps.js';
import { tenantFromHash, tenantToHash, type TenantRecord } from './records.js';
import { boundInstanceIds, subscriptionOf } from './subscription.js';
import { pendingOps, revokeNow, settleRevocations, sweepOnFailure } from './revocations.js';

export interface TenantSyncResult {
  change: 'created' | 'updated' | 'unchanged' | 'deleted' | 'absent' | 'unbound';
}

export async function applyTenantSync(deps: DirectoryDeps, msg: TenantSync): Promise<TenantSyncResult> {
  if (msg.flag === 0) {
    if (msg.instanceId && (await unbindOneOfSeveral(deps, msg.tenantId, msg.instanceId))) return { change: 'unbound' };
    return { change: (await deleteTenant(deps, msg.tenantId, 'deleted')) ? 'deleted' : 'absent' };
  }

  const { store, keys } = deps;
  const previous = tenantFromHash(await store.hgetall(keys.tenant(msg.tenantId)));
  const now = isoNow(deps.clock);
  const next: TenantRecord = {
    tenantId: msg.tenantId,
    // A modify carries name and domain only; keep what we have for anything it leaves out.
    tenantCode: msg.tenantCode ?? previous?.tenantCode ?? '',
    name: msg.name ?? previous?.name ?? '',
    // A value that cannot serve a login (interface debugging sends a host without a scheme) is
    // kept for the operator with the reason, and replaces a usable one: it is what KooGallery said.
    ...domainFields(msg, previous),
    instanceId: msg.instanceId || previous?.instanceId || '',
    orderId: msg.orderId || previous?.orderId || '',
    test: msg.testFlag === 1,
    createdAt: previous?.createdAt || now,
    updatedAt: now,
  };
  const bind = msg.instanceId ? [msg.instanceId] : [];
  const alreadyBound = bind.length === 0 || (await store.smembers(keys.tenantInstances(msg.tenantId))).includes(msg.instanceId);
  if (previous && sameTenant(previous, next) && alreadyBound) return { change: 'unchanged' };

  await indexTenant(deps, msg.tenantId, next.test);
  // The instance's side of the binding first (another slot): a tenant never names an instance
  // that does not list it, so a freeze always finds every tenant it must suspend.
  if (bind.length > 0) await store.exec([{ op: 'sadd', key: keys.instanceTenants(msg.instanceId), members: [msg.tenantId] }]);
  await store.exec([
    { op: 'hset', key: keys.tenant(msg.tenantId), values: tenantToHash(next) },
    ...(bind.length > 0 ? [{ op: 'sadd' as const, key: keys.tenantInstances(msg.tenantId), members: bind }] : []),
  ]);
  if (previous) await deps.events.emit([{ type: 'tenant.updated', tenantId: msg.tenantId }]);
  return { change: previous ? 'updated' : 'created' };
}

function domainFields(msg: TenantSync, previous: TenantRecord | null): Pick<TenantRecord, 'domainName' | 'domainNameRaw' | 'domainProblem'> {
  if (msg.domainProblem) return { domainName: '', domainNameRaw: msg.domainNameRaw ?? '', domainProblem: msg.domainProblem };
  if (msg.domainName) return { domainName: msg.domainName };
  // A modify without a domain keeps what we have.
  return previous ? { domainName: previous.domainName, domainNameRaw: previous.domainNameRaw ?? '', domainProblem: previous.domainProblem ?? '' } : { domainName: '' };
}

function sameTenant(a: TenantRecord, b: TenantRecord): boolean {
  return (
    a.tenantCode === b.tenantCode &&
    a.name === b.name &&
    a.domainName === b.domainName &&
    (a.domainProblem ?? '') === (b.domainProblem ?? '') &&
    a.instanceId === b.instanceId &&
    a.orderId === b.orderId &&
    a.test === b.test
  );
}

/**
 * A delete naming `instanceId` while the tenant is bound to other instances too: only that
 * binding goes, the tenant and its data stay for the others. False when it is the last binding
 * (the caller deletes the tenant).
 */
async function unbindOneOfSeveral(deps: DirectoryDeps, tenantId: string, instanceId: string): Promise<boolean> {
  const { store, keys } = deps;
  const tenant = await getTenant(deps, tenantId);
  if (tenant === null) return false;
  const bound = await boundInstanceIds(deps, tenant);
  const others = bound.filter((id) => id !== instanceId);
  if (others.length === 0 || !bound.includes(instanceId)) return others.length > 0;
  const values: Record<string, string> = { updatedAt: isoNow(deps.clock), ...(tenant.instanceId === instanceId ? { instanceId: others[0]! } : {}) };
  await store.exec([
    { op: 'srem', key: keys.tenantInstances(tenantId), members: [instanceId] },
    { op: 'hset', key: keys.tenant(tenantId), values },
  ]);
  await store.exec([{ op: 'srem', key: keys.instanceTenants(instanceId), members: [tenantId] }]);
  const { state } = await subscriptionOf(deps, { ...tenant, instanceId: values.instanceId ?? tenant.instanceId });
  if (state === 'active') await deps.events.emit([{ type: 'tenant.updated', tenantId }]);
  else await revokeNow(deps, tenantId, [{ type: 'tenant.suspended', tenantId, reason: 'released' }]);
  return true;
}

/** Removes every key of the tenant at once; true when there was anything to remove. */
export async function deleteTenant(deps: DirectoryDeps, tenantId: string, reason: 'deleted' | 'purged'): Promise<boolean> {
  const { store, keys } = deps;
  const existed = await tenantHoldsData(deps, tenantId);
  const tenant = await getTenant(deps, tenantId);
  const bound = tenant === null ? await store.smembers(keys.tenantInstances(tenantId)) : await boundInstanceIds(deps, tenant);
  // The removal's revocation is kept pending in the same atomic step (revocations.ts).
  const pending = existed ? pendingOps(deps, tenantId, [{ type: 'tenant.removed', tenantId, reason }]) : [];
  await sweepOnFailure(deps, tenantId, async () => {
    await store.exec([...keys.allOfTenant(tenantId).map((key) => ({ op: 'del' as const, key })), ...pending]);
    for (const instanceId of bound) await store.exec([{ op: 'srem', key: keys.instanceTenants(instanceId), members: [tenantId] }]);
    await store.exec([{ op: 'zrem', key: keys.tenantIndex(), members: [tenantId] }]);
    await store.exec([{ op: 'srem', key: keys.testTenants(), members: [tenantId] }]);
    // Also completes what an earlier attempt left pending (a repeat finds the tenant already gone).
    await settleRevocations(deps, tenantId);
  });
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
