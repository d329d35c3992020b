/**
 * Bridge sessions in the store. The browser holds a random 256-bit id; the store holds only its
 * SHA-256, so a dump of Redis reveals no usable cookie. The idle timeout is the key's TTL (pushed
 * forward as the session is used), the absolute timeout is in the record; both are enforced here,
 * server-side, whatever the cookie says.
 */
import { randomBytes } from 'node:crypto';
import { forEachLimited, REVOCATION_CONCURRENCY } from '../shared/concurrency.js';
import { sha256Base64url } from '../shared/hash.js';
import type { Clock } from '../shared/clock.js';
import type { Observations } from '../shared/observations.js';
import type { Keys } from '../store/keys.js';
import type { SecretBox } from '../store/secret-box.js';
import type { Store } from '../store/types.js';
import { mergeUserFields, pickUserFields, type TenantFields, type UserFields } from './identity-fields.js';
import type { SessionCache } from './session-cache.js';
import type { LoginMethod, SessionIdentity, SessionRecord, UpstreamTokens } from './types.js';

// Pushing the idle deadline forward costs a write; once a minute per session per instance is
// precise enough for timeouts counted in tens of minutes (a tenth of shorter timeouts).
const MAX_TOUCH_INTERVAL_MS = 60_000;
const MAX_TOUCH_CACHE = 50_000;

export const hashSid = sha256Base64url;
const SID_FORMAT = /^[A-Za-z0-9_-]{43}$/; // 32 random bytes, base64url

export interface SessionStoreDeps {
  /** Optional hot-path cache; every end of a session goes through its invalidate. */
  cache?: SessionCache;
  store: Store;
  keys: Keys;
  secretBox: SecretBox;
  clock: Clock;
  idleTimeoutMs: number;
  absoluteTimeoutMs: number;
  /**
   * Completes a pending revocation (the directory's, kept in the store until it ran) that concerns
   * this user's sessions; true when it did. Consulted when a session is read from the store (not
   * on cache hits), so a deprovisioning whose revocation failed or whose write landed late is never
   * honoured. Throws when it cannot complete: the request fails rather than honour the session.
   */
  pendingRevocation?: (tenantId: string, userName: string) => Promise<boolean>;
  /** Where a session found past its absolute deadline is reported (session_end `timeout`). */
  observations?: Observations;
}

export function createSessionStore(deps: SessionStoreDeps) {
  const { store, keys, secretBox, clock } = deps;
  const lastTouched = new Map<string, number>();
  const touchInterval = Math.min(MAX_TOUCH_INTERVAL_MS, deps.idleTimeoutMs / 10);
  // The hot path hashes the same cookie on every request: remember the last ones (bounded).
  const hashes = new Map<string, string>();
  const hashOf = (sid: string): string => {
    let h = hashes.get(sid);
    if (h === undefined) {
      if (hashes.size >= MAX_TOUCH_CACHE) hashes.clear();
      h = hashSid(sid);
      hashes.set(sid, h);
    }
    return h;
  };
  const aad = (sidHash: string) => `session:${sidHash}:upstream`;

  const ttlFor = (record: SessionRecord, now: number) => Math.max(1, Math.min(deps.idleTimeoutMs, record.absoluteExpiresAt - now));

  /** The stored record, bypassing the cache; null when absent or unreadable. */
  async function readStored(sidHash: string): Promise<SessionRecord | null> {
    const raw = await store.get(keys.session(sidHash));
    if (raw === null) return null;
    try {
      return JSON.parse(raw) as SessionRecord;
    } catch {
      return null;
    }
  }

  /** Whether the session's idle deadline is due to be pushed back (at most once per touchInterval). */
  const touchDue = (record: SessionRecord, now: number) => now - (lastTouched.get(record.sidHash) ?? 0) >= touchInterval;

  /** Pushes the idle deadline back; called only when touchDue (getByHash checks, so a cache hit stays one step). */
  async function touch(record: SessionRecord, now: number): Promise<void> {
    if (lastTouched.size >= MAX_TOUCH_CACHE) lastTouched.clear();
    lastTouched.set(record.sidHash, now);
    // PEXPIRE never creates a key, so touching cannot revive a session revoked meanwhile.
    await store.exec([{ op: 'pexpire', key: keys.session(record.sidHash), ttlMs: ttlFor(record, now) }]);
  }

  return {
    /** `idp`: what the IdP's userinfo said, kept as the fallback when a directory change rewrites the session. */
    async create(identity: SessionIdentity, method: LoginMethod, upstream: UpstreamTokens | null, idp?: UserFields): Promise<{ sid: string; record: SessionRecord }> {
      const sid = randomBytes(32).toString('base64url');
      const sidHash = hashSid(sid);
      const now = clock.now();
      let absoluteExpiresAt = now + deps.absoluteTimeoutMs;
      // Without a refresh token we cannot learn whether the upstream grant still holds once the
      // access token expires, so the session may not outlive it.
      if (upstream && upstream.refreshToken === null) absoluteExpiresAt = Math.min(absoluteExpiresAt, upstream.expiresAt);
      const record: SessionRecord = {
        v: 1,
        ...identity,
        sidHash,
        method,
        createdAt: now,
        absoluteExpiresAt,
        upstream: upstream ? secretBox.seal(JSON.stringify(upstream), aad(sidHash)) : null,
        upstreamExpiresAt: upstream?.expiresAt ?? null,
        ...(idp ? { idp: pickUserFields(idp) } : {}),
      };
      // Indexes first: a revocation running meanwhile then finds this session.
      const indexTtl = deps.absoluteTimeoutMs;
      await store.exec([
        { op: 'sadd', key: keys.userSessions(identity.tenantId, identity.userName), members: [sidHash] },
        { op: 'pexpire', key: keys.userSessions(identity.tenantId, identity.userName), ttlMs: indexTtl },
        { op: 'sadd', key: keys.tenantSessions(identity.tenantId), members: [sidHash] },
        { op: 'pexpire', key: keys.tenantSessions(identity.tenantId), ttlMs: indexTtl },
      ]);
      await store.exec([{ op: 'set', key: keys.session(sidHash), value: JSON.stringify(record), ttlMs: ttlFor(record, now) }]);
      lastTouched.set(sidHash, now);
      return { sid, record };
    },

    /** The live session of a cookie value, or null (unknown, malformed, expired). */
    async get(sid: string | undefined): Promise<SessionRecord | null> {
      if (!sid || !SID_FORMAT.test(sid)) return null;
      return this.getByHash(hashOf(sid));
    },

    /** The live session of an id hash (a CAS ticket names its session so), read exactly as `get` reads it. */
    async getByHash(sidHash: string): Promise<SessionRecord | null> {
      const now = clock.now();
      let record = deps.cache?.get(sidHash, now);
      if (!record) {
        const generation = deps.cache?.generation() ?? 0;
        let stored = await readStored(sidHash);
        if (stored !== null && deps.pendingRevocation && (await deps.pendingRevocation(stored.tenantId, stored.userName))) {
          // The revocation ran: the session is gone unless it was not concerned after all.
          stored = await readStored(sidHash);
        }
        if (stored === null) return null;
        record = stored;
        if (record.v === 1 && record.sidHash === sidHash) deps.cache?.set(record, now, generation);
      }
      if (record.v !== 1 || record.sidHash !== sidHash || now >= record.absoluteExpiresAt) {
        await this.destroy(record);
        // Idle sessions end silently by their key's TTL; an absolute deadline is seen here, when used.
        if (record.v === 1 && now >= record.absoluteExpiresAt) deps.observations?.emit({ kind: 'session_end', cause: 'timeout', tenantId: record.tenantId, userName: record.userName, count: 1, reason: 'absolute_timeout' });
        return null;
      }
      // Awaited only when due: a cache hit (every validation, every forward-auth check) stays one step.
      if (touchDue(record, now)) await touch(record, now);
      return record;
    },

    async destroy(record: Pick<SessionRecord, 'sidHash' | 'tenantId' | 'userName'>): Promise<void> {
      lastTouched.delete(record.sidHash);
      await store.exec([{ op: 'del', key: keys.session(record.sidHash) }]);
      await deps.cache?.invalidate([record.sidHash]);
      if (record.tenantId && record.userName) {
        await store.exec([
          { op: 'srem', key: keys.userSessions(record.tenantId, record.userName), members: [record.sidHash] },
          { op: 'srem', key: keys.tenantSessions(record.tenantId), members: [record.sidHash] },
        ]);
      }
    },

    readStored,

    /** Forgets this instance's cached sessions (a revocation failed; see revocation.ts). */
    dropCached: () => deps.cache?.dropLocal(),

    openUpstream(record: SessionRecord): UpstreamTokens | null {
      return record.upstream === null ? null : (JSON.parse(secretBox.open(record.upstream, aad(record.sidHash))) as UpstreamTokens);
    },

    /** Stores renewed upstream tokens; false when the session ended meanwhile (it is not revived). */
    async saveUpstream(record: SessionRecord, upstream: UpstreamTokens): Promise<boolean> {
      const now = clock.now();
      // The identity as stored now, not as read before the IdP call: a directory change that
      // rewrote the session meanwhile is kept.
      const stored = await readStored(record.sidHash);
      if (stored === null) {
        await deps.cache?.invalidate([record.sidHash]);
        return false;
      }
      const next: SessionRecord = {
        ...stored,
        upstream: secretBox.seal(JSON.stringify(upstream), aad(record.sidHash)),
        upstreamExpiresAt: upstream.expiresAt,
        absoluteExpiresAt: upstream.refreshToken === null ? Math.min(stored.absoluteExpiresAt, upstream.expiresAt) : stored.absoluteExpiresAt,
      };
      const replaced = await store.replaceIfExists(keys.session(record.sidHash), JSON.stringify(next), ttlFor(next, now));
      // Other instances drop their copy and read the renewed record on their next use.
      await deps.cache?.invalidate([record.sidHash]);
      if (replaced) Object.assign(record, next);
      return replaced;
    },

    /** Whether the user's session index names any session (ended ones may linger until its TTL). */
    async hasUserSessions(tenantId: string, userName: string): Promise<boolean> {
      return (await store.smembers(keys.userSessions(tenantId, userName))).length > 0;
    },

    /**
     * Rewrites the user's fields in every live session of the user after a directory change (a
     * demotion, a rename): the directory's values, the IdP's from the login for what it leaves
     * empty. Answers how many sessions changed.
     */
    async rewriteUser(tenantId: string, userName: string, fields: UserFields): Promise<number> {
      return rewriteIndexed(await store.smembers(keys.userSessions(tenantId, userName)), (r) =>
        r.tenantId === tenantId && r.userName === userName ? { ...r, ...mergeUserFields(fields, r.idp ?? r) } : r,
      );
    },

    /** Rewrites the tenant's fields (code, name, subscription) in every live session of the tenant. */
    async rewriteTenant(tenantId: string, fields: TenantFields): Promise<number> {
      return rewriteIndexed(await store.smembers(keys.tenantSessions(tenantId)), (r) => (r.tenantId === tenantId ? { ...r, ...fields } : r));
    },

    /** Ends every session of one user; answers how many there were. */
    async revokeUser(tenantId: string, userName: string): Promise<number> {
      const indexKey = keys.userSessions(tenantId, userName);
      return revokeIndexed(await store.smembers(indexKey), [indexKey, keys.tenantSessions(tenantId)]);
    },

    /** Ends every session of a tenant. */
    async revokeTenant(tenantId: string): Promise<number> {
      const indexKey = keys.tenantSessions(tenantId);
      // Users' own indexes keep the ended hashes until their TTL: harmless, the sessions are gone.
      return revokeIndexed(await store.smembers(indexKey), [indexKey]);
    },
  };

  /**
   * Replaces each session by `change(session)` where that differs, keeping its idle deadline (a
   * directory change is no use of the session) and never reviving a session ended meanwhile (SET
   * XX); then every instance drops its cached copy (pub/sub) and reads the new record at its next use.
   */
  async function rewriteIndexed(sidHashes: string[], change: (record: SessionRecord) => SessionRecord): Promise<number> {
    const changed: string[] = [];
    await forEachLimited(sidHashes, REVOCATION_CONCURRENCY, async (sidHash) => {
      const current = await readStored(sidHash);
      if (current === null) return;
      const value = JSON.stringify(change(current));
      if (value === JSON.stringify(current)) return;
      const ttlMs = await store.pttl(keys.session(sidHash));
      if (ttlMs <= 0) return; // gone meanwhile (-2); sessions always carry a TTL
      if (await store.replaceIfExists(keys.session(sidHash), value, ttlMs)) changed.push(sidHash);
    });
    if (changed.length > 0) await deps.cache?.invalidate(changed);
    return changed.length;
  }

  /** Deletes the sessions, then removes them from the given indexes (all in the tenant's slot). */
  async function revokeIndexed(sidHashes: string[], indexKeys: string[]): Promise<number> {
    let ended = 0;
    await forEachLimited(sidHashes, REVOCATION_CONCURRENCY, async (sidHash) => {
      lastTouched.delete(sidHash);
      const existed = (await store.pttl(keys.session(sidHash))) !== -2;
      // Sessions are global keys (another cluster slot than the tenant's index): one delete each.
      await store.exec([{ op: 'del', key: keys.session(sidHash) }]);
      if (existed) ended += 1;
    });
    if (sidHashes.length > 0) {
      await deps.cache?.invalidate(sidHashes);
      await store.exec(indexKeys.map((key) => ({ op: 'srem' as const, key, members: sidHashes })));
    }
    return ended;
  }
}

export type SessionStore = ReturnType<typeof createSessionStore>;
