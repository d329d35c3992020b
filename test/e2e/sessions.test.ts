/**
 * Bridge sessions end to end. Every test that deprovisions, breaks or advances anything has a
 * tenant of its own (a copy of the demo's acme), so each stands alone and in any order; time is
 * moved forward on the bridge's clock instead of slept.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TENANTS } from '../../tools/simulator/demo-data.js';
import { createMemoryStore } from '../../src/store/memory.js';
import { APP_ID, authBody, user } from '../support/bridge.js';
import { TestBrowser } from '../support/browser.js';
import { closeAll } from '../support/cleanup.js';
import { demoTenantAs, startE2E, type E2E } from '../support/e2e.js';
import { steppingClock } from '../support/time.js';

/** The tenants of the tests below, one each (acme itself serves the tests that change nothing). */
const T = {
  deleteUser: 'sess-delete-user',
  cancel: 'sess-cancel',
  disable: 'sess-disable',
  adminRevoke: 'sess-admin-revoke',
  credentials: 'sess-credentials',
  deleteTenant: 'sess-delete-tenant',
  twoBridges: 'sess-two-bridges',
  renew: 'sess-renew',
  refused: 'sess-refused',
  idpDown: 'sess-idp-down',
  absolute: 'sess-absolute',
  logoutHang: 'sess-logout-hang',
} as const;

describe('sessions', () => {
  const clock = steppingClock();
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E({ bridge: { clock }, tenants: [...DEMO_TENANTS, ...Object.values(T).map((id) => demoTenantAs(id))] });
  });
  afterAll(() => e2e?.close());

  async function signIn(tenant: string, userName: string, bridgeUrl = e2e.bridge.url): Promise<TestBrowser> {
    const browser = new TestBrowser();
    const page = await browser.go(`${bridgeUrl}/sso/callback?code=${e2e.sim.issueCode(tenant, userName)}&tenant=${tenant}`);
    expect(page.status).toBe(200);
    return browser;
  }
  const status = async (browser: TestBrowser, bridgeUrl = e2e.bridge.url) => (await browser.request(`${bridgeUrl}/api/session`)).status;
  const authSync = async (tenantId: string, users: Record<string, unknown>[], over: Record<string, unknown>) =>
    expect((await e2e.bridge.sender.send('authSync', authBody(users, { tenantId, ...over }))).resultCode).toBe('000000');

  describe('deprovisioning takes effect at once', () => {
    it('authSync delete ends the user’s sessions (next request 401), not other users’', async () => {
      const liSi = await signIn(T.deleteUser, 'li.si');
      const zhang = await signIn(T.deleteUser, 'zhang.san');
      await authSync(T.deleteUser, [{ userName: 'li.si' }], { flag: 0, currentSyncTime: '20990101000000000' });
      expect(await status(liSi)).toBe(401);
      expect(await status(zhang)).toBe(200);
    });

    it('authSync cancel (flag 3) ends the sessions', async () => {
      const browser = await signIn(T.cancel, 'li.si');
      await authSync(T.cancel, [{ userName: 'li.si' }], { flag: 3, currentSyncTime: '20990101000000000' });
      expect(await status(browser)).toBe(401);
    });

    it('authSync enable "false" ends the sessions', async () => {
      const browser = await signIn(T.disable, 'li.si');
      await authSync(T.disable, [user('li.si', { enable: 'false' })], { flag: 2, currentSyncTime: '20990101000000000' });
      expect(await status(browser)).toBe(401);
    });

    it('the admin call DELETE …/users/:userName/sessions ends them on demand', async () => {
      const browser = await signIn(T.adminRevoke, 'zhang.san');
      const res = await e2e.bridge.admin(`/tenants/${T.adminRevoke}/users/zhang.san/sessions`, { method: 'DELETE' });
      expect(res.status).toBe(200);
      expect(res.body.revoked).toBe(1);
      expect(await status(browser)).toBe(401);
    });

    it('removing the tenant’s app credential ends every session of the tenant', async () => {
      const liSi = await signIn(T.credentials, 'li.si');
      const zhang = await signIn(T.credentials, 'zhang.san');
      expect((await e2e.bridge.sender.send('applicationSync', { tenantId: T.credentials, appId: APP_ID, flag: 0, testFlag: 0 })).resultCode).toBe('000000');
      expect(await status(liSi)).toBe(401);
      expect(await status(zhang)).toBe(401);
    });

    it('deleting the tenant ends every session of the tenant', async () => {
      const browser = await signIn(T.deleteTenant, 'zhang.san');
      expect((await e2e.bridge.sender.send('tenantSync', { tenantId: T.deleteTenant, flag: 0 })).resultCode).toBe('000000');
      expect(await status(browser)).toBe(401);
    });
  });

  describe('two bridge processes sharing one Redis behave as one', () => {
    it('a session made on one works on the other, and a deprovisioning sent to the other ends it', async () => {
      const second = await e2e.startSecondBridge();
      const browser = await signIn(T.twoBridges, 'li.si');
      // Cookies are per host:port in the test browser: carry the cookie over as a load balancer would.
      browser.setCookie(second.url, 'koobridge', browser.cookie(e2e.bridge.url, 'koobridge')!);
      expect(await status(browser, second.url)).toBe(200);
      const answer = await second.sender.send('authSync', authBody([{ userName: 'li.si' }], { tenantId: T.twoBridges, flag: 3, currentSyncTime: '20990101000000000' }));
      expect(answer.resultCode).toBe('000000');
      expect(await status(browser, e2e.bridge.url)).toBe(401);
      expect(await status(browser, second.url)).toBe(401);
    });
  });

  describe('upstream token renewal', () => {
    it('renews the access token before it expires while the session is used, once', async () => {
      const browser = await signIn(T.renew, 'zhang.san');
      const before = e2e.sim.stats().refreshCalls;
      clock.advance(7200_000 - 60_000); // one minute before the 2 h access token expires
      const results = await Promise.all([status(browser), status(browser), status(browser)]);
      expect(results).toEqual([200, 200, 200]);
      expect(e2e.sim.stats().refreshCalls - before).toBe(1);
      expect(await status(browser)).toBe(200);
      expect(e2e.sim.stats().refreshCalls - before).toBe(1);
    });

    it('a refused refresh (invalid_grant) ends the session', async () => {
      const browser = await signIn(T.refused, 'zhang.san');
      e2e.sim.revokeRefreshTokens(T.refused);
      clock.advance(7200_000);
      expect(await status(browser)).toBe(401);
    });

    it('an IdP that is down during renewal does not end the session', async () => {
      const browser = await signIn(T.idpDown, 'li.si');
      e2e.sim.faults.set(T.idpDown, { status500: true, endpoints: ['token'] });
      try {
        clock.advance(7200_000);
        expect(await status(browser)).toBe(200);
      } finally {
        e2e.sim.faults.clear(T.idpDown);
      }
    });
  });

  describe('timeouts are enforced server-side', () => {
    it('a session ends at the absolute timeout however active it is', async () => {
      const browser = await signIn(T.absolute, 'li.si');
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
      const browser = await signIn(T.logoutHang, 'li.si');
      e2e.sim.faults.set(T.logoutHang, { hang: true, endpoints: ['logout'] });
      try {
        const res = await browser.request(`${e2e.bridge.url}/sso/logout`, { method: 'POST' });
        expect(res.status).toBe(302);
        expect(await status(browser)).toBe(401);
      } finally {
        e2e.sim.faults.clear(T.logoutHang);
      }
    });

    it('a logout posted from another origin is refused and the session stays', async () => {
      const browser = await signIn('acme', 'li.si');
      const res = await browser.request(`${e2e.bridge.url}/sso/logout`, { method: 'POST', headers: { origin: 'https://evil.example.com' } });
      expect(res.status).toBe(403);
      expect(await status(browser)).toBe(200);
    });

    it('our own form in Chromium (Origin null under no-referrer, Sec-Fetch-Site same-origin) signs out', async () => {
      const browser = await signIn('acme', 'li.si');
      const res = await browser.request(`${e2e.bridge.url}/sso/logout`, { method: 'POST', headers: { origin: 'null', 'sec-fetch-site': 'same-origin' } });
      expect(res.status).toBe(302);
      expect(await status(browser)).toBe(401);
    });

    it('cross-site and same-site Fetch Metadata are refused even with our Origin or a valid token', async () => {
      const browser = await signIn('acme', 'li.si');
      const token = /name="token" value="([^"]+)"/.exec((await browser.go(`${e2e.bridge.url}/sso/logout`)).text)![1]!;
      for (const site of ['cross-site', 'same-site']) {
        const res = await browser.request(`${e2e.bridge.url}/sso/logout`, {
          method: 'POST',
          headers: { origin: e2e.bridge.url, 'sec-fetch-site': site, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ token }).toString(),
        });
        expect(res.status).toBe(403);
      }
      expect(await status(browser)).toBe(200);
    });

    it('Origin null without Fetch Metadata signs out only with the confirmation page\'s token', async () => {
      const browser = await signIn('acme', 'li.si');
      const post = (fields: Record<string, string>) =>
        browser.request(`${e2e.bridge.url}/sso/logout`, { method: 'POST', headers: { origin: 'null', 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
      expect((await post({})).status).toBe(403);
      expect((await post({ token: 'A'.repeat(43) })).status).toBe(403);
      expect(await status(browser)).toBe(200);
      const token = /name="token" value="([^"]+)"/.exec((await browser.go(`${e2e.bridge.url}/sso/logout`)).text)![1]!;
      // Another browser's token does not sign this one out.
      const other = await signIn('acme', 'li.si');
      const otherToken = /name="token" value="([^"]+)"/.exec((await other.go(`${e2e.bridge.url}/sso/logout`)).text)![1]!;
      expect((await post({ token: otherToken })).status).toBe(403);
      expect(await status(browser)).toBe(200);
      expect((await post({ token })).status).toBe(302);
      expect(await status(browser)).toBe(401);
      expect(await status(other)).toBe(200);
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
    // The idle deadline is the session key's TTL: on the memory store it runs on the same clock as
    // the bridge, so the test moves time instead of waiting for it.
    const clock = steppingClock();
    const store = createMemoryStore({ now: () => clock.now() });
    let e2e: E2E | undefined;
    try {
      e2e = await startE2E({ bridge: { backend: 'memory', store, clock, env: { SESSION_IDLE_TIMEOUT: '2s' } } });
      const idle = new TestBrowser();
      const busy = new TestBrowser();
      for (const b of [idle, busy]) await b.go(`${e2e.bridge.url}/sso/callback?code=${e2e.sim.issueCode('acme', 'li.si')}&tenant=acme`);
      for (let i = 0; i < 6; i++) {
        clock.advance(500);
        expect((await busy.request(`${e2e.bridge.url}/api/session`)).status).toBe(200);
      }
      expect((await idle.request(`${e2e.bridge.url}/api/session`)).status).toBe(401);
    } finally {
      await closeAll(() => e2e?.close(), () => store.close());
    }
  });
});
