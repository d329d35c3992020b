/**
 * The provider builds every URL it publishes (discovery, redirects, `iss`) from the request's
 * origin. PUBLIC_URL is the only origin the bridge has: a request naming another Host (or
 * X-Forwarded-Host / -Proto, trusted or not) must not change what the provider tells apps.
 */
import type { Middleware } from 'koa';

/** Runs `provider` (mounted at /oidc) with PUBLIC_URL's host and scheme as the request's. */
export function publicOriginOnly(publicUrl: string, provider: Middleware): Middleware {
  const { host, protocol } = new URL(publicUrl);
  const scheme = protocol.slice(0, -1);
  return async (ctx, next) => {
    if (ctx.path !== '/oidc' && !ctx.path.startsWith('/oidc/')) return next();
    ctx.request.header.host = host;
    delete ctx.request.header['x-forwarded-host'];
    // Koa reads the scheme from the socket (or X-Forwarded-Proto with TRUST_PROXY=1); PUBLIC_URL decides here.
    Object.defineProperty(ctx.request, 'protocol', { value: scheme, configurable: true });
    await provider(ctx, next);
  };
}
