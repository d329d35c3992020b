/**
 * Deep links: the rule of ALLOWED_RETURN_PREFIXES, pure. Read once by the configuration, applied by
 * the login room to every `return_to` and every URL a trusted proxy names.
 */

/**
 * One entry of ALLOWED_RETURN_PREFIXES, parsed once at start: an origin (any path on it) or an
 * origin and a path prefix (that path and what lies below it).
 */
export interface ReturnPrefix {
  origin: string;
  /** `/` for a whole origin; otherwise ends with `/` (`/app` allows `/app` and `/app/…`, not `/apple`). */
  path: string;
}

/** Reads one ALLOWED_RETURN_PREFIXES entry, or says why it cannot be one. */
export function parseReturnPrefix(entry: string): ReturnPrefix | string {
  if (!URL.canParse(entry)) return 'is not an absolute http(s) URL';
  const url = new URL(entry);
  if (!/^https?:$/.test(url.protocol)) return 'is not an absolute http(s) URL';
  if (url.username || url.password) return 'must not carry a user name or password';
  if (url.search || url.hash || entry.includes('?') || entry.includes('#')) return 'must be an origin or an origin and a path, without query or fragment';
  if (!entry.toLowerCase().startsWith(url.origin.toLowerCase())) return 'is not written plainly (scheme://host[:port][/path])';
  return { origin: url.origin, path: url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/` };
}

// Nothing a browser would read differently from the URL parser: whitespace and control characters,
// backslashes (`https:\\evil`), and anything beyond printable ASCII.
const PLAIN_URL = /^[\x21-\x5b\x5d-\x7e]+$/;

/**
 * The URL a login may return to under a prefix rule, as the browser will be sent there (the parsed
 * form, so the browser and this check read the same URL), or null. Never an open redirect: the value
 * must be an absolute http(s) URL, written plainly (no userinfo, no backslash, no scheme-relative
 * `//host`), whose origin is exactly the rule's and whose path (dot segments resolved) is under it.
 */
export function matchReturnPrefix(prefixes: readonly ReturnPrefix[], value: string): string | null {
  if (prefixes.length === 0 || !PLAIN_URL.test(value) || !URL.canParse(value)) return null;
  const url = new URL(value);
  if (!/^https?:$/.test(url.protocol) || url.username || url.password) return null;
  // The value must start with its own origin, as written: `https:evil.com`, `https:/evil.com`, `https://a.com:443@…` are not.
  if (!value.toLowerCase().startsWith(`${url.protocol}//${url.host}`.toLowerCase())) return null;
  const allowed = prefixes.some((p) => p.origin === url.origin && (p.path === '/' || url.pathname === p.path.slice(0, -1) || url.pathname.startsWith(p.path)));
  return allowed ? url.href : null;
}
