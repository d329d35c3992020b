/**
 * GET /sso/login — starts a login: to KooGallery's unified login page without a tenant, or
 * straight to the tenant's IdP through its connector (OAuth2 authorize, or CAS login with
 * `protocol=cas`).
 */
import type { AppContext } from '../http/state.js';
import type { LoginDeps } from './deps.js';
import { validate } from '../http/guard.js';
import { loginQuery } from './query.js';
import { inactiveSubscription, noCredentials, noSignInAddress, unknownTenant } from './refusals.js';
import { CALLBACK_READERS } from './callback/readers.js';
import { allowedReturnTo } from './urls.js';

export async function startLogin(deps: LoginDeps, ctx: AppContext): Promise<void> {
  const { settings } = deps;
  const query = validate(loginQuery, ctx.query);
  const returnTo = allowedReturnTo(settings, query.return_to, deps.isExtraReturnAllowed);
  if (query.return_to && !returnTo) ctx.state.log.warn({ returnTo: query.return_to.slice(0, 200) }, 'return_to not on the allow-list; ignored');

  if (!query.tenant) {
    await deps.preLogins.start(ctx, { tenantId: null, protocol: 'oauth2', returnTo, withState: false });
    const base = settings.unifiedLoginUrl;
    // The real page keeps its query inside the hash fragment, so this is string concatenation.
    ctx.redirect(`${base}${base.includes('?') ? '&' : '?'}ind=UNOP&appId=${encodeURIComponent(settings.appId ?? '')}`);
    return;
  }

  const tenantId = query.tenant;
  const connector = deps.connectors[query.protocol];
  const target = await deps.directory.getLoginTarget(tenantId);
  if (target === null) throw unknownTenant(tenantId);
  if (!target.tenant.domainName) throw noSignInAddress(tenantId);
  if (connector.needsCredentials && target.credentials === null) throw noCredentials(tenantId);
  const inactive = inactiveSubscription(target.subscription.state);
  if (inactive) throw inactive;

  const reader = CALLBACK_READERS[connector.protocol];
  const pre = await deps.preLogins.start(ctx, { tenantId, protocol: connector.protocol, returnTo, withState: reader.bindsWithState });
  const returnUrl = reader.startReturnUrl(settings, tenantId);
  ctx.redirect(connector.loginUrl({ domainName: target.tenant.domainName, credentials: target.credentials }, { returnUrl, state: pre.state }));
}
