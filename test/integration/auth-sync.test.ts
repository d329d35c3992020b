/**
 * authSync end to end through the signed webhook, on Redis and on the memory store. The bridge is
 * shared; every test has a tenant of its own, so each stands alone and in any order.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DirectoryEvent } from '../../src/shared/directory-events.js';
import { authBody, recordEvents, startBridge, tenantBody, uniqueTenantId, user, type Backend, type TestBridge } from '../support/bridge.js';

describe.each<Backend>(['redis', 'memory'])('authSync on %s', (backend) => {
  let bridge: TestBridge;
  let tenantId: string;
  let recorder: { events: DirectoryEvent[]; stop: () => void };
  beforeAll(async () => {
    bridge = await startBridge({ backend });
  });
  afterAll(() => bridge?.close());
  beforeEach(async () => {
    tenantId = uniqueTenantId('acme');
    expect((await bridge.sender.send('tenantSync', tenantBody({ tenantId }))).resultCode).toBe('000000');
    recorder = recordEvents(bridge);
  });
  afterEach(() => recorder?.stop());

  /** Sends an authSync for this test's tenant and expects 000000. */
  const sync = async (users: Record<string, unknown>[], over: Record<string, unknown> = {}) => {
    const answer = await bridge.sender.send('authSync', authBody(users, { tenantId, ...over }));
    expect(answer.resultCode).toBe('000000');
  };
  const getUser = (userName: string) => bridge.directory.getUser(tenantId, userName);

  it('an add authorizes every user of the list', async () => {
    await sync([user('zhang.san', { role: 'admin', email: 'zhang.san@acme.example.com' }), user('li.si')]);
    expect(await getUser('zhang.san')).toMatchObject({ userName: 'zhang.san', role: 'admin', enable: true, status: 'active', email: 'zhang.san@acme.example.com', test: false });
    expect(await getUser('li.si')).toMatchObject({ role: 'user', enable: true });
  });

  it('a second add of the same users changes nothing and answers 000000', async () => {
    await sync([user('li.si')]);
    const before = await getUser('li.si');
    await sync([user('li.si')]);
    const after = await getUser('li.si');
    expect({ ...after, updatedAt: '' }).toEqual({ ...before, updatedAt: '' });
  });

  it('accepts userList as a JSON string, enable as a boolean and fields nested under extension', async () => {
    const list = JSON.stringify([user('wang.wu', { enable: true, extension: { mobile: '13800000000', workPlace: 'Shenzhen' } })]);
    await sync([], { userList: list });
    expect(await getUser('wang.wu')).toMatchObject({ enable: true, mobile: '13800000000', workPlace: 'Shenzhen' });
  });

  it('a modify replaces the user, dropping a privacy field no longer granted', async () => {
    await sync([user('zhang.san', { role: 'admin', email: 'zhang.san@acme.example.com' })], { currentSyncTime: '20261121100000000' });
    await sync([user('zhang.san', { name: 'Zhang San (Sales)' })], { flag: 2, currentSyncTime: '20261121110000000' });
    const u = await getUser('zhang.san');
    expect(u).toMatchObject({ name: 'Zhang San (Sales)', role: 'user' });
    expect(u?.email).toBeUndefined();
  });

  it('an authSync older than the stored one does not overwrite it (and still answers 000000)', async () => {
    await sync([user('zhang.san', { name: 'Zhang San (Sales)' })], { flag: 2, currentSyncTime: '20261121110000000' });
    await sync([user('zhang.san', { name: 'Stale Name' })], { flag: 2, currentSyncTime: '20261121105959999' });
    expect((await getUser('zhang.san'))?.name).toBe('Zhang San (Sales)');
  });

  it('enable "false" keeps the user but deprovisions them', async () => {
    await sync([user('li.si')], { currentSyncTime: '20261121100000000' });
    await sync([user('li.si', { enable: 'false' })], { flag: 2, currentSyncTime: '20261121120000000' });
    expect(await getUser('li.si')).toMatchObject({ enable: false, status: 'active' });
    expect(recorder.events).toContainEqual({ type: 'user.deprovisioned', tenantId, userName: 'li.si', reason: 'disabled' });
  });

  it('flag 3 cancels the authorization and keeps what was known of the user', async () => {
    await sync([user('wang.wu', { extension: { mobile: '13800000000' } })], { currentSyncTime: '20261121100000000' });
    await sync([{ userName: 'wang.wu' }], { flag: 3, currentSyncTime: '20261121120000000' });
    expect(await getUser('wang.wu')).toMatchObject({ status: 'cancelled', mobile: '13800000000', name: 'Name of wang.wu' });
    expect(recorder.events).toContainEqual({ type: 'user.deprovisioned', tenantId, userName: 'wang.wu', reason: 'cancelled' });
  });

  it('a delete removes the user; deleting twice and deleting an unknown user succeed', async () => {
    await sync([user('zhang.san')], { currentSyncTime: '20261121100000000' });
    for (const names of [['zhang.san'], ['zhang.san'], ['nobody']]) {
      await sync(names.map((n) => ({ userName: n })), { flag: 0, currentSyncTime: '20261121130000000' });
    }
    expect(await getUser('zhang.san')).toBeNull();
    expect(recorder.events).toContainEqual({ type: 'user.deprovisioned', tenantId, userName: 'zhang.san', reason: 'deleted' });
  });

  it('a stale add arriving after a delete does not bring the user back', async () => {
    await sync([user('zhang.san')], { currentSyncTime: '20261121100000000' });
    await sync([{ userName: 'zhang.san' }], { flag: 0, currentSyncTime: '20261121130000000' });
    await sync([user('zhang.san')], { currentSyncTime: '20261121125959000' });
    expect(await getUser('zhang.san')).toBeNull();
  });

  it('a newer add after a delete authorizes the user again', async () => {
    await sync([user('zhang.san')], { currentSyncTime: '20261121100000000' });
    await sync([{ userName: 'zhang.san' }], { flag: 0, currentSyncTime: '20261121130000000' });
    await sync([user('zhang.san')], { currentSyncTime: '20261121140000000' });
    expect(await getUser('zhang.san')).toMatchObject({ status: 'active', enable: true });
  });

  it('500 users in one call are all stored, and listed in userName order across pages', async () => {
    const users = Array.from({ length: 500 }, (_, i) => user(`bulk.${String(i).padStart(3, '0')}`));
    await sync(users, { currentSyncTime: '20261121150000000' });
    const seen: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await bridge.directory.listUsers(tenantId, { limit: 120, ...(after ? { after } : {}) });
      seen.push(...page.users.map((u) => u.userName));
      if (!page.next) break;
      after = page.next;
    }
    expect(seen).toEqual(users.map((u) => u.userName));
  });

  it('users of a tenant not synced yet are kept (KooGallery does not retry), the tenant shown as pending', async () => {
    const notYet = uniqueTenantId('not-yet');
    await sync([user('early.bird')], { tenantId: notYet });
    expect(await bridge.directory.getUser(notYet, 'early.bird')).toMatchObject({ status: 'active' });
    expect(await bridge.directory.findTenant(notYet)).toEqual({ tenantId: notYet, synced: false, tenant: null });
  });
});
