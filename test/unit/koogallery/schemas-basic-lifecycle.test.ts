import { describe, expect, it } from 'vitest';
import { INSTANCE_STATUSES, parseBasicBody, REFRESH_SCENES, type BasicBodies } from '../../../src/koogallery/schemas-basic.js';
import { refusedBasic } from './basic-helpers.js';

/** Parses a body that must come out as `activity`. */
function parseAs<A extends keyof BasicBodies>(activity: A, body: Record<string, unknown>): BasicBodies[A] {
  const out = parseBasicBody({ ...body, activity });
  expect(out.activity).toBe(activity);
  return out as BasicBodies[A];
}

describe('refreshInstance (a new expiry)', () => {
  const refresh = {
    instanceId: '10e758d0-31ad-4c4b-8f1b-81d03469a10e',
    orderId: 'CS2211181819B4LVS',
    orderLineId: 'CS2211181819B4LVS-000001',
    scene: 'TRIAL_TO_FORMAL',
    expireTime: '20221124023618256',
    productId: 'OFFI454488779969212416',
    testFlag: '0',
  };

  it('normalizes the documented example: expireTime in UTC, as ISO and Unix ms', () => {
    expect(parseAs('refreshInstance', refresh)).toEqual({
      activity: 'refreshInstance',
      instanceId: '10e758d0-31ad-4c4b-8f1b-81d03469a10e',
      orderId: 'CS2211181819B4LVS',
      orderLineId: 'CS2211181819B4LVS-000001',
      scene: 'TRIAL_TO_FORMAL',
      expireTime: '2022-11-24T02:36:18.256Z',
      expireTimeMs: Date.UTC(2022, 10, 24, 2, 36, 18, 256),
      productId: 'OFFI454488779969212416',
      testFlag: 0,
    });
  });

  it('reads expireTime in the documented 14 digits yyyyMMddHHmmss too (as UTC, not GMT+8)', () => {
    const out = parseAs('refreshInstance', { ...refresh, expireTime: '20221124023618' });
    expect(out).toMatchObject({ expireTime: '2022-11-24T02:36:18.000Z', expireTimeMs: Date.UTC(2022, 10, 24, 2, 36, 18) });
  });

  it('reads a far expiry and a 14-digit JSON number', () => {
    expect(parseAs('refreshInstance', { ...refresh, expireTime: '99991231235959' }).expireTime).toBe('9999-12-31T23:59:59.000Z');
    expect(parseAs('refreshInstance', { ...refresh, expireTime: 20221124023618 }).expireTime).toBe('2022-11-24T02:36:18.000Z');
  });

  it.each([
    ['2022-11-24', 'not digits'],
    ['202211240236', '12 digits'],
    ['202211240236182', '15 digits'],
    ['20221124023618256Z', 'a suffix'],
    ['1669257378256', 'Unix milliseconds'],
    [20221124023618256, 'a 17-digit JSON number (digits lost)'],
  ])('refuses expireTime %j (%s), naming both documented forms', (expireTime, _why) => {
    refusedBasic({ ...refresh, activity: 'refreshInstance', expireTime }, 'expireTime', 'expireTime: must be a UTC time yyyyMMddHHmmss (14 digits) or yyyyMMddHHmmssSSS (17 digits)');
  });

  it.each(['20220230000000', '20221324000000', '20221100000000', '20221124240000', '20221124236000', '20221124235960'])(
    'refuses expireTime %j, which names no real date and time',
    (expireTime) => {
      refusedBasic({ ...refresh, activity: 'refreshInstance', expireTime }, 'expireTime', /naming a real date and time/);
    },
  );

  it('accepts 29 February in a leap year only', () => {
    expect(parseAs('refreshInstance', { ...refresh, expireTime: '20240229120000' }).expireTime).toBe('2024-02-29T12:00:00.000Z');
    refusedBasic({ ...refresh, activity: 'refreshInstance', expireTime: '20230229120000' }, 'expireTime', /real date/);
  });

  it.each(REFRESH_SCENES)('accepts the scene %s', (scene) => {
    expect(parseAs('refreshInstance', { ...refresh, scene }).scene).toBe(scene);
  });

  it('reads a scene in any case', () => {
    expect(parseAs('refreshInstance', { ...refresh, scene: ' renewal ' }).scene).toBe('RENEWAL');
  });

  it('refuses an undocumented scene, listing the documented ones', () => {
    refusedBasic({ ...refresh, activity: 'refreshInstance', scene: 'UPGRADE' }, 'scene', 'scene: must be one of TRIAL_TO_FORMAL, RENEWAL, UNSUBSCRIBE_RENEWAL_PERIOD, RENEWAL_CHANGE');
  });

  it.each(['instanceId', 'orderId', 'orderLineId', 'scene', 'expireTime'])('needs %s', (field) => {
    refusedBasic({ ...refresh, activity: 'refreshInstance', [field]: undefined }, field, `${field}: required`);
  });

  it('has productId optional (null when absent or empty)', () => {
    expect(parseAs('refreshInstance', { ...refresh, productId: undefined }).productId).toBeNull();
    expect(parseAs('refreshInstance', { ...refresh, productId: '' }).productId).toBeNull();
  });
});

describe('updateInstanceStatus (freeze, unfreeze)', () => {
  const body = { instanceId: '10e758d0-31ad-4c4b-8f1b-81d03469a10e', status: 'FREEZE', testFlag: '1' };

  it('normalizes the documented example', () => {
    expect(parseAs('updateInstanceStatus', body)).toEqual({ activity: 'updateInstanceStatus', instanceId: '10e758d0-31ad-4c4b-8f1b-81d03469a10e', status: 'FREEZE', testFlag: 1 });
  });

  it.each(INSTANCE_STATUSES)('accepts the status %s, in any case', (status) => {
    expect(parseAs('updateInstanceStatus', { ...body, status: status.toLowerCase() }).status).toBe(status);
  });

  it.each(['NORMAL', 'FROZEN', 1])('refuses the status %j', (status) => {
    refusedBasic({ ...body, activity: 'updateInstanceStatus', status }, 'status', 'status: must be one of FREEZE, UNFREEZE');
  });

  it.each(['instanceId', 'status'])('needs %s', (field) => {
    refusedBasic({ ...body, activity: 'updateInstanceStatus', [field]: null }, field, `${field}: required`);
  });
});

describe('releaseInstance (orderId and orderLineId optional)', () => {
  it('normalizes the documented example', () => {
    const body = { instanceId: '10e758d0-31ad-4c4b-8f1b-81d03469a10e', orderId: 'CS2211181819B4LVS', orderLineId: 'CS2211181819B4LVS-000001', testFlag: '0' };
    expect(parseAs('releaseInstance', body)).toEqual({ activity: 'releaseInstance', ...body, testFlag: 0 });
  });

  it.each([undefined, null, ''])('reads an absent or empty orderId and orderLineId (%j) as null', (value) => {
    expect(parseAs('releaseInstance', { instanceId: 'inst-1', orderId: value, orderLineId: value })).toMatchObject({ orderId: null, orderLineId: null });
  });

  it('still checks them when present', () => {
    refusedBasic({ activity: 'releaseInstance', instanceId: 'inst-1', orderId: 'o'.repeat(65) }, 'orderId', /at most 64/);
  });

  it('needs instanceId', () => {
    refusedBasic({ activity: 'releaseInstance' }, 'instanceId', 'instanceId: required');
  });
});

describe('upgradeInstance', () => {
  const body = { instanceId: '10e758d0-31ad-4c4b-8f1b-81d03469a10e', orderId: 'CS2211181819B4LVS', orderLineId: 'CS2211181819B4LVS-000001', testFlag: '0' };

  it('normalizes the documented example, productId and skuCode null', () => {
    expect(parseAs('upgradeInstance', body)).toEqual({ activity: 'upgradeInstance', ...body, testFlag: 0, productId: null, skuCode: null });
  });

  it('keeps productId and skuCode when sent', () => {
    expect(parseAs('upgradeInstance', { ...body, productId: 'P2', skuCode: 'sku-2' })).toMatchObject({ productId: 'P2', skuCode: 'sku-2' });
  });

  it.each(['instanceId', 'orderId', 'orderLineId'])('needs %s', (field) => {
    refusedBasic({ ...body, activity: 'upgradeInstance', [field]: '' }, field, `${field}: required`);
  });
});

describe('changeInstanceCheck (optional interface)', () => {
  const productInfo = { productId: 'P2', skuCode: 'sku-2', linearValue: 20 };

  it('keeps productInfo as received', () => {
    expect(parseAs('changeInstanceCheck', { instanceId: 'inst-1', productInfo, testFlag: '1' })).toEqual({
      activity: 'changeInstanceCheck',
      instanceId: 'inst-1',
      orderId: null,
      orderLineId: null,
      productInfo,
      testFlag: 1,
    });
  });

  it('reads productInfo sent as a JSON string, and keeps orderId and orderLineId when sent', () => {
    const out = parseAs('changeInstanceCheck', { instanceId: 'inst-1', orderId: 'CS1', orderLineId: 'CS1-000001', productInfo: JSON.stringify(productInfo) });
    expect(out).toMatchObject({ orderId: 'CS1', orderLineId: 'CS1-000001', productInfo });
  });

  it('reads an absent productInfo as null', () => {
    expect(parseAs('changeInstanceCheck', { instanceId: 'inst-1' }).productInfo).toBeNull();
  });

  it.each(['[1]', 'x', 42])('refuses productInfo %j, which is not an object', (value) => {
    refusedBasic({ activity: 'changeInstanceCheck', instanceId: 'inst-1', productInfo: value }, 'productInfo', /must be a JSON object/);
  });

  it('needs instanceId', () => {
    refusedBasic({ activity: 'changeInstanceCheck', productInfo }, 'instanceId', 'instanceId: required');
  });
});
