import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_ID, authBody, user } from '../support/bridge.js';
import { TestBrowser } from '../support/browser.js';
import { startE2E, type E2E } from '../support/e2e.js';

/** A clock the test moves forward; starts at the real time. */
function steppingClock() {
  let offset = 0;
  return { now: () => Date.now() + offset, advance: (ms: number) => (offset += ms) };
}

describe('sessions', () => {
  const clock = steppingClock();
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E({ bridge: { clock } });
  });
  afterAll(() => e2e.close());

  async function signIn(tenant: string, userName: string, bridgeUrl = e2e.bridge.url): Promise<TestBrowser> {
    const browser = new TestBrowser();
    const page = await browser.go(`${bridgeUrl}/sso/callback?code=${e2e.sim.issueCode(tenant, userName)}&tenant=${tenant}`);
    expect(page.status).toBe(200);
    return browser;
  }
  const status = async (browser: TestBrowser, bridgeUrl = e2e.bridge.url) => (await browser.request(`${bridgeUrl}/api/session`)).status;

  describe('deprovisioning takes effect at once', () => {
    it('authSync delete ends the user’s sessions (next request 401), not other users’', async () => {
      const liSi = await signIn('acme', 'li.si');
      const zhang = await signIn('acme', 'zhang.san');
      await e2e.bridge.sender.send('authSync', authBody([{ userName: 'li.si' }], { tenantId: 'acme', flag: 0, currentSyncTime: '20990101000000000' }));
      expect(await status(liSi)).toBe(401);
      expect(await status(zhang)).toBe(200);
      await e2e.bridge.sender.send('authSync', authBody([user('li.si', { orgCode: 'acme-sales' })], { tenantId: 'acme', currentSyncTime: '20990101000000001' }));
    });

    it('authSync cancel (flag 3) and enable "false" end the sessions', async () => {
      const a = await signIn('acme', 'li.si');
      await e2e.bridge.sender.send('authSync', authBody([{ userName: 'li.si' }], { tenantId: 'acme', flag: 3, currentSyncTime: '20990101000000002' }));
      expect(await status(a)).toBe(401);
      await e2e.bridge.sender.send('authSync', authBody([user('li.si')], { tenantId: 'acme', currentSyncTime: '20990101000000003' }));
      const b = await signIn('acme', 'li.si');
      await e2e.bridge.sender.send('authSync', authBody([user('li.si', { enable: 'false' })], { tenantId: 'acme', flag: 2, currentSyncTime: '20990101000000004' }));
      expect(await status(b)).toBe(401);
      await e2e.bridge.sender.send('authSync', authBody([user('li.si')], { tenantId: 'acme', flag: 2, currentSyncTime: '20990101000000005' }));
    });

    it('the admin call DELETE …/users/:userName/sessions ends them on demand', async () => {
      const a = await signIn('acme', 'zhang.san');
      const res = await e2e.bridge.admin('/tenants/acme/users/zhang.san/sessions', { method: 'DELETE' });
      expect(res.status).toBe(200);
      expect(res.body.revoked).toBeGreaterThanOrEqual(1);
      expect(await status(a)).toBe(401);
    });

    it('removing the tenant’s app credential ends every session of the tenant', async () => {
      const a = await signIn('globex', 'zhao.liu');
      await e2e.bridge.sender.send('applicationSync', { tenantId: 'globex', appId: APP_ID, flag: 0, testFlag: 0 });
      expect(await status(a)).toBe(401);
    });

    it('deleting the tenant ends every session of the tenant', async () => {
      const a = await signIn('acme', 'zhang.san');
      await e2e.bridge.sender.send('tenantSync', { tenantId: 'acme', flag: 0 });
      expect(await status(a)).toBe(401);
      await e2e.sim.syncTo({ productionUrl: e2e.bridge.productionUrl, accessKey: e2e.bridge.config.produce.accessKey, publicKeyPem: (await import('../support/bridge.js')).testKeyPair().publicKeyPem, appId: APP_ID });
    });
  });

  describe('two bridge processes sharing one Redis behave as one', () => {
    it('a session made on one works on the other, and a deprovisioning sent to the other ends it', async () => {
      const second = await e2e.startSecondBridge();
      const browser = await signIn('acme', 'li.si');
      // Cookies are per host:port in the test browser: carry the cookie over as a load balancer would.
      browser.setCookie(second.url, 'koobridge', browser.cookie(e2e.bridge.url, 'koobridge')!);
      expect(await status(browser, second.url)).toBe(200);
      await second.sender.send('authSync', authBody([{ userName: 'li.si' }], { tenantId: 'acme', flag: 3, currentSyncTime: '20990101000000006' }));
      expect(await status(browser, e2e.bridge.url)).toBe(401);
      expect(await status(browser, second.url)).toBe(401);
      await second.sender.send('authSync', authBody([user('li.si')], { tenantId: 'acme', currentSyncTime: '20990101000000007' }));
    });
  });

  describe('upstream token renewal', () => {
    it('renews the access token before it expires while the session is used, once', async () => {
      const browser = await signIn('acme', 'zhang.san');
      const before = e2e.sim.stats().refreshCalls;
      clock.advance(7200_000 - 60_000); // one minute before the 2 h access token expires
      const results = await Promise.all([status(browser), status(browser), status(browser)]);
      expect(results).toEqual([200, 200, 200]);
      expect(e2e.sim.stats().refreshCalls - before).toBe(1);
      expect(await status(browser)).toBe(200);
      expect(e2e.sim.stats().refreshCalls - before).toBe(1);
    });

    it('a refused refresh (invalid_grant) ends the session', async () => {
      const browser = await signIn('acme', 'zhang.san');
      e2e.sim.revokeRefreshTokens('acme');
      clock.advance(7200_000);
      expect(await status(browser)).toBe(401);
    });

    it('an IdP that is down during renewal does not end the session', async () => {
      const browser = await signIn('acme', 'li.si');
      e2e.sim.faults.set('acme', { status500: true, endpoints: ['token'] });
      try {
        clock.advance(7200_000);
        expect(await status(browser)).toBe(200);
      } finally {
        e2e.sim.faults.clear('acme');
      }
    });
  });

  describe('timeouts are enforced server-side', () => {
    it('a session ends at the absolute timeout however active it is', async () => {
      const browser = await signIn('acme', 'li.si');
      clock.advance(12 * 3600_000 + 1000);
      expect(await status(browser)).toBe(401);
    });
  });

  describe('logout', () => {
    it('GET shows a confirmation form; POST ends the session and goes to the IdP logout, which returns to us', async () => {
      const browser = await signIn('acme', 'li.si');
      const confirm = await browser.go(`${e2e.bridge.url}/sso/logout`);
      expect(confirm.text).toContain('<form method="post" action="/sso/logout">');
      const out = await browser.go(`${e2e.bridge.url}/sso/logout`, { init: { method: 'POST' } });
      expect(out.hops.map((h) => new URL(h.url).pathname)).toEqual(['/sso/logout', '/idp/acme/api/v1/logout', '/sso/logged-out']);
      expect(new URL(out.hops[1]!.url).searchParams.get('redirect_url')).toBe(`${e2e.bridge.url}/sso/logged-out`);
      expect(out.text).toContain('You are signed out');
      expect(await status(browser)).toBe(401);
    });

    it('local logout does not depend on the IdP answering', async () => {
      const browser = await signIn('acme', 'li.si');
      e2e.sim.faults.set('acme', { hang: true, endpoints: ['logout'] });
      try {
        const res = await browser.request(`${e2e.bridge.url}/sso/logout`, { method: 'POST' });
        expect(res.status).toBe(302);
        expect(await status(browser)).toBe(401);
      } finally {
        e2e.sim.faults.clear('acme');
      }
    });

    it('a logout posted from another origin is refused and the session stays', async () => {
      const browser = await signIn('acme', 'li.si');
      const res = await browser.request(`${e2e.bridge.url}/sso/logout`, { method: 'POST', headers: { origin: 'https://evil.example.com' } });
      expect(res.status).toBe(403);
      expect(await status(browser)).toBe(200);
    });

    it('a CAS session logs out through the CAS logout', async () => {
      const browser = new TestBrowser();
      const service = `${e2e.bridge.url}/sso/cas?tenant=acme`;
      await browser.go(`${service}&ticket=${e2e.sim.issueTicket('acme', 'li.si', service)}`);
      const res = await browser.request(`${e2e.bridge.url}/sso/logout`, { method: 'POST' });
      expect(new URL(res.headers.get('location')!).pathname).toBe('/idp/acme/api/v1/cas/logout');
    });
  });
});

describe('idle timeout', () => {
  it('a session unused for SESSION_IDLE_TIMEOUT ends; one in use stays', async () => {
    const e2e = await startE2E({ bridge: { env: { SESSION_IDLE_TIMEOUT: '2s' } } });
    try {
      const idle = new TestBrowser();
      const busy = new TestBrowser();
      for (const b of [idle, busy]) await b.go(`${e2e.bridge.url}/sso/callback?code=${e2e.sim.issueCode('acme', 'li.si')}&tenant=acme`);
      for (let i = 0; i < 6; i++) {
        await new Promise((r) => setTimeout(r, 500));
        expect((await busy.request(`${e2e.bridge.url}/api/session`)).status).toBe(200);
      }
      expect((await idle.request(`${e2e.bridge.url}/api/session`)).status).toBe(401);
    } finally {
      await e2e.close();
    }
  });
});
