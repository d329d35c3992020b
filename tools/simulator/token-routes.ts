/**
 * The back channel of a tenant IdP's OAuth2 (spec §7): the token endpoint (code redemption and
 * refresh) and userinfo. Error bodies and statuses are the documented ones, so the bridge's
 * handling of each can be proven against them.
 */
import { findUser, type SimContext, type SimDeps } from './deps.js';
import { countCall, faultPoint } from './fault-point.js';
import type { TokenGrant } from './grants.js';
import type { IdpRouter } from './idp-router.js';
import { oauthError } from './oauth-error.js';
import { BodyError, readForm } from './read-body.js';
import { userInfo } from './userinfo.js';

const SCOPE = 'get_user_info';

function sendTokens(deps: SimDeps, ctx: SimContext, grant: Omit<TokenGrant, 'expiresAt'>): void {
  const { accessToken, refreshToken } = deps.grants.issueTokens(grant, !deps.omitRefreshToken);
  ctx.set('Cache-Control', 'no-store');
  ctx.set('Pragma', 'no-cache');
  ctx.body = {
    access_token: accessToken,
    token_type: 'Bearer',
    expires_in: deps.expiresInAsString ? String(deps.accessTokenTtlS) : deps.accessTokenTtlS,
    scope: SCOPE,
    ...(refreshToken ? { refresh_token: refreshToken } : {}),
  };
}

function redeemCode(deps: SimDeps, ctx: SimContext, form: URLSearchParams, clientId: string): void {
  const tenantId = ctx.state.tenant.tenantId;
  // Taken (consumed) on the first attempt by the right tenant, even if a later check fails.
  const grant = deps.grants.takeCode(form.get('code') ?? '', tenantId);
  if (!grant || grant.clientId !== clientId) return oauthError(ctx, 400, 'invalid_grant', 'Invalid authorization code');
  const redirectUri = form.get('redirect_uri');
  // Optional in the request (the unified login documents none); when sent, it must be the one the code was issued for.
  if (redirectUri !== null && redirectUri !== grant.redirectUri) {
    return oauthError(ctx, 400, 'invalid_grant', 'redirect_uri does not match the authorization request');
  }
  sendTokens(deps, ctx, { tenantId, userName: grant.userName, clientId });
}

function refresh(deps: SimDeps, ctx: SimContext, form: URLSearchParams, clientId: string): void {
  const tenantId = ctx.state.tenant.tenantId;
  const grant = deps.grants.takeRefreshToken(form.get('refresh_token') ?? '', tenantId);
  if (!grant || grant.clientId !== clientId) return oauthError(ctx, 400, 'invalid_grant', 'Invalid refresh token');
  // Rotation: a new access AND refresh token; the old refresh token is already gone. Access
  // tokens issued before stay valid until they expire, as at most OAuth servers.
  sendTokens(deps, ctx, { tenantId, userName: grant.userName, clientId });
}

export function addTokenRoutes(router: IdpRouter, deps: SimDeps): void {
  router.post(
    '/api/v1/oauth2/token',
    countCall(deps, 'tokenCalls'),
    async (ctx, next) => {
      try {
        ctx.state.form = await readForm(ctx.req);
      } catch (err) {
        return oauthError(ctx, 400, 'invalid_request', err instanceof BodyError ? err.message : 'unreadable body');
      }
      if (ctx.state.form.get('grant_type') === 'refresh_token') deps.stats.refreshCalls += 1;
      await next();
    },
    faultPoint(deps, 'token'),
    (ctx) => {
      const form = ctx.state.form!;
      const tenant = ctx.state.tenant;
      const clientId = form.get('client_id');
      // A plain comparison is fine for made-up secrets in a test double.
      if (clientId !== tenant.clientId || form.get('client_secret') !== tenant.clientSecret) {
        return oauthError(ctx, 401, 'invalid_client', 'Client authentication failed');
      }
      const grantType = form.get('grant_type');
      if (grantType === 'authorization_code') return redeemCode(deps, ctx, form, clientId);
      if (grantType === 'refresh_token') return refresh(deps, ctx, form, clientId);
      return oauthError(ctx, 400, 'unsupported_grant_type', 'grant_type must be authorization_code or refresh_token');
    },
  );

  router.get('/api/v1/oauth2/userinfo', countCall(deps, 'userinfoCalls'), faultPoint(deps, 'userinfo'), (ctx) => {
    const tenant = ctx.state.tenant;
    const match = /^Bearer[ ]+(\S+)\s*$/i.exec(ctx.get('authorization'));
    const grant = match ? deps.grants.accessToken(match[1]!, tenant.tenantId) : undefined;
    const user = grant ? findUser(tenant, grant.userName) : undefined;
    if (!user) {
      ctx.set('WWW-Authenticate', `Bearer error="invalid_token"`);
      return oauthError(ctx, 401, 'unauthorized', match ? 'Invalid or expired access token' : 'Missing access token');
    }
    ctx.set('Cache-Control', 'no-store');
    ctx.body = userInfo(tenant, user);
  });
}
