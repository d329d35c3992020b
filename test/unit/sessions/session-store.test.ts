/**
 * The session store's rules, on the memory store with a fake clock: only the id's hash is stored,
 * idle and absolute timeouts are enforced server-side, upstream tokens are sealed, revocation ends
 * every session it names and reaches every instance's cache at once.
 */
import { describe, expect, it } from 'vitest';
import { SESSION_CACHE_TTL_MS } from '../../../src/sessions/session-cache.js';
import { hashSid } from '../../../src/sessions/session-store.js';
import { ABSOLUTE_MS, IDLE_MS, identity, sessionsFixture, upstream } from '../../support/sessions.js';

const MINUTE = 60_000;

describe('session store: create, get, destroy', () => {
  it('create gives a 256-bit random id and a record of the identity, method and deadlines', async () => {
    const { sessions, clock } = sessionsFixture();
    const { sid, record } = await sessions.create(identity(), 'oauth2', null);
    expect(sid).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(record).toEqual({
      v: 1,
      ...identity(),
      sidHash: hashSid(sid),
      method: 'oauth2',
      createdAt: clock.now(),
      absoluteExpiresAt: clock.now() + ABSOLUTE_MS,
      upstream: null,
      upstreamExpiresAt: null,
    });
    expect(await sessions.get(sid)).toEqual(record);
  });

  it('two logins get two different ids', async () => {
    const { sessions } = sessionsFixture();
    const a = await sessions.create(identity(), 'oauth2', null);
    const b = await sessions.create(identity(), 'oauth2', null);
    expect(a.sid).not.toBe(b.sid);
  });

  it('the store holds the hash of the id, never the id itself, and the upstream tokens only sealed', async () => {
    const { sessions, store, keys, clock } = sessionsFixture();
    const { sid } = await sessions.create(identity(), 'oauth2', upstream(clock.now()));
    const raw = await store.get(keys.session(hashSid(sid)));
    expect(raw).not.toBeNull();
    expect(await store.get(keys.session(sid))).toBeNull();
    expect(raw).not.toContain(sid);
    expect(raw).not.toContain('upstream-access-token-1');
    expect(raw).not.toContain('upstream-refresh-token-1');
  });

  it('getByHash reads a session by its id hash (a CAS ticket names its session so) under the same timeouts as get', async () => {
    const { sessions, clock } = sessionsFixture();
    const { record } = await sessions.create(identity(), 'oauth2', null);
    expect(await sessions.getByHash(record.sidHash)).toEqual(record);
    expect(await sessions.getByHash(hashSid('A'.repeat(43)))).toBeNull();
    clock.advance(ABSOLUTE_MS);
    expect(await sessions.getByHash(record.sidHash)).toBeNull();
    expect(await sessions.readStored(record.sidHash)).toBeNull();
  });

  it('answers null for no cookie, a malformed one and an unknown one', async () => {
    const { sessions } = sessionsFixture();
    expect(await sessions.get(undefined)).toBeNull();
    expect(await sessions.get('not-a-session-id')).toBeNull();
    expect(await sessions.get('A'.repeat(43))).toBeNull();
  });

  it('destroy ends the session and takes it out of the user and tenant indexes', async () => {
    const { sessions, store, keys } = sessionsFixture();
    const { sid, record } = await sessions.create(identity(), 'oauth2', null);
    await sessions.destroy(record);
    expect(await sessions.get(sid)).toBeNull();
    expect(await store.smembers(keys.userSessions('acme', 'zhang.san'))).toEqual([]);
    expect(await store.smembers(keys.tenantSessions('acme'))).toEqual([]);
  });
});

describe('session store: timeouts', () => {
  it('a session unused for the idle timeout ends', async () => {
    const { sessions, clock } = sessionsFixture();
    const { sid } = await sessions.create(identity(), 'oauth2', null);
    clock.advance(IDLE_MS);
    // Still there at the deadline itself (as a Redis TTL), read without being used.
    expect(await sessions.readStored(hashSid(sid))).not.toBeNull();
    clock.advance(1);
    expect(await sessions.get(sid)).toBeNull();
  });

  it('a session in use stays past the idle timeout: each use pushes the idle deadline forward', async () => {
    const { sessions, clock } = sessionsFixture();
    const { sid } = await sessions.create(identity(), 'oauth2', null);
    for (let used = 0; used < 4; used++) {
      clock.advance(IDLE_MS - MINUTE);
      expect(await sessions.get(sid)).not.toBeNull();
    }
    clock.advance(IDLE_MS + 1);
    expect(await sessions.get(sid)).toBeNull();
  });

  it('a session ends at the absolute timeout however active it is, and its record is removed', async () => {
    const { sessions, store, keys, clock } = sessionsFixture();
    const { sid } = await sessions.create(identity(), 'oauth2', null);
    let elapsed = 0;
    while (elapsed + 10 * MINUTE < ABSOLUTE_MS) {
      clock.advance(10 * MINUTE);
      elapsed += 10 * MINUTE;
      expect(await sessions.get(sid)).not.toBeNull();
    }
    clock.advance(ABSOLUTE_MS - elapsed);
    expect(await sessions.get(sid)).toBeNull();
    expect(await store.get(keys.session(hashSid(sid)))).toBeNull();
  });

  it('the idle deadline never runs past the absolute one', async () => {
    const { sessions, store, keys, clock } = sessionsFixture({ idleTimeoutMs: 60 * MINUTE, absoluteTimeoutMs: 90 * MINUTE });
    const { sid } = await sessions.create(identity(), 'oauth2', null);
    clock.advance(50 * MINUTE);
    expect(await sessions.get(sid)).not.toBeNull();
    // Used 40 minutes before the absolute deadline: the key lives 40 minutes, not the idle 60.
    expect(await store.pttl(keys.session(hashSid(sid)))).toBe(40 * MINUTE);
  });

  it('without an upstream refresh token the session may not outlive the upstream access token', async () => {
    const { sessions, clock } = sessionsFixture();
    const tokens = upstream(clock.now(), { refreshToken: null, expiresAt: clock.now() + 15 * MINUTE });
    const { sid, record } = await sessions.create(identity(), 'oauth2', tokens);
    expect(record.absoluteExpiresAt).toBe(tokens.expiresAt);
    clock.advance(15 * MINUTE);
    expect(await sessions.get(sid)).toBeNull();
  });
});

describe('session store: upstream tokens', () => {
  it('openUpstream gives back the tokens a login stored; a CAS session has none', async () => {
    const { sessions, clock } = sessionsFixture();
    const tokens = upstream(clock.now());
    const oauth = await sessions.create(identity(), 'oauth2', tokens);
    expect(oauth.record.upstreamExpiresAt).toBe(tokens.expiresAt);
    expect(sessions.openUpstream(oauth.record)).toEqual(tokens);
    const cas = await sessions.create(identity(), 'cas', null);
    expect(sessions.openUpstream(cas.record)).toBeNull();
  });

  it('saveUpstream stores renewed tokens and keeps the session going', async () => {
    const { sessions, clock } = sessionsFixture();
    const { sid, record } = await sessions.create(identity(), 'oauth2', upstream(clock.now()));
    const renewed = upstream(clock.now(), { accessToken: 'upstream-access-token-2', expiresAt: clock.now() + 2 * 7200_000 });
    expect(await sessions.saveUpstream(record, renewed)).toBe(true);
    const stored = await sessions.get(sid);
    expect(stored).toMatchObject({ upstreamExpiresAt: renewed.expiresAt, absoluteExpiresAt: record.absoluteExpiresAt });
    expect(sessions.openUpstream(stored!)).toEqual(renewed);
  });

  it('saveUpstream does not bring back a session that ended meanwhile', async () => {
    const { sessions, clock } = sessionsFixture();
    const { sid, record } = await sessions.create(identity(), 'oauth2', upstream(clock.now()));
    await sessions.destroy(record);
    expect(await sessions.saveUpstream(record, upstream(clock.now(), { accessToken: 'late' }))).toBe(false);
    expect(await sessions.get(sid)).toBeNull();
    expect(await sessions.readStored(record.sidHash)).toBeNull();
  });
});

describe('session store: revocation', () => {
  it('revokeUser ends every session of the user and answers how many, leaving other users and tenants alone', async () => {
    const { sessions } = sessionsFixture();
    const mine = [await sessions.create(identity('li.si'), 'oauth2', null), await sessions.create(identity('li.si'), 'cas', null)];
    const colleague = await sessions.create(identity('zhang.san'), 'oauth2', null);
    const namesake = await sessions.create(identity('li.si', 'globex'), 'oauth2', null);
    expect(await sessions.revokeUser('acme', 'li.si')).toBe(2);
    for (const { sid } of mine) expect(await sessions.get(sid)).toBeNull();
    expect(await sessions.get(colleague.sid)).not.toBeNull();
    expect(await sessions.get(namesake.sid)).not.toBeNull();
    expect(await sessions.revokeUser('acme', 'li.si')).toBe(0);
  });

  it('revokeTenant ends every session of the tenant, and no other tenant’s', async () => {
    const { sessions } = sessionsFixture();
    const acme = [await sessions.create(identity('li.si'), 'oauth2', null), await sessions.create(identity('zhang.san'), 'oauth2', null)];
    const globex = await sessions.create(identity('zhao.liu', 'globex'), 'oauth2', null);
    expect(await sessions.revokeTenant('acme')).toBe(2);
    for (const { sid } of acme) expect(await sessions.get(sid)).toBeNull();
    expect(await sessions.get(globex.sid)).not.toBeNull();
  });

  it('counts only sessions that were still alive', async () => {
    const { sessions, clock } = sessionsFixture();
    await sessions.create(identity('li.si'), 'oauth2', null);
    clock.advance(IDLE_MS + 1); // expired by the idle timeout, still in the index
    await sessions.create(identity('li.si'), 'oauth2', null);
    expect(await sessions.revokeUser('acme', 'li.si')).toBe(1);
  });
});

describe('session cache', () => {
  it('serves a read session from memory for a short while (a change behind its back shows only after that)', async () => {
    const { sessions, store, keys, clock } = sessionsFixture();
    const { sid, record } = await sessions.create(identity(), 'oauth2', null);
    expect(await sessions.get(sid)).not.toBeNull();
    // Deleted in the store without telling anyone: the cache still answers until its entry expires.
    await store.exec([{ op: 'del', key: keys.session(record.sidHash) }]);
    expect(await sessions.get(sid)).not.toBeNull();
    clock.advance(SESSION_CACHE_TTL_MS);
    expect(await sessions.get(sid)).toBeNull();
  });

  it('a revocation on one instance drops the session from every instance’s cache at once', async () => {
    const fixture = sessionsFixture();
    const other = fixture.instance();
    const { sid } = await fixture.sessions.create(identity('li.si'), 'oauth2', null);
    expect(await other.sessions.get(sid)).not.toBeNull(); // now cached there
    expect(await fixture.sessions.revokeUser('acme', 'li.si')).toBe(1);
    expect(await other.sessions.get(sid)).toBeNull();
  });

  it('a logout on one instance drops the session from every instance’s cache at once', async () => {
    const fixture = sessionsFixture();
    const other = fixture.instance();
    const { sid, record } = await fixture.sessions.create(identity(), 'oauth2', null);
    expect(await other.sessions.get(sid)).not.toBeNull();
    await fixture.sessions.destroy(record);
    expect(await other.sessions.get(sid)).toBeNull();
  });

  it('renewed upstream tokens saved on one instance are what the others read next', async () => {
    const fixture = sessionsFixture();
    const other = fixture.instance();
    const { sid, record } = await fixture.sessions.create(identity(), 'oauth2', upstream(fixture.clock.now()));
    expect(await other.sessions.get(sid)).not.toBeNull();
    const renewed = upstream(fixture.clock.now(), { accessToken: 'upstream-access-token-2', expiresAt: fixture.clock.now() + 9000_000 });
    await fixture.sessions.saveUpstream(record, renewed);
    expect((await other.sessions.get(sid))?.upstreamExpiresAt).toBe(renewed.expiresAt);
  });
});
