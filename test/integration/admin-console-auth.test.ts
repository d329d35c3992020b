/**
 * The console's cookie session as a door into the admin API, over real HTTP on a real Redis: the
 * token posted once, the cookie's attributes, the CSRF check on every call (this site only; the
 * double-submit token on every state-changing call), expiry, sign-out that kills copies of the
 * cookie, a changed ADMIN_TOKEN ending every console session, and the bearer path unchanged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createObservations, type Observation } from '../../src/shared/observations.js';
import { ADMIN_TOKEN, startBridge, type TestBridge } from '../support/bridge.js';
import { steppingClock } from '../support/time.js';

const EIGHT_HOURS = 8 * 3600_000;

describe('admin console sessions and CSRF', () => {
  let bridge: TestBridge;
  const clock = steppingClock();
  const seen: Observation[] = [];
  beforeAll(async () => {
    const observations = createObservations();
    observations.on((o) => seen.push(o));
    bridge = await startBridge({ backend: 'redis', clock, observations });
  });
  afterAll(() => bridge?.close());

  const post = (path: string, form: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(`${bridge.url}${path}`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin', ...headers }, body: new URLSearchParams(form).toString() });

  /** Signs in as the console's form does; answers the cookie pair and the page's CSRF token. */
  async function signIn(bridgeUrl = bridge.url): Promise<{ cookie: string; csrf: string; setCookie: string }> {
    const res = await fetch(`${bridgeUrl}/admin/sign-in?lang=en`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' }, body: `token=${encodeURIComponent(ADMIN_TOKEN)}` });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/admin?lang=en');
    const setCookie = res.headers.getSetCookie()[0]!;
    const cookie = setCookie.split(';')[0]!;
    const page = await (await fetch(`${bridgeUrl}/admin`, { headers: { cookie } })).text();
    const csrf = /<meta name="koobridge-csrf" content="([^"]+)">/.exec(page)![1]!;
    return { cookie, csrf, setCookie };
  }
  const call = (path: string, init: { method?: string; cookie: string; headers?: Record<string, string> }) =>
    fetch(`${bridge.url}/admin/api${path}`, { method: init.method ?? 'GET', headers: { cookie: init.cookie, 'sec-fetch-site': 'same-origin', ...init.headers } });
  const code = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

  it('signs in with the token into an HttpOnly, SameSite=Strict cookie that holds no token, for eight hours', async () => {
    const { setCookie, cookie } = await signIn();
    expect(setCookie).toMatch(/^koobridge-admin=[A-Za-z0-9_.-]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=28800$/);
    expect(cookie).not.toContain(ADMIN_TOKEN);
    expect(Buffer.from(cookie.split('=')[1]!.replace(/\./g, ''), 'base64url').toString('latin1')).not.toContain(ADMIN_TOKEN);
    expect(seen).toContainEqual(expect.objectContaining({ kind: 'admin_action', action: 'console_sign_in', outcome: 'success' }));
    expect((await call('/tenants', { cookie })).status).toBe(200);
    // Neither the token nor the cookie reaches the log.
    const logged = bridge.logs.join('\n');
    expect(logged).toContain('admin console signed in');
    expect(logged).not.toContain(ADMIN_TOKEN);
    expect(logged).not.toContain(cookie.split('=')[1]!);
  });

  it('refuses a wrong token with a readable 401 page and no cookie', async () => {
    const res = await post('/admin/sign-in?lang=en', { token: 'wrong-wrong-wrong-wrong-wrong' });
    expect(res.status).toBe(401);
    expect(res.headers.getSetCookie()).toEqual([]);
    expect(await res.text()).toContain('That token is not right. Check it and try again.');
    expect(seen).toContainEqual(expect.objectContaining({ kind: 'admin_action', action: 'console_sign_in', outcome: 'refused', reason: 'unauthorized' }));
  });

  it('refuses a sign-in posted from another site, even with the right token', async () => {
    for (const headers of [{ 'sec-fetch-site': 'cross-site' }, { 'sec-fetch-site': 'same-site' }, { 'sec-fetch-site': '', origin: 'https://evil.example' }] as Record<string, string>[]) {
      const res = await post('/admin/sign-in', { token: ADMIN_TOKEN }, headers);
      expect(res.status).toBe(403);
      expect(res.headers.getSetCookie()).toEqual([]);
    }
  });

  it('refuses a cookie-authenticated call from another site, reads included', async () => {
    const { cookie } = await signIn();
    for (const headers of [{ 'sec-fetch-site': 'cross-site' }, { 'sec-fetch-site': 'same-site' }, { 'sec-fetch-site': '', origin: 'http://127.0.0.1:1' }] as Record<string, string>[]) {
      const res = await call('/tenants', { cookie, headers });
      expect(res.status).toBe(403);
      expect(await code(res)).toBe('cross_origin_refused');
    }
  });

  it('needs the page’s CSRF token on every state-changing call', async () => {
    const { cookie, csrf } = await signIn();
    const path = '/tenants/acme/users/zhang.san/sessions';
    expect(await code(await call(path, { method: 'DELETE', cookie }))).toBe('cross_origin_refused');
    expect(await code(await call(path, { method: 'DELETE', cookie, headers: { 'x-koobridge-csrf': `${csrf}x` } }))).toBe('cross_origin_refused');
    const other = await signIn();
    expect(await code(await call(path, { method: 'DELETE', cookie, headers: { 'x-koobridge-csrf': other.csrf } }))).toBe('cross_origin_refused');
    const ok = await call(path, { method: 'DELETE', cookie, headers: { 'x-koobridge-csrf': csrf } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ revoked: 0 });
  });

  it('judges a request with an Authorization header by it alone: a cookie never rescues a wrong token', async () => {
    const { cookie } = await signIn();
    const res = await call('/tenants', { cookie, headers: { authorization: 'Bearer wrong-token-wrong-token-wrong' } });
    expect(res.status).toBe(401);
    expect((await bridge.admin('/tenants')).status).toBe(200);
  });

  it('refuses a tampered cookie, and the page sends it to sign in again', async () => {
    const { cookie } = await signIn();
    // Inside the last part, not its final character (whose padding bits a base64url decoder ignores).
    const at = cookie.length - 10;
    const tampered = `${cookie.slice(0, at)}${cookie[at] === 'A' ? 'B' : 'A'}${cookie.slice(at + 1)}`;
    expect(await code(await call('/tenants', { cookie: tampered }))).toBe('unauthorized');
    const page = await fetch(`${bridge.url}/admin?lang=en`, { redirect: 'manual', headers: { cookie: tampered } });
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/admin/sign-in?m=expired&lang=en');
  });

  it('ends a console session eight hours after sign-in', async () => {
    const { cookie } = await signIn();
    clock.advance(EIGHT_HOURS - 1000);
    expect((await call('/tenants', { cookie })).status).toBe(200);
    clock.advance(1000);
    expect(await code(await call('/tenants', { cookie }))).toBe('unauthorized');
  });

  it('signs out with the page’s token: the cookie is cleared and a copy of it no longer opens', async () => {
    const { cookie, csrf } = await signIn();
    expect((await post('/admin/sign-out', {}, { cookie })).status).toBe(403);
    const res = await post('/admin/sign-out?lang=en', { csrf }, { cookie });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/admin/sign-in?m=signed-out&lang=en');
    expect(res.headers.getSetCookie()[0]).toMatch(/^koobridge-admin=; Path=\/; HttpOnly; SameSite=Strict; Max-Age=0$/);
    expect(await code(await call('/tenants', { cookie }))).toBe('unauthorized');
    expect(seen).toContainEqual(expect.objectContaining({ kind: 'admin_action', action: 'console_sign_out', outcome: 'success' }));
  });

  it('a new ADMIN_TOKEN ends every console session signed in with the old one', async () => {
    const { cookie } = await signIn();
    const renewed = await startBridge({ backend: 'redis', prefix: bridge.prefix, clock, env: { ADMIN_TOKEN: 'a-brand-new-admin-token-0123456789' } });
    try {
      const res = await fetch(`${renewed.url}/admin/api/tenants`, { headers: { cookie, 'sec-fetch-site': 'same-origin' } });
      expect(res.status).toBe(401);
    } finally {
      await renewed.close();
    }
  });
});

describe('the admin console without ADMIN_TOKEN', () => {
  let bridge: TestBridge;
  beforeAll(async () => {
    bridge = await startBridge({ backend: 'memory', env: { ADMIN_TOKEN: '' } });
  });
  afterAll(() => bridge?.close());

  it('says it is off, offers no form, and the API stays disabled', async () => {
    for (const path of ['/admin', '/admin/sign-in']) {
      const res = await fetch(`${bridge.url}${path}?lang=en`, { redirect: 'manual' });
      expect(res.status).toBe(503);
      const html = await res.text();
      expect(html).toContain('The admin console is off: set ADMIN_TOKEN for this bridge to turn it on.');
      expect(html).not.toContain('<form');
    }
    const signIn = await fetch(`${bridge.url}/admin/sign-in`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' }, body: 'token=anything-at-all-0123456789' });
    expect(signIn.status).toBe(503);
    expect(signIn.headers.getSetCookie()).toEqual([]);
    expect((await bridge.admin('/tenants', { token: null })).body.error.code).toBe('admin_disabled');
  });
});
