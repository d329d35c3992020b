/**
 * Adding parameters to a URL the client gave us without rewriting the rest of it. CAS binds a
 * ticket to the exact `service` string, and a round trip through the URL class may re-encode an
 * existing query, so parameters are appended as text: after `?` or `&`, before any fragment.
 */

export function appendQuery(url: string, params: Record<string, string | undefined>): string {
  const hashAt = url.indexOf('#');
  const base = hashAt === -1 ? url : url.slice(0, hashAt);
  const fragment = hashAt === -1 ? '' : url.slice(hashAt);
  const added = Object.entries(params)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
  if (added === '') return url;
  const separator = !base.includes('?') ? '?' : base.endsWith('?') || base.endsWith('&') ? '' : '&';
  return `${base}${separator}${added}${fragment}`;
}

/** Only absolute http(s) URLs are redirect targets: anything else is a client mistake worth a 400. */
export function isHttpUrl(text: string | undefined): text is string {
  if (!text) return false;
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
