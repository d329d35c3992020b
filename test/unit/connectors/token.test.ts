import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { CREDS, DOMAIN, NOW, SECRET, caught, oauth2Client, expectCode, useNock, visible } from './helpers.js';

useNock();

const TOKEN_PATH = '/api/v1/oauth2/token';
const CODE = 'auth-code-123';
const REFRESH = 'refresh-token-abc';
const documented = { access_token: 'at-1', token_type: 'Bearer', expires_in: 7200, scope: 'get_user_info', refresh_token: 'rt-1' };

/** Answers the token endpoint and records the raw form and headers it received. */
function tokenEndpoint(status: number, body: unknown) {
  const seen: { form?: string; headers?: Record<string, unknown> } = {};
  const scope = nock(DOMAIN)
    .post(TOKEN_PATH)
    .reply(function (_uri, form) {
      seen.form = String(form);
      seen.headers = this.req.headers;
      return [status, typeof body === 'string' ? body : JSON.stringify(body)];
    });
  return { seen, scope };
}

describe('authorization code exchange', () => {
  it('sends exactly client_id, client_secret, code, grant_type and redirect_uri as a form', async () => {
    const { seen } = tokenEndpoint(200, documented);
    await oauth2Client().exchangeCode(CREDS, { code: CODE, redirectUri: 'https://bridge.example.com/cb?x=1' });
    expect(seen.form).toBe(
      'client_id=app-client-1&client_secret=cl13nt-s3cr3t-do-not-leak&code=auth-code-123&grant_type=authorization_code' +
        '&redirect_uri=https%3A%2F%2Fbridge.example.com%2Fcb%3Fx%3D1',
    );
    expect(seen.headers).toMatchObject({ 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' });
  });

  it('leaves redirect_uri out when none is given', async () => {
    const { seen } = tokenEndpoint(200, documented);
    await oauth2Client().exchangeCode(CREDS, { code: CODE });
    expect(new URLSearchParams(seen.form).has('redirect_uri')).toBe(false);
  });

  it('reads the documented answer into a TokenSet with expiresAt = now + expires_in', async () => {
    tokenEndpoint(200, documented);
    expect(await oauth2Client().exchangeCode(CREDS, { code: CODE })).toEqual({
      accessToken: 'at-1',
      tokenType: 'Bearer',
      refreshToken: 'rt-1',
      expiresAt: NOW + 7200 * 1000,
      scope: 'get_user_info',
    });
  });

  it('accepts expires_in as a numeric string', async () => {
    tokenEndpoint(200, { ...documented, expires_in: '3600' });
    expect((await oauth2Client().exchangeCode(CREDS, { code: CODE })).expiresAt).toBe(NOW + 3600 * 1000);
  });

  it.each([undefined, 'soon', -5, 0, 12.5, null])('assumes the documented 7200 s when expires_in is %s', async (value) => {
    tokenEndpoint(200, { ...documented, expires_in: value });
    expect((await oauth2Client().exchangeCode(CREDS, { code: CODE })).expiresAt).toBe(NOW + 7200 * 1000);
  });

  it('accepts an answer without refresh_token, scope or token_type', async () => {
    tokenEndpoint(200, { access_token: 'at-2', expires_in: 7200 });
    expect(await oauth2Client().exchangeCode(CREDS, { code: CODE })).toMatchObject({ refreshToken: null, scope: null, tokenType: 'Bearer' });
  });

  it('refuses a success answer without access_token', async () => {
    tokenEndpoint(200, { token_type: 'Bearer', expires_in: 7200 });
    const err = await expectCode(oauth2Client().exchangeCode(CREDS, { code: CODE }), 'idp_bad_response');
    expect(err.message).toMatch(/no access_token/);
  });

  it.each([
    ['malformed JSON', '{"access_token": '],
    ['an HTML page', '<html><body>Welcome</body></html>'],
    ['a JSON array', '[1,2]'],
    ['an empty body', ''],
  ])('refuses a 200 answer that is %s', async (_what, body) => {
    tokenEndpoint(200, body);
    await expectCode(oauth2Client().exchangeCode(CREDS, { code: CODE }), 'idp_bad_response');
  });
});

describe('token refresh', () => {
  it('sends grant_type=refresh_token with the client credentials', async () => {
    const { seen } = tokenEndpoint(200, { ...documented, refresh_token: 'rt-2' });
    const tokens = await oauth2Client().refreshTokens(CREDS, REFRESH);
    expect(Object.fromEntries(new URLSearchParams(seen.form))).toEqual({
      client_id: 'app-client-1',
      client_secret: SECRET,
      grant_type: 'refresh_token',
      refresh_token: REFRESH,
    });
    expect(tokens.refreshToken).toBe('rt-2');
  });

  it('maps a refused refresh token to idp_invalid_grant', async () => {
    tokenEndpoint(400, { error: 'invalid_grant', error_description: `Invalid refresh token ${REFRESH}` });
    const err = await expectCode(oauth2Client().refreshTokens(CREDS, REFRESH), 'idp_invalid_grant');
    expect(err.message).toBe('authorization code or refresh token is invalid, used or expired');
    expect(visible(err)).not.toContain(REFRESH);
  });
});

describe('token endpoint errors (spec §7)', () => {
  it('maps 400 invalid_grant (bad, used or expired code) to idp_invalid_grant', async () => {
    tokenEndpoint(400, { error: 'invalid_grant', error_description: 'Invalid authorization code' });
    await expectCode(oauth2Client().exchangeCode(CREDS, { code: CODE }), 'idp_invalid_grant');
  });

  it('maps invalid_grant sent with a 200 to idp_invalid_grant', async () => {
    tokenEndpoint(200, { error: 'invalid_grant' });
    await expectCode(oauth2Client().exchangeCode(CREDS, { code: CODE }), 'idp_invalid_grant');
  });

  it.each([
    [400, { error: 'invalid_client' }],
    [401, { error: 'invalid_client', error_description: 'Client authentication failed' }],
    [401, ''],
    [403, { error: 'access_denied' }],
    [403, '<html>Forbidden</html>'],
    [400, { error: 'unauthorized_client' }],
  ])('maps HTTP %s %j to idp_invalid_client with a hint', async (status, body) => {
    tokenEndpoint(status, body);
    const err = await expectCode(oauth2Client().exchangeCode(CREDS, { code: CODE }), 'idp_invalid_client');
    expect(err.message).toMatch(/clientId.*clientSecret.*domainName/);
  });

  it('maps another OAuth error to idp_bad_response naming the error code', async () => {
    tokenEndpoint(400, { error: 'unsupported_grant_type', error_description: 'whatever' });
    const err = await expectCode(oauth2Client().exchangeCode(CREDS, { code: CODE }), 'idp_bad_response');
    expect(err.message).toBe('tenant IdP refused the token request (HTTP 400, error unsupported_grant_type)');
  });

  it('maps a 404 (wrong domainName or path) to idp_bad_response', async () => {
    tokenEndpoint(404, 'Not Found');
    await expectCode(oauth2Client().exchangeCode(CREDS, { code: CODE }), 'idp_bad_response');
  });

  it.each([500, 502, 503, 429])('maps HTTP %s to idp_unavailable', async (status) => {
    tokenEndpoint(status, { error: 'server_error' });
    await expectCode(oauth2Client().exchangeCode(CREDS, { code: CODE }), 'idp_unavailable');
  });

  it('refuses a redirect with idp_bad_response and does not follow it', async () => {
    nock(DOMAIN).post(TOKEN_PATH).reply(302, '', { location: 'https://evil.example.com/token' });
    const evil = nock('https://evil.example.com').post('/token').reply(200, documented);
    const err = await expectCode(oauth2Client().exchangeCode(CREDS, { code: CODE }), 'idp_bad_response');
    expect(err.message).toMatch(/^IdP answered with a redirect/);
    expect(evil.isDone()).toBe(false);
  });

  it('maps a timeout to idp_unavailable within the deadline', async () => {
    // Answered only long after the deadline: the bound checks the client did not wait for it.
    nock(DOMAIN).post(TOKEN_PATH).delay(30_000).reply(200, documented);
    const started = Date.now();
    await expectCode(oauth2Client({ timeoutMs: 150 }).exchangeCode(CREDS, { code: CODE }), 'idp_unavailable');
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('maps a network failure to idp_unavailable', async () => {
    nock(DOMAIN).post(TOKEN_PATH).replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    await expectCode(oauth2Client().exchangeCode(CREDS, { code: CODE }), 'idp_unavailable');
  });

  it('refuses an oversized answer with idp_bad_response', async () => {
    tokenEndpoint(200, { ...documented, padding: 'x'.repeat(1024 * 1024) });
    await expectCode(oauth2Client().exchangeCode(CREDS, { code: CODE }), 'idp_bad_response');
  });

  it('never puts the secret, the code or the refresh token in any error', async () => {
    const answers: [number, unknown][] = [
      [400, { error: 'invalid_grant', error_description: `code ${CODE} for secret ${SECRET}` }],
      [401, { error: 'invalid_client', error_description: `bad secret ${SECRET}` }],
      [400, { error: SECRET }],
      [400, { error: 'invalid_request', error_description: SECRET }],
      [500, SECRET],
      [200, `{"oops": "${SECRET}"`],
    ];
    for (const [status, body] of answers) {
      tokenEndpoint(status, body);
      const err = await caught(oauth2Client().exchangeCode(CREDS, { code: CODE }));
      expect(visible(err)).not.toContain(SECRET);
      expect(visible(err)).not.toContain(CODE);
      tokenEndpoint(status, body);
      expect(visible(await caught(oauth2Client().refreshTokens(CREDS, REFRESH)))).not.toContain(REFRESH);
    }
  });

  it('refuses an http:// domainName unless insecure IdPs are allowed', async () => {
    const plain = { ...CREDS, domainName: 'http://tenant-a.idp.example.com' };
    nock(plain.domainName).post(TOKEN_PATH).reply(200, documented);
    await expectCode(oauth2Client().exchangeCode(plain, { code: CODE }), 'idp_forbidden_address');
    expect((await oauth2Client({ allowInsecure: true }).exchangeCode(plain, { code: CODE })).accessToken).toBe('at-1');
  });

  it('refuses a domainName on a private address without sending the secret', async () => {
    for (const domainName of ['https://127.0.0.1', 'https://10.0.0.5:8443', 'https://[::1]']) {
      const scope = nock(domainName).post(TOKEN_PATH).reply(200, documented);
      await expectCode(oauth2Client().exchangeCode({ ...CREDS, domainName }, { code: CODE }), 'idp_forbidden_address');
      expect(scope.isDone()).toBe(false);
    }
  });
});
