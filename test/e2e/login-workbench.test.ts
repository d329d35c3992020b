/**
 * The aPaaS workbench and CAS as documented (spec §7 "Login details found later"): the workbench
 * starts authorize itself with its own `state`; userinfo `tenant` may be the tenant id or the
 * enterprise code; CAS validates and logs out with the registered service URL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestBrowser, type Page } from '../support/browser.js';
import { demoTenantAs, startE2E, type E2E } from '../support/e2e.js';
import { DEMO_TENANTS } from '../../tools/simulator/demo-data.js';

/** A tenant whose IdP says its enterprise code in `tenant` (Huawei OrgID style). */
const CODED = { ...demoTenantAs('wb-coded'), tenantCode: 'ENT-WB-CODED', tenantClaim: 'code' as const };

describe('the aPaaS workbench and CAS as documented', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E({ tenants: [...DEMO_TENANTS, CODED] });
  });
  afterAll(() => e2e?.close());

  const whoAmI = async (browser: TestBrowser) => {
    const res = await browser.request(`${e2e.bridge.url}/api/session`);
    return res.status === 200 ? ((await res.json()) as { userName: string; loginMethod: string; tenant: { id: string } }) : null;
  };
  const path = (p: Page) => new URL(p.url).pathname;
  const atSim = (u: string) => u.startsWith(e2e.simUrl);

  /** The workbench tile: the IdP's authorize with the workbench's own state, signed in there as `userName`. */
  async function workbench(browser: TestBrowser, tenant: string, userName: string, state = 'wb-9f3c2a'): Promise<Page> {
    const form = await browser.go(e2e.sim.workbenchAuthorizeUrl(tenant, state));
    expect(path(form)).toBe(`/idp/${tenant}/api/v1/oauth2/authorize`);
    return browser.postForm(form.url, { userName, password: 'x' });
  }

  it('a workbench login (its own state, no login started by us) is an IdP-initiated login that lands on the landing page', async () => {
    const browser = new TestBrowser();
    const done = await workbench(browser, 'acme', 'li.si');
    expect(done.status).toBe(200);
    expect(done.hops.map((h) => new URL(h.url).pathname)).toEqual(['/idp/acme/api/v1/oauth2/authorize', '/sso/callback', '/sso/me']);
    expect(new URL(done.hops[1]!.url).searchParams.get('state')).toBe('wb-9f3c2a');
    expect(await whoAmI(browser)).toMatchObject({ userName: 'li.si', tenant: { id: 'acme' } });
  });

  it('a workbench code is not tied to this browser: it asks before replacing another identity’s session', async () => {
    const browser = new TestBrowser();
    await workbench(browser, 'acme', 'zhang.san');
    const asked = await workbench(browser, 'globex', 'zhao.liu', 'wb-other');
    expect(path(asked)).toBe('/sso/confirm');
    expect(await whoAmI(browser)).toMatchObject({ userName: 'zhang.san', tenant: { id: 'acme' } });
  });

  it('a state the bridge issued to another browser is still refused, even where workbench logins are accepted', async () => {
    const starter = new TestBrowser();
    const toIdp = await starter.go(`${e2e.bridge.url}/sso/login?tenant=acme`, { stopAt: atSim });
    const ours = new URL(toIdp.url).searchParams.get('state')!;
    const thief = new TestBrowser();
    const page = await thief.go(`${e2e.bridge.url}/sso/callback?code=${e2e.sim.issueCode('acme', 'li.si')}&tenant=acme&state=${encodeURIComponent(ours)}`);
    expect(page.status).toBe(400);
    expect(page.text).toContain('This sign-in has expired');
    expect(await whoAmI(thief)).toBeNull();
  });

  it('with KOO_IDP_INITIATED=0 a workbench login is refused', async () => {
    const strict = await startE2E({ bridge: { env: { KOO_IDP_INITIATED: '0' } } });
    try {
      const browser = new TestBrowser();
      const form = await browser.go(strict.sim.workbenchAuthorizeUrl('acme', 'wb-1'));
      const page = await browser.postForm(form.url, { userName: 'li.si', password: 'x' });
      expect(page.status).toBe(403);
      expect(page.text).toContain('started from the application');
    } finally {
      await strict.close();
    }
  });

  it('userinfo and CAS `tenant` may be the enterprise code (tenantCode) instead of the tenant id', async () => {
    const oauth = new TestBrowser();
    const done = await oauth.go(`${e2e.bridge.url}/sso/callback?code=${e2e.sim.issueCode(CODED.tenantId, 'li.si')}&tenant=${CODED.tenantId}`);
    expect(path(done)).toBe('/sso/me');
    expect(await whoAmI(oauth)).toMatchObject({ userName: 'li.si', tenant: { id: CODED.tenantId } });
    const cas = new TestBrowser();
    const service = `${e2e.bridge.url}/sso/cas?tenant=${CODED.tenantId}`;
    expect(path(await cas.go(`${service}&ticket=${e2e.sim.issueTicket(CODED.tenantId, 'li.si', service)}`))).toBe('/sso/me');
    expect(await whoAmI(cas)).toMatchObject({ loginMethod: 'cas', tenant: { id: CODED.tenantId } });
  });

  it('CAS logout sends the registered CAS service URL, which then starts a CAS login again', async () => {
    const browser = new TestBrowser();
    const toIdp = await browser.go(`${e2e.bridge.url}/sso/login?tenant=globex&protocol=cas`, { stopAt: atSim });
    await browser.postForm(toIdp.url, { userName: 'zhao.liu', password: 'x' });
    expect(await whoAmI(browser)).toMatchObject({ loginMethod: 'cas' });
    const out = await browser.postForm(`${e2e.bridge.url}/sso/logout`, {}, { headers: { origin: e2e.bridge.url }, stopAt: atSim });
    const logout = new URL(out.url);
    expect(logout.pathname).toBe('/idp/globex/api/v1/cas/logout');
    expect(logout.searchParams.get('service')).toBe(`${e2e.bridge.url}/sso/cas?tenant=globex`);
    const back = await browser.go(out.url);
    expect(back.hops.map((h) => new URL(h.url).pathname)).toEqual(['/idp/globex/api/v1/cas/logout', '/sso/cas', '/sso/login', '/idp/globex/api/v1/cas/login']);
    expect(await whoAmI(browser)).toBeNull();
  });

  it('a CAS login we started validates with exactly the service it was started with, and keeps its return target', async () => {
    const browser = new TestBrowser();
    const toIdp = await browser.go(`${e2e.bridge.url}/sso/login?tenant=globex&protocol=cas&return_to=${encodeURIComponent(`${e2e.bridge.url}/sso/me`)}`, { stopAt: atSim });
    expect(new URL(toIdp.url).searchParams.get('service')).toBe(`${e2e.bridge.url}/sso/cas?tenant=globex`);
    const done = await browser.postForm(toIdp.url, { userName: 'zhao.liu', password: 'x' });
    expect(path(done)).toBe('/sso/me');
  });
});
