/**
 * Upstream token renewal under the store lock (spec §7 "Token renewal"), on the memory store with
 * a fake clock and a fake IdP: one refresh however many requests race, a refused refresh ends the
 * session, an unreachable IdP does not.
 */
import { describe, expect, it } from 'vitest';
import { KbError } from '../../../src/shared/errors.js';
import type { Connector, Connectors } from '../../../src/connectors/connector.js';
import { createUpstreamRenewal } from '../../../src/login/upstream.js';
import { createUpstreamRefresh, type RefreshDeps } from '../../../src/sessions/upstream-refresh.js';
import type { SessionRecord } from '../../../src/sessions/types.js';
import { APP_ID, appSync, authSync, bareUser, directoryFixture, syncUser, tenantSync } from '../../support/directory.js';
import { ABSOLUTE_MS, identity, sessionsFixture, upstream } from '../../support/sessions.js';

const MINUTE = 60_000;
const ACCESS_TOKEN_MS = 7200_000;

interface IdpCall {
  creds: { domainName: string; clientId: string; clientSecret: string };
  refreshToken: string;
}

/** A fake tenant IdP behind the OAuth2 connector: answers renewed tokens, or what `answer` says; records every call. */
function fakeIdp(now: () => number) {
  const calls: IdpCall[] = [];
  let answer: () => Promise<{ accessToken: string; refreshToken: string | null; expiresAt: number }> = async () => ({
    accessToken: `renewed-access-token-${calls.length}`,
    refreshToken: `renewed-refresh-token-${calls.length}`,
    expiresAt: now() + ACCESS_TOKEN_MS,
  });
  const oauth2 = {
    protocol: 'oauth2',
    refresh(target, refreshToken) {
      calls.push({ creds: { domainName: target.domainName, clientId: target.credentials!.clientId, clientSecret: target.credentials!.clientSecret }, refreshToken });
      return answer();
    },
  } as Pick<Connector, 'protocol' | 'refresh'> as Connector;
  const connectors = { oauth2, cas: { protocol: 'cas' } as Connector } as Connectors;
  return { connectors, calls, answerWith: (next: typeof answer) => void (answer = next) };
}

/** A tenant with credentials and an authorized user, a signed-in OAuth2 session, and the refresher. */
async function setup() {
  // Idle as long as absolute: these sessions stand for ones in use (idle timeouts: session-store.test).
  const s = sessionsFixture({ idleTimeoutMs: ABSOLUTE_MS });
  const d = directoryFixture({ store: s.store, clock: s.clock });
  await d.directory.applyTenantSync(tenantSync());
  await d.directory.applyApplicationSync(appSync());
  await d.directory.applyAuthSync(authSync([syncUser('zhang.san')]));
  const logs: Array<{ level: string; obj: unknown; msg: string }> = [];
  const logger = {
    info: (obj: unknown, msg: string) => void logs.push({ level: 'info', obj, msg }),
    warn: (obj: unknown, msg: string) => void logs.push({ level: 'warn', obj, msg }),
  } as unknown as RefreshDeps['logger'];
  const fake = fakeIdp(s.clock.now);
  // What to renew with is the login room's knowledge (directory grant, tenant credentials, connector).
  const renew = createUpstreamRenewal({ directory: d.directory, connectors: fake.connectors });
  const refresh = createUpstreamRefresh({ store: s.store, keys: s.keys, clock: s.clock, sessions: s.sessions, renew, idpTimeoutMs: 2_000, logger });
  const { sid, record } = await s.sessions.create(identity(), 'oauth2', upstream(s.clock.now()));
  return { ...s, ...d, ...fake, refresh, sid, record, logs };
}

/** Moves time to one minute before the upstream access token expires: inside the refresh window. */
const nearExpiry = (t: { clock: { advance(ms: number): void } }) => t.clock.advance(ACCESS_TOKEN_MS - MINUTE);

describe('upstream refresh', () => {
  it('leaves a token that is not due alone (more than five minutes left): no IdP call', async () => {
    const t = await setup();
    t.clock.advance(ACCESS_TOKEN_MS - 5 * MINUTE - 1);
    expect(await t.refresh.ensureFresh(t.record)).toBe(t.record);
    expect(t.calls).toEqual([]);
  });

  it('renews a due token with the tenant credentials and the stored refresh token, and stores the new tokens', async () => {
    const t = await setup();
    nearExpiry(t);
    const fresh = await t.refresh.ensureFresh(t.record);
    expect(t.calls).toEqual([{ creds: { domainName: 'https://acme.idp.example.com', clientId: 'acme-client-id', clientSecret: 'acme-client-secret' }, refreshToken: 'upstream-refresh-token-1' }]);
    expect(fresh).not.toBeNull();
    const renewed = { accessToken: 'renewed-access-token-1', refreshToken: 'renewed-refresh-token-1', expiresAt: t.clock.now() + ACCESS_TOKEN_MS };
    expect(t.sessions.openUpstream(fresh!)).toEqual(renewed);
    const stored = await t.sessions.readStored(t.record.sidHash);
    expect(stored?.upstreamExpiresAt).toBe(renewed.expiresAt);
    expect(t.sessions.openUpstream(stored!)).toEqual(renewed);
  });

  it('keeps the old refresh token when the IdP sends no new one', async () => {
    const t = await setup();
    t.answerWith(async () => ({ accessToken: 'new-access', refreshToken: null, expiresAt: t.clock.now() + ACCESS_TOKEN_MS }));
    nearExpiry(t);
    const fresh = await t.refresh.ensureFresh(t.record);
    expect(t.sessions.openUpstream(fresh!)).toMatchObject({ accessToken: 'new-access', refreshToken: 'upstream-refresh-token-1' });
  });

  it('refreshes once however many requests of the session race for it; the others go on with the token they have', async () => {
    const t = await setup();
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    t.answerWith(async () => {
      await held;
      return { accessToken: 'renewed', refreshToken: 'rt-2', expiresAt: t.clock.now() + ACCESS_TOKEN_MS };
    });
    nearExpiry(t);
    const racing = Array.from({ length: 5 }, () => t.refresh.ensureFresh({ ...t.record }));
    // The four that did not get the lock answer at once, while the IdP call is still pending.
    const early = await Promise.race([Promise.all(racing.slice(1)), new Promise((r) => setTimeout(() => r('blocked'), 1_000))]);
    release();
    const results = await Promise.all(racing);
    expect(t.calls).toHaveLength(1);
    expect(early).not.toBe('blocked');
    expect(results.every((r) => r !== null)).toBe(true);
    expect(t.sessions.openUpstream((await t.sessions.readStored(t.record.sidHash))!)?.accessToken).toBe('renewed');
  });

  it('releases the lock afterwards: the next due refresh takes it again', async () => {
    const t = await setup();
    nearExpiry(t);
    const first = await t.refresh.ensureFresh(t.record);
    expect(await t.store.get(t.keys.refreshLock(t.record.sidHash))).toBeNull();
    nearExpiry(t);
    await t.refresh.ensureFresh(first!);
    expect(t.calls).toHaveLength(2);
  });

  it('does not refresh while another instance holds the lock', async () => {
    const t = await setup();
    nearExpiry(t);
    await t.store.setIfAbsent(t.keys.refreshLock(t.record.sidHash), 'another-instance', 10_000);
    expect(await t.refresh.ensureFresh(t.record)).toBe(t.record);
    expect(t.calls).toEqual([]);
    expect(await t.store.get(t.keys.refreshLock(t.record.sidHash))).toBe('another-instance');
  });

  it('takes the record another instance renewed just before, without calling the IdP again', async () => {
    const t = await setup();
    const other = t.instance();
    nearExpiry(t);
    const renewed = upstream(t.clock.now(), { accessToken: 'renewed-elsewhere', expiresAt: t.clock.now() + ACCESS_TOKEN_MS });
    const stale = { ...t.record };
    await other.sessions.saveUpstream({ ...t.record }, renewed);
    const fresh = await t.refresh.ensureFresh(stale);
    expect(t.calls).toEqual([]);
    expect(t.sessions.openUpstream(fresh!)?.accessToken).toBe('renewed-elsewhere');
  });

  it.each([
    ['invalid_grant', new KbError('idp_invalid_grant', 'refresh token revoked')],
    ['invalid_client', new KbError('idp_invalid_client', 'client credentials refused')],
  ])('a refresh refused with %s ends the session', async (_, refusal) => {
    const t = await setup();
    t.answerWith(async () => {
      throw refusal;
    });
    nearExpiry(t);
    expect(await t.refresh.ensureFresh(t.record)).toBeNull();
    expect(await t.sessions.get(t.sid)).toBeNull();
    expect(t.logs).toContainEqual({ level: 'info', obj: { tenantId: 'acme', reason: refusal.code }, msg: 'session ended at upstream refresh' });
  });

  it('an IdP that cannot be reached keeps the session, and the next use tries again', async () => {
    const t = await setup();
    t.answerWith(async () => {
      throw new KbError('idp_unavailable', 'no answer within 2000 ms');
    });
    nearExpiry(t);
    expect(await t.refresh.ensureFresh(t.record)).toBe(t.record);
    expect(await t.sessions.get(t.sid)).not.toBeNull();
    expect(t.logs).toContainEqual({ level: 'warn', obj: { tenantId: 'acme', err: 'no answer within 2000 ms' }, msg: 'upstream refresh failed; will retry on next use' });
    await t.refresh.ensureFresh(t.record);
    expect(t.calls).toHaveLength(2);
  });

  it.each([
    ['deleted', authSync([bareUser('zhang.san')], { flag: 0, currentSyncTime: '20261121110000000' })],
    ['disabled', authSync([syncUser('zhang.san', { enable: false })], { flag: 2, currentSyncTime: '20261121110000000' })],
    ['cancelled', authSync([bareUser('zhang.san')], { flag: 3, currentSyncTime: '20261121110000000' })],
  ])('a user %s in the directory (an event missed) has the session ended instead of renewed', async (_, sync) => {
    const t = await setup();
    await t.directory.applyAuthSync(sync);
    nearExpiry(t);
    expect(await t.refresh.ensureFresh(t.record)).toBeNull();
    expect(await t.sessions.readStored(t.record.sidHash)).toBeNull();
    expect(t.calls).toEqual([]);
  });

  it('a tenant whose credentials are gone has the session ended instead of renewed', async () => {
    const t = await setup();
    await t.directory.applyApplicationSync(appSync({ flag: 0, clientId: null, clientSecret: null }));
    nearExpiry(t);
    expect(await t.refresh.ensureFresh(t.record)).toBeNull();
    expect(await t.sessions.readStored(t.record.sidHash)).toBeNull();
    expect(t.calls).toEqual([]);
  });

  it('a session that ended meanwhile is not renewed', async () => {
    const t = await setup();
    await t.sessions.destroy(t.record);
    nearExpiry(t);
    expect(await t.refresh.ensureFresh(t.record)).toBeNull();
    expect(t.calls).toEqual([]);
  });

  it('a CAS session, and one without a refresh token, are never refreshed', async () => {
    const t = await setup();
    const cas = (await t.sessions.create(identity(), 'cas', null)).record;
    const noRefresh = (await t.sessions.create(identity(), 'oauth2', upstream(t.clock.now(), { refreshToken: null }))).record;
    nearExpiry(t);
    expect(await t.refresh.ensureFresh(cas)).toBe(cas);
    const kept: SessionRecord | null = await t.refresh.ensureFresh(noRefresh);
    expect(kept?.sidHash).toBe(noRefresh.sidHash);
    expect(t.calls).toEqual([]);
  });
});
