/**
 * GET /sso/login — starts a login: to KooGallery's unified login page without a tenant, or
 * straight to the tenant's IdP (OAuth2 authorize, or CAS login with `protocol=cas`).
 */
import { KbError } from '../shared/errors.js';
import type { AppContext } from '../http/state.js';
import { allowedReturnTo, callbackUrl, casServiceUrl, credentialsFor, unknownTenant, type LoginDeps } from './deps.js';
import { loginQuery, parseQuery } from './query.js';

export async function startLogin(deps: LoginDeps, ctx: AppContext): Promise<void> {
  const query = parseQuery(loginQuery, ctx.query);
  const returnTo = allowedReturnTo(deps, query.return_to);
  if (query.return_to && !returnTo) ctx.state.log.warn({ returnTo: query.return_to.slice(0, 200) }, 'return_to not on the allow-list; ignored');

  if (!query.tenant) {
    await deps.preLogins.start(ctx, { tenantId: null, protocol: 'oauth2', returnTo, withState: false });
    const base = deps.config.login.unifiedLoginUrl;
    // The real page keeps its query inside the hash fragment, so this is string concatenation.
    ctx.redirect(`${base}${base.includes('?') ? '&' : '?'}ind=UNOP&appId=${encodeURIComponent(deps.config.koo.appId ?? '')}`);
    return;
  }

  const tenantId = query.tenant;
  const tenant = await deps.directory.getTenant(tenantId);
  if (!tenant || !tenant.domainName) throw unknownTenant(tenantId);

  if (query.protocol === 'cas') {
    await deps.preLogins.start(ctx, { tenantId, protocol: 'cas', returnTo, withState: false });
    ctx.redirect(deps.idp.casLoginUrl(tenant.domainName, casServiceUrl(deps, tenantId)));
    return;
  }
  const creds = await credentialsFor(deps, tenantId);
  if (!creds) throw new KbError('login_no_credentials', `organization ${JSON.stringify(tenantId)} has no app credentials yet; KooGallery sends them when the app is bound`);
  const pre = await deps.preLogins.start(ctx, { tenantId, protocol: 'oauth2', returnTo, withState: true });
  ctx.redirect(deps.idp.authorizeUrl(creds.domainName, { clientId: creds.clientId, redirectUri: callbackUrl(deps), state: pre.state! }));
}
