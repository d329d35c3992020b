/**
 * What bench:oidc runs against: the built bridge (on the caller's Redis) with one OpenID client,
 * the simulator in its own process, and the simulator's tenants synced to the bridge.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPrivateKey, publicKeyPem } from '../src/koogallery/rsa-keys.js';
import { DEMO_TENANTS } from '../src/simulator/demo-data.js';
import { syncTenants } from '../src/simulator/sync.js';
import { freePort } from '../test/support/redis-server.js';
import { startService, startSimulator, type Service } from './support.js';

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
    // The bridge must know the simulator's address (KOO_LOGIN_URL) and the simulator the bridge's
    // (its callback), so the simulator's port is chosen first.
    const simPort = await freePort();
    const simUrl = `http://127.0.0.1:${simPort}`;
    const service = await startService(redisUrl, {
      // The simulator's IdPs are http on loopback.
      KOO_ALLOW_INSECURE_IDP: '1',
      KOO_LOGIN_URL: `${simUrl}/unified-login/`,
      OIDC_CLIENTS_FILE: clientsFile,
      // Far longer than the run, so no session ends while it is measured.
      SESSION_IDLE_TIMEOUT: '12h',
      SESSION_ABSOLUTE_TIMEOUT: '12h',
    });
    stops.push(() => service.stop());
    const appId = service.env.KOO_APP_ID!;
    const sim = await startSimulator({ port: simPort, appId, callbackUrl: `${service.url}/sso/callback` });
    stops.push(() => sim.stop());

    // What the simulator's syncTo sends (the same function), from here: the simulator runs elsewhere.
    await syncTenants(DEMO_TENANTS, (tenantId) => `${simUrl}/idp/${encodeURIComponent(tenantId)}`, {
      productionUrl: `${service.url}/produce`,
      accessKey: service.env.KOO_ACCESS_KEY!,
      publicKeyPem: publicKeyPem(loadPrivateKey(service.env.KOO_PRIVATE_KEY!)),
      appId,
    });
    return { service, simUrl, client, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
