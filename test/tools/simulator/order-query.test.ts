import { once } from 'node:events';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOrderQuery, type OrderQueryOptions } from '../../../src/connectors/order-query/client.js';
import { signAksk } from '../../../src/koogallery/aksk.js';
import { KbError } from '../../../src/shared/errors.js';
import { DEMO_SELLER } from '../../../tools/simulator/demo-data.js';
import { MOCK_ORDER_IDS } from '../../../tools/simulator/orders.js';
import { jsonOf, manualClock, startSim, type RunningSim } from './harness.js';

const PATH = '/api/mkp-openapi-public/global/v1/order/query';

async function rejection(promise: Promise<unknown>): Promise<KbError> {
  const err = await promise.then(
    () => new Error('expected a refusal'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(KbError);
  return err as KbError;
}

/** A loopback port nobody listens on: connecting to it is refused. */
async function closedPort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe("KooGallery's order query (spec §9), behind the gateway's AK/SK check", () => {
  let s: RunningSim;
  const clock = manualClock();
  beforeEach(async () => {
    s = await startSim({ now: clock.now });
  });
  afterEach(() => s.close());

  const client = (over: Partial<OrderQueryOptions> = {}) =>
    createOrderQuery({ ...DEMO_SELLER, hosts: [s.url], allowInsecure: true, timeoutMs: 2000, now: clock.now, ...over });

  /** A signed GET as any gateway SDK would send it, without the client's checks. */
  const signedGet = (query: string, over: { secretKey?: string; accessKey?: string; now?: number; sendQuery?: string } = {}) => {
    const headers = signAksk({
      method: 'GET',
      url: `${s.url}${PATH}?${query}`,
      accessKey: over.accessKey ?? DEMO_SELLER.accessKey,
      secretKey: over.secretKey ?? DEMO_SELLER.secretKey,
      clock: { now: () => over.now ?? clock.now() },
    });
    const { Host: _host, ...rest } = headers; // fetch sets Host itself, to the same value
    return fetch(`${s.url}${PATH}?${over.sendQuery ?? query}`, { headers: rest });
  };

  describe('the debug orders', () => {
    const EXPECTED: Record<string, [orderType: string, chargingMode: string]> = {
      MOCKPERIODYEARNEW: ['NEW', 'PERIOD'],
      MOCKONETIMENEW: ['NEW', 'ONE_TIME'],
      MOCKONDEMAND: ['NEW', 'ON_DEMAND'],
      MOCKONDEMANDPKG: ['NEW', 'ON_DEMAND_PKG'],
      MOCKPERIODDAYTRIAL: ['TRIAL', 'PERIOD'],
      MOCKMONTYTRIALTOFORMAL: ['TRIAL_TO_FORMAL', 'PERIOD'],
      MOCKMONTYUNSUBSCRIBE: ['UNSUBSCRIBE', 'PERIOD'],
      MOCKMONTYRENEW: ['RENEW', 'PERIOD'],
      MOCKMONTYCHANGE: ['CHANGE', 'PERIOD'],
    };

    it('are exactly the nine documented ids', () => {
      expect([...MOCK_ORDER_IDS].sort()).toEqual(Object.keys(EXPECTED).sort());
    });

    it.each(Object.entries(EXPECTED))('%s answers its kind of order, line <id>-000001, with a product', async (orderId, [orderType, chargingMode]) => {
      const order = await client().query({ orderId });
      expect(order).toMatchObject({ orderId, orderType, orderLine: [{ orderLineId: `${orderId}-000001`, chargingMode }] });
      expect(order.orderLine[0]?.products[0]).toMatchObject({ productId: expect.any(String), skuCode: expect.any(String), productName: expect.any(String) });
      expect(order.createTime).toMatch(/^\d{14}$/);
    });

    it('periodic ones expire, on-demand ones do not', async () => {
      expect((await client().query({ orderId: 'MOCKPERIODYEARNEW' })).orderLine[0]?.expireTime).toMatch(/^\d{14}$/);
      expect((await client().query({ orderId: 'MOCKONDEMAND' })).orderLine[0]).not.toHaveProperty('expireTime');
    });

    it('answer one line when asked by orderLineId, and refuse an unknown line', async () => {
      const order = await client().query({ orderId: 'MOCKMONTYRENEW', orderLineId: 'MOCKMONTYRENEW-000001' });
      expect(order.orderLine.map((l) => l.orderLineId)).toEqual(['MOCKMONTYRENEW-000001']);
      const err = await rejection(client().query({ orderId: 'MOCKMONTYRENEW', orderLineId: 'MOCKMONTYRENEW-000002' }));
      expect(err.code).toBe('order_query_failed');
      expect(err.details).toMatchObject({ resultCode: 'MKT.0100' });
    });

    it("carry the buyer's personal data, which the client drops", async () => {
      const raw = await jsonOf(await signedGet('orderId=MOCKPERIODYEARNEW'));
      expect(raw.orderInfo.buyerInfo).toMatchObject({ customerId: 'mock-customer-0001', email: expect.any(String), mobilePhone: expect.any(String) });
      const order = await client().query({ orderId: 'MOCKPERIODYEARNEW' });
      expect(order.customerId).toBe('mock-customer-0001');
      expect(JSON.stringify(order)).not.toMatch(/@|\+86|Mock Buyer|mock\.buyer/);
    });
  });

  describe('orders the simulator records', () => {
    it('answers a purchase added with sim.orders.add, with a KooGallery-shaped id', async () => {
      const added = s.sim.orders.add({ orderLine: [{ chargingMode: 'ONE_TIME', expireTime: undefined }] });
      expect(added.orderId).toMatch(/^CS\d{10}[A-Z2-9]{5}$/);
      const order = await client().query({ orderId: added.orderId });
      expect(order).toMatchObject({ orderId: added.orderId, orderType: 'NEW', orderLine: [{ orderLineId: `${added.orderId}-000001`, chargingMode: 'ONE_TIME' }] });
      expect(order.orderLine[0]).not.toHaveProperty('expireTime');
    });

    it('keeps what the caller gives, and refuses an id twice or a debug id', async () => {
      const added = s.sim.orders.add({ orderId: 'CSTEST0001', orderType: 'RENEW', orderLine: [{}, { chargingMode: 'ON_DEMAND' }], extendParams: [{ name: 'seats', value: '20' }] });
      const order = await client().query({ orderId: 'CSTEST0001' });
      expect(order.orderType).toBe('RENEW');
      expect(order.orderLine.map((l) => [l.orderLineId, l.chargingMode])).toEqual([
        ['CSTEST0001-000001', 'PERIOD'],
        ['CSTEST0001-000002', 'ON_DEMAND'],
      ]);
      expect(order.extendParams).toEqual([{ name: 'seats', value: '20' }]);
      expect(order.orderLine[0]?.products[0]).toMatchObject({ periodType: 'year', periodNumber: '1', skuCode: added.orderLine[0]!.productInfo[0]!.skuCode });
      expect(() => s.sim.orders.add({ orderId: 'CSTEST0001' })).toThrow(/already exists/);
      expect(() => s.sim.orders.add({ orderId: 'MOCKONDEMAND' })).toThrow(/already exists/);
    });

    it('refuses an unknown order with a resultCode, which the client reports as order_query_failed', async () => {
      const raw = await signedGet('orderId=CSNOSUCHORDER');
      expect(raw.status).toBe(200);
      expect(await jsonOf(raw)).toEqual({ resultCode: 'MKT.0100', resultMsg: 'The order does not exist.' });
      const err = await rejection(client().query({ orderId: 'CSNOSUCHORDER' }));
      expect(err.code).toBe('order_query_failed');
      expect(err.message).toBe('KooGallery order query refused order CSNOSUCHORDER: resultCode MKT.0100 (The order does not exist.)');
    });
  });

  describe("the gateway's signature check", () => {
    it('passes a call signed by the gateway rules', async () => {
      const res = await signedGet('orderLineId=MOCKONDEMAND-000001&orderId=MOCKONDEMAND');
      expect(res.status).toBe(200);
      expect((await jsonOf(res)).resultCode).toBe('000000');
    });

    it('refuses a wrong SK with a gateway 401, which the client reports without the secret', async () => {
      const res = await signedGet('orderId=MOCKONDEMAND', { secretKey: 'wrong-secret' });
      expect(res.status).toBe(401);
      expect(await jsonOf(res)).toMatchObject({ error_code: 'APIG.0301', error_msg: expect.stringContaining('verify aksk signature fail'), request_id: expect.any(String) });
      const err = await rejection(client({ secretKey: 'wrong-secret-xyz' }).query({ orderId: 'MOCKONDEMAND' }));
      expect(err.code).toBe('order_query_failed');
      expect(err.message).toMatch(/refused the call \(HTTP 401, APIG\.0301\)/);
      expect(err.message).not.toContain('wrong-secret-xyz');
    });

    it('refuses a query changed after signing', async () => {
      const res = await signedGet('orderId=MOCKONDEMAND', { sendQuery: 'orderId=MOCKONETIMENEW' });
      expect(res.status).toBe(401);
    });

    it('refuses an unknown AK, a missing Authorization and an X-Sdk-Date more than 15 minutes off', async () => {
      expect((await signedGet('orderId=MOCKONDEMAND', { accessKey: 'SOMEONEELSE' })).status).toBe(401);
      expect((await fetch(`${s.url}${PATH}?orderId=MOCKONDEMAND`)).status).toBe(401);
      expect((await signedGet('orderId=MOCKONDEMAND', { now: clock.now() - 16 * 60 * 1000 })).status).toBe(401);
      expect((await signedGet('orderId=MOCKONDEMAND', { now: clock.now() + 14 * 60 * 1000 })).status).toBe(200);
    });
  });

  it('the client falls back to the second host when the first refuses the connection', async () => {
    const dead = `http://127.0.0.1:${await closedPort()}`;
    const order = await client({ hosts: [dead, s.url] }).query({ orderId: 'MOCKPERIODYEARNEW' });
    expect(order.orderId).toBe('MOCKPERIODYEARNEW');
  });
});
