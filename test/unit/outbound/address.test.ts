import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { hostname } from 'node:os';
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { KbError } from '../../../src/shared/errors.js';
import { guardedLookup } from '../../../src/outbound/address.js';
import { isForbiddenAddress, outboundRequest } from '../../../src/outbound/http.js';
import { expectCode, useNock } from '../connectors/helpers.js';

useNock();

describe('isForbiddenAddress', () => {
  it.each([
    ['127.0.0.1', 'IPv4 loopback'],
    ['127.255.255.254', 'the whole 127/8'],
    ['10.0.0.5', 'RFC 1918 10/8'],
    ['172.16.0.1', 'RFC 1918 172.16/12'],
    ['172.31.255.255', 'end of 172.16/12'],
    ['192.168.1.1', 'RFC 1918 192.168/16'],
    ['169.254.169.254', 'link-local (cloud metadata)'],
    ['0.0.0.0', 'unspecified'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['224.0.0.1', 'IPv4 multicast'],
    ['239.255.255.250', 'IPv4 multicast (SSDP)'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['198.18.0.1', 'benchmarking'],
    ['192.0.2.10', 'documentation'],
    ['::1', 'IPv6 loopback'],
    ['::', 'IPv6 unspecified'],
    ['[::1]', 'bracketed IPv6 loopback'],
    ['fe80::1', 'IPv6 link-local'],
    ['fe80::1%eth0', 'IPv6 link-local with a zone'],
    ['fc00::1', 'IPv6 unique local'],
    ['fd12:3456:789a::1', 'IPv6 unique local (fd)'],
    ['fec0::1', 'IPv6 site-local'],
    ['ff02::1', 'IPv6 multicast'],
    ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
    ['::ffff:7f00:1', 'IPv4-mapped loopback in hex'],
    ['::ffff:10.0.0.5', 'IPv4-mapped private'],
    ['::ffff:0:192.168.0.1', 'IPv4-translated private'],
    ['::127.0.0.1', 'IPv4-compatible loopback'],
    ['64:ff9b::a00:5', 'NAT64 of a private address'],
    ['2002:c0a8:101::1', '6to4 of a private address'],
    ['2001:0:4136:e378::1', 'Teredo'],
    ['not-an-ip', 'text that is not an address'],
    ['', 'empty text'],
  ])('refuses %s (%s)', (ip) => {
    expect(isForbiddenAddress(ip)).toBe(true);
  });

  it.each([
    ['93.184.216.34', 'public IPv4'],
    ['8.8.8.8', 'public resolver'],
    ['172.32.0.1', 'just outside 172.16/12'],
    ['100.128.0.1', 'just outside carrier-grade NAT'],
    ['2606:4700:4700::1111', 'public IPv6'],
    ['::ffff:8.8.8.8', 'IPv4-mapped public'],
    ['64:ff9b::808:808', 'NAT64 of a public address'],
    ['2002:808:808::1', '6to4 of a public address'],
  ])('allows %s (%s)', (ip) => {
    expect(isForbiddenAddress(ip)).toBe(false);
  });
});

type Answer = { err: NodeJS.ErrnoException | null; address: string | LookupAddress[]; family?: number | undefined };

function runLookup(addresses: LookupAddress[] | Error, all: boolean): Promise<Answer> {
  const lookup = guardedLookup(async () => {
    if (addresses instanceof Error) throw addresses;
    return addresses;
  });
  return new Promise((resolve) => lookup('idp.example.com', { all }, (err, address, family) => resolve({ err, address, family })));
}

describe('the guarded DNS lookup', () => {
  const publicV4 = { address: '93.184.216.34', family: 4 };
  const publicV6 = { address: '2606:4700:4700::1111', family: 6 };

  it('hands the socket exactly the checked addresses when all are public', async () => {
    expect(await runLookup([publicV4, publicV6], true)).toEqual({ err: null, address: [publicV4, publicV6], family: undefined });
    expect(await runLookup([publicV4, publicV6], false)).toEqual({ err: null, address: publicV4.address, family: 4 });
  });

  it('refuses a name when any one of its addresses is private (DNS rebinding)', async () => {
    const answer = await runLookup([publicV4, { address: '10.0.0.5', family: 4 }], true);
    expect(answer.err).toBeInstanceOf(KbError);
    expect((answer.err as KbError).code).toBe('idp_forbidden_address');
  });

  it('refuses a name resolving to IPv6 loopback', async () => {
    const answer = await runLookup([{ address: '::1', family: 6 }], false);
    expect((answer.err as KbError).code).toBe('idp_forbidden_address');
  });

  it('reports a name without addresses as not found', async () => {
    expect((await runLookup([], true)).err?.code).toBe('ENOTFOUND');
  });

  it('passes resolver failures through', async () => {
    const failure = Object.assign(new Error('nope'), { code: 'EAI_AGAIN' });
    expect((await runLookup(failure, true)).err).toBe(failure);
  });
});

describe('outbound requests to private addresses', () => {
  it.each([
    'https://127.0.0.1/api/v1/oauth2/token',
    'https://10.0.0.5/api/v1/oauth2/token',
    'https://[::1]/api/v1/oauth2/token',
    'https://[::ffff:127.0.0.1]/api/v1/oauth2/token',
    'https://169.254.169.254/latest/meta-data',
    'https://0x7f.1/api',
    'https://localhost/api',
    'https://idp.localhost/api',
  ])('refuses the literal host of %s without connecting', async (url) => {
    const host = new URL(url).origin;
    const scope = nock(host).get(/.*/).reply(200, 'reached');
    await expectCode(outboundRequest({ url, method: 'GET', timeoutMs: 1000, allowInsecure: false }), 'idp_forbidden_address');
    expect(scope.isDone()).toBe(false);
  });

  it('allows a private literal host when insecure IdPs are allowed (development)', async () => {
    nock('http://127.0.0.1:8080').get('/x').reply(200, 'dev idp');
    const res = await outboundRequest({ url: 'http://127.0.0.1:8080/x', method: 'GET', timeoutMs: 1000, allowInsecure: true });
    expect(res.text).toBe('dev idp');
  });

  it('refuses a host name that resolves to a private address, before connecting', async () => {
    // This machine's own name resolves (through /etc/hosts) to a loopback or private address.
    const name = hostname();
    const addresses = await new Promise<LookupAddress[]>((resolve) =>
      dnsLookup(name, { all: true }, (err, list) => resolve(err ? [] : list)),
    );
    if (addresses.length === 0 || !addresses.every((a) => isForbiddenAddress(a.address))) {
      console.warn(`skipped: ${name} does not resolve to a private address here`);
      return;
    }
    nock.enableNetConnect(name);
    try {
      // Without the guard this would reach the port and fail as idp_unavailable (refused connection).
      await expectCode(outboundRequest({ url: `https://${name}:9/x`, method: 'GET', timeoutMs: 2000, allowInsecure: false }), 'idp_forbidden_address');
    } finally {
      nock.disableNetConnect();
    }
  });
});
