import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  canonicalQuery,
  canonicalUri,
  computeAksk,
  encodeRfc3986,
  parseAkskAuthorization,
  parseSdkDate,
  sdkDate,
  signAksk,
} from '../../../src/koogallery/aksk.js';

const fixedClock = (iso: string) => ({ now: () => Date.parse(iso) });
const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

describe('AK/SK signing (SDK-HMAC-SHA256, spec §9)', () => {
  describe("the spec's public vector", () => {
    const VECTOR = {
      method: 'POST',
      url: 'https://mkt.myhuaweicloud.com/api/mkp-openapi-public/global/v1/license/activate',
      headers: { 'x-stage': 'RELEASE', 'X-Sdk-Date': '20240317T144237Z', 'Content-Type': 'application/json' },
      body: '',
      accessKey: 'vector-access-key',
      secretKey: '123',
    };
    const SIGNATURE = '77595ad624b6e4e49990b8c4e84bf1c287457fca61069c4e60b9b6765b52053d';

    it('signs to the published signature, with the published signed headers', () => {
      const headers = signAksk({ ...VECTOR, clock: fixedClock('2030-01-01T00:00:00Z') });
      expect(headers.Authorization).toBe(
        `SDK-HMAC-SHA256 Access=vector-access-key, SignedHeaders=content-type;host;x-sdk-date;x-stage, Signature=${SIGNATURE}`,
      );
      // The given X-Sdk-Date wins over the clock; Host comes from the URL.
      expect(headers).toMatchObject({ 'X-Sdk-Date': '20240317T144237Z', Host: 'mkt.myhuaweicloud.com', 'x-stage': 'RELEASE' });
    });

    it('signs to the same signature when the date comes from the clock', () => {
      const { 'X-Sdk-Date': _given, ...rest } = VECTOR.headers;
      const headers = signAksk({ ...VECTOR, headers: rest, clock: fixedClock('2024-03-17T14:42:37.999Z') });
      expect(headers['X-Sdk-Date']).toBe('20240317T144237Z');
      expect(headers.Authorization).toMatch(new RegExp(`Signature=${SIGNATURE}$`));
    });

    it('builds the canonical request line by line, the URI ending with /', () => {
      const c = computeAksk('123', { ...VECTOR, headers: { ...VECTOR.headers, host: 'mkt.myhuaweicloud.com' } });
      expect(c.canonicalRequest).toBe(
        [
          'POST',
          '/api/mkp-openapi-public/global/v1/license/activate/',
          '',
          'content-type:application/json',
          'host:mkt.myhuaweicloud.com',
          'x-sdk-date:20240317T144237Z',
          'x-stage:RELEASE',
          '',
          'content-type;host;x-sdk-date;x-stage',
          EMPTY_SHA256,
        ].join('\n'),
      );
      expect(c.stringToSign).toBe(`SDK-HMAC-SHA256\n20240317T144237Z\n${sha256Hex(c.canonicalRequest)}`);
      expect(c.signature).toBe(SIGNATURE);
    });
  });

  describe('a GET with a query string (the order query)', () => {
    const URL_ = 'https://mkt.myhuaweicloud.com/api/mkp-openapi-public/global/v1/order/query?orderLineId=CS2403171442ABCDE-000001&orderId=CS2403171442ABCDE';

    it('sorts the query by name (orderId before orderLineId) and signs what the gateway recomputes', () => {
      const headers = signAksk({ method: 'GET', url: URL_, accessKey: 'AK1', secretKey: 'sk-secret', clock: fixedClock('2026-11-21T02:03:04Z') });
      // Worked out by hand from the rules of spec §9, independently of the module.
      const canonical = [
        'GET',
        '/api/mkp-openapi-public/global/v1/order/query/',
        'orderId=CS2403171442ABCDE&orderLineId=CS2403171442ABCDE-000001',
        'content-type:application/json',
        'host:mkt.myhuaweicloud.com',
        'x-sdk-date:20261121T020304Z',
        '',
        'content-type;host;x-sdk-date',
        EMPTY_SHA256,
      ].join('\n');
      const stringToSign = `SDK-HMAC-SHA256\n20261121T020304Z\n${sha256Hex(canonical)}`;
      const signature = createHmac('sha256', 'sk-secret').update(stringToSign).digest('hex');
      expect(headers).toEqual({
        'X-Sdk-Date': '20261121T020304Z',
        Host: 'mkt.myhuaweicloud.com',
        'Content-Type': 'application/json',
        Authorization: `SDK-HMAC-SHA256 Access=AK1, SignedHeaders=content-type;host;x-sdk-date, Signature=${signature}`,
      });
    });

    it('encodes names and values as RFC 3986 after decoding them, and sorts repeated values', () => {
      const q = new URL('https://h.example.com/p?b=x%20y*~&a=%C3%A9%2F&a=0&c=&d=a+b').searchParams;
      expect(canonicalQuery(q)).toBe('a=0&a=%C3%A9%2F&b=x%20y%2A~&c=&d=a%20b');
    });
  });

  describe('encoding rules', () => {
    it('leaves only A–Z a–z 0–9 - _ . ~ unescaped, with upper-case hex of UTF-8', () => {
      expect(encodeRfc3986("AZaz09-_.~!*'() /+=&:@é")).toBe('AZaz09-_.~%21%2A%27%28%29%20%2F%2B%3D%26%3A%40%C3%A9');
    });

    it('re-encodes each path segment and always ends the URI with /', () => {
      expect(canonicalUri('/')).toBe('/');
      expect(canonicalUri('/a b/c')).toBe('/a%20b/c/');
      expect(canonicalUri('/v1/order%20x/')).toBe('/v1/order%20x/');
      expect(canonicalUri('/v1/(x)')).toBe('/v1/%28x%29/');
    });

    it('lower-cases and sorts header names and trims values', () => {
      const c = computeAksk('k', { method: 'get', url: 'https://h.example.com/', headers: { 'X-B': ' two ', 'x-a': 'one', Host: 'h.example.com', 'X-Sdk-Date': '20260101T000000Z' } });
      expect(c.canonicalRequest.split('\n').slice(0, 8)).toEqual(['GET', '/', '', 'host:h.example.com', 'x-a:one', 'x-b:two', 'x-sdk-date:20260101T000000Z', '']);
      expect(c.signedHeaders).toEqual(['host', 'x-a', 'x-b', 'x-sdk-date']);
    });

    it('hashes the body, unless the caller asks for UNSIGNED-PAYLOAD', () => {
      const base = { method: 'POST', url: 'https://h.example.com/', headers: { 'X-Sdk-Date': '20260101T000000Z' }, body: '{"a":1}' };
      expect(computeAksk('k', base).canonicalRequest.endsWith(`\n${sha256Hex('{"a":1}')}`)).toBe(true);
      const unsigned = computeAksk('k', { ...base, headers: { ...base.headers, 'x-sdk-content-sha256': 'UNSIGNED-PAYLOAD' } });
      expect(unsigned.canonicalRequest.endsWith('\nUNSIGNED-PAYLOAD')).toBe(true);
    });

    it('puts the port in Host when the URL has one', () => {
      const headers = signAksk({ method: 'GET', url: 'http://127.0.0.1:4000/x', accessKey: 'a', secretKey: 's', clock: fixedClock('2026-01-01T00:00:00Z') });
      expect(headers.Host).toBe('127.0.0.1:4000');
    });

    it('signs exactly the listed headers when a verifier names them', () => {
      const headers = { Host: 'h.example.com', 'X-Sdk-Date': '20260101T000000Z', 'x-extra': 'not signed' };
      const all = computeAksk('k', { method: 'GET', url: 'https://h.example.com/', headers });
      const listed = computeAksk('k', { method: 'GET', url: 'https://h.example.com/', headers, signedHeaders: ['host', 'x-sdk-date'] });
      expect(listed.signedHeaders).toEqual(['host', 'x-sdk-date']);
      expect(listed.signature).not.toBe(all.signature);
    });
  });

  describe('X-Sdk-Date and the Authorization header', () => {
    it("writes and reads yyyyMMdd'T'HHmmss'Z' in UTC", () => {
      expect(sdkDate(Date.parse('2024-03-17T14:42:37.500Z'))).toBe('20240317T144237Z');
      expect(parseSdkDate('20240317T144237Z')).toBe(Date.parse('2024-03-17T14:42:37Z'));
      for (const bad of [undefined, '', '2024-03-17T14:42:37Z', '20240231T000000Z', '20240317T144237']) expect(parseSdkDate(bad)).toBeNull();
    });

    it('reads back what it writes, and nothing of another shape', () => {
      const headers = signAksk({ method: 'GET', url: 'https://h.example.com/', accessKey: 'AK9', secretKey: 's', clock: fixedClock('2026-01-01T00:00:00Z') });
      expect(parseAkskAuthorization(headers.Authorization)).toEqual({
        accessKey: 'AK9',
        signedHeaders: ['content-type', 'host', 'x-sdk-date'],
        signature: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      expect(parseAkskAuthorization('Bearer abc')).toBeNull();
      expect(parseAkskAuthorization('SDK-HMAC-SHA256 Access=a, SignedHeaders=host, Signature=xyz')).toBeNull();
      expect(parseAkskAuthorization(undefined)).toBeNull();
    });
  });
});
