/**
 * The bridge's two cookies, written by hand so their attributes are exactly what we mean:
 * HttpOnly, SameSite=Lax, Path=/, and — when PUBLIC_URL is https — Secure with the `__Host-`
 * prefix (the browser then refuses any Domain attribute or insecure overwrite).
 */
import type { AppContext } from './state.js';

export interface CookieNames {
  session: string;
  prelogin: string;
  secure: boolean;
}

export function cookieNames(publicUrl: string): CookieNames {
  const secure = publicUrl.startsWith('https:');
  return secure
    ? { session: '__Host-koobridge', prelogin: '__Host-koobridge-login', secure }
    : { session: 'koobridge', prelogin: 'koobridge-login', secure };
}

export function setCookie(ctx: AppContext, names: CookieNames, name: string, value: string, maxAgeMs: number | null): void {
  const parts = [`${name}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Lax'];
  if (names.secure) parts.push('Secure');
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
