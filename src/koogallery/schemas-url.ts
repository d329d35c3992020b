/**
 * tenantSync's `domainName`: the base URL of the tenant's IdP, where the bridge later sends the
 * tenant's clientSecret and its users' authorization codes. A forged or careless value would point
 * those at a host of someone else's choosing, or at our own internal network (SSRF), so only a
 * public https origin (with an optional path) is accepted unless insecure IdPs are allowed.
 *
 * Only literal hosts are checked here (this module does no DNS); a public name that resolves to a
 * private address is the HTTP client's concern.
 */
import { isPrivateHost } from '../shared/ip-ranges.js';
import { FieldProblem } from './schemas-fields.js';

const INSECURE_HINT = 'KOO_ALLOW_INSECURE_IDP=1 allows it, for development only';

/**
 * The normalised IdP base URL (`https://host[:port][/path]`, no trailing slash), or a
 * FieldProblem. The caller has already trimmed the text and checked its length.
 */
export function idpBaseUrl(text: string, allowInsecure: boolean): string {
  // The WHATWG parser forgives `https:idp` and backslashes for slashes; an address that will be
  // stored and shown should be written the one plain way.
  if (!/^https?:\/\//i.test(text) || text.includes('\\')) throw new FieldProblem('must be an absolute https:// URL');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new FieldProblem('must be an absolute https:// URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new FieldProblem('must be an absolute https:// URL');
  if (url.protocol === 'http:' && !allowInsecure) throw new FieldProblem(`must be an https:// URL (http:// is refused; ${INSECURE_HINT})`);
  if (url.hostname === '') throw new FieldProblem('must name a host');
  if (url.username !== '' || url.password !== '') throw new FieldProblem('must not contain credentials');
  // Checked on the text: `https://idp.example/?` parses to an empty search and would slip through.
  if (text.includes('?') || text.includes('#')) throw new FieldProblem('must not contain a query or a fragment');
  if (!allowInsecure && isPrivateHost(url.hostname)) {
    throw new FieldProblem(`must name a public host (loopback and private addresses are refused; ${INSECURE_HINT})`);
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}
