/**
 * The process: configuration → store → app → listen, and a graceful shutdown for orchestrators:
 * on SIGTERM /readyz fails for SHUTDOWN_DRAIN while requests are still served (load balancers and
 * Kubernetes take the instance out of rotation meanwhile), then the listener closes, requests in
 * flight finish within SHUTDOWN_GRACE, the watchers and the outbox stop, the store closes, exit 0.
 * SIGINT (Ctrl-C at a terminal) skips the drain; a second signal cuts a drain short. SIGHUP reads
 * OIDC_CLIENTS_FILE again.
 *
 * Run it as `node dist/main.js` or `koobridge serve` (bin/koobridge.js), so this process is the one
 * that receives the signals: `npm start` is for development (npm does not reliably pass them on).
 */
import { once } from 'node:events';
import { createServer, type RequestListener, type Server } from 'node:http';
import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config/load.js';
import type { Config } from './config/types.js';
import { startMetricsListener } from './metrics/metrics.js';
import { isKbError } from './shared/errors.js';
import { createLogger, type Logger } from './shared/logger.js';
import { describeRuntime } from './shared/runtime.js';
import { createMemoryStore } from './store/memory.js';
import { createRedisStore } from './store/redis.js';
import type { Store } from './store/types.js';

const STORE_RETRY_MS = 2_000;
// How often, once the listener is closed, connections that just turned idle are closed.
const IDLE_SWEEP_MS = 100;
// After the last step, the process ends by itself once its logs are written, or after this long.
const LOG_FLUSH_MS = 2_000;

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

export interface Running {
  server: Server;
  store: Store;
  logger: Logger;
  config: Config;
  built: Awaited<ReturnType<typeof createApp>>;
  /** The METRICS_PORT listener (nothing to close when there is none). */
  metrics: { close(): Promise<void> };
}

export async function start(env: NodeJS.ProcessEnv = process.env): Promise<Running> {
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
  const server = createHttpServer(built.app.callback()).listen(config.server.port, config.server.host);
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.server.port;
  logger.info({ port, host: config.server.host, publicUrl: config.server.publicUrl, store: store.kind, producePath: config.produce.path }, `koobridge listening on port ${port}`);
  return { server, store, logger, config, built, metrics };
}

/** One named step of the shutdown; they run in order, each logged, a failed one not stopping the rest. */
export interface ShutdownStep {
  name: string;
  run(): Promise<unknown>;
}

/**
 * Stop accepting connections, close the idle ones, and resolve once every request in flight has
 * been answered; after graceMs the connections still open are closed.
 */
async function closeListener(server: Server, graceMs: number, logger: Logger): Promise<void> {
  const timer = setTimeout(() => {
    logger.warn({ graceMs }, 'requests still running after SHUTDOWN_GRACE; closing their connections');
    server.closeAllConnections();
  }, graceMs);
  timer.unref();
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // A connection whose request is answered now turns idle and would stay open until its
  // keep-alive timeout (5 s) holding the close up: such connections are closed as they turn idle.
  server.closeIdleConnections();
  const idle = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
  await closed;
  clearInterval(idle);
  clearTimeout(timer);
}

/**
 * The shutdown, as a list: another concern that must stop (a metrics listener, an audit writer)
 * is one more line here, before the store closes. `drain.wait` resolves when the drain is over
 * (after SHUTDOWN_DRAIN; at once for SIGINT, or when a second signal arrives).
 */
export function shutdownSteps({ server, store, logger, config, built, metrics }: Running, drain: { wait: Promise<void> }): ShutdownStep[] {
  return [
    { name: 'readiness fails (drain)', run: async () => { built.startDraining(); await drain.wait; } },
    { name: 'listener closed, requests in flight answered', run: () => closeListener(server, config.shutdown.graceMs, logger) },
    { name: 'clients file and key ring no longer watched', run: () => built.oidc.close() },
    // Running outbox jobs finish (bounded by its stopTimeoutMs); pending ones stay in the store for the next instance.
    { name: 'outbox stopped', run: () => built.outbox.stop() },
    { name: 'metrics listener closed', run: () => metrics.close() },
    // The queued audit entries are written (bounded wait) while the store is still open.
    { name: 'audit trail flushed', run: () => built.audit.close() },
    { name: 'store closed', run: () => store.close() },
  ];
}

export async function runSteps(steps: ShutdownStep[], logger: Logger): Promise<boolean> {
  let ok = true;
  for (const step of steps) {
    try {
      await step.run();
      logger.info({ step: step.name }, `shutdown: ${step.name}`);
    } catch (err) {
      ok = false;
      logger.error({ step: step.name, err: (err as Error).message }, `shutdown: ${step.name} failed`);
    }
  }
  return ok;
}

/** The service in this process, stopped by signals: `node dist/main.js` and `koobridge serve`. */
export async function serve(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  let running: Running;
  try {
    running = await start(env);
  } catch (err) {
    console.error(err instanceof ConfigError ? `koobridge: configuration error: ${err.message}` : `koobridge: failed to start: ${(err as Error).message}`);
    process.exit(1);
  }
  const { logger, config, built } = running;
  process.on('SIGHUP', () => void built.oidc.reloadClients('SIGHUP').then((outcome) => outcome === 'unchanged' && logger.info({ trigger: 'SIGHUP' }, 'OpenID clients unchanged')));

  let endDrain: () => void = () => undefined;
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.info({ signal }, 'second signal: the drain ends now');
      endDrain();
      return;
    }
    stopping = true;
    // Kubernetes removes a terminating pod from its Services while the drain runs; a terminal's Ctrl-C needs none.
    const drainMs = signal === 'SIGINT' ? 0 : config.shutdown.drainMs;
    logger.info({ signal, drainMs, graceMs: config.shutdown.graceMs }, 'shutting down');
    const wait = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, drainMs);
      endDrain = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    void runSteps(shutdownSteps(running, { wait }), logger).then((ok) => {
      logger.info(ok ? 'stopped' : 'stopped with errors');
      // Not process.exit() at once: pino writes asynchronously, and exiting with a write under way
      // drops lines or lets it land after later ones. Everything is closed, so the process ends
      // when the last line is written; should anything still hold it, it exits after LOG_FLUSH_MS.
      process.exitCode = ok ? 0 : 1;
      setTimeout(() => process.exit(), LOG_FLUSH_MS).unref();
    });
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

const isEntryPoint = import.meta.url === `file://${process.argv[1]}`;
if (isEntryPoint) await serve();
