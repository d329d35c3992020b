/**
 * The validation door answers ahead of the shared middleware, so it must do for itself what that
 * middleware did: match paths as the router matched them, send the security headers, and turn an
 * unexpected failure into a logged 500 that a CAS client can still read.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { APP, casFixture, ticketFor, type CasFixture } from './fixture.js';

// A switch for the one failure validate.ts cannot catch itself: building the success document.
const failing = vi.hoisted(() => ({ on: false }));
vi.mock('../../../src/cas-server/responses.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../src/cas-server/responses.js')>();
  return {
    ...real,
    successBody: (...args: Parameters<typeof real.successBody>) => {
      if (failing.on) throw new Error('document could not be built');
      return real.successBody(...args);
    },
  };
});

describe('CAS validation door', () => {
  let f: CasFixture;
  beforeEach(async () => {
    failing.on = false;
    f = await casFixture();
  });
  afterEach(() => f.close());

  const service = `${APP}/page`;
  const query = (ticket: string) => `?service=${encodeURIComponent(service)}&ticket=${ticket}`;

  it('matches the validation paths in any case and with one trailing slash, as the router did', async () => {
    const { cookie } = await f.signIn();
    for (const path of ['/CAS/serviceValidate', '/cas/p3/servicevalidate/', '/cas/proxyValidate/', '/cas/VALIDATE']) {
      const res = await f.get(`${path}${query(await ticketFor(f, cookie, service))}`);
      expect(res.status, path).toBe(200);
      expect(await res.text(), path).toMatch(/^(<cas:serviceResponse[^]*<cas:authenticationSuccess>|yes\n)/);
    }
    expect((await f.get(`/cas/serviceValidate//${query('ST-1')}`)).status).toBe(404);
  });

  it('answers HEAD with the headers of GET and no body, spending the ticket', async () => {
    const { cookie } = await f.signIn();
    const ticket = await ticketFor(f, cookie, service);
    const head = await fetch(`${f.url}/cas/p3/serviceValidate${query(ticket)}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe('application/xml; charset=utf-8');
    // The length of the document GET would have sent (a success: this HEAD spent the ticket).
    expect(Number(head.headers.get('content-length'))).toBeGreaterThan(500);
    expect(await head.text()).toBe('');
    expect(await (await f.get(`/cas/p3/serviceValidate${query(ticket)}`)).text()).toContain('code="INVALID_TICKET"');
  });

  it('sends the security headers every response carries', async () => {
    const res = await f.get(`/cas/serviceValidate${query('ST-1')}`);
    expect(Object.fromEntries(['x-content-type-options', 'x-frame-options', 'referrer-policy', 'content-security-policy', 'cache-control'].map((h) => [h, res.headers.get(h)]))).toEqual({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'content-security-policy': "default-src 'none'; script-src 'self'; frame-ancestors 'none'",
      'cache-control': 'no-store',
    });
    // PUBLIC_URL is http here: no HSTS.
    expect(res.headers.get('strict-transport-security')).toBeNull();
  });

  it('sends HSTS too when PUBLIC_URL is https', async () => {
    const secure = await casFixture(undefined, { publicUrl: 'https://bridge.example.com' });
    try {
      const res = await secure.get(`/cas/serviceValidate${query('ST-1')}`);
      expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(await res.text()).toContain('code="INVALID_TICKET"');
    } finally {
      await secure.close();
    }
  });

  it('an unexpected failure is a logged 500 with the spec\'s INTERNAL_ERROR document and every header', async () => {
    const { cookie } = await f.signIn();
    const ticket = await ticketFor(f, cookie, service);
    failing.on = true;
    f.logs.length = 0;
    const res = await f.get(`/cas/p3/serviceValidate${query(ticket)}`);
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toBe('application/xml; charset=utf-8');
    expect(await res.text()).toContain('<cas:authenticationFailure code="INTERNAL_ERROR">');
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const lines = f.logs.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toEqual([
      expect.objectContaining({ level: 'error', msg: 'CAS validation failed', err: expect.objectContaining({ message: 'document could not be built', stack: expect.any(String) }) }),
      expect.objectContaining({ level: 'error', msg: 'request', status: 500 }),
    ]);
    expect(f.logs.join('\n')).not.toContain(ticket.slice(3));
  });
});
