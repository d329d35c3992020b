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
import { createIdpClient, type IdpClient } from './connectors/idp-client.js';
import { cookieNames } from './http/cookies.js';
import { createPreLogins } from './login/prelogin.js';
import { forwardAuthFastPath } from './login/forward-auth-fast-path.js';
import { loginRoutes, sessionApiRoutes } from './login/routes.js';
import { revokeOnDeprovisioning } from './sessions/revocation.js';
import { createSessionCache } from './sessions/session-cache.js';
import { createSessionStore, type SessionStore } from './sessions/session-store.js';
import { createUpstreamRefresh } from './sessions/upstream-refresh.js';
import { createOidc, type Oidc } from './oidc/oidc.js';
import { cookieKeys } from './oidc/provider.js';

export interface AppDeps {
  config: Config;
  store: Store;
  logger: Logger;
  clock?: Clock;
  /** The tenant IdP client; tests may pass one with another clock. */
  idp?: IdpClient;
}

export interface BuiltApp {
  app: Koa<AppState>;
  directory: Directory;
  sessions: SessionStore;
  oidc: Oidc;
}

export async function createApp({ config, store, logger, clock = systemClock, idp: givenIdp }: AppDeps): Promise<BuiltApp> {
  const keys = createKeys(config.redisKeyPrefix);
  const secretBox = createSecretBox(config.secretKeys);
  const events = createDirectoryEvents(logger);
  const directory = createDirectory({ store, keys, secretBox, events, clock, appId: config.koo.appId });
  const idp = givenIdp ?? createIdpClient({ timeoutMs: config.idpTimeoutMs, allowInsecure: config.koo.allowInsecureIdp, now: () => clock.now() });
  const sessionCache = createSessionCache({ store, channel: keys.sessionInvalidations() });
  const sessions = createSessionStore({ store, keys, secretBox, clock, cache: sessionCache, ...config.session });
  revokeOnDeprovisioning(events, sessions, logger);
  const refresh = createUpstreamRefresh({ store, keys, clock, sessions, directory, idp, appId: config.koo.appId, idpTimeoutMs: config.idpTimeoutMs, logger });
  const cookies = cookieNames(config.publicUrl);
  const oidc = await createOidc({ config, store, keys, secretBox, directory, events, sessions, refresh, idp, cookies, logger, now: () => clock.now() });
  const loginDeps = {
    isExtraReturnAllowed: oidc.isReturnAllowed,
    config,
    directory,
    sessions,
    refresh,
    idp,
    store,
    keys,
    clock,
    cookies,
    preLogins: createPreLogins({ store, keys, cookies, now: () => clock.now() }),
  };

  // Mounted with koa-mount, oidc-provider signs its cookies through this app's keys.
  const app = new Koa<AppState>({ proxy: config.trustProxy, keys: cookieKeys(config.secretKeys) });
  // Errors are answered and logged by our middleware; Koa's own stderr printing would duplicate them.
  app.silent = true;
  app.on('error', (err: Error) => logger.debug({ err: err.message }, 'koa error event'));

  app.use(forwardAuthFastPath(loginDeps, logger));
  app.use(requestId(logger));
  app.use(accessLog(logger));
  app.use(securityHeaders({ hsts: config.publicUrl.startsWith('https:') }));

  const produce = produceRoutes({
    producePath: config.producePath,
    bodyLimit: config.produceBodyLimit,
    accessKey: config.koo.accessKey,
    guard: createReplayGuard({ store, keys, clock }),
    directory,
    privateKey: config.koo.privateKey,
    allowInsecureIdp: config.koo.allowInsecureIdp,
  });
  app.use(produce.routes());

  app.use(jsonErrors());
  app.use(sessionApiRoutes(loginDeps).routes());
  const health = healthRoutes(store);
  app.use(health.routes());
  const admin = adminRoutes({ directory, sessions, adminToken: config.adminToken, appId: config.koo.appId });
  app.use(admin.routes()).use(admin.allowedMethods());
  app.use(loginRoutes(loginDeps).routes());
  // The provider last: its interaction pages and the RP-logout glue wrap requests under /oidc.
  app.use(oidc.rpLogout);
  app.use(oidc.interactions.routes());
  app.use(oidc.mount);

  return { app, directory, sessions, oidc };
}
