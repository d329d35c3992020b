/**
 * The address ranges that are never a tenant IdP: loopback, private, link-local, unspecified.
 * Pure (no DNS): the sync schemas check literal hosts with them, and the outbound client checks
 * every resolved address against them plus a few more ranges of its own.
 */
import { BlockList, isIPv4, isIPv6 } from 'node:net';

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
 * Text that is not an IP address answers false.
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
