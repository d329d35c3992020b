/**
 * The OpenID provider the merchant's apps talk to (oidc-provider), issuer `${PUBLIC_URL}/oidc`.
 * Everything marketplace-specific stays behind it: login is the bridge's KooGallery login
 * (interactions.ts), accounts and claims come from the directory (account.ts), state lives in the
 * store (adapter.ts), signing keys are ours (signing-keys.ts).
 */
import { hkdfSync } from 'node:crypto';
import type { Configuration, KoaContextWithOIDC } from 'oidc-provider';
import { Provider } from './library.js';
import type { Directory } from '../directory/directory.js';
import { CLAIMS_BY_SCOPE, createFindAccount } from './account.js';
import type { ClientPolicy } from './client-policy.js';
import { oidcErrorPage, logoutPage, postLogoutPage } from './pages.js';
import { AUTHORIZATION_CODE_TTL_S, INTERACTION_TTL_S } from './interaction-params.js';
import { loginPolicyWithTenantCheck } from './tenant-check.js';
import { registerKooGalleryCodeGrant, unauthorizedClientForCodeGrant, type KooGalleryCodeExchange } from './koogallery-code-grant.js';

export interface OidcSettings {
  accessTokenTtlS: number;
  idTokenTtlS: number;
  refreshTokenTtlS: number;
  sessionTtlS: number;
}

export interface ProviderDeps {
  publicUrl: string;
  directory: Directory;
  adapter: Configuration['adapter'];
  policies: Map<string, ClientPolicy>;
  jwks: { keys: object[] };
  secretKeys: string[];
  settings: OidcSettings;
  /** Cookies Secure when PUBLIC_URL is https. */
  secure: boolean;
  trustProxy: boolean;
  /** Redeems a KooGallery code for a native app's WebView exchange (koogallery-code-grant.ts); absent: the grant is not offered. */
  exchangeKooGalleryCode?: KooGalleryCodeExchange;
}


/** Cookie signing keys derived from SECRET_KEYS, so rotating those rotates these (first signs, all verify). */
export const cookieKeys = (secretKeys: string[]) =>
  secretKeys.map((k) => Buffer.from(hkdfSync('sha256', Buffer.from(k, 'base64'), Buffer.alloc(0), 'koobridge oidc cookies', 32)).toString('base64url'));

export function createProvider(deps: ProviderDeps): Provider {
  const { settings } = deps;
  const policyOf = (clientId: string | undefined) => (clientId ? deps.policies.get(clientId) : undefined);

  const configuration: Configuration = {
    // No static `clients`: they come from the adapter's Client model (client-registry.ts), so they can change.
    adapter: deps.adapter,
    findAccount: createFindAccount(deps.directory) as Configuration['findAccount'],
    claims: Object.fromEntries(Object.entries(CLAIMS_BY_SCOPE).map(([scope, claims]) => [scope, [...claims]])),
    scopes: ['openid', 'offline_access', 'profile', 'email', 'phone', 'tenant'],
    responseTypes: ['code'],
    // Apps read the user from the ID token (the sample app does): scope claims go into it as well
    // as into userinfo, instead of only into userinfo when an access token is issued.
    conformIdTokenClaims: false,
    // `tenant` picks the KooGallery organization to sign in with (also accepted: login_hint=tenant:ID).
    extraParams: ['tenant'],
    clientDefaults: {
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      id_token_signed_response_alg: 'ES256',
    },
    enabledJWA: { idTokenSigningAlgValues: ['ES256', 'EdDSA'] },
    // S256 is the only method oidc-provider 9 accepts; it is required of public clients.
    pkce: { required: (_ctx, client) => client.clientAuthMethod === 'none' },
    features: {
      devInteractions: { enabled: false },
      introspection: { enabled: true },
      revocation: { enabled: true },
      backchannelLogout: { enabled: true },
      rpInitiatedLogout: { enabled: true, logoutSource: logoutPage, postLogoutSuccessSource: postLogoutPage },
    },
    interactions: { url: (_ctx, interaction) => `/oidc/interaction/${interaction.uid}`, policy: loginPolicyWithTenantCheck(deps.policies) },
    // First-party apps skip consent: their grant is created here with what they asked for.
    async loadExistingGrant(ctx: KoaContextWithOIDC) {
      const client = ctx.oidc.client!;
      const accountId = ctx.oidc.session!.accountId!;
      const existingId = ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session!.grantIdFor(client.clientId);
      if (existingId) {
        const existing = await ctx.oidc.provider.Grant.find(existingId);
        if (existing && existing.accountId === accountId) return existing;
      }
      if (!policyOf(client.clientId)?.firstParty) return undefined;
      const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId });
      grant.addOIDCScope(String(ctx.oidc.params!.scope ?? 'openid'));
      await grant.save();
      return grant;
    },
    issueRefreshToken: async (_ctx, client, code) => client.grantTypeAllowed('refresh_token') && code.scopes.has('offline_access'),
    rotateRefreshToken: true,
    ttl: {
      AccessToken: settings.accessTokenTtlS,
      AuthorizationCode: AUTHORIZATION_CODE_TTL_S,
      IdToken: settings.idTokenTtlS,
      RefreshToken: settings.refreshTokenTtlS,
      Interaction: INTERACTION_TTL_S,
      Session: settings.sessionTtlS,
      Grant: settings.refreshTokenTtlS,
    },
    cookies: {
      keys: cookieKeys(deps.secretKeys),
      long: { signed: true, httpOnly: true, sameSite: 'lax', secure: deps.secure },
      short: { signed: true, httpOnly: true, sameSite: 'lax', secure: deps.secure },
    },
    jwks: deps.jwks as Configuration['jwks'],
    // Browser apps may call token/userinfo from the origins of their own redirect URIs only.
    clientBasedCORS: (_ctx, origin, client) => client.redirectUris?.some((uri) => new URL(uri).origin === origin) ?? false,
    renderError: oidcErrorPage,
    // oidc-provider refuses to call private and loopback addresses, against SSRF through
    // dynamically registered clients. Ours come only from the operator's clients file (no dynamic
    // registration), and back-channel logout URIs are commonly inside the merchant's network, so
    // the operator's URLs are called as written. The 2.5 s timeout oidc-provider sets is kept.
    fetch: (url, options) => {
      const { dispatcher: _ssrfGuard, ...rest } = options as RequestInit & { dispatcher?: unknown };
      return globalThis.fetch(url, rest);
    },
  };

  const provider = new Provider(`${deps.publicUrl}/oidc`, configuration);
  // Behind a TLS-terminating proxy (TRUST_PROXY=1) the provider reads X-Forwarded-Proto to build https URLs.
  provider.proxy = deps.trustProxy;
  if (deps.exchangeKooGalleryCode) {
    registerKooGalleryCodeGrant(provider, { exchange: deps.exchangeKooGalleryCode, policies: deps.policies, findAccount: configuration.findAccount! });
    provider.use(unauthorizedClientForCodeGrant());
  }
  return provider;
}
