import type { AppContext, AppMiddleware } from './state.js';

/**
 * Conservative defaults for every response; routes that render HTML relax the CSP for themselves.
 * Responses of an identity service are personal: nothing is cached by default.
 */
export function securityHeaders(opts: { hsts: boolean }): AppMiddleware {
  return async (ctx, next) => {
    setSecurityHeaders(ctx, opts);
    await next();
  };
}

/** The same headers, for a door that answers ahead of the middleware (CAS validation). */
export function setSecurityHeaders(ctx: AppContext, opts: { hsts: boolean }): void {
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.set('X-Frame-Options', 'DENY');
  ctx.set('Referrer-Policy', 'no-referrer');
  // script-src is named so oidc-provider can add the hash of its one inline auto-submit script
  // (form_post responses, account switches); we serve no script files.
  ctx.set('Content-Security-Policy', "default-src 'none'; script-src 'self'; frame-ancestors 'none'");
  ctx.set('Cache-Control', 'no-store');
  if (opts.hsts) ctx.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
}
