/** tenantSync rules (spec §5.1) on the directory itself: upserts, partial modifies, whole deletes. */
import { describe, expect, it } from 'vitest';
import { allOrgSync, appSync, authSync, directoryFixture, syncUser, tenantSync } from '../../support/directory.js';

describe('tenantSync', () => {
  it('an add creates the tenant, stamped with the clock, and emits nothing (there is nothing to revoke)', async () => {
    const { directory, clock, events } = directoryFixture();
    expect(await directory.applyTenantSync(tenantSync())).toEqual({ change: 'created' });
    const at = new Date(clock.now()).toISOString();
    expect(await directory.getTenant('acme')).toEqual({
      tenantId: 'acme',
      tenantCode: 'acme',
      name: 'Acme Trading Co.',
      domainName: 'https://acme.idp.example.com',
      instanceId: 'inst-acme-001',
      orderId: 'CS2611210001ACME',
      test: false,
      createdAt: at,
      updatedAt: at,
    });
    expect(events).toEqual([]);
  });

  it('the same add again is unchanged: nothing rewritten, no event', async () => {
    const { directory, clock, events } = directoryFixture();
    await directory.applyTenantSync(tenantSync());
    const before = await directory.getTenant('acme');
    clock.advance(60_000);
    expect(await directory.applyTenantSync(tenantSync())).toEqual({ change: 'unchanged' });
    expect(await directory.getTenant('acme')).toEqual(before);
    expect(events).toEqual([]);
  });

  it('a modify keeps what it leaves out, keeps createdAt, moves updatedAt, and emits tenant.updated', async () => {
    const { directory, clock, events } = directoryFixture();
    await directory.applyTenantSync(tenantSync());
    const created = (await directory.getTenant('acme'))!.createdAt;
    clock.advance(60_000);
    const modify = tenantSync({ flag: 2, name: 'Acme Group', domainName: 'https://login.acme.example.com', tenantCode: null, instanceId: '', orderId: '' });
    expect(await directory.applyTenantSync(modify)).toEqual({ change: 'updated' });
    expect(await directory.getTenant('acme')).toMatchObject({
      name: 'Acme Group',
      domainName: 'https://login.acme.example.com',
      tenantCode: 'acme',
      instanceId: 'inst-acme-001',
      orderId: 'CS2611210001ACME',
      createdAt: created,
      updatedAt: new Date(clock.now()).toISOString(),
    });
    expect(events).toEqual([{ type: 'tenant.updated', tenantId: 'acme' }]);
  });

  it('a tenant with testFlag 1 is marked test and listed among the test tenants', async () => {
    const { directory, store, deps } = directoryFixture();
    await directory.applyTenantSync(tenantSync({ tenantId: 'sandbox', testFlag: 1 }));
    expect(await directory.getTenant('sandbox')).toMatchObject({ test: true });
    expect(await store.smembers(deps.keys.testTenants())).toEqual(['sandbox']);
  });

  it('a delete removes the tenant with its credentials, users and departments at once, and emits tenant.removed', async () => {
    const { directory, store, deps, events } = directoryFixture();
    await directory.applyTenantSync(tenantSync());
    await directory.applyApplicationSync(appSync());
    await directory.applyAuthSync(authSync([syncUser('zhang.san')]));
    await directory.applyAllOrgSync(allOrgSync([{ orgCode: 'sales', orgName: 'Sales', parentCode: '' }]));
    events.length = 0;

    expect(await directory.applyTenantSync(tenantSync({ flag: 0 }))).toEqual({ change: 'deleted' });
    for (const key of deps.keys.allOfTenant('acme')) expect(await store.pttl(key)).toBe(-2);
    expect(await directory.findTenant('acme')).toBeNull();
    expect(await directory.listTenants({ limit: 10 })).toEqual({ tenants: [], next: null });
    expect(events).toEqual([{ type: 'tenant.removed', tenantId: 'acme', reason: 'deleted' }]);
  });

  it('deleting a tenant that holds nothing answers absent and emits nothing', async () => {
    const { directory, events } = directoryFixture();
    expect(await directory.applyTenantSync(tenantSync({ tenantId: 'never-seen', flag: 0 }))).toEqual({ change: 'absent' });
    expect(events).toEqual([]);
  });

  it('data arriving before the tenantSync is kept, the tenant shown as pending (synced false)', async () => {
    const { directory } = directoryFixture();
    await directory.applyAuthSync(authSync([syncUser('early.bird')], { tenantId: 'not-yet' }));
    expect(await directory.findTenant('not-yet')).toEqual({ tenantId: 'not-yet', synced: false, tenant: null });
    expect((await directory.listTenants({ limit: 10 })).tenants).toEqual([{ tenantId: 'not-yet', synced: false, tenant: null }]);
  });

  it('lists tenants in id order, a page at a time, skipping ids that hold nothing', async () => {
    const { directory, store, deps } = directoryFixture();
    for (const tenantId of ['delta', 'alpha', 'charlie', 'bravo']) await directory.applyTenantSync(tenantSync({ tenantId }));
    // Indexed but empty: what a write that failed after indexing leaves behind.
    await store.exec([{ op: 'zadd', key: deps.keys.tenantIndex(), members: ['aaa-empty'] }]);
    const first = await directory.listTenants({ limit: 3 });
    expect(first.tenants.map((t) => t.tenantId)).toEqual(['alpha', 'bravo']);
    expect(first.next).toBe('bravo');
    const second = await directory.listTenants({ after: first.next!, limit: 3 });
    expect(second).toMatchObject({ tenants: [{ tenantId: 'charlie' }, { tenantId: 'delta' }], next: null });
  });
});
