import Router from '@koa/router';
import type { Store } from '../store/types.js';
import type { AppState } from './state.js';

/**
 * Liveness (the process answers) and readiness (the store answers, and the process is not shutting
 * down), for orchestrators. While draining, /readyz fails so load balancers stop sending new
 * requests, while everything else is still served (main.ts, SHUTDOWN_DRAIN).
 */
export function healthRoutes(store: Store, lifecycle: { isDraining(): boolean } = { isDraining: () => false }): Router<AppState> {
  const router = new Router<AppState>();
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async (ctx) => {
    if (lifecycle.isDraining()) {
      ctx.status = 503;
      ctx.set('Connection', 'close');
      ctx.body = { status: 'draining', store: store.kind };
      return;
    }
    try {
      await store.ping();
      ctx.body = { status: 'ready', store: store.kind };
    } catch (err) {
      ctx.state.log.warn({ err: (err as Error).message }, 'readiness check failed');
      ctx.status = 503;
      ctx.body = { status: 'unavailable', store: store.kind, error: { code: 'store_unavailable', message: 'store unreachable' } };
    }
  });
  return router;
}
