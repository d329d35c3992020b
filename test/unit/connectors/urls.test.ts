import { describe, expect, it } from 'vitest';
import { casClient, oauth2Client } from './helpers.js';

const DOMAIN = 'https://tenant-a.idp.example.com';
const CALLBACK = 'https://bridge.example.com/login/callback?tenant=t 1';

describe('browser URLs of the tenant IdP (spec §7)', () => {
  it('builds the authorize URL with response_type=code and the default scope get_user_info', () => {
    expect(oauth2Client().authorizeUrl(DOMAIN, { clientId: 'cid', redirectUri: CALLBACK })).toBe(
      `${DOMAIN}/api/v1/oauth2/authorize?client_id=cid&redirect_uri=https%3A%2F%2Fbridge.example.com%2Flogin%2Fcallback%3Ftenant%3Dt+1` +
        '&response_type=code&scope=get_user_info',
    );
  });

  it('adds state and a custom scope when given, encoded', () => {
    const url = new URL(oauth2Client().authorizeUrl(DOMAIN, { clientId: 'cid', redirectUri: CALLBACK, state: 's&1=2', scope: 'openid profile' }));
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: 'cid',
      redirect_uri: CALLBACK,
      response_type: 'code',
      scope: 'openid profile',
      state: 's&1=2',
    });
  });

  it('keeps a domainName path and does not double a trailing slash', () => {
    expect(oauth2Client().logoutUrl('https://idp.example.com/tenant-a/', 'https://bridge.example.com/')).toBe(
      'https://idp.example.com/tenant-a/api/v1/logout?redirect_url=https%3A%2F%2Fbridge.example.com%2F',
    );
  });

  it('builds the CAS login and logout URLs with the service', () => {
    const service = 'https://bridge.example.com/cas?tenant=t1';
    expect(casClient().loginUrl(DOMAIN, service)).toBe(`${DOMAIN}/api/v1/cas/login?service=${encodeURIComponent(service)}`);
    expect(casClient().logoutUrl(DOMAIN, service)).toBe(`${DOMAIN}/api/v1/cas/logout?service=${encodeURIComponent(service)}`);
  });
});
