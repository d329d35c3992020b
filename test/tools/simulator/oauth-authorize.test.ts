import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACME, GLOBEX, get, jsonOf, locationOf, postForm, redeem, signIn, startSim, userinfo, type RunningSim } from './harness.js';

const APP_CALLBACK = 'https://app.example.com/sso/callback';
const authorizeQuery = (over: Record<string, string> = {}) =>
  new URLSearchParams({ client_id: ACME.clientId, redirect_uri: APP_CALLBACK, response_type: 'code', scope: 'get_user_info', ...over });

describe('tenant IdP: OAuth2 authorize (aPaaS workbench)', () => {
  let s: RunningSim;
  let authorize: string;
  beforeAll(async () => {
    s = await startSim();
    authorize = `${s.idp('acme')}/api/v1/oauth2/authorize`;
  });
  afterAll(() => s.close());

  it('domainName is the tenant IdP under /idp/:tenantId of the base URL', () => {
    expect(s.sim.domainName('acme')).toBe(`${s.url}/idp/acme`);
  });

  it('a browser without the SSO cookie sees the tenant login form, posting back to the same URL', async () => {
    const q = authorizeQuery({ state: 'xyz' });
    const res = await get(`${authorize}?${q}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Sign in to Acme Trading Co.');
    expect(html).toContain(`action="/idp/acme/api/v1/oauth2/authorize?${q.toString().replace(/&/g, '&amp;')}"`);
    expect(html).not.toContain('zhao.liu'); // only this tenant's users
  });

  it('posting the login form redirects to redirect_uri with code, state and tenant', async () => {
    const res = await postForm(`${authorize}?${authorizeQuery({ state: 'st-1' })}`, { userName: 'li.si', password: 'pw' });
    expect(res.status).toBe(302);
    const to = locationOf(res);
    expect(`${to.origin}${to.pathname}`).toBe(APP_CALLBACK);
    expect(to.searchParams.get('state')).toBe('st-1');
    expect(to.searchParams.get('tenant')).toBe('acme');
    expect(to.searchParams.get('code')).toMatch(/^[\w-]{20,}$/);
  });

  it('a browser holding the SSO cookie is redirected at once, with no state when none was sent', async () => {
    const cookie = await signIn(s.idp('acme'), ACME.clientId, 'zhang.san');
    const res = await get(`${authorize}?${authorizeQuery()}`, { cookie });
    expect(res.status).toBe(302);
    expect([...locationOf(res).searchParams.keys()].sort()).toEqual(['code', 'tenant']);
  });

  it('a tenant SSO cookie does not sign the browser in at another tenant', async () => {
    const cookie = await signIn(s.idp('acme'), ACME.clientId, 'zhang.san');
    const q = authorizeQuery({ client_id: GLOBEX.clientId });
    const res = await get(`${s.idp('globex')}/api/v1/oauth2/authorize?${q}`, { cookie });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Sign in to Globex Industries');
  });

  it('a wrong user or an empty password shows the form again with a 400 and no redirect', async () => {
    const bad = await postForm(`${authorize}?${authorizeQuery()}`, { userName: 'nobody', password: 'pw' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('There is no user &quot;nobody&quot; in Acme Trading Co.');
    const empty = await postForm(`${authorize}?${authorizeQuery()}`, { userName: 'li.si', password: '' });
    expect(empty.status).toBe(400);
    expect(empty.headers.get('location')).toBeNull();
  });

  it('an unknown client_id for the tenant is refused with 400 invalid_client (even another tenant’s)', async () => {
    for (const clientId of ['nope', GLOBEX.clientId]) {
      const res = await get(`${authorize}?${authorizeQuery({ client_id: clientId })}`);
      expect(res.status).toBe(400);
      expect(await jsonOf(res)).toEqual({ error: 'invalid_client', error_description: 'Unknown client_id' });
    }
  });

  it('a response_type other than code is refused with 400 unsupported_response_type', async () => {
    const res = await get(`${authorize}?${authorizeQuery({ response_type: 'token' })}`);
    expect(res.status).toBe(400);
    expect((await jsonOf(res)).error).toBe('unsupported_response_type');
  });

  it('a missing or relative redirect_uri is refused with 400 invalid_request, never redirected to', async () => {
    const res = await get(`${authorize}?${authorizeQuery({ redirect_uri: '/relative' })}`);
    expect(res.status).toBe(400);
    expect((await jsonOf(res)).error).toBe('invalid_request');
  });

  it('the code from authorize is redeemed for tokens and userinfo of the signed-in user', async () => {
    const res = await postForm(`${authorize}?${authorizeQuery()}`, { userName: 'zhang.san', password: 'pw' });
    const token = await redeem(s.idp('acme'), ACME, locationOf(res).searchParams.get('code')!, { redirect_uri: APP_CALLBACK });
    expect(token.status).toBe(200);
    const info = await userinfo(s.idp('acme'), token.body.access_token);
    expect(info.body).toMatchObject({ userName: 'zhang.san', role: 'admin', tenant: 'acme' });
  });

  it('logout ends the SSO session, clears the cookie and redirects to redirect_url', async () => {
    const cookie = await signIn(s.idp('acme'), ACME.clientId, 'li.si');
    const res = await get(`${s.idp('acme')}/api/v1/logout?redirect_url=${encodeURIComponent('https://app.example.com/bye')}`, { cookie });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('https://app.example.com/bye');
    expect(res.headers.getSetCookie()[0]).toMatch(/^koosim_sso=; path=\/idp\/acme; expires=Thu, 01 Jan 1970/);
    // Even a browser that kept the old cookie is no longer signed in.
    expect((await get(`${authorize}?${authorizeQuery()}`, { cookie })).status).toBe(200);
  });

  it('an unknown tenant under /idp answers 404 JSON', async () => {
    const res = await get(`${s.url}/idp/initech/api/v1/oauth2/authorize?${authorizeQuery()}`);
    expect(res.status).toBe(404);
    expect(await jsonOf(res)).toEqual({ error: 'not_found', error_description: 'unknown tenant' });
  });

  it('GET /sim/healthz answers 200', async () => {
    const res = await get(`${s.url}/sim/healthz`);
    expect(res.status).toBe(200);
    expect(await jsonOf(res)).toEqual({ status: 'ok' });
  });

  it('the tenant login form sets an HttpOnly SSO cookie scoped to that tenant’s IdP path', async () => {
    const res = await postForm(`${authorize}?${authorizeQuery()}`, { userName: 'li.si', password: 'pw' });
    expect(res.headers.getSetCookie()).toEqual([expect.stringMatching(/^koosim_sso=[\w-]+; path=\/idp\/acme; samesite=lax; httponly$/)]);
  });
});
