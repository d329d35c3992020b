/**
 * The URL the browser asked for, as the reverse proxy in front tells it: nginx sends
 * `X-Original-URL` (see the README's example), Traefik's ForwardAuth `X-Forwarded-Proto`,
 * `X-Forwarded-Host` and `X-Forwarded-Uri`. These headers are anyone's to send, so they are read only
 * with TRUST_PROXY=1 (the proxy then sets them, overwriting the client's), and what they name is
 * still only a candidate: a login returns there only if the allow-list says so (urls.ts).
 */
import type { AppContext } from '../http/state.js';

const MAX_URL_LENGTH = 2048;

export function originalUrl(ctx: AppContext, trustProxy: boolean): string | undefined {
  if (!trustProxy) return undefined;
  const whole = ctx.get('x-original-url');
  if (whole) return whole.length <= MAX_URL_LENGTH ? whole : undefined;
  const proto = ctx.get('x-forwarded-proto').split(',')[0]!.trim();
  const host = ctx.get('x-forwarded-host').split(',')[0]!.trim();
  const uri = ctx.get('x-forwarded-uri');
  if (!/^https?$/.test(proto) || !host || !uri.startsWith('/') || uri.startsWith('//')) return undefined;
  const url = `${proto}://${host}${uri}`;
  return url.length <= MAX_URL_LENGTH ? url : undefined;
}
