import { request as httpRequest } from 'node:http';
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestBrowser } from '../support/browser.js';
import type { TestBridge } from '../support/bridge.js';
import { closeAll } from '../support/cleanup.js';
import { startE2E, type E2E } from '../support/e2e.js';
import { startRp, WEB_SECRET, type TestRp } from '../support/oidc-rp.js';
import { authorize, redeem, type AuthorizeResult } from './oidc-support.js';

describe('OpenID provider: single redemption across instances, nothing usable at rest, PUBLIC_URL only, upstream refusals reach the app, bounded cookies', () => {
  let rp: TestRp;
  let e2e: E2E;
  let second: TestBridge;
  let issuer: string;
  let web: client.Configuration;
  beforeAll(async () => {
    rp = await startRp();
    e2e = await startE2E({ bridge: { env: { OIDC_CLIENTS_FILE: rp.clientsFile } } });
    second = await e2e.startSecondBridge();
    issuer = `${e2e.bridge.url}/oidc`;
    web = await rp.config('web-app', issuer);
  });
  afterAll(() => closeAll(() => e2e?.close(), () => rp?.close()));

  async function signedIn(tenant = 'acme', userName = 'li.si'): Promise<TestBrowser> {
    const browser = new TestBrowser();
    await browser.go(`${e2e.bridge.url}/sso/callback?code=${e2e.sim.issueCode(tenant, userName)}&tenant=${tenant}`);
    return browser;
  }
  const codeFor = async (): Promise<AuthorizeResult> =>
    authorize(await signedIn(), web, { redirectUri: `${rp.url}/callback`, simUrl: e2e.simUrl, params: { prompt: 'consent' } });

  /** One raw token request, so every answer is counted whatever issuer the answering instance names. */
  async function tokenRequest(bridgeUrl: string, r: AuthorizeResult): Promise<number> {
    const res = await fetch(`${bridgeUrl}/oidc/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`web-app:${WEB_SECRET}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: r.callbackUrl.searchParams.get('code')!, redirect_uri: `${rp.url}/callback`, code_verifier: r.verifier }).toString(),
    });
    const body = (await res.json()) as { access_token?: string; id_token?: string; error?: string };
    if (res.status === 200) expect(body.id_token).toBeDefined();
    else expect(body.error).toBe('invalid_grant');
    return res.status;
  }

  it('a code redeemed 20 times in parallel on two instances yields exactly one token answer, trial after trial', async () => {
    const TRIALS = 10;
    const PARALLEL = 20;
    for (let trial = 0; trial < TRIALS; trial++) {
      const r = await codeFor();
      const statuses = await Promise.all(Array.from({ length: PARALLEL }, (_, i) => tokenRequest(i % 2 === 0 ? e2e.bridge.url : second.url, r)));
      expect({ trial, answers: statuses.filter((s) => s === 200).length }).toEqual({ trial, answers: 1 });
    }
  });

  it('a code replayed after revocation of its grant stays consumed: a late redeemer gets invalid_grant', async () => {
    const r = await codeFor();
    expect(await tokenRequest(e2e.bridge.url, r)).toBe(200);
    // The replay revokes the grant (records and index entries)…
    expect(await tokenRequest(second.url, r)).toBe(400);
    // …and a redeemer still holding the code gets nothing either.
    expect(await tokenRequest(e2e.bridge.url, r)).toBe(400);
  });

  it('a Redis dump holds neither the access token, the refresh token, the code, nor any of their ids', async () => {
    const r = await codeFor();
    const tokens = await redeem(web, r);
    const refreshed = await client.refreshTokenGrant(web, tokens.refresh_token!);
    const dump = JSON.stringify(await e2e.bridge.snapshot());
    const secrets = {
      code: r.callbackUrl.searchParams.get('code')!,
      accessToken: tokens.access_token,
      refreshToken: tokens.refresh_token!,
      refreshedAccessToken: refreshed.access_token,
      refreshedRefreshToken: refreshed.refresh_token!,
    };
    // Opaque tokens are their own id (`jti`), so these strings are the ids as well.
    for (const [name, value] of Object.entries(secrets)) expect({ name, found: dump.includes(value) }).toEqual({ name, found: false });
    expect(dump).not.toMatch(/"jti\\?"/);
    // The tokens still work: what is stored is sealed, not lost.
    expect(await client.tokenIntrospection(web, refreshed.access_token)).toMatchObject({ active: true });
  });

  it('discovery publishes endpoints under PUBLIC_URL whatever Host header the request carries', async () => {
    const meta = await new Promise<Record<string, unknown>>((resolve, reject) => {
      const url = new URL(`${e2e.bridge.url}/oidc/.well-known/openid-configuration`);
      const req = httpRequest({ host: url.hostname, port: url.port, path: url.pathname, headers: { host: 'evil.example.com', 'x-forwarded-host': 'evil.example.com', 'x-forwarded-proto': 'https' } }, (res) => {
        let body = '';
        res.on('data', (c) => (body += String(c)));
        res.on('end', () => resolve(JSON.parse(body) as Record<string, unknown>));
      });
      req.on('error', reject);
      req.end();
    });
    expect(meta.issuer).toBe(issuer);
    const urls = Object.entries(meta).filter(([k, v]) => typeof v === 'string' && (k.endsWith('_endpoint') || k === 'jwks_uri'));
    expect(urls.length).toBeGreaterThan(4);
    for (const [name, value] of urls) expect({ name, value }).toEqual({ name, value: expect.stringMatching(new RegExp(`^${issuer.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/`)) });
  });

  it.each([
    ['the unified login page', {}],
    ['the tenant IdP (with its state)', { tenant: 'acme' }],
  ])('an upstream error=access_denied during an OpenID sign-in at %s reaches the app as error=access_denied', async (_, params) => {
    const browser = new TestBrowser();
    const url = client.buildAuthorizationUrl(web, { redirect_uri: `${rp.url}/callback`, scope: 'openid', state: 'app-state', ...params });
    const atSim = await browser.go(url.href, { stopAt: (u) => u.startsWith(e2e.simUrl) });
    expect(atSim.url.startsWith(e2e.simUrl)).toBe(true);
    const state = new URL(atSim.url).searchParams.get('state');
    // What the unified login or the tenant IdP sends back when the user refuses.
    const back = new URLSearchParams({ error: 'access_denied', error_description: 'the user cancelled', ...(state ? { state } : {}), ...('tenant' in params ? { tenant: 'acme' } : {}) });
    const page = await browser.go(`${e2e.bridge.url}/sso/callback?${back.toString()}`, { stopAt: (u) => u.startsWith(`${rp.url}/callback`) });
    expect(page.url.startsWith(`${rp.url}/callback`)).toBe(true);
    const answer = new URL(page.url).searchParams;
    expect(answer.get('error')).toBe('access_denied');
    expect(answer.get('state')).toBe('app-state');
    expect(answer.get('iss')).toBe(issuer);
  });

  it('an upstream error with a state this browser was not given ends on the bridge page, never at the app', async () => {
    const browser = new TestBrowser();
    const url = client.buildAuthorizationUrl(web, { redirect_uri: `${rp.url}/callback`, scope: 'openid', tenant: 'acme' });
    await browser.go(url.href, { stopAt: (u) => u.startsWith(e2e.simUrl) });
    const page = await browser.go(`${e2e.bridge.url}/sso/callback?error=access_denied&tenant=acme&state=forged`, { stopAt: (u) => u.startsWith(rp.url) });
    expect(page.url.startsWith(rp.url)).toBe(false);
    // The bridge's refusal page for an upstream error (login_refused_upstream).
    expect(page.status).toBe(403);
  });

  it('an older sign-in tab coming back after a newer one started is asked to start again', async () => {
    const browser = new TestBrowser();
    const start = (state: string) => browser.go(client.buildAuthorizationUrl(web, { redirect_uri: `${rp.url}/callback`, scope: 'openid', state }).href, { stopAt: (u) => u.startsWith(e2e.simUrl) });
    const older = (await start('older')).hops.find((h) => h.url.includes('/oidc/interaction/'))!.url;
    await start('newer');
    const page = await browser.go(older, { stopAt: (u) => u.startsWith(e2e.simUrl) || u.startsWith(rp.url) });
    expect(page.status).toBe(400);
    expect(page.text).toContain('This sign-in has expired');
  });

  it('30 authorization requests leave a bounded number of cookies in the browser (path-scoped interaction cookies replace each other)', async () => {
    // A jar keyed by name and path, as browsers keep cookies (TestBrowser keys by name only).
    const jar = new Map<string, string>();
    for (let i = 0; i < 30; i++) {
      const url = client.buildAuthorizationUrl(web, { redirect_uri: `${rp.url}/callback`, scope: 'openid', state: `s${i}` });
      const res = await fetch(url, { redirect: 'manual' });
      expect(res.status).toBe(303);
      for (const line of res.headers.getSetCookie()) {
        const [pair, ...attrs] = line.split(';').map((s) => s.trim());
        const name = pair!.slice(0, pair!.indexOf('='));
        const value = pair!.slice(pair!.indexOf('=') + 1);
        const path = attrs.find((a) => /^path=/i.test(a))?.slice(5) ?? '/';
        const gone = value === '' || attrs.some((a) => /^max-age=0$/i.test(a) || (/^expires=/i.test(a) && Date.parse(a.slice(8)) < Date.now()));
        if (gone) jar.delete(`${name}@${path}`);
        else jar.set(`${name}@${path}`, value);
      }
    }
    expect(jar.size).toBeLessThanOrEqual(4);
  });
});
