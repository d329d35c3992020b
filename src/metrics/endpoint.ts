/**
 * Where Prometheus reads `GET /metrics`: never the public port unprotected. Either a listener of its
 * own (METRICS_PORT on METRICS_HOST, kept off the public network by the operator; METRICS_TOKEN
 * is then required too when set), or the main port behind `Authorization: Bearer <METRICS_TOKEN>`.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import Router from '@koa/router';
import type { Registry } from 'prom-client';
import { KbError } from '../shared/errors.js';
import { sameSecret } from '../shared/hash.js';
import type { Logger } from '../shared/logger.js';
import { guarded } from '../http/guard.js';
import type { AppState } from '../http/state.js';

export const METRICS_PATH = '/metrics';

const bearerOf = (authorization: string | undefined): string | null => /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1] ?? null;

/** Constant-time, whatever the length sent (both sides hashed first). */
const authorized = (authorization: string | undefined, token: string | null): boolean => {
  if (token === null) return true;
  const sent = bearerOf(authorization);
  return sent !== null && sameSecret(sent, token);
};

/** `/metrics` on the main port: only with a token (the caller mounts it only then). */
export function metricsRoute(registry: Registry, token: string): Router<AppState> {
  const router = new Router<AppState>();
  router.get(
    METRICS_PATH,
    guarded({}, async (ctx) => {
      if (!authorized(ctx.get('authorization'), token)) {
        ctx.set('WWW-Authenticate', 'Bearer realm="koobridge-metrics"');
        throw new KbError('unauthorized', 'a valid metrics bearer token is required');
      }
      ctx.set('Cache-Control', 'no-store');
      ctx.type = registry.contentType;
      ctx.body = await registry.metrics();
    }),
  );
  return router;
}

export interface MetricsListener {
  /** The port it listens on (the one asked for, or the OS's pick for 0 in tests). */
  readonly port: number;
  close(): Promise<void>;
}

/** The separate listener: a bare node:http server answering GET /metrics and 404 otherwise. */
export async function listenForMetrics(registry: Registry, opts: { port: number; host: string; token: string | null }, logger: Pick<Logger, 'info' | 'warn'>): Promise<MetricsListener> {
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== METRICS_PATH || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
      return;
    }
    if (!authorized(req.headers.authorization, opts.token)) {
      res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8', 'www-authenticate': 'Bearer realm="koobridge-metrics"' }).end('a valid metrics bearer token is required\n');
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' }).end(req.method === 'HEAD' ? undefined : text),
      (err: Error) => {
        logger.warn({ err: err.message }, 'metrics collection failed');
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('metrics collection failed\n');
      },
    );
  });
  // Scrapers keep connections alive between scrapes; an idle one must not hold shutdown up.
  server.keepAliveTimeout = 5_000;
  server.headersTimeout = 10_000;
  server.requestTimeout = 15_000;
  server.listen(opts.port, opts.host);
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  logger.info({ port, host: opts.host }, `metrics listening on ${opts.host}:${port}${METRICS_PATH}`);
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
