/**
 * The instance model of the basic interfaces (spec §6) and how instances gate a tenant's logins,
 * on the memory store with a clock the test moves: no HTTP, no sleeps.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Directory } from '../../../src/directory/directory.js';
import type { AuthSync, TenantSync } from '../../../src/koogallery/schemas.js';
import type { DirectoryEvent } from '../../../src/shared/directory-events.js';
import { authSync as authSyncOf, directoryFixture, syncUser, tenantSync as tenantSyncOf } from '../../support/directory.js';

let directory: Directory;
let events: DirectoryEvent[];

beforeEach(() => {
  ({ directory, events } = directoryFixture());
});

const purchase = (businessId: string, over: Partial<{ orderId: string; orderLineId: string; test: boolean }> = {}) =>
  directory.applyNewInstance({ orderId: over.orderId ?? `ORDER-${businessId}`, orderLineId: over.orderLineId ?? `ORDER-${businessId}-000001`, businessId, test: over.test ?? false, productId: 'prod-std' });

const tenantSync = (over: Partial<TenantSync> = {}): TenantSync => tenantSyncOf({ instanceId: 'inst-1', orderId: 'ORDER-inst-1', ...over });

const authSync = (flag: AuthSync['flag'], instanceId: string, time: string): AuthSync =>
  authSyncOf([syncUser('zhang.san', { name: 'Zhang San', orgCode: 'hq' })], { flag, instanceId, orderId: '', timeStamp: time, currentSyncTime: time });

const state = async (tenantId = 'acme') => (await directory.subscriptionOf(tenantId))?.state;

describe('newInstance', () => {
  it('one order line is one instance for life: retries with new businessIds answer the first', async () => {
    expect(await purchase('biz-1', { orderId: 'O-1', orderLineId: 'O-1-1' })).toEqual({ instanceId: 'biz-1', created: true });
    expect(await purchase('biz-2', { orderId: 'O-1', orderLineId: 'O-1-1' })).toEqual({ instanceId: 'biz-1', created: false });
    expect((await directory.listInstances({ limit: 10 })).instances.map((i) => i.instanceId)).toEqual(['biz-1']);
  });

  it('another order line of the same order is another instance', async () => {
    await purchase('biz-1', { orderId: 'O-1', orderLineId: 'O-1-1' });
    expect((await purchase('biz-2', { orderId: 'O-1', orderLineId: 'O-1-2' })).instanceId).toBe('biz-2');
  });

  it('a testFlag purchase is kept as test data', async () => {
    await purchase('biz-test', { test: true });
    expect(await directory.getInstance('biz-test')).toMatchObject({ test: true, status: 'active' });
  });
});

describe('lifecycle', () => {
  beforeEach(async () => {
    await purchase('inst-1');
  });

  it('refreshInstance keeps the new end and scene; the same call again changes nothing; an unknown instance is 000003', async () => {
    const input = { instanceId: 'inst-1', scene: 'RENEWAL', expireTime: '2027-12-01T00:00:00.000Z', productId: null };
    expect((await directory.refreshInstance(input)).change).toBe('changed');
    expect((await directory.refreshInstance(input)).change).toBe('unchanged');
    expect(await directory.getInstance('inst-1')).toMatchObject({ expireTime: '2027-12-01T00:00:00.000Z', lastScene: 'RENEWAL', productId: 'prod-std' });
    await expect(directory.refreshInstance({ ...input, instanceId: 'nope' })).rejects.toMatchObject({ code: 'instance_unknown' });
  });

  it('upgradeInstance is applied once per orderId', async () => {
    expect((await directory.upgradeInstance({ instanceId: 'inst-1', orderId: 'UP-1', productId: 'prod-pro' })).change).toBe('changed');
    expect((await directory.upgradeInstance({ instanceId: 'inst-1', orderId: 'UP-1', productId: 'prod-other' })).change).toBe('unchanged');
    expect(await directory.getInstance('inst-1')).toMatchObject({ upgradeOrderIds: ['UP-1'], productId: 'prod-pro' });
  });

  it('a release is final: released again succeeds unchanged, and a late UNFREEZE does not bring it back', async () => {
    expect((await directory.releaseInstance('inst-1')).change).toBe('changed');
    expect((await directory.releaseInstance('inst-1')).change).toBe('unchanged');
    expect((await directory.setInstanceFrozen('inst-1', false)).change).toBe('unchanged');
    expect((await directory.getInstance('inst-1'))?.status).toBe('released');
  });

  it('releasing an instance never seen succeeds (KooGallery would otherwise retry for hours)', async () => {
    expect((await directory.releaseInstance('never-seen')).change).toBe('unknown');
  });
});

describe('instances gate logins', () => {
  it('a tenant bound to an active instance may sign in; FREEZE suspends it (a repeat suspends again: its first attempt may have failed after the write), UNFREEZE lets it back in', async () => {
    await purchase('inst-1');
    await directory.applyTenantSync(tenantSync());
    expect(await state()).toBe('active');
    await directory.setInstanceFrozen('inst-1', true);
    await directory.setInstanceFrozen('inst-1', true);
    expect(await state()).toBe('frozen');
    const suspended = { type: 'tenant.suspended', tenantId: 'acme', reason: 'frozen' };
    expect(events.filter((e) => e.type === 'tenant.suspended')).toEqual([suspended, suspended]);
    await directory.setInstanceFrozen('inst-1', false);
    expect(await state()).toBe('active');
  });

  it('releasing the last usable instance ends the subscription; the tenant data stays', async () => {
    await purchase('inst-1');
    await directory.applyTenantSync(tenantSync());
    await directory.releaseInstance('inst-1');
    expect(await state()).toBe('ended');
    expect(events).toContainEqual({ type: 'tenant.suspended', tenantId: 'acme', reason: 'released' });
    expect(await directory.getTenant('acme')).toMatchObject({ name: 'Acme Trading Co.' });
  });

  it('with two instances, freezing one keeps the tenant signed in and suspends nobody', async () => {
    await purchase('inst-1');
    await purchase('inst-2');
    await directory.applyTenantSync(tenantSync());
    await directory.applyTenantSync(tenantSync({ instanceId: 'inst-2', orderId: 'ORDER-inst-2' }));
    await directory.setInstanceFrozen('inst-1', true);
    expect(await state()).toBe('active');
    expect(events.some((e) => e.type === 'tenant.suspended')).toBe(false);
  });

  it('a tenant whose instance has not arrived yet is kept whole but may not sign in until it does', async () => {
    await directory.applyTenantSync(tenantSync({ instanceId: 'late-inst' }));
    expect(await directory.getTenant('acme')).not.toBeNull();
    expect(await state()).toBe('pending');
    await purchase('late-inst');
    expect(await state()).toBe('active');
  });

  it('a production tenant bound to no instance may not sign in; a test tenant (the seller debugging) may', async () => {
    await directory.applyTenantSync(tenantSync({ instanceId: '' }));
    expect(await state()).toBe('none');
    await directory.applyTenantSync(tenantSync({ tenantId: 'sandbox', instanceId: '', testFlag: 1 }));
    expect(await state('sandbox')).toBe('active');
  });

  it('a test instance does not make a production tenant usable', async () => {
    await purchase('inst-test', { test: true });
    await directory.applyTenantSync(tenantSync({ instanceId: 'inst-test' }));
    expect(await state()).toBe('none');
  });
});

describe('several instances of one tenant', () => {
  beforeEach(async () => {
    await purchase('inst-1');
    await purchase('inst-2');
    await directory.applyTenantSync(tenantSync());
    await directory.applyTenantSync(tenantSync({ instanceId: 'inst-2', orderId: 'ORDER-inst-2' }));
  });

  it('a tenantSync delete naming one instance removes only that binding', async () => {
    expect((await directory.applyTenantSync(tenantSync({ flag: 0, instanceId: 'inst-1' }))).change).toBe('unbound');
    expect(await directory.getTenant('acme')).toMatchObject({ instanceId: 'inst-2' });
    expect((await directory.subscriptionOf('acme'))?.instances.map((i) => i.instanceId)).toEqual(['inst-2']);
    expect(events.some((e) => e.type === 'tenant.removed')).toBe(false);
  });

  it('a tenantSync delete naming the last binding removes the tenant', async () => {
    await directory.applyTenantSync(tenantSync({ flag: 0, instanceId: 'inst-1' }));
    expect((await directory.applyTenantSync(tenantSync({ flag: 0, instanceId: 'inst-2' }))).change).toBe('deleted');
    expect(await directory.getTenant('acme')).toBeNull();
  });

  it('an authSync delete naming one instance keeps a user the other instance still grants', async () => {
    await directory.applyAuthSync(authSync(1, 'inst-1', '20261201160000000'));
    await directory.applyAuthSync(authSync(1, 'inst-2', '20261201160000001'));
    await directory.applyAuthSync(authSync(0, 'inst-1', '20261201160000002'));
    expect(await directory.getUser('acme', 'zhang.san')).toMatchObject({ status: 'active', enable: true, instanceIds: ['inst-2'] });
    expect(events.some((e) => e.type === 'user.deprovisioned')).toBe(false);
    await directory.applyAuthSync(authSync(0, 'inst-2', '20261201160000003'));
    expect(await directory.getUser('acme', 'zhang.san')).toBeNull();
    expect(events).toContainEqual({ type: 'user.deprovisioned', tenantId: 'acme', userName: 'zhang.san', reason: 'deleted' });
  });

  it('a cancellation naming one instance keeps the grant of the other', async () => {
    await directory.applyAuthSync(authSync(1, 'inst-1', '20261201160000000'));
    await directory.applyAuthSync(authSync(1, 'inst-2', '20261201160000001'));
    await directory.applyAuthSync({ ...authSync(3, 'inst-2', '20261201160000002'), userList: [{ userName: 'zhang.san', name: null, orgCode: null, role: null, enable: null }] });
    expect(await directory.getUser('acme', 'zhang.san')).toMatchObject({ status: 'active', instanceIds: ['inst-1'] });
  });
});
