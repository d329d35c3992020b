/**
 * The CAS 3.0 server end to end, against the simulator and a real Redis, with plain HTTP as the
 * browser and as the CAS app's server side (Apache's mod_auth_cas is in cas-apache.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authBody } from '../support/bridge.js';
import { TestBrowser } from '../support/browser.js';
import { startCasApp, type CasTestApp } from '../support/cas-app.js';
import { DEMO_TENANTS } from '../../tools/simulator/demo-data.js';
import { demoTenantAs, startE2E, type E2E } from '../support/e2e.js';
import { casSignIn, validate } from './cas-support.js';

const gone = demoTenantAs('casgone');

describe('CAS server', () => {
  let app: CasTestApp;
  let e2e: E2E;
  let bridge: string;
  const service = (path = '/app/page') => `${app.url}${path}`;
  const signIn = (browser: TestBrowser, path = '/app/page', extra: Partial<Parameters<typeof casSignIn>[1]> = {}) =>
    casSignIn(browser, { bridgeUrl: bridge, simUrl: e2e.simUrl, service: service(path), login: { tenant: 'acme', userName: 'zhang.san' }, ...extra });

  beforeAll(async () => {
    app = await startCasApp((url) => [
      { id: 'app', name: 'Sample CAS app', service_prefix: `${url}/app/` },
      { id: 'second', service_prefix: `${url}/second/` },
      { id: 'globex-only', service: `${url}/globex-only`, allowed_tenants: ['globex'], user: 'userName' },
      { id: 'quiet', service_prefix: `${url}/quiet/`, single_logout: false, attributes: ['tenant_id'] },
    ]);
    e2e = await startE2E({ tenants: [...DEMO_TENANTS, gone], bridge: { env: { CAS_SERVICES_FILE: app.servicesFile }, outbox: { retry: { baseDelayMs: 200 } } } });
    bridge = e2e.bridge.url;
  });
  afterAll(async () => {
    await e2e?.close();
    await app?.close();
  });

  it('signs a browser in through KooGallery and back to the service with a ticket; serviceValidate answers who it is (XML)', async () => {
    const browser = new TestBrowser();
    const { back, signedInAt } = await signIn(browser);
    expect(signedInAt).toContain('/unified-login');
    expect(back.pathname).toBe('/app/page');
    const ticket = back.searchParams.get('ticket')!;
    expect(ticket).toMatch(/^ST-[0-9a-f]{64}$/);

    const answer = await validate(bridge, '/cas/serviceValidate', { service: service(), ticket });
    expect(answer.status).toBe(200);
    expect(answer.type).toContain('application/xml');
    expect(answer.text).toContain('<cas:authenticationSuccess>');
    expect(answer.text).toContain(`<cas:user>acme.${Buffer.from('zhang.san').toString('base64url')}</cas:user>`);
    for (const line of ['<cas:tenant_id>acme</cas:tenant_id>', '<cas:userName>zhang.san</cas:userName>', '<cas:name>Zhang San</cas:name>', '<cas:role>admin</cas:role>', '<cas:org_code>acme-it</cas:org_code>', '<cas:email>zhang.san@acme.example.com</cas:email>', '<cas:mobile>+86-100-0000-0001</cas:mobile>', '<cas:isFromNewLogin>true</cas:isFromNewLogin>', '<cas:longTermAuthenticationRequestTokenUsed>false</cas:longTermAuthenticationRequestTokenUsed>']) {
      expect(answer.text).toContain(line);
    }
    expect(answer.text).toMatch(/<cas:authenticationDate>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z<\/cas:authenticationDate>/);
  });

  it('a second service of the same browser gets a ticket without a new sign-in (isFromNewLogin false), answered as JSON by /cas/p3/serviceValidate', async () => {
    const browser = new TestBrowser();
    await signIn(browser);
    const { back, signedInAt } = await signIn(browser, '/second/x?a=1');
    expect(signedInAt).toBeNull();
    expect(back.searchParams.get('a')).toBe('1');
    const answer = await validate(bridge, '/cas/p3/serviceValidate', { service: service('/second/x?a=1'), ticket: back.searchParams.get('ticket')!, format: 'JSON' });
    expect(answer.type).toContain('application/json');
    expect(JSON.parse(answer.text)).toMatchObject({ serviceResponse: { authenticationSuccess: { user: expect.stringMatching(/^acme\./), attributes: { tenant_id: 'acme', userName: 'zhang.san', isFromNewLogin: 'false' } } } });
  });

  it('a ticket is good for one validation attempt: replayed, it is INVALID_TICKET; presented for another service, INVALID_SERVICE and spent', async () => {
    const browser = new TestBrowser();
    const ticket = (await signIn(browser)).back.searchParams.get('ticket')!;
    expect((await validate(bridge, '/cas/serviceValidate', { service: service(), ticket })).text).toContain('authenticationSuccess');
    const replay = await validate(bridge, '/cas/serviceValidate', { service: service(), ticket });
    expect(replay.text).toContain('<cas:authenticationFailure code="INVALID_TICKET">');
    expect(replay.text).not.toContain(ticket);

    const other = (await signIn(browser)).back.searchParams.get('ticket')!;
    expect((await validate(bridge, '/cas/serviceValidate', { service: service('/second/x'), ticket: other })).text).toContain('code="INVALID_SERVICE"');
    expect((await validate(bridge, '/cas/serviceValidate', { service: service(), ticket: other })).text).toContain('code="INVALID_TICKET"');
  });

  it('of ten parallel validations of one ticket exactly one succeeds', async () => {
    const browser = new TestBrowser();
    const ticket = (await signIn(browser)).back.searchParams.get('ticket')!;
    const answers = await Promise.all(Array.from({ length: 10 }, () => validate(bridge, '/cas/p3/serviceValidate', { service: service(), ticket })));
    expect(answers.filter((a) => a.text.includes('authenticationSuccess'))).toHaveLength(1);
    expect(answers.filter((a) => a.text.includes('code="INVALID_TICKET"'))).toHaveLength(9);
  });

  it('answers the spec\'s request errors: INVALID_REQUEST without ticket or service, INVALID_TICKET_SPEC for a proxy ticket, JSON when asked', async () => {
    expect((await validate(bridge, '/cas/serviceValidate', { service: service() })).text).toContain('code="INVALID_REQUEST"');
    expect((await validate(bridge, '/cas/serviceValidate', { ticket: 'ST-x' })).text).toContain('code="INVALID_REQUEST"');
    expect((await validate(bridge, '/cas/serviceValidate', { service: service(), ticket: 'PT-1-abc' })).text).toContain('code="INVALID_TICKET_SPEC"');
    expect(JSON.parse((await validate(bridge, '/cas/p3/serviceValidate', { service: service(), ticket: 'ST-unknown', format: 'JSON' })).text)).toEqual({ serviceResponse: { authenticationFailure: { code: 'INVALID_TICKET', description: expect.any(String) } } });
  });

  it('CAS 1.0 /cas/validate answers yes and the user, then no', async () => {
    const browser = new TestBrowser();
    const ticket = (await signIn(browser)).back.searchParams.get('ticket')!;
    expect((await validate(bridge, '/cas/validate', { service: service(), ticket })).text).toBe(`yes\nacme.${Buffer.from('zhang.san').toString('base64url')}\n`);
    expect((await validate(bridge, '/cas/validate', { service: service(), ticket })).text).toBe('no\n\n');
  });

  it('renew=true forces a new sign-in even with a session, and renew on validation refuses a single-sign-on ticket', async () => {
    const browser = new TestBrowser();
    await signIn(browser);
    const sso = (await signIn(browser)).back.searchParams.get('ticket')!;
    expect((await validate(bridge, '/cas/serviceValidate', { service: service(), ticket: sso, renew: 'true' })).text).toContain('code="INVALID_TICKET"');

    const renewed = await signIn(browser, '/app/page', { params: { renew: 'true' } });
    expect(renewed.signedInAt).not.toBeNull();
    const answer = await validate(bridge, '/cas/serviceValidate', { service: service(), ticket: renewed.back.searchParams.get('ticket')!, renew: 'true' });
    expect(answer.text).toContain('<cas:isFromNewLogin>true</cas:isFromNewLogin>');
  });

  it('gateway=true without a session returns to the service without a ticket and never shows a login', async () => {
    const page = await new TestBrowser().go(`${bridge}/cas/login?${new URLSearchParams({ service: service(), gateway: 'true' })}`, { stopAt: (u) => u.startsWith(app.url) });
    expect(page.url).toBe(service());
    expect(page.hops).toHaveLength(1);
  });

  it('an unregistered service gets a readable error page, never a redirect with a ticket (also a look-alike host or an escaping path)', async () => {
    const browser = new TestBrowser();
    await signIn(browser);
    for (const foreign of ['https://evil.example/app/', `${app.url}/application`, `${app.url}/app/../admin`, `${app.url.replace('127.0.0.1', '127.0.0.1.evil.example')}/app/`, `${app.url}/app/#frag`]) {
      const res = await browser.request(`${bridge}/cas/login?${new URLSearchParams({ service: foreign })}`);
      expect(res.status, foreign).toBe(403);
      expect(res.headers.get('location')).toBeNull();
      expect(await res.text()).toContain('This application may not use this sign-in');
    }
    const zh = await new TestBrowser({ acceptLanguage: 'zh-CN' }).request(`${bridge}/cas/login?service=https%3A%2F%2Fevil.example%2F`);
    expect(await zh.text()).toContain('这个应用不能使用本登录');
  });

  it('a tenant the service does not allow gets a 403 page, no ticket', async () => {
    const browser = new TestBrowser();
    await signIn(browser);
    const res = await browser.request(`${bridge}/cas/login?${new URLSearchParams({ service: service('/globex-only') })}`);
    expect(res.status).toBe(403);
    expect(res.headers.get('location')).toBeNull();
    expect(await res.text()).toContain('Your organization may not use this application');
  });

  it('/cas/logout ends the bridge session, sends single logout to every service that got a ticket in it, and returns to a registered service', async () => {
    const browser = new TestBrowser();
    const first = (await signIn(browser)).back.searchParams.get('ticket')!;
    const second = (await signIn(browser, '/second/y')).back.searchParams.get('ticket')!;
    const quiet = (await signIn(browser, '/quiet/z')).back.searchParams.get('ticket')!;
    const other = new TestBrowser();
    const others = (await signIn(other)).back.searchParams.get('ticket')!;

    // Node's fetch sends no Sec-Fetch-Site (a top-level navigation from another site is Chromium's, in cas-apache.test.ts).
    const out = await browser.go(`${bridge}/cas/logout?${new URLSearchParams({ service: service('/app/bye') })}`, { stopAt: (u) => !u.startsWith(bridge) });
    expect(out.url.startsWith(e2e.simUrl) || out.url === service('/app/bye')).toBe(true);
    expect((await browser.request(`${bridge}/api/session`)).status).toBe(401);

    // (Other tests' sessions, ended by their own sign-ins, may be told meanwhile: only this one's are counted.)
    await expect.poll(() => app.logouts.map((l) => l.sessionIndex), { timeout: 5_000, interval: 50 }).toEqual(expect.arrayContaining([first, second]));
    const request = app.logouts.find((l) => l.sessionIndex === first)!;
    expect(request.path).toBe('/app/page');
    expect(request.xml).toMatch(/^<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="LR-[A-Za-z0-9_-]+" Version="2.0" IssueInstant="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"><saml:NameID>@NOT_USED@<\/saml:NameID><samlp:SessionIndex>ST-/);
    expect(app.logouts.map((l) => l.sessionIndex)).not.toContain(quiet);
    expect(app.logouts.map((l) => l.sessionIndex)).not.toContain(others);
    // A ticket of the ended session that no app validated yet is dead too.
    expect((await validate(bridge, '/cas/serviceValidate', { service: service('/quiet/z'), ticket: quiet })).text).toContain('code="INVALID_TICKET"');
    expect((await validate(bridge, '/cas/serviceValidate', { service: service(), ticket: others })).text).toContain('authenticationSuccess');
    app.logouts.length = 0;
  });

  it('signing out at the bridge itself (/sso/logout) sends single logout to the session\'s CAS services too', async () => {
    const browser = new TestBrowser();
    const ticket = (await signIn(browser, '/app/sso-out')).back.searchParams.get('ticket')!;
    const confirm = await browser.go(`${bridge}/sso/logout`);
    const token = /name="token" value="([^"]+)"/.exec(confirm.text)![1]!;
    await browser.postForm(`${bridge}/sso/logout`, { token }, { headers: { origin: bridge }, stopAt: (u) => !u.startsWith(bridge) });
    expect((await browser.request(`${bridge}/api/session`)).status).toBe(401);
    await expect.poll(() => app.logouts.map((l) => l.sessionIndex), { timeout: 5_000, interval: 50 }).toContain(ticket);
    app.logouts.length = 0;
  });

  it('/cas/logout refuses to run as an image or a fetch from another page', async () => {
    const browser = new TestBrowser();
    await signIn(browser);
    const res = await browser.request(`${bridge}/cas/logout`, { headers: { 'sec-fetch-mode': 'no-cors', 'sec-fetch-dest': 'image', 'sec-fetch-site': 'cross-site' } });
    expect(res.status).toBe(403);
    expect((await browser.request(`${bridge}/api/session`)).status).toBe(200);
  });

  it('an operator ending sessions through the admin API sends single logout: one session by its handle, then all of a user\'s', async () => {
    const login = { tenant: 'acme', userName: 'li.si' };
    const signedIn = async (path: string) => {
      const ticket = (await signIn(new TestBrowser(), path, { login })).back.searchParams.get('ticket')!;
      expect((await validate(bridge, '/cas/serviceValidate', { service: service(path), ticket })).text).toContain('authenticationSuccess');
      return ticket;
    };
    const first = await signedIn('/app/revoked-one');
    const listed = await e2e.bridge.admin('/tenants/acme/users/li.si/sessions');
    expect(listed.body.sessions).toHaveLength(1);
    expect((await e2e.bridge.admin(`/tenants/acme/sessions/${listed.body.sessions[0].handle}`, { method: 'DELETE' })).body).toEqual({ revoked: 1 });
    await expect.poll(() => app.logouts.map((l) => l.sessionIndex), { timeout: 5_000, interval: 50 }).toContain(first);

    const second = await signedIn('/app/revoked-all');
    expect((await e2e.bridge.admin('/tenants/acme/users/li.si/sessions', { method: 'DELETE' })).body).toEqual({ revoked: 1 });
    await expect.poll(() => app.logouts.map((l) => l.sessionIndex), { timeout: 5_000, interval: 50 }).toContain(second);
  });

  it('deprovisioning a user sends single logout to the services of every session of the user, and kills tickets not yet validated', async () => {
    const browser = new TestBrowser();
    const login = { tenant: 'casgone', userName: 'li.si' };
    const validated = (await signIn(browser, '/app/p', { login })).back.searchParams.get('ticket')!;
    expect((await validate(bridge, '/cas/serviceValidate', { service: service('/app/p'), ticket: validated })).text).toContain('authenticationSuccess');
    const pending = (await signIn(browser, '/second/p')).back.searchParams.get('ticket')!;

    const answer = await e2e.bridge.sender.send('authSync', authBody([{ userName: 'li.si' }], { tenantId: 'casgone', flag: 3, currentSyncTime: '20991231000000000' }));
    expect(answer.resultCode).toBe('000000');
    expect((await validate(bridge, '/cas/serviceValidate', { service: service('/second/p'), ticket: pending })).text).toContain('code="INVALID_TICKET"');
    await expect.poll(() => app.logouts.map((l) => l.sessionIndex), { timeout: 5_000, interval: 50 }).toEqual(expect.arrayContaining([validated, pending]));
  });
});
