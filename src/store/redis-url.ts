/**
 * REDIS_URL → ioredis connection options, for the three deployments one URL can name:
 *
 *   redis://[user:pass@]host[:port][/db]           standalone (rediss:// = TLS)
 *   redis+sentinel://[user:pass@]h1:p1,h2:p2/master[/db]   Sentinel (rediss+sentinel:// = TLS)
 *   redis+cluster://[user:pass@]h1:p1,h2:p2        Cluster (rediss+cluster:// = TLS)
 *
 * The WHATWG URL parser rejects comma-separated host lists, so this is a small hand parser.
 * Error messages never echo any part of the URL: a mistyped URL can put the password anywhere
 * (`redis://host:secret` reads the password as the port).
 */
import type { ClusterOptions, RedisOptions } from 'ioredis';
import { KbError } from '../shared/errors.js';

export interface HostPort {
  host: string;
  port: number;
}

/** What the caller needs to build the client; `password` is returned so messages can be scrubbed. */
export type RedisTarget =
  | { kind: 'standalone'; options: RedisOptions; password: string | undefined }
  | { kind: 'sentinel'; options: RedisOptions; password: string | undefined }
  | { kind: 'cluster'; nodes: HostPort[]; options: ClusterOptions; password: string | undefined };

const SCHEMES = ['redis', 'rediss', 'redis+sentinel', 'rediss+sentinel', 'redis+cluster', 'rediss+cluster'] as const;
type Scheme = (typeof SCHEMES)[number];

const DEFAULT_PORT = 6379;
const DEFAULT_SENTINEL_PORT = 26379;

const fail = (why: string): never => {
  throw new KbError('config_invalid', `REDIS_URL: ${why}`);
};

function decode(part: string, what: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return fail(`the ${what} is not valid percent-encoding`);
  }
}

function parsePort(text: string, index: number, fallback: number): number {
  if (text === '') return fallback;
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(port >= 1 && port <= 65535)) fail(`the port of host #${index} is not a number from 1 to 65535`);
  return port;
}

function parseHost(text: string, index: number, fallbackPort: number): HostPort {
  if (text === '') fail(`host #${index} is empty`);
  if (text.startsWith('[')) {
    // IPv6 literal: [::1]:6379
    const end = text.indexOf(']');
    if (end < 0 || (end + 1 < text.length && text[end + 1] !== ':')) fail(`host #${index} is not a valid [IPv6]:port`);
    return { host: text.slice(1, end), port: parsePort(text.slice(end + 2), index, fallbackPort) };
  }
  const colon = text.lastIndexOf(':');
  const host = colon < 0 ? text : text.slice(0, colon);
  if (!/^[A-Za-z0-9._-]+$/.test(host)) fail(`host #${index} is not a valid host name`);
  return { host, port: colon < 0 ? fallbackPort : parsePort(text.slice(colon + 1), index, fallbackPort) };
}

function parseDb(text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;
  if (!/^\d{1,5}$/.test(text)) return fail('the database must be a number (redis://host:6379/0)');
  return Number(text);
}

export function redisOptionsFromUrl(url: string): RedisTarget {
  if (typeof url !== 'string' || url.trim() === '') return fail('is empty');
  const match = /^([a-z+]+):\/\/(.*)$/is.exec(url.trim());
  const scheme = match?.[1]?.toLowerCase() as Scheme | undefined;
  if (!match || !scheme || !SCHEMES.includes(scheme)) {
    return fail(`must start with one of ${SCHEMES.map((s) => `${s}://`).join(', ')}`);
  }
  let rest = match[2]!;
  if (/[?#]/.test(rest.slice(rest.lastIndexOf('@') + 1))) fail('query strings and fragments are not supported');

  // Userinfo ends at the last '@', so an unencoded '@' in a password still parses.
  let username: string | undefined;
  let password: string | undefined;
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    const userinfo = rest.slice(0, at);
    rest = rest.slice(at + 1);
    const colon = userinfo.indexOf(':');
    // redis://secret@host is ambiguous (a user name to RFC 3986, a password to some clients): refuse it.
    if (colon < 0) fail('credentials need a colon: redis://:password@host or redis://user:password@host');
    username = decode(userinfo.slice(0, colon), 'user name') || undefined;
    password = decode(userinfo.slice(colon + 1), 'password') || undefined;
  }

  const slash = rest.indexOf('/');
  const hostList = slash < 0 ? rest : rest.slice(0, slash);
  const path = slash < 0 ? [] : rest.slice(slash + 1).split('/');
  const tls = scheme.startsWith('rediss') ? {} : undefined;
  const auth = { ...(username ? { username } : {}), ...(password ? { password } : {}) };
  const hosts = hostList.split(',');

  if (scheme === 'redis' || scheme === 'rediss') {
    if (hosts.length !== 1) fail('several hosts need redis+sentinel:// or redis+cluster://');
    if (path.length > 1) fail('the path must be only the database number');
    const { host, port } = parseHost(hosts[0]!, 1, DEFAULT_PORT);
    const db = parseDb(path[0]);
    return { kind: 'standalone', password, options: { host, port, ...auth, ...(db !== undefined ? { db } : {}), ...(tls ? { tls } : {}) } };
  }

  if (scheme.endsWith('+sentinel')) {
    const sentinels = hosts.map((h, i) => parseHost(h, i + 1, DEFAULT_SENTINEL_PORT));
    const name = path[0] ? decode(path[0], 'master name') : '';
    if (name === '') fail('a Sentinel URL needs the master name: redis+sentinel://host:26379/mymaster');
    if (path.length > 2) fail('the path must be /mastername or /mastername/db');
    const db = parseDb(path[1]);
    return {
      kind: 'sentinel',
      password,
      // The credentials are the master's; Sentinels themselves are contacted without AUTH.
      options: {
        sentinels,
        name,
        ...auth,
        ...(db !== undefined ? { db } : {}),
        ...(tls ? { tls, enableTLSForSentinelMode: true, sentinelTLS: tls } : {}),
      },
    };
  }

  const nodes = hosts.map((h, i) => parseHost(h, i + 1, DEFAULT_PORT));
  if (path.some((p) => p !== '' && p !== '0')) fail('Redis Cluster has only database 0; remove the path');
  return {
    kind: 'cluster',
    nodes,
    password,
    options: {
      redisOptions: { ...auth, ...(tls ? { tls } : {}) },
      // With TLS the certificate names the host, so connect by the name the cluster reports
      // instead of a resolved IP (what managed clusters such as ElastiCache require).
      ...(tls ? { dnsLookup: (address: string, callback: (err: null, address: string) => void) => callback(null, address) } : {}),
    },
  };
}
