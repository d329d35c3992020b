import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256Base64url } from '../../../src/shared/hash.js';
import { APP, casFixture, ticketFor, TTL_MS, validateAt, type CasFixture } from './fixture.js';

describe('CAS validation endpoints', () => {
  let f: CasFixture;
  beforeEach(async () => {
    f = await casFixture();
  });
  afterEach(() => f.close());

  const service = `${APP}/page`;
  const xmlCode = async (res: Response) => /code="([A-Z_]+)"/.exec(await res.text())?.[1];

  it('serviceValidate answers 200 XML with the user and every attribute, and reports the refusal of a second attempt', async () => {
    const { cookie } = await f.signIn();
    const ticket = await ticketFor(f, cookie, service);
    const res = await validateAt(f, '/cas/serviceValidate', { service, ticket });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/xml; charset=utf-8');
    const xml = await res.text();
    expect(xml).toContain('<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas">');
    expect(xml).toContain(`<cas:user>acme.${Buffer.from('zhang.san').toString('base64url')}</cas:user>`);
    expect(xml).toContain('<cas:email>zhang.san@example.com</cas:email>');
    expect(xml).not.toContain('<cas:mobile>'); // not known: left out
    expect(await xmlCode(await validateAt(f, '/cas/serviceValidate', { service, ticket }))).toBe('INVALID_TICKET');
    expect(f.observations.filter((o) => o.kind === 'token').map((o) => o.kind === 'token' && o.action)).toEqual(['issued', 'refused']);
  });

  it('a validation gets its request id, no-store and nosniff, and one access-log line without the ticket', async () => {
    const { cookie } = await f.signIn();
    const ticket = await ticketFor(f, cookie, service);
    f.logs.length = 0;
    const res = await f.get(`/cas/p3/serviceValidate?service=${encodeURIComponent(service)}&ticket=${ticket}`, undefined, { 'x-request-id': 'app-req-0001' });
    expect(await res.text()).toContain('<cas:authenticationSuccess>');
    expect(res.headers.get('x-request-id')).toBe('app-req-0001');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const lines = f.logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'request');
    expect(lines).toEqual([expect.objectContaining({ reqId: 'app-req-0001', method: 'GET', path: '/cas/p3/serviceValidate', status: 200 })]);
    expect(f.logs.join('\n')).not.toContain(ticket.slice(3));
    // A refusal is logged under the same request id, with its reason.
    f.logs.length = 0;
    const refused = await f.get(`/cas/p3/serviceValidate?service=${encodeURIComponent(service)}&ticket=${ticket}`);
    expect(await xmlCode(refused)).toBe('INVALID_TICKET');
    const reqId = refused.headers.get('x-request-id');
    expect(reqId).toMatch(/^[0-9a-f-]{36}$/);
    expect(f.logs.map((l) => JSON.parse(l) as Record<string, unknown>)).toEqual([
      expect.objectContaining({ reqId, errorCode: 'INVALID_TICKET', msg: 'CAS ticket refused' }),
      expect.objectContaining({ reqId, msg: 'request', status: 200 }),
    ]);
  });

  it('other methods on a validation path are not validations', async () => {
    const res = await fetch(`${f.url}/cas/serviceValidate?service=x&ticket=ST-1`, { method: 'POST' });
    expect(res.status).toBe(404);
  });

  it.each(['/cas/serviceValidate', '/cas/p3/serviceValidate', '/cas/proxyValidate', '/cas/p3/proxyValidate'])('%s validates service tickets', async (path) => {
    const { cookie } = await f.signIn();
    expect(await (await validateAt(f, path, { service, ticket: await ticketFor(f, cookie, service) })).text()).toContain('<cas:authenticationSuccess>');
  });

  it('format=JSON answers the spec\'s JSON, success and failure', async () => {
    const { cookie } = await f.signIn();
    const ok = await validateAt(f, '/cas/p3/serviceValidate', { service, ticket: await ticketFor(f, cookie, service), format: 'json' });
    expect(ok.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await ok.json()).toMatchObject({ serviceResponse: { authenticationSuccess: { user: expect.any(String), attributes: { tenant_id: 'acme', role: 'user', longTermAuthenticationRequestTokenUsed: 'false' } } } });
    expect(await (await validateAt(f, '/cas/p3/serviceValidate', { service, ticket: 'ST-0', format: 'JSON' })).json()).toMatchObject({ serviceResponse: { authenticationFailure: { code: 'INVALID_TICKET' } } });
  });

  it('INVALID_REQUEST: a missing, repeated or oversized parameter', async () => {
    expect(await xmlCode(await validateAt(f, '/cas/serviceValidate', { service }))).toBe('INVALID_REQUEST');
    expect(await xmlCode(await validateAt(f, '/cas/serviceValidate', { ticket: 'ST-1' }))).toBe('INVALID_REQUEST');
    expect(await xmlCode(await f.get(`/cas/serviceValidate?service=${encodeURIComponent(service)}&ticket=ST-1&ticket=ST-2`))).toBe('INVALID_REQUEST');
    // Repeated past a thousand other pairs (where node:querystring stops by default): still repeated.
    const filler = Array.from({ length: 1_200 }, (_, i) => `x${i}=1`).join('&');
    expect(await xmlCode(await f.get(`/cas/serviceValidate?service=${encodeURIComponent(service)}&ticket=ST-1&${filler}&ticket=ST-2`))).toBe('INVALID_REQUEST');
    expect(await xmlCode(await validateAt(f, '/cas/serviceValidate', { service: `${APP}/${'a'.repeat(5000)}`, ticket: 'ST-1' }))).toBe('INVALID_REQUEST');
  });

  it('INVALID_TICKET_SPEC: anything but a service ticket', async () => {
    expect(await xmlCode(await validateAt(f, '/cas/serviceValidate', { service, ticket: 'PT-1-abc' }))).toBe('INVALID_TICKET_SPEC');
  });

  it('INVALID_SERVICE: a ticket presented for another service, which spends it', async () => {
    const { cookie } = await f.signIn();
    const ticket = await ticketFor(f, cookie, service);
    expect(await xmlCode(await validateAt(f, '/cas/serviceValidate', { service: `${APP}/other`, ticket }))).toBe('INVALID_SERVICE');
    expect(await xmlCode(await validateAt(f, '/cas/serviceValidate', { service, ticket }))).toBe('INVALID_TICKET');
  });

  it('a ticket whose record an older version sealed (AES-GCM) is still validated, once', async () => {
    const { cookie } = await f.signIn();
    const ticket = await ticketFor(f, cookie, service);
    // Rewrite the record as the previous version stored it: the same JSON, sealed to the ticket's hash.
    const key = f.keys.casTicket(sha256Base64url(ticket));
    const plain = (await f.store.get(key))!;
    await f.store.exec([{ op: 'set', key, value: f.secretBox.seal(plain, `cas-ticket:${sha256Base64url(ticket)}`), ttlMs: TTL_MS }]);
    expect(await f.store.get(key)).toMatch(/^v1\./);
    const xml = await (await validateAt(f, '/cas/serviceValidate', { service, ticket })).text();
    expect(xml).toContain('<cas:authenticationSuccess>');
    expect(await xmlCode(await validateAt(f, '/cas/serviceValidate', { service, ticket }))).toBe('INVALID_TICKET');
  });

  it('INVALID_TICKET: expired after CAS_TICKET_TTL', async () => {
    const { cookie } = await f.signIn();
    const ticket = await ticketFor(f, cookie, service);
    f.clock.advance(TTL_MS);
    expect(await xmlCode(await validateAt(f, '/cas/serviceValidate', { service, ticket }))).toBe('INVALID_TICKET');
  });

  it('INVALID_TICKET: the session the ticket came from ended before validation', async () => {
    const { cookie, record } = await f.signIn();
    const ticket = await ticketFor(f, cookie, service);
    await f.sessions.destroy(record);
    expect(await xmlCode(await validateAt(f, '/cas/serviceValidate', { service, ticket }))).toBe('INVALID_TICKET');
  });

  it('INVALID_TICKET: renew=true on validation, for a ticket from single sign-on', async () => {
    const { cookie } = await f.signIn();
    expect(await xmlCode(await validateAt(f, '/cas/serviceValidate', { service, ticket: await ticketFor(f, cookie, service), renew: 'true' }))).toBe('INVALID_TICKET');
  });

  it('INTERNAL_ERROR when the store fails, as XML with HTTP 200', async () => {
    const { cookie } = await f.signIn();
    const ticket = await ticketFor(f, cookie, service);
    f.store.take = async () => {
      throw new Error('store down');
    };
    const res = await validateAt(f, '/cas/serviceValidate', { service, ticket });
    expect(res.status).toBe(200);
    expect(await xmlCode(res)).toBe('INTERNAL_ERROR');
  });

  it('a service released only some attributes gets only those, and userName as the user', async () => {
    const { cookie } = await f.signIn();
    const acmeOnly = 'https://acme-only.example.com/x';
    const xml = await (await validateAt(f, '/cas/serviceValidate', { service: acmeOnly, ticket: await ticketFor(f, cookie, acmeOnly) })).text();
    expect(xml).toContain('<cas:user>zhang.san</cas:user>');
    expect(xml).toContain('<cas:role>user</cas:role>');
    expect(xml).not.toContain('<cas:tenant_id>');
    expect(xml).not.toContain('<cas:email>');
    expect(xml).toContain('<cas:authenticationDate>');
  });

  it('CAS 1.0 /cas/validate: yes and the user once, then no', async () => {
    const { cookie } = await f.signIn();
    const ticket = await ticketFor(f, cookie, service);
    const yes = await validateAt(f, '/cas/validate', { service, ticket });
    expect(yes.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await yes.text()).toMatch(/^yes\nacme\.[A-Za-z0-9_-]+\n$/);
    expect(await (await validateAt(f, '/cas/validate', { service, ticket })).text()).toBe('no\n\n');
  });
});
