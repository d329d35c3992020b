/**
 * tenantSync's `domainName`: the base URL of the tenant's IdP, where the bridge later sends the
 * tenant's clientSecret and its users' authorization codes. A forged or careless value would point
 * those at a host of someone else's choosing, or at our own internal network (SSRF), so only a
 * public https origin (with an optional path) is accepted unless insecure IdPs are allowed.
 *
 * Only literal hosts are checked here (this module does no DNS); a public name that resolves to a
 * private address is the HTTP client's concern.
 */
import { BlockList, isIPv4, isIPv6 } from 'node:net';
import { FieldProblem } from './schemas-fields.js';

const INSECURE_HINT = 'KOO_ALLOW_INSECURE_IDP=1 allows it, for development only';

// Loopback, private, link-local and unspecified ranges. BlockList also matches IPv4-mapped IPv6
// addresses (::ffff:127.0.0.1) against the IPv4 rules.
const PRIVATE = new BlockList();
PRIVATE.addSubnet('0.0.0.0', 8, 'ipv4');
PRIVATE.addSubnet('10.0.0.0', 8, 'ipv4');
PRIVATE.addSubnet('127.0.0.0', 8, 'ipv4');
PRIVATE.addSubnet('169.254.0.0', 16, 'ipv4');
PRIVATE.addSubnet('172.16.0.0', 12, 'ipv4');
PRIVATE.addSubnet('192.168.0.0', 16, 'ipv4');
PRIVATE.addAddress('::', 'ipv6');
PRIVATE.addAddress('::1', 'ipv6');
PRIVATE.addSubnet('fc00::', 7, 'ipv6');
PRIVATE.addSubnet('fe80::', 10, 'ipv6');

/**
 * Whether an IP literal (no brackets, no zone) is loopback, private, link-local or unspecified.
 * Text that is not an IP address answers false. Exported for the outbound HTTP client, which checks
 * every address a name resolves to against the same ranges (plus a few more of its own).
 */
export function isPrivateAddress(ip: string): boolean {
  if (isIPv4(ip)) return PRIVATE.check(ip, 'ipv4');
  if (isIPv6(ip)) return PRIVATE.check(ip, 'ipv6');
  return false;
}

/** Whether a URL hostname is `localhost`-like or a private IP literal; names are not resolved. */
export function isPrivateHost(hostname: string): boolean {
  // WHATWG URL has already normalised the host: lower case, IPv4 in dotted form (even when written
  // as 0x7f.1 or 2130706433), IPv6 in brackets.
  const host = hostname.replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  return isPrivateAddress(host.replace(/^\[|\]$/g, ''));
}

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
