import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACME, CALLBACK, GLOBEX, jsonOf, manualClock, postForm, redeem, startSim, tokenCall, userinfo, type RunningSim } from './harness.js';

const FIVE_MINUTES = 5 * 60 * 1000;

describe('tenant IdP: token endpoint and userinfo', () => {
  const clock = manualClock();
  let s: RunningSim;
  let idp: string;
  beforeAll(async () => {
    s = await startSim({ now: clock.now });
    idp = s.idp('acme');
  });
  afterAll(() => s.close());

  const refresh = (refreshToken: string) =>
    tokenCall(idp, { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: ACME.clientId, client_secret: ACME.clientSecret });

  it('a code redemption answers the documented token body', async () => {
    const { status, body } = await redeem(idp, ACME, s.sim.issueCode('acme', 'li.si'));
    expect(status).toBe(200);
    expect(body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 7200, scope: 'get_user_info', refresh_token: expect.any(String) });
  });

  it('userinfo answers every documented field for the token’s user', async () => {
    const { body: token } = await redeem(idp, ACME, s.sim.issueCode('acme', 'zhang.san'));
    const { status, body } = await userinfo(idp, token.access_token);
    expect(status).toBe(200);
    expect(body).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
      userId: body.id,
      userName: 'zhang.san',
      name: 'Zhang San',
      email: 'zhang.san@acme.example.com',
      mobile: '+86-100-0000-0001',
      role: 'admin',
      organizationCode: 'acme-it',
      organizationName: 'IT',
      tenant: 'acme',
      accName: 'zhang.san',
      loginName: 'zhang.san',
      projectName: 'Acme Trading Co.',
    });
  });

  it('userinfo leaves email and mobile out when the user has none', async () => {
    const { body: token } = await redeem(idp, ACME, s.sim.issueCode('acme', 'wang.wu'));
    const { body } = await userinfo(idp, token.access_token);
    expect(body).not.toHaveProperty('email');
    expect(body).not.toHaveProperty('mobile');
  });

  it('a code is single-use: the second redemption fails with invalid_grant even within the TTL', async () => {
    const code = s.sim.issueCode('acme', 'li.si');
    expect((await redeem(idp, ACME, code)).status).toBe(200);
    expect(await redeem(idp, ACME, code)).toEqual({ status: 400, body: { error: 'invalid_grant', error_description: 'Invalid authorization code' } });
  });

  it('an unknown code fails with invalid_grant', async () => {
    expect(await redeem(idp, ACME, 'no-such-code')).toEqual({ status: 400, body: { error: 'invalid_grant', error_description: 'Invalid authorization code' } });
  });

  it('a code expires after codeTtlMs (5 min by default)', async () => {
    const fresh = s.sim.issueCode('acme', 'li.si');
    const stale = s.sim.issueCode('acme', 'li.si');
    clock.advance(FIVE_MINUTES - 1);
    expect((await redeem(idp, ACME, fresh)).status).toBe(200);
    clock.advance(1);
    expect((await redeem(idp, ACME, stale)).body.error).toBe('invalid_grant');
  });

  it('a code is only good at the IdP of the tenant that issued it', async () => {
    const code = s.sim.issueCode('acme', 'li.si');
    expect((await redeem(s.idp('globex'), GLOBEX, code)).body.error).toBe('invalid_grant');
    expect((await redeem(idp, ACME, code)).status).toBe(200);
  });

  it('a redirect_uri sent with the token request must equal the one the code was issued for', async () => {
    const code = s.sim.issueCode('acme', 'li.si', 'https://app.example.com/cb');
    const res = await redeem(idp, ACME, code, { redirect_uri: CALLBACK });
    expect(res).toEqual({ status: 400, body: { error: 'invalid_grant', error_description: 'redirect_uri does not match the authorization request' } });
    // The failed attempt consumed the code.
    expect((await redeem(idp, ACME, code, { redirect_uri: 'https://app.example.com/cb' })).status).toBe(400);
  });

  it('a redirect_uri is optional in the token request', async () => {
    expect((await redeem(idp, ACME, s.sim.issueCode('acme', 'li.si', 'https://app.example.com/cb'))).status).toBe(200);
  });

  it('a wrong client_id or client_secret is refused with 401 invalid_client, leaving the code usable', async () => {
    const code = s.sim.issueCode('acme', 'li.si');
    for (const creds of [{ ...ACME, clientSecret: 'wrong' }, { ...ACME, clientId: GLOBEX.clientId }, GLOBEX]) {
      const res = await redeem(idp, creds, code);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: 'invalid_client', error_description: expect.any(String) });
    }
    expect((await redeem(idp, ACME, code)).status).toBe(200);
  });

  it('the token endpoint takes form-encoded bodies only', async () => {
    const res = await fetch(`${idp}/api/v1/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'authorization_code', client_id: ACME.clientId, client_secret: ACME.clientSecret, code: 'x' }),
    });
    expect(res.status).toBe(400);
    expect((await jsonOf(res)).error).toBe('invalid_request');
  });

  it('an unknown grant_type is refused with unsupported_grant_type', async () => {
    const res = await tokenCall(idp, { grant_type: 'password', client_id: ACME.clientId, client_secret: ACME.clientSecret });
    expect(res).toMatchObject({ status: 400, body: { error: 'unsupported_grant_type' } });
  });

  it('a refresh returns a NEW access and refresh token, and the old refresh token stops working', async () => {
    const { body: first } = await redeem(idp, ACME, s.sim.issueCode('acme', 'li.si'));
    const second = await refresh(first.refresh_token);
    expect(second.status).toBe(200);
    expect(second.body.access_token).not.toBe(first.access_token);
    expect(second.body.refresh_token).not.toBe(first.refresh_token);
    expect((await userinfo(idp, second.body.access_token)).body.userName).toBe('li.si');
    expect(await refresh(first.refresh_token)).toEqual({ status: 400, body: { error: 'invalid_grant', error_description: 'Invalid refresh token' } });
    expect((await refresh(second.body.refresh_token)).status).toBe(200);
  });

  it('revokeRefreshTokens makes every refresh token of the tenant fail with invalid_grant, and only that tenant', async () => {
    const { body: acme } = await redeem(idp, ACME, s.sim.issueCode('acme', 'li.si'));
    const { body: globex } = await redeem(s.idp('globex'), GLOBEX, s.sim.issueCode('globex', 'li.si'));
    s.sim.revokeRefreshTokens('acme');
    expect((await refresh(acme.refresh_token)).body).toEqual({ error: 'invalid_grant', error_description: 'Invalid refresh token' });
    const other = await tokenCall(s.idp('globex'), { grant_type: 'refresh_token', refresh_token: globex.refresh_token, client_id: GLOBEX.clientId, client_secret: GLOBEX.clientSecret });
    expect(other.status).toBe(200);
  });

  it('userinfo without a token, with an unknown one, or with another tenant’s answers 401 unauthorized', async () => {
    const { body: token } = await redeem(idp, ACME, s.sim.issueCode('acme', 'li.si'));
    for (const [url, bearer] of [[idp, undefined], [idp, 'nope'], [s.idp('globex'), token.access_token]] as const) {
      const res = await userinfo(url, bearer);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: 'unauthorized', error_description: expect.any(String) });
    }
  });

  it('an access token expires after expires_in seconds', async () => {
    const { body: token } = await redeem(idp, ACME, s.sim.issueCode('acme', 'li.si'));
    clock.advance(7200 * 1000 - 1);
    expect((await userinfo(idp, token.access_token)).status).toBe(200);
    clock.advance(1);
    expect((await userinfo(idp, token.access_token)).status).toBe(401);
  });

  it('stats count every token call (refreshes also apart) and every userinfo call', async () => {
    const before = s.sim.stats();
    const { body } = await redeem(idp, ACME, s.sim.issueCode('acme', 'li.si'));
    await refresh(body.refresh_token);
    await userinfo(idp, body.access_token);
    await userinfo(idp, 'unknown');
    const after = s.sim.stats();
    expect(after).toEqual({
      tokenCalls: before.tokenCalls + 2,
      refreshCalls: before.refreshCalls + 1,
      userinfoCalls: before.userinfoCalls + 2,
      validateCalls: before.validateCalls,
    });
  });
});

describe('tenant IdP: documented token-body variants', () => {
  it('expiresInAsString sends expires_in as a string; omitRefreshToken sends no refresh_token', async () => {
    const s = await startSim({ expiresInAsString: true, omitRefreshToken: true, accessTokenTtlS: 600 });
    try {
      const { body } = await redeem(s.idp('acme'), ACME, s.sim.issueCode('acme', 'li.si'));
      expect(body).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: '600', scope: 'get_user_info' });
    } finally {
      await s.close();
    }
  });

  it('issueCode refuses an unknown tenant or user', async () => {
    const s = await startSim();
    try {
      expect(() => s.sim.issueCode('initech', 'li.si')).toThrow(/unknown tenant/);
      expect(() => s.sim.issueCode('acme', 'zhao.liu')).toThrow(/no user/);
      expect((await postForm(`${s.url}/sim/nothing`, {})).status).toBe(404);
    } finally {
      await s.close();
    }
  });
});
