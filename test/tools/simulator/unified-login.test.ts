import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TENANTS } from '../../../tools/simulator/demo-data.js';
import type { SimTenant } from '../../../tools/simulator/types.js';
import { ACME, APP, CALLBACK, cookieOf, get, locationOf, postForm, redeem, startSim, userinfo, type RunningSim } from './harness.js';

// A tenant whose names would break the page if they were not escaped.
const HOSTILE: SimTenant = {
  tenantId: 'hostile',
  tenantCode: 'hostile',
  name: '<script>alert(1)</script> & Co',
  clientId: 'hostile-client',
  clientSecret: 'hostile-secret',
  users: [{ userName: 'x"onmouseover="y', name: '<b>bold</b>', role: 'user', orgCode: 'o' }],
};

describe('unified login page', () => {
  let s: RunningSim;
  beforeAll(async () => {
    s = await startSim({ tenants: [...DEMO_TENANTS, HOSTILE] });
  });
  afterAll(() => s.close());

  it('shows a plain HTML form listing every tenant and its users, at /unified-login and /unified-login/', async () => {
    for (const path of ['/unified-login', `/unified-login/?ind=UNOP&appId=${APP}`]) {
      const res = await get(`${s.url}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await res.text();
      expect(html).toContain('action="/unified-login/submit"');
      expect(html).toContain('<option value="acme">');
      expect(html).toContain('<option value="zhang.san">');
      expect(html).not.toMatch(/<script|src=|href=/);
    }
  });

  it('escapes tenant and user names in the page', async () => {
    const html = await (await get(`${s.url}/unified-login/`)).text();
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co');
    expect(html).toContain('value="x&quot;onmouseover=&quot;y"');
    expect(html).toContain('&lt;b&gt;bold&lt;/b&gt;');
  });

  it('refuses an appId that is not the merchant app with a readable 400', async () => {
    const res = await get(`${s.url}/unified-login/?ind=UNOP&appId=someone-else`);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('Unknown appId &quot;someone-else&quot;');
  });

  it('a successful sign-in redirects to the registered callback with code and tenant, and no state', async () => {
    const res = await postForm(`${s.url}/unified-login/submit`, { tenant: 'acme', userName: 'li.si', password: 'secret' });
    expect(res.status).toBe(302);
    const to = locationOf(res);
    expect(`${to.origin}${to.pathname}`).toBe(CALLBACK);
    expect([...to.searchParams.keys()].sort()).toEqual(['code', 'tenant']);
    expect(to.searchParams.get('tenant')).toBe('acme');
    expect(res.headers.getSetCookie()[0]).toMatch(/^koosim_sso=[^;]+; path=\/idp\/acme; samesite=lax; httponly$/);
  });

  it('the unified login code is redeemable at the tenant IdP for that user', async () => {
    const res = await postForm(`${s.url}/unified-login/submit`, { tenant: 'acme', userName: 'zhang.san', password: 'x' });
    const code = locationOf(res).searchParams.get('code')!;
    const token = await redeem(s.idp('acme'), ACME, code, { redirect_uri: CALLBACK });
    expect(token.status).toBe(200);
    expect((await userinfo(s.idp('acme'), token.body.access_token)).body.userName).toBe('zhang.san');
  });

  it('signing in at the unified login also signs the browser in at the tenant IdP (workbench SSO)', async () => {
    const res = await postForm(`${s.url}/unified-login/submit`, { tenant: 'acme', userName: 'li.si', password: 'x' });
    const q = new URLSearchParams({ client_id: ACME.clientId, redirect_uri: 'https://app.example.com/cb', response_type: 'code' });
    const again = await get(`${s.idp('acme')}/api/v1/oauth2/authorize?${q}`, { cookie: cookieOf(res) });
    expect(again.status).toBe(302);
    expect(locationOf(again).searchParams.get('code')).toMatch(/^[\w-]{20,}$/);
  });

  it('appends code and tenant with & when the callback already has a query', async () => {
    const t = await startSim({ callbackUrl: 'http://bridge.test/sso/callback?from=koo' });
    try {
      const res = await postForm(`${t.url}/unified-login/submit`, { tenant: 'globex', userName: 'li.si', password: 'x' });
      expect(res.headers.get('location')).toMatch(/^http:\/\/bridge\.test\/sso\/callback\?from=koo&code=[\w-]+&tenant=globex$/);
    } finally {
      await t.close();
    }
  });

  it.each([
    [{ tenant: 'initech', userName: 'li.si', password: 'x' }, 'There is no enterprise &quot;initech&quot;'],
    [{ tenant: 'acme', userName: 'zhao.liu', password: 'x' }, 'There is no user &quot;zhao.liu&quot; in Acme Trading Co.'],
    [{ tenant: 'acme', userName: 'li.si', password: '' }, 'Please type a password'],
  ])('an unknown tenant, a user of another tenant or an empty password shows the form again with a 400 (%j)', async (fields, message) => {
    const res = await postForm(`${s.url}/unified-login/submit`, fields);
    expect(res.status).toBe(400);
    expect(res.headers.getSetCookie()).toEqual([]);
    const html = await res.text();
    expect(html).toContain(message);
    expect(html).toContain('action="/unified-login/submit"');
  });
});
