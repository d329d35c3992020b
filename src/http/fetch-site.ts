/**
 * Where a state-changing browser POST comes from, by Fetch Metadata first, then Origin. Our pages
 * send `Referrer-Policy: no-referrer`, under which Chromium sends `Origin: null` even on our own
 * forms; it also sends `Sec-Fetch-Site`, which a page cannot forge.
 *  - 'this-site': `Sec-Fetch-Site: same-origin`, or Origin equal to PUBLIC_URL's origin;
 *  - 'other-site': `Sec-Fetch-Site` cross-site or same-site (another port or subdomain), or a
 *    foreign Origin;
 *  - 'unknown': `Origin: null` or no Origin, without telling Fetch Metadata — the caller decides
 *    (a form token derived from an HttpOnly cookie, say).
 */
import type { AppContext } from './state.js';

export type PostSource = 'this-site' | 'other-site' | 'unknown';

export function postSource(ctx: AppContext, publicUrl: string): PostSource {
  const site = ctx.get('sec-fetch-site');
  if (site === 'same-origin') return 'this-site';
  if (site === 'cross-site' || site === 'same-site') return 'other-site';
  const origin = ctx.get('origin');
  if (origin && origin !== 'null') return origin === new URL(publicUrl).origin ? 'this-site' : 'other-site';
  return 'unknown';
}
