/**
 * The OpenID clients in use, replaceable while the process runs (clients-reload.ts).
 *
 * oidc-provider reads clients that change through its `Client` adapter: a client not given as
 * static `clients` is looked up with `adapter('Client').find(id)` at each request, and the Client
 * built from it is cached under the hash of its metadata, so changed metadata makes a new Client
 * and a removed client is not found. That is the library's supported way (static `clients` are
 * read once, at construction); this registry is that adapter, kept in memory.
 *
 * `replace` swaps everything in one synchronous step: a request sees the old clients or the new
 * ones, never a mix. `policies` is one Map for the life of the process (the provider's policy
 * and the interactions read it), its contents replaced with the clients.
 */
import type { Adapter, AdapterPayload, ClientMetadata } from 'oidc-provider';
import type { ClientPolicy } from './client-policy.js';
import { clientPolicy, toProviderMetadata, type OidcClientConfig } from './clients.js';

export interface ClientRegistry {
  readonly policies: Map<string, ClientPolicy>;
  /** Client ids in the order of the file. */
  ids(): string[];
  /** The clients as last loaded from the file. */
  clients(): OidcClientConfig[];
  isRedirectUri(url: string): boolean;
  replace(clients: OidcClientConfig[]): void;
  /** oidc-provider's adapter for the `Client` model (read only: there is no dynamic registration). */
  readonly adapter: Adapter;
}

const readOnly = async () => {
  throw new Error('OpenID clients come from OIDC_CLIENTS_FILE; they are not written through the provider');
};

export function createClientRegistry(initial: OidcClientConfig[]): ClientRegistry {
  const policies = new Map<string, ClientPolicy>();
  let metadata = new Map<string, ClientMetadata>();
  let redirectUris = new Set<string>();
  let current: OidcClientConfig[] = [];

  const replace = (clients: OidcClientConfig[]) => {
    current = clients;
    metadata = new Map(clients.map((c) => [c.client_id, toProviderMetadata(c)]));
    redirectUris = new Set(clients.flatMap((c) => c.redirect_uris));
    policies.clear();
    for (const c of clients) policies.set(c.client_id, clientPolicy(c));
  };
  replace(initial);

  return {
    clients: () => current,
    policies,
    ids: () => [...metadata.keys()],
    isRedirectUri: (url) => redirectUris.has(url),
    replace,
    adapter: {
      // A copy: oidc-provider must not change the registry's record.
      find: async (id) => {
        const found = metadata.get(id);
        return found ? (structuredClone(found) as AdapterPayload) : undefined;
      },
      upsert: readOnly,
      findByUserCode: async () => undefined,
      findByUid: async () => undefined,
      consume: readOnly,
      destroy: readOnly,
      revokeByGrantId: async () => undefined,
    },
  };
}
