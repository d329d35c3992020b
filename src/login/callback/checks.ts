/**
 * The checks between the browser binding and the session, each small and named for the rule it
 * enforces (the shape of node-oidc-provider's authorization checks). Each throws the coded refusal
 * the browser's error page explains.
 */
import { isAuthorized } from '../../directory/records.js';
import { KbError } from '../../shared/errors.js';
import { sameSecret } from '../../shared/hash.js';
import { redeemOnce } from '../redeem-once.js';
import { inactiveSubscription, noCredentials, noSignInAddress, unknownTenant } from '../refusals.js';
import type { CallbackCheck } from './attempt.js';

/**
 * An `error` instead of a proof. A login started for an OpenID interaction (bound to this browser
 * by its pre-login record and, at the tenant IdP, by state) ends at the app with that error;
 * any other ends on the bridge's error page.
 */
export const refuseUpstreamError: CallbackCheck = async (deps, ctx, attempt) => {
  if (attempt.upstreamError !== undefined) {
    const pre = attempt.preLogin?.protocol === attempt.protocol ? attempt.preLogin : null;
    const bound = pre !== null && (pre.state === null ? !attempt.state : !!attempt.state && sameSecret(attempt.state, pre.state));
    // Only a login this browser started is reported as its app's (its client or service).
    if (bound) attempt.clientId = pre.clientId;
    const to = bound && pre.returnTo && deps.upstreamRefusalTo ? await deps.upstreamRefusalTo(pre.returnTo, attempt.upstreamError) : null;
    if (to) {
      ctx.redirect(to);
      attempt.answered = true;
      return;
    }
    throw new KbError('login_refused_upstream', `your organization's sign-in did not complete (${attempt.upstreamError.slice(0, 64)})`);
  }
};

/**
 * A callback without a proof (and without an `error`, answered above) is a bookmarked or stripped
 * callback URL, or a CAS `gateway` return: nothing to redeem, so a login starts instead — for the
 * tenant the URL names, if any. A CAS callback also needs its tenant (see requireTenant).
 */
export const requireProof: CallbackCheck = (deps, ctx, attempt) => {
  if (attempt.proof) return;
  if (attempt.protocol === 'cas' && !attempt.tenantId) throw casWithoutTenant(deps.settings.publicUrl);
  const params = new URLSearchParams();
  if (attempt.tenantId) params.set('tenant', attempt.tenantId);
  if (attempt.protocol !== 'oauth2' && attempt.tenantId) params.set('protocol', attempt.protocol);
  const query = params.toString();
  ctx.redirect(`/sso/login${query ? `?${query}` : ''}`);
  attempt.answered = true;
};

/** The CAS service URL registered for the app carries the tenant; without it we cannot tell whose ticket this is. */
const casWithoutTenant = (publicUrl: string) =>
  new KbError(
    'invalid_parameter',
    'this sign-in link is missing which organization it is for (its tenant). Open the application again from your organization’s workbench; ' +
      `if this keeps happening, ask your administrator to register the CAS service URL with the tenant in it: ${publicUrl}/sso/cas?tenant=(the tenant id)`,
    { details: { field: 'tenant' } },
  );

export const requireTenant: CallbackCheck = (deps, _ctx, attempt) => {
  if (attempt.tenantId) return;
  if (attempt.protocol === 'cas') throw casWithoutTenant(deps.settings.publicUrl);
  throw new KbError('invalid_parameter', 'tenant: is required', { details: { field: 'tenant' } });
};

/** One directory read: the tenant, its IdP address and this app's credentials. */
export const loadTarget: CallbackCheck = async (deps, _ctx, attempt) => {
  const tenantId = attempt.tenantId!;
  const target = await deps.directory.getLoginTarget(tenantId);
  if (target === null) throw unknownTenant(tenantId);
  if (attempt.connector.needsCredentials && target.credentials === null) throw noCredentials(tenantId);
  if (!target.tenant.domainName) throw noSignInAddress(tenantId);
  attempt.target = target;
};

/** What the tenant bought must be usable: not frozen, not released, not still on its way. */
export const subscriptionActive: CallbackCheck = (_deps, _ctx, attempt) => {
  const refusal = inactiveSubscription(attempt.target!.subscription.state);
  if (refusal) throw refusal;
};

export const redeemProofOnce: CallbackCheck = async (deps, _ctx, attempt) => {
  await redeemOnce(deps, attempt.tenantId!, attempt.proofField, attempt.proof!);
};

export const askTheIdp: CallbackCheck = async (_deps, _ctx, attempt) => {
  const { tenant, credentials } = attempt.target!;
  attempt.result = await attempt.connector.handleCallback(
    { domainName: tenant.domainName, credentials },
    { proof: attempt.proof!, returnUrl: attempt.returnUrl },
  );
};

/**
 * The IdP's own word on the tenant (when it gives one) must agree with the callback's. KooGallery
 * documents userinfo `tenant` as the tenant id (the aPaaS domainId); Huawei OrgID as the enterprise
 * code: either names this tenant (its tenantId or its tenantCode from tenantSync); anything else is refused.
 */
export const sameTenantAtIdp: CallbackCheck = (_deps, _ctx, attempt) => {
  const said = attempt.result!.identity.tenant;
  const { tenantId, tenantCode } = attempt.target!.tenant;
  if (said !== null && said !== tenantId && !(tenantCode !== '' && said === tenantCode)) {
    throw new KbError('login_tenant_mismatch', 'the account you signed in with belongs to another organization than the one this sign-in was for');
  }
};

/** The directory (authSync) says whether the user may use the app: granted, not cancelled, enabled. */
export const grantedByTenant: CallbackCheck = async (deps, _ctx, attempt) => {
  const user = await deps.directory.getUser(attempt.tenantId!, attempt.result!.identity.userName);
  if (user === null) throw new KbError('login_user_not_authorized', 'your organization has not granted you access to this application; ask your administrator');
  if (user.status === 'cancelled') throw new KbError('login_user_not_authorized', 'your access to this application was withdrawn by your organization');
  if (!isAuthorized(user)) throw new KbError('login_user_not_authorized', 'your account is disabled for this application; ask your administrator');
  attempt.user = user;
};
