/**
 * Test data (testFlag 1): stored and usable, because the seller's own test login needs it, but
 * marked, listed apart, and removed by one admin call. A test tenant goes whole; in a production
 * tenant only the test records go; a test instance goes with its order line and bindings.
 */
import type { WriteOp } from '../store/types.js';
import type { DirectoryDeps } from './deps.js';
import type { DirectoryEvent } from '../shared/directory-events.js';
import { parseRecord, type AppRecord, type OrgRecord, type UserRecord } from './records.js';
import { getInstance } from './instances.js';
import { deleteTenant, getTenant } from './tenants.js';
import { pendingOps, settleRevocations, sweepOnFailure } from './revocations.js';

export interface PurgeResult {
  /** Test instances (basic calls with testFlag "1"), with their order lines and bindings. */
  instances: number;
  tenants: number;
  users: number;
  apps: number;
  orgs: number;
}

export async function purgeTestData(deps: DirectoryDeps): Promise<PurgeResult> {
  const { store, keys } = deps;
  const result: PurgeResult = { instances: await purgeTestInstances(deps), tenants: 0, users: 0, apps: 0, orgs: 0 };
  for (const tenantId of await store.smembers(keys.testTenants())) {
    // Unmark first: a test write racing with the purge marks the tenant again and is kept for the next purge.
    await store.exec([{ op: 'srem', key: keys.testTenants(), members: [tenantId] }]);
    const tenant = await getTenant(deps, tenantId);
    if (tenant?.test) {
      if (await deleteTenant(deps, tenantId, 'purged')) result.tenants += 1;
      continue;
    }
    const [users, apps, orgs] = await Promise.all([
      store.hgetall(keys.users(tenantId)).then(testFields<UserRecord>),
      store.hgetall(keys.apps(tenantId)).then(testFields<AppRecord>),
      store.hgetall(keys.orgs(tenantId)).then(testFields<OrgRecord>),
    ]);
    if (users.length + apps.length + orgs.length === 0) continue;
    const ops: WriteOp[] = [];
    if (users.length > 0) {
      ops.push(
        { op: 'hdel', key: keys.users(tenantId), fields: users },
        { op: 'zrem', key: keys.userIndex(tenantId), members: users },
        { op: 'hdel', key: keys.userVersions(tenantId), fields: users },
      );
    }
    if (apps.length > 0) ops.push({ op: 'hdel', key: keys.apps(tenantId), fields: apps });
    if (orgs.length > 0) ops.push({ op: 'hdel', key: keys.orgs(tenantId), fields: orgs });
    const events: DirectoryEvent[] = [
      ...users.map((userName): DirectoryEvent => ({ type: 'user.deprovisioned', tenantId, userName, reason: 'purged' })),
      ...apps.map((appId): DirectoryEvent => ({ type: 'credentials.changed', tenantId, appId, change: 'purged' })),
    ];
    const pending = pendingOps(deps, tenantId, events);
    await sweepOnFailure(deps, tenantId, async () => {
      await store.exec([...ops, ...pending]);
      await settleRevocations(deps, tenantId);
    });
    result.users += users.length;
    result.apps += apps.length;
    result.orgs += orgs.length;
  }
  return result;
}

async function purgeTestInstances(deps: DirectoryDeps): Promise<number> {
  const { store, keys } = deps;
  let purged = 0;
  for (const instanceId of await store.smembers(keys.testInstances())) {
    const instance = await getInstance(deps, instanceId);
    await store.exec([{ op: 'srem', key: keys.testInstances(), members: [instanceId] }]);
    if (instance !== null && !instance.test) continue; // marked by mistake: never remove a production instance
    const tenants = await store.smembers(keys.instanceTenants(instanceId));
    for (const tenantId of tenants) await store.exec([{ op: 'srem', key: keys.tenantInstances(tenantId), members: [instanceId] }]);
    await store.exec([
      { op: 'del', key: keys.instance(instanceId) },
      { op: 'del', key: keys.instanceTenants(instanceId) },
    ]);
    if (instance !== null) await store.exec([{ op: 'del', key: keys.instanceOfOrder(instance.orderId, instance.orderLineId) }]);
    await store.exec([{ op: 'zrem', key: keys.instanceIndex(), members: [instanceId] }]);
    if (instance !== null) purged += 1;
  }
  return purged;
}

function testFields<T extends { test: boolean }>(hash: Record<string, string>): string[] {
  return Object.entries(hash)
    .filter(([, raw]) => parseRecord<T>(raw)?.test === true)
    .map(([field]) => field);
}
