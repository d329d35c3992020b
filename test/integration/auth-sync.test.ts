import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authBody, startBridge, tenantBody, user, type Backend, type TestBridge } from '../support/bridge.js';

describe.each<Backend>(['redis', 'memory'])('authSync on %s', (backend) => {
  let bridge: TestBridge;
  const events: any[] = [];
  beforeAll(async () => {
    bridge = await startBridge({ backend });
    bridge.directory.events.on((e) => void events.push(e));
    await bridge.sender.send('tenantSync', tenantBody());
  });
  afterAll(() => bridge.close());

  it('an add authorizes every user of the list', async () => {
    const answer = await bridge.sender.send('authSync', authBody([user('zhang.san', { role: 'admin', email: 'zhang.san@acme.example.com' }), user('li.si')]));
    expect(answer.resultCode).toBe('000000');
    expect(await bridge.directory.getUser('acme', 'zhang.san')).toMatchObject({ userName: 'zhang.san', role: 'admin', enable: true, status: 'active', email: 'zhang.san@acme.example.com', test: false });
    expect(await bridge.directory.getUser('acme', 'li.si')).toMatchObject({ role: 'user', enable: true });
  });

  it('a second add of the same users changes nothing and answers 000000', async () => {
    const before = await bridge.directory.getUser('acme', 'li.si');
    expect((await bridge.sender.send('authSync', authBody([user('li.si')]))).resultCode).toBe('000000');
    const after = await bridge.directory.getUser('acme', 'li.si');
    expect({ ...after, updatedAt: '' }).toEqual({ ...before, updatedAt: '' });
  });

  it('accepts userList as a JSON string, enable as a boolean and fields nested under extension', async () => {
    const list = JSON.stringify([user('wang.wu', { enable: true, extension: { mobile: '13800000000', workPlace: 'Shenzhen' } })]);
    expect((await bridge.sender.send('authSync', authBody([], { userList: list }))).resultCode).toBe('000000');
    expect(await bridge.directory.getUser('acme', 'wang.wu')).toMatchObject({ enable: true, mobile: '13800000000', workPlace: 'Shenzhen' });
  });

  it('a modify replaces the user, dropping a privacy field no longer granted', async () => {
    expect((await bridge.sender.send('authSync', authBody([user('zhang.san', { name: 'Zhang San (Sales)' })], { flag: 2, currentSyncTime: '20261121110000000' }))).resultCode).toBe('000000');
    const u = await bridge.directory.getUser('acme', 'zhang.san');
    expect(u).toMatchObject({ name: 'Zhang San (Sales)', role: 'user' });
    expect(u?.email).toBeUndefined();
  });

  it('an authSync older than the stored one does not overwrite it (and still answers 000000)', async () => {
    const answer = await bridge.sender.send('authSync', authBody([user('zhang.san', { name: 'Stale Name' })], { flag: 2, currentSyncTime: '20261121105959999' }));
    expect(answer.resultCode).toBe('000000');
    expect((await bridge.directory.getUser('acme', 'zhang.san'))?.name).toBe('Zhang San (Sales)');
  });

  it('enable "false" keeps the user but deprovisions them', async () => {
    await bridge.sender.send('authSync', authBody([user('li.si', { enable: 'false' })], { flag: 2, currentSyncTime: '20261121120000000' }));
    expect(await bridge.directory.getUser('acme', 'li.si')).toMatchObject({ enable: false, status: 'active' });
    expect(events).toContainEqual({ type: 'user.deprovisioned', tenantId: 'acme', userName: 'li.si', reason: 'disabled' });
  });

  it('flag 3 cancels the authorization and keeps what was known of the user', async () => {
    await bridge.sender.send('authSync', authBody([{ userName: 'wang.wu' }], { flag: 3, currentSyncTime: '20261121120000000' }));
    expect(await bridge.directory.getUser('acme', 'wang.wu')).toMatchObject({ status: 'cancelled', mobile: '13800000000', name: 'Name of wang.wu' });
    expect(events).toContainEqual({ type: 'user.deprovisioned', tenantId: 'acme', userName: 'wang.wu', reason: 'cancelled' });
  });

  it('a delete removes the user; deleting twice and deleting an unknown user succeed', async () => {
    for (const names of [['zhang.san'], ['zhang.san'], ['nobody']]) {
      const answer = await bridge.sender.send('authSync', authBody(names.map((n) => ({ userName: n })), { flag: 0, currentSyncTime: '20261121130000000' }));
      expect(answer.resultCode).toBe('000000');
    }
    expect(await bridge.directory.getUser('acme', 'zhang.san')).toBeNull();
    expect(events).toContainEqual({ type: 'user.deprovisioned', tenantId: 'acme', userName: 'zhang.san', reason: 'deleted' });
  });

  it('a stale add arriving after a delete does not bring the user back', async () => {
    await bridge.sender.send('authSync', authBody([user('zhang.san')], { currentSyncTime: '20261121125959000' }));
    expect(await bridge.directory.getUser('acme', 'zhang.san')).toBeNull();
  });

  it('a newer add after a delete authorizes the user again', async () => {
    await bridge.sender.send('authSync', authBody([user('zhang.san')], { currentSyncTime: '20261121140000000' }));
    expect(await bridge.directory.getUser('acme', 'zhang.san')).toMatchObject({ status: 'active', enable: true });
  });

  it('500 users in one call are all stored, and listed in userName order across pages', async () => {
    const users = Array.from({ length: 500 }, (_, i) => user(`bulk.${String(i).padStart(3, '0')}`));
    const answer = await bridge.sender.send('authSync', authBody(users, { tenantId: 'bulk', currentSyncTime: '20261121150000000' }));
    expect(answer.resultCode).toBe('000000');
    const seen: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await bridge.directory.listUsers('bulk', { limit: 120, ...(after ? { after } : {}) });
      seen.push(...page.users.map((u) => u.userName));
      if (!page.next) break;
      after = page.next;
    }
    expect(seen).toEqual(users.map((u) => u.userName));
  });

  it('users of a tenant not synced yet are kept (KooGallery does not retry), the tenant shown as pending', async () => {
    expect((await bridge.sender.send('authSync', authBody([user('early.bird')], { tenantId: 'not-yet' }))).resultCode).toBe('000000');
    expect(await bridge.directory.findTenant('not-yet')).toEqual({ tenantId: 'not-yet', synced: false, tenant: null });
  });
});
