/**
 * What the simulated IdPs remember between requests: SSO sessions, authorization codes, CAS
 * tickets, access and refresh tokens. In memory only: the simulator is for tests, demos and
 * benchmarks, and a restart logging everyone out is what a developer expects.
 *
 * Every entry is bound to the tenant that issued it, so a code or token of `acme` is unknown at
 * `globex`'s endpoints, as it would be at two separate IdP hosts.
 */
import { randomBytes } from 'node:crypto';

/** Who signed in, and how: CAS reports both as authenticationDate / isFromNewLogin. */
export interface Login {
  tenantId: string;
  userName: string;
  /** Unix ms of the interactive login that created the SSO session. */
  authTime: number;
  /** True when the grant was issued right after the user typed a password, false when by SSO cookie. */
  newLogin: boolean;
}

export interface CodeGrant extends Login {
  clientId: string;
  redirectUri: string;
  expiresAt: number;
}

export interface TicketGrant extends Login {
  service: string;
  expiresAt: number;
}

export interface TokenGrant {
  tenantId: string;
  userName: string;
  clientId: string;
  expiresAt: number;
}

export interface SsoSession {
  tenantId: string;
  userName: string;
  authTime: number;
}

/** A refresh token lives 30 days (spec §7). */
export const REFRESH_TTL_MS = 30 * 24 * 60 * 60 * 1000;
// Expired entries are dropped when read; past this size a write also sweeps the whole map, so a
// long benchmark does not grow memory without bound. The next sweep waits until the map has doubled
// again: long-lived entries (refresh tokens) survive a sweep, and sweeping them on every write made
// each write cost the whole map (a benchmark's logins fell from 700/s to 150/s past 10,000 tokens).
export const SWEEP_ABOVE = 10_000;

/** Opaque, unguessable, URL-safe. */
export const opaqueToken = (): string => randomBytes(24).toString('base64url');
/** CAS 3.0: `ST-` then [A-Za-z0-9-] only (base64url's `_` is not allowed), well under 256 characters. */
export const serviceTicket = (): string => `ST-${randomBytes(20).toString('hex')}`;

export class ExpiringMap<T extends { expiresAt: number }> {
  private readonly entries = new Map<string, T>();
  private sweepAt = SWEEP_ABOVE;
  constructor(private readonly now: () => number) {}

  get size(): number {
    return this.entries.size;
  }

  set(key: string, value: T): void {
    if (this.entries.size >= this.sweepAt) {
      this.sweep();
      this.sweepAt = Math.max(SWEEP_ABOVE, 2 * this.entries.size);
    }
    this.entries.set(key, value);
  }

  get(key: string): T | undefined {
    const value = this.entries.get(key);
    if (value && value.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return value;
  }

  /**
   * Removes and returns the entry when `belongs` accepts it: single-use grants are consumed by
   * their first use. One the caller does not own (another tenant's IdP) is left alone.
   */
  take(key: string, belongs: (value: T) => boolean): T | undefined {
    const value = this.get(key);
    if (!value || !belongs(value)) return undefined;
    this.entries.delete(key);
    return value;
  }

  deleteWhere(match: (value: T) => boolean): void {
    for (const [key, value] of this.entries) if (match(value)) this.entries.delete(key);
  }

  private sweep(): void {
    const now = this.now();
    this.deleteWhere((v) => v.expiresAt <= now);
  }
}

export function createGrants(opts: { now: () => number; codeTtlMs: number; ticketTtlMs: number; accessTtlMs: number }) {
  const { now } = opts;
  const codes = new ExpiringMap<CodeGrant>(now);
  const tickets = new ExpiringMap<TicketGrant>(now);
  const accessTokens = new ExpiringMap<TokenGrant>(now);
  const refreshTokens = new ExpiringMap<TokenGrant>(now);
  // SSO sessions end at logout only, like a browser session at the real IdP.
  const sessions = new Map<string, SsoSession>();

  return {
    startSession(tenantId: string, userName: string): { id: string; session: SsoSession } {
      const id = opaqueToken();
      const session = { tenantId, userName, authTime: now() };
      sessions.set(id, session);
      return { id, session };
    },
    session(id: string | undefined, tenantId: string): SsoSession | undefined {
      const s = id === undefined ? undefined : sessions.get(id);
      return s && s.tenantId === tenantId ? s : undefined;
    },
    endSession(id: string | undefined): void {
      if (id !== undefined) sessions.delete(id);
    },

    issueCode(login: Login, clientId: string, redirectUri: string): string {
      const code = opaqueToken();
      codes.set(code, { ...login, clientId, redirectUri, expiresAt: now() + opts.codeTtlMs });
      return code;
    },
    /** Consumes the code whatever happens next: a second redemption fails even within the TTL. */
    takeCode(code: string, tenantId: string): CodeGrant | undefined {
      return codes.take(code, (g) => g.tenantId === tenantId);
    },

    issueTicket(login: Login, service: string): string {
      const ticket = serviceTicket();
      tickets.set(ticket, { ...login, service, expiresAt: now() + opts.ticketTtlMs });
      return ticket;
    },
    /** CAS 3.0: a ticket is good for one validation attempt, valid or not. */
    takeTicket(ticket: string, tenantId: string): TicketGrant | undefined {
      return tickets.take(ticket, (g) => g.tenantId === tenantId);
    },

    /** A fresh access token and, unless omitted, a fresh refresh token for the same user and client. */
    issueTokens(grant: Omit<TokenGrant, 'expiresAt'>, withRefresh: boolean): { accessToken: string; refreshToken?: string } {
      const accessToken = opaqueToken();
      accessTokens.set(accessToken, { ...grant, expiresAt: now() + opts.accessTtlMs });
      if (!withRefresh) return { accessToken };
      const refreshToken = opaqueToken();
      refreshTokens.set(refreshToken, { ...grant, expiresAt: now() + REFRESH_TTL_MS });
      return { accessToken, refreshToken };
    },
    accessToken(token: string, tenantId: string): TokenGrant | undefined {
      const grant = accessTokens.get(token);
      return grant && grant.tenantId === tenantId ? grant : undefined;
    },
    /** Rotation: the old refresh token is consumed by the attempt. */
    takeRefreshToken(token: string, tenantId: string): TokenGrant | undefined {
      return refreshTokens.take(token, (g) => g.tenantId === tenantId);
    },
    revokeRefreshTokens(tenantId: string): void {
      refreshTokens.deleteWhere((g) => g.tenantId === tenantId);
    },
  };
}

export type Grants = ReturnType<typeof createGrants>;
