/**
 * The browser side of a tenant IdP's OAuth2 (spec §7, "aPaaS authorize" and "logout"): the
 * workbench sends the browser to `authorize`; a signed-in browser comes straight back to the
 * merchant with a code, others see the tenant's login page first.
 */
import type { SimContext, SimDeps } from './deps.js';
import { faultPoint } from './fault-point.js';
import type { Login } from './grants.js';
import { messagePage, sendHtml } from './html.js';
import { queryParam, type IdpRouter } from './idp-router.js';
import { oauthError } from './oauth-error.js';
import { appendQuery, isHttpUrl } from './redirect-url.js';
import { currentLogin, endSso, showLoginForm, signInFromForm } from './sign-in.js';

interface AuthorizeRequest {
  clientId: string;
  redirectUri: string;
  state: string | undefined;
}

/** Checks the query of an authorize request; answers the error itself and returns undefined when it fails. */
function authorizeRequest(ctx: SimContext): AuthorizeRequest | undefined {
  const tenant = ctx.state.tenant;
  const clientId = queryParam(ctx.query.client_id);
  const redirectUri = queryParam(ctx.query.redirect_uri);
  if (clientId !== tenant.clientId) {
    oauthError(ctx, 400, 'invalid_client', 'Unknown client_id');
    return undefined;
  }
  // Checked before response_type: an error must never be redirected to an address we cannot trust.
  if (!isHttpUrl(redirectUri)) {
    oauthError(ctx, 400, 'invalid_request', 'redirect_uri must be an absolute http(s) URL');
    return undefined;
  }
  if (queryParam(ctx.query.response_type) !== 'code') {
    oauthError(ctx, 400, 'unsupported_response_type', 'response_type must be code');
    return undefined;
  }
  return { clientId, redirectUri, state: queryParam(ctx.query.state) };
}

function redirectWithCode(deps: SimDeps, ctx: SimContext, req: AuthorizeRequest, login: Login): void {
  const code = deps.grants.issueCode(login, req.clientId, req.redirectUri);
  // `state` only when the client sent one; `tenant` always, as the unified login does.
  ctx.redirect(appendQuery(req.redirectUri, { code, state: req.state, tenant: login.tenantId }));
}

export function addOAuthBrowserRoutes(router: IdpRouter, deps: SimDeps): void {
  const authorize = '/api/v1/oauth2/authorize';

  router.get(authorize, faultPoint(deps, 'authorize'), (ctx) => {
    const req = authorizeRequest(ctx);
    if (!req) return;
    const login = currentLogin(deps, ctx, ctx.state.tenant);
    if (login) redirectWithCode(deps, ctx, req, login);
    else showLoginForm(ctx, ctx.state.tenant);
  });

  // The login page posts back to the authorize URL itself, so the query still carries the request.
  router.post(authorize, faultPoint(deps, 'authorize'), async (ctx) => {
    const req = authorizeRequest(ctx);
    if (!req) return;
    const login = await signInFromForm(deps, ctx);
    if (login) redirectWithCode(deps, ctx, req, login);
  });

  router.get('/api/v1/logout', faultPoint(deps, 'logout'), (ctx) => {
    const target = queryParam(ctx.query.redirect_url);
    endSso(deps, ctx, ctx.state.tenant.tenantId);
    if (isHttpUrl(target)) ctx.redirect(target);
    else if (target === undefined) sendHtml(ctx, 200, messagePage('Signed out', `You are signed out of ${ctx.state.tenant.name}.`));
    else sendHtml(ctx, 400, messagePage('Signed out', 'You are signed out, but redirect_url is not an absolute http(s) URL.'));
  });
}
