/**
 * The OIDC_CLIENTS_FILE of the demo: one entry, the sample SaaS app, registered exactly as a
 * merchant registers theirs (see config/clients.example.json). Written to a fresh temporary
 * directory, readable by this user only as it holds a secret, and removed when the demo stops.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SAMPLE_CLIENT_ID = 'demo-saas';

export interface SampleClient {
  clientId: string;
  clientSecret: string;
  /** Path of the clients file, for OIDC_CLIENTS_FILE. */
  file: string;
  remove(): void;
}

export function writeSampleClientFile(appUrl: string): SampleClient {
  // 32 random bytes: well over the 32 characters the clients file requires of a secret.
  const clientSecret = randomBytes(32).toString('base64url');
  const entry = {
    client_id: SAMPLE_CLIENT_ID,
    client_secret: clientSecret,
    client_name: 'Sample SaaS app (demo)',
    application_type: 'web',
    token_endpoint_auth_method: 'client_secret_basic',
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    redirect_uris: [`${appUrl}/callback`],
    post_logout_redirect_uris: [`${appUrl}/`],
    backchannel_logout_uri: `${appUrl}/backchannel-logout`,
    backchannel_logout_session_required: true,
    first_party: true,
  };
  const dir = mkdtempSync(join(tmpdir(), 'koobridge-demo-'));
  const file = join(dir, 'clients.json');
  writeFileSync(file, JSON.stringify([entry], null, 2), { mode: 0o600 });
  return { clientId: SAMPLE_CLIENT_ID, clientSecret, file, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
