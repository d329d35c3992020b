import { describe, expect, it } from 'vitest';
import { parseOrderQueryAnswer } from '../../../src/koogallery/schemas-order.js';

const LINE = { orderLineId: 'CS2403171442ABCDE-000001', chargingMode: 'PERIOD', expireTime: '20250317144237' };
const ORDER = { orderId: 'CS2403171442ABCDE', orderType: 'NEW', createTime: '20240317144237', orderLine: [LINE] };
const answer = (orderInfo: unknown, over: Record<string, unknown> = {}) => ({ resultCode: '000000', resultMsg: 'success', orderInfo, ...over });

const failure = (body: unknown) => {
  try {
    parseOrderQueryAnswer(body);
  } catch (err) {
    return err as { code: string; message: string };
  }
  throw new Error('expected a refusal');
};

describe('the order query answer (spec §9)', () => {
  it('reads a success into OrderFacts', () => {
    expect(parseOrderQueryAnswer(answer(ORDER))).toEqual({
      resultCode: '000000',
      resultMsg: 'success',
      order: { ...ORDER, orderLine: [{ ...LINE, products: [] }], extendParams: [] },
    });
  });

  it('keeps an orderType or chargingMode the spec does not list, as the string it is', () => {
    const { order } = parseOrderQueryAnswer(answer({ ...ORDER, orderType: 'UPGRADE', orderLine: [{ ...LINE, chargingMode: 'SPOT' }] }));
    expect(order?.orderType).toBe('UPGRADE');
    expect(order?.orderLine[0]?.chargingMode).toBe('SPOT');
  });

  it('keeps every product field of productInfo as a string, with the line’s own fields under each product', () => {
    const line = {
      ...LINE,
      periodType: 'year',
      periodNumber: 1,
      productInfo: [
        { productId: 'OFFI123', skuCode: 'sku-basic', productName: 'Basic', linearValue: 10, trial: false, nested: { dropped: true } },
        { productId: 'OFFI456', skuCode: 'sku-addon' },
      ],
    };
    const { order } = parseOrderQueryAnswer(answer({ ...ORDER, orderLine: [line] }));
    expect(order?.orderLine[0]?.products).toEqual([
      { periodType: 'year', periodNumber: '1', productId: 'OFFI123', skuCode: 'sku-basic', productName: 'Basic', linearValue: '10', trial: 'false' },
      { periodType: 'year', periodNumber: '1', productId: 'OFFI456', skuCode: 'sku-addon' },
    ]);
  });

  it('reads productInfo as one object, or product fields on the line itself', () => {
    const one = parseOrderQueryAnswer(answer({ ...ORDER, orderLine: [{ ...LINE, productInfo: { skuCode: 's1' } }] }));
    expect(one.order?.orderLine[0]?.products).toEqual([{ skuCode: 's1' }]);
    const flat = parseOrderQueryAnswer(answer({ ...ORDER, orderLine: [{ ...LINE, productId: 'p1', skuCode: 's1' }] }));
    expect(flat.order?.orderLine[0]?.products).toEqual([{ productId: 'p1', skuCode: 's1' }]);
  });

  it('keeps only customerId of buyerInfo: names, phone and e-mail never leave this module', () => {
    const buyerInfo = { customerId: 'cust-0001', customerName: 'Acme', userId: 'u1', userName: 'zhang.san', mobilePhone: '+86-100', email: 'z@acme.example.com' };
    const { order } = parseOrderQueryAnswer(answer({ ...ORDER, buyerInfo }));
    expect(order?.customerId).toBe('cust-0001');
    expect(JSON.stringify(order)).not.toMatch(/Acme|zhang|\+86|acme\.example|u1/);
  });

  it('keeps extendParams as name/value strings', () => {
    const { order } = parseOrderQueryAnswer(answer({ ...ORDER, extendParams: [{ name: 'region', value: 'cn-north-4' }, { name: 'seats', value: 20 }, { name: 'empty' }] }));
    expect(order?.extendParams).toEqual([
      { name: 'region', value: 'cn-north-4' },
      { name: 'seats', value: '20' },
      { name: 'empty', value: '' },
    ]);
  });

  it('returns a refusal without an order, whatever orderInfo holds', () => {
    expect(parseOrderQueryAnswer({ resultCode: '000002', resultMsg: 'order not exist', orderInfo: null })).toEqual({
      resultCode: '000002',
      resultMsg: 'order not exist',
    });
  });

  it('refuses a body that is not an answer, or a success without a readable order, naming the field', () => {
    expect(failure({ resultMsg: 'x' })).toMatchObject({ code: 'order_query_failed', message: expect.stringContaining('resultCode') });
    expect(failure(answer(undefined))).toMatchObject({ code: 'order_query_failed', message: expect.stringContaining('orderInfo') });
    expect(failure(answer({ ...ORDER, orderLine: [{ chargingMode: 'PERIOD' }] })).message).toMatch(/^KooGallery order query answer: orderInfo\.orderLine\[0\]\.orderLineId: /);
    expect(failure(answer({ ...ORDER, orderId: '' })).message).toMatch(/orderInfo\.orderId: must not be empty/);
    expect(failure(answer({ ...ORDER, orderId: 'a\nb' })).message).toMatch(/orderInfo\.orderId: must not contain control characters/);
  });
});
