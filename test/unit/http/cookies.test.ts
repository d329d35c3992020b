import { describe, expect, it } from 'vitest';
import { cookieNames, setCookie } from '../../../src/http/cookies.js';
import { serviceUrlOf } from '../../../src/login/urls.js';
import { accountIdOf, parseAccountId } from '../../../src/oidc/account.js';
import { tenantHint } from '../../../src/oidc/interaction-params.js';

function fakeCtx() {
  const headers: string[] = [];
  return { headers, ctx: { append: (_name: string, value: string) => void headers.push(value) } as never };
}

describe('cookies', () => {
  it('over https the session cookie is __Host- prefixed, Secure, HttpOnly, SameSite=Lax, Path=/ and has no Domain', () => {
    const names = cookieNames('https://bridge.example.com');
    expect(names.session).toBe('__Host-koobridge');
    const { headers, ctx } = fakeCtx();
    setCookie(ctx, names, names.session, 'abc', null);
    expect(headers[0]).toBe('__Host-koobridge=abc; Path=/; HttpOnly; SameSite=Lax; Secure');
  });

  it('over http (local development) the cookie has no prefix and no Secure flag', () => {
    const names = cookieNames('http://localhost:3000');
    const { headers, ctx } = fakeCtx();
    setCookie(ctx, names, names.prelogin, 'xyz', 600_000);
    expect(headers[0]).toBe('koobridge-login=xyz; Path=/; HttpOnly; SameSite=Lax; Max-Age=600');
  });
});

describe('CAS service URL', () => {
  it('is the request URL without the ticket, other parameters kept byte for byte', () => {
    expect(serviceUrlOf('https://b.example.com', '/sso/cas', 'tenant=acme&ticket=ST-1')).toBe('https://b.example.com/sso/cas?tenant=acme');
    expect(serviceUrlOf('https://b.example.com', '/sso/cas', 'ticket=ST-1&tenant=acme&from=tile%20x')).toBe('https://b.example.com/sso/cas?tenant=acme&from=tile%20x');
  });
});

describe('OpenID subject', () => {
  it('round-trips (tenant, userName), including non-ASCII names', () => {
    for (const [t, u] of [['acme', 'zhang.san'], ['globex', '张三'], ['a.b', 'x.y@z']] as const) {
      expect(parseAccountId(accountIdOf(t, u))).toEqual({ tenantId: t, userName: u });
    }
  });

  it('differs for the same userName in two tenants and refuses non-canonical spellings', () => {
    expect(accountIdOf('acme', 'li.si')).not.toBe(accountIdOf('globex', 'li.si'));
    expect(parseAccountId('acme.bGkuc2k=')).toBeNull();
    expect(parseAccountId('no-dot')).toBeNull();
    expect(parseAccountId('{bad}.bGkuc2k')).toBeNull();
  });

  it('takes the tenant hint from tenant= or login_hint=tenant:ID, valid ids only', () => {
    expect(tenantHint({ tenant: 'acme' })).toBe('acme');
    expect(tenantHint({ login_hint: 'tenant:globex' })).toBe('globex');
    expect(tenantHint({ login_hint: 'zhang.san' })).toBeNull();
    expect(tenantHint({ tenant: 'a{b}' })).toBeNull();
  });
});
