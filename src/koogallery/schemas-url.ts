/**
 * tenantSync's `domainName`: the base URL of the tenant's IdP, where the bridge later sends the
 * tenant's clientSecret and its users' authorization codes. A forged or careless value would point
 * those at a host of someone else's choosing, or at our own internal network (SSRF), so only a
 * public https origin (with an optional path) is usable unless insecure IdPs are allowed.
 *
 * KooGallery's interface debugging sends made-up values, among them a bare host without a scheme
 * (spec §5 "Debugging"), and the seller cannot register unless those calls succeed. Such a value
 * is accepted but never made usable: we do not guess `https://` in front of it. Anything that could
 * do harm if it were ever used (another scheme, credentials, a private host, …) is still refused.
 *
 * Only literal hosts are checked here (this module does no DNS); a public name that resolves to a
 * private address is the HTTP client's concern.
 */
import { isPrivateHost } from '../shared/ip-ranges.js';
import { FieldProblem } from './schemas-fields.js';

const INSECURE_HINT = 'KOO_ALLOW_INSECURE_IDP=1 allows it, for development only';
const NOT_A_URL = 'must be an absolute https:// URL';

/** What an operator reads about a tenant whose domainName arrived without a scheme. */
export const SCHEMELESS_DOMAIN_PROBLEM =
  "has no https:// scheme (KooGallery's interface debugging sends made-up values); this tenant cannot sign in until a usable https domain arrives";

/** A domainName the bridge accepted: either a usable base URL, or a value kept with the reason it is unusable. */
export type IdpDomain = { url: string; problem: null } | { url: null; problem: string };

/**
 * The normalised IdP base URL (`https://host[:port][/path]`, no trailing slash), or a
 * FieldProblem. The caller has already trimmed the text and checked its length.
 */
export function idpBaseUrl(text: string, allowInsecure: boolean): string {
  // The WHATWG parser forgives `https:idp` and backslashes for slashes; an address that will be
  // stored and shown should be written the one plain way.
  if (!/^https?:\/\//i.test(text) || text.includes('\\')) throw new FieldProblem(NOT_A_URL);
  const url = parseUrl(text);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new FieldProblem(NOT_A_URL);
  if (url.protocol === 'http:' && !allowInsecure) throw new FieldProblem(`must be an https:// URL (http:// is refused; ${INSECURE_HINT})`);
  checkAuthority(text, url, allowInsecure);
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/**
 * Classifies an accepted domainName: a usable base URL (as idpBaseUrl), or a plain
 * `host[:port][/path]` without a scheme, kept as unusable with SCHEMELESS_DOMAIN_PROBLEM.
 * Throws a FieldProblem for everything idpBaseUrl refuses that is not such a plain host.
 */
export function idpDomain(text: string, allowInsecure: boolean): IdpDomain {
  if (!isSchemeless(text)) return { url: idpBaseUrl(text, allowInsecure), problem: null };
  // Parsed only to hold the value to the same rules as a URL; the parsed form is thrown away.
  const url = parseUrl(`https://${text}`);
  checkAuthority(text, url, allowInsecure);
  return { url: null, problem: SCHEMELESS_DOMAIN_PROBLEM };
}

// A URL scheme (RFC 3986 §3.1) followed by its colon.
const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/**
 * True for text that starts like a host rather than like a URL: no leading slash, no backslash,
 * no blank, and no scheme. `idp.example.com:8443/x` reads as a scheme followed by a port, so a
 * dotted name followed by `:digits` counts as host and port; an undotted name never does, which
 * keeps `javascript:1/alert(1)` (a script in any page that makes it a link) out. Everything else
 * goes the URL way and is refused there unless it is a proper https (or allowed http) URL.
 */
function isSchemeless(text: string): boolean {
  if (text.includes('\\') || /\s/.test(text) || text.startsWith('/')) return false;
  if (text.startsWith('[')) return true; // an IPv6 literal: [address][:port][/path]
  const scheme = SCHEME.exec(text);
  if (scheme === null) return true;
  return scheme[0].includes('.') && /^\d{1,5}(?:[/?#]|$)/.test(text.slice(scheme[0].length));
}

function parseUrl(text: string): URL {
  try {
    return new URL(text);
  } catch {
    throw new FieldProblem(NOT_A_URL);
  }
}

/** The rules on host, credentials, query and fragment that both forms share. */
function checkAuthority(text: string, url: URL, allowInsecure: boolean): void {
  if (url.hostname === '') throw new FieldProblem('must name a host');
  if (url.username !== '' || url.password !== '') throw new FieldProblem('must not contain credentials');
  // Checked on the text: `https://idp.example/?` parses to an empty search and would slip through.
  if (text.includes('?') || text.includes('#')) throw new FieldProblem('must not contain a query or a fragment');
  if (!allowInsecure && isPrivateHost(url.hostname)) {
    throw new FieldProblem(`must name a public host (loopback and private addresses are refused; ${INSECURE_HINT})`);
  }
}
