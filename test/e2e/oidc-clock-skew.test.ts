/**
 * Clock tolerance of the tokens the OpenID provider issues, validated by a relying party whose
 * clock is ahead of or behind the bridge's. The RP's clock is moved by openid-client's own
 * `clockSkew` (and, for logout tokens, jose's `currentDate`), never by sleeping.
 *
 *  - ID tokens (oidc-provider): `iat` = issue time, `exp` = iat + OIDC_ID_TOKEN_TTL (5 min here).
 *    openid-client accepts them until exp + its `clockTolerance` (30 s, its default) on the RP's
 *    clock; it does not refuse an `iat` in the future, so an RP behind the bridge still accepts.
 *  - Logout tokens (back-channel logout): `typ` logout+jwt, `exp` = iat + 120 s. openid-client has
 *    no logout-token helper; the RP validates with jose (what openid-client is built on) with the
 *    same 30 s tolerance and a 120 s maximum age, which also refuses an `iat` more than 30 s ahead
 *    of the RP's clock (Back-Channel Logout 1.0 §2.6: iat must be within an acceptable range).
 *  - oidc-provider's own `clockTolerance` (15 s, its default, left as is) applies only to JWTs it
 *    receives — id_token_hint at the end-session endpoint — not to the tokens it issues.
 */
import * as client from 'openid-client';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestBrowser } from '../support/browser.js';
import { DEMO_TENANTS } from '../../tools/simulator/demo-data.js';
import { startE2E, type E2E } from '../support/e2e.js';
import { startRp, WEB_SECRET, type TestRp } from '../support/oidc-rp.js';
import { closeAll } from '../support/cleanup.js';
import { authorize, redeem } from './oidc-support.js';

const ID_TOKEN_TTL_S = 300;
const LOGOUT_TOKEN_TTL_S = 120; // oidc-provider's fixed lifetime of logout tokens
const RP_TOLERANCE_S = 30; // openid-client's default clockTolerance

describe('token validation with clock skew between the bridge and the relying party', () => {
  let rp: TestRp;
  let e2e: E2E;
  let issuer: string;
  let web: client.Configuration;
  beforeAll(async () => {
    rp = await startRp();
    e2e = await startE2E({ bridge: { env: { OIDC_CLIENTS_FILE: rp.clientsFile, OIDC_ID_TOKEN_TTL: `${ID_TOKEN_TTL_S}s` } }, tenants: DEMO_TENANTS });
    issuer = `${e2e.bridge.url}/oidc`;
    web = await rp.config('web-app', issuer);
  });
  afterAll(() => closeAll(() => e2e?.close(), () => rp?.close()));

  /** An RP whose clock is `aheadS` seconds ahead of the bridge's (negative: behind). */
  const rpWithClock = async (aheadS: number) => {
    // openid-client reads its clock offset from the client metadata given at construction.
    const cfg = new client.Configuration(web.serverMetadata(), 'web-app', { [client.clockSkew]: aheadS }, client.ClientSecretBasic(WEB_SECRET));
    client.allowInsecureRequests(cfg);
    expect((cfg.clientMetadata() as Record<PropertyKey, unknown>)[client.clockTolerance]).toBeUndefined(); // openid-client's default: 30 s
    return cfg;
  };
  const signInAndRedeem = async (cfg: client.Configuration) => {
    const r = await authorize(new TestBrowser(), cfg, { redirectUri: `${rp.url}/callback`, simUrl: e2e.simUrl, login: { tenant: 'acme', userName: 'li.si' } });
    return redeem(cfg, r);
  };

  describe('ID tokens', () => {
    it(`are issued for ${ID_TOKEN_TTL_S} s (exp − iat)`, async () => {
      const claims = (await signInAndRedeem(web)).claims()!;
      expect(claims.exp - claims.iat).toBe(ID_TOKEN_TTL_S);
    });

    it.each([
      ['10 minutes behind', -600],
      ['20 s behind', -20],
      [`ahead by the lifetime + 20 s (within the RP's ${RP_TOLERANCE_S} s tolerance)`, ID_TOKEN_TTL_S + 20],
    ])('an RP whose clock is %s accepts them', async (_name, aheadS) => {
      const tokens = await signInAndRedeem(await rpWithClock(aheadS));
      expect(tokens.claims()).toMatchObject({ iss: issuer, aud: 'web-app' });
    });

    it('an RP whose clock is ahead by the lifetime + 40 s (beyond its tolerance) refuses them as expired', async () => {
      const refused = signInAndRedeem(await rpWithClock(ID_TOKEN_TTL_S + 40));
      // openid-client wraps oauth4webapi's error, which names the claim that failed.
      await expect(refused).rejects.toMatchObject({ code: 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED', cause: { cause: { claim: 'exp' } } });
    });
  });

  describe('back-channel logout tokens', () => {
    let logoutToken: string;
    beforeAll(async () => {
      const browser = new TestBrowser();
      const r = await authorize(browser, web, { redirectUri: `${rp.url}/callback`, simUrl: e2e.simUrl, login: { tenant: 'acme', userName: 'zhang.san' } });
      const tokens = await redeem(web, r);
      const before = rp.logoutTokens.length;
      const end = client.buildEndSessionUrl(web, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: `${rp.url}/logged-out` });
      const confirm = await browser.go(end.href);
      const xsrf = /name="xsrf" value="([^"]+)"/.exec(confirm.text)![1]!;
      const action = /<form[^>]*action="([^"]+)"/.exec(confirm.text)![1]!;
      await browser.postForm(new URL(action, e2e.bridge.url).href, { xsrf, logout: 'yes' }, { stopAt: (u) => u.startsWith(`${rp.url}/logged-out`) });
      expect(rp.logoutTokens.length).toBe(before + 1);
      logoutToken = rp.logoutTokens.at(-1)!;
    });

    /** Validation as the RP does it, on a clock `aheadS` seconds ahead of the bridge's. */
    const validate = (aheadS: number) =>
      jwtVerify(logoutToken, createRemoteJWKSet(new URL(web.serverMetadata().jwks_uri!)), {
        issuer,
        audience: 'web-app',
        typ: 'logout+jwt',
        clockTolerance: RP_TOLERANCE_S,
        maxTokenAge: LOGOUT_TOKEN_TTL_S,
        currentDate: new Date((decodeJwt(logoutToken).iat! + aheadS) * 1000),
      });

    it(`are issued for ${LOGOUT_TOKEN_TTL_S} s (exp − iat)`, () => {
      const claims = decodeJwt(logoutToken);
      expect(claims.exp! - claims.iat!).toBe(LOGOUT_TOKEN_TTL_S);
    });

    it.each([
      ['20 s behind', -20],
      ['on time', 0],
      [`ahead by the lifetime + 20 s (within the RP's ${RP_TOLERANCE_S} s tolerance)`, LOGOUT_TOKEN_TTL_S + 20],
    ])('an RP whose clock is %s accepts them', async (_name, aheadS) => {
      await expect(validate(aheadS)).resolves.toMatchObject({ payload: { iss: issuer, events: { 'http://schemas.openid.net/event/backchannel-logout': {} } } });
    });

    it('an RP whose clock is 40 s behind (iat beyond its tolerance in its future) refuses them', async () => {
      await expect(validate(-40)).rejects.toMatchObject({ code: 'ERR_JWT_CLAIM_VALIDATION_FAILED', claim: 'iat' });
    });

    it('an RP whose clock is ahead by the lifetime + 40 s refuses them as expired', async () => {
      await expect(validate(LOGOUT_TOKEN_TTL_S + 40)).rejects.toMatchObject({ code: 'ERR_JWT_EXPIRED' });
    });
  });
});
