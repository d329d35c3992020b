/**
 * The process: configuration → store → app → listen, and a graceful shutdown on SIGTERM/SIGINT
 * (stop accepting, let requests in flight finish, close the store).
 */
import { once } from 'node:events';
import type { Server } from 'node:http';
import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { createLogger, type Logger } from './logger.js';
import { createMemoryStore } from './store/memory.js';
import { createRedisStore } from './store/redis.js';
import type { Store } from './store/types.js';

const SHUTDOWN_GRACE_MS = 10_000; // under the 30 s most orchestrators wait before SIGKILL

export async function start(env: NodeJS.ProcessEnv = process.env): Promise<{ server: Server; store: Store; logger: Logger }> {
  const config = loadConfig(env);
  const logger = createLogger({ level: config.logLevel });
  for (const warning of config.warnings) logger.warn(warning);

  const store: Store = config.redisUrl
    ? createRedisStore({ url: config.redisUrl, logger })
    : createMemoryStore();
  try {
    await store.ping();
  } catch (err) {
    // Start anyway: /readyz reports the store, and the client reconnects when Redis comes up.
    logger.error({ err: (err as Error).message }, 'store not reachable at start-up; /readyz answers 503 until it is');
  }

  const { app } = createApp({ config, store, logger });
  const server = app.listen(config.port, config.host);
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info({ port, host: config.host, publicUrl: config.publicUrl, store: store.kind, producePath: config.producePath }, `koobridge listening on port ${port}`);
  return { server, store, logger };
}

async function shutdown(server: Server, store: Store, logger: Logger, signal: string): Promise<void> {
  logger.info({ signal }, 'shutting down');
  const timer = setTimeout(() => {
    logger.warn('requests still running after the grace period; closing them');
    server.closeAllConnections();
  }, SHUTDOWN_GRACE_MS);
  timer.unref();
  server.closeIdleConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await store.close();
  clearTimeout(timer);
  logger.info('stopped');
}

const isEntryPoint = import.meta.url === `file://${process.argv[1]}`;
if (isEntryPoint) {
  try {
    const { server, store, logger } = await start();
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      process.once(signal, () => {
        shutdown(server, store, logger, signal).then(
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
