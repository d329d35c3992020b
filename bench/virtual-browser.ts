/**
 * A virtual browser for the login benchmark: one cookie jar per host:port (as browsers scope
 * cookies by host), manual redirects so every hop is checked, and every body read to the end so
 * fetch's keep-alive connection goes back to the pool. Deliberately leaner than the test suite's
 * TestBrowser: in a benchmark, the load generator's own cost is noise in the figures.
 */

export interface LoginTarget {
  bridgeUrl: string;
  tenantId: string;
  userName: string;
  /** Where a login without return_to lands (LOGIN_LANDING_URL, default {PUBLIC_URL}/sso/me). */
  landingUrl: string;
  sessionCookie: string;
}

export class LoginFailed extends Error {}

export class VirtualBrowser {
  private jars = new Map<string, Map<string, string>>();

  constructor(private readonly target: LoginTarget) {}

  private jar(url: string): Map<string, string> {
    const host = new URL(url).host;
    let jar = this.jars.get(host);
    if (!jar) this.jars.set(host, (jar = new Map()));
    return jar;
  }

  cookie(url: string, name: string): string | undefined {
    return this.jar(url).get(name);
  }

  /** One request; returns the answer's status, Location and the cookies it set (name → value). */
  async request(url: string, init: RequestInit = {}): Promise<{ status: number; location: string | null; set: Map<string, string> }> {
    const jar = this.jar(url);
    const headers = new Headers(init.headers);
    if (jar.size > 0) headers.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    await res.arrayBuffer();
    const set = new Map<string, string>();
    for (const line of res.headers.getSetCookie()) {
      const pair = line.split(';', 1)[0]!;
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      set.set(name, value);
      // An empty value or Max-Age=0 is a deletion.
      if (value === '' || /;\s*max-age=0\s*(;|$)/i.test(line)) jar.delete(name);
      else jar.set(name, value);
    }
    const location = res.headers.get('location');
    return { status: res.status, location: location === null ? null : new URL(location, url).toString(), set };
  }

  /**
   * One complete login: /sso/login?tenant= → the tenant IdP's authorize → /sso/callback → landing.
   * While the browser holds the IdP's SSO cookie, authorize redirects at once (the workbench case);
   * otherwise the IdP's login form is posted. Resolves with the new session id, or throws
   * LoginFailed saying which hop went wrong.
   */
  async login(): Promise<string> {
    const { bridgeUrl, tenantId, userName, landingUrl, sessionCookie } = this.target;
    const start = await this.request(`${bridgeUrl}/sso/login?tenant=${encodeURIComponent(tenantId)}`);
    if (start.status !== 302 || !start.location) throw new LoginFailed(`/sso/login answered ${start.status}`);

    let idp = await this.request(start.location);
    if (idp.status === 200) {
      // Not signed in at the IdP yet: the login form posts back to the authorize URL itself.
      const body = new URLSearchParams({ userName, password: 'bench-password-not-real' }).toString();
      idp = await this.request(start.location, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    }
    if (idp.status !== 302 || !idp.location?.startsWith(`${bridgeUrl}/sso/callback?`)) {
      throw new LoginFailed(`IdP authorize answered ${idp.status} to ${idp.location ?? 'nowhere'}`);
    }

    const callback = await this.request(idp.location);
    const sid = callback.set.get(sessionCookie);
    if (callback.status !== 302 || callback.location !== landingUrl) throw new LoginFailed(`/sso/callback answered ${callback.status} to ${callback.location ?? 'nowhere'}`);
    if (!sid) throw new LoginFailed('/sso/callback set no session cookie');
    return sid;
  }
}
