/**
 * The live sessions of a tenant or a user, for the operators' console, and the end of one of them.
 * Reads the revocation indexes (sets of session-id hashes) and each record; entries whose session
 * already ended linger in an index until its TTL and are skipped. What is listed is the record as
 * stored, with the idle deadline read from the key's TTL; the caller decides what to show of it.
 */
import { forEachLimited, REVOCATION_CONCURRENCY } from '../shared/concurrency.js';
import type { Clock } from '../shared/clock.js';
import type { Keys } from '../store/keys.js';
import type { Store } from '../store/types.js';
import type { SessionStore } from './session-store.js';
import type { SessionRecord } from './types.js';

export interface ListedSession {
  record: SessionRecord;
  /** When the session ends unless it is used before (the key's TTL); never after absoluteExpiresAt. */
  idleExpiresAt: number;
  /**
   * When it was last used, to the precision sessions are touched (a minute at most): the idle
   * deadline minus the idle timeout. Null when the absolute deadline is nearer than a full idle
   * period, so the TTL no longer tells when it was pushed.
   */
  lastSeenAt: number | null;
}

export interface SessionListingDeps {
  store: Store;
  keys: Keys;
  clock: Clock;
  sessions: Pick<SessionStore, 'readStored' | 'destroy'>;
  idleTimeoutMs: number;
}

export function createSessionListing(deps: SessionListingDeps) {
  const { store, keys, clock } = deps;

  async function listIndexed(indexKey: string, belongs: (r: SessionRecord) => boolean): Promise<ListedSession[]> {
    const hashes = await store.smembers(indexKey);
    const out: ListedSession[] = [];
    const now = clock.now();
    await forEachLimited(hashes, REVOCATION_CONCURRENCY, async (sidHash) => {
      const [record, ttl] = await Promise.all([deps.sessions.readStored(sidHash), store.pttl(keys.session(sidHash))]);
      if (record === null || ttl <= 0 || record.sidHash !== sidHash || !belongs(record) || now >= record.absoluteExpiresAt) return;
      const idleExpiresAt = Math.min(now + ttl, record.absoluteExpiresAt);
      const pushedAt = idleExpiresAt - deps.idleTimeoutMs;
      const lastSeenAt = idleExpiresAt < record.absoluteExpiresAt ? Math.max(record.createdAt, Math.min(now, pushedAt)) : null;
      out.push({ record, idleExpiresAt, lastSeenAt });
    });
    // Newest first; the hash breaks ties so pages are stable.
    return out.sort((a, b) => b.record.createdAt - a.record.createdAt || (a.record.sidHash < b.record.sidHash ? -1 : 1));
  }

  return {
    listTenant: (tenantId: string) => listIndexed(keys.tenantSessions(tenantId), (r) => r.tenantId === tenantId),
    listUser: (tenantId: string, userName: string) =>
      listIndexed(keys.userSessions(tenantId, userName), (r) => r.tenantId === tenantId && r.userName === userName),

    /** Ends the session with this id hash if it is the tenant's; false when it was already gone. */
    async revokeOne(tenantId: string, sidHash: string): Promise<boolean> {
      const record = await deps.sessions.readStored(sidHash);
      if (record === null || record.tenantId !== tenantId) return false;
      await deps.sessions.destroy(record);
      return true;
    },
  };
}

export type SessionListing = ReturnType<typeof createSessionListing>;
