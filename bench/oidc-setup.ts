/**
 * What bench:oidc runs against: the built bridge (on the caller's Redis) with one OpenID client,
 * the simulator in its own process, and the simulator's tenants synced to the bridge.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBridgeWithSimulator as startBridgeAndSimulator, type Service } from './support.js';

export interface BenchClient {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

export interface OidcSetup {
  service: Service;
  simUrl: string;
  client: BenchClient;
  stop(): Promise<void>;
}

export async function startBridgeWithSimulator(redisUrl: string): Promise<OidcSetup> {
  const client: BenchClient = {
    clientId: 'bench-rp',
    clientSecret: randomBytes(32).toString('base64url'),
    // Port 9 (discard): nothing answers there, and nothing needs to; the bench stops at the redirect.
    redirectUri: 'http://127.0.0.1:9/callback',
  };
  const dir = mkdtempSync(join(tmpdir(), 'koobridge-bench-oidc-'));
  const clientsFile = join(dir, 'clients.json');
  writeFileSync(
    clientsFile,
    JSON.stringify([
      {
        client_id: client.clientId,
        client_secret: client.clientSecret,
        token_endpoint_auth_method: 'client_secret_basic',
        grant_types: ['authorization_code', 'refresh_token'],
        redirect_uris: [client.redirectUri],
        // The merchant's own app: no consent page, as for the apps the goal is about.
        first_party: true,
      },
    ]),
    { mode: 0o600 },
  );

  const stops: Array<() => Promise<void>> = [async () => rmSync(dir, { recursive: true, force: true })];
  const stop = async () => {
    for (const s of stops.reverse()) await s();
  };
  try {
    const started = await startBridgeAndSimulator(redisUrl, { OIDC_CLIENTS_FILE: clientsFile });
    stops.push(started.stop);
    const { service, simUrl } = started;
    return { service, simUrl, client, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
