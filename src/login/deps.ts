import type { Config } from '../config/types.js';
import { sha256Base64url } from '../shared/hash.js';
import { KbError } from '../shared/errors.js';
import type { Clock } from '../shared/clock.js';
import type { Directory } from '../directory/directory.js';
import type { IdpClient } from '../connectors/idp-client.js';
import type { SessionStore } from '../sessions/session-store.js';
import type { UpstreamRefresh } from '../sessions/upstream-refresh.js';
import type { Keys } from '../store/keys.js';
import type { Store } from '../store/types.js';
import type { CookieNames } from '../http/cookies.js';
import { PRELOGIN_TTL_MS, type PreLogins } from './prelogin.js';

/** What the browser-login room is built from. */
export interface LoginDeps {
  config: Config;
  directory: Directory;
  sessions: SessionStore;
  refresh: UpstreamRefresh;
  preLogins: PreLogins;
  idp: IdpClient;
  store: Store;
  keys: Keys;
  clock: Clock;
  cookies: CookieNames;
  /** More URLs a login may return to: the OpenID provider's interaction URLs and its clients' redirect URIs. */
  isExtraReturnAllowed?: (url: string) => boolean;
}

export const callbackUrl = (deps: LoginDeps) => `${deps.config.publicUrl}/sso/callback`;
export const casServiceUrl = (deps: LoginDeps, tenantId: string) => `${deps.config.publicUrl}/sso/cas?tenant=${encodeURIComponent(tenantId)}`;
export const loggedOutUrl = (deps: LoginDeps) => `${deps.config.publicUrl}/sso/logged-out`;

/** `return_to` is honoured only when it is exactly one of the allowed URLs; anything else is ignored. */
export function allowedReturnTo(deps: LoginDeps, value: string | undefined): string | null {
  if (!value) return null;
  if (deps.config.login.allowedReturnUrls.includes(value)) return value;
  return deps.isExtraReturnAllowed?.(value) ? value : null;
}

/**
 * The tenant's IdP credentials for this bridge's app. Without KOO_APP_ID (development only) the
 * tenant's one app credential is used, whichever appId it has.
 */
export async function credentialsFor(deps: LoginDeps, tenantId: string) {
  const appId = deps.config.koo.appId ?? (await deps.directory.listApps(tenantId))[0]?.appId;
  return appId === undefined ? null : deps.directory.getCredentials(tenantId, appId);
}

/**
 * Marks an authorization code or CAS ticket as redeemed; a second callback carrying it is refused
 * whatever the IdP would do with it. The mark outlives the code (the pre-login lifetime).
 */
export async function redeemOnce(deps: LoginDeps, tenantId: string, kind: 'code' | 'ticket', value: string): Promise<void> {
  if (!(await deps.store.setIfAbsent(deps.keys.redeemed(tenantId, kind, sha256Base64url(value)), '1', PRELOGIN_TTL_MS))) {
    throw new KbError('login_replayed', 'this sign-in link was already used; please sign in again');
  }
}

/** The refusals every login route shares, worded once. */
export const unknownTenant = (tenantId: string) => new KbError('login_tenant_unknown', `organization ${JSON.stringify(tenantId)} is not known to this application`);
export const startedForAnotherTenant = () => new KbError('login_tenant_mismatch', 'the sign-in came back for another organization than the one it was started for');
