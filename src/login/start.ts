/**
 * GET /sso/login — starts a login: to KooGallery's unified login page without a tenant, or
 * straight to the tenant's IdP through its connector (OAuth2 authorize, or CAS login with
 * `protocol=cas`).
 *
 * A returning browser (one that remembers the organization it last signed in with, see
 * remembered-tenant.ts) goes to that tenant's IdP with a `state` instead of the unified page: its
 * callback is then tied to this browser and needs no confirmation (see callback/confirm-untied.ts).
 * `unified=1` ("use another organization") asks for the unified page anyway.
 */
import type { AppContext } from '../http/state.js';
import type { KbError } from '../shared/errors.js';
import type { LoginTarget } from '../directory/login-target.js';
import type { Connector } from '../connectors/connector.js';
import type { LoginDeps } from './deps.js';
import { validate } from '../http/guard.js';
import { loginQuery } from './query.js';
import { inactiveSubscription, noCredentials, noSignInAddress, unknownTenant } from './refusals.js';
import { CALLBACK_READERS } from './callback/readers.js';
import { clientOfReturnTo } from './login-report.js';
import { rememberedTenant } from './remembered-tenant.js';
import { allowedReturnTo } from './urls.js';
import { originalUrl } from './original-url.js';

export async function startLogin(deps: LoginDeps, ctx: AppContext): Promise<void> {
  const { settings } = deps;
  const query = validate(loginQuery, ctx.query);
  // Without return_to, the page the proxy in front says the browser asked for (TRUST_PROXY=1 only).
  const fromProxy = query.return_to ? undefined : originalUrl(ctx, settings.trustProxy);
  const returnTo = allowedReturnTo(settings, query.return_to ?? fromProxy, deps.isExtraReturnAllowed);
  if (query.return_to && !returnTo) ctx.state.log.warn({ returnTo: query.return_to.slice(0, 200) }, 'return_to not on the allow-list; ignored');
  // Resolved once, here: the pre-login record carries it to the callback's login report.
  const clientId = await clientOfReturnTo(deps, returnTo);

  if (!query.tenant) {
    const remembered = query.unified ? null : rememberedTenant(deps, ctx);
    const connector = deps.connectors.oauth2;
    const target = remembered === null ? null : await deps.directory.getLoginTarget(remembered);
    // A remembered organization that can no longer sign in is forgotten quietly: the unified page decides.
    if (target !== null && whyNot(target, connector) === null) {
      await toTenantIdp(deps, ctx, connector, target, returnTo, clientId);
      return;
    }
    await deps.preLogins.start(ctx, { tenantId: null, protocol: 'oauth2', returnTo, clientId, withState: false });
    const base = settings.unifiedLoginUrl;
    // The real page keeps its query inside the hash fragment, so this is string concatenation.
    ctx.redirect(`${base}${base.includes('?') ? '&' : '?'}ind=UNOP&appId=${encodeURIComponent(settings.appId ?? '')}`);
    return;
  }

  const tenantId = query.tenant;
  const connector = deps.connectors[query.protocol];
  const target = await deps.directory.getLoginTarget(tenantId);
  if (target === null) throw unknownTenant(tenantId);
  const refusal = whyNot(target, connector);
  if (refusal) throw refusal;
  await toTenantIdp(deps, ctx, connector, target, returnTo, clientId);
}

/** Why this tenant cannot sign in through this connector now, or null. */
function whyNot(target: LoginTarget, connector: Connector): KbError | null {
  const tenantId = target.tenant.tenantId;
  if (!target.tenant.domainName) return noSignInAddress(tenantId);
  if (connector.needsCredentials && target.credentials === null) return noCredentials(tenantId);
  return inactiveSubscription(target.subscription.state);
}

async function toTenantIdp(deps: LoginDeps, ctx: AppContext, connector: Connector, target: LoginTarget, returnTo: string | null, clientId: string | undefined): Promise<void> {
  const tenantId = target.tenant.tenantId;
  const reader = CALLBACK_READERS[connector.protocol];
  const pre = await deps.preLogins.start(ctx, { tenantId, protocol: connector.protocol, returnTo, clientId, withState: reader.bindsWithState });
  const returnUrl = reader.startReturnUrl(deps.settings, tenantId);
  ctx.redirect(connector.loginUrl({ domainName: target.tenant.domainName, credentials: target.credentials }, { returnUrl, state: pre.state }));
}
