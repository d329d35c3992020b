/**
 * A login protocol of the tenant IdPs, behind one small interface (the shape of Dex's
 * `connector.CallbackConnector` + `RefreshConnector`): where to send the browser, what a callback
 * proves, how to renew, where to sign out. The login room runs ONE callback pipeline over any
 * connector; a new dialect is a new implementation of this interface, not a new callback.
 */
import type { LoginProtocol, UpstreamTokens } from '../shared/identity.js';
import type { IdpUser } from './userinfo-dialects.js';

/** The tenant's IdP as the directory knows it: its address and, for OAuth2, this app's credentials. */
export interface IdpTarget {
  domainName: string;
  /** Null until applicationSync delivered them. */
  credentials: { clientId: string; clientSecret: string } | null;
}

export interface ConnectorLogin {
  /** Where the IdP sends the browser back: our OAuth2 redirect_uri, or our CAS service URL. */
  returnUrl: string;
  /** The OAuth2 `state` bound to this browser; CAS has none. */
  state: string | null;
}

export interface ConnectorCallback {
  /** What the IdP handed the browser: an authorization code or a service ticket. */
  proof: string;
  /**
   * The return URL the proof was issued for: the redirect_uri we sent to /authorize (undefined
   * when the login did not start with us, so none is sent back), or exactly the CAS service.
   */
  returnUrl: string | undefined;
}

export interface ConnectorResult {
  identity: IdpUser;
  /** Tokens to keep for renewal and upstream logout; null when the protocol gives none (CAS). */
  upstream: UpstreamTokens | null;
}

export interface Connector {
  readonly protocol: LoginProtocol;
  /** Whether a login needs the tenant's client credentials (OAuth2) or only its IdP address (CAS). */
  readonly needsCredentials: boolean;
  loginUrl(target: IdpTarget, login: ConnectorLogin): string;
  handleCallback(target: IdpTarget, callback: ConnectorCallback): Promise<ConnectorResult>;
  /** Renews upstream tokens; absent when the protocol has nothing to renew. */
  refresh?(target: IdpTarget, refreshToken: string): Promise<UpstreamTokens>;
  /** The IdP's sign-out page, which returns the browser to `returnUrl`. */
  logoutUrl(domainName: string, returnUrl: string): string;
}

export type Connectors = Readonly<Record<LoginProtocol, Connector>>;
