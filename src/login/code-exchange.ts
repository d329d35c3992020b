/**
 * A KooGallery `code` + `tenant` turned into an authorized identity without a browser: what a
 * registered native app hands the OpenID provider after its WebView caught the unified login
 * page's callback (koogallery-code-grant in oidc/). The same checks as the browser callback, in the
 * same order, minus the browser's (pre-login, state, session, confirmation): the tenant is known and
 * has credentials, its subscription is usable, the code is redeemed once before the IdP is asked
 * (with the tenant's credentials, server-side), the IdP agrees on the tenant, the directory grants
 * the user. No bridge session is created: the caller issues its own tokens.
 */
import type { AppContext } from '../http/state.js';
import type { LoginDeps } from './deps.js';
import { UNCHECKED, type CallbackAttempt, type CallbackCheck } from './callback/attempt.js';
import { reportLogin } from './login-report.js';
import { askTheIdp, grantedByTenant, loadTarget, redeemProofOnce, requireProof, requireTenant, sameTenantAtIdp, subscriptionActive } from './callback/checks.js';

export const CODE_EXCHANGE_CHECKS: readonly CallbackCheck[] = [
  requireProof,
  requireTenant,
  loadTarget,
  subscriptionActive,
  redeemProofOnce, // before the IdP is asked: a replayed code never reaches it
  askTheIdp,
  sameTenantAtIdp,
  grantedByTenant,
];

/** The checks above never read the browser's context: there is none. */
const NO_BROWSER = undefined as unknown as AppContext;

export interface ExchangedIdentity {
  tenantId: string;
  userName: string;
}

/** `clientId`: the native app (an OpenID client the provider authenticated) the exchange is for, reported on the login. */
export type KooGalleryCodeExchange = (tenantId: string, code: string, clientId?: string) => Promise<ExchangedIdentity>;

/** Throws the coded refusal (KbError) of the first check that fails. */
export function createCodeExchange(deps: LoginDeps): KooGalleryCodeExchange {
  return async (tenantId, code, clientId) => {
    const attempt: CallbackAttempt = {
      protocol: 'oauth2',
      connector: deps.connectors.oauth2,
      tenantId,
      proof: code,
      proofField: 'code',
      state: undefined,
      upstreamError: undefined,
      // No browser, hence no previous session; and a unified-login code was issued without a
      // redirect_uri of ours, so none goes to the token endpoint (returnUrl stays undefined).
      ...UNCHECKED,
      previous: null,
    };
    try {
      for (const check of CODE_EXCHANGE_CHECKS) await check(deps, NO_BROWSER, attempt);
    } catch (err) {
      reportLogin(deps, undefined, { method: 'native', tenantId: attempt.target?.tenant.tenantId ?? tenantId, userName: attempt.user?.userName ?? attempt.result?.identity.userName, clientId }, err);
      throw err;
    }
    const identity = { tenantId: attempt.target!.tenant.tenantId, userName: attempt.user!.userName };
    reportLogin(deps, undefined, { method: 'native', ...identity, clientId });
    return identity;
  };
}
