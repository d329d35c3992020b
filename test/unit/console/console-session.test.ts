/**
 * The console's cookie session and CSRF check, without HTTP: the sealed record, the cookie's name
 * and attributes under an https PUBLIC_URL, and the check's answer for each kind of request.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createConsoleSessions, CONSOLE_SESSION_TTL_MS } from '../../../src/console/console-session.js';
import { checkConsoleRequest } from '../../../src/console/csrf.js';
import type { AppContext } from '../../../src/http/state.js';
import { createKeys } from '../../../src/store/keys.js';
import { createMemoryStore } from '../../../src/store/memory.js';
import { createSecretBox } from '../../../src/store/secret-box.js';
import { fakeClock } from '../../support/time.js';

const PUBLIC_URL = 'https://bridge.example.com';

/** Just enough of a Koa context: request headers in, Set-Cookie lines out. */
function fakeCtx(opts: { method?: string; headers?: Record<string, string> } = {}) {
  const setCookies: string[] = [];
  const headers = Object.fromEntries(Object.entries(opts.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const ctx = { method: opts.method ?? 'GET', get: (name: string) => headers[name.toLowerCase()] ?? '', append: (_: string, value: string) => void setCookies.push(value) };
  return { ctx: ctx as unknown as AppContext, setCookies };
}

function sessionsOn(adminToken = 'admin-token-0123456789abcdef', secure = true) {
  const clock = fakeClock();
  const store = createMemoryStore({ now: clock.now });
  const secretBox = createSecretBox([randomBytes(32).toString('base64')]);
  const make = (token: string) => createConsoleSessions({ secretBox, store, keys: createKeys('unit:'), clock, adminToken: token, secure });
  return { sessions: make(adminToken), make, clock };
}

describe('console sessions', () => {
  it('under https: a __Host- cookie, Secure, HttpOnly, SameSite=Strict, Path=/, eight hours', () => {
    const { sessions } = sessionsOn();
    const { ctx, setCookies } = fakeCtx();
    sessions.issue(ctx);
    expect(setCookies).toHaveLength(1);
    expect(setCookies[0]).toMatch(/^__Host-koobridge-admin=v1\.[A-Za-z0-9_.-]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=28800; Secure$/);
  });

  it('reads back what it issued; none without a cookie; invalid when tampered, expired or for another token', async () => {
    const { sessions, make, clock } = sessionsOn();
    const issued = fakeCtx();
    const session = sessions.issue(issued.ctx);
    const cookie = issued.setCookies[0]!.split(';')[0]!;
    expect(await sessions.read(fakeCtx({ headers: { cookie } }).ctx)).toEqual(session);
    expect(await sessions.read(fakeCtx().ctx)).toBe('none');
    // A character inside the last part, not its final one: base64url's last character carries
    // padding bits a decoder ignores, so changing only it can leave the bytes (and the seal) intact.
    const at = cookie.length - 10;
    const tampered = `${cookie.slice(0, at)}${cookie[at] === 'A' ? 'B' : 'A'}${cookie.slice(at + 1)}`;
    expect(await sessions.read(fakeCtx({ headers: { cookie: tampered } }).ctx)).toBe('invalid');
    expect(await make('another-admin-token-0123456789').read(fakeCtx({ headers: { cookie } }).ctx)).toBe('invalid');
    clock.advance(CONSOLE_SESSION_TTL_MS);
    expect(await sessions.read(fakeCtx({ headers: { cookie } }).ctx)).toBe('invalid');
  });

  it('a session ended by sign-out stays ended for every copy of its cookie', async () => {
    const { sessions } = sessionsOn();
    const issued = fakeCtx();
    const session = sessions.issue(issued.ctx);
    const cookie = issued.setCookies[0]!.split(';')[0]!;
    const out = fakeCtx();
    await sessions.end(out.ctx, session);
    expect(out.setCookies[0]).toBe('__Host-koobridge-admin=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0; Secure');
    expect(await sessions.read(fakeCtx({ headers: { cookie } }).ctx)).toBe('invalid');
  });
});

describe('the console’s CSRF check', () => {
  const csrf = 'c'.repeat(32);
  const check = (method: string, headers: Record<string, string>, formToken?: string) => () => checkConsoleRequest(fakeCtx({ method, headers }).ctx, PUBLIC_URL, csrf, formToken);

  it('lets this site read without the token, and act with it (header or form field)', () => {
    expect(check('GET', { 'sec-fetch-site': 'same-origin' })).not.toThrow();
    expect(check('DELETE', { 'sec-fetch-site': 'same-origin', 'x-koobridge-csrf': csrf })).not.toThrow();
    expect(check('POST', { origin: PUBLIC_URL }, csrf)).not.toThrow();
  });

  it.each([
    ['a read from another site', 'GET', { 'sec-fetch-site': 'cross-site' }],
    ['a read from a sibling host or port (same-site, which SameSite=Strict lets through)', 'GET', { 'sec-fetch-site': 'same-site' }],
    ['a read with a foreign Origin', 'GET', { origin: 'https://evil.example.com' }],
    ['a change without the token', 'DELETE', { 'sec-fetch-site': 'same-origin' }],
    ['a change with a wrong token', 'DELETE', { 'sec-fetch-site': 'same-origin', 'x-koobridge-csrf': 'd'.repeat(32) }],
    ['a change from another site with the right token', 'DELETE', { 'sec-fetch-site': 'cross-site', 'x-koobridge-csrf': csrf }],
  ])('refuses %s with cross_origin_refused', (_name, method, headers) => {
    expect(check(method, headers)).toThrow(expect.objectContaining({ code: 'cross_origin_refused' }));
  });
});
