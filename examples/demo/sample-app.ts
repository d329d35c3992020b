/**
 * The sample SaaS app of `npm run demo`: what a merchant's app needs to sign its users in through
 * koobridge with a standard OpenID Connect library (openid-client) — discovery, the authorization
 * code flow with PKCE, the ID token and userinfo, RP-initiated logout and back-channel logout.
 * Nothing here knows about KooGallery: to the app, koobridge is just an OpenID provider.
 *
 * Plain node:http so it reads the same whatever framework the merchant uses. Sessions live in
 * memory, keyed by a random cookie; a real app keeps them in its own session store.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import * as client from 'openid-client';
import { signedInPage, signedOutPage, problemPage } from './sample-app-pages.js';
import { cookieValue, readBody } from './sample-http.js';

export interface SampleAppOptions {
  /** The bridge's issuer: `${PUBLIC_URL}/oidc`. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Where this app is reached, without a trailing slash, e.g. http://localhost:3001. */
  appUrl: string;
  /** More pages of the app (its CAS-protected page): answers true when it handled the request. */
  extraPages?: (req: IncomingMessage, res: ServerResponse) => boolean;
}

interface Session {
  expiresAt: number;
  /** Between /login and /callback: what the callback must match (RFC 9700 §2.1: PKCE, state, nonce). */
  pending?: { verifier: string; state: string; nonce: string };
  user?: { idToken: string; claims: client.IDToken; userinfo: client.UserInfoResponse; refreshToken?: string };
}

const COOKIE = 'demo_saas_session'; // distinct from the bridge's cookies: browsers share cookies across localhost ports
const SESSION_TTL_MS = 8 * 3_600_000; // a working day
const LOGIN_TTL_MS = 10 * 60_000; // time to sign in at KooGallery, as the bridge allows
const SCOPE = 'openid profile email phone tenant offline_access';
const BACKCHANNEL_EVENT = 'http://schemas.openid.net/event/backchannel-logout';

export async function createSampleApp(opts: SampleAppOptions): Promise<Server> {
  const issuer = new URL(opts.issuer);
  // Plain http is for this local demo only: openid-client refuses it unless told otherwise.
  const execute = issuer.protocol === 'http:' ? [client.allowInsecureRequests] : [];
  const config = await client.discovery(issuer, opts.clientId, undefined, client.ClientSecretBasic(opts.clientSecret), { execute });
  const jwks = createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri!));
  const sessions = new Map<string, Session>();

  const readSession = (req: IncomingMessage): [string, Session] | [] => {
    const id = cookieValue(req, COOKIE);
    const session = id ? sessions.get(id) : undefined;
    if (!id || !session || session.expiresAt < Date.now()) return [];
    return [id, session];
  };
  const startSession = (res: ServerResponse, session: Omit<Session, 'expiresAt'>, ttlMs = SESSION_TTL_MS): void => {
    for (const [id, s] of sessions) if (s.expiresAt < Date.now()) sessions.delete(id);
    const id = randomBytes(32).toString('base64url');
    sessions.set(id, { ...session, expiresAt: Date.now() + ttlMs });
    // Lax: the cookie comes back on the top-level redirect from the bridge to /callback.
    res.setHeader('set-cookie', `${COOKIE}=${id}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${ttlMs / 1000}`);
  };

  const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => Promise<void>> = {
    'GET /': async (req, res) => {
      const user = readSession(req)[1]?.user;
      send(res, 200, user ? signedInPage(user.claims, user.userinfo) : signedOutPage());
    },

    'GET /login': async (_req, res) => {
      const pending = { verifier: client.randomPKCECodeVerifier(), state: client.randomState(), nonce: client.randomNonce() };
      const url = client.buildAuthorizationUrl(config, {
        redirect_uri: `${opts.appUrl}/callback`,
        scope: SCOPE,
        code_challenge: await client.calculatePKCECodeChallenge(pending.verifier),
        code_challenge_method: 'S256',
        state: pending.state,
        nonce: pending.nonce,
        // offline_access (a refresh token) is granted only with prompt=consent (OpenID Connect
        // Core §11); koobridge does not show a consent page to the merchant's own apps.
        prompt: 'consent',
      });
      startSession(res, { pending }, LOGIN_TTL_MS);
      redirect(res, url.href);
    },

    'GET /callback': async (req, res) => {
      const [id, session] = readSession(req);
      if (!id || !session?.pending) return send(res, 400, problemPage('This sign-in has expired or was started in another browser.'));
      sessions.delete(id); // one callback per /login, and a new session id once signed in
      const { verifier, state, nonce } = session.pending;
      const tokens = await client.authorizationCodeGrant(config, new URL(req.url!, opts.appUrl), { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce });
      const claims = tokens.claims()!;
      const userinfo = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
      startSession(res, { user: { idToken: tokens.id_token!, claims, userinfo, ...(tokens.refresh_token ? { refreshToken: tokens.refresh_token } : {}) } });
      redirect(res, `${opts.appUrl}/`);
    },

    // POST, not GET: a link on another site must not be able to sign the user out.
    'POST /logout': async (req, res) => {
      const [id, session] = readSession(req);
      if (!id || !session?.user) return redirect(res, `${opts.appUrl}/`);
      sessions.delete(id);
      res.setHeader('set-cookie', `${COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`);
      // Ends the provider's session too (and, through the bridge, the KooGallery one), then comes back.
      redirect(res, client.buildEndSessionUrl(config, { id_token_hint: session.user.idToken, post_logout_redirect_uri: `${opts.appUrl}/` }).href);
    },

    // Called by the provider, server to server, when the user signs out elsewhere (another app,
    // the bridge) or is deprovisioned: OpenID Connect Back-Channel Logout 1.0.
    'POST /backchannel-logout': async (req, res) => {
      const token = new URLSearchParams(await readBody(req)).get('logout_token');
      const claims = token ? await verifyLogoutToken(token) : null;
      if (!claims) return send(res, 400, '', 'text/plain');
      for (const [id, s] of sessions) {
        const c = s.user?.claims;
        if (c && c.sub === claims.sub && (claims.sid === undefined || c.sid === claims.sid)) sessions.delete(id);
      }
      send(res, 200, '', 'text/plain');
    },
  };

  /** §2.6 of the spec: signature, iss, aud, the logout event, a sub or sid, and no nonce. */
  async function verifyLogoutToken(token: string): Promise<{ sub: string; sid?: string } | null> {
    try {
      const { payload } = await jwtVerify(token, jwks, { issuer: config.serverMetadata().issuer, audience: opts.clientId, typ: 'logout+jwt', requiredClaims: ['iat', 'jti', 'sub', 'events'] });
      const events = payload.events as Record<string, unknown> | undefined;
      if (typeof events?.[BACKCHANNEL_EVENT] !== 'object' || 'nonce' in payload) return null;
      return { sub: payload.sub!, ...(typeof payload.sid === 'string' ? { sid: payload.sid } : {}) };
    } catch {
      return null;
    }
  }

  return createServer((req, res) => {
    if (opts.extraPages?.(req, res)) return;
    const route = routes[`${req.method} ${new URL(req.url ?? '/', opts.appUrl).pathname}`];
    if (!route) return send(res, 404, problemPage('Not found.'));
    route(req, res).catch((err: Error) => {
      // The message of a refused sign-in (an OAuth error, a failed check) is safe to show; a stack is not.
      if (!res.headersSent) send(res, 400, problemPage(`Sign-in failed: ${err.message}`));
    });
  });
}

function send(res: ServerResponse, status: number, body: string, type = 'text/html; charset=utf-8'): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'" });
  res.end(body);
}

function redirect(res: ServerResponse, location: string): void {
  res.writeHead(302, { location, 'cache-control': 'no-store' }).end();
}

