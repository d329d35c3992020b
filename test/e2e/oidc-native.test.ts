/**
 * Native and desktop apps (spec §7 flow 5, RFC 8252), with openid-client as the app:
 *  - through the system browser: loopback redirect on any port, a reverse-domain scheme, PKCE;
 *  - through a WebView: the app hands the KooGallery code + tenant it caught to the token endpoint
 *    (grant urn:koobridge:params:oauth:grant-type:koogallery-code) for the bridge's own tokens.
 */
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authBody } from '../support/bridge.js';
import { TestBrowser } from '../support/browser.js';
import { DEMO_TENANTS } from '../../tools/simulator/demo-data.js';
import { demoTenantAs, startE2E, type E2E } from '../support/e2e.js';
import { startRp, type TestRp } from '../support/oidc-rp.js';
import { freePort } from '../support/redis.js';
import { closeAll } from '../support/cleanup.js';
import { KOOGALLERY_CODE_GRANT } from '../../src/oidc/grant-type-names.js';
import { authorize, redeem } from './oidc-support.js';

const FROZEN = 'native-frozen';
const WITHDRAWN = 'native-withdrawn';
const DEPROVISIONED = 'native-deprovisioned';

describe('native apps', () => {
  let rp: TestRp;
  let e2e: E2E;
  let issuer: string;
  let desktop: client.Configuration;
  beforeAll(async () => {
    rp = await startRp();
    e2e = await startE2E({ bridge: { env: { OIDC_CLIENTS_FILE: rp.clientsFile } }, tenants: [...DEMO_TENANTS, demoTenantAs(FROZEN), demoTenantAs(WITHDRAWN), demoTenantAs(DEPROVISIONED)] });
    issuer = `${e2e.bridge.url}/oidc`;
    desktop = await rp.config('desktop', issuer);
  });
  afterAll(() => closeAll(() => e2e?.close(), () => rp?.close()));

  /** The WebView exchange, as a native app posts it. */
  const exchange = (cfg: client.Configuration, params: Record<string, string>) => client.genericGrantRequest(cfg, KOOGALLERY_CODE_GRANT, params);
  const refusedWith = async (call: Promise<unknown>, error: string, description?: RegExp) => {
    const err = await call.then(() => null, (e: unknown) => e as client.ResponseBodyError);
    expect(err, 'the exchange should be refused').toBeInstanceOf(client.ResponseBodyError);
    expect(err!.error).toBe(error);
    if (description) expect(err!.error_description).toMatch(description);
  };

  describe('through the system browser (RFC 8252)', () => {
    it('a loopback redirect URI registered without a port matches the port the app listens on', async () => {
      const redirectUri = `http://127.0.0.1:${await freePort()}/callback`;
      const r = await authorize(new TestBrowser(), desktop, { redirectUri, simUrl: e2e.simUrl, login: { tenant: 'acme', userName: 'li.si' }, params: { tenant: 'acme', prompt: 'consent' } });
      const tokens = await redeem(desktop, r);
      expect(tokens.claims()).toMatchObject({ aud: 'desktop', tenant_id: 'acme', preferred_username: 'li.si' });
      expect(tokens.refresh_token).toBeDefined();
    });

    it('a reverse-domain private-use scheme receives the code', async () => {
      const r = await authorize(new TestBrowser(), desktop, { redirectUri: 'com.example.desktop:/callback', simUrl: e2e.simUrl, login: { tenant: 'acme', userName: 'li.si' }, params: { tenant: 'acme' } });
      expect(r.callbackUrl.protocol).toBe('com.example.desktop:');
      expect((await redeem(desktop, r)).claims()?.preferred_username).toBe('li.si');
    });

    it('PKCE is required: an authorization request without code_challenge is refused', async () => {
      const redirectUri = `http://127.0.0.1:${await freePort()}/callback`;
      const r = await authorize(new TestBrowser(), desktop, { redirectUri, simUrl: e2e.simUrl, pkce: false });
      expect(r.callbackUrl.searchParams.get('error')).toBe('invalid_request');
      expect(r.callbackUrl.searchParams.get('error_description')).toMatch(/PKCE|code_challenge/);
    });

    it('a loopback redirect on another path is refused', async () => {
      const bad = `http://127.0.0.1:${await freePort()}/elsewhere`;
      const page = await new TestBrowser().go(client.buildAuthorizationUrl(desktop, { redirect_uri: bad, scope: 'openid', code_challenge: 'x'.repeat(43), code_challenge_method: 'S256' }).href, { stopAt: (u) => u.startsWith(bad) });
      expect(page.url.startsWith(bad)).toBe(false);
      expect(page.status).toBe(400);
    });
  });

  describe('through a WebView: the KooGallery code exchanged at the token endpoint', () => {
    it('issues the bridge’s ID, access and refresh tokens for the user; userinfo and refresh work', async () => {
      const tokens = await exchange(desktop, { code: e2e.sim.issueCode('acme', 'zhang.san'), tenant: 'acme', scope: 'openid profile email tenant offline_access' });
      expect(tokens.claims()).toMatchObject({ iss: issuer, aud: 'desktop', sub: expect.stringMatching(/^acme\./), tenant_id: 'acme', preferred_username: 'zhang.san', name: 'Zhang San' });
      expect(tokens.refresh_token).toBeDefined();
      const info = await client.fetchUserInfo(desktop, tokens.access_token, tokens.claims()!.sub);
      expect(info).toMatchObject({ preferred_username: 'zhang.san', email: 'zhang.san@acme.example.com' });
      const refreshed = await client.refreshTokenGrant(desktop, tokens.refresh_token!);
      expect(refreshed.access_token).not.toBe(tokens.access_token);
    });

    it('without offline_access no refresh token is issued', async () => {
      const tokens = await exchange(desktop, { code: e2e.sim.issueCode('acme', 'li.si'), tenant: 'acme' });
      expect(tokens.refresh_token).toBeUndefined();
      expect(tokens.claims()?.sub).toMatch(/^acme\./);
    });

    it('a code is exchanged once: the second exchange is refused with invalid_grant and never reaches the IdP', async () => {
      const code = e2e.sim.issueCode('acme', 'li.si');
      await exchange(desktop, { code, tenant: 'acme' });
      const calls = e2e.sim.stats().tokenCalls;
      await refusedWith(exchange(desktop, { code, tenant: 'acme' }), 'invalid_grant', /already used/);
      expect(e2e.sim.stats().tokenCalls).toBe(calls);
    });

    it('an unknown tenant is refused with invalid_grant', async () => {
      await refusedWith(exchange(desktop, { code: 'whatever-code', tenant: 'no-such-tenant' }), 'invalid_grant');
    });

    it('a code the IdP does not know is refused with invalid_grant', async () => {
      await refusedWith(exchange(desktop, { code: 'forged-code-value', tenant: 'acme' }), 'invalid_grant');
    });

    it('a user the tenant has not authorized (or disabled) is refused with invalid_grant', async () => {
      await refusedWith(exchange(desktop, { code: e2e.sim.issueCode('acme', 'wang.wu'), tenant: 'acme' }), 'invalid_grant', /disabled/);
      const answer = await e2e.bridge.sender.send('authSync', authBody([{ userName: 'li.si' }], { tenantId: WITHDRAWN, flag: 0, currentSyncTime: '20991231000000000' }));
      expect(answer.resultCode).toBe('000000');
      await refusedWith(exchange(desktop, { code: e2e.sim.issueCode(WITHDRAWN, 'li.si'), tenant: WITHDRAWN }), 'invalid_grant', /not granted/);
    });

    it('the exchanged tokens are revoked when KooGallery withdraws the user (refresh and userinfo fail)', async () => {
      const tokens = await exchange(desktop, { code: e2e.sim.issueCode(DEPROVISIONED, 'zhang.san'), tenant: DEPROVISIONED, scope: 'openid offline_access' });
      const answer = await e2e.bridge.sender.send('authSync', authBody([{ userName: 'zhang.san' }], { tenantId: DEPROVISIONED, flag: 3, currentSyncTime: '20991231000000000' }));
      expect(answer.resultCode).toBe('000000');
      await refusedWith(client.refreshTokenGrant(desktop, tokens.refresh_token!), 'invalid_grant');
      await expect(client.fetchUserInfo(desktop, tokens.access_token, tokens.claims()!.sub)).rejects.toMatchObject({ status: 401 });
    });

    it('a frozen subscription is refused with invalid_grant', async () => {
      const frozen = await fetch(`${e2e.simUrl}/sim/instances/${FROZEN}/freeze`, { method: 'POST' });
      expect(await frozen.json()).toMatchObject({ resultCode: '000000' });
      await refusedWith(exchange(desktop, { code: e2e.sim.issueCode(FROZEN, 'li.si'), tenant: FROZEN }), 'invalid_grant', /frozen/);
    });

    it('a tenant the client does not allow is refused with invalid_grant before the code is spent', async () => {
      const globexOnly = await rp.config('desktop-globex', issuer);
      const code = e2e.sim.issueCode('acme', 'li.si');
      await refusedWith(exchange(globexOnly, { code, tenant: 'acme' }), 'invalid_grant', /may not use this application/);
      // Not spent: the same code still works for an app that serves acme.
      expect((await exchange(desktop, { code, tenant: 'acme' })).claims()?.sub).toMatch(/^acme\./);
    });

    it('a client that did not register the grant is refused with unauthorized_client', async () => {
      const mobile = await rp.config('mobile-browser-only', issuer);
      await refusedWith(exchange(mobile, { code: e2e.sim.issueCode('acme', 'li.si'), tenant: 'acme' }), 'unauthorized_client');
    });

    it('a confidential web app may not use the grant either', async () => {
      const web = await rp.config('web-app', issuer);
      await refusedWith(exchange(web, { code: e2e.sim.issueCode('acme', 'li.si'), tenant: 'acme' }), 'unauthorized_client');
    });

    it('code and tenant are required (invalid_request)', async () => {
      await refusedWith(exchange(desktop, { tenant: 'acme' }), 'invalid_request', /code/);
      await refusedWith(exchange(desktop, { code: e2e.sim.issueCode('acme', 'li.si') }), 'invalid_request', /tenant/);
    });
  });
});
