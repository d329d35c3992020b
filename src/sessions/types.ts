import type { LoginProtocol } from '../shared/identity.js';

/** Who a bridge session belongs to: what the merchant's apps may learn about the user. */
export interface SessionIdentity {
  tenantId: string;
  tenantCode: string | null;
  tenantName: string | null;
  userName: string;
  name: string | null;
  role: 'user' | 'admin' | null;
  orgCode: string | null;
  email: string | null;
  mobile: string | null;
  /**
   * The tenant's subscription as of the login (status, end, charging mode, product). A freeze or
   * release ends the session at once, so a live session always belongs to an active subscription.
   * Absent in sessions made before subscriptions were kept.
   */
  subscription?: { status: string; expiresAt: string | null; chargingMode: string | null; productId: string | null } | null;
}

export type { UpstreamTokens } from '../shared/identity.js';
/** The protocol the tenant IdP spoke at login: it decides how the session renews and signs out. */
export type LoginMethod = LoginProtocol;

export interface SessionRecord extends SessionIdentity {
  v: 1;
  /**
   * What the tenant IdP's userinfo said at login: the fallback for fields the directory leaves
   * empty when a directory change rewrites the session. Absent in sessions made before it was kept.
   */
  idp?: Pick<SessionIdentity, 'name' | 'role' | 'orgCode' | 'email' | 'mobile'>;
  sidHash: string;
  method: LoginMethod;
  createdAt: number;
  absoluteExpiresAt: number;
  /** Sealed UpstreamTokens (OAuth2 logins), or null (CAS). */
  upstream: string | null;
  /** When the upstream access token expires, readable without opening the seal. */
  upstreamExpiresAt: number | null;
}

/**
 * Where the tenant IdP signs a session's browser out, then sends it on to `returnUrl`; null when the
 * IdP is unknown. Built by the login room (which knows the connectors) for every logout door.
 */
export type UpstreamLogoutUrl = (session: SessionRecord, returnUrl: string) => Promise<string | null>;
