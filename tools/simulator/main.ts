/**
 * `npm run sim`: the KooGallery simulator with the demo tenants, for local development and the
 * demo. When a bridge is named (BRIDGE_URL, KOO_ACCESS_KEY, BRIDGE_PUBLIC_KEY_FILE), the tenants
 * are pushed to it at start, as KooGallery would when the buyers bind the app.
 *
 *   SIM_PORT (4000)  SIM_HOST (127.0.0.1)  SIM_BASE_URL (http://localhost:$SIM_PORT)
 *   SIM_CALLBACK_URL (http://localhost:3000/sso/callback)  KOO_APP_ID (demo-app)
 */
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEMO_TENANTS } from './demo-data.js';
import { createSimulator } from './simulator.js';
import { SyncRefusedError } from './sync.js';
import type { Simulator, SyncTarget } from './types.js';

// A bridge started alongside (docker compose, two terminals) may need a few seconds to listen.
const SYNC_ATTEMPTS = 15;
const SYNC_RETRY_MS = 2000;

const env = process.env;
const port = Number(env.SIM_PORT ?? 4000);
const host = env.SIM_HOST ?? '127.0.0.1';
const baseUrl = (env.SIM_BASE_URL ?? `http://localhost:${port}`).replace(/\/+$/, '');
const appId = env.KOO_APP_ID ?? 'demo-app';

const sim = createSimulator({
  baseUrl,
  tenants: DEMO_TENANTS,
  appId,
  callbackUrl: env.SIM_CALLBACK_URL ?? 'http://localhost:3000/sso/callback',
});

async function pushWithRetries(target: SyncTarget, simulator: Simulator): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await simulator.syncTo(target);
      console.log(`[simulator] pushed ${DEMO_TENANTS.length} tenants (tenantSync, applicationSync, authSync, allOrgSync) to ${target.productionUrl}`);
      return;
    } catch (err) {
      if (err instanceof SyncRefusedError) {
        console.error(`[simulator] the bridge refused the sync: ${err.message}`);
        if (err.kitInterface === 'tenantSync' && baseUrl.startsWith('http:')) {
          console.error('[simulator] hint: an http:// or loopback IdP needs KOO_ALLOW_INSECURE_IDP=1 on the bridge (development only)');
        }
        return;
      }
      if (attempt >= SYNC_ATTEMPTS) {
        console.error(`[simulator] could not reach the bridge at ${target.productionUrl}: ${(err as Error).message}`);
        return;
      }
      await sleep(SYNC_RETRY_MS);
    }
  }
}

const server = sim.app.listen(port, host, () => {
  console.log(`[simulator] listening on http://${host}:${port} (public base URL ${baseUrl})`);
  console.log(`[simulator] unified login: ${baseUrl}/unified-login/?ind=UNOP&appId=${encodeURIComponent(appId)}`);
  for (const t of DEMO_TENANTS) console.log(`[simulator] tenant ${t.tenantId}: domainName ${sim.domainName(t.tenantId)}`);
  console.log(`[simulator] order query: GET ${baseUrl}/api/mkp-openapi-public/global/v1/order/query?orderId=MOCKPERIODYEARNEW (AK/SK: DEMO_SELLER of tools/simulator/demo-data.ts)`);

  const { BRIDGE_URL, KOO_ACCESS_KEY, BRIDGE_PUBLIC_KEY_FILE } = env;
  if (BRIDGE_URL && KOO_ACCESS_KEY && BRIDGE_PUBLIC_KEY_FILE) {
    const target = {
      productionUrl: `${BRIDGE_URL.replace(/\/+$/, '')}/produce`,
      accessKey: KOO_ACCESS_KEY,
      publicKeyPem: readFileSync(BRIDGE_PUBLIC_KEY_FILE, 'utf8'),
      appId,
    };
    console.log(`[simulator] pushing the demo tenants to ${target.productionUrl}`);
    void pushWithRetries(target, sim);
  } else {
    console.log('[simulator] no sync pushed (set BRIDGE_URL, KOO_ACCESS_KEY and BRIDGE_PUBLIC_KEY_FILE to push the tenants to a bridge)');
  }
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => server.close(() => process.exit(0)));
}
