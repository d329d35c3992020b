import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { computeAksk, parseAkskAuthorization } from '../../../src/koogallery/aksk.js';
import { createOrderQuery, type OrderQueryOptions } from '../../../src/connectors/order-query/client.js';
import { KbError } from '../../../src/shared/errors.js';
import { caught, expectCode, useNock, visible } from './helpers.js';

useNock();

const PRIMARY = 'https://mkt.myhuaweicloud.com';
const FALLBACK = 'https://mkt.myhuaweicloud.cn';
const PATH = '/api/mkp-openapi-public/global/v1/order/query';
const AK = 'SELLERAK0000EXAMPLE';
const SK = 'seller-sk-do-not-leak-0123456789';
const NOW = Date.UTC(2026, 10, 21, 2, 3, 4);

const ORDER = {
  orderId: 'CS2611210203ABCDE',
  orderType: 'NEW',
  createTime: '20261121100304',
  orderLine: [{ orderLineId: 'CS2611210203ABCDE-000001', chargingMode: 'PERIOD', expireTime: '20271121100304', productInfo: [{ productId: 'OFFI1', skuCode: 'sku-1' }] }],
  buyerInfo: { customerId: 'cust-1', customerName: 'Acme', email: 'buyer@acme.example.com' },
};
const SUCCESS = { resultCode: '000000', resultMsg: 'success', orderInfo: ORDER };

const client = (over: Partial<OrderQueryOptions> = {}) => createOrderQuery({ accessKey: AK, secretKey: SK, timeoutMs: 1000, now: () => NOW, ...over });
const ask = (over: Partial<OrderQueryOptions> = {}) => client(over).query({ orderId: ORDER.orderId });

interface Seen {
  uri: string;
  headers: Record<string, string>;
}

/** An interceptor that records what it received and answers `status` + `body`. */
function answer(origin: string, status: number, body: unknown, seen: Seen[] = []) {
  return nock(origin)
    .get((uri) => uri.startsWith(PATH))
    .reply(function (uri) {
      seen.push({ uri, headers: Object.fromEntries(Object.entries(this.req.headers).map(([k, v]) => [k, String(v)])) });
      return [status, typeof body === 'string' ? body : JSON.stringify(body), { 'content-type': 'application/json' }];
    });
}

const refused = () => Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });

describe('KooGallery order query client (spec §9)', () => {
  describe('the signed GET', () => {
    it('sends orderId and orderLineId sorted and encoded, signed so that the gateway recomputes the signature', async () => {
      const seen: Seen[] = [];
      answer(PRIMARY, 200, SUCCESS, seen);
      await client().query({ orderId: ORDER.orderId, orderLineId: `${ORDER.orderId}-000001` });

      const [req] = seen;
      expect(req?.uri).toBe(`${PATH}?orderId=${ORDER.orderId}&orderLineId=${ORDER.orderId}-000001`);
      expect(req?.headers).toMatchObject({ host: 'mkt.myhuaweicloud.com', 'x-sdk-date': '20261121T020304Z', 'content-type': 'application/json' });
      const auth = parseAkskAuthorization(req?.headers.authorization);
      expect(auth).toMatchObject({ accessKey: AK, signedHeaders: ['content-type', 'host', 'x-sdk-date'] });
      const recomputed = computeAksk(SK, { method: 'GET', url: `${PRIMARY}${req!.uri}`, headers: req!.headers, signedHeaders: auth!.signedHeaders });
      expect(recomputed.signature).toBe(auth?.signature);
    });

    it('answers the normalized order, without the buyer’s personal data', async () => {
      answer(PRIMARY, 200, SUCCESS);
      const order = await ask();
      expect(order).toEqual({
        orderId: ORDER.orderId,
        orderType: 'NEW',
        createTime: '20261121100304',
        customerId: 'cust-1',
        orderLine: [{ orderLineId: `${ORDER.orderId}-000001`, chargingMode: 'PERIOD', expireTime: '20271121100304', products: [{ productId: 'OFFI1', skuCode: 'sku-1' }] }],
        extendParams: [],
      });
    });

    it('refuses an id that cannot be a KooGallery id before calling anyone', async () => {
      const scope = answer(PRIMARY, 200, SUCCESS);
      const err = await expectCode(client().query({ orderId: 'CS1 2' }), 'invalid_parameter');
      expect(err.details).toEqual({ field: 'orderId' });
      await expectCode(client().query({ orderId: 'CS1', orderLineId: '' }), 'invalid_parameter');
      expect(scope.isDone()).toBe(false);
    });

    it('is https only: an http:// host needs allowInsecure (tests and the demo)', async () => {
      const err = await expectCode(ask({ hosts: ['http://mkt.example.com'] }), 'order_query_failed');
      expect(err.message).toBe('KooGallery order query must be reached over https (http:// is refused) (mkt.example.com)');
      nock('http://mkt.example.com').get((uri) => uri.startsWith(PATH)).reply(200, SUCCESS);
      expect((await ask({ hosts: ['http://mkt.example.com'], allowInsecure: true })).orderId).toBe(ORDER.orderId);
    });

    it('refuses a host setting with a path at creation', () => {
      expect(() => client({ hosts: ['https://mkt.example.com/api'] })).toThrow(expect.objectContaining({ code: 'config_invalid' }));
    });
  });

  describe('fallback host', () => {
    it('tries the fallback once when the primary answers 503, signed for the fallback’s Host', async () => {
      const seen: Seen[] = [];
      answer(PRIMARY, 503, 'busy');
      answer(FALLBACK, 200, SUCCESS, seen);
      expect((await ask()).orderId).toBe(ORDER.orderId);
      expect(seen[0]?.headers.host).toBe('mkt.myhuaweicloud.cn');
      const auth = parseAkskAuthorization(seen[0]?.headers.authorization)!;
      expect(computeAksk(SK, { method: 'GET', url: `${FALLBACK}${seen[0]!.uri}`, headers: seen[0]!.headers, signedHeaders: auth.signedHeaders }).signature).toBe(auth.signature);
    });

    it('tries the fallback when the primary refuses the connection, or answers 429', async () => {
      nock(PRIMARY).get((uri) => uri.startsWith(PATH)).replyWithError(refused());
      answer(FALLBACK, 200, SUCCESS);
      expect((await ask()).orderId).toBe(ORDER.orderId);
      answer(PRIMARY, 429, '');
      answer(FALLBACK, 200, SUCCESS);
      expect((await ask()).orderId).toBe(ORDER.orderId);
    });

    it('does not try the fallback on a 4xx: the gateway refused the call itself', async () => {
      answer(PRIMARY, 401, { error_code: 'APIG.0301', error_msg: 'Incorrect IAM authentication information', request_id: 'r1' });
      const fallback = answer(FALLBACK, 200, SUCCESS);
      const err = await expectCode(ask(), 'order_query_failed');
      expect(err.message).toBe("KooGallery order query refused the call (HTTP 401, APIG.0301); check the seller account's AK/SK and this host's clock");
      expect(fallback.isDone()).toBe(false);
    });

    it('does not try the fallback on a refusal in the body or a redirect', async () => {
      answer(PRIMARY, 200, { resultCode: '000002', resultMsg: 'order not exist' });
      const fallback = answer(FALLBACK, 200, SUCCESS);
      await expectCode(ask(), 'order_query_failed');
      nock(PRIMARY).get((uri) => uri.startsWith(PATH)).reply(302, '', { location: 'https://elsewhere.example.com/' });
      const err = await expectCode(ask(), 'order_query_failed');
      expect(err.message).toMatch(/redirect \(HTTP 302\); not followed/);
      expect(fallback.isDone()).toBe(false);
    });

    it('is order_query_unavailable, naming both failures, when both hosts fail', async () => {
      answer(PRIMARY, 503, '');
      nock(FALLBACK).get((uri) => uri.startsWith(PATH)).replyWithError(refused());
      const err = await expectCode(ask(), 'order_query_unavailable');
      expect(err.message).toBe(
        'KooGallery order query mkt.myhuaweicloud.cn: connection refused; the primary host failed first: KooGallery order query mkt.myhuaweicloud.com answered HTTP 503',
      );
    });

    it('with a single host configured, fails on its outage', async () => {
      answer('https://mkt.example.com', 500, '');
      const err = await expectCode(ask({ hosts: ['mkt.example.com'] }), 'order_query_unavailable');
      expect(err.message).toBe('KooGallery order query mkt.example.com answered HTTP 500');
    });
  });

  // The deadline is real time, so it is set where a loaded machine still answers a prompt host
  // within it (a 150 ms one once timed out nock's immediate answer during a busy CI run), and a
  // slow host answers only long after every deadline: what is checked is that the client never
  // waited for it, not how fast the machine is.
  describe('one deadline per attempt', () => {
    const DEADLINE_MS = 1_000;
    const SLOW_MS = 30_000;

    it('gives up on a slow primary within its deadline and asks the fallback', async () => {
      nock(PRIMARY).get((uri) => uri.startsWith(PATH)).delay(SLOW_MS).reply(200, SUCCESS);
      answer(FALLBACK, 200, SUCCESS);
      const started = Date.now();
      expect((await ask({ timeoutMs: DEADLINE_MS })).orderId).toBe(ORDER.orderId);
      expect(Date.now() - started).toBeLessThan(SLOW_MS / 2);
    });

    it('is order_query_unavailable when both hosts are slow, within two deadlines', async () => {
      nock(PRIMARY).get((uri) => uri.startsWith(PATH)).delay(SLOW_MS).reply(200, SUCCESS);
      nock(FALLBACK).get((uri) => uri.startsWith(PATH)).delay(SLOW_MS).reply(200, SUCCESS);
      const started = Date.now();
      const err = await expectCode(ask({ timeoutMs: DEADLINE_MS }), 'order_query_unavailable');
      expect(err.message).toBe(
        'KooGallery order query did not answer within 1000 ms (mkt.myhuaweicloud.cn); the primary host failed first: KooGallery order query did not answer within 1000 ms (mkt.myhuaweicloud.com)',
      );
      expect(Date.now() - started).toBeLessThan(SLOW_MS / 2);
    });
  });

  describe('refusals and broken answers', () => {
    it('a resultCode other than 000000 is order_query_failed with the code and KooGallery’s message', async () => {
      answer(PRIMARY, 200, { resultCode: '000002', resultMsg: 'order not exist' });
      const err = await expectCode(ask(), 'order_query_failed');
      expect(err.message).toBe(`KooGallery order query refused order ${ORDER.orderId}: resultCode 000002 (order not exist)`);
      expect(err.details).toEqual({ resultCode: '000002', resultMsg: 'order not exist' });
    });

    it('a body that is not JSON, not an answer, or a success without an order is order_query_failed', async () => {
      answer(PRIMARY, 200, '{"resultCode":"000000",');
      expect((await expectCode(ask(), 'order_query_failed')).message).toBe('KooGallery order query answer is not a JSON object');
      answer(PRIMARY, 200, { hello: 'world' });
      expect((await expectCode(ask(), 'order_query_failed')).message).toMatch(/^KooGallery order query answer: resultCode: /);
      answer(PRIMARY, 200, { resultCode: '000000', resultMsg: 'success' });
      expect((await expectCode(ask(), 'order_query_failed')).message).toMatch(/^KooGallery order query answer: orderInfo: /);
    });

    it('an answer for another order is order_query_failed', async () => {
      answer(PRIMARY, 200, { ...SUCCESS, orderInfo: { ...ORDER, orderId: 'CSOTHER' } });
      expect((await expectCode(ask(), 'order_query_failed')).message).toBe(`KooGallery order query answered for another order than ${ORDER.orderId}`);
    });

    it('never puts the AK, the SK or the signature in a message or its details, even when KooGallery echoes them', async () => {
      const errors: KbError[] = [];
      const seen: Seen[] = [];
      answer(PRIMARY, 200, { resultCode: '000001', resultMsg: `bad signature for ${AK} with ${SK}` }, seen);
      errors.push(await caught(ask()));
      const signature = parseAkskAuthorization(seen[0]?.headers.authorization)!.signature;
      answer(PRIMARY, 200, { resultCode: '000001', resultMsg: `expected ${signature}\nsomething else` });
      errors.push(await caught(ask()));
      answer(PRIMARY, 403, { error_code: 'APIG.0301', error_msg: `Authorization: SDK-HMAC-SHA256 Access=${AK}` });
      errors.push(await caught(ask()));
      nock(PRIMARY).get((uri) => uri.startsWith(PATH)).replyWithError(refused());
      nock(FALLBACK).get((uri) => uri.startsWith(PATH)).delay(3000).reply(200, SUCCESS);
      errors.push(await caught(ask({ timeoutMs: 100 })));

      expect(errors[0]?.message).toBe(`KooGallery order query refused order ${ORDER.orderId}: resultCode 000001 (bad signature for [redacted] with [redacted])`);
      expect(errors[1]?.message).toMatch(/\(expected \[redacted\] something else\)$/);
      for (const err of errors) {
        for (const secret of [AK, SK, signature, 'SDK-HMAC-SHA256', 'Authorization']) expect(visible(err)).not.toContain(secret);
      }
    });
  });
});
