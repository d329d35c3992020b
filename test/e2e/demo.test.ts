import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startDemo, type Demo } from '../../examples/demo/demo.js';
import { TestBrowser, type Page } from '../support/browser.js';
import { freePort } from '../support/redis-server.js';

// The demo makes a fresh 3072-bit pair at start; here the run's pair (global-setup) stands in for
// it, as generating one is rsa-keys.test's subject and costs up to a second.
vi.mock('../../src/koogallery/rsa-keys.js', async (importOriginal) => {
  const { inject } = await import('vitest');
  return { ...(await importOriginal<object>()), generateRsaKeyPair: () => inject('testKeys').rsa3072 };
});

const START_TIMEOUT_MS = 30_000;

describe('npm run demo: a person can click through a login', () => {
  let demo: Demo;
  beforeAll(async () => {
    demo = await startDemo({ port: await freePort(), simPort: await freePort(), appPort: await freePort(), logLevel: 'silent' });
  }, START_TIMEOUT_MS);
  afterAll(() => demo?.stop());

  it('the banner URLs name localhost, the host a browser keeps its cookies under', () => {
    expect(new URL(demo.bridgeUrl).hostname).toBe('localhost');
    expect(new URL(demo.simUrl).hostname).toBe('localhost');
    expect(new URL(demo.appUrl).hostname).toBe('localhost');
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

  it('the banner’s subscription commands: freeze signs acme out and refuses a new sign-in in plain words; unfreeze lets zhang.san back in', async () => {
    const signIn = async (browser: TestBrowser) => {
      await browser.go(`${demo.bridgeUrl}/sso/login`);
      return browser.postForm(`${demo.simUrl}/unified-login/submit`, { tenant: 'acme', userName: 'zhang.san', password: 'anything' });
    };
    const browser = new TestBrowser();
    expect((await signIn(browser)).status).toBe(200);
    const frozen = await fetch(`${demo.simUrl}/sim/instances/acme/freeze`, { method: 'POST' });
    expect(await frozen.json()).toMatchObject({ resultCode: '000000' });
    expect((await browser.request(`${demo.bridgeUrl}/api/session`)).status).toBe(401);
    const refused = await signIn(browser);
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('frozen');
    await fetch(`${demo.simUrl}/sim/instances/acme/unfreeze`, { method: 'POST' });
    expect((await signIn(browser)).status).toBe(200);
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

  it('the admin console the banner names signs in with the same token', async () => {
    const browser = new TestBrowser();
    const page = await browser.postForm(`${demo.bridgeUrl}/admin/sign-in?lang=en`, { token: demo.adminToken }, { headers: { origin: demo.bridgeUrl } });
    expect(page.url).toBe(`${demo.bridgeUrl}/admin?lang=en`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('koobridge admin console');
  });

  it('the sample app\'s CAS page: sign in through the bridge\'s CAS server, see the attributes, sign out with single logout', async () => {
    const browser = new TestBrowser();
    const home = await browser.go(`${demo.appUrl}/cas-app/`);
    expect(home.text).toContain('You are signed out of this CAS-protected page');
    const signIn = /href="([^"]+\/cas\/login[^"]+)"/.exec(home.text)![1]!.replace(/&amp;/g, '&');
    const form = await browser.go(signIn);
    expect(form.url.startsWith(`${demo.simUrl}/unified-login/`)).toBe(true);
    const asked = await browser.postForm(`${demo.simUrl}/unified-login/submit`, { tenant: 'acme', userName: 'li.si', password: 'anything' });
    const landed = new URL(asked.url).pathname === '/sso/confirm' ? await browser.answerConfirmation(asked, 'continue') : asked;
    expect(landed.url).toBe(`${demo.appUrl}/cas-app/`);
    expect(landed.text).toContain('Signed in as Li Si');
    expect(landed.text).toContain('<th>tenant_id</th><td>acme</td>');
    expect(landed.text).toContain('<th>email</th><td>li.si@acme.example.com</td>');

    const signOut = /href="([^"]+\/cas\/logout[^"]+)"/.exec(landed.text)![1]!.replace(/&amp;/g, '&');
    await browser.go(signOut);
    expect((await browser.request(`${demo.bridgeUrl}/api/session`)).status).toBe(401);
    // The bridge's single logout reaches the page from the outbox, after the browser has left.
    await expect.poll(async () => (await browser.go(`${demo.appUrl}/cas-app/`)).text, { timeout: 5_000, interval: 100 }).toContain('You are signed out of this CAS-protected page');
  });

  describe('the sample SaaS app (an openid-client relying party of the bridge)', () => {
    /** The app's sign-in link, through the bridge to the unified login, then the user's form post. */
    async function signInThroughApp(browser: TestBrowser, tenant: string, userName: string): Promise<Page> {
      const home = await browser.go(`${demo.appUrl}/`);
      expect(home.text).toContain('href="/login"');
      const form = await browser.go(`${demo.appUrl}/login`);
      expect(form.url.startsWith(`${demo.simUrl}/unified-login/`)).toBe(true);
      const asked = await browser.postForm(`${demo.simUrl}/unified-login/submit`, { tenant, userName, password: 'anything' });
      // A unified-login code is not tied to this browser: the bridge asks before the app gets it.
      return new URL(asked.url).pathname === '/sso/confirm' ? browser.answerConfirmation(asked, 'continue') : asked;
    }

    /** oidc-provider's "sign me out" confirmation, answered yes. */
    async function confirmLogout(browser: TestBrowser, confirm: Page): Promise<Page> {
      expect(confirm.status).toBe(200);
      const xsrf = /name="xsrf" value="([^"]+)"/.exec(confirm.text)![1]!;
      const action = /<form[^>]*action="([^"]+)"/.exec(confirm.text)![1]!;
      return browser.postForm(new URL(action, demo.bridgeUrl).href, { xsrf, logout: 'yes' });
    }

    it('/ → /login → bridge → unified login (zhang.san of acme) → the app shows the ID-token claims and userinfo; /logout signs out everywhere', async () => {
      const browser = new TestBrowser();
      const landed = await signInThroughApp(browser, 'acme', 'zhang.san');
      expect(landed.url).toBe(`${demo.appUrl}/`);
      expect(landed.status).toBe(200);
      expect(landed.text).toContain('Signed in as Zhang San');
      const [idToken, userinfo] = landed.text.split('<h2>userinfo</h2>') as [string, string];
      expect(idToken).toContain('<th>tenant_id</th><td>acme</td>');
      expect(idToken).toContain('<th>preferred_username</th><td>zhang.san</td>');
      expect(idToken).toContain(`<th>iss</th><td>${demo.bridgeUrl}/oidc</td>`);
      expect(idToken).toContain('<th>aud</th><td>demo-saas</td>');
      expect(userinfo).toContain('<th>email</th><td>zhang.san@acme.example.com</td>');
      expect(userinfo).toContain('<th>phone_number</th><td>+86-100-0000-0001</td>');
      expect(userinfo).toContain('<th>tenant_name</th><td>Acme Trading Co.</td>');

      const confirm = await browser.postForm(`${demo.appUrl}/logout`, {});
      expect(new URL(confirm.url).pathname).toBe('/oidc/session/end');
      const out = await confirmLogout(browser, confirm);
      // Through the tenant IdP's logout, and back to the app's post-logout URI.
      expect(out.hops.map((h) => new URL(h.url).pathname)).toContain('/idp/acme/api/v1/logout');
      expect(out.url).toBe(`${demo.appUrl}/`);
      expect(out.text).toContain('You are signed out');
      expect((await browser.request(`${demo.bridgeUrl}/api/session`)).status).toBe(401);
    });

    it('signing out at the bridge ends the app session too, by a verified back-channel logout token', async () => {
      const browser = new TestBrowser();
      expect((await signInThroughApp(browser, 'acme', 'li.si')).text).toContain('Signed in as Li Si');
      await confirmLogout(browser, await browser.go(`${demo.bridgeUrl}/oidc/session/end`));
      // The app's cookie is still in the browser: only the back-channel call can have ended it.
      expect(browser.cookie(demo.appUrl, 'demo_saas_session')).toBeDefined();
      expect((await browser.go(`${demo.appUrl}/`)).text).toContain('You are signed out');
    });

    it('the back-channel endpoint refuses a logout token it cannot verify', async () => {
      const forged = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"acme.x"}').toString('base64url')}.`;
      const res = await fetch(`${demo.appUrl}/backchannel-logout`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ logout_token: forged }) });
      expect(res.status).toBe(400);
    });

    it('wang.wu, disabled, is refused by the bridge and gets no app session', async () => {
      const browser = new TestBrowser();
      const refused = await signInThroughApp(browser, 'acme', 'wang.wu');
      expect(refused.status).toBe(403);
      expect(refused.url.startsWith(demo.bridgeUrl)).toBe(true);
      expect((await browser.go(`${demo.appUrl}/`)).text).toContain('You are signed out');
    });
  });
});
