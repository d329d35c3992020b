/**
 * Authorized users (authSync, spec §5.3). One call carries up to 500 users and one flag; each user
 * is written only if the call is not older than what is stored for that user (currentSyncTime),
 * so an out-of-order stale update never overwrites a newer one, and a delete leaves a version
 * tombstone so a late "add" cannot bring the user back.
 *
 * One enterprise may bind several instances of the product (spec §6): a user remembers which
 * instances granted them, and a delete or cancellation naming one instance keeps a user another
 * instance still grants (only that instance's grant goes).
 */
import type { AuthSync, SyncUser } from '../koogallery/schemas.js';
import { assertOurApp } from './apps.js';
import type { DirectoryDeps } from './deps.js';
import { indexTenant, isoNow } from './deps.js';
import type { DirectoryEvent } from '../shared/directory-events.js';
import { OPTIONAL_USER_FIELDS, parseRecord, type UserRecord } from './records.js';
import { toSyncTime } from './sync-time.js';
import { pendingOps, settleRevocations, sweepOnFailure } from './revocations.js';

export interface AuthSyncResult {
  applied: number;
  /** Users skipped because a newer sync for them is already stored. */
  stale: number;
}


export async function applyAuthSync(deps: DirectoryDeps, msg: AuthSync): Promise<AuthSyncResult> {
  assertOurApp(deps, msg.appId);
  const { store, keys } = deps;
  // Without currentSyncTime, the call's timeStamp orders it; without both, the time of receipt.
  const version = msg.currentSyncTime ?? msg.timeStamp ?? toSyncTime(deps.clock.now());
  const names = msg.userList.map((u) => u.userName);
  // A cancellation may carry only the userName: keep what we knew of the user, marked cancelled.
  const previous = (await store.hmget(keys.users(msg.tenantId), names)).map((raw) => parseRecord<UserRecord>(raw));
  const updatedAt = isoNow(deps.clock);

  // What each user keeps: a removal naming one instance leaves the grants of the others.
  const kept = msg.userList.map((_, i) => (msg.flag === 0 || msg.flag === 3 ? otherInstances(previous[i] ?? null, msg.instanceId) : []));
  const entries = msg.userList.map((user, i) => {
    const prev = previous[i] ?? null;
    if (kept[i]!.length > 0) return { field: user.userName, version, value: JSON.stringify({ ...prev!, instanceIds: kept[i]!, syncTime: version, updatedAt }) };
    return { field: user.userName, version, value: msg.flag === 0 ? null : JSON.stringify(toRecord(msg, user, version, updatedAt, prev)) };
  });

  // Removals are kept pending in the same atomic step as the users' change (revocations.ts): should
  // the sessions fail to end, or the write land after the call timed out, they still end. A call
  // where some users are stale still marks them all (their sessions end: they sign in again).
  const removals: DirectoryEvent[] = [];
  msg.userList.forEach((user, i) => {
    if (kept[i]!.length > 0) return;
    const base = { tenantId: msg.tenantId, userName: user.userName };
    if (msg.flag === 0) removals.push({ type: 'user.deprovisioned', ...base, reason: 'deleted' });
    else if (msg.flag === 3) removals.push({ type: 'user.deprovisioned', ...base, reason: 'cancelled' });
    else if (user.enable === false) removals.push({ type: 'user.deprovisioned', ...base, reason: 'disabled' });
  });

  await indexTenant(deps, msg.tenantId, msg.testFlag === 1);
  const applied = await sweepOnFailure(deps, msg.tenantId, async () => {
    const done = await store.applyVersioned(
      { dataKey: keys.users(msg.tenantId), indexKey: keys.userIndex(msg.tenantId), versionKey: keys.userVersions(msg.tenantId), entries },
      pendingOps(deps, msg.tenantId, removals),
    );
    const removed = new Set(removals.map((e) => (e as { userName: string }).userName));
    const updates: DirectoryEvent[] = msg.userList
      .filter((user, i) => done[i] && !removed.has(user.userName))
      .map((user) => ({ type: 'user.updated', tenantId: msg.tenantId, userName: user.userName }));
    await deps.events.emit(updates);
    // Also completes removals an earlier, failed attempt left pending (KooGallery's repeat lands here).
    await settleRevocations(deps, msg.tenantId);
    return done;
  });
  const count = applied.filter(Boolean).length;
  return { applied: count, stale: applied.length - count };
}

function toRecord(msg: AuthSync, user: SyncUser, syncTime: string, updatedAt: string, previous: UserRecord | null): UserRecord {
  const cancel = msg.flag === 3;
  const record: UserRecord = {
    userName: user.userName,
    name: user.name ?? (cancel ? (previous?.name ?? null) : null),
    orgCode: user.orgCode ?? (cancel ? (previous?.orgCode ?? null) : null),
    role: user.role ?? (cancel ? (previous?.role ?? null) : null),
    enable: user.enable ?? (cancel ? (previous?.enable ?? null) : null),
    status: cancel ? 'cancelled' : 'active',
    appId: msg.appId,
    instanceId: msg.instanceId || previous?.instanceId || '',
    instanceIds: cancel ? instancesOf(previous) : [...new Set([...instancesOf(previous), ...(msg.instanceId ? [msg.instanceId] : [])])].sort(),
    test: msg.testFlag === 1,
    syncTime,
    updatedAt,
  };
  for (const field of OPTIONAL_USER_FIELDS) {
    // Add and modify carry the whole user: a field left out (e.g. a privacy grant withdrawn) is dropped.
    const value = user[field] ?? (cancel ? previous?.[field] : undefined);
    if (value !== undefined) (record as unknown as Record<string, unknown>)[field] = value;
  }
  return record;
}

/** The instances whose grant a user holds (records written before multi-instance support name one). */
const instancesOf = (user: UserRecord | null): string[] => (user === null ? [] : (user.instanceIds ?? (user.instanceId ? [user.instanceId] : [])));

/**
 * The instances that still grant a user when a removal names `instanceId`; empty (remove the user)
 * when the removal names no instance, or the user holds no other instance's grant.
 */
function otherInstances(user: UserRecord | null, instanceId: string): string[] {
  if (user === null || user.status !== 'active' || instanceId === '') return [];
  // A removal for an instance that did not grant the user is taken as meant: deprovisioning is
  // never missed because a grant's instance is unknown to the bridge (KooGallery can sync again).
  const held = instancesOf(user);
  return held.includes(instanceId) ? held.filter((id) => id !== instanceId) : [];
}

export async function getUser(deps: DirectoryDeps, tenantId: string, userName: string): Promise<UserRecord | null> {
  return parseRecord<UserRecord>(await deps.store.hget(deps.keys.users(tenantId), userName));
}

/** One page of a tenant's users in userName order; `after` is the last userName of the previous page. */
export async function listUsers(
  deps: DirectoryDeps,
  tenantId: string,
  opts: { after?: string; limit: number },
): Promise<{ users: UserRecord[]; next: string | null }> {
  const { store, keys } = deps;
  const names = await store.zrangeByLex(keys.userIndex(tenantId), opts);
  const raws = names.length ? await store.hmget(keys.users(tenantId), names) : [];
  const users = raws.map((raw) => parseRecord<UserRecord>(raw)).filter((u): u is UserRecord => u !== null);
  return { users, next: names.length === opts.limit ? names[names.length - 1]! : null };
}
