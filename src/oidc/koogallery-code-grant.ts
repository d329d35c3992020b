/**
 * The WebView way of KooGallery's native login (spec §7, flow 5) at the token endpoint: a
 * registered native app whose embedded WebView caught the unified login page's callback posts
 *
 *   grant_type=urn:koobridge:params:oauth:grant-type:koogallery-code&client_id=…&code=…&tenant=…[&scope=…]
 *
 * and gets the bridge's own tokens (ID token, access token, refresh token with offline_access).
 * The KooGallery code is redeemed here, exactly once, at the tenant IdP with the tenant's
 * credentials (injected `exchange`, built by login/ from the browser callback's checks); the app
 * never sees a KooGallery token or secret. Only clients listing the grant in `grant_types` reach
 * this handler (oidc-provider checks; clients.ts lets only native first-party apps list it), and
 * the tenant must be one the client allows. Trade-offs: README, "Native and desktop apps".
 */
import type { FindAccount, KoaContextWithOIDC, Provider, TokenEndpointGrantContext } from 'oidc-provider';
import { errors } from './library.js';
import { KbError } from '../shared/errors.js';
import { isTenantId } from '../shared/identifiers.js';
import { accountIdOf, CLAIMS_BY_SCOPE } from './account.js';
import { tenantAllowed, type ClientPolicy } from './client-policy.js';
import { KOOGALLERY_CODE_GRANT } from './grant-type-names.js';

/**
 * Turns a KooGallery code of a tenant into an authorized user, or throws the coded refusal;
 * `clientId` (the authenticated app asking) is reported with the login.
 */
export type KooGalleryCodeExchange = (tenantId: string, code: string, clientId: string) => Promise<{ tenantId: string; userName: string }>;

export interface CodeGrantDeps {
  exchange: KooGalleryCodeExchange;
  policies: Map<string, ClientPolicy>;
  findAccount: FindAccount;
}

const KNOWN_SCOPES = new Set([...Object.keys(CLAIMS_BY_SCOPE), 'offline_access']);
const PARAMS = ['code', 'tenant', 'scope'] as const;
type Params = { code?: string; tenant?: string };

/** invalid_grant saying why (oidc-provider's own keeps a fixed description): the app shows the user the reason. */
const invalidGrant = (description: string): Error => Object.assign(new errors.InvalidGrant(), { error_description: description });

/** Refusals of the exchange that are the caller's (the code, the tenant, the user): invalid_grant. Others are ours. */
function asOAuthError(err: unknown): Error {
  if (!(err instanceof KbError)) return err as Error;
  if (err.code === 'invalid_parameter') return new errors.InvalidRequest(err.publicMessage);
  if (err.code === 'store_unavailable' || err.code === 'internal' || err.code === 'config_invalid') return err;
  return invalidGrant(err.publicMessage);
}

export function registerKooGalleryCodeGrant(provider: Provider, deps: CodeGrantDeps): void {
  provider.registerGrantType<Params>(KOOGALLERY_CODE_GRANT, async (ctx: TokenEndpointGrantContext<Params>) => {
    const { client, params } = ctx.oidc;
    const code = params.code;
    const tenantId = params.tenant;
    if (!code) throw new errors.InvalidRequest('missing required parameter code');
    if (!tenantId) throw new errors.InvalidRequest('missing required parameter tenant');
    if (!isTenantId(tenantId)) throw invalidGrant('tenant is not a KooGallery tenant id');
    // Before the code is spent: an organization this app may not serve never reaches the IdP.
    if (!tenantAllowed(deps.policies.get(client.clientId), tenantId)) throw invalidGrant(`organization ${tenantId} may not use this application`);

    const scopes = new Set(['openid', ...String(params.scope ?? '').split(' ').filter(Boolean)]);
    const unknown = [...scopes].filter((s) => !KNOWN_SCOPES.has(s));
    if (unknown.length) throw new errors.InvalidScope('requested scope is not supported', unknown.join(' '));
    const scope = [...scopes].join(' ');

    let identity: { tenantId: string; userName: string };
    try {
      identity = await deps.exchange(tenantId, code, client.clientId);
    } catch (err) {
      throw asOAuthError(err);
    }
    const accountId = accountIdOf(identity.tenantId, identity.userName);
    const account = await deps.findAccount(ctx as KoaContextWithOIDC, accountId);
    if (!account) throw invalidGrant('the user is not authorized for this application');
    ctx.oidc.entity('Account', account);

    const { Grant, AccessToken, RefreshToken, IdToken } = ctx.oidc.provider;
    // First-party apps only (clients.ts): the grant is what they asked for, as loadExistingGrant does.
    const grant = new Grant({ accountId, clientId: client.clientId });
    grant.addOIDCScope(scope);
    const grantId = await grant.save();
    ctx.oidc.entity('Grant', grant);
    const authTime = Math.floor(Date.now() / 1000);
    const amr = ['oauth2'];

    const at = new AccessToken({ accountId, client, grantId, gty: KOOGALLERY_CODE_GRANT, scope });
    ctx.oidc.entity('AccessToken', at);
    const accessToken = await at.save();

    let refreshToken: string | undefined;
    if (scopes.has('offline_access') && client.grantTypeAllowed('refresh_token')) {
      const rt = new RefreshToken({ accountId, client, grantId, gty: KOOGALLERY_CODE_GRANT, scope, authTime, amr, rotations: 0 });
      ctx.oidc.entity('RefreshToken', rt);
      refreshToken = await rt.save();
    }

    const idToken = new IdToken({ ...(await account.claims('id_token', scope, {}, [])), sub: accountId, auth_time: authTime, amr }, { ctx });
    // What the ID token may carry: the claims of these scopes (the same filter as the code flow's).
    (idToken as unknown as { scope: string }).scope = scope;
    const idTokenValue = await idToken.issue({ use: 'idtoken' });

    ctx.body = {
      access_token: accessToken,
      expires_in: at.expiration,
      id_token: idTokenValue,
      ...(refreshToken ? { refresh_token: refreshToken } : {}),
      scope,
      token_type: at.tokenType,
    };
  }, [...PARAMS]);
}

/**
 * oidc-provider answers a grant type the client did not register with invalid_request; RFC 6749
 * §5.2 names that unauthorized_client, which is what a native app should be told for this grant.
 */
export function unauthorizedClientForCodeGrant() {
  return async (ctx: KoaContextWithOIDC, next: () => Promise<void>) => {
    await next();
    const body = ctx.body as { error?: string; error_description?: string } | undefined;
    if (ctx.oidc?.route === 'token' && ctx.oidc.params?.grant_type === KOOGALLERY_CODE_GRANT && body?.error === 'invalid_request' && body.error_description === 'requested grant type is not allowed for this client') {
      body.error = 'unauthorized_client';
    }
  };
}
