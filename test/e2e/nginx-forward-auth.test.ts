/**
 * The README's nginx forward-auth example, exactly as written there (only host and ports filled
 * in), run with Debian's nginx in front of a small upstream that echoes the headers it got.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestBrowser } from '../support/browser.js';
import { startE2E, type E2E } from '../support/e2e.js';
import { freePort, readmeNginxBlock, startNginx, type RunningNginx } from '../support/nginx.js';

describe('nginx forward-auth, as the README configures it', () => {
  let e2e: E2E;
  let nginx: RunningNginx;
  let upstream: Server;
  const requestsSeen: Record<string, string | string[] | undefined>[] = [];

  beforeAll(async () => {
    upstream = createServer((req, res) => {
      requestsSeen.push(req.headers);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ url: req.url, headers: req.headers }));
    }).listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => upstream.once('listening', resolve));
    const listen = await freePort();
    e2e = await startE2E({ bridge: { env: { TRUST_PROXY: '1', ALLOWED_RETURN_PREFIXES: `http://127.0.0.1:${listen}` } } });
    const config = readmeNginxBlock()
      .replaceAll('{{LISTEN}}', `127.0.0.1:${listen}`)
      .replaceAll('{{BRIDGE}}', e2e.bridge.url)
      .replaceAll('{{APP}}', `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`);
    expect(config).not.toMatch(/\{\{/);
    nginx = await startNginx(config, listen);
  }, 120_000);
  afterAll(async () => {
    await nginx?.close();
    await e2e?.close();
    await new Promise((r) => upstream?.close(r));
  });

  /** The bridge's session cookie of a browser signed in as this user of this tenant. */
  async function sessionCookie(tenant: string, userName: string): Promise<string> {
    const browser = new TestBrowser();
    const page = await browser.go(`${e2e.bridge.url}/sso/callback?code=${e2e.sim.issueCode(tenant, userName)}&tenant=${tenant}`);
    expect(page.status).toBe(200);
    return `koobridge=${browser.cookie(e2e.bridge.url, 'koobridge')}`;
  }
  const throughNginx = async (path: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${nginx.url}${path}`, { headers, redirect: 'manual' });
    return { status: res.status, location: res.headers.get('location'), body: res.status === 200 ? ((await res.json()) as { url: string; headers: Record<string, string> }) : null };
  };

  it('a signed-in browser reaches the app with tenant, user, role and name from the bridge', async () => {
    const res = await throughNginx('/orders/42?tab=items', { cookie: await sessionCookie('acme', 'zhang.san') });
    expect(res.status).toBe(200);
    expect(res.body!.url).toBe('/orders/42?tab=items');
    expect(res.body!.headers).toMatchObject({ 'x-koo-tenant': 'acme', 'x-koo-user': 'zhang.san', 'x-koo-role': 'admin', 'x-koo-name': 'Zhang%20San' });
  });

  it('li.si of acme and li.si of globex are told apart by the tenant forwarded with the user', async () => {
    const acme = await throughNginx('/', { cookie: await sessionCookie('acme', 'li.si') });
    const globex = await throughNginx('/', { cookie: await sessionCookie('globex', 'li.si') });
    expect([acme.body!.headers['x-koo-tenant'], acme.body!.headers['x-koo-user']]).toEqual(['acme', 'li.si']);
    expect([globex.body!.headers['x-koo-tenant'], globex.body!.headers['x-koo-user']]).toEqual(['globex', 'li.si']);
    expect(acme.body!.headers['x-koo-name']).not.toBe(globex.body!.headers['x-koo-name']);
  });

  it('identity headers the client sends never reach the app: the bridge’s values replace them, or nothing', async () => {
    const forged = { 'x-koo-role': 'admin', 'x-koo-tenant': 'globex', 'x-koo-user': 'zhao.liu', 'x-koo-product': 'gold', 'x-koo-subscription': 'active' };
    const res = await throughNginx('/', { ...forged, cookie: await sessionCookie('acme', 'li.si') });
    expect(res.status).toBe(200);
    expect(res.body!.headers).toMatchObject({ 'x-koo-tenant': 'acme', 'x-koo-user': 'li.si', 'x-koo-role': 'user' });
    expect(res.body!.headers['x-koo-product']).not.toBe('gold');
    expect(res.body!.headers['x-koo-subscription']).toBe('active');
    expect(requestsSeen.every((h) => h['x-koo-role'] !== 'admin' || h['x-koo-user'] === 'zhang.san')).toBe(true);
  });

  it('a signed-out browser gets no app page, and a client-sent role does not let it in', async () => {
    const before = requestsSeen.length;
    const res = await throughNginx('/admin', { 'x-koo-role': 'admin', 'x-koo-tenant': 'acme', 'x-koo-user': 'zhang.san' });
    expect(res.status).toBe(302);
    expect(requestsSeen.length).toBe(before);
  });

  it('not signed in: a 302 to the bridge’s sign-in that returns to the page asked for (deep link)', async () => {
    const res = await throughNginx('/reports/q3?from=2026-07-01&to=2026-09-30');
    expect(res.status).toBe(302);
    const login = new URL(res.location!);
    expect(`${login.origin}${login.pathname}`).toBe(`${e2e.bridge.url}/sso/login`);
    expect(login.searchParams.get('return_to')).toBe(`${nginx.url}/reports/q3?from=2026-07-01&to=2026-09-30`);
  });

  it('a sign-in started there comes back to that page', async () => {
    const deep = `${nginx.url}/reports/q3?from=2026-07-01&to=2026-09-30`;
    const { location } = await throughNginx('/reports/q3?from=2026-07-01&to=2026-09-30');
    const browser = new TestBrowser();
    const toIdp = await browser.go(location!.replace('/sso/login?', '/sso/login?tenant=acme&'), { stopAt: (url) => url.startsWith(e2e.simUrl) });
    const done = await browser.postForm(toIdp.url, { userName: 'li.si', password: 'x' }, { stopAt: (url) => url.startsWith(nginx.url) });
    expect(done.url).toBe(deep);
    // And there, with the bridge's cookie, the app sees li.si of acme.
    const res = await throughNginx('/reports/q3?from=2026-07-01&to=2026-09-30', { cookie: `koobridge=${browser.cookie(e2e.bridge.url, 'koobridge')}` });
    expect(res.body!.headers).toMatchObject({ 'x-koo-tenant': 'acme', 'x-koo-user': 'li.si' });
  });
});
