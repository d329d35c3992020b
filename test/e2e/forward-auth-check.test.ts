/** /auth/check's refusals: logged at info with the reason (never the cookie), the caller's request id echoed, the sign-in address named. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBridge, type TestBridge } from '../support/bridge.js';

describe('/auth/check refusals', () => {
  let bridge: TestBridge;
  beforeAll(async () => {
    bridge = await startBridge({ backend: 'memory', env: { TRUST_PROXY: '1', ALLOWED_RETURN_PREFIXES: 'https://app.example.com' } });
  });
  afterAll(() => bridge?.close());

  it('a refusal is logged at info with its reason and the incoming X-Request-Id, which is echoed; never the cookie', async () => {
    const res = await fetch(`${bridge.url}/auth/check`, { headers: { cookie: 'koobridge=not-a-session-0123456789', 'x-request-id': 'nginx-req-0001' } });
    expect(res.status).toBe(401);
    expect(res.headers.get('x-request-id')).toBe('nginx-req-0001');
    const line = bridge.logs.map((l) => JSON.parse(l)).find((l) => l.reqId === 'nginx-req-0001');
    expect(line).toMatchObject({ level: 'info', msg: 'forward-auth refused', reason: 'no live session for the cookie', status: 401 });
    expect(bridge.logs.join('\n')).not.toContain('not-a-session-0123456789');
  });

  it('a request id that is not plain is replaced, not echoed', async () => {
    const res = await fetch(`${bridge.url}/auth/check`, { headers: { 'x-request-id': 'a b<script>' } });
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(bridge.logs.some((l) => l.includes('"reason":"no session cookie"'))).toBe(true);
  });

  it('names the sign-in address returning to the page Traefik says was asked for; redirect=1 sends the browser there', async () => {
    const traefik = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'app.example.com', 'x-forwarded-uri': '/deep/page?a=1&b=2' };
    const expected = `${bridge.url}/sso/login?return_to=${encodeURIComponent('https://app.example.com/deep/page?a=1&b=2')}`;
    expect((await fetch(`${bridge.url}/auth/check`, { headers: traefik })).headers.get('x-koo-login')).toBe(expected);
    const redirected = await fetch(`${bridge.url}/auth/check?redirect=1`, { headers: traefik, redirect: 'manual' });
    expect([redirected.status, redirected.headers.get('location')]).toEqual([302, expected]);
  });

  it('a page not on the allow-list, or a proxy-named URL that tricks, gives the plain sign-in address', async () => {
    for (const url of ['https://evil.example.com/', 'https://app.example.com.evil.com/', 'https://app.example.com@evil.com/', '//evil.com/']) {
      const res = await fetch(`${bridge.url}/auth/check`, { headers: { 'x-original-url': url } });
      expect(res.headers.get('x-koo-login')).toBe(`${bridge.url}/sso/login`);
    }
  });
});
