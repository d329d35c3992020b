/**
 * The sync log and the audit trail through a real bridge: real signed KooGallery calls (applied and
 * refused) land in the sync log, admin calls in the audit trail, and the admin API reads both with
 * filters and cursors exactly as the published contract says — never with a secret in them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encryptClientSecret } from '../../tools/simulator/webhook-sender.js';
import { APP_ID, startBridge, tenantBody, testKeyPair, uniqueTenantId, type TestBridge } from '../support/bridge.js';
import { identity } from '../support/sessions.js';
import { steppingClock } from '../support/time.js';
import { createMemoryStore } from '../../src/store/memory.js';
import { createKeys } from '../../src/store/keys.js';

const SECRET = 'acme-client-secret-Zq8!';
const SYNC_FIELDS = ['id', 'at', 'interface', 'resultCode', 'message', 'summary', 'tenantId', 'instanceId', 'requestId', 'durationMs', 'sourceIp'];
const AUDIT_FIELDS = ['id', 'at', 'kind', 'outcome', 'tenantId', 'userName', 'clientId', 'sourceIp', 'requestId', 'reason', 'detail'];

async function syncLog(bridge: TestBridge, query: Record<string, string>) {
  await bridge.audit.flush();
  const res = await bridge.admin(`/sync-log?${new URLSearchParams(query)}`);
  expect(res.status).toBe(200);
  return res.body as { entries: any[]; nextCursor: string | null };
}

async function audit(bridge: TestBridge, query: Record<string, string>) {
  await bridge.audit.flush();
  const res = await bridge.admin(`/audit?${new URLSearchParams(query)}`);
  expect(res.status).toBe(200);
  return res.body as { events: any[]; nextCursor: string | null };
}

describe('sync log and audit trail on Redis', () => {
  let bridge: TestBridge;
  beforeAll(async () => {
    bridge = await startBridge({ backend: 'redis' });
  });
  afterAll(() => bridge?.close());

  it('an applied kit call is logged with its interface, result, tenant, a summary, its duration and request id', async () => {
    const tenantId = uniqueTenantId('sync');
    const answer = await bridge.sender.send('tenantSync', tenantBody({ tenantId }));
    expect(answer.resultCode).toBe('000000');
    const { entries, nextCursor } = await syncLog(bridge, { tenant: tenantId });
    expect(nextCursor).toBeNull();
    expect(entries).toHaveLength(1);
    const [entry] = entries;
    expect(entry).toMatchObject({ interface: 'tenantSync', resultCode: '000000', message: 'success', tenantId, sourceIp: expect.stringContaining('127.0.0.1') });
    expect(entry.summary).toContain('flag=1');
    expect(entry.summary).toContain('change=');
    expect(entry.durationMs).toBeGreaterThanOrEqual(0);
    expect(entry.requestId).toEqual(expect.any(String));
    expect(entry.id).toMatch(/^\d+-\d+$/);
    expect(new Date(entry.at).toISOString()).toBe(entry.at);
    for (const key of Object.keys(entry)) expect(SYNC_FIELDS).toContain(key);
  });

  it('applicationSync is logged without its clientSecret, encrypted or not', async () => {
    const tenantId = uniqueTenantId('sync');
    await bridge.sender.send('tenantSync', tenantBody({ tenantId }));
    const encrypted = encryptClientSecret(SECRET, testKeyPair().publicKeyPem);
    const body = { instanceId: 'inst-acme-001', tenantId, appId: APP_ID, clientId: 'acme-client-id', clientSecret: encrypted, flag: 1, testFlag: 0, timeStamp: '20261121093539534' };
    expect((await bridge.sender.send('applicationSync', body)).resultCode).toBe('000000');
    const { entries } = await syncLog(bridge, { tenant: tenantId, interface: 'applicationSync' });
    expect(entries).toHaveLength(1);
    const text = JSON.stringify(entries);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(encrypted.slice(0, 40));
  });

  it('refused calls are logged too: a bad signature and a body that is not JSON, with the result code answered', async () => {
    const tenantId = uniqueTenantId('refused');
    const badSign = await bridge.sender.send('tenantSync', tenantBody({ tenantId }), { sign: 'A'.repeat(44) });
    const badBody = await bridge.sender.send('authSync', tenantBody({ tenantId }), { rawBody: '{"tenantId": ' });
    expect(badSign.resultCode).not.toBe('000000');
    expect(badBody.resultCode).not.toBe('000000');
    const signLog = await syncLog(bridge, { interface: 'tenantSync', resultCode: badSign.resultCode });
    const refusedSign = signLog.entries.find((e) => e.requestId && e.summary.startsWith('refused: '));
    expect(refusedSign).toMatchObject({ interface: 'tenantSync', resultCode: badSign.resultCode, message: badSign.resultMsg });
    // An unverified body names no tenant: nothing KooGallery did not sign is taken as fact.
    expect(refusedSign.tenantId).toBeUndefined();
    const bodyLog = await syncLog(bridge, { interface: 'authSync', resultCode: badBody.resultCode });
    expect(bodyLog.entries[0]).toMatchObject({ interface: 'authSync', resultCode: badBody.resultCode, message: badBody.resultMsg, summary: expect.stringMatching(/^refused: /) });
  });

  it('a byte-identical resend is logged as such, with the first answer repeated', async () => {
    const tenantId = uniqueTenantId('resend');
    const signed = bridge.sender.sign('tenantSync', tenantBody({ tenantId }));
    expect((await bridge.sender.post(signed)).resultCode).toBe('000000');
    expect((await bridge.sender.post(signed)).resultCode).toBe('000000');
    const { entries } = await syncLog(bridge, { tenant: tenantId });
    expect(entries.map((e) => e.summary)).toEqual(['resend: the first answer repeated', expect.stringContaining('flag=1')]);
    expect(entries[0]).toMatchObject({ interface: 'tenantSync', resultCode: '000000', message: 'success', tenantId });
  });

  it('a basic call is logged under its activity and instance; filters by instance and result code', async () => {
    const answer = await bridge.sender.sendBasic({ activity: 'newInstance', orderId: `CS${Date.now()}`, orderLineId: `${Date.now()}-1`, businessId: 'biz-1', testFlag: 1 });
    expect(answer.resultCode).toBe('000000');
    const instanceId = String(answer.instanceId);
    const { entries } = await syncLog(bridge, { instance: instanceId });
    expect(entries).toEqual([expect.objectContaining({ interface: 'newInstance', resultCode: '000000', instanceId })]);
    expect((await syncLog(bridge, { instance: instanceId, resultCode: '000001' })).entries).toEqual([]);
  });

  it('a refused admin token is audited (source, request id, reason) and the token is nowhere in it', async () => {
    const wrong = 'not-the-admin-token-000000000000';
    const refused = await bridge.admin('/tenants', { token: wrong });
    expect(refused.status).toBe(401);
    const { events } = await audit(bridge, { kind: 'admin_action' });
    const event = events.find((e) => e.outcome === 'refused' && e.detail?.action === 'authenticate');
    expect(event).toMatchObject({ kind: 'admin_action', outcome: 'refused', reason: 'unauthorized', sourceIp: expect.stringContaining('127.0.0.1'), requestId: expect.any(String) });
    for (const key of Object.keys(event)) expect(AUDIT_FIELDS).toContain(key);
    expect(JSON.stringify(events)).not.toContain(wrong);
    const line = bridge.logs.find((l) => l.includes('"audit"') && l.includes('authenticate'));
    expect(line).toBeDefined();
    expect(bridge.logs.join('\n')).not.toContain(wrong);
  });

  it('a refused token is one event, whichever admin route it asked for (the two admin routers share the check)', async () => {
    for (const path of ['/admin/api/tenants', '/admin/api/audit', '/admin/api/sync-log']) {
      const res = await fetch(`${bridge.url}${path}`, { headers: { authorization: 'Bearer wrong-token-wrong-token-wrong' } });
      expect(res.status).toBe(401);
      const requestId = res.headers.get('x-request-id')!;
      const { events } = await audit(bridge, { kind: 'admin_action', limit: '100' });
      expect(events.filter((e) => e.requestId === requestId), path).toHaveLength(1);
    }
  });

  it('an operator ending a user’s sessions is audited twice: the admin action and the session end (cause admin)', async () => {
    const tenantId = uniqueTenantId('admin');
    await bridge.sessions.create(identity('zhang.san', tenantId), 'oauth2', null);
    await bridge.sessions.create(identity('zhang.san', tenantId), 'oauth2', null);
    const res = await bridge.admin(`/tenants/${tenantId}/users/zhang.san/sessions`, { method: 'DELETE' });
    expect(res.body).toEqual({ revoked: 2 });
    const { events } = await audit(bridge, { tenant: tenantId });
    expect(events.map((e) => [e.kind, e.outcome])).toEqual([
      ['admin_action', 'success'],
      ['session_end', 'admin'],
    ]);
    expect(events[0]).toMatchObject({ userName: 'zhang.san', detail: { action: 'revoke_user_sessions' } });
    expect(events[1]).toMatchObject({ userName: 'zhang.san', detail: { count: 2 } });
    // A refused mutating call (an invalid user name) is audited with its error code.
    expect((await bridge.admin(`/tenants/${tenantId}/users/zhang%0Asan/sessions`, { method: 'DELETE' })).status).toBe(400);
    const after = await audit(bridge, { tenant: tenantId, kind: 'admin_action' });
    expect(after.events[0]).toMatchObject({ outcome: 'refused', reason: 'invalid_parameter', detail: { action: 'revoke_user_sessions' } });
    expect(after.events[0].userName).toBeUndefined();
  });

  it('purging test data is audited', async () => {
    expect((await bridge.admin('/test-data', { method: 'DELETE' })).status).toBe(200);
    const { events } = await audit(bridge, { kind: 'admin_action', limit: '20' });
    expect(events.some((e) => e.outcome === 'success' && e.detail?.action === 'purge_test_data')).toBe(true);
  });

  it('pages newest first with an opaque cursor: every event once; filters by user, client and kind', async () => {
    const tenantId = uniqueTenantId('pages');
    for (let i = 0; i < 12; i++) {
      bridge.observations.emit({ kind: 'token', protocol: 'oidc', action: 'issued', clientId: i % 2 ? 'crm' : 'wiki', tenantId, userName: `user${i % 3}`, tokenType: 'access_token', requestId: `req-${i}` });
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    const pages: number[] = [];
    do {
      const page: { events: any[]; nextCursor: string | null } = await audit(bridge, { tenant: tenantId, limit: '5', ...(cursor ? { cursor } : {}) });
      pages.push(page.events.length);
      seen.push(...page.events.map((e) => e.requestId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(pages.slice(0, 3)).toEqual([5, 5, 2]);
    expect(seen).toEqual(Array.from({ length: 12 }, (_, i) => `req-${11 - i}`));
    const crmUser1 = await audit(bridge, { tenant: tenantId, client: 'crm', user: 'user1' });
    expect(crmUser1.events.map((e) => e.requestId)).toEqual(['req-7', 'req-1']);
    expect(crmUser1.events[0]).toMatchObject({ kind: 'token', outcome: 'issued', clientId: 'crm', detail: { protocol: 'oidc', tokenType: 'access_token' } });
    expect((await audit(bridge, { tenant: tenantId, kind: 'login' })).events).toEqual([]);
  });

  it('from and to (ISO 8601 or epoch ms) bound the time window', async () => {
    const tenantId = uniqueTenantId('window');
    bridge.observations.emit({ kind: 'login', method: 'unified', outcome: 'success', tenantId, userName: 'early' });
    await bridge.audit.flush();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const middle = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 5));
    bridge.observations.emit({ kind: 'login', method: 'unified', outcome: 'success', tenantId, userName: 'late' });
    const late = await audit(bridge, { tenant: tenantId, from: new Date(middle).toISOString() });
    expect(late.events.map((e) => e.userName)).toEqual(['late']);
    const early = await audit(bridge, { tenant: tenantId, to: String(middle) });
    expect(early.events.map((e) => e.userName)).toEqual(['early']);
  });

  it('refuses malformed queries with invalid_parameter naming the field', async () => {
    for (const [query, field] of [
      ['limit=0', 'limit'],
      ['limit=501', 'limit'],
      ['kind=bogus', 'kind'],
      ['from=yesterday', 'from'],
      [`cursor=${Buffer.from('not-an-id').toString('base64url')}`, 'cursor'],
      ['tenant=a%20b', 'tenant'],
    ] as const) {
      const res = await bridge.admin(`/audit?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'invalid_parameter', details: { field } });
    }
    expect((await bridge.admin('/sync-log?resultCode=12')).body.error).toMatchObject({ code: 'invalid_parameter', details: { field: 'resultCode' } });
    expect((await bridge.admin('/sync-log', { token: null })).status).toBe(401);
  });
});

describe('bounded work per call and retention', () => {
  it('a rare filter over a long trail answers at most 5 000 entries per call, with a cursor that continues', async () => {
    const bridge = await startBridge({ backend: 'memory' });
    try {
      bridge.observations.emit({ kind: 'login', method: 'cas', outcome: 'success', tenantId: 'acme', userName: 'needle' });
      for (let i = 0; i < 5_100; i++) bridge.observations.emit({ kind: 'token', protocol: 'oidc', action: 'issued', clientId: 'crm', tenantId: 'acme' });
      const first = await audit(bridge, { user: 'needle' });
      expect(first.events).toEqual([]);
      expect(first.nextCursor).not.toBeNull();
      const second = await audit(bridge, { user: 'needle', cursor: first.nextCursor! });
      expect(second.events.map((e) => e.userName)).toEqual(['needle']);
      expect(second.nextCursor).toBeNull();
    } finally {
      await bridge.close();
    }
  });

  it('entries older than the retention are trimmed from the store and never shown', async () => {
    const clock = steppingClock();
    const store = createMemoryStore({ now: clock.now });
    const bridge = await startBridge({ backend: 'memory', store, clock, env: { AUDIT_RETENTION: '30d' } });
    try {
      bridge.observations.emit({ kind: 'login', method: 'unified', outcome: 'success', tenantId: 'acme', userName: 'old' });
      await bridge.audit.flush();
      clock.advance(31 * 86_400_000);
      bridge.observations.emit({ kind: 'login', method: 'unified', outcome: 'success', tenantId: 'acme', userName: 'new' });
      expect((await audit(bridge, {})).events.map((e) => e.userName)).toEqual(['new']);
      const stored = await store.xrevrange(createKeys(bridge.prefix).auditLog(), { count: 10 });
      expect(stored.map((e) => e.fields.userName)).toEqual(['new']);
    } finally {
      await bridge.close();
      await store.close();
    }
  });

  it('retention 0 turns each stream off: nothing stored, nothing logged', async () => {
    const bridge = await startBridge({ backend: 'memory', env: { AUDIT_RETENTION: '0', SYNC_LOG_RETENTION: '0' } });
    try {
      const tenantId = uniqueTenantId('off');
      expect((await bridge.sender.send('tenantSync', tenantBody({ tenantId }))).resultCode).toBe('000000');
      expect((await bridge.admin('/tenants', { token: 'wrong-token-wrong-token-wrong' })).status).toBe(401);
      expect((await audit(bridge, {})).events).toEqual([]);
      expect((await syncLog(bridge, {})).entries).toEqual([]);
      const keys = createKeys(bridge.prefix);
      expect(await bridge.store.xrevrange(keys.auditLog(), { count: 1 })).toEqual([]);
      expect(await bridge.store.xrevrange(keys.syncLog(), { count: 1 })).toEqual([]);
      expect(bridge.logs.some((l) => l.includes('"audit":'))).toBe(false);
      expect(bridge.audit.stats()).toMatchObject({ written: 0, queued: 0 });
    } finally {
      await bridge.close();
    }
  });
});

