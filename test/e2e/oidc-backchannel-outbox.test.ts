/**
 * Deprovisioning with an app whose back-channel endpoint hangs: KooGallery's call is answered at
 * once (it must be within 5 s), sessions and grants are already gone when it is, and both apps
 * still get their logout token afterwards — the hanging one by a retry once it answers again.
 */
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import * as client from 'openid-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authBody } from '../support/bridge.js';
import { TestBrowser } from '../support/browser.js';
import { DEMO_TENANTS } from '../../tools/simulator/demo-data.js';
import { demoTenantAs, startE2E, type E2E } from '../support/e2e.js';
import { startRp, type TestRp } from '../support/oidc-rp.js';
import { authorize, redeem } from './oidc-support.js';

const HANG_MS = 10_000;
// A tenant of four users, all signed in to the app that hangs: sent one after another at 2.5 s
// each, their back-channel logouts alone would keep KooGallery waiting 10 s (it allows 5).
const FOUR = ['user.a', 'user.b', 'user.c', 'user.d'];
const quad = { ...demoTenantAs('quad'), users: FOUR.map((userName) => ({ userName, name: userName, role: 'user' as const, orgCode: 'acme-it' })) };

describe('back-channel logout after deprovisioning goes through the outbox', () => {
  let rp: TestRp;
  let e2e: E2E;
  let issuer: string;
  beforeAll(async () => {
    rp = await startRp();
    // Retries start at ½ s (instead of 2 s) so the test ends soon after the endpoint recovers.
    e2e = await startE2E({ tenants: [...DEMO_TENANTS, quad], bridge: { env: { OIDC_CLIENTS_FILE: rp.clientsFile }, outbox: { retry: { baseDelayMs: 500 } } } });
    issuer = `${e2e.bridge.url}/oidc`;
  });
  afterAll(async () => {
    await e2e.close();
    await rp.close();
  });

  const tokensFor = (clientId: string) => rp.logoutTokens.filter((t) => decodeJwt(t).aud === clientId);

  it(`answers 000000 in well under 5 s while one app's endpoint hangs for ${HANG_MS / 1000} s; both apps get their logout token, the hanging one by a retry`, { timeout: 40_000 }, async () => {
    const browser = new TestBrowser();
    await browser.go(`${e2e.bridge.url}/sso/callback?code=${e2e.sim.issueCode('acme', 'zhang.san')}&tenant=acme`);
    const web = await rp.config('web-app', issuer);
    const other = await rp.config('other-app', issuer);
    const webTokens = await redeem(web, await authorize(browser, web, { redirectUri: `${rp.url}/callback`, simUrl: e2e.simUrl, params: { prompt: 'consent' } }));
    const otherTokens = await redeem(other, await authorize(browser, other, { redirectUri: `${rp.url}/other-callback`, simUrl: e2e.simUrl, params: { prompt: 'consent' } }));

    rp.hangFor(HANG_MS);
    const started = Date.now();
    const answer = await e2e.bridge.sender.send('authSync', authBody([{ userName: 'zhang.san' }], { tenantId: 'acme', flag: 3, currentSyncTime: '20991231000000000' }));
    const answerMs = Date.now() - started;
    expect(answer.resultCode).toBe('000000');
    expect(answerMs).toBeLessThan(1_000);

    // Ended before the answer: the bridge session, the provider's grants and every token under them.
    expect((await browser.request(`${e2e.bridge.url}/api/session`)).status).toBe(401);
    await expect(client.refreshTokenGrant(web, webTokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    await expect(client.refreshTokenGrant(other, otherTokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });

    // The responsive app is told at once; the hanging one's first try times out (2.5 s) and is retried.
    await expect.poll(() => tokensFor('web-app').length, { timeout: 3_000, interval: 50 }).toBe(1);
    await expect.poll(() => e2e.bridge.logs.some((l) => l.includes('outbox job failed; will retry')), { timeout: 5_000, interval: 100 }).toBe(true);
    expect(tokensFor('other-app')).toHaveLength(0);

    await expect.poll(() => tokensFor('other-app').length, { timeout: HANG_MS + 15_000, interval: 100 }).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(HANG_MS);
    await expect.poll(() => e2e.bridge.outbox.pending(), { timeout: 2_000, interval: 50 }).toBe(0);

    const jwks = createRemoteJWKSet(new URL(web.serverMetadata().jwks_uri!));
    for (const [clientId, tokens] of [['web-app', webTokens], ['other-app', otherTokens]] as const) {
      const { payload } = await jwtVerify(tokensFor(clientId)[0]!, jwks, { issuer, audience: clientId });
      expect(payload).toMatchObject({ sub: tokens.claims()!.sub, sid: tokens.claims()!.sid, events: { 'http://schemas.openid.net/event/backchannel-logout': {} } });
    }
    expect(await e2e.bridge.outbox.deadLetters()).toEqual([]);
  });

  it('four users signed in to an app that hangs are cancelled in one call answered well within 5 s; each gets its logout token once the app answers', { timeout: 40_000 }, async () => {
    const other = await rp.config('other-app', issuer);
    const sids: string[] = [];
    const browsers: TestBrowser[] = [];
    for (const userName of FOUR) {
      const browser = new TestBrowser();
      await browser.go(`${e2e.bridge.url}/sso/callback?code=${e2e.sim.issueCode('quad', userName)}&tenant=quad`);
      const tokens = await redeem(other, await authorize(browser, other, { redirectUri: `${rp.url}/other-callback`, simUrl: e2e.simUrl, params: { prompt: 'consent' } }));
      sids.push(String(tokens.claims()!.sid));
      browsers.push(browser);
    }

    rp.hangFor(HANG_MS);
    const started = Date.now();
    const answer = await e2e.bridge.sender.send('authSync', authBody(FOUR.map((userName) => ({ userName })), { tenantId: 'quad', flag: 3, currentSyncTime: '20991231000000000' }));
    const answerMs = Date.now() - started;
    expect(answer.resultCode).toBe('000000');
    expect(answerMs).toBeLessThan(2_000); // KooGallery allows 5 s; sent in turn, the logouts alone took 4 × 2.5 s
    for (const browser of browsers) expect((await browser.request(`${e2e.bridge.url}/api/session`)).status).toBe(401);

    const delivered = () => rp.logoutTokens.map((t) => decodeJwt(t)).filter((c) => c.aud === 'other-app' && sids.includes(String(c.sid))).length;
    expect(delivered()).toBe(0);
    await expect.poll(delivered, { timeout: HANG_MS + 15_000, interval: 100 }).toBe(FOUR.length);
  });
});
