/**
 * Keeps a session's upstream access token alive while the session is in use (spec §7 "Token
 * renewal"): shortly before it expires, exactly one instance (a lock in the store) renews it.
 * Whether the session may go on and how tokens are renewed is the login room's knowledge (the
 * directory's grant, the tenant's connector), handed in as `renew`; this module owns the timing,
 * the lock and the session record. A refused refresh ends the session; an IdP that is merely
 * unreachable does not, the next use tries again.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../shared/clock.js';
import { isKbError } from '../shared/errors.js';
import type { UpstreamTokens } from '../shared/identity.js';
import type { Observations } from '../shared/observations.js';
import type { Logger } from '../shared/logger.js';
import type { Keys } from '../store/keys.js';
import type { Store } from '../store/types.js';
import type { SessionStore } from './session-store.js';
import type { SessionRecord } from './types.js';

/** Fresh tokens, or the reason the session must end (user deprovisioned, credentials gone). */
export type RenewOutcome = { tokens: UpstreamTokens } | { end: string };
export type RenewUpstream = (session: SessionRecord, refreshToken: string) => Promise<RenewOutcome>;

// Refresh five minutes ahead: long enough for clock drift and a slow IdP, short against a 2 h token.
const REFRESH_AHEAD_MS = 5 * 60_000;
// Longer than the IdP timeout, so a lock never expires while its holder is still refreshing.
const LOCK_MARGIN_MS = 10_000;

export interface RefreshDeps {
  store: Store;
  keys: Keys;
  clock: Clock;
  sessions: SessionStore;
  renew: RenewUpstream;
  idpTimeoutMs: number;
  logger: Pick<Logger, 'info' | 'warn'>;
  /** Where a session ended here is reported: session_end `timeout` (its upstream login ran out). */
  observations?: Observations;
}

export function createUpstreamRefresh(deps: RefreshDeps) {
  const { store, keys, clock, sessions } = deps;

  // Sessions without upstream tokens (CAS) have no expiry to watch.
  const due = (record: SessionRecord) => record.upstreamExpiresAt !== null && record.upstreamExpiresAt - clock.now() <= REFRESH_AHEAD_MS;

  async function end(record: SessionRecord, reason: string): Promise<null> {
    deps.logger.info({ tenantId: record.tenantId, reason }, 'session ended at upstream refresh');
    await sessions.destroy(record);
    deps.observations?.emit({ kind: 'session_end', cause: 'timeout', tenantId: record.tenantId, userName: record.userName, count: 1, reason });
    return null;
  }

  return {
    /** The session, with its upstream token renewed if it was due; null if the session had to end. */
    async ensureFresh(record: SessionRecord): Promise<SessionRecord | null> {
      if (!due(record)) return record;
      const lockKey = keys.refreshLock(record.sidHash);
      const owner = randomBytes(16).toString('hex');
      // Another instance is on it: this request goes on with the token it has.
      if (!(await store.setIfAbsent(lockKey, owner, deps.idpTimeoutMs + LOCK_MARGIN_MS))) return record;
      try {
        const current = await sessions.readStored(record.sidHash); // not the cache: another instance may have renewed it
        if (current === null) return null;
        if (!due(current)) return current; // refreshed by another instance just before us
        const tokens = sessions.openUpstream(current);
        if (!tokens?.refreshToken) return current; // its lifetime is already capped at the token's

        const outcome = await deps.renew(current, tokens.refreshToken);
        if ('end' in outcome) return end(current, outcome.end);
        // Whether the IdP rotates refresh tokens is not documented (spec §8): keep the old one if none comes back.
        const renewed: UpstreamTokens = { ...outcome.tokens, refreshToken: outcome.tokens.refreshToken ?? tokens.refreshToken };
        return (await sessions.saveUpstream(current, renewed)) ? current : null;
      } catch (err) {
        if (isKbError(err, 'idp_invalid_grant') || isKbError(err, 'idp_invalid_client')) return end(record, err.code);
        deps.logger.warn({ tenantId: record.tenantId, err: (err as Error).message }, 'upstream refresh failed; will retry on next use');
        return record;
      } finally {
        await store.delIfEquals(lockKey, owner).catch(() => undefined);
      }
    },
  };
}

export type UpstreamRefresh = ReturnType<typeof createUpstreamRefresh>;
