import { describe, expect, it } from 'vitest';
import { BASIC_ACTIVITIES, parseBasicBody } from '../../../src/koogallery/schemas-basic.js';
import { refusedBasic } from './basic-helpers.js';

// The spec's basic test vector body (§2).
const newInstance = {
  activity: 'newInstance',
  businessId: '87b94795-0603-4e24-8ae5-69420d60e3c8',
  orderId: 'CS2211181819B4LVS',
  orderLineId: 'CS2211181819B4LVS-000001',
  testFlag: '1',
};

// The smallest documented body of each activity.
const MINIMAL: Record<string, Record<string, unknown>> = {
  newInstance,
  queryInstance: { activity: 'queryInstance', instanceId: 'inst-1' },
  refreshInstance: { activity: 'refreshInstance', instanceId: 'inst-1', orderId: 'CS1', orderLineId: 'CS1-000001', scene: 'RENEWAL', expireTime: '20221124023618' },
  updateInstanceStatus: { activity: 'updateInstanceStatus', instanceId: 'inst-1', status: 'FREEZE' },
  releaseInstance: { activity: 'releaseInstance', instanceId: 'inst-1' },
  upgradeInstance: { activity: 'upgradeInstance', instanceId: 'inst-1', orderId: 'CS1', orderLineId: 'CS1-000001' },
  changeInstanceCheck: { activity: 'changeInstanceCheck', instanceId: 'inst-1', productInfo: { productId: 'P1' } },
};

describe('basic bodies: shared rules (spec §6)', () => {
  it('BASIC_ACTIVITIES names the six lifecycle interfaces and the optional check', () => {
    expect([...BASIC_ACTIVITIES].sort()).toEqual(Object.keys(MINIMAL).sort());
  });

  it.each(BASIC_ACTIVITIES)('parses the smallest documented %s body, discriminated by activity', (activity) => {
    expect(parseBasicBody(MINIMAL[activity]).activity).toBe(activity);
  });

  it.each([null, [], 'text', 42, true])('refuses a body that is not an object (%j), naming "body"', (body) => {
    refusedBasic(body, 'body', 'body: must be a JSON object');
  });

  it.each([undefined, null, ''])('refuses a body without activity (%j)', (activity) => {
    refusedBasic({ ...newInstance, activity }, 'activity', 'activity: required');
  });

  it('refuses an activity that is not a string', () => {
    refusedBasic({ ...newInstance, activity: 1 }, 'activity', 'activity: must be a string');
  });

  it.each(['deleteInstance', 'NewInstance', 'tenantSync', 'toString', '__proto__', 'constructor', 'hasOwnProperty'])(
    'answers unknown_interface for the activity %j',
    (activity) => {
      expect(() => parseBasicBody({ ...newInstance, activity })).toThrow(expect.objectContaining({ code: 'unknown_interface', message: expect.stringContaining(activity) }));
    },
  );

  it('quotes an unknown activity cut to 40 characters, control characters escaped', () => {
    expect(() => parseBasicBody({ activity: `x\n${'y'.repeat(100)}` })).toThrow(`unknown basic activity "x\\n${'y'.repeat(38)}"`);
  });

  it('reads the activity with blanks around it', () => {
    expect(parseBasicBody({ ...newInstance, activity: ' newInstance ' }).activity).toBe('newInstance');
  });

  it('ignores fields beyond the documented ones', () => {
    const out = parseBasicBody({ ...newInstance, customerId: 'c1', productId: 'P1', skuCode: 'S1', saasExtendParams: 'e30=', extra: { deep: true } });
    expect(out).toEqual({ activity: 'newInstance', orderId: 'CS2211181819B4LVS', orderLineId: 'CS2211181819B4LVS-000001', businessId: '87b94795-0603-4e24-8ae5-69420d60e3c8', testFlag: 1 });
  });

  describe('testFlag: the STRING "0"/"1", a JSON integer too, absent for production', () => {
    it.each([
      ['1', 1],
      ['0', 0],
      [' 1 ', 1],
      [1, 1],
      [0, 0],
      [undefined, 0],
      [null, 0],
      ['', 0],
    ])('reads %j as %i', (testFlag, expected) => {
      for (const activity of BASIC_ACTIVITIES) expect(parseBasicBody({ ...MINIMAL[activity], testFlag }).testFlag).toBe(expected);
    });

    it.each(['2', 2, 'true', true, '01', 1.5])('refuses %j', (testFlag) => {
      refusedBasic({ ...newInstance, testFlag }, 'testFlag', 'testFlag: must be one of 0, 1');
    });
  });

  describe('ids: String(64) of identifier characters', () => {
    it('keeps 64 characters and refuses 65, naming the field', () => {
      expect(parseBasicBody({ ...newInstance, orderId: 'o'.repeat(64) })).toMatchObject({ orderId: 'o'.repeat(64) });
      refusedBasic({ ...newInstance, orderId: 'o'.repeat(65) }, 'orderId', 'orderId: must be at most 64 characters');
      refusedBasic({ ...MINIMAL.releaseInstance, instanceId: 'i'.repeat(65) }, 'instanceId', /at most 64/);
    });

    it('trims them', () => {
      expect(parseBasicBody({ ...newInstance, businessId: ' b-1 ', orderLineId: '\tL-1 ' })).toMatchObject({ businessId: 'b-1', orderLineId: 'L-1' });
    });

    it.each(['a b', 'a/b', '{tag}', 'a\nb', '订单', 'a,b'])('refuses the id %j', (orderLineId) => {
      refusedBasic({ ...newInstance, orderLineId }, 'orderLineId', /may contain only letters, digits and \. _ ~ : @ -/);
    });

    it('refuses an id that is not a string', () => {
      refusedBasic({ ...newInstance, orderId: 12345 }, 'orderId', 'orderId: must be a string');
    });
  });
});

describe('newInstance', () => {
  it('normalizes the documented body', () => {
    expect(parseBasicBody(newInstance)).toEqual({
      activity: 'newInstance',
      orderId: 'CS2211181819B4LVS',
      orderLineId: 'CS2211181819B4LVS-000001',
      businessId: '87b94795-0603-4e24-8ae5-69420d60e3c8',
      testFlag: 1,
    });
  });

  it.each(['orderId', 'orderLineId', 'businessId'])('needs %s', (field) => {
    refusedBasic({ ...newInstance, [field]: undefined }, field, `${field}: required`);
    refusedBasic({ ...newInstance, [field]: '  ' }, field, `${field}: required`);
  });
});

describe('queryInstance: instanceId is a comma-separated list of 1 to 100 ids', () => {
  const ids = (instanceId: unknown) => {
    const out = parseBasicBody({ activity: 'queryInstance', instanceId, testFlag: '0' });
    if (out.activity !== 'queryInstance') throw new Error('not a queryInstance');
    return out.instanceIds;
  };

  it('reads one id as a list of one', () => {
    expect(ids('10e758d0-31ad-4c4b-8f1b-81d03469a10e')).toEqual(['10e758d0-31ad-4c4b-8f1b-81d03469a10e']);
  });

  it('splits, trims, drops duplicates and keeps the order', () => {
    expect(ids(' b , a,b ,c,a')).toEqual(['b', 'a', 'c']);
  });

  it('skips empty entries', () => {
    expect(ids('a,,b,')).toEqual(['a', 'b']);
  });

  it('accepts 100 ids and refuses 101 (KooGallery\'s per-call cap)', () => {
    const list = (n: number) => Array.from({ length: n }, (_, i) => `inst-${i}`).join(',');
    expect(ids(list(100))).toHaveLength(100);
    refusedBasic({ activity: 'queryInstance', instanceId: list(101) }, 'instanceId', "instanceId: must name at most 100 instances (KooGallery's per-call cap)");
  });

  it.each([undefined, null])('needs instanceId (%j)', (instanceId) => {
    refusedBasic({ activity: 'queryInstance', instanceId }, 'instanceId', 'instanceId: required');
  });

  it.each(['', ' ', ',', ' , ,'])('refuses a list without any id (%j)', (instanceId) => {
    refusedBasic({ activity: 'queryInstance', instanceId }, 'instanceId', 'instanceId: must name at least 1 instance');
  });

  it('refuses a malformed entry, naming its position but not echoing it', () => {
    const message = refusedBasic({ activity: 'queryInstance', instanceId: 'ok,bad id' }, 'instanceId', 'instanceId: id 2: may contain only letters, digits and . _ ~ : @ -');
    expect(message).not.toContain('bad id');
    refusedBasic({ activity: 'queryInstance', instanceId: `${'i'.repeat(65)},ok` }, 'instanceId', 'instanceId: id 1: must be at most 64 characters');
  });

  it('refuses a value that is not a string', () => {
    refusedBasic({ activity: 'queryInstance', instanceId: ['a', 'b'] }, 'instanceId', 'instanceId: must be a string of ids separated by commas');
  });
});
