/**
 * Live sessions follow the directory: the directory's change events, wired to the session store
 * through the login room's reading of the directory (as app.ts wires them).
 */
import { describe, expect, it } from 'vitest';
import { createIdentitySource } from '../../../src/login/session-identity.js';
import { refreshOnDirectoryChange } from '../../../src/sessions/identity-refresh.js';
import { revokeOnDeprovisioning } from '../../../src/sessions/revocation.js';
import type { UserFields } from '../../../src/sessions/identity-fields.js';
import { authSync, directoryFixture, syncUser, tenantSync } from '../../support/directory.js';
import { identity, IDLE_MS, sessionsFixture, upstream } from '../../support/sessions.js';

const IDP: UserFields = { name: 'Li Si at the IdP', role: 'user', orgCode: 'idp-dept', email: 'li.si@idp.example.com', mobile: '+86-100-0000-0002' };
const GRANT = { name: 'Li Si', role: 'admin' as const, orgCode: 'sales', email: 'li.si@acme.example.com', mobile: '+86-100-0000-0003' };

async function setup() {
  const s = sessionsFixture();
  const d = directoryFixture({ store: s.store, clock: s.clock });
  await d.directory.applyTenantSync(tenantSync());
  await d.directory.applyAuthSync(authSync([syncUser('li.si', GRANT), syncUser('zhang.san')]));
  const logged: unknown[] = [];
  const logger = { info: (obj: unknown) => void logged.push(obj) } as never;
  revokeOnDeprovisioning(d.deps.events, s.sessions, logger);
  refreshOnDirectoryChange(d.deps.events, s.sessions, createIdentitySource(d.directory), logger);
  // What a login makes: the directory's values, the IdP's kept aside.
  const login = (userName = 'li.si') => s.sessions.create(identity(userName, 'acme', GRANT), 'oauth2', upstream(s.clock.now()), IDP);
  // Later syncs carry later versions.
  let version = 20261121110000000;
  const sync = (user: ReturnType<typeof syncUser>) => d.directory.applyAuthSync(authSync([user], { flag: 2, currentSyncTime: String(version++) }));
  return { ...s, ...d, login, sync, logged };
}

describe('live sessions follow the directory', () => {
  it('a demotion rewrites every session of the user at once, and another instance’s cached copy is dropped', async () => {
    const t = await setup();
    const a = await t.login();
    const b = await t.login();
    const other = t.instance();
    expect((await other.sessions.get(a.sid))?.role).toBe('admin'); // now cached there
    await t.sync(syncUser('li.si', { ...GRANT, role: 'user', name: 'Li Si (demoted)', orgCode: 'ops' }));
    for (const sessions of [t.sessions, other.sessions]) {
      for (const { sid } of [a, b]) expect(await sessions.get(sid)).toMatchObject({ role: 'user', name: 'Li Si (demoted)', orgCode: 'ops', email: GRANT.email });
    }
    expect(t.logged).toContainEqual({ event: 'user.updated', tenantId: 'acme', rewritten: 2, ended: 0 });
  });

  it('a field the directory no longer holds falls back to what the IdP said at login, as a new login would', async () => {
    const t = await setup();
    const { sid } = await t.login();
    const { email: _e, mobile: _m, ...withoutPrivacy } = GRANT;
    await t.sync(syncUser('li.si', { ...withoutPrivacy, role: null }));
    expect(await t.sessions.get(sid)).toMatchObject({ role: IDP.role, email: IDP.email, mobile: IDP.mobile, name: GRANT.name });
  });

  it('other users’ sessions are left alone', async () => {
    const t = await setup();
    const zhang = await t.login('zhang.san');
    const before = await t.store.get(t.keys.session(zhang.record.sidHash));
    await t.sync(syncUser('li.si', { ...GRANT, role: 'user' }));
    expect(await t.store.get(t.keys.session(zhang.record.sidHash))).toBe(before);
  });

  it('a rewrite keeps the idle deadline (a change is no use of the session) and never revives an ended session', async () => {
    const t = await setup();
    const kept = await t.login();
    const ended = await t.login();
    t.clock.advance(10 * 60_000);
    await t.sessions.destroy(ended.record);
    await t.sync(syncUser('li.si', { ...GRANT, role: 'user' }));
    expect(await t.store.pttl(t.keys.session(kept.record.sidHash))).toBe(IDLE_MS - 10 * 60_000);
    expect(await t.store.get(t.keys.session(ended.record.sidHash))).toBeNull();
    expect(await t.sessions.get(ended.sid)).toBeNull();
  });

  it('a user.updated for a user the directory no longer authorizes ends the sessions', async () => {
    const t = await setup();
    // A session of a user the directory does not hold (a delete whose event was lost).
    const { sid } = await t.sessions.create(identity('ghost'), 'oauth2', null);
    await t.deps.events.emit([{ type: 'user.updated', tenantId: 'acme', userName: 'ghost' }]);
    expect(await t.sessions.get(sid)).toBeNull();
  });

  it('an upstream renewal that was under way keeps the rewrite made during the IdP call', async () => {
    const t = await setup();
    const { record } = await t.login();
    const readBeforeIdpCall = (await t.sessions.readStored(record.sidHash))!;
    await t.sync(syncUser('li.si', { ...GRANT, role: 'user' }));
    expect(await t.sessions.saveUpstream(readBeforeIdpCall, upstream(t.clock.now(), { accessToken: 'renewed' }))).toBe(true);
    const stored = (await t.sessions.readStored(record.sidHash))!;
    expect(stored.role).toBe('user');
    expect(t.sessions.openUpstream(stored)?.accessToken).toBe('renewed');
  });

  it('a tenant renamed by tenantSync is renamed in its live sessions', async () => {
    const t = await setup();
    const { sid } = await t.login();
    await t.directory.applyTenantSync(tenantSync({ flag: 2, tenantCode: 'acme-2', name: 'Acme Holding' }));
    expect(await t.sessions.get(sid)).toMatchObject({ tenantCode: 'acme-2', tenantName: 'Acme Holding', role: 'admin' });
  });
});
