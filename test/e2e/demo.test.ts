import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemo, type Demo } from '../../src/demo/demo.js';
import { TestBrowser } from '../support/browser.js';
import { freePort } from '../support/redis-server.js';

// Generating the demo's 3072-bit key pair can take a few seconds on a slow machine.
const START_TIMEOUT_MS = 60_000;

describe('npm run demo: a person can click through a login', () => {
  let demo: Demo;
  beforeAll(async () => {
    demo = await startDemo({ port: await freePort(), simPort: await freePort() });
  }, START_TIMEOUT_MS);
  afterAll(() => demo?.stop());

  it('the banner URLs name localhost, the host a browser keeps its cookies under', () => {
    expect(new URL(demo.bridgeUrl).hostname).toBe('localhost');
    expect(new URL(demo.simUrl).hostname).toBe('localhost');
  });

  it('/sso/login → unified login form → zhang.san of acme → lands on /sso/me signed in as Zhang San', async () => {
    const browser = new TestBrowser();
    const form = await browser.go(`${demo.bridgeUrl}/sso/login`);
    expect(form.url).toBe(`${demo.simUrl}/unified-login/?ind=UNOP&appId=demo-app`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('Acme Trading Co.');

    const landed = await browser.postForm(`${demo.simUrl}/unified-login/submit`, { tenant: 'acme', userName: 'zhang.san', password: 'anything' });
    expect(landed.url).toBe(`${demo.bridgeUrl}/sso/me`);
    expect(landed.status).toBe(200);
    expect(landed.text).toContain('Signed in as Zhang San');

    const session = await browser.request(`${demo.bridgeUrl}/api/session`);
    expect(session.status).toBe(200);
    expect(await session.json()).toMatchObject({ tenant: { id: 'acme', name: 'Acme Trading Co.' }, userName: 'zhang.san', name: 'Zhang San', role: 'admin' });
  });

  it('the CAS link of the banner signs a globex user in', async () => {
    const browser = new TestBrowser();
    const casForm = await browser.go(`${demo.bridgeUrl}/sso/login?tenant=globex&protocol=cas`);
    expect(new URL(casForm.url).pathname).toBe('/idp/globex/api/v1/cas/login');
    const landed = await browser.postForm(casForm.url, { userName: 'zhao.liu', password: 'x' });
    expect(landed.text).toContain('Signed in as Zhao Liu');
  });

  it('wang.wu, disabled in the synced directory, is refused with 403 and gets no session', async () => {
    const browser = new TestBrowser();
    await browser.go(`${demo.bridgeUrl}/sso/login`);
    const refused = await browser.postForm(`${demo.simUrl}/unified-login/submit`, { tenant: 'acme', userName: 'wang.wu', password: 'x' });
    expect(refused.status).toBe(403);
    expect((await browser.request(`${demo.bridgeUrl}/api/session`)).status).toBe(401);
  });

  it('the admin API, with the token the banner prints, lists both tenants', async () => {
    const res = await fetch(`${demo.bridgeUrl}/admin/api/tenants`, { headers: { authorization: `Bearer ${demo.adminToken}` } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { tenants: Array<{ tenantId: string; synced: boolean }> };
    expect(body.tenants.map((t) => t.tenantId).sort()).toEqual(['acme', 'globex']);
  });
});
