/**
 * The five basic (instance lifecycle) interfaces at `POST {PRODUCE_PATH}` (spec §2, §6), on a real
 * Redis: what each answers, that each is idempotent under KooGallery's retries, and that every
 * refused call writes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBridge, tenantBody, type TestBridge } from '../support/bridge.js';

let bridge: TestBridge;
let n = 0;
/** A fresh order line per test, so tests stand alone on one bridge. */
const order = () => {
  n += 1;
  return { orderId: `CS2612010${n}ORD`, orderLineId: `CS2612010${n}ORD-000001`, businessId: `biz-${n}-${Math.random().toString(36).slice(2, 8)}` };
};
const basic = (body: Record<string, unknown>, o?: Parameters<TestBridge['sender']['sendBasic']>[1]) => bridge.sender.sendBasic(body, o);
const purchase = async (o = order(), testFlag = '0') => {
  const answer = await basic({ activity: 'newInstance', ...o, testFlag });
  expect(answer.resultCode).toBe('000000');
  return String(answer.instanceId);
};

beforeAll(async () => {
  bridge = await startBridge({ backend: 'redis', env: { KOO_INSTANCE_MEMO: '请使用企业账号登录 🙂', KOO_ADMIN_URL: 'https://app.example.com/admin' } });
});
afterAll(() => bridge.close());

describe('newInstance', () => {
  it('answers the first businessId as instanceId, and the same one for every retry of the order line', async () => {
    const o = order();
    expect(await purchase(o)).toBe(o.businessId);
    const retry = await basic({ activity: 'newInstance', ...o, businessId: `${o.businessId}-retry` });
    expect(retry).toMatchObject({ resultCode: '000000', instanceId: o.businessId });
    expect(await bridge.directory.getInstance(`${o.businessId}-retry`)).toBeNull();
  });

  it('keeps a testFlag "1" purchase apart as test data, which the admin purge removes with its order line', async () => {
    const o = order();
    const id = await purchase(o, '1');
    const production = await purchase();
    const listed = await bridge.admin('/instances');
    expect(listed.body.testInstances.map((i: { instanceId: string }) => i.instanceId)).toContain(id);
    expect(listed.body.instances.map((i: { instanceId: string }) => i.instanceId)).not.toContain(id);
    const purge = await bridge.admin('/test-data', { method: 'DELETE' });
    expect(purge.body.purged.instances).toBeGreaterThanOrEqual(1);
    expect(await bridge.directory.getInstance(id)).toBeNull();
    expect(await bridge.directory.getInstance(production)).not.toBeNull();
    // The order line is free again: a new debug purchase of it is a new instance.
    expect(await purchase({ ...o, businessId: `${o.businessId}-again` }, '1')).toBe(`${o.businessId}-again`);
  });
});

describe('queryInstance', () => {
  it('answers appInfo for known ids, with the memo written as \\uXXXX', async () => {
    const a = await purchase();
    const res = await fetch(bridge.sender.signBasic({ activity: 'queryInstance', instanceId: `${a},unknown-id`, testFlag: '0' }).url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ activity: 'queryInstance', instanceId: `${a},unknown-id`, testFlag: '0' }),
    });
    const text = await res.text();
    expect(text).toMatch(/^[\x20-\x7e]*$/);
    expect(text).toContain('\\u8bf7');
    expect(JSON.parse(text)).toEqual({
      resultCode: '000000',
      resultMsg: 'success',
      info: [{ instanceId: a, appInfo: { frontEndUrl: `${bridge.url}/sso/login`, adminUrl: 'https://app.example.com/admin', memo: '请使用企业账号登录 🙂' } }],
    });
  });

  it('answers 000003 when no id is known', async () => {
    expect(await basic({ activity: 'queryInstance', instanceId: 'nope-1,nope-2' })).toMatchObject({ resultCode: '000003' });
  });
});

describe('lifecycle', () => {
  it('refreshInstance takes a 14- or 17-digit UTC expireTime, and a repeat changes nothing', async () => {
    const id = await purchase();
    const refresh = { activity: 'refreshInstance', instanceId: id, orderId: 'CS-RENEW-1', orderLineId: 'CS-RENEW-1-000001', scene: 'RENEWAL', expireTime: '20271201000000' };
    expect((await basic(refresh)).resultCode).toBe('000000');
    expect((await bridge.directory.getInstance(id))?.expireTime).toBe('2027-12-01T00:00:00.000Z');
    const before = await bridge.snapshot();
    expect((await basic(refresh)).resultCode).toBe('000000');
    expect(await bridge.snapshot()).toEqual(before);
    expect((await basic({ ...refresh, scene: 'TRIAL_TO_FORMAL', expireTime: '20281124023618256' })).resultCode).toBe('000000');
    expect(await bridge.directory.getInstance(id)).toMatchObject({ expireTime: '2028-11-24T02:36:18.256Z', lastScene: 'TRIAL_TO_FORMAL' });
  });

  it('FREEZE and UNFREEZE; a release is final and repeats succeed', async () => {
    const id = await purchase();
    expect((await basic({ activity: 'updateInstanceStatus', instanceId: id, status: 'FREEZE' })).resultCode).toBe('000000');
    expect((await bridge.directory.getInstance(id))?.status).toBe('frozen');
    expect((await basic({ activity: 'updateInstanceStatus', instanceId: id, status: 'UNFREEZE' })).resultCode).toBe('000000');
    expect((await bridge.directory.getInstance(id))?.status).toBe('active');
    for (let i = 0; i < 2; i += 1) expect((await basic({ activity: 'releaseInstance', instanceId: id })).resultCode).toBe('000000');
    expect((await bridge.directory.getInstance(id))?.status).toBe('released');
  });

  it('upgradeInstance never applies one orderId twice', async () => {
    const id = await purchase();
    const upgrade = { activity: 'upgradeInstance', instanceId: id, orderId: 'CS-UP-1', orderLineId: 'CS-UP-1-000001' };
    expect((await basic(upgrade)).resultCode).toBe('000000');
    expect((await basic(upgrade)).resultCode).toBe('000000');
    expect((await bridge.directory.getInstance(id))?.upgradeOrderIds).toEqual(['CS-UP-1']);
  });

  it('changeInstanceCheck answers whether the spec may change', async () => {
    const id = await purchase();
    expect((await basic({ activity: 'changeInstanceCheck', instanceId: id })).resultCode).toBe('000000');
    await basic({ activity: 'releaseInstance', instanceId: id });
    expect(await basic({ activity: 'changeInstanceCheck', instanceId: id })).toMatchObject({ resultCode: '000002', resultMsg: expect.stringContaining('released') });
  });
});

describe('refusals write nothing', () => {
  it.each([
    ['a wrong signature', '000001', (o: ReturnType<typeof order>) => basic({ activity: 'newInstance', ...o }, { sign: 'ab'.repeat(32) })],
    ['a signature made with another key', '000001', (o: ReturnType<typeof order>) => basic({ activity: 'newInstance', ...o }, { accessKey: 'not-our-key' })],
    ['a missing nonce', '000002', (o: ReturnType<typeof order>) => basic({ activity: 'newInstance', ...o }, { nonce: '' })],
    ['a missing timestamp', '000002', (o: ReturnType<typeof order>) => basic({ activity: 'newInstance', ...o }, { timestamp: '' })],
    ['an unknown activity', '000002', () => basic({ activity: 'deleteEverything', instanceId: 'x' })],
    ['newInstance without businessId', '000002', (o: ReturnType<typeof order>) => basic({ activity: 'newInstance', orderId: o.orderId, orderLineId: o.orderLineId })],
    ['refreshInstance with an impossible expireTime', '000002', () => basic({ activity: 'refreshInstance', instanceId: 'x', orderId: 'o', orderLineId: 'l', scene: 'RENEWAL', expireTime: '20270230000000' })],
    ['refreshInstance of an unknown instance', '000003', () => basic({ activity: 'refreshInstance', instanceId: 'unknown-inst', orderId: 'o', orderLineId: 'l', scene: 'RENEWAL', expireTime: '20271201000000' })],
    ['FREEZE of an unknown instance', '000003', () => basic({ activity: 'updateInstanceStatus', instanceId: 'unknown-inst', status: 'FREEZE' })],
  ])('%s → %s', async (_name, code, send) => {
    const before = await bridge.snapshot();
    const answer = await send(order());
    expect(answer.resultCode).toBe(code);
    expect(answer.resultMsg.length).toBeGreaterThan(5);
    expect(await bridge.snapshot()).toEqual(before);
  });
});

describe('instances gate logins', () => {
  it('a tenant bound to a frozen instance is shown as such by the admin API, with why it cannot sign in', async () => {
    const o = order();
    const id = await purchase(o);
    const tenantId = `gate-${n}`;
    expect((await bridge.sender.send('tenantSync', tenantBody({ tenantId, tenantCode: tenantId, instanceId: id, orderId: o.orderId }))).resultCode).toBe('000000');
    await basic({ activity: 'updateInstanceStatus', instanceId: id, status: 'FREEZE' });
    const res = await bridge.admin(`/tenants/${tenantId}`);
    expect(res.body.subscription).toMatchObject({ status: 'frozen', instances: [{ instanceId: id, status: 'frozen' }] });
    expect(res.body.signIn).toEqual({ possible: false, reasons: ['no applicationSync credentials for this app yet', 'subscription is frozen'] });
  });

  it('a debug tenantSync with a domain without scheme is accepted, kept, and explained', async () => {
    const tenantId = `debug-${n}`;
    const answer = await bridge.sender.send('tenantSync', tenantBody({ tenantId, tenantCode: tenantId, domainName: 'example.tenantaccount.com', testFlag: 1, instanceId: '' }));
    expect(answer.resultCode).toBe('000000');
    const res = await bridge.admin(`/tenants/${tenantId}`);
    expect(res.body).toMatchObject({ domainName: null, domainNameReceived: 'example.tenantaccount.com', domainProblem: expect.stringContaining('scheme') });
    expect(res.body.signIn.reasons[0]).toMatch(/^no usable sign-in address: /);
  });
});
