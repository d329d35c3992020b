/**
 * A minimal browser for end-to-end tests: a cookie jar per origin (host:port, as browsers scope
 * cookies by host), manual redirects so every hop can be inspected, and form posts.
 */
export interface Hop {
  url: string;
  status: number;
  location: string | null;
}

export interface Page {
  url: string;
  status: number;
  headers: Headers;
  text: string;
  hops: Hop[];
}

export class TestBrowser {
  private jar = new Map<string, Map<string, string>>();

  /**
   * Like a real browser, it sends an Accept-Language: English unless told otherwise (the pages'
   * default, for a browser asking for nothing we speak, is Chinese).
   */
  constructor(readonly options: { acceptLanguage?: string } = {}) {}

  cookies(url: string): Map<string, string> {
    const host = new URL(url).host;
    let jar = this.jar.get(host);
    if (!jar) this.jar.set(host, (jar = new Map()));
    return jar;
  }

  cookie(url: string, name: string): string | undefined {
    return this.cookies(url).get(name);
  }

  setCookie(url: string, name: string, value: string): void {
    this.cookies(url).set(name, value);
  }

  private store(url: string, res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a));
      if (expired || value === '') this.cookies(url).delete(name);
      else this.cookies(url).set(name, value);
    }
  }

  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (!headers.has('accept-language')) headers.set('accept-language', this.options.acceptLanguage ?? 'en-GB,en;q=0.9');
    const jar = this.cookies(url);
    if (jar.size) headers.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    this.store(url, res);
    return res;
  }

  /** Follows redirects (GET) until a non-redirect answer or `stopAt` matches the next URL. */
  async go(url: string, opts: { init?: RequestInit; stopAt?: (url: string) => boolean; maxHops?: number } = {}): Promise<Page> {
    const hops: Hop[] = [];
    let current = url;
    let init = opts.init ?? {};
    for (let i = 0; i <= (opts.maxHops ?? 10); i++) {
      const res = await this.request(current, init);
      const location = res.headers.get('location');
      hops.push({ url: current, status: res.status, location });
      if (res.status >= 300 && res.status < 400 && location) {
        const next = new URL(location, current).toString();
        if (opts.stopAt?.(next)) return { url: next, status: res.status, headers: res.headers, text: '', hops };
        current = next;
        init = {};
        continue;
      }
      return { url: current, status: res.status, headers: res.headers, text: await res.text(), hops };
    }
    throw new Error(`too many redirects from ${url}`);
  }

  /** Submits a form (application/x-www-form-urlencoded) and follows the redirects. */
  postForm(url: string, fields: Record<string, string>, opts: { stopAt?: (url: string) => boolean; headers?: Record<string, string> } = {}): Promise<Page> {
    return this.go(url, {
      init: { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...opts.headers }, body: new URLSearchParams(fields).toString() },
      ...(opts.stopAt ? { stopAt: opts.stopAt } : {}),
    });
  }

  /**
   * Answers the bridge's "Continue as …?" page (a sign-in whose callback could not be tied to this
   * browser): posts its form with `decision`, from the bridge's own origin, and follows redirects.
   */
  answerConfirmation(page: Page, decision: 'continue' | 'cancel', opts: { stopAt?: (url: string) => boolean } = {}): Promise<Page> {
    if (new URL(page.url).pathname !== '/sso/confirm') throw new Error(`not a confirmation page: ${page.url} (${page.status})`);
    const fields: Record<string, string> = { decision };
    for (const m of page.text.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) fields[m[1]!] = m[2]!.replace(/&amp;/g, '&');
    const origin = new URL(page.url).origin;
    return this.postForm(`${origin}/sso/confirm`, fields, { headers: { origin }, ...(opts.stopAt ? { stopAt: opts.stopAt } : {}) });
  }
}
