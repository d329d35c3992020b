import type { AppMiddleware } from './state.js';

/**
 * Conservative defaults for every response; routes that render HTML relax the CSP for themselves.
 * Responses of an identity service are personal: nothing is cached by default.
 */
const BASE: readonly (readonly [string, string])[] = [
  ['X-Content-Type-Options', 'nosniff'],
  ['X-Frame-Options', 'DENY'],
  ['Referrer-Policy', 'no-referrer'],
  // script-src is named so oidc-provider can add the hash of its one inline auto-submit script
  // (form_post responses, account switches); we serve no script files.
  ['Content-Security-Policy', "default-src 'none'; script-src 'self'; frame-ancestors 'none'"],
  ['Cache-Control', 'no-store'],
];
const WITH_HSTS = [...BASE, ['Strict-Transport-Security', 'max-age=31536000; includeSubDomains']] as const;

/** The headers, as name–value pairs: for a door that writes its whole answer itself (CAS validation). */
export const securityHeaderPairs = (opts: { hsts: boolean }): readonly (readonly [string, string])[] => (opts.hsts ? WITH_HSTS : BASE);

export function securityHeaders(opts: { hsts: boolean }): AppMiddleware {
  const pairs = securityHeaderPairs(opts);
  return async (ctx, next) => {
    for (const [name, value] of pairs) ctx.set(name, value);
    await next();
  };
}
