/**
 * Starts a real bridge (the same createApp as production) on a free port, on a real Redis or the
 * memory store, with made-up credentials, and captures its log lines so tests can prove that no
 * secret is ever logged.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { createApp } from '../../src/app.js';
import { createHttpServer } from '../../src/main.js';
import { loadConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/types.js';
import type { DirectoryEvent } from '../../src/shared/directory-events.js';
import type { Clock } from '../../src/shared/clock.js';
import type { OutboxSettingsInput } from '../../src/ops/outbox-policy.js';
import type { Observations } from '../../src/shared/observations.js';
import { createLogger } from '../../src/shared/logger.js';
import { createWebhookSender } from '../../tools/simulator/webhook-sender.js';
import { createKeys } from '../../src/store/keys.js';
import { createMemoryStore } from '../../src/store/memory.js';
import { createRedisStore } from '../../src/store/redis.js';
import type { Store } from '../../src/store/types.js';
import { testKeyPair } from './keys.js';
import { redisUrl, uniquePrefix } from './redis.js';

export { testKeyPair } from './keys.js';

export const ACCESS_KEY = 'test-access-key-acme';
export const APP_ID = 'app-koobridge-test';
export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';
export const SECRET_KEY = randomBytes(32).toString('base64');

export type Backend = 'redis' | 'memory';

export interface TestBridge {
  url: string;
  productionUrl: string;
  config: Config;
  store: Store;
  prefix: string;
  directory: Awaited<ReturnType<typeof createApp>>['directory'];
  sessions: Awaited<ReturnType<typeof createApp>>['sessions'];
  /** The OpenID room: `reloadClients()` (as SIGHUP does), `refreshKeys()`, the provider in use. */
  oidc: Awaited<ReturnType<typeof createApp>>['oidc'];
  /** The bridge's outbox (running its poll loop); `drain()` delivers what is due now. */
  outbox: Awaited<ReturnType<typeof createApp>>['outbox'];
  /** The audit trail and sync log; `flush()` waits until what was observed so far is stored. */
  audit: Awaited<ReturnType<typeof createApp>>['audit'];
  sender: ReturnType<typeof createWebhookSender>;
  /** The bus the bridge's rooms report on: tests subscribe to see what a flow emitted. */
  observations: Awaited<ReturnType<typeof createApp>>['observations'];
  logs: string[];
  admin(path: string, init?: RequestInit & { token?: string | null }): Promise<{ status: number; body: any }>;
  /**
   * Every key of this bridge's prefix with its content (Redis only), to prove nothing was written.
   * Nonces and rate-limit counters (a refused call's count) are left out unless asked for.
   */
  snapshot(opts?: { includeNonces?: boolean; includeRateLimits?: boolean }): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

export interface StartBridgeOptions {
  backend?: Backend;
  env?: Record<string, string>;
  clock?: Clock;
  store?: Store;
  /** Reuse this key prefix (a second instance sharing the first one's data). */
  prefix?: string;
  /** Outbox settings (shorter retry delays). */
  outbox?: OutboxSettingsInput;
  /** The observation bus, for tests that listen to what the bridge reports. */
  observations?: Observations;
}

export async function startBridge(opts: StartBridgeOptions = {}): Promise<TestBridge> {
  const backend = opts.backend ?? 'redis';
  const prefix = opts.prefix ?? uniquePrefix('bridge');
  // PUBLIC_URL must name the real port (callbacks are built from it), so the server listens first,
  // on a port the OS picks (race-free even with test files running side by side), and the app is
  // attached once it is built.
  let handle: ((req: IncomingMessage, res: ServerResponse) => void) | null = null;
  // The production server and its timeouts (SERVER_TIMEOUTS), not Koa's bare app.listen.
  const server = createHttpServer((req, res) => (handle ? handle(req, res) : res.writeHead(503).end())).listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  const port = (server.address() as AddressInfo).port;
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    KOO_ACCESS_KEY: ACCESS_KEY,
    KOO_APP_ID: APP_ID,
    KOO_PRIVATE_KEY: testKeyPair().privateKeyPem,
    SECRET_KEYS: SECRET_KEY,
    ADMIN_TOKEN,
    REDIS_KEY_PREFIX: prefix,
    LOG_LEVEL: 'debug',
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    ...(backend === 'redis' ? { REDIS_URL: redisUrl() } : {}),
    ...opts.env,
  };
  const config = loadConfig(env, { exists: () => false });
  const store = opts.store ?? (backend === 'redis' ? createRedisStore({ url: redisUrl() }) : createMemoryStore());
  const logs: string[] = [];
  const logger = createLogger({ level: config.server.logLevel, destination: { write: (line: string) => void logs.push(line) } });
  let built: Awaited<ReturnType<typeof createApp>>;
  try {
    built = await createApp({ config, store, logger, ...(opts.clock ? { clock: opts.clock } : {}), ...(opts.outbox ? { outbox: opts.outbox } : {}), ...(opts.observations ? { observations: opts.observations } : {}) });
  } catch (err) {
    server.close();
    throw err;
  }
  const { app, directory, sessions, outbox, audit, observations, oidc } = built;
  handle = app.callback();
  const url = `http://127.0.0.1:${port}`;
  const productionUrl = `${url}${config.produce.path}`;
  const sender = createWebhookSender({ productionUrl, accessKey: config.produce.accessKey, ...(opts.clock ? { now: () => opts.clock!.now() } : {}) });

  return {
    url,
    productionUrl,
    config,
    store,
    prefix,
    directory,
    sessions,
    oidc,
    outbox,
    audit,
    sender,
    observations,
    logs,
    async admin(path, init = {}) {
      const token = init.token === undefined ? ADMIN_TOKEN : init.token;
      const headers = new Headers(init.headers);
      if (token !== null) headers.set('authorization', `Bearer ${token}`);
      const res = await fetch(`${url}/admin/api${path}`, { ...init, headers });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    },
    async snapshot({ includeNonces = false, includeRateLimits = false } = {}) {
      if (backend !== 'redis') throw new Error('snapshot needs the redis backend');
      return snapshotPrefix(prefix, includeNonces, includeRateLimits);
    },
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await oidc.close();
      await outbox.stop();
      await audit.close();
      if (!opts.store) await store.close();
    },
  };
}

async function snapshotPrefix(prefix: string, includeNonces: boolean, includeRateLimits: boolean): Promise<Record<string, unknown>> {
  const redis = new Redis(redisUrl(), { lazyConnect: true });
  await redis.connect();
  try {
    const keys = createKeys(prefix);
    const out: Record<string, unknown> = {};
    let cursor = '0';
    do {
      // SCAN is for tests only: the service itself never lists keys by pattern.
      const [next, found] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      for (const key of found) {
        if (!includeNonces && (key.startsWith(keys.nonce('kit', '')) || key.startsWith(keys.nonce('basic', '')))) continue;
        if (!includeRateLimits && key.startsWith(keys.rateLimit(''))) continue;
        // The audit trail and sync log record every call, refused ones too: not part of "what a call wrote".
        if (key === keys.auditLog() || key === keys.syncLog()) continue;
        const type = await redis.type(key);
        if (type === 'string') out[key] = await redis.get(key);
        else if (type === 'hash') out[key] = await redis.hgetall(key);
        else if (type === 'set') out[key] = (await redis.smembers(key)).sort();
        else if (type === 'zset') out[key] = await redis.zrange(key, 0, -1);
        else out[key] = type;
      }
    } while (cursor !== '0');
    return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
  } finally {
    redis.disconnect();
  }
}

/** A tenant id no other test uses: tests may share a bridge, never a tenant. */
export const uniqueTenantId = (name = 't'): string => `${name}-${randomBytes(4).toString('hex')}`;

/** The directory events a bridge emits from now on; `stop` unsubscribes (call it in afterEach). */
export function recordEvents(bridge: Pick<TestBridge, 'directory'>): { events: DirectoryEvent[]; stop: () => void } {
  const events: DirectoryEvent[] = [];
  const off = bridge.directory.events.on((e) => void events.push(e));
  return { events, stop: () => void off() };
}

/** Made-up tenant data. */
export function tenantBody(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    instanceId: 'inst-acme-001',
    orderId: 'CS2611210001ACME',
    tenantId: 'acme',
    tenantCode: 'acme',
    name: 'Acme Trading Co.',
    domainName: 'https://acme.idp.example.com',
    flag: 1,
    testFlag: 0,
    timeStamp: '20261121093539534',
    ...over,
  };
}

export function user(userName: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  return { userName, name: `Name of ${userName}`, orgCode: 'sales', role: 'user', enable: 'true', ...over };
}

export function authBody(users: Record<string, unknown>[], over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    instanceId: 'inst-acme-001',
    tenantId: 'acme',
    appId: APP_ID,
    userList: users,
    currentSyncTime: '20261121100000000',
    flag: 1,
    testFlag: 0,
    timeStamp: '20261121100000000',
    ...over,
  };
}
