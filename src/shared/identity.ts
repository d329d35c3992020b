/**
 * The words the login, session and connector rooms share about a signed-in person's upstream side:
 * which protocol the tenant IdP spoke, and the tokens it gave (OAuth2 only).
 */
export const LOGIN_PROTOCOLS = ['oauth2', 'cas'] as const;
export type LoginProtocol = (typeof LOGIN_PROTOCOLS)[number];

/** Upstream (tenant IdP) tokens: stored sealed, never sent to a browser or an app. */
export interface UpstreamTokens {
  accessToken: string;
  /** Null when the IdP sent none. */
  refreshToken: string | null;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}
