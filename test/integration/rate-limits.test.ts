/**
 * The rate limits on a real bridge and a real Redis, each set small through its RATE_LIMIT_*
 * variable: the calls under a limit are served, the next one is refused at its door (a page in the
 * browser's language, a JSON error, KooGallery's envelope) with Retry-After, and observed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startBridge, tenantBody, type StartBridgeOptions, type TestBridge } from '../support/bridge.js';
import { closeAll } from '../support/cleanup.js';
import { createRedisStore } from '../../src/store/redis.js';
import { startRedisServer, stopRedisServer, type RedisServer } from '../support/redis.js';
import type { ObservationOf } from '../../src/shared/observations.js';

const bridges: TestBridge[] = [];
const closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  await closeAll(...bridges.splice(0).map((b) => () => b.close()), ...closers.splice(0));
});

async function bridgeWith(env: Record<string, string>, opts: StartBridgeOptions = {}): Promise<TestBridge & { refusals: ObservationOf<'rate_limited'>[] }> {
  const bridge = await startBridge({ backend: 'redis', ...opts, env: { ...env, ...opts.env } });
  bridges.push(bridge);
  const refusals: ObservationOf<'rate_limited'>[] = [];
  bridge.observations.on((o) => {
    if (o.kind === 'rate_limited') refusals.push(o);
  });
  return Object.assign(bridge, { refusals });
}

/** A GET as a browser sends it, not following redirects. */
const get = (url: string, headers: Record<string, string> = {}) => fetch(url, { redirect: 'manual', headers: { 'accept-language': 'en', ...headers } });

/** Retry-After in whole seconds, within the window. */
function retryAfter(res: Response, windowSeconds: number): number {
  const value = res.headers.get('retry-after');
  expect(value).toMatch(/^\d+$/);
  const seconds = Number(value);
  expect(seconds).toBeGreaterThanOrEqual(1);
  expect(seconds).toBeLessThanOrEqual(windowSeconds);
  return seconds;
}

const BAD_SIGNATURE = 'ab'.repeat(32);

describe('login starts and callbacks, per client IP', () => {
  it('serves the limit, then answers a 429 page in the browser’s language with Retry-After, and observes it', async () => {
    const bridge = await bridgeWith({ RATE_LIMIT_LOGIN_IP: '3/1m' });
    // Starts, callbacks and CAS callbacks share one count: a start (unified page), a bookmarked
    // callback (starts a login again), a CAS return without ticket (starts a CAS login).
    expect((await get(`${bridge.url}/sso/login`)).status).toBe(302);
    expect((await get(`${bridge.url}/sso/callback`)).status).toBe(302);
    expect((await get(`${bridge.url}/sso/login?unified=1`)).status).toBe(302);

    const refused = await get(`${bridge.url}/sso/cas?tenant=acme`);
    expect(refused.status).toBe(429);
    const seconds = retryAfter(refused, 60);
    expect(refused.headers.get('content-type')).toMatch(/^text\/html/);
    const page = await refused.text();
    expect(page).toContain('lang="en"');
    expect(page).toContain('Too many requests');
    expect(page).toContain('rate_limited');

    const chinese = await get(`${bridge.url}/sso/login`, { 'accept-language': 'zh-CN,zh;q=0.9' });
    expect(chinese.status).toBe(429);
    const zhPage = await chinese.text();
    expect(zhPage).toContain('lang="zh-CN"');
    expect(zhPage).toContain('请求过于频繁');

    expect(bridge.refusals).toHaveLength(2);
    expect(bridge.refusals[0]).toMatchObject({ kind: 'rate_limited', limit: 'login_ip', scope: 'ip', sourceIp: '127.0.0.1', retryAfterSeconds: seconds });
    expect(bridge.refusals[0]!.requestId).toBe(refused.headers.get('x-request-id'));
    // Pages the limit does not guard are still served to that address.
    expect((await get(`${bridge.url}/sso/logged-out`)).status).toBe(200);
  });

  it('refuses an address already over from memory until its window ends: a flood does not reach Redis', async () => {
    const bridge = await bridgeWith({ RATE_LIMIT_LOGIN_IP: '2/1m' });
    const counted = async () => (await bridge.snapshot({ includeRateLimits: true }))[`${bridge.prefix}rl:login_ip:127.0.0.1`];
    for (let i = 0; i < 3; i++) await get(`${bridge.url}/sso/login`);
    expect(await counted()).toBe('3');
    for (let i = 0; i < 5; i++) expect((await get(`${bridge.url}/sso/login`)).status).toBe(429);
    expect(await counted()).toBe('3');
    expect(bridge.refusals).toHaveLength(6);
  });

  it('counts the address TRUST_PROXY names: X-Forwarded-For only behind a trusted proxy', async () => {
    const trusted = await bridgeWith({ RATE_LIMIT_LOGIN_IP: '1/1m', TRUST_PROXY: '1' });
    expect((await get(`${trusted.url}/sso/login`, { 'x-forwarded-for': '198.51.100.1' })).status).toBe(302);
    expect((await get(`${trusted.url}/sso/login`, { 'x-forwarded-for': '198.51.100.2' })).status).toBe(302);
    expect((await get(`${trusted.url}/sso/login`, { 'x-forwarded-for': '198.51.100.1' })).status).toBe(429);
    expect(trusted.refusals.map((r) => r.sourceIp)).toEqual(['198.51.100.1']);
    // The proxy appends the address it saw: entries before it are the client's own words.
    expect((await get(`${trusted.url}/sso/login`, { 'x-forwarded-for': '192.0.2.77, 198.51.100.1' })).status).toBe(429);
    expect((await get(`${trusted.url}/sso/login`, { 'x-forwarded-for': '198.51.100.1, 198.51.100.3' })).status).toBe(302);

    const direct = await bridgeWith({ RATE_LIMIT_LOGIN_IP: '1/1m' });
    expect((await get(`${direct.url}/sso/login`, { 'x-forwarded-for': '198.51.100.1' })).status).toBe(302);
    // A header the client wrote itself does not make it another client.
    expect((await get(`${direct.url}/sso/login`, { 'x-forwarded-for': '198.51.100.2' })).status).toBe(429);
    expect(direct.refusals.map((r) => r.sourceIp)).toEqual(['127.0.0.1']);
  });

  it('is off with 0: nothing is counted', async () => {
    const bridge = await bridgeWith({ RATE_LIMIT_LOGIN_IP: '0', RATE_LIMIT_LOGIN_TENANT: '0' });
    for (let i = 0; i < 5; i++) expect((await get(`${bridge.url}/sso/login?tenant=acme`)).status).not.toBe(429);
    expect(Object.keys(await bridge.snapshot({ includeRateLimits: true })).filter((k) => k.startsWith(`${bridge.prefix}rl:`))).toEqual([]);
  });
});

describe('login starts and callbacks, per tenant', () => {
  it('refuses the tenant named once its limit is used, from any address, and no other tenant', async () => {
    const bridge = await bridgeWith({ RATE_LIMIT_LOGIN_TENANT: '2/1m', TRUST_PROXY: '1' });
    const from = (ip: string) => ({ 'x-forwarded-for': ip });
    expect((await get(`${bridge.url}/sso/login?tenant=acme`, from('203.0.113.1'))).status).toBe(404); // unknown tenant: served
    expect((await get(`${bridge.url}/sso/cas?tenant=acme`, from('203.0.113.2'))).status).toBe(302); // a CAS login starts
    // The callback's `tenant_id` spelling names the tenant too.
    const refused = await get(`${bridge.url}/sso/callback?code=c-1&tenant_id=acme`, from('203.0.113.3'));
    expect(refused.status).toBe(429);
    retryAfter(refused, 60);
    expect(await refused.text()).toContain('Too many requests');
    expect((await get(`${bridge.url}/sso/login?tenant=globex`, from('203.0.113.3'))).status).toBe(404);
    expect(bridge.refusals).toEqual([expect.objectContaining({ limit: 'login_tenant', scope: 'tenant', tenantId: 'acme', sourceIp: '203.0.113.3' })]);
  });
});

describe('the OpenID provider, per client IP', () => {
  it('/oidc/token: the limit is served, then a JSON 429 with its stable code and Retry-After', async () => {
    const bridge = await bridgeWith({ RATE_LIMIT_OIDC_TOKEN_IP: '2/1m' });
    const token = () => fetch(`${bridge.url}/oidc/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=authorization_code&code=x&client_id=no-such-app' });
    for (let i = 0; i < 2; i++) {
      const served = await token();
      expect(served.status).toBe(401); // oidc-provider's own answer: an unknown client
      expect(((await served.json()) as { error: string }).error).toBe('invalid_client');
    }
    const refused = await token();
    expect(refused.status).toBe(429);
    const seconds = retryAfter(refused, 60);
    expect(await refused.json()).toEqual({ error: { code: 'rate_limited', message: expect.stringContaining('retry after'), details: { limit: 'oidc_token_ip', retryAfterSeconds: seconds } } });
    // Discovery and keys are not limited.
    for (let i = 0; i < 3; i++) expect((await fetch(`${bridge.url}/oidc/.well-known/openid-configuration`)).status).toBe(200);
    expect(bridge.refusals).toEqual([expect.objectContaining({ limit: 'oidc_token_ip', scope: 'ip', sourceIp: '127.0.0.1' })]);
  });

  it('/oidc/auth and its resumes: the limit is served, then a 429 page', async () => {
    const bridge = await bridgeWith({ RATE_LIMIT_OIDC_AUTH_IP: '2/1m' });
    expect((await get(`${bridge.url}/oidc/auth?client_id=no-such-app&response_type=code&scope=openid`)).status).toBe(400);
    expect((await get(`${bridge.url}/oidc/auth/some-interaction-uid`)).status).not.toBe(429);
    const refused = await get(`${bridge.url}/oidc/auth?client_id=no-such-app&response_type=code&scope=openid`, { 'accept-language': 'zh-CN' });
    expect(refused.status).toBe(429);
    retryAfter(refused, 60);
    expect(await refused.text()).toContain('请求过于频繁');
    // The token endpoint has its own count.
    expect((await fetch(`${bridge.url}/oidc/token`, { method: 'POST' })).status).not.toBe(429);
    expect(bridge.refusals.map((r) => r.limit)).toEqual(['oidc_auth_ip']);
  });
});

describe('the admin API, failed authentications per client IP', () => {
  it('answers 401 to the allowed failures, then 429 to everything from that address, the right token included', async () => {
    const bridge = await bridgeWith({ RATE_LIMIT_ADMIN_FAILURES_IP: '2/10m', TRUST_PROXY: '1' });
    const from = (ip: string, token: string | null = ADMIN_TOKEN) => bridge.admin('/tenants', { token, headers: { 'x-forwarded-for': ip } });
    // Successes are not counted.
    for (let i = 0; i < 4; i++) expect((await from('192.0.2.10')).status).toBe(200);
    expect((await from('192.0.2.10', 'a-guessed-token-0123456789abcdef')).status).toBe(401);
    expect((await from('192.0.2.10', null)).status).toBe(401);

    const refused = await fetch(`${bridge.url}/admin/api/tenants`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'x-forwarded-for': '192.0.2.10' } });
    expect(refused.status).toBe(429);
    retryAfter(refused, 600);
    expect(((await refused.json()) as { error: unknown }).error).toMatchObject({ code: 'rate_limited' });
    // Another address with the right token is served.
    expect((await from('192.0.2.11')).status).toBe(200);
    expect(bridge.refusals).toEqual([expect.objectContaining({ limit: 'admin_failures_ip', scope: 'ip', sourceIp: '192.0.2.10' })]);
  });
});

describe('webhooks failing their signature, per client IP', () => {
  it('answers the allowed failures as usual, then 000001 saying when to retry; a valid signed call is never limited', async () => {
    const bridge = await bridgeWith({ RATE_LIMIT_WEBHOOK_FAILURES_IP: '2/1m' });
    const forged = () => bridge.sender.send('tenantSync', tenantBody(), { sign: BAD_SIGNATURE });
    for (let i = 0; i < 2; i++) expect(await forged()).toMatchObject({ resultCode: '000001', resultMsg: expect.not.stringContaining('too many') });
    const refused = await forged();
    expect(refused.resultCode).toBe('000001');
    expect(refused.resultMsg).toMatch(/^too many requests \(limit webhook_failures_ip, per ip\): retry after \d+ s$/);
    // KooGallery's own calls from the same address go through, before and after.
    expect((await bridge.sender.send('tenantSync', tenantBody())).resultCode).toBe('000000');
    expect(await bridge.directory.findTenant('acme')).not.toBeNull();
    expect((await forged()).resultMsg).toMatch(/^too many requests/);
    expect(bridge.refusals).toHaveLength(2);
    expect(bridge.refusals[0]).toMatchObject({ limit: 'webhook_failures_ip', scope: 'ip', sourceIp: '127.0.0.1' });
  });
});

describe('shared by every instance', () => {
  it('two bridges on one Redis count together', async () => {
    const env = { RATE_LIMIT_LOGIN_IP: '3/1m' };
    const a = await bridgeWith(env);
    const b = await bridgeWith(env, { prefix: a.prefix });
    expect((await get(`${a.url}/sso/login`)).status).toBe(302);
    expect((await get(`${b.url}/sso/login`)).status).toBe(302);
    expect((await get(`${a.url}/sso/login`)).status).toBe(302);
    expect((await get(`${b.url}/sso/login`)).status).toBe(429);
    expect((await get(`${a.url}/sso/login`)).status).toBe(429);
    // One counter, under the bridge's key prefix.
    expect(Object.keys(await a.snapshot({ includeRateLimits: true })).filter((k) => k.includes(':rl:'))).toEqual([`${a.prefix}rl:login_ip:127.0.0.1`]);
  });
});

describe('when the store cannot count', () => {
  it('serves every request (fails open) and warns once per limit', async () => {
    const server: RedisServer = await startRedisServer();
    let stopped = false;
    closers.push(async () => {
      if (!stopped) await stopRedisServer(server);
    });
    const store = createRedisStore({ url: server.url, commandTimeoutMs: 500 });
    closers.push(() => store.close());
    const bridge = await bridgeWith({ RATE_LIMIT_WEBHOOK_FAILURES_IP: '1/1m', RATE_LIMIT_ADMIN_FAILURES_IP: '1/10m', REDIS_URL: server.url }, { store });
    await stopRedisServer(server);
    stopped = true;

    for (let i = 0; i < 3; i++) {
      expect(await bridge.sender.send('tenantSync', tenantBody(), { sign: BAD_SIGNATURE })).toMatchObject({ resultCode: '000001', resultMsg: expect.not.stringContaining('too many') });
      expect((await bridge.admin('/tenants', { token: 'a-guessed-token-0123456789abcdef' })).status).toBe(401);
    }
    expect(bridge.refusals).toEqual([]);
    const warnings = bridge.logs.map((l) => JSON.parse(l) as { msg: string; limit?: string }).filter((l) => l.msg.startsWith('rate limit not checked'));
    expect(warnings.map((w) => w.limit).sort()).toEqual(['admin_failures_ip', 'webhook_failures_ip']);
  });
});
