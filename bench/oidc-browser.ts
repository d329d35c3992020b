/**
 * The relying party and its user's browser for bench:oidc, without an OpenID library in the loop:
 * the load generator's own cost (an RP library verifying every ID token) would be charged to the
 * bridge it shares the cores with. Every hop is still checked, and bench/oidc.ts verifies the ID
 * tokens with jose once the clock has stopped.
 *
 * Two cookie jars: the IdP's (kept across logins, so the tenant IdP signs the user in at once, as
 * KooGallery does for a workbench user) and the bridge's (thrown away for every fresh login, so
 * each one goes through the bridge's KooGallery login and the provider's interaction again).
 */
import { createHash, randomBytes } from 'node:crypto';
import { VirtualBrowser, type LoginTarget } from './virtual-browser.js';

export interface OidcTarget {
  bridgeUrl: string;
  simUrl: string;
  tenantId: string;
  userName: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  scope: string;
}

export class OidcFailed extends Error {}

export interface Code {
  code: string;
  verifier: string;
  nonce: string;
}

export interface Tokens {
  access_token: string;
  id_token: string;
  token_type: string;
}

// app → /oidc/auth → interaction → /sso/login → IdP → /sso/callback → interaction → /oidc/auth/:uid
// is 7; prompt=consent adds the consent interaction. More means a loop.
const MAX_HOPS = 12;

const random = () => randomBytes(32).toString('base64url');
const pathOf = (url: string) => new URL(url).pathname;

export class OidcBrowser {
  private readonly idp: VirtualBrowser;
  private bridge: VirtualBrowser;
  /** Browser requests (hops) of the last authorization, the redirect to the app excluded. */
  lastHops = 0;

  constructor(private readonly target: OidcTarget) {
    this.idp = new VirtualBrowser(this.loginTarget());
    this.bridge = new VirtualBrowser(this.loginTarget());
  }

  private loginTarget(): LoginTarget {
    const { bridgeUrl, tenantId, userName } = this.target;
    // Cookie names without the __Host- prefix: PUBLIC_URL is http here.
    return { bridgeUrl, tenantId, userName, landingUrl: `${bridgeUrl}/sso/me`, sessionCookie: 'koobridge' };
  }

  private request(url: string) {
    return (url.startsWith(this.target.simUrl) ? this.idp : this.bridge).request(url);
  }

  /**
   * Signs in once through the tenant IdP's form, for its SSO cookie (not part of any figure). The
   * login goes through the bridge too: resolves with the bridge session it opened.
   */
  signInAtIdp(): Promise<string> {
    return this.idp.login();
  }

  /** Forgets the bridge's and the provider's cookies: the next authorization is a complete login. */
  forgetBridge(): void {
    this.bridge = new VirtualBrowser(this.loginTarget());
  }

  /** One authorization request, followed hop by hop up to the app's redirect URI; its code. */
  async authorize(): Promise<Code> {
    const { bridgeUrl, clientId, redirectUri, scope, tenantId } = this.target;
    const verifier = random();
    const state = random();
    const nonce = random();
    const query = new URLSearchParams({
      client_id: clientId,
      response_type: 'code',
      redirect_uri: redirectUri,
      scope,
      state,
      nonce,
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
      // Straight to the tenant's IdP, as an app that knows its customer's tenant asks.
      tenant: tenantId,
      // offline_access is granted only with prompt=consent (OpenID Connect Core §11).
      ...(scope.split(' ').includes('offline_access') ? { prompt: 'consent' } : {}),
    });
    let url = `${bridgeUrl}/oidc/auth?${query.toString()}`;
    for (let hop = 1; hop <= MAX_HOPS; hop++) {
      const res = await this.request(url);
      if (res.status < 300 || res.status >= 400 || !res.location) throw new OidcFailed(`${pathOf(url)} answered ${res.status}`);
      if (res.location.startsWith(`${redirectUri}?`)) {
        this.lastHops = hop;
        const answer = new URL(res.location).searchParams;
        const code = answer.get('code');
        if (answer.get('state') !== state) throw new OidcFailed('the redirect to the app carried another state');
        if (!code) throw new OidcFailed(`the redirect to the app carried error ${answer.get('error') ?? '(none)'}`);
        return { code, verifier, nonce };
      }
      url = res.location;
    }
    throw new OidcFailed(`more than ${MAX_HOPS} redirects`);
  }
}

/** RFC 6749 §2.3.1: client_secret_basic is the form-urlencoded id and secret, Base64'd. */
export const basicAuth = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

/** Redeems a code at the token endpoint, as a confidential client with PKCE. */
export async function redeem(target: OidcTarget, authorization: string, code: Code): Promise<Tokens> {
  const res = await fetch(`${target.bridgeUrl}/oidc/token`, {
    method: 'POST',
    headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code: code.code, redirect_uri: target.redirectUri, code_verifier: code.verifier }).toString(),
  });
  const body = (await res.json().catch(() => ({}))) as Partial<Tokens> & { error?: string };
  if (res.status !== 200) throw new OidcFailed(`/oidc/token answered ${res.status} ${body.error ?? ''}`.trim());
  if (!body.access_token || !body.id_token || body.token_type !== 'Bearer') throw new OidcFailed('/oidc/token answered 200 without a Bearer access token and an ID token');
  return body as Tokens;
}
