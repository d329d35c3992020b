/** Deprovisioning ends sessions at once: the directory's events, wired to the session store. */
import { describe, expect, it } from 'vitest';
import type { DirectoryEvent } from '../../../src/shared/directory-events.js';
import { revokeOnDeprovisioning } from '../../../src/sessions/revocation.js';
import { APP_ID, appSync, authSync, bareUser, directoryFixture, syncUser, tenantSync } from '../../support/directory.js';
import { identity, sessionsFixture } from '../../support/sessions.js';

/** Sessions of li.si and zhang.san in acme and of li.si in globex, with the events wired up. */
async function setup() {
  const s = sessionsFixture();
  const d = directoryFixture({ store: s.store, clock: s.clock });
  const logged: unknown[] = [];
  const off = revokeOnDeprovisioning(d.deps.events, s.sessions, { info: (obj: unknown) => void logged.push(obj) } as never);
  const sid = {
    liSi: (await s.sessions.create(identity('li.si'), 'oauth2', null)).sid,
    zhangSan: (await s.sessions.create(identity('zhang.san'), 'oauth2', null)).sid,
    globexLiSi: (await s.sessions.create(identity('li.si', 'globex'), 'oauth2', null)).sid,
  };
  const alive = async () => ({
    liSi: (await s.sessions.get(sid.liSi)) !== null,
    zhangSan: (await s.sessions.get(sid.zhangSan)) !== null,
    globexLiSi: (await s.sessions.get(sid.globexLiSi)) !== null,
  });
  return { ...s, ...d, off, alive, logged };
}

describe('sessions revoked on deprovisioning', () => {
  it.each([
    ['deleted', authSync([bareUser('li.si')], { flag: 0 })],
    ['cancelled', authSync([bareUser('li.si')], { flag: 3 })],
    ['disabled', authSync([syncUser('li.si', { enable: false })], { flag: 2 })],
  ])('a user %s by authSync loses their sessions in that tenant, and nobody else does', async (_, sync) => {
    const t = await setup();
    await t.directory.applyAuthSync(sync);
    expect(await t.alive()).toEqual({ liSi: false, zhangSan: true, globexLiSi: true });
    expect(t.logged).toEqual([{ event: 'user.deprovisioned', tenantId: 'acme', ended: 1 }]);
  });

  it('a user updated (still authorized) keeps the session', async () => {
    const t = await setup();
    await t.directory.applyAuthSync(authSync([syncUser('li.si', { name: 'Li Si (Sales)' })], { flag: 2 }));
    expect(await t.alive()).toEqual({ liSi: true, zhangSan: true, globexLiSi: true });
    expect(t.logged).toEqual([]);
  });

  it('a tenant deleted loses every session of the tenant', async () => {
    const t = await setup();
    await t.directory.applyTenantSync(tenantSync());
    await t.directory.applyTenantSync(tenantSync({ flag: 0 }));
    expect(await t.alive()).toEqual({ liSi: false, zhangSan: false, globexLiSi: true });
  });

  it('a tenant whose app credentials are deleted loses every session of the tenant; a change of credentials does not', async () => {
    const t = await setup();
    await t.directory.applyApplicationSync(appSync());
    await t.directory.applyApplicationSync(appSync({ flag: 2, clientSecret: 'rotated' }));
    expect(await t.alive()).toEqual({ liSi: true, zhangSan: true, globexLiSi: true });
    await t.directory.applyApplicationSync(appSync({ appId: APP_ID, flag: 0, clientId: null, clientSecret: null }));
    expect(await t.alive()).toEqual({ liSi: false, zhangSan: false, globexLiSi: true });
  });

  it('a purge of test data ends the sessions of the purged users and tenants', async () => {
    const t = await setup();
    await t.directory.applyAuthSync(authSync([syncUser('li.si')], { testFlag: 1 }));
    await t.directory.applyTenantSync(tenantSync({ tenantId: 'globex', testFlag: 1 }));
    await t.directory.purgeTestData();
    expect(await t.alive()).toEqual({ liSi: false, zhangSan: true, globexLiSi: false });
  });

  it('once unsubscribed, events end nothing', async () => {
    const t = await setup();
    t.off();
    await t.deps.events.emit([{ type: 'tenant.removed', tenantId: 'acme', reason: 'deleted' } satisfies DirectoryEvent]);
    expect(await t.alive()).toEqual({ liSi: true, zhangSan: true, globexLiSi: true });
  });
});
