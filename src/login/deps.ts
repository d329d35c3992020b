/** What the browser-login room is built from: its settings slice and its collaborators. */
import type { Clock } from '../shared/clock.js';
import type { Connectors } from '../connectors/connector.js';
import type { Directory } from '../directory/directory.js';
import type { CookieNames } from '../http/cookies.js';
import type { SessionStore } from '../sessions/session-store.js';
import type { UpstreamRefresh } from '../sessions/upstream-refresh.js';
import type { Keys } from '../store/keys.js';
import type { Store } from '../store/types.js';
import type { PreLogins } from './prelogin.js';
import type { ReturnPrefix } from '../shared/return-prefix.js';
import type { OwnStates } from './callback/own-states.js';
import type { UpstreamLogoutUrl } from '../sessions/types.js';
import type { Observations } from '../shared/observations.js';

export interface LoginSettings {
  /** Origin (and optional path) the bridge is reached at. */
  publicUrl: string;
  /** KOO_APP_ID, sent to the unified login page; null in development. */
  appId: string | null;
  /** KooGallery's unified login page; `?ind=UNOP&appId=` is appended (spec §7). */
  unifiedLoginUrl: string;
  /** Exact URLs a login may return to (`return_to`). */
  allowedReturnUrls: string[];
  /** Origins, or origins and path prefixes, a login may return to anywhere under (deep links). */
  allowedReturnPrefixes: ReturnPrefix[];
  /** Read the original URL of a request from X-Original-URL / X-Forwarded-* (TRUST_PROXY=1). */
  trustProxy: boolean;
  /** Where a login without (an allowed) return_to lands, and every IdP-initiated one. */
  landingUrl: string;
  /** Accept callbacks of logins we did not start (the aPaaS workbench tile). */
  idpInitiated: boolean;
  /** Shown to apps by the session API. */
  idleTimeoutMs: number;
}

export interface LoginDeps {
  settings: LoginSettings;
  directory: Directory;
  sessions: SessionStore;
  refresh: UpstreamRefresh;
  preLogins: PreLogins;
  /** Tells the states the bridge issued from the aPaaS workbench's own. */
  ownStates: OwnStates;
  connectors: Connectors;
  upstreamLogoutUrl: UpstreamLogoutUrl;
  store: Store;
  keys: Keys;
  clock: Clock;
  cookies: CookieNames;
  /** More URLs a login may return to: the OpenID provider's interaction URLs and its clients' redirect URIs. */
  isExtraReturnAllowed?: (url: string) => boolean;
  /**
   * The configured OpenID client or CAS service an allowed return URL belongs to (an interaction's
   * client, a `/cas/login?service=` URL's service), for the login observation; undefined when none.
   * Injected by app.ts: this room may not import oidc/ or cas-server/.
   */
  clientOfReturn?: (url: string) => Promise<string | undefined>;
  /**
   * Where a browser goes when the upstream answered `error` to a login started for `returnTo`
   * (an OpenID interaction: the app receives the error), or null for the bridge's error page.
   */
  upstreamRefusalTo?: (returnTo: string, upstreamError: string) => Promise<string | null>;
  /** Where decided logins and logouts are reported (login-report.ts); none when absent. */
  observations?: Observations;
}
