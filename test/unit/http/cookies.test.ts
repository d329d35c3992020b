import { describe, expect, it } from 'vitest';
import { cookieNames, setCookie } from '../../../src/http/cookies.js';

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

describe('cookies with COOKIE_DOMAIN', () => {
  it('the session cookie is __Secure- with the Domain; the login cookie stays __Host- and host-only', () => {
    const names = cookieNames('https://bridge.example.com', 'example.com');
    expect(names.session).toBe('__Secure-koobridge');
    const { headers, ctx } = fakeCtx();
    setCookie(ctx, names, names.session, 'abc', null);
    setCookie(ctx, names, names.prelogin, 'xyz', 600_000);
    expect(headers).toEqual(['__Secure-koobridge=abc; Path=/; HttpOnly; SameSite=Lax; Secure; Domain=example.com', '__Host-koobridge-login=xyz; Path=/; HttpOnly; SameSite=Lax; Secure; Max-Age=600']);
  });
});
