/**
 * The admin console's sign-in, kept in the browser: an HttpOnly, SameSite=Strict cookie holding a
 * sealed (AES-256-GCM, SECRET_KEYS) record {id, csrf, exp} — never the admin token. The seal is
 * bound to a hash of ADMIN_TOKEN, so changing the token ends every console session; `exp` bounds
 * it to a working day; signing out marks its id as ended in the store until it would have expired,
 * so a copy of the cookie taken before does not open either.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { sha256Base64url } from '../shared/hash.js';
import type { Clock } from '../shared/clock.js';
import { readCookie } from '../http/cookies.js';
import type { AppContext } from '../http/state.js';
import type { Keys } from '../store/keys.js';
import type { SecretBox } from '../store/secret-box.js';
import type { Store } from '../store/types.js';

/** An operator's working day: long enough not to interrupt, short enough that a forgotten tab ends. */
export const CONSOLE_SESSION_TTL_MS = 8 * 60 * 60 * 1000;

export interface ConsoleSession {
  id: string;
  /** The double-submit token every state-changing call must echo (header or form field). */
  csrf: string;
  exp: number;
}

const recordSchema = z.object({ id: z.string().min(16), csrf: z.string().min(16), exp: z.number() });

export interface ConsoleSessionDeps {
  secretBox: SecretBox;
  store: Store;
  keys: Keys;
  clock: Clock;
  adminToken: string;
  /** https PUBLIC_URL: the cookie is `__Host-` prefixed and Secure. */
  secure: boolean;
}

export function createConsoleSessions(deps: ConsoleSessionDeps) {
  const cookieName = deps.secure ? '__Host-koobridge-admin' : 'koobridge-admin';
  const aad = `admin-console:session:${sha256Base64url(deps.adminToken)}`;

  const writeCookie = (ctx: AppContext, value: string, maxAgeMs: number) => {
    // Path=/ (required by __Host-); SameSite=Strict: no other site's page or link sends it along.
    const parts = [`${cookieName}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Strict', `Max-Age=${Math.max(0, Math.floor(maxAgeMs / 1000))}`];
    if (deps.secure) parts.push('Secure');
    ctx.append('Set-Cookie', parts.join('; '));
  };

  return {
    cookieName,

    /** Starts a console session: sets the cookie and answers the session. */
    issue(ctx: AppContext): ConsoleSession {
      const session = { id: randomBytes(16).toString('base64url'), csrf: randomBytes(24).toString('base64url'), exp: deps.clock.now() + CONSOLE_SESSION_TTL_MS };
      writeCookie(ctx, deps.secretBox.seal(JSON.stringify(session), aad), CONSOLE_SESSION_TTL_MS);
      return session;
    },

    /**
     * The request's console session: 'none' without the cookie, 'invalid' when it does not open, has
     * expired or was signed out (the caller says "sign in again"), else the session.
     */
    async read(ctx: AppContext): Promise<ConsoleSession | 'none' | 'invalid'> {
      const value = readCookie(ctx, cookieName);
      if (value === undefined || value === '') return 'none';
      let session: ConsoleSession;
      try {
        session = recordSchema.parse(JSON.parse(deps.secretBox.open(value, aad)));
      } catch {
        return 'invalid';
      }
      if (deps.clock.now() >= session.exp) return 'invalid';
      if ((await deps.store.get(deps.keys.consoleSessionEnded(session.id))) !== null) return 'invalid';
      return session;
    },

    /** Ends the session for good (until it would have expired anyway) and clears the cookie. */
    async end(ctx: AppContext, session: ConsoleSession): Promise<void> {
      const ttlMs = session.exp - deps.clock.now();
      if (ttlMs > 0) await deps.store.exec([{ op: 'set', key: deps.keys.consoleSessionEnded(session.id), value: '1', ttlMs }]);
      writeCookie(ctx, '', 0);
    },

    clear: (ctx: AppContext) => writeCookie(ctx, '', 0),
  };
}

export type ConsoleSessions = ReturnType<typeof createConsoleSessions>;
