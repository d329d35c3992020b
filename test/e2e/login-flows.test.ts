import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestBrowser } from '../support/browser.js';
import { startE2E, type E2E } from '../support/e2e.js';

const ALLOWED = 'http://app.acme.example.com/after-login';

describe('browser login through the KooGallery simulator', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E({ bridge: { env: { ALLOWED_RETURN_URLS: ALLOWED } } });
  });
  afterAll(() => e2e.close());

  const session = async (browser: TestBrowser, bridgeUrl = e2e.bridge.url) => {
    const res = await browser.request(`${bridgeUrl}/api/session`);
    return { status: res.status, body: (await res.json()) as any };
  };

  it('the landing page and sign-out confirmation speak the browser’s language; the session end is Beijing time with its zone', async () => {
    const zh = new TestBrowser({ acceptLanguage: 'zh-Hans-CN;q=0.8, fr;q=0.9' });
    const landed = await zh.go(`${e2e.bridge.url}/sso/callback?code=${e2e.sim.issueCode('acme', 'zhang.san')}&tenant=acme`);
    expect(landed.text).toContain('<html lang="zh-CN">');
    expect(landed.text).toContain('您已登录：Zhang San');
    expect(landed.text).toMatch(/<dt>登录最晚有效至<\/dt><dd>\d{4}年\d{1,2}月\d{1,2}日星期. \d{2}:\d{2}（北京时间，UTC\+8）<\/dd>/);
    expect(landed.text).not.toMatch(/\d{4}-\d{2}-\d{2}T/); // no ISO timestamp for people
    const confirm = await zh.go(`${e2e.bridge.url}/sso/logout`);
    expect(confirm.text).toContain('要退出登录吗？');
    expect(confirm.text).toContain('<button type="submit">退出登录</button><a class="button secondary"');
    const en = await zh.go(`${e2e.bridge.url}/sso/me?lang=en`);
    expect(en.text).toContain('Signed in as Zhang San');
    expect(en.text).toMatch(/\(China Standard Time, UTC\+8\)/);
  });

  it('unified login: /sso/login → KooGallery login page → callback with code and tenant → signed in', async () => {
    const browser = new TestBrowser();
    const start = await browser.go(`${e2e.bridge.url}/sso/login`, { stopAt: (u) => u.startsWith(e2e.simUrl) });
    expect(start.url).toBe(`${e2e.simUrl}/unified-login/?ind=UNOP&appId=app-koobridge-test`);
    const form = await browser.go(start.url);
    expect(form.status).toBe(200);
    const landed = await browser.postForm(`${e2e.simUrl}/unified-login/submit`, { tenant: 'acme', userName: 'zhang.san', password: 'any' });
    expect(landed.hops.map((h) => new URL(h.url).pathname)).toEqual(['/unified-login/submit', '/sso/callback', '/sso/me']);
    expect(landed.status).toBe(200);
    expect(landed.text).toContain('Signed in as Zhang San');
    const me = await session(browser);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      tenant: { id: 'acme', code: 'acme', name: 'Acme Trading Co.' },
      userName: 'zhang.san',
      name: 'Zhang San',
      role: 'admin',
      orgCode: 'acme-it',
      email: 'zhang.san@acme.example.com',
      loginMethod: 'oauth2',
    });
  });

  it('tenant IdP login (aPaaS OAuth2) with an allowed return_to lands on it', async () => {
    const browser = new TestBrowser();
    const toIdp = await browser.go(`${e2e.bridge.url}/sso/login?tenant=acme&return_to=${encodeURIComponent(ALLOWED)}`, { stopAt: (u) => u.startsWith(e2e.simUrl) });
    const authorize = new URL(toIdp.url);
    expect(authorize.pathname).toBe('/idp/acme/api/v1/oauth2/authorize');
    expect(authorize.searchParams.get('client_id')).toBe('acme-client-id');
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${e2e.bridge.url}/sso/callback`);
    expect(authorize.searchParams.get('response_type')).toBe('code');
    // Self-identifying: kb1.<random>.<MAC keyed from SECRET_KEYS> (login/callback/own-states.ts).
    expect(authorize.searchParams.get('state')).toMatch(/^kb1\.[A-Za-z0-9_-]{32}\.[A-Za-z0-9_-]{22}$/);
    const done = await browser.postForm(toIdp.url, { userName: 'li.si', password: 'x' }, { stopAt: (u) => u === ALLOWED });
    expect(done.url).toBe(ALLOWED);
    expect((await session(browser)).body).toMatchObject({ userName: 'li.si', role: 'user', tenant: { id: 'acme' } });
  });

  it('a workbench user already signed in at the IdP is not asked again', async () => {
    const browser = new TestBrowser();
    const first = await browser.go(`${e2e.bridge.url}/sso/login?tenant=acme`, { stopAt: (u) => u.startsWith(e2e.simUrl) });
    await browser.postForm(first.url, { userName: 'li.si', password: 'x' });
    const again = await browser.go(`${e2e.bridge.url}/sso/login?tenant=acme`);
    expect(again.hops.map((h) => new URL(h.url).pathname)).toEqual(['/sso/login', '/idp/acme/api/v1/oauth2/authorize', '/sso/callback', '/sso/me']);
  });

  it('CAS 3.0 login: service URL with tenant, ticket validated, session with method cas', async () => {
    const browser = new TestBrowser();
    const toIdp = await browser.go(`${e2e.bridge.url}/sso/login?tenant=globex&protocol=cas`, { stopAt: (u) => u.startsWith(e2e.simUrl) });
    const casLogin = new URL(toIdp.url);
    expect(casLogin.pathname).toBe('/idp/globex/api/v1/cas/login');
    expect(casLogin.searchParams.get('service')).toBe(`${e2e.bridge.url}/sso/cas?tenant=globex`);
    const done = await browser.postForm(toIdp.url, { userName: 'zhao.liu', password: 'x' });
    expect(done.hops.map((h) => new URL(h.url).pathname)).toEqual(['/idp/globex/api/v1/cas/login', '/sso/cas', '/sso/me']);
    expect((await session(browser)).body).toMatchObject({ userName: 'zhao.liu', loginMethod: 'cas', tenant: { id: 'globex', name: 'Globex Industries' } });
  });

  it('IdP-initiated login (workbench tile) is accepted and lands on the landing page, whatever the request asks', async () => {
    const browser = new TestBrowser();
    const code = e2e.sim.issueCode('acme', 'li.si');
    const done = await browser.go(`${e2e.bridge.url}/sso/callback?code=${code}&tenant=acme&return_to=${encodeURIComponent('https://evil.example.com/')}`);
    expect(new URL(done.url).pathname).toBe('/sso/me');
    expect((await session(browser)).body.userName).toBe('li.si');
  });

  it('IdP-initiated CAS login from the workbench (no login started by us) is accepted', async () => {
    const browser = new TestBrowser();
    const service = `${e2e.bridge.url}/sso/cas?tenant=acme`;
    const ticket = e2e.sim.issueTicket('acme', 'zhang.san', service);
    const done = await browser.go(`${service}&ticket=${ticket}`);
    expect(new URL(done.url).pathname).toBe('/sso/me');
    expect((await session(browser)).body).toMatchObject({ userName: 'zhang.san', loginMethod: 'cas' });
  });

  it('the callback also accepts tenant_id (the prose variant)', async () => {
    const browser = new TestBrowser();
    const code = e2e.sim.issueCode('globex', 'li.si');
    await browser.go(`${e2e.bridge.url}/sso/callback?code=${code}&tenant_id=globex`);
    expect((await session(browser)).body).toMatchObject({ userName: 'li.si', name: 'Li Si (Globex)', tenant: { id: 'globex' } });
  });

  it('forward-auth answers 200 with X-Koo headers (name URL-encoded) or 401', async () => {
    const browser = new TestBrowser();
    await browser.go(`${e2e.bridge.url}/sso/callback?code=${e2e.sim.issueCode('acme', 'zhang.san')}&tenant=acme`);
    const ok = await browser.request(`${e2e.bridge.url}/auth/check`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('x-koo-tenant')).toBe('acme');
    expect(ok.headers.get('x-koo-user')).toBe('zhang.san');
    expect(ok.headers.get('x-koo-role')).toBe('admin');
    expect(decodeURIComponent(ok.headers.get('x-koo-name')!)).toBe('Zhang San');
    const anonymous = await new TestBrowser().request(`${e2e.bridge.url}/auth/check`);
    expect(anonymous.status).toBe(401);
    expect((await new TestBrowser().request(`${e2e.bridge.url}/api/session`)).status).toBe(401);
  });

  it('the session cookie is HttpOnly and SameSite=Lax, and every login gets a new session id', async () => {
    const browser = new TestBrowser();
    const res1 = await browser.request(`${e2e.bridge.url}/sso/callback?code=${e2e.sim.issueCode('acme', 'li.si')}&tenant=acme`);
    const cookie = res1.headers.getSetCookie().find((c) => c.startsWith('koobridge='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    const first = browser.cookie(e2e.bridge.url, 'koobridge')!;
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await browser.request(`${e2e.bridge.url}/sso/callback?code=${e2e.sim.issueCode('acme', 'li.si')}&tenant=acme`);
    const second = browser.cookie(e2e.bridge.url, 'koobridge')!;
    expect(second).not.toBe(first);
    const stale = new TestBrowser();
    stale.setCookie(e2e.bridge.url, 'koobridge', first);
    expect((await stale.request(`${e2e.bridge.url}/api/session`)).status).toBe(401);
  });

  it('keeps upstream tokens out of the session API and the store in clear', async () => {
    const browser = new TestBrowser();
    await browser.go(`${e2e.bridge.url}/sso/callback?code=${e2e.sim.issueCode('acme', 'li.si')}&tenant=acme`);
    const me = await session(browser);
    expect(JSON.stringify(me.body)).not.toMatch(/token/i);
    const dump = JSON.stringify(await e2e.bridge.snapshot());
    expect(dump).not.toMatch(/"accessToken"|"refreshToken"|access_token/);
    expect(dump).not.toContain(browser.cookie(e2e.bridge.url, 'koobridge')!);
  });
});
