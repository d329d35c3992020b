/**
 * createSimulator: a KooGallery stand-in for end-to-end tests, the demo and benchmarks. One Koa
 * app serves the unified login page, one OAuth2 + CAS 3.0 IdP per tenant under `/idp/:tenantId`,
 * KooGallery's order query (behind an AK/SK-checking gateway), and its own control routes; `syncTo` pushes the same made-up tenants to a bridge.
 */
import Koa from 'koa';
import { addCasRoutes } from './cas-routes.js';
import { controlRoutes } from './control-routes.js';
import { findUser, type SimDeps } from './deps.js';
import { createFaultRegistry } from './faults.js';
import { createGrants, type Login } from './grants.js';
import { DEMO_SELLER } from './demo-data.js';
import { createHangTracker } from './hang-tracker.js';
import { createIdpRouter } from './idp-router.js';
import { addOAuthBrowserRoutes } from './oauth-browser-routes.js';
import { orderQueryRoutes } from './order-query-routes.js';
import { instanceRoutes } from './instance-routes.js';
import { createOrderBook } from './orders.js';
import { syncTenants } from './sync.js';
import { addTokenRoutes } from './token-routes.js';
import type { SimTenant, SimUser, Simulator, SimulatorOptions, SyncTarget } from './types.js';
import { unifiedLoginRoutes } from './unified-login-routes.js';

// Documented lifetimes (spec §7): access token 2 h; codes and tickets are short-lived, 5 min here.
const FIVE_MINUTES_MS = 5 * 60 * 1000;
const ACCESS_TOKEN_TTL_S = 7200;

function tenantsById(tenants: SimTenant[]): Map<string, SimTenant> {
  const map = new Map<string, SimTenant>();
  for (const t of tenants) {
    if (map.has(t.tenantId)) throw new Error(`createSimulator: tenant ${t.tenantId} is listed twice`);
    map.set(t.tenantId, t);
  }
  return map;
}

/** Last-resort answers: a JSON 404 for unknown paths, a JSON 500 without a stack for bugs. */
function jsonFallbacks(): Koa.Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        ctx.status = 404;
        ctx.body = { error: 'not_found', error_description: `no route for ${ctx.method} ${ctx.path}` };
      }
    } catch (err) {
      console.error('[simulator] unhandled error', err);
      ctx.status = 500;
      ctx.body = { error: 'server_error', error_description: 'simulator bug, see its log' };
    }
  };
}

export function createSimulator(opts: SimulatorOptions): Simulator {
  const now = opts.now ?? Date.now;
  const accessTokenTtlS = opts.accessTokenTtlS ?? ACCESS_TOKEN_TTL_S;
  const baseUrl = opts.baseUrl.replace(/\/+$/, '');
  const hangs = createHangTracker();
  const deps: SimDeps = {
    appId: opts.appId,
    callbackUrl: opts.callbackUrl,
    accessTokenTtlS,
    expiresInAsString: opts.expiresInAsString ?? false,
    omitRefreshToken: opts.omitRefreshToken ?? false,
    tenants: tenantsById(opts.tenants),
    grants: createGrants({
      now,
      codeTtlMs: opts.codeTtlMs ?? FIVE_MINUTES_MS,
      ticketTtlMs: opts.ticketTtlMs ?? FIVE_MINUTES_MS,
      accessTtlMs: accessTokenTtlS * 1000,
    }),
    faults: createFaultRegistry(),
    hangs,
    stats: { tokenCalls: 0, refreshCalls: 0, userinfoCalls: 0, validateCalls: 0 },
    now,
    seller: opts.seller ?? DEMO_SELLER,
    orders: createOrderBook(now),
  };

  const app = new Koa();
  hangs.attach(app);
  app.use(jsonFallbacks());
  const idp = createIdpRouter(deps);
  addOAuthBrowserRoutes(idp, deps);
  addTokenRoutes(idp, deps);
  addCasRoutes(idp, deps);
  let lastTarget: SyncTarget | null = null;
  for (const router of [unifiedLoginRoutes(deps), controlRoutes(deps), instanceRoutes(deps, () => lastTarget), orderQueryRoutes(deps), idp]) {
    app.use(router.routes());
    app.use(router.allowedMethods());
  }

  const domainName = (tenantId: string) => `${baseUrl}/idp/${encodeURIComponent(tenantId)}`;

  /** A login as if the user had just typed a password: the helpers stand in for the browser. */
  const freshLogin = (tenantId: string, userName: string): { tenant: SimTenant; user: SimUser; login: Login } => {
    const tenant = deps.tenants.get(tenantId);
    if (!tenant) throw new Error(`simulator: unknown tenant ${tenantId}`);
    const user = findUser(tenant, userName);
    if (!user) throw new Error(`simulator: tenant ${tenantId} has no user ${userName}`);
    return { tenant, user, login: { tenantId, userName, authTime: now(), newLogin: true } };
  };

  return {
    app,
    domainName,
    faults: {
      set: (tenantId, f) => deps.faults.set(tenantId, f),
      clear: (tenantId) => deps.faults.clear(tenantId),
    },
    issueCode(tenantId, userName, redirectUri = opts.callbackUrl) {
      const { tenant, login } = freshLogin(tenantId, userName);
      return deps.grants.issueCode(login, tenant.clientId, redirectUri);
    },
    issueTicket(tenantId, userName, service) {
      return deps.grants.issueTicket(freshLogin(tenantId, userName).login, service);
    },
    workbenchAuthorizeUrl(tenantId, state) {
      const tenant = deps.tenants.get(tenantId);
      if (!tenant) throw new Error(`simulator: unknown tenant ${tenantId}`);
      const q = new URLSearchParams({ client_id: tenant.clientId, redirect_uri: opts.callbackUrl, response_type: 'code', scope: 'get_user_info', state });
      return `${domainName(tenantId)}/api/v1/oauth2/authorize?${q}`;
    },
    revokeRefreshTokens: (tenantId) => deps.grants.revokeRefreshTokens(tenantId),
    stats: () => ({ ...deps.stats }),
    syncTo: (bridge) => {
      lastTarget = bridge;
      return syncTenants(deps.tenants.values(), domainName, bridge, deps.orders);
    },
    orders: { add: (input) => deps.orders.add(input) },
  };
}
