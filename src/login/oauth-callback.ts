/**
 * GET /sso/callback — the callback registered with KooGallery: `code` + `tenant` (or `tenant_id`),
 * plus `state` when the bridge started the flow at the tenant's IdP.
 *
 * Three cases, told apart by the browser's pre-login record:
 *  - we started at the tenant IdP: the state must match, the tenant must be the one we sent;
 *  - we started at the unified login page (no state comes back): any tenant, no state expected;
 *  - no record and no state: an IdP-initiated login (the workbench tile), accepted only when
 *    KOO_IDP_INITIATED is on, and then it lands on LOGIN_LANDING_URL, never on a URL from the request.
 */
import { KbError } from '../shared/errors.js';
import type { AppContext } from '../http/state.js';
import { completeLogin } from './complete-login.js';
import { callbackUrl, credentialsFor, redeemOnce, startedForAnotherTenant, unknownTenant, type LoginDeps } from './deps.js';
import { sameSecret } from '../shared/hash.js';
import { callbackQuery, parseQuery } from './query.js';

export async function oauthCallback(deps: LoginDeps, ctx: AppContext): Promise<void> {
  const query = parseQuery(callbackQuery, ctx.query);
  const pre = await deps.preLogins.take(ctx);
  if (query.error) {
    throw new KbError('login_refused_upstream', `your organization's sign-in did not complete (${query.error.slice(0, 64)})`);
  }
  if (!query.code) throw new KbError('invalid_parameter', 'code: is required', { details: { field: 'code' } });

  let returnTo: string | null = null;
  let redirectUri: string | undefined;
  let tenantId = query.tenant ?? query.tenant_id;
  if (pre && pre.protocol === 'oauth2' && pre.state !== null) {
    if (!query.state || !sameSecret(query.state, pre.state)) {
      throw new KbError('login_state_invalid', 'the sign-in response does not match the sign-in this browser started; please sign in again');
    }
    if (tenantId !== undefined && tenantId !== pre.tenantId) throw startedForAnotherTenant();
    tenantId = pre.tenantId!;
    redirectUri = callbackUrl(deps);
    returnTo = pre.returnTo;
  } else if (query.state) {
    // A state we did not issue to this browser (forged, expired, or another browser's).
    throw new KbError('login_state_invalid', 'this sign-in has expired or was started in another browser; please sign in again');
  } else if (pre && pre.protocol === 'oauth2') {
    returnTo = pre.returnTo; // started at the unified login page
  } else if (!deps.config.login.idpInitiated) {
    throw new KbError('login_idp_initiated_disabled', 'sign-in must be started from the application (IdP-initiated sign-in is disabled)');
  }
  if (!tenantId) throw new KbError('invalid_parameter', 'tenant: is required', { details: { field: 'tenant' } });

  const creds = await credentialsFor(deps, tenantId);
  if (!creds) {
    const known = await deps.directory.getTenant(tenantId);
    if (!known) throw unknownTenant(tenantId);
    throw new KbError('login_no_credentials', `organization ${JSON.stringify(tenantId)} has no app credentials yet`);
  }

  await redeemOnce(deps, tenantId, 'code', query.code);
  const tokens = await deps.idp.exchangeCode(creds, { code: query.code, ...(redirectUri ? { redirectUri } : {}) });
  const idpUser = await deps.idp.userinfo(creds.domainName, tokens.accessToken);
  await completeLogin(deps, ctx, {
    tenantId,
    idpUser,
    method: 'oauth2',
    upstream: { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresAt: tokens.expiresAt },
    returnTo,
  });
}
