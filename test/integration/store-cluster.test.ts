/**
 * The store conformance suite on a real three-master Redis Cluster, reached through one
 * redis+cluster:// URL. Every test of the suite keeps its keys under one hash tag, as the
 * directory does per tenant; different tests land on different nodes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisStore } from '../../src/store/redis.js';
import { redisCli } from '../support/redis-server.js';
import { hasRedisCli, hasRedisServer, startRedisServer, stopRedisServer, uniquePrefix, type RedisServer } from '../support/redis.js';
import { describeStoreConformance } from '../support/store-conformance.js';
import { APP_ID, startBridge } from '../support/bridge.js';
import { TestBrowser } from '../support/browser.js';
import { startE2E } from '../support/e2e.js';
import { startRp } from '../support/oidc-rp.js';
import { authorize, redeem } from '../e2e/oidc-support.js';
import { closeAll } from '../support/cleanup.js';
import { startCasApp } from '../support/cas-app.js';
import { casSignIn, validate } from '../e2e/cas-support.js';

const canRun = hasRedisServer() && hasRedisCli();
if (!canRun) console.warn('[store-cluster.test] redis-server or redis-cli not on PATH: skipping the Redis Cluster tests');

const nodes: RedisServer[] = [];
const clusterUrl = () => `redis+cluster://${nodes.map((n) => `127.0.0.1:${n.port}`).join(',')}`;

async function waitForClusterOk(timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!nodes.every((n) => redisCli(['-p', String(n.port), 'cluster', 'info']).includes('cluster_state:ok'))) {
    if (Date.now() > deadline) throw new Error(`Redis Cluster did not reach cluster_state:ok within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(!canRun)('redis cluster', () => {
  beforeAll(async () => {
    // A short node timeout keeps start-up quick; nothing here tests failover.
    const args = ['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '2000'];
    nodes.push(...(await Promise.all([0, 1, 2].map(() => startRedisServer({ args })))));
    redisCli(['--cluster', 'create', ...nodes.map((n) => `127.0.0.1:${n.port}`), '--cluster-replicas', '0', '--cluster-yes']);
    await waitForClusterOk(15_000);
  });
  afterAll(async () => {
    await Promise.all(nodes.map((n) => stopRedisServer(n)));
  });

  describeStoreConformance('redis cluster', async () => createRedisStore({ url: clusterUrl() }));

  it('the whole bridge runs on the cluster: syncs, a login with its session, deprovisioning, an OpenID authorization, the outbox', async () => {
    const store = createRedisStore({ url: clusterUrl() });
    const rp = await startRp();
    const e2e = await startE2E({ bridge: { store, env: { OIDC_CLIENTS_FILE: rp.clientsFile } } });
    try {
      // Syncs (every interface) went through in startE2E; a delete spans every key of a tenant.
      expect(await e2e.bridge.directory.getCredentials('acme', APP_ID)).toMatchObject({ clientId: 'acme-client-id' });
      const browser = new TestBrowser();
      await browser.go(`${e2e.bridge.url}/sso/callback?code=${e2e.sim.issueCode('acme', 'li.si')}&tenant=acme`);
      expect((await browser.request(`${e2e.bridge.url}/api/session`)).status).toBe(200);
      const web = await rp.config('web-app', `${e2e.bridge.url}/oidc`);
      const tokens = await redeem(web, await authorize(browser, web, { redirectUri: `${rp.url}/callback`, simUrl: e2e.simUrl, params: { prompt: 'consent' } }));
      expect(tokens.claims()?.preferred_username).toBe('li.si');
      expect((await e2e.bridge.sender.send('tenantSync', { tenantId: 'acme', flag: 0 })).resultCode).toBe('000000');
      expect((await browser.request(`${e2e.bridge.url}/api/session`)).status).toBe(401);
      expect(await e2e.bridge.directory.findTenant('acme')).toBeNull();
      // The app's back-channel logout went through the outbox, whose keys share one slot.
      await e2e.bridge.outbox.drain();
      expect(rp.logoutTokens).toHaveLength(1);
      expect(await e2e.bridge.outbox.pending()).toBe(0);
    } finally {
      await closeAll(() => e2e.close(), () => rp.close(), () => store.close());
    }
  });

  it('the rate limits count on the cluster, shared by two bridges: a login under them is served, the one over refused', async () => {
    const env = { RATE_LIMIT_LOGIN_IP: '3/1m', RATE_LIMIT_LOGIN_TENANT: '2/1m', RATE_LIMIT_ADMIN_FAILURES_IP: '1/10m', TRUST_PROXY: '1' };
    const [storeA, storeB] = [createRedisStore({ url: clusterUrl() }), createRedisStore({ url: clusterUrl() })];
    const e2e = await startE2E({ bridge: { store: storeA, env } });
    const b = await startBridge({ store: storeB, prefix: e2e.bridge.prefix, env: { REDIS_URL: clusterUrl(), ...env } });
    const limited: string[] = [];
    for (const bridge of [e2e.bridge, b]) bridge.observations.on((o) => void (o.kind === 'rate_limited' && limited.push(`${o.limit}:${o.sourceIp}`)));
    const get = (url: string, ip: string) => fetch(url, { redirect: 'manual', headers: { 'x-forwarded-for': ip } });
    try {
      // A complete login at bridge A (one callback: one hit for its address, one for acme).
      const browser = new TestBrowser();
      await browser.go(`${e2e.bridge.url}/sso/callback?code=${e2e.sim.issueCode('acme', 'li.si')}&tenant=acme`);
      expect((await browser.request(`${e2e.bridge.url}/api/session`)).status).toBe(200);
      // acme's second hit at bridge B, its third at A: over, whatever the address.
      expect((await get(`${b.url}/sso/login?tenant=acme`, '198.51.100.7')).status).toBe(302);
      expect((await get(`${e2e.bridge.url}/sso/login?tenant=acme`, '198.51.100.8')).status).toBe(429);
      // Per address, counters of several addresses (on several nodes) shared by both bridges.
      for (const ip of ['203.0.113.1', '203.0.113.2', '203.0.113.3']) {
        expect((await get(`${e2e.bridge.url}/sso/login`, ip)).status).toBe(302);
        expect((await get(`${b.url}/sso/login`, ip)).status).toBe(302);
        expect((await get(`${e2e.bridge.url}/sso/login`, ip)).status).toBe(302);
        expect((await get(`${b.url}/sso/login`, ip)).status).toBe(429);
      }
      // Admin failures: one at A uses the address's allowance; B then refuses even the right token.
      expect((await e2e.bridge.admin('/tenants', { token: 'a-guessed-token-0123456789abcdef' })).status).toBe(401);
      expect((await b.admin('/tenants')).status).toBe(429);
      expect(limited).toEqual(['login_tenant:198.51.100.8', 'login_ip:203.0.113.1', 'login_ip:203.0.113.2', 'login_ip:203.0.113.3', 'admin_failures_ip:127.0.0.1']);
    } finally {
      await closeAll(() => b.close(), () => e2e.close(), () => storeA.close(), () => storeB.close());
    }
  });

  it('the CAS server runs on the cluster: ticket issued and taken once, single logout recorded and sent on deprovisioning', async () => {
    const store = createRedisStore({ url: clusterUrl() });
    const app = await startCasApp((url) => [{ id: 'app', service_prefix: `${url}/app/` }]);
    const e2e = await startE2E({ bridge: { store, env: { CAS_SERVICES_FILE: app.servicesFile } } });
    try {
      const browser = new TestBrowser();
      await browser.go(`${e2e.bridge.url}/sso/callback?code=${e2e.sim.issueCode('acme', 'li.si')}&tenant=acme`);
      const service = `${app.url}/app/page`;
      const { back } = await casSignIn(browser, { bridgeUrl: e2e.bridge.url, simUrl: e2e.simUrl, service });
      const ticket = back.searchParams.get('ticket')!;
      const answers = await Promise.all([1, 2, 3].map(() => validate(e2e.bridge.url, '/cas/serviceValidate', { service, ticket })));
      expect(answers.filter((a) => a.text.includes('<cas:userName>li.si</cas:userName>'))).toHaveLength(1);
      expect((await e2e.bridge.sender.send('tenantSync', { tenantId: 'acme', flag: 0 })).resultCode).toBe('000000');
      await e2e.bridge.outbox.drain();
      expect(app.logouts.map((l) => l.sessionIndex)).toEqual([ticket]);
    } finally {
      await closeAll(() => e2e.close(), () => app.close(), () => store.close());
    }
  });

  it('a batch whose keys hash to different slots is refused (CROSSSLOT) and applies nothing', async () => {
    const store = createRedisStore({ url: clusterUrl() });
    try {
      const prefix = uniquePrefix('cluster');
      const [a, b] = [`${prefix}{t:a}:x`, `${prefix}{t:b}:x`];
      await expect(
        store.exec([
          { op: 'set', key: a, value: '1' },
          { op: 'set', key: b, value: '2' },
        ]),
      ).rejects.toMatchObject({ code: 'internal', message: expect.stringContaining('CROSSSLOT') });
      expect(await store.get(a)).toBeNull();
      expect(await store.get(b)).toBeNull();
    } finally {
      await store.close();
    }
  });
});
