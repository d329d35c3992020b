import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TENANTS } from '../../../tools/simulator/demo-data.js';
import { ACME, cookieOf, get, locationOf, manualClock, postForm, signIn, startSim, type RunningSim } from './harness.js';

const SERVICE = 'https://app.example.com/cas/callback?tenant=acme';
const TICKET = /^ST-[A-Za-z0-9-]{1,253}$/;

describe('tenant IdP: CAS 3.0', () => {
  const clock = manualClock();
  let s: RunningSim;
  let cas: string;
  beforeAll(async () => {
    s = await startSim({ now: clock.now });
    cas = `${s.idp('acme')}/api/v1/cas`;
  });
  afterAll(() => s.close());

  const validate = async (service: string | undefined, ticket: string | undefined, format?: string) => {
    const q = new URLSearchParams();
    if (service !== undefined) q.set('service', service);
    if (ticket !== undefined) q.set('ticket', ticket);
    if (format) q.set('format', format);
    const res = await get(`${cas}/p3/serviceValidate?${q}`);
    return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
  };

  it('login without the SSO cookie shows the login form; posting it redirects to the service with a ticket', async () => {
    const login = `${cas}/login?service=${encodeURIComponent(SERVICE)}`;
    const page = await get(login);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Sign in to Acme Trading Co.');
    const res = await postForm(login, { userName: 'li.si', password: 'pw' });
    expect(res.status).toBe(302);
    // Appended with `&` because the service already has a query; the service text is kept as is.
    expect(res.headers.get('location')).toMatch(new RegExp(`^${SERVICE.replace(/[.?]/g, '\\$&')}&ticket=ST-[A-Za-z0-9-]+$`));
    expect(locationOf(res).searchParams.get('ticket')).toMatch(TICKET);
  });

  it('login with the SSO cookie redirects at once, appending ?ticket= to a service without a query', async () => {
    const cookie = await signIn(s.idp('acme'), ACME.clientId, 'li.si');
    const res = await get(`${cas}/login?service=${encodeURIComponent('https://app.example.com/cas')}`, { cookie });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toMatch(/^https:\/\/app\.example\.com\/cas\?ticket=ST-[A-Za-z0-9-]+$/);
  });

  it('a successful validation answers JSON by default with the user and the documented attributes', async () => {
    const ticket = s.sim.issueTicket('acme', 'zhang.san', SERVICE);
    const res = await validate(SERVICE, ticket);
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^application\/json/);
    expect(JSON.parse(res.text)).toEqual({
      serviceResponse: {
        authenticationSuccess: {
          user: 'zhang.san',
          attributes: {
            userName: 'zhang.san',
            name: 'Zhang San',
            tenant: 'acme',
            role: 'admin',
            organizationCode: 'acme-it',
            organizationName: 'IT',
            authenticationDate: new Date(clock.now()).toISOString(),
            isFromNewLogin: true,
          },
        },
      },
    });
  });

  it('format=XML answers the same tree in the CAS namespace, escaped', async () => {
    const tenants = [{ ...DEMO_TENANTS[0]!, users: [{ userName: 'li.si', name: 'Li <Si> & "Co"', role: 'user' as const, orgCode: 'acme-sales' }] }];
    const t = await startSim({ tenants });
    try {
      const ticket = t.sim.issueTicket('acme', 'li.si', SERVICE);
      const res = await get(`${t.idp('acme')}/api/v1/cas/p3/serviceValidate?service=${encodeURIComponent(SERVICE)}&ticket=${ticket}&format=XML`);
      expect(res.headers.get('content-type')).toMatch(/^application\/xml/);
      const xml = await res.text();
      expect(xml).toContain('<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas">');
      expect(xml).toMatch(/<cas:authenticationSuccess>\s*<cas:user>li\.si<\/cas:user>\s*<cas:attributes>/);
      expect(xml).toContain('<cas:name>Li &lt;Si&gt; &amp; &quot;Co&quot;</cas:name>');
      for (const el of ['userName>li.si', 'tenant>acme', 'role>user', 'organizationCode>acme-sales', 'isFromNewLogin>true']) {
        expect(xml).toContain(`<cas:${el}</cas:`);
      }
      expect(xml).toMatch(/<cas:authenticationDate>\d{4}-\d\d-\d\dT[\d:.]+Z<\/cas:authenticationDate>/);
    } finally {
      await t.close();
    }
  });

  it('a ticket is good for one validation: the second answers INVALID_TICKET', async () => {
    const ticket = s.sim.issueTicket('acme', 'li.si', SERVICE);
    expect(JSON.parse((await validate(SERVICE, ticket)).text).serviceResponse.authenticationSuccess.user).toBe('li.si');
    const again = await validate(SERVICE, ticket);
    expect(again.status).toBe(200);
    expect(JSON.parse(again.text)).toEqual({
      serviceResponse: { authenticationFailure: { code: 'INVALID_TICKET', description: `Ticket '${ticket}' not recognized` } },
    });
  });

  it('another service than the one the ticket was issued for answers INVALID_SERVICE, and consumes the ticket', async () => {
    const ticket = s.sim.issueTicket('acme', 'li.si', SERVICE);
    const wrong = await validate(`${SERVICE}&extra=1`, ticket);
    expect(JSON.parse(wrong.text).serviceResponse.authenticationFailure.code).toBe('INVALID_SERVICE');
    expect(JSON.parse((await validate(SERVICE, ticket)).text).serviceResponse.authenticationFailure.code).toBe('INVALID_TICKET');
  });

  it('failures come in XML too, with the code as an attribute', async () => {
    const res = await validate(SERVICE, 'ST-<nope>', 'xml');
    expect(res.status).toBe(200);
    expect(res.text).toContain(`<cas:authenticationFailure code="INVALID_TICKET">Ticket &apos;ST-&lt;nope&gt;&apos; not recognized</cas:authenticationFailure>`);
  });

  it('a missing service or ticket answers INVALID_REQUEST', async () => {
    for (const [service, ticket] of [[undefined, 'ST-1'], [SERVICE, undefined]] as const) {
      expect(JSON.parse((await validate(service, ticket)).text).serviceResponse.authenticationFailure.code).toBe('INVALID_REQUEST');
    }
  });

  it('a ticket expires after ticketTtlMs (5 min by default)', async () => {
    const ticket = s.sim.issueTicket('acme', 'li.si', SERVICE);
    clock.advance(5 * 60 * 1000);
    expect(JSON.parse((await validate(SERVICE, ticket)).text).serviceResponse.authenticationFailure.code).toBe('INVALID_TICKET');
  });

  it('a ticket is only known to the tenant IdP that issued it', async () => {
    const ticket = s.sim.issueTicket('acme', 'li.si', SERVICE);
    const res = await get(`${s.idp('globex')}/api/v1/cas/p3/serviceValidate?service=${encodeURIComponent(SERVICE)}&ticket=${ticket}`);
    expect(JSON.parse(await res.text()).serviceResponse.authenticationFailure.code).toBe('INVALID_TICKET');
    expect(JSON.parse((await validate(SERVICE, ticket)).text).serviceResponse.authenticationSuccess.user).toBe('li.si');
  });

  it('isFromNewLogin is false and authenticationDate is the original login when the ticket came from the SSO cookie', async () => {
    const loginAt = clock.now();
    const cookie = await signIn(s.idp('acme'), ACME.clientId, 'li.si');
    clock.advance(60_000);
    const res = await get(`${cas}/login?service=${encodeURIComponent(SERVICE)}`, { cookie });
    const ticket = locationOf(res).searchParams.get('ticket')!;
    const attrs = JSON.parse((await validate(SERVICE, ticket)).text).serviceResponse.authenticationSuccess.attributes;
    expect(attrs).toMatchObject({ isFromNewLogin: false, authenticationDate: new Date(loginAt).toISOString() });
  });

  it('renew=true shows the login form despite the SSO cookie; gateway=true returns without a ticket', async () => {
    const service = encodeURIComponent(SERVICE);
    expect((await get(`${cas}/login?service=${service}&renew=true`, { cookie: await signIn(s.idp('acme'), ACME.clientId, 'li.si') })).status).toBe(200);
    const gateway = await get(`${cas}/login?service=${service}&gateway=true`);
    expect(gateway.status).toBe(302);
    expect(gateway.headers.get('location')).toBe(SERVICE);
  });

  it('logout clears the SSO cookie and redirects to the service', async () => {
    const cookie = await signIn(s.idp('acme'), ACME.clientId, 'li.si');
    const res = await get(`${cas}/logout?service=${encodeURIComponent('https://app.example.com/')}`, { cookie });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('https://app.example.com/');
    expect(cookieOf(res)).toBe('koosim_sso=');
    expect((await get(`${cas}/login?service=${encodeURIComponent(SERVICE)}`, { cookie })).status).toBe(200);
  });

  it('stats count every validation, good or bad', async () => {
    const before = s.sim.stats().validateCalls;
    await validate(SERVICE, s.sim.issueTicket('acme', 'li.si', SERVICE));
    await validate(SERVICE, 'ST-unknown');
    await validate(undefined, undefined);
    expect(s.sim.stats().validateCalls).toBe(before + 3);
  });
});
