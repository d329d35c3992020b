/**
 * Bad input gets a clear result code and changes nothing: every case below runs against a bridge
 * holding data, and the whole of its Redis keyspace (nonces aside) must be identical afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encryptClientSecret } from '../../tools/simulator/webhook-sender.js';
import type { KitInterface } from '../../src/koogallery/schemas.js';
import { APP_ID, authBody, startBridge, tenantBody, testKeyPair, user, type TestBridge } from '../support/bridge.js';
import { closeAll } from '../support/cleanup.js';

const BODY_LIMIT = 64 * 1024;

interface Case {
  name: string;
  expected: '000001' | '000002';
  /** Words the resultMsg must contain. */
  says: string | RegExp;
  send: (b: TestBridge) => Promise<Response>;
}

const post = (b: TestBridge, name: string, body: Record<string, unknown>, o: Parameters<TestBridge['sender']['sign']>[2] = {}) => {
  const req = b.sender.sign(name as KitInterface, body, o);
  return fetch(req.url, { method: 'POST', headers: req.headers, body: req.body });
};

const tooManyUsers = Array.from({ length: 501 }, (_, i) => user(`u${i}`));

const CASES: Case[] = [
  { name: 'malformed JSON', expected: '000002', says: 'not valid JSON', send: (b) => post(b, 'tenantSync', tenantBody(), { rawBody: '{"tenantId":"acme",' }) },
  { name: 'a JSON array instead of an object', expected: '000002', says: 'JSON object', send: (b) => post(b, 'tenantSync', tenantBody(), { rawBody: '[1,2]' }) },
  { name: 'a wrong content type', expected: '000002', says: 'Content-Type', send: (b) => post(b, 'tenantSync', tenantBody(), { contentType: 'text/plain' }) },
  { name: 'a non-UTF-8 charset', expected: '000002', says: 'charset', send: (b) => post(b, 'tenantSync', tenantBody(), { contentType: 'application/json; charset=gbk' }) },
  { name: 'an oversized body', expected: '000002', says: 'limit', send: (b) => post(b, 'allOrgSync', { tenantId: 'acme', orgInfoList: 'x'.repeat(BODY_LIMIT + 10) }) },
  { name: 'a missing x-sign', expected: '000001', says: 'sign', send: (b) => post(b, 'tenantSync', tenantBody(), { sign: '' }) },
  { name: 'a wrong x-sign', expected: '000001', says: 'signature', send: (b) => post(b, 'tenantSync', tenantBody(), { sign: 'ab'.repeat(32) }) },
  { name: 'a signature made with another access key', expected: '000001', says: 'signature', send: (b) => post(b, 'tenantSync', tenantBody(), { accessKey: 'not-our-key' }) },
  { name: 'a body changed after signing', expected: '000001', says: 'signature', send: (b) => post(b, 'tenantSync', tenantBody(), { rawBody: JSON.stringify(tenantBody({ name: 'Evil Corp' })) }) },
  { name: 'a missing x-timestamp', expected: '000002', says: 'timestamp', send: (b) => post(b, 'tenantSync', tenantBody(), { timestamp: '' }) },
  { name: 'a timestamp 61 s in the past', expected: '000002', says: 'timestamp', send: (b) => post(b, 'tenantSync', tenantBody(), { timestamp: String(Date.now() - 61_000) }) },
  { name: 'a timestamp 61 s in the future', expected: '000002', says: 'timestamp', send: (b) => post(b, 'tenantSync', tenantBody(), { timestamp: String(Date.now() + 61_000) }) },
  { name: 'a missing x-nonce', expected: '000002', says: 'nonce', send: (b) => post(b, 'tenantSync', tenantBody(), { nonce: '' }) },
  { name: 'an unknown interface', expected: '000002', says: 'unknown interface', send: (b) => post(b, 'userSync', tenantBody()) },
  { name: 'a GET', expected: '000002', says: 'POST', send: (b) => fetch(`${b.productionUrl}/produceAPI/v2/tenantSync`) },
  { name: 'a basic-interface call without its query signature', expected: '000002', says: 'timestamp', send: (b) => fetch(b.productionUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"activity":"newInstance"}' }) },
  { name: 'tenantSync without tenantId', expected: '000002', says: 'tenantId', send: (b) => post(b, 'tenantSync', tenantBody({ tenantId: undefined })) },
  { name: 'tenantSync with flag 7', expected: '000002', says: 'flag', send: (b) => post(b, 'tenantSync', tenantBody({ flag: 7 })) },
  { name: 'tenantSync with a domainName that is not a URL', expected: '000002', says: 'domainName', send: (b) => post(b, 'tenantSync', tenantBody({ domainName: 'acme idp' })) },
  { name: 'a tenantId with braces (would break hash tags)', expected: '000002', says: 'tenantId', send: (b) => post(b, 'tenantSync', tenantBody({ tenantId: 'ac{me}' })) },
  { name: 'tenantSync add without name', expected: '000002', says: 'name', send: (b) => post(b, 'tenantSync', tenantBody({ name: undefined })) },
  { name: 'applicationSync with a secret that does not decrypt', expected: '000002', says: 'clientSecret', send: (b) => post(b, 'applicationSync', { tenantId: 'acme', appId: APP_ID, clientId: 'c2', clientSecret: Buffer.alloc(384, 7).toString('base64'), flag: 2, testFlag: 0 }) },
  { name: 'applicationSync add without clientId', expected: '000002', says: 'clientId', send: (b) => post(b, 'applicationSync', { tenantId: 'acme', appId: APP_ID, clientSecret: encryptClientSecret('s', testKeyPair().publicKeyPem), flag: 1, testFlag: 0 }) },
  { name: 'applicationSync for another appId', expected: '000002', says: 'appId', send: (b) => post(b, 'applicationSync', { tenantId: 'acme', appId: 'other-app', clientId: 'c', clientSecret: encryptClientSecret('s', testKeyPair().publicKeyPem), flag: 1, testFlag: 0 }) },
  { name: 'authSync with userList a string that is not an array', expected: '000002', says: 'userList', send: (b) => post(b, 'authSync', authBody([], { userList: '{"userName":"x"}' })) },
  { name: 'authSync with an empty userList', expected: '000002', says: 'userList', send: (b) => post(b, 'authSync', authBody([])) },
  { name: 'authSync with 501 users', expected: '000002', says: 'userList', send: (b) => post(b, 'authSync', authBody(tooManyUsers)) },
  { name: 'authSync with an unknown role (second user)', expected: '000002', says: 'userList[1].role', send: (b) => post(b, 'authSync', authBody([user('ok.user'), user('bad.role', { role: 'owner' })])) },
  { name: 'authSync with the same userName twice', expected: '000002', says: 'userName', send: (b) => post(b, 'authSync', authBody([user('twin'), user('twin')])) },
  { name: 'authSync with enable "maybe"', expected: '000002', says: 'enable', send: (b) => post(b, 'authSync', authBody([user('maybe', { enable: 'maybe' })])) },
  { name: 'authSync with a malformed currentSyncTime', expected: '000002', says: 'currentSyncTime', send: (b) => post(b, 'authSync', authBody([user('t')], { currentSyncTime: '2026-11-21' })) },
  { name: 'authSync with flag 4', expected: '000002', says: 'flag', send: (b) => post(b, 'authSync', authBody([user('t')], { flag: 4 })) },
  { name: 'allOrgSync with a duplicate orgCode', expected: '000002', says: 'orgCode', send: (b) => post(b, 'allOrgSync', { tenantId: 'acme', orgInfoList: [{ orgCode: 'a', orgName: 'A' }, { orgCode: 'a', orgName: 'B' }] }) },
  { name: 'allOrgSync without orgInfoList', expected: '000002', says: 'orgInfoList', send: (b) => post(b, 'allOrgSync', { tenantId: 'acme' }) },
  { name: 'singleOrgSync without orgCode', expected: '000002', says: 'orgCode', send: (b) => post(b, 'singleOrgSync', { tenantId: 'acme', orgName: 'X', flag: 1 }) },
];

describe('refused webhook calls', () => {
  let bridge: TestBridge;
  beforeAll(async () => {
    bridge = await startBridge({ env: { PRODUCE_BODY_LIMIT: String(BODY_LIMIT) } });
    const seed = [
      await bridge.sender.send('tenantSync', tenantBody()),
      await bridge.sender.send('applicationSync', { tenantId: 'acme', appId: APP_ID, clientId: 'c1', clientSecret: encryptClientSecret('s1', testKeyPair().publicKeyPem), flag: 1, testFlag: 0 }),
      await bridge.sender.send('authSync', authBody([user('zhang.san')])),
      await bridge.sender.send('allOrgSync', { tenantId: 'acme', orgInfoList: [{ orgCode: 'sales', orgName: 'Sales' }] }),
    ];
    expect(seed.map((a) => a.resultCode)).toEqual(['000000', '000000', '000000', '000000']);
  });
  afterAll(() => bridge?.close());

  it('has at least 20 kinds of bad input', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(20);
  });

  it.each(CASES)('$name → $expected, HTTP 200, nothing written', async ({ expected, says, send }) => {
    const before = await bridge.snapshot();
    const res = await send(bridge);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { resultCode: string; resultMsg: string };
    expect(body.resultCode).toBe(expected);
    if (typeof says === 'string') expect(body.resultMsg).toContain(says);
    else expect(body.resultMsg).toMatch(says);
    expect(await bridge.snapshot()).toEqual(before);
  });

  it('a nonce replayed with another body is refused with 000001 and changes nothing', async () => {
    const signed = bridge.sender.sign('tenantSync', tenantBody({ name: 'Acme Replayed' }));
    const first = await fetch(signed.url, { method: 'POST', headers: signed.headers, body: signed.body });
    expect(((await first.json()) as { resultCode: string }).resultCode).toBe('000000');
    await bridge.sender.send('tenantSync', tenantBody({ name: 'Acme Trading Co.' }));
    const before = await bridge.snapshot();
    const other = bridge.sender.sign('tenantSync', tenantBody({ name: 'Acme Hijacked' }), { nonce: signed.headers['x-nonce']! });
    const replay = await fetch(other.url, { method: 'POST', headers: other.headers, body: other.body });
    const answer = (await replay.json()) as { resultCode: string; resultMsg: string };
    expect(answer).toEqual({ resultCode: '000001', resultMsg: expect.stringContaining('nonce') });
    expect(await bridge.snapshot()).toEqual(before);
    expect((await bridge.directory.getTenant('acme'))?.name).toBe('Acme Trading Co.');
  });

  it('a byte-identical resend (same nonce, same body) is answered with the first answer and applies nothing again', async () => {
    const signed = bridge.sender.sign('tenantSync', tenantBody({ name: 'Acme Resent' }));
    const first = (await (await fetch(signed.url, { method: 'POST', headers: signed.headers, body: signed.body })).json()) as Record<string, unknown>;
    expect(first.resultCode).toBe('000000');
    await bridge.sender.send('tenantSync', tenantBody({ name: 'Acme Trading Co.' }));
    const before = await bridge.snapshot();
    const resent = (await (await fetch(signed.url, { method: 'POST', headers: signed.headers, body: signed.body })).json()) as Record<string, unknown>;
    expect(resent).toEqual(first);
    expect(await bridge.snapshot()).toEqual(before);
    // The later change stands: the resend did not apply the old name again.
    expect((await bridge.directory.getTenant('acme'))?.name).toBe('Acme Trading Co.');
  });

  it('logs every refusal with its error code and reason, never the body', async () => {
    const from = bridge.logs.length;
    const refusals = [
      await post(bridge, 'tenantSync', tenantBody(), { rawBody: JSON.stringify(tenantBody({ name: 'Evil Corp' })) }),
      await post(bridge, 'tenantSync', tenantBody(), { timestamp: String(Date.now() - 61_000) }),
    ];
    expect(refusals.map((r) => r.status)).toEqual([200, 200]);
    const all = bridge.logs.slice(from).join('\n');
    expect(all).toContain('"errorCode":"signature_invalid"');
    expect(all).toContain('"errorCode":"timestamp_out_of_window"');
    expect(all).not.toContain('Evil Corp');
    expect(all).not.toContain('[redacted]');
  });

  it('a 10-digit timestamp is read as seconds', async () => {
    const answer = await bridge.sender.send('tenantSync', tenantBody(), { timestamp: String(Math.floor(Date.now() / 1000)) });
    expect(answer.resultCode).toBe('000000');
  });
});

describe('store unavailable', () => {
  it('a valid call answers 000005 quickly when Redis goes away, /readyz is 503, and it recovers', async () => {
    const { createRedisStore } = await import('../../src/store/redis.js');
    const { startRedisServer, stopRedisServer } = await import('../support/redis.js');
    const server = await startRedisServer();
    const store = createRedisStore({ url: server.url, commandTimeoutMs: 500 });
    let bridge: TestBridge | undefined;
    try {
      bridge = await startBridge({ store });
      await stopRedisServer(server, { keepDir: true });
      const started = Date.now();
      const answer = await bridge.sender.send('tenantSync', tenantBody());
      expect(answer).toMatchObject({ status: 200, resultCode: '000005' });
      expect(Date.now() - started).toBeLessThan(3_000);
      expect((await fetch(`${bridge.url}/readyz`)).status).toBe(503);
      expect((await fetch(`${bridge.url}/healthz`)).status).toBe(200);
      const again = await startRedisServer({ port: server.port, dir: server.dir });
      try {
        await expect.poll(async () => (await fetch(`${bridge!.url}/readyz`)).status, { timeout: 5_000 }).toBe(200);
        expect((await bridge.sender.send('tenantSync', tenantBody())).resultCode).toBe('000000');
      } finally {
        await stopRedisServer(again);
      }
    } finally {
      await closeAll(() => bridge?.close(), () => store.close(), () => stopRedisServer(server));
    }
  });
});
