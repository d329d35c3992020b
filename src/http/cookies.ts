/**
 * The bridge's two cookies, written by hand so their attributes are exactly what we mean:
 * HttpOnly, SameSite=Lax, Path=/, and — when PUBLIC_URL is https — Secure with the `__Host-`
 * prefix (the browser then refuses any Domain attribute or insecure overwrite). With COOKIE_DOMAIN
 * the session cookie alone is `__Secure-koobridge` with that Domain, so apps on sibling host names
 * receive it (every host under the domain then does: see the README's security model).
 */
import type { AppContext } from './state.js';

export interface CookieNames {
  session: string;
  prelogin: string;
  secure: boolean;
  /** The session cookie's Domain, or null for a host-only cookie. */
  domain: string | null;
}

export function cookieNames(publicUrl: string, domain: string | null = null): CookieNames {
  const secure = publicUrl.startsWith('https:');
  // `__Host-` forbids Domain; the configuration refuses COOKIE_DOMAIN without https.
  if (domain !== null && secure) return { session: '__Secure-koobridge', prelogin: '__Host-koobridge-login', secure, domain };
  return secure
    ? { session: '__Host-koobridge', prelogin: '__Host-koobridge-login', secure, domain: null }
    : { session: 'koobridge', prelogin: 'koobridge-login', secure, domain: null };
}

export function setCookie(ctx: AppContext, names: CookieNames, name: string, value: string, maxAgeMs: number | null): void {
  const parts = [`${name}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Lax'];
  if (names.secure) parts.push('Secure');
  if (names.domain !== null && name === names.session) parts.push(`Domain=${names.domain}`);
  // No Max-Age: a browser-session cookie, gone when the browser closes; the server enforces timeouts anyway.
  if (maxAgeMs !== null) parts.push(`Max-Age=${Math.max(0, Math.floor(maxAgeMs / 1000))}`);
  ctx.append('Set-Cookie', parts.join('; '));
}

export const clearCookie = (ctx: AppContext, names: CookieNames, name: string) => setCookie(ctx, names, name, '', 0);

/** The value of one cookie of the request (values we set are base64url: no decoding needed). */
export function readCookie(ctx: AppContext, name: string): string | undefined {
  const header = ctx.get('cookie');
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
