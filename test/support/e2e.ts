/**
 * End-to-end rig: the KooGallery simulator and a real bridge on a real Redis, the simulator's
 * tenants pushed to the bridge through the real signed sync interfaces.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSimulator } from '../../tools/simulator/simulator.js';
import { DEMO_SELLER, DEMO_TENANTS } from '../../tools/simulator/demo-data.js';
import type { SimTenant, Simulator } from '../../tools/simulator/types.js';
import { ACCESS_KEY, APP_ID, startBridge, testKeyPair, type StartBridgeOptions, type TestBridge } from './bridge.js';
import { closeAll } from './cleanup.js';

/**
 * A copy of a demo tenant (acme by default: zhang.san, li.si, disabled wang.wu) under another id,
 * so a test that deprovisions, deletes or breaks its tenant changes no other test's.
 */
export function demoTenantAs(tenantId: string, template: SimTenant = DEMO_TENANTS[0]!): SimTenant {
  return { ...template, tenantId, tenantCode: tenantId };
}

export interface E2E {
  sim: Simulator;
  simUrl: string;
  bridge: TestBridge;
  /** Another bridge instance sharing the same Redis data (for two-instance tests). */
  startSecondBridge(): Promise<TestBridge>;
  close(): Promise<void>;
}

export async function startE2E(opts: { bridge?: StartBridgeOptions; tenants?: SimTenant[]; sim?: Partial<Parameters<typeof createSimulator>[0]> } = {}): Promise<E2E> {
  // The simulator's address goes into the bridge's settings before the simulator exists: listen
  // first on a port the OS picks (race-free with test files side by side), attach the app later.
  let simApp: ((req: IncomingMessage, res: ServerResponse) => void) | null = null;
  const server: Server = createServer((req, res) => (simApp ? simApp(req, res) : res.writeHead(503).end())).listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  const simUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const bridgeOpts: StartBridgeOptions = {
    ...opts.bridge,
    env: {
      KOO_ALLOW_INSECURE_IDP: '1',
      KOO_LOGIN_URL: `${simUrl}/unified-login/`,
      IDP_TIMEOUT: '1s',
      // The simulator's order query, behind its AK/SK-checking gateway.
      KOO_ORDER_AK: DEMO_SELLER.accessKey,
      KOO_ORDER_SK: DEMO_SELLER.secretKey,
      KOO_ORDER_HOSTS: simUrl,
      ...opts.bridge?.env,
    },
  };
  let bridge: TestBridge;
  try {
    bridge = await startBridge(bridgeOpts);
  } catch (err) {
    server.close();
    throw err;
  }
  const sim = createSimulator({
    baseUrl: simUrl,
    tenants: opts.tenants ?? DEMO_TENANTS,
    appId: APP_ID,
    callbackUrl: `${bridge.url}/sso/callback`,
    ...opts.sim,
  });
  simApp = sim.app.callback();
  const closeSim = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  try {

    await sim.syncTo({ productionUrl: bridge.productionUrl, accessKey: ACCESS_KEY, publicKeyPem: testKeyPair().publicKeyPem, appId: APP_ID });
  } catch (err) {
    await closeAll(closeSim, () => bridge.close());
    throw err;
  }
  const extra: TestBridge[] = [];
  return {
    sim,
    simUrl,
    bridge,
    async startSecondBridge() {
      const second = await startBridge({ ...bridgeOpts, prefix: bridge.prefix });
      extra.push(second);
      return second;
    },
    close: () => closeAll(closeSim, ...extra.map((b) => () => b.close()), () => bridge.close()),
  };
}
