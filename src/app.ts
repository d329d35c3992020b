/**
 * The one place that knows every room: builds the Koa app from its collaborators.
 * main.ts owns the process (config, store, listen, shutdown); tests build the app here directly.
 */
import Koa from 'koa';
import type { Config } from './config/types.js';
import { adminRoutes } from './admin/routes.js';
import { createDirectory, type Directory } from './directory/directory.js';
import { systemClock, type Clock } from './shared/clock.js';
import { createDirectoryEvents } from './directory/events.js';
import { REVOCATION_JOB } from './directory/revocations.js';
import { accessLog } from './http/access-log.js';
import { healthRoutes } from './http/health.js';
import { jsonErrors } from './http/json-errors.js';
import { requestId } from './http/request-id.js';
import { securityHeaders } from './http/security-headers.js';
import type { AppState } from './http/state.js';
import type { Logger } from './shared/logger.js';
import { createReplayGuard } from './produce/replay-guard.js';
import { produceRoutes } from './produce/routes.js';
import { createKeys } from './store/keys.js';
import { createSecretBox } from './store/secret-box.js';
import type { Store } from './store/types.js';
import type { Connectors } from './connectors/connector.js';
import { createConnectors } from './connectors/registry.js';
import { cookieNames } from './http/cookies.js';
import { createUpstreamLogoutUrl, createUpstreamRenewal } from './login/upstream.js';
import type { LoginDeps } from './login/deps.js';
import { createPreLogins } from './login/prelogin.js';
import { createCodeExchange } from './login/code-exchange.js';
import { createOwnStates } from './login/callback/own-states.js';
import { forwardAuthFastPath } from './login/forward-auth-fast-path.js';
import { loginRoutes, sessionApiRoutes } from './login/routes.js';
import { revokeOnDeprovisioning } from './sessions/revocation.js';
import { refreshOnDirectoryChange } from './sessions/identity-refresh.js';
import { createIdentitySource } from './login/session-identity.js';
import { createSessionCache } from './sessions/session-cache.js';
import { createSessionStore, type SessionStore } from './sessions/session-store.js';
import { createUpstreamRefresh } from './sessions/upstream-refresh.js';
import { createOidc, type Oidc } from './oidc/oidc.js';
import { createOutbox, type Outbox } from './ops/outbox.js';
import { createOrderQuery } from './connectors/order-query/client.js';
import { enqueueOrderFetch, ORDER_FETCH_JOB, orderFetchJob } from './produce/order-facts.js';
import type { OutboxSettingsInput } from './ops/outbox-policy.js';
import { cookieKeys } from './oidc/provider.js';
import { createObservations, type Observations } from './shared/observations.js';
import { createRateLimits } from './ratelimit/rate-limits.js';
import { createMetrics, type Metrics } from './metrics/metrics.js';
import { createAuditTrail, type AuditTrail } from './audit/trail.js';
import { logRoutes } from './admin/log-routes.js';
import { createSessionListing } from './sessions/session-listing.js';
import { createConsole } from './console/console.js';
import { createCasServer } from './cas-server/routes.js';
import { loadServices } from './cas-server/services.js';

export interface AppDeps {
  config: Config;
  store: Store;
  logger: Logger;
  clock?: Clock;
  /** The tenant-IdP connectors; tests may pass ones with another clock. */
  connectors?: Connectors;
  /** Settings of the durable outbox; tests shorten its retry delays. */
  outbox?: OutboxSettingsInput;
  /** The bus the rooms report facts on (metrics, audit, sync log listen); tests may pass their own. */
  observations?: Observations;
  /** Where the admin console's built front-end is (dist/console-ui by default). */
  consoleAssetsDir?: string;
}

export interface BuiltApp {
  app: Koa<AppState>;
  directory: Directory;
  sessions: SessionStore;
  oidc: Oidc;
  /** Started here; main.ts stops it on shutdown. */
  outbox: Outbox;
  /** From now on /readyz answers 503 (main.ts, on SIGTERM: the drain before the listener closes). */
  startDraining(): void;
  observations: Observations;
  /** Null unless METRICS_PORT or METRICS_TOKEN is set; main.ts starts its separate listener. */
  metrics: Metrics | null;
  /** The audit trail and sync log writer; main.ts closes it (flushes its queue) before the store. */
  audit: AuditTrail;
}

export async function createApp({ config, store: givenStore, logger, clock = systemClock, connectors: givenConnectors, outbox: outboxSettings, observations: givenObservations, consoleAssetsDir }: AppDeps): Promise<BuiltApp> {
  const observations = givenObservations ?? createObservations((err, kind) => logger.warn({ err: (err as Error).message, kind }, 'an observation listener failed'));
  const keys = createKeys(config.store.keyPrefix);
  // The OpenID clients are known once the provider is built; labels read them per observation.
  let clientIds: { has(id: string): boolean } = new Set<string>();
  const metrics = config.metrics ? createMetrics({ settings: config.metrics, store: givenStore, keys, clientIds: () => clientIds }) : null;
  metrics?.listenTo(observations);
  const store = metrics ? metrics.instrument(givenStore) : givenStore;
  const audit = createAuditTrail({ store, keys, logger, clock, retentionMs: config.audit.retentionMs, syncLogRetentionMs: config.audit.syncLogRetentionMs });
  observations.on(audit.record);
  const secretBox = createSecretBox(config.secrets.keys);
  const events = createDirectoryEvents(logger);
  const outbox = createOutbox({ store, keys, clock, logger, settings: outboxSettings });
  const directory = createDirectory({
    store,
    keys,
    secretBox,
    events,
    clock,
    appId: config.produce.appId,
    appIds: config.produce.appIds,
    jobs: outbox,
    // A deprovisioning whose outcome is unknown: this instance's cached sessions are read again.
    onRevocationUncertain: () => sessions.dropCached(),
  });
  outbox.register(REVOCATION_JOB, directory.revocationJob());
  const connectors = givenConnectors ?? createConnectors({ ...config.idp, now: () => clock.now(), observations });
  const sessionCache = createSessionCache({ store, channel: keys.sessionInvalidations() });
  const sessions = createSessionStore({
    store,
    keys,
    secretBox,
    clock,
    cache: sessionCache,
    ...config.session,
    pendingRevocation: (tenantId, userName) => directory.settleRevocationsFor(tenantId, userName),
    observations,
  });
  revokeOnDeprovisioning(events, sessions, logger, observations);
  refreshOnDirectoryChange(events, sessions, createIdentitySource(directory), logger);
  const renew = createUpstreamRenewal({ directory, connectors });
  const upstreamLogoutUrl = createUpstreamLogoutUrl({ directory, connectors, publicUrl: config.server.publicUrl });
  const refresh = createUpstreamRefresh({ store, keys, clock, sessions, renew, idpTimeoutMs: config.idp.timeoutMs, logger, observations });
  const cookies = cookieNames(config.server.publicUrl, config.server.cookieDomain);
  const ownStates = createOwnStates(config.secrets.keys);
  // The CAS server for the merchant's CAS apps: same sessions, same login, same deprovisioning.
  const cas = createCasServer({
    publicUrl: config.server.publicUrl,
    services: loadServices(config.cas.servicesFile, config.cas.servicesFileRequired),
    ticketTtlMs: config.cas.ticketTtlMs,
    sessionLifetimeMs: config.session.absoluteTimeoutMs,
    store, keys, secretBox, sessions, refresh, upstreamLogoutUrl, cookies, observations, logger, events,
    jobs: outbox,
    now: () => clock.now(),
  });
  for (const [kind, handler] of Object.entries(cas.jobs)) outbox.register(kind, handler);
  // Every other door that ends a session (sign-out, a new login replacing it, OpenID logout, an
  // operator's revocation) tells the session's CAS apps too: single logout. Deprovisioning reaches
  // them through the directory events instead (cas-server/deprovision.ts).
  const endingSessions: SessionStore = {
    ...sessions,
    destroy: async (record) => {
      await sessions.destroy(record);
      await cas.sessionEnded(record);
    },
    revokeUser: async (tenantId, userName) => {
      const revoked = await sessions.revokeUser(tenantId, userName);
      await cas.userSessionsEnded(tenantId, userName);
      return revoked;
    },
  };
  const oidc = await createOidc({ server: config.server, secretKeys: config.secrets.keys, settings: config.oidc, store, keys, secretBox, directory, events, sessions: endingSessions, refresh, upstreamLogoutUrl, cookies, logger, now: () => clock.now(), jobs: outbox, observations,
    // Called per request, after loginDeps below exists: the native apps' WebView exchange runs the login room's checks.
    exchangeKooGalleryCode: (tenantId, code, clientId) => createCodeExchange(loginDeps)(tenantId, code, clientId) });
  for (const [kind, handler] of Object.entries(oidc.jobs)) outbox.register(kind, handler);
  // OpenID clients (the registry's map, kept current by a clients reload) and CAS services are the
  // only client labels metrics name; anything else is counted as `unknown`.
  const casServiceIds = new Set(cas.services.map((s) => s.id));
  clientIds = { has: (id) => oidc.policies.has(id) || casServiceIds.has(id) };
  // Without the seller's AK/SK there is no order query: instances are kept without order facts.
  const orderQuery = config.orders ? createOrderQuery({ ...config.orders, hosts: orderHosts(config.orders.hosts), now: () => clock.now() }) : null;
  const queryOrder = orderQuery ? (p: { orderId: string; orderLineId?: string }) => orderQuery.query(p) : null;
  if (queryOrder) outbox.register(ORDER_FETCH_JOB, orderFetchJob({ directory, queryOrder }));
  const loginDeps: LoginDeps = {
    settings: { publicUrl: config.server.publicUrl, ...config.login, idleTimeoutMs: config.session.idleTimeoutMs },
    isExtraReturnAllowed: (url) => oidc.isReturnAllowed(url) || cas.isReturnAllowed(url),
    clientOfReturn: async (url) => cas.serviceOfReturn(url) ?? (await oidc.clientOfReturn(url)),
    upstreamRefusalTo: oidc.upstreamRefusalTo,
    directory,
    sessions: endingSessions,
    refresh,
    connectors,
    upstreamLogoutUrl,
    store,
    keys,
    clock,
    cookies,
    ownStates,
    observations,
    preLogins: createPreLogins({ store, keys, cookies, now: () => clock.now(), newState: ownStates.issue }),
  };

  // Mounted with koa-mount, oidc-provider signs its cookies through this app's keys.
  // maxIpsCount 1: with TRUST_PROXY the client is the address the proxy in front appended (the last
  // X-Forwarded-For entry), never an earlier entry the client wrote itself (logs, rate limits).
  const app = new Koa<AppState>({ proxy: config.server.trustProxy, maxIpsCount: 1, keys: cookieKeys(config.secrets.keys) });
  // Errors are answered and logged by our middleware; Koa's own stderr printing would duplicate them.
  app.silent = true;
  app.on('error', (err: Error) => logger.debug({ err: err.message }, 'koa error event'));

  app.use(forwardAuthFastPath(loginDeps, logger));
  // Ahead of the shared middleware, as forward-auth: ticket validation is the hot path of every CAS
  // app's sign-in. It stamps its request id and writes its access-log line itself.
  app.use(cas.validation);
  app.use(requestId(logger));
  app.use(accessLog(logger));
  app.use(securityHeaders({ hsts: config.server.publicUrl.startsWith('https:') }));
  // RATE_LIMIT_*: counted in the shared store, failing open when it cannot count. The store as
  // opened (not the metrics wrapper): its Redis connection is what the counters run their script on.
  const rateLimits = createRateLimits({ store: givenStore, keys, settings: config.rateLimits, observations, logger, now: () => clock.now() });

  const produce = produceRoutes({
    producePath: config.produce.path,
    bodyLimit: config.produce.bodyLimit,
    accessKey: config.produce.accessKey,
    basicAccessKey: config.produce.basicAccessKey,
    guard: createReplayGuard({ store, keys, clock }),
    directory,
    // A getter: the throw-away development key is made only when a clientSecret must be decrypted.
    get privateKey() {
      return config.produce.privateKey;
    },
    allowInsecureIdp: config.produce.allowInsecureIdp,
    instanceInfo: config.produce.instanceInfo,
    allowSpecChange: config.produce.allowSpecChange,
    ...(queryOrder ? { onOrderChanged: enqueueOrderFetch(outbox) } : {}),
    onSignatureFailure: rateLimits.webhookSignatureFailure,
    observations,
  });
  app.use(produce.routes());

  app.use(jsonErrors());
  app.use(cas.routes.routes());
  app.use(sessionApiRoutes(loginDeps).routes());
  let draining = false;
  const health = healthRoutes(store, { isDraining: () => draining });
  app.use(health.routes());
  if (metrics?.mainPortRoute) app.use(metrics.mainPortRoute.routes());
  app.use(rateLimits.adminFailures);
  // The operators' console at /admin; its cookie is the admin API's second way in.
  const adminConsole = createConsole({ adminToken: config.admin.token, publicUrl: config.server.publicUrl, secretBox, store, keys, clock, observations, ...(consoleAssetsDir ? { assetsDir: consoleAssetsDir } : {}) });
  app.use(adminConsole.routes);
  const listing = createSessionListing({ store, keys, clock, sessions: endingSessions, idleTimeoutMs: config.session.idleTimeoutMs });
  const admin = adminRoutes({ directory, sessions: endingSessions, adminToken: config.admin.token, appId: config.admin.appId, consoleAuth: adminConsole.auth, listing, secretBox, oidc: oidc.adminViews, observations, more: [logRoutes(audit.log)] });
  app.use(admin.routes()).use(admin.allowedMethods());
  app.use(rateLimits.login);
  app.use(loginRoutes(loginDeps).routes());
  // The provider last: its interaction pages and the RP-logout glue wrap requests under /oidc.
  app.use(rateLimits.oidc);
  app.use(oidc.rpLogout);
  app.use(oidc.interactions.routes());
  app.use(oidc.mount);

  outbox.start(); // last, so a failed build leaves no poll loop behind
  return { app, directory, sessions, oidc, outbox, observations, metrics, audit, startDraining: () => void (draining = true) };
}

/** KOO_ORDER_HOSTS as the client takes them: the main host and at most one fallback. */
function orderHosts(hosts: string[]): readonly [string] | readonly [string, string] {
  return hosts.length > 1 ? [hosts[0]!, hosts[1]!] : [hosts[0]!];
}
