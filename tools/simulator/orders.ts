/**
 * The simulator's order book for the order query (spec §9): the documented debug orders
 * (`MOCKPERIODYEARNEW`, …), answered to any seller as KooGallery answers them, plus the orders a
 * test or the demo creates with `sim.orders.add` — a purchase, as KooGallery would record it before
 * calling newInstance. Every value is made up; the shape is the documented one, with the product
 * fields (whose names the spec did not capture) spelled as Huawei's examples spell them.
 */
import type { SimOrder, SimOrderInput, SimOrderLine, SimProduct } from './types.js';

/** KooGallery's times: UTC, yyyyMMddHHmmss. */
export const orderTime = (epochMs: number): string => new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, '').replace(/[-:T]/g, '');

export const DEMO_PRODUCT: SimProduct = {
  productId: 'OFFI-DEMO-000001',
  skuCode: 'demo-sku-standard',
  productName: 'koobridge demo SaaS (Standard)',
  linearValue: 10,
};

// The buyer of every mock order: the personal fields are there because KooGallery sends them, so
// that a client's promise to drop them can be proven.
const MOCK_BUYER = {
  customerId: 'mock-customer-0001',
  customerName: 'Mock Buyer Co.',
  userId: 'mock-user-0001',
  userName: 'mock.buyer',
  mobilePhone: '+86-100-0000-0009',
  email: 'buyer@mock-buyer.example.com',
};

interface MockSpec {
  orderType: string;
  chargingMode: string;
  periodType?: string;
  periodNumber?: number;
  expireTime?: string;
}

// Fixed dates: the debug orders are static records, the same on every call.
const CREATED = '20260105020304';
const MOCKS: Record<string, MockSpec> = {
  MOCKPERIODYEARNEW: { orderType: 'NEW', chargingMode: 'PERIOD', periodType: 'year', periodNumber: 1, expireTime: '20270105020304' },
  MOCKONETIMENEW: { orderType: 'NEW', chargingMode: 'ONE_TIME' },
  MOCKONDEMAND: { orderType: 'NEW', chargingMode: 'ON_DEMAND' },
  MOCKONDEMANDPKG: { orderType: 'NEW', chargingMode: 'ON_DEMAND_PKG', periodType: 'year', periodNumber: 1, expireTime: '20270105020304' },
  MOCKPERIODDAYTRIAL: { orderType: 'TRIAL', chargingMode: 'PERIOD', periodType: 'day', periodNumber: 7, expireTime: '20260112020304' },
  MOCKMONTYTRIALTOFORMAL: { orderType: 'TRIAL_TO_FORMAL', chargingMode: 'PERIOD', periodType: 'month', periodNumber: 1, expireTime: '20260205020304' },
  MOCKMONTYUNSUBSCRIBE: { orderType: 'UNSUBSCRIBE', chargingMode: 'PERIOD', periodType: 'month', periodNumber: 1, expireTime: '20260105020304' },
  MOCKMONTYRENEW: { orderType: 'RENEW', chargingMode: 'PERIOD', periodType: 'month', periodNumber: 1, expireTime: '20260305020304' },
  MOCKMONTYCHANGE: { orderType: 'CHANGE', chargingMode: 'PERIOD', periodType: 'month', periodNumber: 1, expireTime: '20260205020304' },
};

export const MOCK_ORDER_IDS = Object.keys(MOCKS);

function mockOrder(orderId: string, spec: MockSpec): SimOrder {
  const { orderType, ...line } = spec;
  return {
    orderId,
    orderType,
    createTime: CREATED,
    orderLine: [{ orderLineId: `${orderId}-000001`, ...line, productInfo: [{ ...DEMO_PRODUCT }] }],
    buyerInfo: { ...MOCK_BUYER },
    extendParams: [],
  };
}

export interface OrderBook {
  get(orderId: string): SimOrder | undefined;
  add(input?: SimOrderInput): SimOrder;
}

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

export function createOrderBook(now: () => number): OrderBook {
  const created = new Map<string, SimOrder>();
  let serial = 0;

  /** `CS` + yyMMddHHmm + 5 characters, the shape of KooGallery's order ids. */
  const newOrderId = (): string => {
    serial += 1;
    let suffix = '';
    for (let n = serial, i = 0; i < 5; i += 1, n = Math.floor(n / ALPHABET.length)) suffix = ALPHABET[n % ALPHABET.length]! + suffix;
    return `CS${orderTime(now()).slice(2, 12)}${suffix}`;
  };

  return {
    get: (orderId) => created.get(orderId) ?? (Object.hasOwn(MOCKS, orderId) ? mockOrder(orderId, MOCKS[orderId]!) : undefined),

    add(input = {}) {
      const orderId = input.orderId ?? newOrderId();
      if (created.has(orderId) || Object.hasOwn(MOCKS, orderId)) throw new Error(`simulator: order ${orderId} already exists`);
      const lines = input.orderLine ?? [{}];
      const orderLine = lines.map(
        (line, i): SimOrderLine => ({
          orderLineId: `${orderId}-${String(i + 1).padStart(6, '0')}`,
          chargingMode: 'PERIOD',
          periodType: 'year',
          periodNumber: 1,
          expireTime: orderTime(now() + 365 * 24 * 3600 * 1000),
          productInfo: [{ ...DEMO_PRODUCT }],
          ...line,
        }),
      );
      const order: SimOrder = {
        orderId,
        orderType: input.orderType ?? 'NEW',
        createTime: input.createTime ?? orderTime(now()),
        orderLine,
        buyerInfo: input.buyerInfo ?? { ...MOCK_BUYER },
        extendParams: input.extendParams ?? [],
      };
      created.set(orderId, order);
      return structuredClone(order);
    },
  };
}
