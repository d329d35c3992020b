/**
 * startDemo: the bridge (embedded in-memory store), the KooGallery simulator and a sample SaaS app
 * signing in through the bridge's OpenID provider, in one process on loopback, the simulator's
 * made-up tenants pushed to the bridge through the real signed sync interfaces — so a person can
 * click through a login without any marketplace account.
 *
 * Every secret here is generated at start and thrown away at exit; nothing is read from the
 * environment or from config/koobridge.json, so a developer's own settings (a REDIS_URL, a real
 * key) can never leak into, or be overwritten by, the demo.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type { Server } from 'node:http';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/load.js';
import { generateRsaKeyPair } from '../../src/koogallery/rsa-keys.js';
import { createLogger } from '../../src/shared/logger.js';
import { DEMO_SELLER, DEMO_TENANTS } from '../../tools/simulator/demo-data.js';
import { createSimulator } from '../../tools/simulator/simulator.js';
import { createMemoryStore } from '../../src/store/memory.js';
import type { Store } from '../../src/store/types.js';
import { createSampleApp } from './sample-app.js';
import { writeSampleClientFile } from './sample-client.js';
import { createCasPage, writeSampleCasServicesFile } from './sample-cas-page.js';

export const DEMO_APP_ID = 'demo-app';
const DEFAULT_PORT = 3000;
const DEFAULT_SIM_PORT = 4000;
const DEFAULT_APP_PORT = 3001;
// Loopback only: the demo runs with throw-away secrets and an IdP over plain http.
const DEFAULT_LISTEN_HOST = '127.0.0.1';
// What a browser is told to open. Cookies are per host, so every URL a browser follows must use
// the same name; `localhost` is what people type, and it resolves to the loopback we listen on.
const DEFAULT_URL_HOST = 'localhost';

export interface DemoOptions {
  port?: number;
  simPort?: number;
  /** The sample SaaS app's port. */
  appPort?: number;
  /** Address to listen on and to put in every URL. Default: listen on 127.0.0.1, URLs say localhost. */
  host?: string;
  /** The bridge's log level (default warn; tests pass silent). */
  logLevel?: 'warn' | 'info' | 'silent';
}

export interface Demo {
  bridgeUrl: string;
  simUrl: string;
  /** The sample SaaS app, an OpenID client of the bridge. */
  appUrl: string;
  /** Throw-away bearer token of the admin API, generated for this run only. */
  adminToken: string;
  stop(): Promise<void>;
}

/** Listens, or fails with a message that says which setting to change. */
async function listen(server: Server, port: number, host: string, what: string, variable: string): Promise<void> {
  try {
    await once(server, 'listening');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code === 'EADDRINUSE' ? 'is already in use' : `cannot be opened (${code ?? (err as Error).message})`;
    throw new Error(`${what} port ${host}:${port} ${reason}; choose another with ${variable}=<port>`);
  }
}

async function closeServer(server: Server): Promise<void> {
  if (!server.listening) return;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // The demo has nothing worth draining: end keep-alive browser connections at once.
  server.closeAllConnections();
  await closed;
}

export async function startDemo(opts: DemoOptions = {}): Promise<Demo> {
  const port = opts.port ?? DEFAULT_PORT;
  const simPort = opts.simPort ?? DEFAULT_SIM_PORT;
  const appPort = opts.appPort ?? DEFAULT_APP_PORT;
  const listenHost = opts.host ?? DEFAULT_LISTEN_HOST;
  const urlHost = opts.host ?? DEFAULT_URL_HOST;
  const bridgeUrl = `http://${urlHost}:${port}`;
  const simUrl = `http://${urlHost}:${simPort}`;
  const appUrl = `http://${urlHost}:${appPort}`;

  const accessKey = randomBytes(24).toString('base64url');
  const adminToken = randomBytes(24).toString('base64url');
  // KooGallery requires ≥ 3072 bits; generating one takes a second or two, once per run.
  const keyPair = generateRsaKeyPair(3072);
  // The sample app is registered as a merchant registers theirs: in the bridge's clients file.
  const sampleClient = writeSampleClientFile(appUrl);
  // Its CAS-protected page, in the bridge's CAS services file.
  const casServices = writeSampleCasServicesFile(appUrl);

  const servers: Server[] = [];
  let store: Store | null = null;
  let outbox: { stop(): Promise<void> } | null = null;
  const stop = async (): Promise<void> => {
    await Promise.all(servers.map(closeServer));
    await outbox?.stop();
    await store?.close();
    sampleClient.remove();
    casServices.remove();
  };

  try {
    const config = loadConfig(
      {
        NODE_ENV: 'development',
        HOST: listenHost,
        PORT: String(port),
        PUBLIC_URL: bridgeUrl,
        KOO_APP_ID: DEMO_APP_ID,
        KOO_ACCESS_KEY: accessKey,
        KOO_PRIVATE_KEY: keyPair.privateKeyPem,
        SECRET_KEYS: randomBytes(32).toString('base64'),
        ADMIN_TOKEN: adminToken,
        // The simulator's IdPs are http on loopback, which production rightly refuses.
        KOO_ALLOW_INSECURE_IDP: '1',
        KOO_LOGIN_URL: `${simUrl}/unified-login/`,
        // The simulator's order query, behind its AK/SK-checking gateway: what each tenant bought.
        KOO_ORDER_AK: DEMO_SELLER.accessKey,
        KOO_ORDER_SK: DEMO_SELLER.secretKey,
        KOO_ORDER_HOSTS: simUrl,
        OIDC_CLIENTS_FILE: sampleClient.file,
        CAS_SERVICES_FILE: casServices.file,
        LOG_LEVEL: opts.logLevel ?? 'warn',
      },
      { exists: () => false },
    );
    // The config's warnings (memory store, insecure IdP, …) are what the demo is; the banner says so.
    const logger = createLogger({ level: config.server.logLevel });
    store = createMemoryStore();
    const built = await createApp({ config, store, logger });
    const { app } = built;
    outbox = built.outbox;
    const sim = createSimulator({ baseUrl: simUrl, tenants: DEMO_TENANTS, appId: DEMO_APP_ID, callbackUrl: `${bridgeUrl}/sso/callback` });

    const bridgeServer = app.listen(port, listenHost);
    servers.push(bridgeServer);
    await listen(bridgeServer, port, listenHost, 'the bridge', 'DEMO_PORT');
    const simServer = sim.app.listen(simPort, listenHost);
    servers.push(simServer);
    await listen(simServer, simPort, listenHost, 'the simulator', 'SIM_PORT');

    // As KooGallery does when a buyer purchases and binds the app: the instance, then tenants,
    // credentials, users, departments.
    await sim.syncTo({ productionUrl: `${bridgeUrl}${config.produce.path}`, accessKey, publicKeyPem: keyPair.publicKeyPem, appId: DEMO_APP_ID });

    // Last: the app reads the bridge's discovery document when it starts.
    const appServer = await createSampleApp({ issuer: `${bridgeUrl}/oidc`, clientId: sampleClient.clientId, clientSecret: sampleClient.clientSecret, appUrl, extraPages: createCasPage({ bridgeUrl, appUrl }) });
    appServer.listen(appPort, listenHost);
    servers.push(appServer);
    await listen(appServer, appPort, listenHost, 'the sample app', 'APP_PORT');
  } catch (err) {
    await stop();
    throw err;
  }

  return { bridgeUrl, simUrl, appUrl, adminToken, stop };
}
