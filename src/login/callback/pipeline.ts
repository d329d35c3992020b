/**
 * GET /sso/callback (OAuth2: `code` + `tenant`, plus `state` when the bridge started at the tenant
 * IdP) and GET /sso/cas (CAS 3.0: `tenant` + `ticket`) run the same table of checks, in order.
 * Only the query reader and the connector differ by protocol; a new login dialect adds a reader
 * and a connector, never a branch here. A check that answers the browser itself (a confirmation
 * page, an OpenID sign-in told of an upstream refusal) marks the attempt answered, and the rest of
 * the table does not run.
 */
import type { AppContext } from '../../http/state.js';
import { KbError } from '../../shared/errors.js';
import type { LoginProtocol } from '../../shared/identity.js';
import type { LoginDeps } from '../deps.js';
import type { CallbackCheck } from './attempt.js';
import { bindToBrowser, takePreLogin } from './bind-to-browser.js';
import { askTheIdp, grantedByTenant, loadTarget, redeemProofOnce, refuseUpstreamError, requireProof, requireTenant, sameTenantAtIdp, subscriptionActive } from './checks.js';
import { confirmUntiedIdentity } from './confirm-untied.js';
import { openSession } from './open-session.js';
import { newAttempt } from './readers.js';
import { factsOf, reportLogin } from '../login-report.js';

export const CALLBACK_CHECKS: readonly CallbackCheck[] = [
  takePreLogin, // the pre-login record is single-use, whatever happens next
  refuseUpstreamError,
  requireProof,
  bindToBrowser,
  requireTenant,
  loadTarget,
  subscriptionActive,
  redeemProofOnce, // before the IdP is asked: a replayed proof never reaches it
  askTheIdp,
  sameTenantAtIdp,
  grantedByTenant,
  confirmUntiedIdentity, // a code not tied to this browser asks before it switches identity or enters an app
  openSession,
];

export async function runCallback(deps: LoginDeps, ctx: AppContext, protocol: LoginProtocol): Promise<void> {
  const attempt = newAttempt(protocol, deps.connectors, ctx);
  try {
    for (const check of CALLBACK_CHECKS) {
      await check(deps, ctx, attempt);
      if (attempt.answered) {
        // The IdP's refusal handed back to an OpenID app is decided; the other answers decide nothing yet.
        if (attempt.upstreamError !== undefined) reportLogin(deps, ctx, factsOf(deps, attempt), new KbError('login_refused_upstream', 'refused upstream'));
        return;
      }
    }
  } catch (err) {
    reportLogin(deps, ctx, factsOf(deps, attempt), err);
    throw err;
  }
  reportLogin(deps, ctx, factsOf(deps, attempt));
}
