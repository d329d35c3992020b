/**
 * The console's CSRF defence, in three layers: the cookie is SameSite=Strict (no other site's page
 * sends it); every cookie-authenticated call must come from this site by Fetch Metadata / Origin
 * (http/fetch-site.ts) — a same-site page on another port or subdomain, which Strict does not stop,
 * is refused too; and every state-changing call must echo the session's double-submit token, which
 * only a page of ours can read (it is in the console page, never in a cookie a script could read).
 */
import { sameSecret } from '../shared/hash.js';
import { KbError } from '../shared/errors.js';
import { postSource } from '../http/fetch-site.js';
import type { AppContext } from '../http/state.js';

/** The header the console's scripts send the token in (a custom header also forces a CORS preflight elsewhere). */
export const CSRF_HEADER = 'x-koobridge-csrf';

const SAFE_METHODS = new Set(['GET', 'HEAD']);

/** Throws `cross_origin_refused` unless the request may act with this console session. */
export function checkConsoleRequest(ctx: AppContext, publicUrl: string, csrf: string, formToken?: string): void {
  if (postSource(ctx, publicUrl) === 'other-site') throw new KbError('cross_origin_refused', 'an admin console call must come from the console itself (this site)');
  if (SAFE_METHODS.has(ctx.method)) return;
  const sent = ctx.get(CSRF_HEADER) || formToken || '';
  if (sent === '' || !sameSecret(sent, csrf)) throw new KbError('cross_origin_refused', 'an admin console call that changes something must carry the console page’s CSRF token');
}
