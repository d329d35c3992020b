/**
 * The relying-party side of OpenID end-to-end tests: a clients file for the bridge, a tiny HTTP
 * endpoint that records back-channel logout tokens, and openid-client configurations.
 */
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as client from 'openid-client';
import { freePort } from './redis.js';
import { KOOGALLERY_CODE_GRANT } from '../../src/oidc/grant-type-names.js';

export const WEB_SECRET = 'web-app-secret-for-tests-only-0123456789';

export interface TestRp {
  url: string;
  clientsFile: string;
  /** logout_token values received at /backchannel*, in order — only those answered to a caller still waiting. */
  logoutTokens: string[];
  /** Make /backchannel-slow slow (ms) to prove a slow client blocks no other. */
  setSlow(ms: number): void;
  /** Make /backchannel-slow hang for the next `ms`: calls arriving meanwhile are answered only when it ends. */
  hangFor(ms: number): void;
  config(clientId: string, issuer: string): Promise<client.Configuration>;
  close(): Promise<void>;
}

export async function startRp(): Promise<TestRp> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const logoutTokens: string[] = [];
  let slowMs = 0;
  let hangUntil = 0;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += String(c)));
    req.on('end', () => {
      const reply = () => {
        // A caller that gave up (oidc-provider aborts after 2.5 s) never learns of the answer: not delivered.
        if (req.socket.destroyed) return;
        if (req.url?.startsWith('/backchannel')) {
          const token = new URLSearchParams(body).get('logout_token');
          if (token) logoutTokens.push(token);
        }
        res.writeHead(200).end();
      };
      const hangMs = hangUntil - Date.now();
      if (req.url === '/backchannel-slow' && hangMs > 0) setTimeout(reply, hangMs);
      else if (req.url === '/backchannel-slow' && slowMs > 0) setTimeout(reply, slowMs);
      else reply();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));

  const clients = [
    {
      client_id: 'web-app',
      client_secret: WEB_SECRET,
      client_name: 'Acme CRM',
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['authorization_code', 'refresh_token'],
      redirect_uris: [`${url}/callback`],
      post_logout_redirect_uris: [`${url}/logged-out`],
      backchannel_logout_uri: `${url}/backchannel`,
      backchannel_logout_session_required: true,
    },
    {
      client_id: 'other-app',
      client_secret: `${WEB_SECRET}-other`,
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['authorization_code', 'refresh_token'],
      redirect_uris: [`${url}/other-callback`],
      backchannel_logout_uri: `${url}/backchannel-slow`,
      backchannel_logout_session_required: true,
    },
    {
      client_id: 'spa',
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      redirect_uris: [`${url}/spa`],
      allowed_tenants: ['acme'],
    },
    {
      client_id: 'globex-only',
      client_secret: `${WEB_SECRET}-globex`,
      grant_types: ['authorization_code'],
      redirect_uris: [`${url}/globex`],
      allowed_tenants: ['globex', 'initech'],
    },
    {
      client_id: 'third-party',
      client_secret: `${WEB_SECRET}-third`,
      grant_types: ['authorization_code'],
      redirect_uris: [`${url}/third`],
      first_party: false,
    },
    // Native apps (RFC 8252): public, PKCE, loopback on any port and a reverse-domain scheme.
    {
      client_id: 'desktop',
      application_type: 'native',
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token', KOOGALLERY_CODE_GRANT],
      redirect_uris: ['http://127.0.0.1/callback', 'com.example.desktop:/callback'],
    },
    {
      client_id: 'desktop-globex',
      application_type: 'native',
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', KOOGALLERY_CODE_GRANT],
      redirect_uris: ['http://127.0.0.1/callback'],
      allowed_tenants: ['globex'],
    },
    {
      client_id: 'mobile-browser-only',
      application_type: 'native',
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code'],
      redirect_uris: ['com.example.mobile:/callback'],
    },
  ];
  const dir = mkdtempSync(join(tmpdir(), 'koobridge-rp-'));
  const clientsFile = join(dir, 'clients.json');
  writeFileSync(clientsFile, JSON.stringify(clients));

  return {
    url,
    clientsFile,
    logoutTokens,
    setSlow: (ms) => (slowMs = ms),
    hangFor: (ms) => (hangUntil = Date.now() + ms),
    async config(clientId, issuer) {
      const entry: { client_secret?: string } = clients.find((c) => c.client_id === clientId)!;
      const auth = entry.client_secret ? client.ClientSecretBasic(entry.client_secret) : client.None();
      return client.discovery(new URL(issuer), clientId, undefined, auth, { execute: [client.allowInsecureRequests] });
    },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
