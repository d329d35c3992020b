/** The two connectors behind the one interface the login pipeline speaks (nock stands in for the IdP). */
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import type { IdpTarget } from '../../../src/connectors/connector.js';
import { createConnectors } from '../../../src/connectors/registry.js';
import { DOMAIN, NOW, SECRET, expectCode, useNock } from './helpers.js';

useNock();

const connectors = createConnectors({ timeoutMs: 2000, allowInsecure: false, now: () => NOW });
const TARGET: IdpTarget = { domainName: DOMAIN, credentials: { clientId: 'app-client-1', clientSecret: SECRET } };
const NO_CREDENTIALS: IdpTarget = { domainName: DOMAIN, credentials: null };
const CALLBACK = 'https://bridge.example.com/sso/callback';
const SERVICE = 'https://bridge.example.com/sso/cas?tenant=acme';

describe('OAuth2 connector', () => {
  const oauth2 = connectors.oauth2;

  it('needs credentials and sends the browser to authorize with client_id, redirect_uri and state', () => {
    expect(oauth2.needsCredentials).toBe(true);
    const url = new URL(oauth2.loginUrl(TARGET, { returnUrl: CALLBACK, state: 'st-1' }));
    expect(`${url.origin}${url.pathname}`).toBe(`${DOMAIN}/api/v1/oauth2/authorize`);
    expect(Object.fromEntries(url.searchParams)).toEqual({ client_id: 'app-client-1', redirect_uri: CALLBACK, response_type: 'code', scope: 'get_user_info', state: 'st-1' });
  });

  it('refuses to build a login without credentials (login_no_credentials), before any network call', () => {
    expect(() => oauth2.loginUrl(NO_CREDENTIALS, { returnUrl: CALLBACK, state: null })).toThrow(expect.objectContaining({ code: 'login_no_credentials' }));
  });

  it('turns a code into the identity and the upstream tokens (token, then userinfo with the new access token)', async () => {
    let form = '';
    nock(DOMAIN)
      .post('/api/v1/oauth2/token', (body) => {
        form = new URLSearchParams(body as Record<string, string>).toString();
        return true;
      })
      .reply(200, { access_token: 'at-1', refresh_token: 'rt-1', expires_in: 7200 });
    nock(DOMAIN).get('/api/v1/oauth2/userinfo').matchHeader('authorization', 'Bearer at-1').reply(200, { userName: 'zhang.san', name: '张三', tenant: 'acme' });
    const result = await oauth2.handleCallback(TARGET, { proof: 'code-1', returnUrl: CALLBACK });
    expect(result.identity).toMatchObject({ userName: 'zhang.san', name: '张三', tenant: 'acme' });
    expect(result.upstream).toEqual({ accessToken: 'at-1', refreshToken: 'rt-1', expiresAt: NOW + 7200_000 });
    expect(new URLSearchParams(form).get('redirect_uri')).toBe(CALLBACK);
  });

  it('sends no redirect_uri when the login did not start with one (unified login, workbench)', async () => {
    let form = new URLSearchParams();
    nock(DOMAIN)
      .post('/api/v1/oauth2/token', (body) => {
        form = new URLSearchParams(body as Record<string, string>);
        return true;
      })
      .reply(200, { access_token: 'at-1' });
    nock(DOMAIN).get('/api/v1/oauth2/userinfo').reply(200, { userName: 'zhang.san' });
    await oauth2.handleCallback(TARGET, { proof: 'code-1', returnUrl: undefined });
    expect(form.has('redirect_uri')).toBe(false);
  });

  it('renews tokens with the refresh grant; an IdP that sends no new refresh token leaves it null', async () => {
    nock(DOMAIN).post('/api/v1/oauth2/token', (body) => body.grant_type === 'refresh_token' && body.refresh_token === 'rt-1').reply(200, { access_token: 'at-2', expires_in: 60 });
    expect(await oauth2.refresh!(TARGET, 'rt-1')).toEqual({ accessToken: 'at-2', refreshToken: null, expiresAt: NOW + 60_000 });
  });

  it('passes the IdP refusal on as its code (idp_invalid_grant)', async () => {
    nock(DOMAIN).post('/api/v1/oauth2/token').reply(400, { error: 'invalid_grant' });
    await expectCode(oauth2.handleCallback(TARGET, { proof: 'used-code', returnUrl: CALLBACK }), 'idp_invalid_grant');
  });

  it('signs out at the IdP logout page, returning to the given URL', () => {
    expect(oauth2.logoutUrl(DOMAIN, 'https://bridge.example.com/sso/logged-out')).toBe(
      `${DOMAIN}/api/v1/logout?redirect_url=${encodeURIComponent('https://bridge.example.com/sso/logged-out')}`,
    );
  });
});

describe('CAS connector', () => {
  const cas = connectors.cas;

  it('needs no credentials and has nothing to renew', () => {
    expect(cas.needsCredentials).toBe(false);
    expect(cas.refresh).toBeUndefined();
  });

  it('sends the browser to CAS login with the service', () => {
    expect(cas.loginUrl(NO_CREDENTIALS, { returnUrl: SERVICE, state: null })).toBe(`${DOMAIN}/api/v1/cas/login?service=${encodeURIComponent(SERVICE)}`);
  });

  it('validates the ticket against exactly the service it was issued for, and gives no upstream tokens', async () => {
    let asked: Record<string, unknown> = {};
    nock(DOMAIN)
      .get('/api/v1/cas/p3/serviceValidate')
      .query((q) => {
        asked = q;
        return true;
      })
      .reply(200, { serviceResponse: { authenticationSuccess: { user: 'zhang.san', attributes: { name: ['张三'] } } } });
    const result = await cas.handleCallback(NO_CREDENTIALS, { proof: 'ST-1-abc', returnUrl: SERVICE });
    expect(asked).toMatchObject({ service: SERVICE, ticket: 'ST-1-abc' });
    expect(result).toEqual({ identity: expect.objectContaining({ userName: 'zhang.san', name: '张三' }), upstream: null });
  });

  it('refuses to validate without a service (cas_invalid_service), before any network call', async () => {
    await expectCode(cas.handleCallback(NO_CREDENTIALS, { proof: 'ST-1-abc', returnUrl: undefined }), 'cas_invalid_service');
  });

  it('signs out at the CAS logout page with the service to return to', () => {
    expect(cas.logoutUrl(DOMAIN, SERVICE)).toBe(`${DOMAIN}/api/v1/cas/logout?service=${encodeURIComponent(SERVICE)}`);
  });
});
