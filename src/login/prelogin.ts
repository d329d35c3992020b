/**
 * Login CSRF protection: every login the bridge starts is bound to the browser that started it by
 * a one-time pre-login record (a random id in a short-lived cookie, the record in the store).
 * A callback must come back to the same browser, with the same `state`, within the TTL, once.
 */
import { randomBytes } from 'node:crypto';
import { sha256Base64url as hash } from '../shared/hash.js';
import type { AppContext } from '../http/state.js';
import type { Keys } from '../store/keys.js';
import type { Store } from '../store/types.js';
import { clearCookie, readCookie, setCookie, type CookieNames } from '../http/cookies.js';

// Ten minutes to sign in at KooGallery, including a password reset or an SMS code.
export const PRELOGIN_TTL_MS = 10 * 60_000;

export interface PreLogin {
  /** Null when the login went to the unified login page (which returns no state). */
  state: string | null;
  tenantId: string | null;
  protocol: 'oauth2' | 'cas';
  returnTo: string | null;
  /**
   * The OpenID client or CAS service `returnTo` belongs to (deps.clientOfReturn), resolved when the
   * login starts so the callback reports it without another lookup. Absent when unknown, and in
   * records written before it existed.
   */
  clientId?: string;
  createdAt: number;
}

export function createPreLogins(deps: { store: Store; keys: Keys; cookies: CookieNames; now: () => number; /** A new OAuth2 state (see callback/own-states.ts). */ newState: () => string }) {
  const { store, keys, cookies } = deps;
  return {
    async start(ctx: AppContext, p: Omit<PreLogin, 'state' | 'createdAt'> & { withState: boolean }): Promise<PreLogin> {
      const id = randomBytes(32).toString('base64url');
      const record: PreLogin = {
        state: p.withState ? deps.newState() : null,
        tenantId: p.tenantId,
        protocol: p.protocol,
        returnTo: p.returnTo,
        ...(p.clientId ? { clientId: p.clientId } : {}),
        createdAt: deps.now(),
      };
      await store.exec([{ op: 'set', key: keys.prelogin(hash(id)), value: JSON.stringify(record), ttlMs: PRELOGIN_TTL_MS }]);
      setCookie(ctx, cookies, cookies.prelogin, id, PRELOGIN_TTL_MS);
      return record;
    },

    /** Takes this browser's pre-login record (once) and clears its cookie; null when there is none. */
    async take(ctx: AppContext): Promise<PreLogin | null> {
      const id = readCookie(ctx, cookies.prelogin);
      if (!id) return null;
      clearCookie(ctx, cookies, cookies.prelogin);
      if (!/^[A-Za-z0-9_-]{43}$/.test(id)) return null;
      const key = keys.prelogin(hash(id));
      const raw = await store.get(key);
      if (raw === null) return null;
      // Deleting only if unchanged makes the take single-use even with two callbacks racing.
      if (!(await store.delIfEquals(key, raw))) return null;
      return JSON.parse(raw) as PreLogin;
    },
  };
}

export type PreLogins = ReturnType<typeof createPreLogins>;
