/**
 * authSync rules (spec §5.3) on the directory itself: each user is written only if the call is not
 * older than what is stored for that user, a delete leaves a tombstone, a cancellation keeps what
 * was known, and every applied change is an event.
 */
import { describe, expect, it } from 'vitest';
import { toSyncTime } from '../../../src/directory/sync-time.js';
import { APP_ID, authSync, bareUser, directoryFixture, syncUser } from '../../support/directory.js';

describe('authSync', () => {
  it('an add authorizes every user of the list, stamped with its sync time, and emits user.updated for each', async () => {
    const { directory, events } = directoryFixture();
    const result = await directory.applyAuthSync(authSync([syncUser('zhang.san', { role: 'admin', email: 'zhang.san@acme.example.com' }), syncUser('li.si')]));
    expect(result).toEqual({ applied: 2, stale: 0 });
    expect(await directory.getUser('acme', 'zhang.san')).toMatchObject({
      userName: 'zhang.san',
      role: 'admin',
      enable: true,
      status: 'active',
      email: 'zhang.san@acme.example.com',
      appId: APP_ID,
      test: false,
      syncTime: '20261121100000000',
    });
    expect(events).toEqual([
      { type: 'user.updated', tenantId: 'acme', userName: 'zhang.san' },
      { type: 'user.updated', tenantId: 'acme', userName: 'li.si' },
    ]);
  });

  it('a call older than the stored one is skipped for that user (counted stale, no event), a newer one for another user applies', async () => {
    const { directory, events } = directoryFixture();
    await directory.applyAuthSync(authSync([syncUser('zhang.san', { name: 'Zhang San (Sales)' })], { currentSyncTime: '20261121110000000' }));
    events.length = 0;
    const result = await directory.applyAuthSync(authSync([syncUser('zhang.san', { name: 'Stale Name' }), syncUser('li.si')], { flag: 2, currentSyncTime: '20261121105959999' }));
    expect(result).toEqual({ applied: 1, stale: 1 });
    expect((await directory.getUser('acme', 'zhang.san'))?.name).toBe('Zhang San (Sales)');
    expect(events).toEqual([{ type: 'user.updated', tenantId: 'acme', userName: 'li.si' }]);
  });

  it('a call with the same sync time as the stored one applies (a retried call is not stale)', async () => {
    const { directory } = directoryFixture();
    await directory.applyAuthSync(authSync([syncUser('zhang.san', { name: 'First' })]));
    expect(await directory.applyAuthSync(authSync([syncUser('zhang.san', { name: 'Second' })], { flag: 2 }))).toEqual({ applied: 1, stale: 0 });
    expect((await directory.getUser('acme', 'zhang.san'))?.name).toBe('Second');
  });

  it('without currentSyncTime the call is ordered by its timeStamp, and without both by the time of receipt', async () => {
    const { directory, clock } = directoryFixture();
    await directory.applyAuthSync(authSync([syncUser('by.stamp')], { currentSyncTime: null, timeStamp: '20261121120000000' }));
    expect((await directory.getUser('acme', 'by.stamp'))?.syncTime).toBe('20261121120000000');
    await directory.applyAuthSync(authSync([syncUser('by.clock')], { currentSyncTime: null, timeStamp: null }));
    expect((await directory.getUser('acme', 'by.clock'))?.syncTime).toBe(toSyncTime(clock.now()));
  });

  it('a modify replaces the user: a privacy field it leaves out is dropped', async () => {
    const { directory } = directoryFixture();
    await directory.applyAuthSync(authSync([syncUser('zhang.san', { role: 'admin', email: 'zhang.san@acme.example.com', mobile: '13800000000' })]));
    await directory.applyAuthSync(authSync([syncUser('zhang.san', { name: 'Zhang San (Sales)', mobile: '13900000000' })], { flag: 2, currentSyncTime: '20261121110000000' }));
    const u = await directory.getUser('acme', 'zhang.san');
    expect(u).toMatchObject({ name: 'Zhang San (Sales)', role: 'user', mobile: '13900000000' });
    expect(u).not.toHaveProperty('email');
  });

  it('enable false keeps the user, active but not enabled, and deprovisions them (reason disabled)', async () => {
    const { directory, events } = directoryFixture();
    await directory.applyAuthSync(authSync([syncUser('li.si')]));
    events.length = 0;
    await directory.applyAuthSync(authSync([syncUser('li.si', { enable: false })], { flag: 2, currentSyncTime: '20261121120000000' }));
    expect(await directory.getUser('acme', 'li.si')).toMatchObject({ enable: false, status: 'active' });
    expect(events).toEqual([{ type: 'user.deprovisioned', tenantId: 'acme', userName: 'li.si', reason: 'disabled' }]);
  });

  it('a cancellation (flag 3) by userName alone keeps what was known of the user, marked cancelled', async () => {
    const { directory, events } = directoryFixture();
    await directory.applyAuthSync(authSync([syncUser('wang.wu', { role: 'admin', orgCode: 'rd', mobile: '13800000000', workPlace: 'Shenzhen' })]));
    events.length = 0;
    await directory.applyAuthSync(authSync([bareUser('wang.wu')], { flag: 3, currentSyncTime: '20261121120000000', instanceId: '' }));
    expect(await directory.getUser('acme', 'wang.wu')).toMatchObject({
      status: 'cancelled',
      name: 'Name of wang.wu',
      role: 'admin',
      orgCode: 'rd',
      enable: true,
      mobile: '13800000000',
      workPlace: 'Shenzhen',
      instanceId: 'inst-acme-001',
      syncTime: '20261121120000000',
    });
    expect(events).toEqual([{ type: 'user.deprovisioned', tenantId: 'acme', userName: 'wang.wu', reason: 'cancelled' }]);
  });

  it('a cancellation of a user never seen stores what it says, marked cancelled', async () => {
    const { directory } = directoryFixture();
    await directory.applyAuthSync(authSync([bareUser('ghost')], { flag: 3 }));
    expect(await directory.getUser('acme', 'ghost')).toMatchObject({ userName: 'ghost', status: 'cancelled', name: null, enable: null });
  });

  it('a delete removes the user and deprovisions them (reason deleted); deleting again changes nothing', async () => {
    const { directory, events } = directoryFixture();
    await directory.applyAuthSync(authSync([syncUser('zhang.san')]));
    events.length = 0;
    const del = authSync([bareUser('zhang.san')], { flag: 0, currentSyncTime: '20261121130000000' });
    expect(await directory.applyAuthSync(del)).toEqual({ applied: 1, stale: 0 });
    expect(await directory.getUser('acme', 'zhang.san')).toBeNull();
    expect((await directory.listUsers('acme', { limit: 10 })).users).toEqual([]);
    expect(events).toEqual([{ type: 'user.deprovisioned', tenantId: 'acme', userName: 'zhang.san', reason: 'deleted' }]);
    await directory.applyAuthSync(del);
    expect(await directory.getUser('acme', 'zhang.san')).toBeNull();
  });

  it('a delete leaves a tombstone: a stale add arriving later does not bring the user back', async () => {
    const { directory, events } = directoryFixture();
    await directory.applyAuthSync(authSync([syncUser('zhang.san')]));
    await directory.applyAuthSync(authSync([bareUser('zhang.san')], { flag: 0, currentSyncTime: '20261121130000000' }));
    events.length = 0;
    expect(await directory.applyAuthSync(authSync([syncUser('zhang.san')], { currentSyncTime: '20261121125959000' }))).toEqual({ applied: 0, stale: 1 });
    expect(await directory.getUser('acme', 'zhang.san')).toBeNull();
    expect(events).toEqual([]);
  });

  it('an add newer than the delete authorizes the user again', async () => {
    const { directory } = directoryFixture();
    await directory.applyAuthSync(authSync([syncUser('zhang.san')]));
    await directory.applyAuthSync(authSync([bareUser('zhang.san')], { flag: 0, currentSyncTime: '20261121130000000' }));
    await directory.applyAuthSync(authSync([syncUser('zhang.san')], { currentSyncTime: '20261121140000000' }));
    expect(await directory.getUser('acme', 'zhang.san')).toMatchObject({ status: 'active', enable: true });
  });

  it('test users (testFlag 1) are marked test and their tenant listed among the test tenants', async () => {
    const { directory, store, deps } = directoryFixture();
    await directory.applyAuthSync(authSync([syncUser('tester')], { testFlag: 1 }));
    expect(await directory.getUser('acme', 'tester')).toMatchObject({ test: true });
    expect(await store.smembers(deps.keys.testTenants())).toEqual(['acme']);
  });

  it('another appId than the one this bridge serves is refused with app_mismatch, and nothing is written', async () => {
    const { directory } = directoryFixture();
    await expect(directory.applyAuthSync(authSync([syncUser('zhang.san')], { appId: 'someone-else' }))).rejects.toMatchObject({ code: 'app_mismatch', details: { field: 'appId' } });
    expect(await directory.getUser('acme', 'zhang.san')).toBeNull();
  });

  it('lists users in userName order, a page at a time', async () => {
    const { directory } = directoryFixture();
    await directory.applyAuthSync(authSync(['d', 'b', 'e', 'a', 'c'].map((n) => syncUser(`user.${n}`))));
    const first = await directory.listUsers('acme', { limit: 2 });
    expect(first.users.map((u) => u.userName)).toEqual(['user.a', 'user.b']);
    const second = await directory.listUsers('acme', { after: first.next!, limit: 2 });
    expect(second.users.map((u) => u.userName)).toEqual(['user.c', 'user.d']);
    const last = await directory.listUsers('acme', { after: second.next!, limit: 2 });
    expect(last).toMatchObject({ users: [{ userName: 'user.e' }], next: null });
  });
});
