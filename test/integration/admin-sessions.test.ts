/**
 * The admin API's live sessions: per tenant (paged) and per user, each with an opaque handle that
 * revokes exactly that session — never its id or the hash the store keys it by, never its tenant-IdP
 * tokens — and an `admin_action` observation for every revocation.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createObservations, type Observation } from '../../src/shared/observations.js';
import { hashSid } from '../../src/sessions/session-store.js';
import { authBody, startBridge, tenantBody, user, type TestBridge } from '../support/bridge.js';
import { identity, upstream } from '../support/sessions.js';

describe('admin API: sessions', () => {
  let bridge: TestBridge;
  const seen: Observation[] = [];
  beforeAll(async () => {
    const observations = createObservations();
    observations.on((o) => seen.push(o));
    bridge = await startBridge({ backend: 'redis', observations });
    await bridge.sender.send('tenantSync', tenantBody());
    await bridge.sender.send('authSync', authBody([user('zhang.san'), user('li.si')]));
  });
  afterAll(() => bridge?.close());
  beforeEach(async () => {
    seen.length = 0;
    await bridge.sessions.revokeTenant('acme');
    await bridge.sessions.revokeTenant('globex');
  });

  const signIn = async (userName: string, tenantId = 'acme') => (await bridge.sessions.create(identity(userName, tenantId), 'oauth2', upstream(Date.now()))).sid;

  it('lists a tenant’s sessions newest first, with what the record holds that is not secret', async () => {
    const first = await signIn('zhang.san');
    await signIn('li.si');
    await signIn('zhao.liu', 'globex');
    const res = await bridge.admin('/tenants/acme/sessions');
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(2);
    expect(res.body.nextCursor).toBeNull();
    expect(res.body.sessions.map((s: any) => s.userName).sort()).toEqual(['li.si', 'zhang.san']);
    const mine = res.body.sessions.find((s: any) => s.userName === 'zhang.san');
    expect(mine).toEqual({
      handle: expect.stringMatching(/^v1\./),
      tenantId: 'acme',
      userName: 'zhang.san',
      name: 'Name of zhang.san',
      role: 'user',
      orgCode: 'sales',
      email: null,
      mobile: null,
      loginProtocol: 'oauth2',
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      lastSeenAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      idleExpiresAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      absoluteExpiresAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      expiresAt: mine.idleExpiresAt,
      upstreamTokens: true,
      upstreamExpiresAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      subscription: null,
    });
    const text = JSON.stringify(res.body);
    for (const secret of [first, hashSid(first), 'upstream-access-token-1', 'upstream-refresh-token-1']) expect(text).not.toContain(secret);
    // Last seen: the idle deadline read back from the key's TTL, one idle period earlier, never before the login.
    expect(Date.parse(mine.lastSeenAt)).toBeGreaterThanOrEqual(Date.parse(mine.createdAt));
    expect(Date.parse(mine.idleExpiresAt) - Date.parse(mine.lastSeenAt)).toBeLessThanOrEqual(bridge.config.session.idleTimeoutMs);
    expect(Date.parse(mine.idleExpiresAt)).toBeLessThanOrEqual(Date.parse(mine.absoluteExpiresAt));
  });

  it('pages a tenant’s sessions with limit and cursor', async () => {
    for (let i = 0; i < 3; i++) await signIn('zhang.san');
    const one = await bridge.admin('/tenants/acme/sessions?limit=2');
    expect(one.body.sessions).toHaveLength(2);
    expect(one.body.nextCursor).toEqual(expect.any(String));
    const two = await bridge.admin(`/tenants/acme/sessions?limit=2&cursor=${one.body.nextCursor}`);
    expect(two.body.sessions).toHaveLength(1);
    expect(two.body.nextCursor).toBeNull();
    expect((await bridge.admin('/tenants/acme/sessions?cursor=abc')).body.error).toMatchObject({ code: 'invalid_parameter', details: { field: 'cursor' } });
  });

  it('lists one user’s sessions only', async () => {
    await signIn('zhang.san');
    await signIn('zhang.san');
    await signIn('li.si');
    const res = await bridge.admin('/tenants/acme/users/zhang.san/sessions');
    expect(res.status).toBe(200);
    expect(res.body.sessions.map((s: any) => s.userName)).toEqual(['zhang.san', 'zhang.san']);
    expect((await bridge.admin('/tenants/acme/users/nobody/sessions')).body).toEqual({ sessions: [] });
  });

  it('revokes exactly the session a handle names, once, and reports it', async () => {
    const kept = await signIn('zhang.san');
    const ended = await signIn('li.si');
    const { sessions } = (await bridge.admin('/tenants/acme/users/li.si/sessions')).body;
    const res = await bridge.admin(`/tenants/acme/sessions/${sessions[0].handle}`, { method: 'DELETE' });
    expect(res).toEqual({ status: 200, body: { revoked: 1 } });
    expect(await bridge.sessions.get(ended)).toBeNull();
    expect(await bridge.sessions.get(kept)).not.toBeNull();
    expect((await bridge.admin(`/tenants/acme/sessions/${sessions[0].handle}`, { method: 'DELETE' })).body).toEqual({ revoked: 0 });
    expect(seen.filter((o) => o.kind === 'admin_action')).toEqual([
      expect.objectContaining({ kind: 'admin_action', action: 'revoke_session', outcome: 'success', tenantId: 'acme', sourceIp: expect.any(String), requestId: expect.any(String) }),
      expect.objectContaining({ kind: 'admin_action', action: 'revoke_session', outcome: 'success', tenantId: 'acme' }),
    ]);
  });

  it('refuses a handle of another tenant, a forged one, and one without the token; nothing ends', async () => {
    const sid = await signIn('zhao.liu', 'globex');
    const { sessions } = (await bridge.admin('/tenants/globex/sessions')).body;
    const other = await bridge.admin(`/tenants/acme/sessions/${sessions[0].handle}`, { method: 'DELETE' });
    expect(other.status).toBe(400);
    expect(other.body.error).toMatchObject({ code: 'invalid_parameter', details: { field: 'handle' } });
    const forged = await bridge.admin(`/tenants/globex/sessions/v1.${'A'.repeat(40)}`, { method: 'DELETE' });
    expect(forged.body.error).toMatchObject({ code: 'invalid_parameter', details: { field: 'handle' } });
    expect((await bridge.admin(`/tenants/globex/sessions/${hashSid(sid)}`, { method: 'DELETE' })).status).toBe(400);
    expect((await bridge.admin(`/tenants/globex/sessions/${sessions[0].handle}`, { method: 'DELETE', token: null })).status).toBe(401);
    expect(await bridge.sessions.get(sid)).not.toBeNull();
    // Each refused call is reported once: three bad handles (one refused by the edge guard) and the missing token.
    const refused = seen.filter((o) => o.kind === 'admin_action' && o.outcome === 'refused').map((o) => (o.kind === 'admin_action' ? `${o.action}:${o.reason}` : ''));
    expect(refused).toEqual(['revoke_session:invalid_parameter', 'revoke_session:invalid_parameter', 'revoke_session:invalid_parameter', 'authenticate:unauthorized']);
  });

  it('reports revoking all of a user’s sessions', async () => {
    await signIn('zhang.san');
    expect((await bridge.admin('/tenants/acme/users/zhang.san/sessions', { method: 'DELETE' })).body).toEqual({ revoked: 1 });
    expect(seen).toContainEqual(expect.objectContaining({ kind: 'admin_action', action: 'revoke_user_sessions', outcome: 'success', tenantId: 'acme', userName: 'zhang.san' }));
  });
});
