/**
 * Test data (testFlag 1): a test tenant is purged whole; in a production tenant only the records
 * marked test go. The purge is an event like any other deprovisioning.
 */
import { describe, expect, it } from 'vitest';
import { APP_ID, allOrgSync, appSync, authSync, directoryFixture, singleOrgSync, syncUser, tenantSync } from '../../support/directory.js';

/** A production tenant (acme) holding test records, a test tenant (sandbox), and a clean one (globex). */
async function seeded() {
  const f = directoryFixture({ appId: null });
  const d = f.directory;
  await d.applyTenantSync(tenantSync());
  await d.applyApplicationSync(appSync());
  await d.applyApplicationSync(appSync({ appId: 'test-app', testFlag: 1 }));
  await d.applyAuthSync(authSync([syncUser('user.0'), syncUser('user.1')]));
  await d.applyAuthSync(authSync([syncUser('tester')], { testFlag: 1 }));
  await d.applyAllOrgSync(allOrgSync([{ orgCode: 'hq', orgName: 'HQ', parentCode: '' }]));
  await d.applySingleOrgSync(singleOrgSync({ orgCode: 'qa', orgName: 'QA', testFlag: 1 }));
  await d.applyTenantSync(tenantSync({ tenantId: 'sandbox', tenantCode: 'sandbox', testFlag: 1 }));
  await d.applyAuthSync(authSync([syncUser('zhang.san')], { tenantId: 'sandbox', testFlag: 1 }));
  await d.applyTenantSync(tenantSync({ tenantId: 'globex', tenantCode: 'globex' }));
  await d.applyAuthSync(authSync([syncUser('zhao.liu')], { tenantId: 'globex' }));
  f.events.length = 0;
  return f;
}

describe('purgeTestData', () => {
  it('removes a test tenant whole, with tenant.removed (reason purged)', async () => {
    const { directory, events } = await seeded();
    const result = await directory.purgeTestData();
    expect(result.tenants).toBe(1);
    expect(await directory.findTenant('sandbox')).toBeNull();
    expect(await directory.getUser('sandbox', 'zhang.san')).toBeNull();
    expect(events).toContainEqual({ type: 'tenant.removed', tenantId: 'sandbox', reason: 'purged' });
  });

  it('in a production tenant removes only the test users, apps and departments, each deprovisioned', async () => {
    const { directory, events } = await seeded();
    expect(await directory.purgeTestData()).toEqual({ instances: 0, tenants: 1, users: 1, apps: 1, orgs: 1 });
    expect(await directory.getUser('acme', 'tester')).toBeNull();
    expect((await directory.listUsers('acme', { limit: 10 })).users.map((u) => u.userName)).toEqual(['user.0', 'user.1']);
    expect((await directory.listApps('acme')).map((a) => a.appId)).toEqual([APP_ID]);
    expect((await directory.listOrgs('acme')).map((o) => o.orgCode)).toEqual(['hq']);
    expect(await directory.getTenant('acme')).toMatchObject({ tenantId: 'acme', test: false });
    expect(events).toEqual(
      expect.arrayContaining([
        { type: 'user.deprovisioned', tenantId: 'acme', userName: 'tester', reason: 'purged' },
        { type: 'credentials.changed', tenantId: 'acme', appId: 'test-app', change: 'purged' },
      ]),
    );
    expect(events.filter((e) => e.tenantId === 'acme')).toHaveLength(2);
  });

  it('leaves production data of tenants without test records untouched', async () => {
    const { directory, events } = await seeded();
    await directory.purgeTestData();
    expect(await directory.getUser('globex', 'zhao.liu')).toMatchObject({ status: 'active' });
    expect(events.filter((e) => e.tenantId === 'globex')).toEqual([]);
  });

  it('leaves no version tombstone: a purged test user may be synced again, even with an older sync time', async () => {
    const { directory } = await seeded();
    await directory.purgeTestData();
    await directory.applyAuthSync(authSync([syncUser('tester')], { testFlag: 1, currentSyncTime: '20261121090000000' }));
    expect(await directory.getUser('acme', 'tester')).toMatchObject({ test: true, status: 'active' });
  });

  it('a second purge finds nothing', async () => {
    const { directory, events } = await seeded();
    await directory.purgeTestData();
    events.length = 0;
    expect(await directory.purgeTestData()).toEqual({ instances: 0, tenants: 0, users: 0, apps: 0, orgs: 0 });
    expect(events).toEqual([]);
  });
});
