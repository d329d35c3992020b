/**
 * Which network addresses the bridge may call when it talks to a tenant IdP, and the DNS lookup
 * that enforces it. A tenant's `domainName` arrives in a webhook, and the bridge then sends that
 * host the tenant's clientSecret and its users' codes: a name that resolves (or later re-resolves,
 * "DNS rebinding") to our own network would turn the bridge into a proxy into it (SSRF).
 *
 * The ranges of shared/ip-ranges.ts (loopback, private, link-local, unspecified) are the base; this
 * module adds the ones that are never a public IdP: multicast, broadcast and reserved space, shared
 * carrier-grade NAT space, documentation and benchmarking ranges, and IPv6 forms that carry an IPv4
 * address inside (mapped, translated, NAT64, 6to4), whose inner address is checked in turn.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIPv4, isIPv6, type LookupFunction } from 'node:net';
import { KbError } from '../shared/errors.js';
import { isPrivateAddress, isPrivateHost } from '../shared/ip-ranges.js';

const EXTRA = new BlockList();
EXTRA.addSubnet('100.64.0.0', 10, 'ipv4'); // shared address space (carrier-grade NAT), RFC 6598
EXTRA.addSubnet('192.0.0.0', 24, 'ipv4'); // IETF protocol assignments
EXTRA.addSubnet('192.0.2.0', 24, 'ipv4'); // documentation (TEST-NET-1)
EXTRA.addSubnet('198.18.0.0', 15, 'ipv4'); // benchmarking
EXTRA.addSubnet('198.51.100.0', 24, 'ipv4'); // documentation (TEST-NET-2)
EXTRA.addSubnet('203.0.113.0', 24, 'ipv4'); // documentation (TEST-NET-3)
EXTRA.addSubnet('224.0.0.0', 4, 'ipv4'); // multicast
EXTRA.addSubnet('240.0.0.0', 4, 'ipv4'); // reserved, and 255.255.255.255 broadcast
EXTRA.addSubnet('::', 96, 'ipv6'); // IPv4-compatible (deprecated), and :: / ::1
EXTRA.addSubnet('100::', 64, 'ipv6'); // discard-only
EXTRA.addSubnet('64:ff9b:1::', 48, 'ipv6'); // local-use NAT64: translates into a private network
EXTRA.addSubnet('2001::', 32, 'ipv6'); // Teredo: the real peer is hidden behind an obfuscated IPv4
EXTRA.addSubnet('2001:db8::', 32, 'ipv6'); // documentation
EXTRA.addSubnet('fec0::', 10, 'ipv6'); // site-local (deprecated, still routed privately by some)
EXTRA.addSubnet('ff00::', 8, 'ipv6'); // multicast

/** The 16 bytes of an IPv6 literal (zone already removed), or null when it does not parse. */
function ipv6Bytes(ip: string): number[] | null {
  let text = ip;
  const tail: number[] = [];
  // A trailing dotted quad (::ffff:10.0.0.1) stands for the last 32 bits.
  const quad = /:(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (quad?.[1] !== undefined) {
    if (!isIPv4(quad[1])) return null;
    tail.push(...quad[1].split('.').map(Number));
    text = `${text.slice(0, quad.index)}:0:0`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const groups = (part: string | undefined): string[] => (part === undefined || part === '' ? [] : part.split(':'));
  const head = groups(halves[0]);
  const rest = groups(halves[1]);
  const missing = 8 - head.length - rest.length;
  if (halves.length === 1 ? missing !== 0 : missing < 0) return null;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...rest];
  const bytes: number[] = [];
  for (const g of all) {
    if (!/^[0-9a-f]{1,4}$/i.test(g)) return null;
    const n = parseInt(g, 16);
    bytes.push(n >> 8, n & 0xff);
  }
  if (tail.length === 4) bytes.splice(12, 4, ...tail);
  return bytes.length === 16 ? bytes : null;
}

const isForbiddenV4 = (ip: string): boolean => isPrivateAddress(ip) || EXTRA.check(ip, 'ipv4');

/** The IPv4 address an IPv6 address carries and delivers to, when it is one of the known forms. */
function embeddedV4(b: number[]): string | null {
  const v4 = (at: number): string => b.slice(at, at + 4).join('.');
  const zeros = (from: number, to: number): boolean => b.slice(from, to).every((x) => x === 0);
  if (zeros(0, 10) && b[10] === 0xff && b[11] === 0xff) return v4(12); // ::ffff:a.b.c.d mapped
  if (zeros(0, 8) && b[8] === 0xff && b[9] === 0xff && zeros(10, 12)) return v4(12); // ::ffff:0:a.b.c.d translated
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zeros(4, 12)) return v4(12); // 64:ff9b::/96 NAT64
  if (b[0] === 0x20 && b[1] === 0x02) return v4(2); // 2002::/16 6to4
  return null;
}

/**
 * Whether the bridge must refuse to connect to this IP address. Anything that is not an IP literal
 * answers true: an address that cannot be checked is not trusted.
 */
export function isForbiddenAddress(ip: string): boolean {
  const text = ip.trim().replace(/^\[|\]$/g, '');
  if (isIPv4(text)) return isForbiddenV4(text);
  // A zone (fe80::1%eth0) only ever accompanies link-local addresses; check the address itself.
  const bare = text.replace(/%.*$/, '');
  if (!isIPv6(bare)) return true;
  if (isPrivateAddress(bare) || EXTRA.check(bare, 'ipv6')) return true;
  const bytes = ipv6Bytes(bare);
  if (bytes === null) return true;
  const inner = embeddedV4(bytes);
  return inner !== null && isForbiddenV4(inner);
}

/** Resolves every address of a name, as dns.lookup({ all: true }) does; injectable for tests. */
export type ResolveAll = (hostname: string, family: number) => Promise<LookupAddress[]>;

const systemResolveAll: ResolveAll = (hostname, family) =>
  new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true, family }, (err, addresses) => (err ? reject(err) : resolve(addresses)));
  });

const forbidden = (host: string, peer: string): KbError =>
  new KbError('idp_forbidden_address', `${peer} host ${host} resolves to a loopback, private or reserved address; refused`);

/**
 * A `lookup` for http.request that resolves every address of the name and refuses the connection
 * when any one is forbidden. The socket then connects to exactly the addresses checked here (Node
 * does not resolve again), so a name cannot be checked once and connected differently.
 * All-or-nothing rather than filtering: a name mixing public and private addresses is a setup
 * mistake or an attack, and neither deserves a connection.
 */
export function guardedLookup(resolveAll: ResolveAll = systemResolveAll, peer = 'tenant IdP'): LookupFunction {
  return (hostname, options, callback) => {
    const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : (options.family ?? 0);
    resolveAll(hostname, family).then(
      (addresses) => {
        if (addresses.length === 0) {
          callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), '', 0);
          return;
        }
        if (addresses.some((a) => isForbiddenAddress(a.address))) {
          callback(forbidden(hostname, peer), '', 0);
          return;
        }
        // Node ≥ 20 asks for all addresses when it races IPv4 and IPv6 (autoSelectFamily).
        if (options.all === true) callback(null, addresses);
        else callback(null, addresses[0]!.address, addresses[0]!.family);
      },
      (err: NodeJS.ErrnoException) => callback(err, '', 0),
    );
  };
}

/** Refuses a URL host that is a `localhost` name or a forbidden literal address (no DNS involved). */
export function checkLiteralHost(hostname: string, peer = 'tenant IdP'): void {
  const host = hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '').toLowerCase();
  const literal = isIPv4(host) || isIPv6(host.replace(/%.*$/, ''));
  if (isPrivateHost(hostname) || (literal && isForbiddenAddress(host))) {
    throw new KbError('idp_forbidden_address', `${peer} host ${host} is loopback, private or reserved; refused`);
  }
}
