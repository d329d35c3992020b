/**
 * End-to-end rig: the KooGallery simulator and a real bridge on a real Redis, the simulator's
 * tenants pushed to the bridge through the real signed sync interfaces.
 */
import type { Server } from 'node:http';
import { createSimulator } from '../../tools/simulator/simulator.js';
import { DEMO_SELLER, DEMO_TENANTS } from '../../tools/simulator/demo-data.js';
import type { SimTenant, Simulator } from '../../tools/simulator/types.js';
import { ACCESS_KEY, APP_ID, startBridge, testKeyPair, type StartBridgeOptions, type TestBridge } from './bridge.js';
import { closeAll } from './cleanup.js';
import { freePort } from './redis.js';

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
  const simPort = await freePort();
  const simUrl = `http://127.0.0.1:${simPort}`;
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
  const bridge = await startBridge(bridgeOpts);
  const sim = createSimulator({
    baseUrl: simUrl,
    tenants: opts.tenants ?? DEMO_TENANTS,
    appId: APP_ID,
    callbackUrl: `${bridge.url}/sso/callback`,
    ...opts.sim,
  });
  const server: Server = sim.app.listen(simPort, '127.0.0.1');
  const closeSim = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  try {
    await new Promise<void>((resolve) => server.once('listening', resolve));
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
