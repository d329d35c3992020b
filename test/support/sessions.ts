/**
 * Bridge sessions built from their factories on the memory store and a fake clock, no HTTP; two
 * instances made with `instance()` share one store, as two bridge processes share one Redis.
 */
import { randomBytes } from 'node:crypto';
import { createSessionCache, type SessionCache } from '../../src/sessions/session-cache.js';
import { createSessionStore, type SessionStore } from '../../src/sessions/session-store.js';
import type { SessionIdentity, UpstreamTokens } from '../../src/sessions/types.js';
import { createKeys, type Keys } from '../../src/store/keys.js';
import { createMemoryStore, type MemoryStore } from '../../src/store/memory.js';
import { createSecretBox, type SecretBox } from '../../src/store/secret-box.js';
import { fakeClock, type FakeClock } from './time.js';

export const IDLE_MS = 30 * 60_000;
export const ABSOLUTE_MS = 12 * 3600_000;

export interface SessionsFixture {
  sessions: SessionStore;
  cache: SessionCache;
  store: MemoryStore;
  keys: Keys;
  secretBox: SecretBox;
  clock: FakeClock;
  /** Another bridge instance on the same store and clock, with a cache of its own. */
  instance(): { sessions: SessionStore; cache: SessionCache };
}

export function sessionsFixture(opts: { idleTimeoutMs?: number; absoluteTimeoutMs?: number; clock?: FakeClock; store?: MemoryStore } = {}): SessionsFixture {
  const clock = opts.clock ?? fakeClock();
  const store = opts.store ?? createMemoryStore({ now: clock.now });
  const keys = createKeys('unit:');
  const secretBox = createSecretBox([randomBytes(32).toString('base64')]);
  const instance = () => {
    const cache = createSessionCache({ store, channel: keys.sessionInvalidations() });
    const sessions = createSessionStore({
      store,
      keys,
      secretBox,
      clock,
      cache,
      idleTimeoutMs: opts.idleTimeoutMs ?? IDLE_MS,
      absoluteTimeoutMs: opts.absoluteTimeoutMs ?? ABSOLUTE_MS,
    });
    return { sessions, cache };
  };
  return { ...instance(), store, keys, secretBox, clock, instance };
}

export const identity = (userName = 'zhang.san', tenantId = 'acme', over: Partial<SessionIdentity> = {}): SessionIdentity => ({
  tenantId,
  tenantCode: tenantId,
  tenantName: 'Acme Trading Co.',
  userName,
  name: `Name of ${userName}`,
  role: 'user',
  orgCode: 'sales',
  email: null,
  mobile: null,
  ...over,
});

/** Upstream tokens as an OAuth2 login stores them: a 2 h access token and a refresh token. */
export const upstream = (now: number, over: Partial<UpstreamTokens> = {}): UpstreamTokens => ({
  accessToken: 'upstream-access-token-1',
  refreshToken: 'upstream-refresh-token-1',
  expiresAt: now + 7200_000,
  ...over,
});
