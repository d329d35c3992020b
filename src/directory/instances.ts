/**
 * Instances: one purchase of the product (newInstance, spec §6), kept for life with its status and
 * what KooGallery told us of its order. Instance records live in their own Cluster slot
 * (`{i:<id>}`); every change is a compare-and-set of the whole record, so two deliveries of the same
 * call (KooGallery retries every 2 minutes for hours) never lose each other's write.
 */
import { KbError } from '../shared/errors.js';
import type { DirectoryDeps } from './deps.js';
import { isoNow } from './deps.js';
import { parseRecord, type InstanceRecord } from './records.js';

// A handful of racing writers at most (KooGallery's retries, two bridge instances): a bounded loop.
const MAX_CAS_ATTEMPTS = 8;

export interface NewInstance {
  orderId: string;
  orderLineId: string;
  /** Differs on every retry; the first one becomes the instance id (spec §6). */
  businessId: string;
  test: boolean;
  productId: string | null;
}

/**
 * The instance of an order line, created on first sight. The order line is claimed first (a
 * write-once key), so retries and racing deliveries all answer the first businessId; a crash
 * between the claim and the record is repaired by the next retry.
 */
export async function applyNewInstance(deps: DirectoryDeps, input: NewInstance): Promise<{ instanceId: string; created: boolean }> {
  const { store, keys } = deps;
  const orderKey = keys.instanceOfOrder(input.orderId, input.orderLineId);
  const claimed = await store.compareAndSet(orderKey, null, input.businessId);
  const instanceId = claimed ? input.businessId : await store.get(orderKey);
  if (instanceId === null) throw new KbError('store_unavailable', 'the order line was claimed but cannot be read back; KooGallery will retry');
  const now = isoNow(deps.clock);
  const record: InstanceRecord = {
    instanceId,
    orderId: input.orderId,
    orderLineId: input.orderLineId,
    status: 'active',
    test: input.test,
    expireTime: null,
    productId: input.productId,
    lastScene: null,
    upgradeOrderIds: [],
    order: null,
    createdAt: now,
    updatedAt: now,
  };
  const created = await store.compareAndSet(keys.instance(instanceId), null, JSON.stringify(record));
  if (created) {
    await store.exec([{ op: 'zadd', key: keys.instanceIndex(), members: [instanceId] }]);
    if (input.test) await store.exec([{ op: 'sadd', key: keys.testInstances(), members: [instanceId] }]);
  }
  return { instanceId, created };
}

export async function getInstance(deps: DirectoryDeps, instanceId: string): Promise<InstanceRecord | null> {
  return parseRecord<InstanceRecord>(await deps.store.get(deps.keys.instance(instanceId)));
}

export const getInstances = (deps: DirectoryDeps, ids: readonly string[]): Promise<(InstanceRecord | null)[]> => Promise.all(ids.map((id) => getInstance(deps, id)));

/**
 * Applies `change` to the stored instance with compare-and-set, retrying on a racing writer.
 * `change` returns the new record, or null for "nothing to change". Throws instance_unknown (000003)
 * when there is no such instance.
 */
export async function updateInstance(
  deps: DirectoryDeps,
  instanceId: string,
  change: (current: InstanceRecord) => InstanceRecord | null,
): Promise<{ before: InstanceRecord; after: InstanceRecord; changed: boolean }> {
  const key = deps.keys.instance(instanceId);
  for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt += 1) {
    const raw = await deps.store.get(key);
    const before = parseRecord<InstanceRecord>(raw);
    if (raw === null || before === null) throw new KbError('instance_unknown', `instance ${JSON.stringify(instanceId)} does not exist`);
    const next = change(before);
    if (next === null) return { before, after: before, changed: false };
    const after = { ...next, updatedAt: isoNow(deps.clock) };
    if (await deps.store.compareAndSet(key, raw, JSON.stringify(after))) return { before, after, changed: true };
  }
  throw new KbError('store_unavailable', `instance ${instanceId} is being changed concurrently; KooGallery will retry`);
}

export async function listInstances(deps: DirectoryDeps, opts: { after?: string; limit: number }): Promise<{ instances: InstanceRecord[]; next: string | null }> {
  const ids = await deps.store.zrangeByLex(deps.keys.instanceIndex(), opts);
  const instances = (await getInstances(deps, ids)).filter((i): i is InstanceRecord => i !== null);
  return { instances, next: ids.length === opts.limit ? ids[ids.length - 1]! : null };
}
