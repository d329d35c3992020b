/**
 * The sample SaaS app's CAS-protected page (`/cas-app/`): what an app that speaks CAS 3.0 needs to
 * sign its users in through koobridge — a redirect to `/cas/login`, one server-to-server validation
 * of the ticket (`/cas/p3/serviceValidate`, JSON), its own session, and single logout (the bridge
 * POSTs a SAML `LogoutRequest` naming the ticket). Nothing here knows about KooGallery.
 *
 * Registered in the bridge's CAS services file as a merchant registers theirs
 * (config/cas-services.example.json); sessions live in memory, keyed by a random cookie.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cookieValue, readBody } from './sample-http.js';

export const CAS_PAGE_PATH = '/cas-app/';
const COOKIE = 'demo_cas_session'; // distinct from the bridge's and the OpenID page's cookies

/** The demo's CAS_SERVICES_FILE: the one CAS page, with every attribute released. */
export function writeSampleCasServicesFile(appUrl: string): { file: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'koobridge-demo-cas-'));
  const file = join(dir, 'cas-services.json');
  writeFileSync(file, JSON.stringify([{ id: 'demo-cas-page', name: 'Sample SaaS app (CAS page)', service: `${appUrl}${CAS_PAGE_PATH}` }], null, 2));
  return { file, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

interface CasSession {
  user: string;
  attributes: Record<string, unknown>;
  ticket: string;
}

const escapeHtml = (value: unknown): string => String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const STYLE = 'body{font-family:system-ui,-apple-system,"PingFang SC","Microsoft YaHei",sans-serif;max-width:44rem;margin:3rem auto;padding:0 1rem;color:#1f2328}td,th{text-align:left;padding:.25rem .6rem;border-bottom:1px solid #d0d7de}th{color:#6e7781;font-weight:normal}td{font-family:ui-monospace,monospace}a.button{display:inline-block;padding:.5rem 1rem;border-radius:6px;background:#1f6feb;color:#fff;text-decoration:none}';
const page = (title: string, body: string) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} · Sample SaaS app (CAS)</title><style>${STYLE}</style></head><body>${body}</body></html>`;

/** Handles the CAS page's requests; answers false for every other path. */
export function createCasPage(opts: { bridgeUrl: string; appUrl: string }): (req: IncomingMessage, res: ServerResponse) => boolean {
  const service = `${opts.appUrl}${CAS_PAGE_PATH}`;
  const sessions = new Map<string, CasSession>();
  const send = (res: ServerResponse, status: number, html: string, headers: Record<string, string> = {}): void =>
    void res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'", ...headers }).end(html);
  const redirect = (res: ServerResponse, location: string, headers: Record<string, string> = {}): void => void res.writeHead(302, { location, 'cache-control': 'no-store', ...headers }).end();

  async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (req.method === 'POST') {
      // Single logout from the bridge: end the session that was opened with this ticket.
      const xml = new URLSearchParams(await readBody(req)).get('logoutRequest') ?? '';
      const ticket = /<samlp:SessionIndex>([^<]+)<\/samlp:SessionIndex>/.exec(xml)?.[1];
      for (const [id, s] of sessions) if (s.ticket === ticket) sessions.delete(id);
      return void res.writeHead(200).end();
    }
    const ticket = url.searchParams.get('ticket');
    if (ticket) {
      // Server to server, with exactly the service the ticket was issued for.
      const answer = await fetch(`${opts.bridgeUrl}/cas/p3/serviceValidate?${new URLSearchParams({ service, ticket, format: 'JSON' })}`);
      const body = (await answer.json()) as { serviceResponse: { authenticationSuccess?: { user: string; attributes: Record<string, unknown> }; authenticationFailure?: { code: string; description: string } } };
      const success = body.serviceResponse.authenticationSuccess;
      if (!success) return send(res, 403, page('Sign-in problem', `<h1>Sign-in problem</h1><p>${escapeHtml(body.serviceResponse.authenticationFailure?.code)}: ${escapeHtml(body.serviceResponse.authenticationFailure?.description)}</p><p><a href="${CAS_PAGE_PATH}">Back</a></p>`));
      const id = randomBytes(32).toString('base64url');
      sessions.set(id, { user: success.user, attributes: success.attributes, ticket });
      return redirect(res, service, { 'set-cookie': `${COOKIE}=${id}; Path=${CAS_PAGE_PATH}; HttpOnly; SameSite=Lax` });
    }
    const session = sessions.get(cookieValue(req, COOKIE) ?? '');
    if (!session) {
      return send(res, 200, page('Signed out', `<h1>Sample SaaS app — CAS page</h1><p>You are signed out of this CAS-protected page.</p><p><a class="button" href="${escapeHtml(`${opts.bridgeUrl}/cas/login?service=${encodeURIComponent(service)}`)}">Sign in with KooGallery (CAS)</a></p>`));
    }
    const rows = Object.entries(session.attributes).map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('');
    send(res, 200, page('Signed in', `<h1>Signed in as ${escapeHtml(session.attributes.name ?? session.user)}</h1><p>of ${escapeHtml(session.attributes.tenant_name ?? session.attributes.tenant_id)}, through koobridge's CAS server.</p><p>CAS user: <code>${escapeHtml(session.user)}</code></p><table>${rows}</table><p><a class="button" href="${escapeHtml(`${opts.bridgeUrl}/cas/logout?service=${encodeURIComponent(service)}`)}">Sign out</a></p>`));
  }

  return (req, res) => {
    const url = new URL(req.url ?? '/', opts.appUrl);
    if (url.pathname !== CAS_PAGE_PATH) return false;
    handle(req, res, url).catch((err: Error) => {
      if (!res.headersSent) send(res, 502, page('Sign-in problem', `<h1>Sign-in problem</h1><p>${escapeHtml(err.message)}</p>`));
    });
    return true;
  };
}

