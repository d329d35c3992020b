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
}

export type LoginMethod = 'oauth2' | 'cas';

/** Upstream (tenant IdP) tokens: stored sealed, never sent to a browser or an app. */
export interface UpstreamTokens {
  accessToken: string;
  refreshToken: string | null;
  expiresAt: number;
}

export interface SessionRecord extends SessionIdentity {
  v: 1;
  sidHash: string;
  method: LoginMethod;
  createdAt: number;
  absoluteExpiresAt: number;
  /** Sealed UpstreamTokens (OAuth2 logins), or null (CAS). */
  upstream: string | null;
  /** When the upstream access token expires, readable without opening the seal. */
  upstreamExpiresAt: number | null;
}
