/**
 * The process: configuration → store → app → listen, and a graceful shutdown on SIGTERM/SIGINT
 * (stop accepting, let requests in flight finish, close the store).
 */
import { once } from 'node:events';
import { createServer, type RequestListener, type Server } from 'node:http';
import { createApp } from './app.js';
import type { Outbox } from './ops/outbox.js';
import type { AuditTrail } from './audit/trail.js';
import { ConfigError, loadConfig } from './config/load.js';
import { isKbError } from './shared/errors.js';
import { createLogger, type Logger } from './shared/logger.js';
import { describeRuntime } from './shared/runtime.js';
import { startMetricsListener } from './metrics/metrics.js';
import { createMemoryStore } from './store/memory.js';
import { createRedisStore } from './store/redis.js';
import type { Store } from './store/types.js';

const SHUTDOWN_GRACE_MS = 10_000; // under the 30 s most orchestrators wait before SIGKILL
const STORE_RETRY_MS = 2_000;

/**
 * How long a client may take to send a request, so slow or trickling clients cannot hold sockets
 * open for minutes (Node's defaults: 60 s for headers, 300 s for the whole request, checked every
 * 30 s). Every request the bridge serves is small and sent at once by a machine or a browser.
 */
export const SERVER_TIMEOUTS = {
  /** Headers arrive in one packet or two; 10 s is generous for any real client. */
  headersTimeout: 10_000,
  /** The whole request, body included: above the produce path's own 10 s body deadline (BODY_READ_TIMEOUT_MS). */
  requestTimeout: 15_000,
  /** How often the two deadlines above are enforced: a late connection closes at most 1 s after its deadline. */
  connectionsCheckingInterval: 1_000,
  /** An idle keep-alive connection closes after 5 s (Node's default; under the usual 60 s of proxies in front). */
  keepAliveTimeout: 5_000,
} as const;

export type ServerTimeouts = { [K in keyof typeof SERVER_TIMEOUTS]: number };

/** The HTTP server of the bridge, with SERVER_TIMEOUTS (tests may shorten them). */
export function createHttpServer(listener: RequestListener, timeouts: ServerTimeouts = SERVER_TIMEOUTS): Server {
  const server = createServer({ headersTimeout: timeouts.headersTimeout, requestTimeout: timeouts.requestTimeout, connectionsCheckingInterval: timeouts.connectionsCheckingInterval }, listener);
  server.keepAliveTimeout = timeouts.keepAliveTimeout;
  return server;
}

export async function start(env: NodeJS.ProcessEnv = process.env): Promise<{ server: Server; store: Store; logger: Logger; outbox: Outbox; metrics: { close(): Promise<void> }; audit: AuditTrail }> {
  const config = loadConfig(env);
  const logger = createLogger({ level: config.server.logLevel });
  const runtime = describeRuntime(); // once per process; oidc-provider's own runtime notice is dropped (oidc/library.ts)
  logger[runtime.level]({ node: runtime.version, runtime: runtime.status }, runtime.message);
  for (const warning of config.warnings) logger.warn(warning);

  const store: Store = config.store.redisUrl
    ? createRedisStore({ url: config.store.redisUrl, logger })
    : createMemoryStore();
  // The OpenID signing keys live in the store, so the app cannot be built before the store
  // answers: wait for it (an orchestrator sees no listener, hence not ready, meanwhile).
  let built: Awaited<ReturnType<typeof createApp>>;
  for (;;) {
    try {
      built = await createApp({ config, store, logger });
      break;
    } catch (err) {
      if (!isKbError(err, 'store_unavailable')) throw err;
      logger.error({ err: err.message }, `store not reachable at start-up; retrying in ${STORE_RETRY_MS / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, STORE_RETRY_MS));
    }
  }
  // Its own port (METRICS_PORT), up before the main listener so the first scrape finds it.
  const metrics = await startMetricsListener(built.metrics, logger);
  const { app, outbox, audit } = built;
  const server = createHttpServer(app.callback()).listen(config.server.port, config.server.host);
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.server.port;
  logger.info({ port, host: config.server.host, publicUrl: config.server.publicUrl, store: store.kind, producePath: config.produce.path }, `koobridge listening on port ${port}`);
  return { server, store, logger, outbox, metrics, audit };
}

async function shutdown(server: Server, store: Store, logger: Logger, signal: string, outbox: Outbox, metrics: { close(): Promise<void> }, audit: AuditTrail): Promise<void> {
  logger.info({ signal }, 'shutting down');
  const timer = setTimeout(() => {
    logger.warn('requests still running after the grace period; closing them');
    server.closeAllConnections();
  }, SHUTDOWN_GRACE_MS);
  timer.unref();
  server.closeIdleConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  // Running outbox jobs finish (bounded by its stopTimeoutMs); pending ones stay in the store for the next instance.
  await outbox.stop();
  await metrics.close();
  await audit.close(); // writes the queued audit entries (bounded wait) while the store is still open
  await store.close();
  clearTimeout(timer);
  logger.info('stopped');
}

const isEntryPoint = import.meta.url === `file://${process.argv[1]}`;
if (isEntryPoint) {
  try {
    const { server, store, logger, outbox, metrics, audit } = await start();
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      process.once(signal, () => {
        shutdown(server, store, logger, signal, outbox, metrics, audit).then(
          () => process.exit(0),
          (err) => {
            logger.error({ err }, 'shutdown failed');
            process.exit(1);
          },
        );
      });
    }
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`koobridge: configuration error: ${err.message}`);
    } else {
      console.error(`koobridge: failed to start: ${(err as Error).message}`);
    }
    process.exit(1);
  }
}
