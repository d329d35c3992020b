/** What every tenant-IdP client is built with; each call then takes the tenant's own address. */
import type { Observations } from '../shared/observations.js';
import type { UserinfoDialect } from './userinfo-dialects.js';

export interface IdpClientOptions {
  /** Deadline of each IdP call, DNS to last byte. */
  timeoutMs: number;
  /** Development only: allows http:// IdPs and private addresses. */
  allowInsecure: boolean;
  /** Clock for TokenSet.expiresAt; Date.now by default. */
  now?: () => number;
  /** Userinfo dialects, tried in order; DEFAULT_DIALECTS (OrgID snake_case, then OneAccess). */
  dialects?: readonly UserinfoDialect[];
  /** Where each call is reported (`idp_call`); none by default. */
  observations?: Observations;
}
