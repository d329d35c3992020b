import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authBody, user } from '../support/bridge.js';
import { TestBrowser } from '../support/browser.js';
import { DEMO_TENANTS } from '../../tools/simulator/demo-data.js';
import { demoTenantAs, startE2E, type E2E } from '../support/e2e.js';

/** Tenants of the tests that change who is authorized (copies of acme), one each. */
const T = { withdrawn: 'refusal-withdrawn', reauthorized: 'refusal-reauthorized' } as const;

describe('refused logins get a readable page with the right status, and no session', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E({ tenants: [...DEMO_TENANTS, ...Object.values(T).map((id) => demoTenantAs(id))] });
  });
  afterAll(() => e2e?.close());

  const noSession = async (browser: TestBrowser) => expect((await browser.request(`${e2e.bridge.url}/api/session`)).status).toBe(401);
  const callback = (query: string) => `${e2e.bridge.url}/sso/callback?${query}`;
  const sync = async (body: Record<string, unknown>) => expect((await e2e.bridge.sender.send('authSync', body)).resultCode).toBe('000000');

  it('a replayed callback never redeems a code twice', async () => {
    const url = callback(`code=${e2e.sim.issueCode('acme', 'li.si')}&tenant=acme`);
    expect((await new TestBrowser().go(url)).status).toBe(200);
    const calls = e2e.sim.stats().tokenCalls;
    const replay = await new TestBrowser().go(url);
    expect(replay.status).toBe(400);
    expect(replay.text).toContain('already used');
    expect(replay.headers.get('content-type')).toMatch(/text\/html/);
    expect(e2e.sim.stats().tokenCalls).toBe(calls);
  });

  it('a forged state is refused', async () => {
    const browser = new TestBrowser();
    await browser.go(`${e2e.bridge.url}/sso/login?tenant=acme`, { stopAt: (u) => u.startsWith(e2e.simUrl) });
    const page = await browser.go(callback(`code=${e2e.sim.issueCode('acme', 'li.si')}&tenant=acme&state=forged-state-value`));
    expect(page.status).toBe(400);
    expect(page.text).toContain('This sign-in has expired');
    await noSession(browser);
  });

  it('a state reused after its login completed is refused', async () => {
    const browser = new TestBrowser();
    const toIdp = await browser.go(`${e2e.bridge.url}/sso/login?tenant=acme`, { stopAt: (u) => u.startsWith(e2e.simUrl) });
    const back = await browser.postForm(toIdp.url, { userName: 'li.si', password: 'x' }, { stopAt: (u) => u.includes('/sso/callback') });
    const state = new URL(back.url).searchParams.get('state')!;
    await browser.go(back.url);
    const other = new TestBrowser();
    const reuse = await other.go(callback(`code=${e2e.sim.issueCode('acme', 'li.si')}&tenant=acme&state=${state}`));
    expect(reuse.status).toBe(400);
    await noSession(other);
  });

  it('a state started for one tenant cannot complete for another', async () => {
    const browser = new TestBrowser();
    const toIdp = await browser.go(`${e2e.bridge.url}/sso/login?tenant=acme`, { stopAt: (u) => u.startsWith(e2e.simUrl) });
    const state = new URL(toIdp.url).searchParams.get('state')!;
    const page = await browser.go(callback(`code=${e2e.sim.issueCode('globex', 'li.si')}&tenant=globex&state=${state}`));
    expect(page.status).toBe(403);
    expect(page.text).toContain('Organization mismatch');
    await noSession(browser);
  });

  it.each([
    ['an absolute foreign URL', 'https://evil.example.com/'],
    ['a scheme-relative URL', '//evil.example.com/'],
    ['a javascript: URL', 'javascript:alert(1)'],
    ['a bridge path not on the list', '/admin/api/tenants'],
  ])('an open-redirect attempt with %s is ignored: the login lands on the landing page', async (_, target) => {
    const browser = new TestBrowser();
    const toIdp = await browser.go(`${e2e.bridge.url}/sso/login?tenant=acme&return_to=${encodeURIComponent(target)}`, { stopAt: (u) => u.startsWith(e2e.simUrl) });
    const done = await browser.postForm(toIdp.url, { userName: 'li.si', password: 'x' });
    expect(done.url).toBe(`${e2e.bridge.url}/sso/me`);
  });

  it('a user disabled in authSync (enable false) is refused with 403', async () => {
    const browser = new TestBrowser();
    const page = await browser.go(callback(`code=${e2e.sim.issueCode('acme', 'wang.wu')}&tenant=acme`));
    expect(page.status).toBe(403);
    expect(page.text).toContain('disabled');
    await noSession(browser);
  });

  it('a user whose authorization was cancelled, or who was never authorized, is refused with 403', async () => {
    const tenant = T.withdrawn;
    await sync(authBody([{ userName: 'zhang.san' }], { tenantId: tenant, flag: 3, currentSyncTime: '20991231000000000' }));
    const cancelled = await new TestBrowser().go(callback(`code=${e2e.sim.issueCode(tenant, 'zhang.san')}&tenant=${tenant}`));
    expect(cancelled.status).toBe(403);
    expect(cancelled.text).toContain('withdrawn');
    await sync(authBody([{ userName: 'li.si' }], { tenantId: tenant, flag: 0, currentSyncTime: '20991231000000000' }));
    const absent = await new TestBrowser().go(callback(`code=${e2e.sim.issueCode(tenant, 'li.si')}&tenant=${tenant}`));
    expect(absent.status).toBe(403);
    expect(absent.text).toContain('You are not authorized for this application');
  });

  it('an unknown tenant gets a 404 page', async () => {
    const page = await new TestBrowser().go(`${e2e.bridge.url}/sso/login?tenant=initech`);
    expect(page.status).toBe(404);
    expect(page.text).toContain('Unknown organization');
  });

  it('a malformed tenant gets a 400 page saying the link is damaged, never the field message', async () => {
    const bad = await new TestBrowser().go(`${e2e.bridge.url}/sso/login?tenant=${encodeURIComponent('a{b}')}`);
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('This sign-in link is incomplete or damaged');
    expect(bad.text).not.toContain('is not a valid tenant id');
  });

  it('a refusal page speaks Chinese to a Chinese browser and English to an English one, in plain words', async () => {
    const url = `${e2e.bridge.url}/sso/login?tenant=${encodeURIComponent('a{b}')}`;
    const zh = await new TestBrowser({ acceptLanguage: 'zh-CN,zh;q=0.9,en;q=0.8' }).go(url);
    expect(zh.status).toBe(400);
    expect(zh.headers.get('content-language')).toBe('zh-CN');
    expect(zh.text).toContain('<html lang="zh-CN">');
    expect(zh.text).toContain('这个登录链接不完整或已损坏');
    expect(zh.text).toContain('重新登录');
    expect(zh.text).not.toContain('This sign-in link');
    const en = await new TestBrowser({ acceptLanguage: 'en-US,en;q=0.9,zh-CN;q=0.5' }).go(url);
    expect(en.headers.get('content-language')).toBe('en');
    expect(en.text).toContain('<html lang="en">');
    expect(en.text).toContain('This sign-in link is incomplete or damaged');
    expect(en.text).not.toContain('这个登录链接');
    for (const page of [zh, en]) {
      expect(page.text).not.toContain('is not a valid tenant id');
      expect(page.text).not.toContain('tenant:');
    }
  });

  it('a callback without a code (a bookmarked or stripped URL) starts a login instead of a 400, keeping its tenant', async () => {
    const browser = new TestBrowser();
    const nocode = await browser.go(callback('tenant=acme'), { stopAt: (u) => u.startsWith(e2e.simUrl) });
    expect(nocode.hops.map((h) => new URL(h.url).pathname)).toEqual(['/sso/callback', '/sso/login']);
    expect(new URL(nocode.url).pathname).toBe('/idp/acme/api/v1/oauth2/authorize');
    const done = await browser.postForm(nocode.url, { userName: 'li.si', password: 'x' });
    expect(new URL(done.url).pathname).toBe('/sso/me');
    const bare = await new TestBrowser().go(`${e2e.bridge.url}/sso/callback`, { stopAt: (u) => u.startsWith(e2e.simUrl) });
    expect(new URL(bare.url).pathname).toBe('/unified-login/');
  });

  it('a CAS callback without a tenant gets a 400 page saying in plain words what is missing', async () => {
    for (const query of ['ticket=ST-1-abc', '']) {
      const page = await new TestBrowser().go(`${e2e.bridge.url}/sso/cas${query ? `?${query}` : ''}`);
      expect(page.status).toBe(400);
      // People read what to do; the operator's hint (which service URL to register) is in the log.
      expect(page.text).toContain('This sign-in link is incomplete or damaged');
      expect(page.text).toContain('workbench');
      expect(e2e.bridge.logs.join('\n')).toContain(`${e2e.bridge.url}/sso/cas?tenant=`);
    }
  });

  it('an error answered by the IdP (user refused consent) gets a 403 page', async () => {
    const page = await new TestBrowser().go(callback('error=access_denied&tenant=acme'));
    expect(page.status).toBe(403);
    expect(page.text).toContain('Sign-in was not completed');
    expect(page.text).toContain('login_refused_upstream');
  });

  it('an IdP that hangs gets a 502 page within the IdP timeout, and no session', async () => {
    e2e.sim.faults.set('acme', { hang: true, endpoints: ['token'] });
    try {
      const browser = new TestBrowser();
      const started = Date.now();
      const page = await browser.go(callback(`code=${e2e.sim.issueCode('acme', 'li.si')}&tenant=acme`));
      expect(page.status).toBe(502);
      expect(page.text).toContain('unavailable');
      expect(Date.now() - started).toBeLessThan(5_000);
      await noSession(browser);
    } finally {
      e2e.sim.faults.clear('acme');
    }
  });

  it('an IdP answering 500, or malformed JSON, gets a 502 page', async () => {
    for (const fault of [{ status500: true }, { malformedJson: true }]) {
      e2e.sim.faults.set('acme', fault);
      try {
        const page = await new TestBrowser().go(callback(`code=${e2e.sim.issueCode('acme', 'li.si')}&tenant=acme`));
        expect(page.status).toBe(502);
        expect(page.text).not.toMatch(/at .*\.ts:\d+/); // no stack trace
      } finally {
        e2e.sim.faults.clear('acme');
      }
    }
  });

  it('an invalid CAS ticket and a ticket for another service are refused', async () => {
    const invalid = await new TestBrowser().go(`${e2e.bridge.url}/sso/cas?tenant=acme&ticket=ST-not-issued`);
    expect(invalid.status).toBe(400);
    const foreign = e2e.sim.issueTicket('acme', 'li.si', 'https://another-app.example.com/cas');
    const mismatch = await new TestBrowser().go(`${e2e.bridge.url}/sso/cas?tenant=acme&ticket=${foreign}`);
    expect(mismatch.status).toBe(400);
    expect(mismatch.text).toContain('does not belong here');
  });

  it('with KOO_IDP_INITIATED=0 a login we did not start is refused', async () => {
    const strict = await startE2E({ bridge: { env: { KOO_IDP_INITIATED: '0' } } });
    try {
      const page = await new TestBrowser().go(`${strict.bridge.url}/sso/callback?code=${strict.sim.issueCode('acme', 'li.si')}&tenant=acme`);
      expect(page.status).toBe(403);
      expect(page.text).toContain('started from the application');
    } finally {
      await strict.close();
    }
  });

  it('a re-authorized user can sign in again', async () => {
    const tenant = T.reauthorized;
    await sync(authBody([{ userName: 'li.si' }], { tenantId: tenant, flag: 0, currentSyncTime: '20991231000000000' }));
    const refused = await new TestBrowser().go(callback(`code=${e2e.sim.issueCode(tenant, 'li.si')}&tenant=${tenant}`));
    expect(refused.status).toBe(403);
    await sync(authBody([user('li.si')], { tenantId: tenant, currentSyncTime: '20991231000000001' }));
    const page = await new TestBrowser().go(callback(`code=${e2e.sim.issueCode(tenant, 'li.si')}&tenant=${tenant}`));
    expect(page.status).toBe(200);
  });
});
