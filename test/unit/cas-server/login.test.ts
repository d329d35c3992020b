import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256Base64url } from '../../../src/shared/hash.js';
import { APP, casFixture, ticketFor, validateAt, type CasFixture } from './fixture.js';

describe('/cas/login', () => {
  let f: CasFixture;
  beforeEach(async () => {
    f = await casFixture();
  });
  afterEach(() => f.close());

  const service = `${APP}/page?x=1`;
  const login = (query: Record<string, string>, cookie?: string) => f.get(`/cas/login?${new URLSearchParams(query)}`, cookie);

  it('with a session: 302 to the service, the ticket appended to its query', async () => {
    const { cookie } = await f.signIn();
    const res = await login({ service }, cookie);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toMatch(/^https:\/\/app\.example\.com\/page\?x=1&ticket=ST-[0-9a-f]{64}$/);
    expect(f.observations).toContainEqual(expect.objectContaining({ kind: 'token', protocol: 'cas', action: 'issued', tokenType: 'service_ticket', clientId: 'app', tenantId: 'acme', userName: 'zhang.san' }));
  });

  it('an exact service matches only itself', async () => {
    const { cookie } = await f.signIn();
    expect((await login({ service: 'https://exact.example.com/cas?x=1' }, cookie)).headers.get('location')).toMatch(/^https:\/\/exact\.example\.com\/cas\?x=1&ticket=ST-/);
    expect((await login({ service: 'https://exact.example.com/cas?x=2' }, cookie)).status).toBe(403);
  });

  it('without a session: to the KooGallery login, returning here with a one-time marker', async () => {
    const res = await login({ service });
    expect(res.status).toBe(302);
    const to = new URL(res.headers.get('location')!, f.url);
    expect(to.pathname).toBe('/sso/login');
    expect(to.searchParams.get('tenant')).toBeNull();
    const back = to.searchParams.get('return_to')!;
    expect(back).toMatch(new RegExp(`^${f.url}/cas/login\\?service=[^&]+&kb_login=[A-Za-z0-9_-]{43}$`));
    expect(f.cas.isReturnAllowed(back)).toBe(true);
    expect(f.cas.isReturnAllowed(`${f.url}/cas/login?service=${encodeURIComponent('https://evil.example/')}`)).toBe(false);
    expect(f.cas.isReturnAllowed(`${f.url}/sso/me`)).toBe(false);

    // Back with the session made meanwhile: the ticket is from a new login.
    f.clock.advance(1_000);
    const { cookie } = await f.signIn();
    const ticket = new URL((await f.get(back.slice(f.url.length), cookie)).headers.get('location')!).searchParams.get('ticket')!;
    expect(await (await validateAt(f, '/cas/serviceValidate', { service, ticket, renew: 'true' })).text()).toContain('<cas:isFromNewLogin>true</cas:isFromNewLogin>');
    // The marker is spent: the same return URL without a session is refused, not another round trip.
    const again = await f.get(back.slice(f.url.length));
    expect(again.status).toBe(302);
    expect(new URL(again.headers.get('location')!, f.url).pathname).toBe('/sso/login');
  });

  it('a service allowing one tenant sends the browser to that tenant\'s IdP; tenant= names one too', async () => {
    const single = new URL((await login({ service: 'https://acme-only.example.com/' })).headers.get('location')!, f.url);
    expect(single.searchParams.get('tenant')).toBe('acme');
    const named = new URL((await login({ service, tenant: 'globex' })).headers.get('location')!, f.url);
    expect(named.searchParams.get('tenant')).toBe('globex');
  });

  it('renew=true: a session is not enough; the browser signs in again at its own tenant', async () => {
    const { cookie } = await f.signIn();
    const res = await login({ service, renew: 'true' }, cookie);
    const to = new URL(res.headers.get('location')!, f.url);
    expect(to.pathname).toBe('/sso/login');
    expect(to.searchParams.get('tenant')).toBe('acme');
  });

  it('gateway=true: with a session a ticket, without one back to the service without a ticket', async () => {
    expect((await login({ service, gateway: 'true' })).headers.get('location')).toBe(service);
    const { cookie } = await f.signIn();
    expect((await login({ service, gateway: 'true' }, cookie)).headers.get('location')).toContain('ticket=ST-');
  });

  it('an unregistered service: 403 page in the browser\'s language, no redirect, no ticket', async () => {
    const { cookie } = await f.signIn();
    for (const foreign of ['https://evil.example/', 'https://app.example.com.evil.example/', 'http://app.example.com/', 'https://user@app.example.com/', 'https://app.example.com/#x']) {
      const res = await login({ service: foreign }, cookie);
      expect(res.status, foreign).toBe(403);
      expect(res.headers.get('location')).toBeNull();
      expect(await res.text()).toContain('cas_service_not_registered');
    }
    const zh = await f.get(`/cas/login?service=https%3A%2F%2Fevil.example%2F`, cookie, { 'accept-language': 'zh-CN' });
    expect(await zh.text()).toContain('这个应用不能使用本登录');
    expect(f.observations.some((o) => o.kind === 'token' && o.action === 'issued')).toBe(false);
    expect(f.observations).toContainEqual(expect.objectContaining({ kind: 'token', protocol: 'cas', action: 'refused', clientId: 'unknown', reason: 'cas_service_not_registered' }));
  });

  it('a tenant the service does not allow: 403 page, refusal reported', async () => {
    const { cookie } = await f.signIn('zhao.liu', 'globex');
    const res = await login({ service: 'https://acme-only.example.com/' }, cookie);
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('cas_tenant_not_allowed');
    expect(f.observations).toContainEqual(expect.objectContaining({ kind: 'token', action: 'refused', clientId: 'acme-only', reason: 'cas_tenant_not_allowed' }));
  });

  it('the login it sends to KooGallery is for the registered service: its return URL names the service\'s id, and no other URL names one', async () => {
    const back = new URL((await login({ service: 'https://exact.example.com/cas?x=1' })).headers.get('location')!, f.url).searchParams.get('return_to')!;
    expect(f.cas.serviceOfReturn(back)).toBe('exact');
    expect(f.cas.serviceOfReturn(`${f.url}/cas/login?service=${encodeURIComponent(service)}`)).toBe('app');
    // Not registered, not this server's /cas/login, or no service: no id, whatever the URL says.
    expect(f.cas.serviceOfReturn(`${f.url}/cas/login?service=${encodeURIComponent('https://evil.example/app')}`)).toBeUndefined();
    expect(f.cas.serviceOfReturn(`https://elsewhere.example/cas/login?service=${encodeURIComponent(service)}`)).toBeUndefined();
    expect(f.cas.serviceOfReturn(`${f.url}/cas/login?renew=true`)).toBeUndefined();
    expect(f.cas.serviceOfReturn(`${f.url}/oidc/interaction/abc`)).toBeUndefined();
  });

  it('without service: the bridge\'s own sign-in', async () => {
    expect((await login({})).headers.get('location')).toBe('/sso/login');
  });

  it('tickets carry 256 random bits and are never stored in the clear', async () => {
    const { cookie } = await f.signIn();
    const ticket = await ticketFor(f, cookie, service);
    expect(ticket).toMatch(/^ST-[0-9a-f]{64}$/);
    // Keyed by the ticket's hash: what a dump of the store holds is no ticket. The record names
    // what the session record names (in the clear too) and nothing usable.
    const stored = await f.store.get(f.keys.casTicket(sha256Base64url(ticket)));
    expect(stored).not.toContain(ticket.slice(3));
    expect(Object.keys(JSON.parse(stored!)).sort()).toEqual(['fromNewLogin', 'issuedAt', 'service', 'serviceId', 'sidHash', 'tenantId', 'userName', 'v']);
  });
});
