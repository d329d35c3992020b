/**
 * What the operators' admin API shows of this room: the clients' metadata without their secrets,
 * and the signing keys' ids, algorithms and states without key material.
 */
import type { Keys } from '../store/keys.js';
import type { Store } from '../store/types.js';
import type { OidcClientConfig } from './clients.js';
import { readKeyStates, type KeyRing } from './signing-keys.js';

export interface AdminViewDeps {
  /** The clients in use now (they reload without a restart). */
  clients: () => OidcClientConfig[];
  ring: KeyRing;
  /** OIDC_JWKS_FILE, or null when the ring lives in the store. */
  jwksFile: string | null;
  store: Store;
  keys: Keys;
  now: () => number;
}

export function adminViews(deps: AdminViewDeps) {
  return {
    clients: () =>
      deps.clients().map((c) => ({
        clientId: c.client_id,
        name: c.client_name ?? null,
        applicationType: c.application_type ?? 'web',
        firstParty: c.first_party ?? true,
        tokenEndpointAuthMethod: c.token_endpoint_auth_method ?? 'client_secret_basic',
        redirectUris: [...c.redirect_uris],
        postLogoutRedirectUris: [...(c.post_logout_redirect_uris ?? [])],
        grantTypes: [...(c.grant_types ?? ['authorization_code'])],
        allowedTenants: c.allowed_tenants ? [...c.allowed_tenants] : null,
        backchannelLogoutUri: c.backchannel_logout_uri ?? null,
      })),

    async signingKeys() {
      if (deps.jwksFile === null) return { source: 'store' as const, keys: await readKeyStates(deps) };
      // A key file has no dates or states: its first key signs, the others are only published.
      return {
        source: 'file' as const,
        keys: deps.ring.publicJwks.map((k, i) => ({ kid: String(k.kid), alg: String(k.alg), state: i === 0 ? 'current' : 'published' })),
      };
    },
  };
}
