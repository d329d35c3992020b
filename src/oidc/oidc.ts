/**
 * Builds the OpenID provider room from its collaborators: clients, signing keys, the store
 * adapter, the provider itself, its interaction routes, RP-logout glue and deprovisioning.
 *
 * Both change without a restart. Clients are read through oidc-provider's Client adapter
 * (client-registry.ts) and replaced when OIDC_CLIENTS_FILE changes (clients-reload.ts). Signing
 * keys are fixed when oidc-provider is constructed (its keystore is not public; the maintainer's
 * answer is a new instance), so a changed ring builds a new provider, swapped in one assignment
 * behind the mount: requests under way finish on the provider they started on.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Directory } from '../directory/directory.js';
import type { DirectoryEvents } from '../shared/directory-events.js';
import type { JobHandler, JobQueue } from '../shared/jobs.js';
import type { AppMiddleware } from '../http/state.js';
import type { Logger } from '../shared/logger.js';
import type { CookieNames } from '../http/cookies.js';
import type { SessionStore } from '../sessions/session-store.js';
import type { UpstreamLogoutUrl } from '../sessions/types.js';
import type { UpstreamRefresh } from '../sessions/upstream-refresh.js';
import type { Keys } from '../store/keys.js';
import type { SecretBox } from '../store/secret-box.js';
import type { Store } from '../store/types.js';
import { createAdapterFactory } from './adapter.js';
import { BACKCHANNEL_LOGOUT_JOB, backchannelLogoutJob } from './backchannel-job.js';
import { loadClients, toProviderMetadata, type OidcClientConfig } from './clients.js';
import { createClientRegistry } from './client-registry.js';
import { watchClientsFile } from './clients-reload.js';
import { watchKeyRing } from './key-ring-watch.js';
import { KbError } from '../shared/errors.js';
import type { Provider } from './library.js';
import { createOidcRevocation, type ModelAccess } from './deprovision.js';
import { interactionUidIn } from './interaction-params.js';
import { interactionRoutes } from './interactions.js';
import { createProvider, type OidcSettings } from './provider.js';
import { mountProvider } from './provider-mount.js';
import { endBridgeSessionOnRpLogout } from './rp-logout.js';
import { loadOrCreateSigningKeys } from './signing-keys.js';
import { upstreamRefusalTo } from './upstream-refusal.js';
import { clientOfInteraction } from './client-of-interaction.js';
import { adminViews } from './admin-views.js';
import type { KooGalleryCodeExchange } from './koogallery-code-grant.js';
import { KOOGALLERY_CODE_GRANT } from './grant-type-names.js';
import type { KoaContextWithOIDC } from 'oidc-provider';
import { NO_OBSERVATIONS, type Observations } from '../shared/observations.js';
import { observeProvider } from './observe.js';

/** The OIDC_* settings: the provider's lifetimes, and where its clients and keys come from. */
export type OidcSettingsSlice = OidcSettings & {
  clientsFile: string;
  /** False when OIDC_CLIENTS_FILE was left at its default: a missing default file means no clients. */
  clientsFileRequired: boolean;
  jwksFile: string | null;
  refreshGraceS: number;
};

export interface OidcDeps {
  /** Where the bridge is reached, and whether X-Forwarded-Proto is trusted. */
  server: { publicUrl: string; trustProxy: boolean };
  /** SECRET_KEYS: the provider's cookie keys derive from them. */
  secretKeys: string[];
  settings: OidcSettingsSlice;
  store: Store;
  keys: Keys;
  secretBox: SecretBox;
  directory: Directory;
  events: DirectoryEvents;
  sessions: SessionStore;
  refresh: UpstreamRefresh;
  upstreamLogoutUrl: UpstreamLogoutUrl;
  cookies: CookieNames;
  logger: Logger;
  now: () => number;
  /** Where work after a request goes (back-channel logout of deprovisioned accounts). */
  jobs: JobQueue;
  /** Redeems a KooGallery code + tenant without a browser (login/), for native apps' WebView exchange. */
  exchangeKooGalleryCode?: KooGalleryCodeExchange;
  /** Where tokens and back-channel deliveries are reported; none by default. */
  observations?: Observations;
}

/** oidc-provider's own judgement of each client (its client schema), naming the client that fails. */
async function validateWith(provider: Provider, clients: OidcClientConfig[]): Promise<void> {
  for (const c of clients) {
    try {
      await provider.Client.validate(toProviderMetadata(c));
    } catch (err) {
      const e = err as Error & { error_description?: string };
      throw new KbError('config_invalid', `OIDC_CLIENTS_FILE: client "${c.client_id}": ${e.error_description ?? e.message}`);
    }
  }
}

export async function createOidc(deps: OidcDeps) {
  const { server, store, keys } = deps;
  const o = deps.settings;
  const present = o.clientsFileRequired || existsSync(o.clientsFile);
  const clientsText = present ? readFileSync(o.clientsFile, 'utf8') : null;
  const clients = present ? loadClients(o.clientsFile, () => clientsText ?? '') : [];
  if (clients.length === 0) deps.logger.warn(`no OpenID clients (${o.clientsFile} not found): the provider at /oidc serves no app until OIDC_CLIENTS_FILE lists some`);
  const registry = createClientRegistry(clients);
  const policies = registry.policies;

  const ring = await loadOrCreateSigningKeys({ store, keys, secretBox: deps.secretBox, jwksFile: o.jwksFile, logger: deps.logger, now: deps.now });
  // Every stored artifact expires at the latest with the longest-lived one (refresh tokens, grants).
  const maxTtlSeconds = Math.max(o.refreshTokenTtlS, o.sessionTtlS, o.accessTokenTtlS);
  const adapterFactory = createAdapterFactory({ store, keys, secretBox: deps.secretBox, maxTtlSeconds, refreshGraceSeconds: o.refreshGraceS });
  // Clients from the registry, everything else from the store.
  const providerAdapter = (name: string) => (name === 'Client' ? registry.adapter : adapterFactory(name));
  const build = (jwks: { keys: object[] }) => wire(createProvider({
    publicUrl: server.publicUrl,
    directory: deps.directory,
    adapter: providerAdapter as never,
    policies,
    jwks,
    secretKeys: deps.secretKeys,
    settings: o,
    secure: server.publicUrl.startsWith('https:'),
    trustProxy: server.trustProxy,
    ...(deps.exchangeKooGalleryCode ? { exchangeKooGalleryCode: deps.exchangeKooGalleryCode } : {}),
  }));
  const observations = deps.observations ?? NO_OBSERVATIONS;
  let provider = build(ring.jwks);
  const current = () => provider;
  await validateWith(provider, clients);

  const keyWatch = o.jwksFile === null
    ? watchKeyRing({ store, keys, secretBox: deps.secretBox, now: deps.now, logger: deps.logger, initial: ring, onChange: (next) => void (provider = build(next.jwks)) })
    : null;
  const clientsReload = watchClientsFile({ file: o.clientsFile, required: o.clientsFileRequired, registry, validate: (next) => validateWith(provider, next), logger: deps.logger, loadedText: clientsText });

  /** The provider's events, on every provider built (the first and each after a key change). */
  function wire(provider: Provider): Provider {
    observeProvider(provider, observations);
    provider.on('server_error', (_ctx: unknown, err: Error) => deps.logger.error({ err }, 'OpenID provider error'));
    provider.on('backchannel.error', (_ctx: unknown, err: Error, client: { clientId: string }) =>
      deps.logger.warn({ clientId: client.clientId, err: err.message }, 'back-channel logout failed'),
    );

    // The WebView exchange is a login without a browser: it is logged as one (never the code).
    provider.on('grant.success', (ctx: KoaContextWithOIDC) => {
      if (ctx.oidc.params?.grant_type !== KOOGALLERY_CODE_GRANT) return;
      deps.logger.info({ clientId: ctx.oidc.client?.clientId, tenantId: ctx.oidc.params.tenant, method: 'native-code-exchange' }, 'login completed');
    });
    provider.on('grant.error', (ctx: KoaContextWithOIDC, err: Error & { error?: string; error_description?: string }) => {
      if (ctx.oidc.params?.grant_type !== KOOGALLERY_CODE_GRANT) return;
      deps.logger.info({ clientId: ctx.oidc.client?.clientId, tenantId: ctx.oidc.params.tenant, error: err.error, reason: err.error_description }, 'native code exchange refused');
    });
    return provider;
  }

  const revocation = createOidcRevocation({ provider: current, adapter: (model) => adapterFactory(model) as unknown as ModelAccess, store, keys, jobs: deps.jobs, logger: deps.logger });
  revocation.subscribe(deps.events);

  const interactionUidOf = interactionUidIn(server.publicUrl);

  return {
    /** The provider in use now. */
    provider: current,
    policies,
    /** OIDC_CLIENTS_FILE read again (main.ts calls it on SIGHUP); the file is also watched. */
    reloadClients: (trigger = 'SIGHUP') => clientsReload.reload(trigger),
    /** The signing keys read again from the store (every instance also does on pub/sub and periodically). */
    refreshKeys: async () => void (await keyWatch?.refresh()),
    /** Stops watching the clients file and the key ring (shutdown). */
    async close() {
      clientsReload.close();
      await keyWatch?.close();
    },
    revocation,
    /** Handlers of the job kinds this room enqueues, for the outbox to run (registered in app.ts). */
    jobs: { [BACKCHANNEL_LOGOUT_JOB]: backchannelLogoutJob(current, deps.logger, observations) } as Record<string, JobHandler>,
    interactions: interactionRoutes({ provider: current, sessions: deps.sessions, refresh: deps.refresh, policies, store, keys, cookies: deps.cookies, publicUrl: server.publicUrl, now: deps.now }),
    rpLogout: endBridgeSessionOnRpLogout({ sessions: deps.sessions, cookies: deps.cookies, upstreamLogoutUrl: deps.upstreamLogoutUrl, publicUrl: server.publicUrl, observations }) as AppMiddleware,
    /** The provider under /oidc, seeing PUBLIC_URL as every request's origin, its interaction cookies bounded. */
    mount: mountProvider(server.publicUrl, current),
    /** Where a login the upstream refused goes when it was started by an interaction (its app hears the error). */
    upstreamRefusalTo: upstreamRefusalTo(current, server.publicUrl),
    /** Logins started for the provider may return to its interactions and its clients' redirect URIs. */
    isReturnAllowed: (url: string) => interactionUidOf(url) !== null || registry.isRedirectUri(url),
    /** The configured client a login returning to one of its interactions is for (a redirect URI alone names none for sure). */
    clientOfReturn: clientOfInteraction(current, server.publicUrl, policies),
    /** Clients (as reloaded) and signing keys as the admin API shows them: no secret, no key material. */
    adminViews: adminViews({ clients: registry.clients, ring, jwksFile: o.jwksFile, store, keys, now: deps.now }),
  };
}

export type Oidc = Awaited<ReturnType<typeof createOidc>>;
