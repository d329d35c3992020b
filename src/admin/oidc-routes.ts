/**
 * What the operators may see of the OpenID provider: its clients (never a secret) and its signing
 * keys (never key material). The provider is another room; app.ts hands in these two readers.
 */
import type Router from '@koa/router';
import type { AppState } from '../http/state.js';

/** One client as listed: metadata only. */
export interface OidcClientView {
  clientId: string;
  name: string | null;
  applicationType: 'web' | 'native';
  firstParty: boolean;
  /** `none` for a public client; otherwise how it proves its secret (which is not shown). */
  tokenEndpointAuthMethod: string;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  grantTypes: string[];
  /** Null: every tenant. */
  allowedTenants: string[] | null;
  backchannelLogoutUri: string | null;
}

/** One signing key as listed: no key material. Times are ms since the epoch where the ring keeps them. */
export interface SigningKeyView {
  kid: string;
  alg: string;
  /** `current` signs; `next` is published before it signs; `retired` stays published until its tokens expire; `published` (file keys after the first) is verified only. */
  state: string;
  createdAt?: number;
  retireAfter?: number;
}

export interface OidcReaders {
  clients(): OidcClientView[];
  signingKeys(): Promise<{ source: 'store' | 'file'; keys: SigningKeyView[] }>;
}

export function oidcRoutes(router: Router<AppState>, readers: OidcReaders): void {
  router.get('/oidc/clients', async (ctx) => {
    ctx.body = { clients: readers.clients() };
  });

  router.get('/oidc/signing-keys', async (ctx) => {
    const { source, keys } = await readers.signingKeys();
    const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
    ctx.body = { source, keys: keys.map((k) => ({ kid: k.kid, alg: k.alg, state: k.state, createdAt: iso(k.createdAt), retireAfter: iso(k.retireAfter) })) };
  });
}
