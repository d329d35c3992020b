/**
 * The bridge's rate limits, built once from RATE_LIMIT_* (a null setting: no limit) on the store
 * every instance shares, and handed to app.ts as middleware for the doors they guard:
 *  - `login`: login starts and callbacks (`/sso/login`, `/sso/callback`, `/sso/cas`, which the
 *    aPaaS workbench's tiles enter through too), per client IP, then per tenant named;
 *  - `oidc`: `/oidc/auth` (browsers, per IP) and `/oidc/token` (apps' servers, per IP);
 *  - `adminFailures`: failed admin authentications per IP — once used up, the address is refused
 *    whatever it sends until the window ends, so a guesser never learns that a guess was right;
 *  - `webhookSignatureFailure`: KooGallery calls whose signature failed, per IP; produce/ calls it
 *    after the signature check, so a valid signed call is never limited.
 */
import { originOf, type AppContext, type AppMiddleware } from '../http/state.js';
import { isKbError, type KbError } from '../shared/errors.js';
import { isTenantId } from '../shared/identifiers.js';
import type { Observations } from '../shared/observations.js';
import type { Keys } from '../store/keys.js';
import { createWindowCounter } from '../store/rate-counter.js';
import type { Store } from '../store/types.js';
import { answerRefusal, refusalError } from './doors.js';
import { createLimit, type Limit, type LimitScope } from './limit.js';

/** One limit: at most `points` hits per window of `windowMs` (whole seconds); null: no limit. */
export type LimitSetting = { points: number; windowMs: number } | null;

/** The RATE_LIMIT_* settings (config's `rateLimits` slice). */
export interface RateLimitSettings {
  loginIp: LimitSetting;
  loginTenant: LimitSetting;
  oidcAuthIp: LimitSetting;
  oidcTokenIp: LimitSetting;
  adminFailuresIp: LimitSetting;
  webhookFailuresIp: LimitSetting;
}

export interface RateLimitDeps {
  store: Store;
  keys: Keys;
  settings: RateLimitSettings;
  observations: Observations;
  logger: { warn(obj: object, msg: string): void };
  now: () => number;
}

export interface RateLimits {
  login: AppMiddleware;
  oidc: AppMiddleware;
  adminFailures: AppMiddleware;
  /** For produce/: counts a call whose signature failed; the error to answer instead, or null. */
  webhookSignatureFailure(ctx: AppContext): Promise<KbError | null>;
}

const LOGIN_PATHS = new Set(['/sso/login', '/sso/callback', '/sso/cas']);
const isOidcAuth = (path: string) => path === '/oidc/auth' || path.startsWith('/oidc/auth/');

export function createRateLimits(deps: RateLimitDeps): RateLimits {
  const limit = (name: string, scope: LimitScope, setting: LimitSetting): Limit | null =>
    setting && createLimit(name, scope, createWindowCounter(deps.store, { keyPrefix: deps.keys.rateLimit(name), ...setting }), deps);
  const { settings } = deps;
  const loginIp = limit('login_ip', 'ip', settings.loginIp);
  const loginTenant = limit('login_tenant', 'tenant', settings.loginTenant);
  const authIp = limit('oidc_auth_ip', 'ip', settings.oidcAuthIp);
  const tokenIp = limit('oidc_token_ip', 'ip', settings.oidcTokenIp);
  const adminIp = limit('admin_failures_ip', 'ip', settings.adminFailuresIp);
  const webhookIp = limit('webhook_failures_ip', 'ip', settings.webhookFailuresIp);

  return {
    async login(ctx, next) {
      if (!LOGIN_PATHS.has(ctx.path)) return next();
      const origin = originOf(ctx);
      const byIp = await loginIp?.hit(ctx.ip, origin);
      if (byIp) return answerRefusal(ctx, byIp, 'html');
      const tenant = tenantOf(ctx);
      const byTenant = tenant === null ? null : await loginTenant?.hit(tenant, origin);
      if (byTenant) return answerRefusal(ctx, byTenant, 'html');
      return next();
    },

    async oidc(ctx, next) {
      const token = ctx.path === '/oidc/token';
      const chosen = token ? tokenIp : isOidcAuth(ctx.path) ? authIp : null;
      const refusal = await chosen?.hit(ctx.ip, originOf(ctx));
      if (refusal) return answerRefusal(ctx, refusal, token ? 'json' : 'html');
      return next();
    },

    async adminFailures(ctx, next) {
      if (!adminIp || !(ctx.path === '/admin' || ctx.path.startsWith('/admin/'))) return next();
      const origin = originOf(ctx);
      const refusal = await adminIp.check(ctx.ip, origin);
      // The console's pages (/admin, its sign-in) are read by a person; the API by a program.
      if (refusal) return answerRefusal(ctx, refusal, ctx.path.startsWith('/admin/api/') ? 'json' : 'html');
      try {
        await next();
      } catch (err) {
        if (isKbError(err, 'unauthorized')) await adminIp.hit(ctx.ip, origin);
        throw err;
      }
      // The console's sign-in answers a wrong token with its own 401 page instead of throwing.
      if (ctx.status === 401) await adminIp.hit(ctx.ip, origin);
    },

    async webhookSignatureFailure(ctx) {
      const refusal = await webhookIp?.hit(ctx.ip, originOf(ctx));
      return refusal ? refusalError(refusal) : null;
    },
  };
}

/**
 * The tenant a login names (`tenant`, or `tenant_id` on callbacks). Only a well-formed tenant id is
 * counted: anything else is refused by the login itself, and must not make up counter keys.
 */
function tenantOf(ctx: AppContext): string | null {
  const value = ctx.query.tenant ?? ctx.query.tenant_id;
  return typeof value === 'string' && isTenantId(value) ? value : null;
}
