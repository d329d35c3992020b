/**
 * The provider under /oidc, with two corrections to what it sends:
 *  - its origin is PUBLIC_URL's. oidc-provider builds every URL it publishes (discovery, redirects,
 *    `iss`) from the request's origin; a request naming another Host (or X-Forwarded-Host / -Proto,
 *    trusted or not) must not change what the provider tells apps;
 *  - its interaction cookies are bounded (interaction-cookies.ts).
 * The provider is asked for at each request: it is replaced when the signing keys change (oidc.ts).
 */
import type { Middleware } from 'koa';
import mount from 'koa-mount';
import type Provider from 'oidc-provider';
import { boundInteractionCookies } from './interaction-cookies.js';

export function mountProvider(publicUrl: string, provider: () => Provider): Middleware {
  // One koa-mount per provider instance, made when that instance first serves a request.
  const mounts = new WeakMap<Provider, Middleware>();
  const mountedFor = (p: Provider): Middleware => {
    let m = mounts.get(p);
    if (!m) mounts.set(p, (m = mount('/oidc', p) as unknown as Middleware));
    return m;
  };
  const { host, protocol } = new URL(publicUrl);
  const scheme = protocol.slice(0, -1);
  return async (ctx, next) => {
    if (ctx.path !== '/oidc' && !ctx.path.startsWith('/oidc/')) return next();
    ctx.request.header.host = host;
    delete ctx.request.header['x-forwarded-host'];
    // Koa reads the scheme from the socket (or X-Forwarded-Proto with TRUST_PROXY=1); PUBLIC_URL decides here.
    Object.defineProperty(ctx.request, 'protocol', { value: scheme, configurable: true });
    try {
      await mountedFor(provider())(ctx, next);
    } finally {
      const set = ctx.res.getHeader('set-cookie');
      if (Array.isArray(set)) ctx.res.setHeader('set-cookie', boundInteractionCookies(set));
    }
  };
}
