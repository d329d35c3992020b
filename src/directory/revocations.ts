/**
 * Pending revocations: deprovisioning must hold even when ending the sessions fails, or when the
 * directory write is applied by Redis after the webhook already answered 000005 (a timed-out write
 * can still land). So every deprovisioning event is first stored as a marker in the tenant's slot,
 * in the SAME atomic step as the directory change it follows from (a late write brings its marker
 * with it), and removed only once the listeners (sessions, OpenID grants) ran for it. A marker is
 * completed by whoever meets it first:
 *
 * 1. the call that wrote it, right after the write (the webhook answers 000000 only then);
 * 2. the session read path, before it honours any session of that user or tenant (the session room
 *    calls `settleFor` through an injected function; a failure there refuses the request);
 * 3. the outbox job `directory.revocations`, enqueued when the write or its completion failed, and
 *    run after a delay (so a write that lands late is still completed);
 * 4. KooGallery's repeat of the call (answered 000005, or not at all when the instance crashed), and
 *    any later change of the same tenant: every deprovisioning write completes all the tenant's markers.
 *
 * Completing is idempotent (ending ended sessions is a no-op), so two of them racing is harmless.
 */
import { randomBytes } from 'node:crypto';
import type { DirectoryEvent } from '../shared/directory-events.js';
import type { JobHandler } from '../shared/jobs.js';
import type { WriteOp } from '../store/types.js';
import type { DirectoryDeps } from './deps.js';

export const REVOCATION_JOB = 'directory.revocations';
/**
 * When the outbox job looks for markers left behind: after the write that failed has had time to
 * land (the store's command timeout is 2 s; stalls of several seconds have been seen).
 */
export const REVOCATION_SWEEP_DELAY_MS = 15_000;

/** The events that end sessions or grants: the ones that are kept until they ran. */
export const isRevocation = (event: DirectoryEvent): boolean =>
  event.type === 'user.deprovisioned' ||
  event.type === 'tenant.removed' ||
  event.type === 'tenant.suspended' ||
  (event.type === 'credentials.changed' && (event.change === 'deleted' || event.change === 'purged'));

/** Whether a pending event ends the sessions of this user. */
const concerns = (event: DirectoryEvent, userName: string): boolean => event.type !== 'user.deprovisioned' || event.userName === userName;

/** The ops that store `events` as pending, to be added to the directory change's own atomic write. */
export function pendingOps(deps: DirectoryDeps, tenantId: string, events: readonly DirectoryEvent[]): WriteOp[] {
  const pending = events.filter(isRevocation);
  if (pending.length === 0) return [];
  // Unique field names: completing removes exactly the markers it ran, never one written meanwhile.
  const stamp = `${deps.clock.now()}.${randomBytes(6).toString('hex')}`;
  const values = Object.fromEntries(pending.map((event, i) => [`${stamp}.${i}`, JSON.stringify(event)]));
  return [{ op: 'hset', key: deps.keys.revocations(tenantId), values }];
}

/**
 * Runs a write that may store markers and its completion. If either fails, the outcome is unknown
 * (a timed-out write may still land), so the outbox job that completes the tenant's markers later is
 * enqueued, best effort: sent after the write on the same connection, it lands after it, if at all.
 * Without an outbox (unit tests), nothing. The failure is passed on (000005: KooGallery repeats).
 */
export async function sweepOnFailure<T>(deps: DirectoryDeps, tenantId: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    deps.onRevocationUncertain?.();
    await deps.jobs?.enqueue(REVOCATION_JOB, { tenantId }, { dedupeKey: tenantId, delayMs: REVOCATION_SWEEP_DELAY_MS }).catch(() => undefined);
    throw err;
  }
}

/** Runs the listeners of every pending revocation of the tenant, then removes those markers. Throws if any listener failed. */
export async function settleRevocations(deps: DirectoryDeps, tenantId: string, read?: Record<string, string>): Promise<number> {
  const key = deps.keys.revocations(tenantId);
  const markers = read ?? (await deps.store.hgetall(key));
  const fields = Object.keys(markers);
  if (fields.length === 0) return 0;
  // The same event pending twice (a repeated webhook) runs once.
  const events = [...new Set(Object.values(markers))].map((raw) => JSON.parse(raw) as DirectoryEvent);
  await deps.events.emit(events);
  await deps.store.exec([{ op: 'hdel', key, fields }]);
  return events.length;
}

/**
 * For the session read path: completes the tenant's pending revocations if one concerns this
 * user's sessions; true when it did (the caller re-reads the session, which is then gone).
 */
export async function settleFor(deps: DirectoryDeps, tenantId: string, userName: string): Promise<boolean> {
  const markers = await deps.store.hgetall(deps.keys.revocations(tenantId));
  const relevant = Object.values(markers).some((raw) => concerns(JSON.parse(raw) as DirectoryEvent, userName));
  if (!relevant) return false;
  await settleRevocations(deps, tenantId, markers);
  return true;
}

/** Writes the markers for events decided after a change that could not carry them (instances live in another slot), then completes them. */
export async function revokeNow(deps: DirectoryDeps, tenantId: string, events: readonly DirectoryEvent[]): Promise<void> {
  const ops = pendingOps(deps, tenantId, events);
  await sweepOnFailure(deps, tenantId, async () => {
    await deps.store.exec(ops);
    await settleRevocations(deps, tenantId);
  });
}

/** The outbox handler of `directory.revocations`. */
export function revocationJob(deps: DirectoryDeps): JobHandler {
  return async (payload) => {
    const { tenantId } = payload as { tenantId: string };
    await settleRevocations(deps, tenantId);
  };
}
